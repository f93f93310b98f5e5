#pragma once
// Cookies for Boost.Beast requests and responses, which leave them out by design: Flask's
// request.cookies, response.set_cookie and delete_cookie, on the cookie layer's grammar.
// Header-only; a program that includes it links Boost.Beast itself.
#include <utility>  // before Beast: Boost 1.74's asio/awaitable.hpp uses std::exchange unincluded

#include <boost/beast/http/message.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"
#include "httpstate/cookie/set_cookie.hpp"

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

}  // namespace httpstate::server
