// Any bytes as an HTTP/1.1 request to `httpstate serve`'s router (httpbin's endpoints and the
// Flask example): Beast parses with serve's limits, and a parsed request gets a response that
// is never a 5xx and always serialises.
#include <utility>  // before Beast: Boost 1.74's asio/awaitable.hpp uses std::exchange unincluded

#include <boost/beast/http.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "routes.hpp"

using namespace httpstate::serve;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Router router = [] {
    Router r;
    add_httpbin_routes(r);
    add_flask_example(r);
    return r;
  }();
  http::request_parser<http::string_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  const auto& req = parser.get();
  Exchange ex(req, false, "127.0.0.1");
  Response res = router.handle(ex);
  // A 5xx only where the client asked for one: /status/{code}.
  if (res.result_int() >= 500 && ex.route != "/status/{code}") std::abort();
  res.prepare_payload();
  http::response_serializer<http::string_body> sr(res);
  std::string out;
  for (;;) {
    sr.next(ec, [&](boost::beast::error_code&, const auto& buffers) {
      for (const auto& b : boost::beast::buffers_range_ref(buffers)) out.append(static_cast<const char*>(b.data()), b.size());
      sr.consume(boost::beast::buffer_bytes(buffers));
    });
    if (ec) std::abort();
    if (sr.is_done()) break;
  }
  return 0;
}
