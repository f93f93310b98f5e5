#pragma once
// One request's view of a session: what SessionManager::load gives and commit takes. The data
// is parsed from the record's text only when data() is first called, and commit compares it
// with that text, so a request that does not change the session costs no JSON work.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "httpstate/server/session_event.hpp"

namespace httpstate::server {

class Session {
 public:
  Session() = default;

  // The session's data, an object; {} for a new session. Writing to it is what commit saves.
  nlohmann::json& data();
  const nlohmann::json& data() const;

  // Not in the store (yet): a new session, or one whose cookie was refused.
  bool is_new() const noexcept { return !stored_; }
  // 8 hex digits of SHA-256(id) for logs ("-" before an id exists); never the id.
  std::string_view handle() const noexcept { return key_.empty() ? std::string_view("-") : std::string_view(key_).substr(0, 8); }
  std::uint64_t version() const noexcept { return version_; }
  std::int64_t created_ms() const noexcept { return created_; }  // Unix ms; 0 when new
  std::int64_t expires_ms() const noexcept { return expires_; }  // Unix ms: the idle expiry

 private:
  friend class SessionManager;
  void parse() const;

  std::string id_;    // base64url of 16 random bytes; empty until issued
  std::string key_;   // hex SHA-256(id_): the store's key
  std::string raw_;   // the record's data as loaded (or last saved)
  mutable std::optional<nlohmann::json> data_;
  std::uint64_t version_ = 0;
  std::int64_t created_ = 0;
  std::int64_t expires_ = 0;
  bool stored_ = false;         // a record exists under key_
  bool written_ = false;        // data() was taken for writing
  mutable bool corrupt_ = false;  // the record's data was not a JSON object: replaced at commit
  bool cookie_due_ = false;     // the next commit sends the cookie (new id, rotation)
  bool expire_cookie_ = false;  // the client holds a cookie that must be deleted
  const std::function<void(const SessionLogEntry&)>* on_event_ = nullptr;
};

}  // namespace httpstate::server
