#pragma once
// Cookies and sessions for Boost.Beast requests and responses, which leave them out by design:
// Flask's request.cookies, response.set_cookie and delete_cookie on the cookie layer's grammar,
// and a SessionManager's load and commit. Header-only over httpstate::server; a program that
// includes it brings Boost.Beast itself.
//
//   Session s = server::load(mgr, req);
//   s.data()["counter"] = s.data().value("counter", 0) + 1;
//   server::commit(mgr, s, res);   // Set-Cookie when needed, with Cache-Control and Vary
#include <utility>  // before Beast: Boost 1.74's asio/awaitable.hpp uses std::exchange unincluded

#include <boost/beast/http/message.hpp>

#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"
#include "httpstate/cookie/set_cookie.hpp"
#include "httpstate/server/session_manager.hpp"

namespace httpstate::server {

// The cookies of one request, parsed by parse_cookie_header (RFC 6265bis §5.6 / §4.2.1):
// - every pair in order, duplicates kept; get() answers the first, which a 6265bis user agent
//   sends for the longest path (§5.8.3 step 2), as Werkzeug's request.cookies.get does;
// - a pair without '=' is a nameless cookie (name ""), kept in pairs(), never matched by get()
//   with a non-empty name; values are as sent (DQUOTEs kept: see httpstate::unquote);
// - a Cookie header over limits::max_header_bytes yields no cookies at all;
// - several Cookie fields (HTTP/2 splits them, RFC 9113 §8.2.3) are joined with "; ".
// The views point into the request, or into this object's own copy when fields were joined:
// keep the request alive as long as this object. Moving keeps the views valid.
class RequestCookies {
 public:
  RequestCookies() = default;
  explicit RequestCookies(std::string_view header) : header_(header), pairs_(parse_cookie_header(header_)) {}

  template <bool isRequest, class Fields>
  explicit RequestCookies(const boost::beast::http::header<isRequest, Fields>& h) {
    auto range = h.equal_range(boost::beast::http::field::cookie);
    std::size_t fields = 0;
    for (auto it = range.first; it != range.second; ++it) ++fields;
    if (fields == 1) {
      const auto v = range.first->value();
      header_ = std::string_view(v.data(), v.size());
    } else if (fields > 1) {
      joined_ = std::make_unique<std::string>();
      for (auto it = range.first; it != range.second; ++it) {
        if (!joined_->empty()) joined_->append("; ");
        joined_->append(it->value().data(), it->value().size());
        // Stop growing past the limit: the parse below refuses the whole header anyway.
        if (joined_->size() > limits::max_header_bytes) break;
      }
      header_ = *joined_;
    }
    pairs_ = parse_cookie_header(header_);
  }

  // The first value sent under `name`, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const noexcept {
    for (const auto& p : pairs_)
      if (p.name == name) return p.value;
    return std::nullopt;
  }
  bool contains(std::string_view name) const noexcept { return get(name).has_value(); }
  // Every value sent under `name`, in order (e.g. the same name for two paths).
  std::vector<std::string_view> get_all(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& p : pairs_)
      if (p.name == name) out.push_back(p.value);
    return out;
  }
  const std::vector<CookiePair>& pairs() const noexcept { return pairs_; }
  bool empty() const noexcept { return pairs_.empty(); }
  std::size_t size() const noexcept { return pairs_.size(); }
  auto begin() const noexcept { return pairs_.begin(); }
  auto end() const noexcept { return pairs_.end(); }
  // The Cookie header as one string (joined when the request had several fields).
  std::string_view header() const noexcept { return header_; }

 private:
  std::unique_ptr<std::string> joined_;  // on the heap, so a move keeps header_ pointing at it
  std::string_view header_;
  std::vector<CookiePair> pairs_;
};

template <bool isRequest, class Fields>
RequestCookies request_cookies(const boost::beast::http::header<isRequest, Fields>& req) {
  return RequestCookies(req);
}

