// Flask's cookie example on Boost.Beast with the httpstate adapter:
//   @app.route("/")  def index(): v = request.cookies.get("my_cookie") ... resp.set_cookie(...)
// Usage: flask_set_cookie [PORT]   (0 or none: a free port, printed), then GET / twice.
#include <utility>  // before Beast: Boost 1.74's asio/awaitable.hpp uses std::exchange unincluded

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <httpstate/server/beast.hpp>
#include <iostream>
#include <string>

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace hs = httpstate::server;
using tcp = net::ip::tcp;

http::response<http::string_body> index(const http::request<http::string_body>& req) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.set(http::field::content_type, "text/plain");
  if (auto value = hs::request_cookies(req).get("my_cookie")) {
    res.body() = "my_cookie is " + std::string(*value) + "\n";
  } else {
    res.body() = "my_cookie was not set; setting it to my_value\n";
    hs::set_cookie(res, {.name = "my_cookie", .value = "my_value"});
  }
  return res;
}

int main(int argc, char** argv) {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"),
                               static_cast<unsigned short>(argc > 1 ? std::stoi(argv[1]) : 0)});
  std::cout << "listening on http://127.0.0.1:" << acceptor.local_endpoint().port() << "/" << std::endl;
  for (;;) {
    tcp::socket socket = acceptor.accept();
    boost::beast::flat_buffer buffer;
    boost::beast::error_code ec;
    for (;;) {  // one connection at a time, keep-alive: the example is the handler, not the loop
      http::request<http::string_body> req;
      http::read(socket, buffer, req, ec);
      if (ec) break;
      auto res = index(req);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(socket, res, ec);
      if (ec || !req.keep_alive()) break;
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}
