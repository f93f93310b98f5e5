#pragma once
// THE contract every session store meets (one typed test suite checks them all).
//
// A store keeps records under a key that is the lowercase hex SHA-256 of the session id: it
// never sees an id, so a leaked store or a timing attack on its lookup yields no usable id.
//
//   create(key, record, ttl)  store the record if the key is absent; false if present
//   load(key)                 the record, or nullopt when absent or past its expiry; a
//                             record with version 0 when the bytes there are not one of ours
//   save(key, record, expected_version, ttl)
//                             replace the record only if the stored version is
//                             expected_version (compare-and-swap): saved, conflict, or gone
//                             when there is no record any more
//   touch(key, ttl)           extend the expiry without rewriting the data; false when gone
//   destroy(key)              remove the record (absent is fine)
//   sweep()                   drop expired records, return how many
//
// ttl is how long the record lives from now; a store sets record.expires = its now + ttl.
// Failures to reach the store throw StoreUnavailable within the store's timeout; nothing else
// throws. Every operation is safe to call from any number of threads at once.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace httpstate::server {

struct SessionRecord {
  std::string data;           // the session's JSON object, as text
  std::uint64_t version = 0;  // 1 when created, +1 on each save
  std::int64_t created = 0;   // Unix ms: the absolute timeout counts from here
  std::int64_t expires = 0;   // Unix ms: the idle expiry (set by the store from ttl)

  friend bool operator==(const SessionRecord&, const SessionRecord&) = default;
};

enum class SaveResult : std::uint8_t { saved, conflict, gone };

std::string_view to_string(SaveResult r) noexcept;  // "saved", "conflict", "gone"

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual bool create(std::string_view key, const SessionRecord& record, std::chrono::milliseconds ttl) = 0;
  virtual std::optional<SessionRecord> load(std::string_view key) = 0;
  virtual SaveResult save(std::string_view key, const SessionRecord& record,
                          std::uint64_t expected_version, std::chrono::milliseconds ttl) = 0;
  virtual bool touch(std::string_view key, std::chrono::milliseconds ttl) = 0;
  virtual void destroy(std::string_view key) = 0;
  virtual std::size_t sweep() = 0;

  // A store that keeps the whole record in the cookie (CookieSessionStore) says so here; the
  // manager then calls seal/open instead of the keyed operations above. Such a store has no
  // compare-and-swap and cannot revoke a copied cookie before it expires.
  virtual bool in_cookie() const noexcept { return false; }
  // The cookie value carrying `record` (in_cookie stores only).
  virtual std::string seal(const SessionRecord& record, std::int64_t now_ms) const;
  // The record a cookie value carries, or nullopt when it is not one of ours (never throws).
  virtual std::optional<SessionRecord> open(std::string_view cookie_value, std::int64_t now_ms) const;
};

}  // namespace httpstate::server
