"""A loopback HTTP server for the curl round trip: /set sends Set-Cookie lines, /echo returns
the Cookie header it received. Prints its port, serves a bounded number of requests, exits."""
import http.server

MAX_REQUESTS = 20  # bounded: the test makes a handful


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        if self.path == "/set":
            self.send_header("Set-Cookie", "sid=abc123; Path=/")
            self.send_header("Set-Cookie", "pref=dark; Domain=localhost; Path=/; Max-Age=3600")
            self.send_header("Set-Cookie", "tok=s3cr3t; Path=/; HttpOnly; Max-Age=3600")
            self.send_header("Set-Cookie", "sec=1; Path=/; Secure; Max-Age=3600")
            body = b"set\n"
        else:
            body = (self.headers.get("Cookie", "") + "\n").encode()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
for _ in range(MAX_REQUESTS):
    server.handle_request()
