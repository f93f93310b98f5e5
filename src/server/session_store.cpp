#include "httpstate/server/session_store.hpp"

#include "httpstate/error.hpp"
#include "httpstate/server/session_event.hpp"

namespace httpstate::server {

std::string_view to_string(SaveResult r) noexcept {
  switch (r) {
    case SaveResult::saved: return "saved";
    case SaveResult::conflict: return "conflict";
    case SaveResult::gone: return "gone";
  }
  return "?";
}

std::string_view to_string(SessionEvent e) noexcept {
  switch (e) {
    case SessionEvent::created: return "created";
    case SessionEvent::rotated: return "rotated";
    case SessionEvent::invalidated: return "invalidated";
    case SessionEvent::expired: return "expired";
    case SessionEvent::refused: return "refused";
  }
  return "?";
}

std::string SessionStore::seal(const SessionRecord&, std::int64_t) const {
  throw httpstate::error("session store: seal() is for stores that keep the session in the cookie");
}

std::optional<SessionRecord> SessionStore::open(std::string_view, std::int64_t) const { return std::nullopt; }

}  // namespace httpstate::server
