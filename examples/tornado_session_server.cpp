// Tornado's session example on Boost.Beast: settings with a secret, a session cookie name and an
// expiry of 7200 s; GET greets the session's username or "Guest", POST name=... sets it.
// Usage: tornado_session_server SECRET_FILE [PORT]   (0 or none: a free port, printed)
#include <utility>  // before Beast: Boost 1.74's asio/awaitable.hpp uses std::exchange unincluded

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <httpstate/server/beast.hpp>
#include <httpstate/server/memory_store.hpp>
#include <iostream>
#include <string>

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace hs = httpstate::server;
using tcp = net::ip::tcp;

http::response<http::string_body> handle(const hs::SessionManager& mgr, const http::request<http::string_body>& req) {
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.set(http::field::content_type, "text/plain");
  try {
    hs::Session s = hs::load(mgr, req);
    if (req.method() == http::verb::post) {
      const std::string& body = req.body();  // "name=alice"
      const auto eq = body.find('=');
      const std::string name = eq == std::string::npos ? body : body.substr(eq + 1);
      mgr.rotate_id(s);  // a privilege change: a new id
      s.data()["username"] = name;
      res.body() = "saved\n";
    } else {
      const auto& data = std::as_const(s).data();
      res.body() = "Hello, " + (data.contains("username") ? data["username"].get<std::string>() : "Guest") + "\n";
    }
    hs::commit(mgr, s, res);
  } catch (const hs::StoreUnavailable&) {
    res.result(http::status::service_unavailable);
    res.set(http::field::retry_after, "1");
    res.body() = "session store unavailable\n";
  }
  return res;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: tornado_session_server SECRET_FILE [PORT]\n";
    return 2;
  }
  std::string secret;
  std::getline(std::ifstream(argv[1]), secret);
  // Tornado's settings: cookie_secret, the session cookie's name, expires_days -> 7200 s here.
  hs::SessionManager mgr(hs::SessionConfig{.cookie_name = "session", .idle_timeout = std::chrono::seconds(7200),
                                           .absolute_timeout = std::chrono::seconds(7200), .secrets = {secret}},
                         std::make_shared<hs::MemorySessionStore>());
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"),
                               static_cast<unsigned short>(argc > 2 ? std::stoi(argv[2]) : 0)});
  std::cout << "listening on http://127.0.0.1:" << acceptor.local_endpoint().port() << "/" << std::endl;
  for (;;) {
    tcp::socket socket = acceptor.accept();
    boost::beast::flat_buffer buffer;
    boost::beast::error_code ec;
    for (;;) {
      http::request<http::string_body> req;
      http::read(socket, buffer, req, ec);
      if (ec) break;
      auto res = handle(mgr, req);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(socket, res, ec);
      if (ec || !req.keep_alive()) break;
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}