// Adds `cookie` as one Set-Cookie field of `res` (other Set-Cookie fields are kept: one field
// per cookie, RFC 6265bis §3). nullopt: added; otherwise why the cookie was refused, and
// `res` is unchanged, so a response never carries a malformed Set-Cookie.
template <bool isRequest, class Fields>
std::optional<SetCookieError> set_cookie(boost::beast::http::header<isRequest, Fields>& res, const SetCookie& cookie) {
  auto line = cookie.to_string();
  if (!line) return line.error();
  res.insert(boost::beast::http::field::set_cookie, *line);
  return std::nullopt;
}

// Flask's delete_cookie: an empty value that expired at the epoch, with Max-Age=0, for the
// same name, path and domain the cookie was set with (a user agent matches all three, §5.7
// step 23). A __Secure- or __Host- name is deleted with Secure, as its prefix requires.
template <bool isRequest, class Fields>
std::optional<SetCookieError> delete_cookie(boost::beast::http::header<isRequest, Fields>& res, std::string_view name,
                                            std::string_view path = "/", std::string_view domain = {},
                                            bool secure = false) {
  SetCookie c;
  c.name = std::string(name);
  c.expires = from_unix_seconds(0);
  c.max_age = 0;
  c.path = std::string(path);
  c.domain = std::string(domain);
  const auto prefixed = [&](std::string_view p) {
    if (name.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (name[i] != p[i] && !(name[i] >= 'a' && name[i] <= 'z' && name[i] - 'a' + 'A' == p[i]) &&
          !(name[i] >= 'A' && name[i] <= 'Z' && name[i] - 'A' + 'a' == p[i]))
        return false;
    return true;
  };
  c.secure = secure || prefixed("__Secure-") || prefixed("__Host-");
  c.http_only = false;
  c.same_site = SameSite::unset;
  return set_cookie(res, c);
}

// A response that sets or clears a session cookie must not be cached for another client
// (RFC 9111 §5.2.2.5 no-store) and varies with the request's cookie (RFC 9110 §12.5.5).
template <bool isRequest, class Fields>
void mark_session_response(boost::beast::http::header<isRequest, Fields>& res) {
  namespace http = boost::beast::http;
  res.set(http::field::cache_control, "no-store");
  auto vary = res[http::field::vary];
  if (vary.empty()) res.set(http::field::vary, "Cookie");
  else if (vary.find("Cookie") == boost::beast::string_view::npos && vary != "*")
    res.set(http::field::vary, std::string(vary.data(), vary.size()) + ", Cookie");
}

// The session the request's Cookie header names, or a fresh one. Throws only StoreUnavailable.
template <bool isRequest, class Fields>
Session load(const SessionManager& mgr, const boost::beast::http::header<isRequest, Fields>& req) {
  auto range = req.equal_range(boost::beast::http::field::cookie);
  if (range.first == range.second) return mgr.load({});
  if (std::next(range.first) == range.second) {
    const auto v = range.first->value();
    return mgr.load(std::string_view(v.data(), v.size()));
  }
  return mgr.load(RequestCookies(req).header());
}

// Commits `s` and puts its Set-Cookie, if any, on `res`, marked by mark_session_response.
// Returns whether a cookie was set. Throws SessionConflict, StoreUnavailable.
template <bool isRequest, class Fields>
bool commit(const SessionManager& mgr, Session& s, boost::beast::http::header<isRequest, Fields>& res) {
  auto line = mgr.commit(s);
  if (!line) return false;
  res.insert(boost::beast::http::field::set_cookie, *line);
  mark_session_response(res);
  return true;
}

// Logout: deletes the record, expires the cookie, and asks the browser to drop the origin's
// cookies too (Clear-Site-Data, W3C: a session cookie held under another path goes with it).
template <bool isRequest, class Fields>
void logout(const SessionManager& mgr, Session& s, boost::beast::http::header<isRequest, Fields>& res) {
  res.insert(boost::beast::http::field::set_cookie, mgr.invalidate(s));
  res.set("Clear-Site-Data", "\"cookies\"");
  mark_session_response(res);
}

}  // namespace httpstate::server
