#pragma once
// The two rules of the client, each in one function, as requests' merge_setting and
// rebuild_auth/rebuild_method: how a request is merged over the session's defaults, and what a
// redirect does to it.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "httpstate/client/request.hpp"
#include "httpstate/client/session.hpp"

namespace httpstate::client::detail {

// The session's defaults at the moment a request starts (a copy, so changes made meanwhile
// do not reach a request half-way through its redirects).
struct Defaults {
  Headers headers;
  Pairs params;
  Auth auth;
  Pairs any_host_cookies;
};

// A request with the defaults applied: what goes on the wire for the current hop.
struct Prepared {
  std::string method;
  std::string url;  // with the params in its query
  Headers headers;  // merged; Authorization from the auth; no Cookie from the jar
  Pairs any_host_cookies;  // the session's, less those the request names again
  Pairs request_cookies;   // the request's: they win over the jar's of the same name
  std::optional<std::string> body;
  std::chrono::milliseconds timeout{0};
  bool allow_redirects = true;
  bool retry_allowed = false;  // idempotent, or the request said so
};

// Request over defaults: a header, param or cookie of the request replaces the defaults' of
// the same name (header names case-insensitively); the request's auth, timeout and redirect
// choice win when given. Nothing of the request is kept. Throws Error (invalid_url) for a URL
// that is not http(s), and for a request with more than one kind of body.
Prepared merge_request(const Request& request, const Defaults& defaults, const SessionOptions& options);

// A redirect from `from` (the hop that answered `status`) to `to`: 301/302 turn a POST into a
// GET, 303 turns anything but HEAD into a GET, and then the body and its headers go; 307/308
// keep method and body (RFC 9110 §15.4). Authorization and Proxy-Authorization are dropped
// when the host or port changes or the scheme does (except http to https on default ports),
// as requests' should_strip_auth; a raw Cookie header is dropped when the host changes.
void rebuild_for_redirect(Prepared& p, int status, std::string_view to);

// requests' should_strip_auth.
bool should_strip_auth(std::string_view from, std::string_view to);

// "scheme://host:port", lowercase: the key of the per-host in-flight limit.
std::string origin_key(std::string_view url);

// "Basic base64(user:password)" or "Bearer token"; "" for NoAuth.
std::string authorization_value(const Auth& auth);

bool is_idempotent(std::string_view method) noexcept;

}  // namespace httpstate::client::detail
