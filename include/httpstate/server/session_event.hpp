#pragma once
// What the manager reports through SessionConfig::on_event: the session is named by a short
// prefix of SHA-256(id), never by its id, so a log never holds a usable session.
#include <cstdint>
#include <string_view>

namespace httpstate::server {

enum class SessionEvent : std::uint8_t {
  created,      // a new session was stored (its first commit)
  rotated,      // rotate_id moved the data to a new id
  invalidated,  // invalidate removed the record
  expired,      // a cookie named a session past its idle or absolute timeout
  refused,      // a cookie or record we do not accept: malformed, forged, unknown, not ours
};

std::string_view to_string(SessionEvent e) noexcept;  // "created", "rotated", ...

struct SessionLogEntry {
  SessionEvent event;
  std::string_view session;  // 8 hex digits of SHA-256(id), or "-" when there is no id
  std::string_view reason;   // e.g. "bad signature", "idle timeout"; empty for created
};

}  // namespace httpstate::server
