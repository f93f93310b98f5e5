#pragma once
// Sessions in Redis (hiredis), the store for more than one machine. Each record is one string
// key (prefix + SHA-256 hex of the id) whose value starts with a fixed-width expiry: SET NX PX
// creates it; Lua scripts run by EVALSHA (loaded once, reloaded after NOSCRIPT, i.e. a server
// restart) save it if its version matches, and touch it (the expiry field in place + PEXPIRE).
// The record's expiry follows the store's clock; Redis's own TTL drops the key at the same time. Single-key operations only, so a prefix with a hash tag is all a
// Redis Cluster needs. Connections come from a pool; a broken one is dropped and the next call
// reconnects, so the store recovers from an outage by itself.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "httpstate/server/clock.hpp"
#include "httpstate/server/session_store.hpp"

namespace httpstate::server {

struct RedisSessionOptions {
  std::string url = "redis://127.0.0.1:6379/0";  // redis://[user:password@]host:port/db
  std::string key_prefix = "httpstate:session:";
  std::chrono::milliseconds connect_timeout{1000};  // then StoreUnavailable
  std::chrono::milliseconds command_timeout{1000};  // then StoreUnavailable
  std::size_t max_idle_connections = 16;
  Clock clock;  // empty: the system clock
};

class RedisSessionStore final : public SessionStore {
 public:
  // Throws httpstate::error on a malformed URL; connects lazily (StoreUnavailable on use).
  explicit RedisSessionStore(RedisSessionOptions options = {});
  ~RedisSessionStore() override;

  bool create(std::string_view key, const SessionRecord& record, std::chrono::milliseconds ttl) override;
  std::optional<SessionRecord> load(std::string_view key) override;
  SaveResult save(std::string_view key, const SessionRecord& record, std::uint64_t expected_version,
                  std::chrono::milliseconds ttl) override;
  bool touch(std::string_view key, std::chrono::milliseconds ttl) override;
  void destroy(std::string_view key) override;
  std::size_t sweep() override;  // 0: Redis expires keys itself

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace httpstate::server
