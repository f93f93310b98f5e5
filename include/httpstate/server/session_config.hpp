#pragma once
// How a SessionManager names, times out and sends its sessions. The defaults follow OWASP's
// session management rules: HttpOnly, SameSite=Lax, __Host- when Secure, server-side timeouts.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/server/clock.hpp"
#include "httpstate/server/session_event.hpp"

namespace httpstate::server {

struct SessionConfig {
  std::string cookie_name = "sid";
  // No request for this long ends the session; each request extends it (by a cheap touch, at
  // most once per tenth of it).
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  // The session ends this long after it was created, however active it is.
  std::chrono::milliseconds absolute_timeout = std::chrono::hours(12);

  // With secrets (oldest..newest, each >= 16 bytes) ids travel signed (HMAC-SHA256 through the
  // codec layer), so a forged id is refused without asking the store.
  std::vector<std::string> secrets;

  std::string domain;        // empty: host-only
  std::string path = "/";
  bool secure = false;
  bool http_only = true;
  SameSite same_site = SameSite::lax;
  bool persistent = false;   // Max-Age (the time left) on the cookie; else a browser-session cookie
  bool host_prefix = true;   // "__Host-" + cookie_name when secure, no domain and path "/"

  // transact() runs the handler at most this many times before it reports the conflict.
  int max_attempts = 8;

  std::function<void(const SessionLogEntry&)> on_event;  // empty: no log
  Clock clock;                                           // empty: the system clock
};

}  // namespace httpstate::server
