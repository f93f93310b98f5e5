#pragma once
// `httpstate serve`'s request handling without sockets: a request in, a response out. The
// router matches a method and a path pattern ("/cookies/set/{k}/{v}") to a small handler.
#include <utility>  // before Beast: Boost 1.74's asio/awaitable.hpp uses std::exchange unincluded

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "httpstate/server/beast.hpp"

namespace httpstate::serve {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// One request as the handlers see it.
struct Exchange {
  const Request& req;
  std::string_view path;   // the target up to '?'
  std::string_view query;  // after '?', without it; "" when none
  server::RequestCookies cookies;
  bool tls = false;
  std::string origin;              // the peer's address, as httpbin's "origin"
  std::vector<std::string_view> params;  // the pattern's {name} segments, in order
  std::string_view route;          // the matched pattern: what the access log shows, never the path
  std::string session_event;       // for the access log: "created", "rotated", ...

  Exchange(const Request& r, bool secure, std::string peer);
  // "http://HOST/path?query", as httpbin's "url".
  std::string url() const;
};

using Handler = std::function<Response(Exchange&)>;

class Router {
 public:
  // `pattern` is a path of literal segments and "{name}" segments matching one non-empty segment.
  void add(http::verb method, std::string pattern, Handler handler);
  // 404 when no pattern matches the path, 405 with Allow when one does but not the method.
  Response handle(Exchange& ex) const;

 private:
  struct Route {
    http::verb method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

// Small response builders shared by the handlers; every body is sized by the caller's prepare.
Response json_response(const Exchange& ex, http::status status, std::string body);
Response text_response(const Exchange& ex, http::status status, std::string_view content_type, std::string body);
Response error_response(unsigned version, http::status status, std::string_view why);

// application/x-www-form-urlencoded pairs (a query string or a form body), decoded; bad
// percent-escapes are kept as written, as Werkzeug does.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);
std::string percent_decode(std::string_view text, bool plus_is_space);

}  // namespace httpstate::serve
