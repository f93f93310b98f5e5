#pragma once
// Server-side sessions, framework-free: a Cookie header in, a Set-Cookie value out.
//
//   SessionManager mgr(cfg, std::make_shared<MemorySessionStore>());
//   Session s = mgr.load(cookie_header);    // never throws on bad input: a fresh session
//   s.data()["counter"] = 1;
//   std::optional<std::string> set_cookie = mgr.commit(s);
//
// Ids are 128 bits from RAND_bytes (base64url); the store keys records by SHA-256(id). An id
// the server did not issue, or one past its idle or absolute timeout, is never adopted.
// load and commit throw StoreUnavailable when the store cannot be reached; commit throws
// SessionConflict when another request saved the session after this one loaded it.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "httpstate/server/cookie_session_store.hpp"
#include "httpstate/server/errors.hpp"
#include "httpstate/server/memory_store.hpp"
#include "httpstate/server/redis_session_store.hpp"
#include "httpstate/server/session.hpp"
#include "httpstate/server/session_config.hpp"
#include "httpstate/server/session_store.hpp"
#include "httpstate/server/sqlite_session_store.hpp"

namespace httpstate::server {

// A session cookie's value is an id (22 characters) or a signed id; anything longer is refused
// before any work. Cookie stores carry the record and use limits::max_name_value_bytes.
inline constexpr std::size_t max_id_cookie_bytes = 256;
// A header naming our cookie more often than this (cookie tossing) has the rest ignored.
inline constexpr std::size_t max_session_cookie_candidates = 4;

class SessionManager {
 public:
  // Throws httpstate::error on a bad configuration (cookie name, timeouts, short secrets).
  SessionManager(SessionConfig config, std::shared_ptr<SessionStore> store);
  ~SessionManager();
  SessionManager(const SessionManager&) = delete;
  SessionManager& operator=(const SessionManager&) = delete;

  // The session the Cookie header names, or a fresh one (with a log event) when it names none
  // we accept. Throws only StoreUnavailable.
  Session load(std::string_view cookie_header) const;

  // Saves what changed: nothing for a session never written, a touch (at most once per tenth
  // of the idle timeout) for one unchanged, a compare-and-swap save otherwise. Returns the
  // Set-Cookie value to send, if any. Throws SessionConflict, StoreUnavailable.
  std::optional<std::string> commit(Session& s) const;

  // A new id for the same data; the old record is deleted now (login, logout, privilege
  // change). The next commit sends the new cookie.
  void rotate_id(Session& s) const;

  // Deletes the record; returns the Set-Cookie value that deletes the cookie (commit returns it
  // too, unless the session is written again, which starts a new session).
  std::string invalidate(Session& s) const;

  // load, handler, commit; on SessionConflict the handler runs again on fresh data, up to
  // config().max_attempts times, then the conflict is thrown.
  std::optional<std::string> transact(std::string_view cookie_header,
                                      const std::function<void(Session&)>& handler) const;

  // The name the cookie is sent under ("__Host-sid" with the prefix).
  const std::string& cookie_name() const noexcept;
  const SessionConfig& config() const noexcept;
  SessionStore& store() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace httpstate::server
