#pragma once
// Sessions in this process's memory: a sharded map (one lock per shard), for one process or
// tests. At the bound, a create into a full shard first drops that shard's expired records,
// then evicts the record closest to its expiry (the least recently active session): new
// sessions always get in, the oldest idle one leaves.
#include <cstddef>
#include <memory>

#include "httpstate/server/clock.hpp"
#include "httpstate/server/session_store.hpp"

namespace httpstate::server {

struct MemoryStoreOptions {
  std::size_t max_sessions = 100000;  // split evenly over the shards (rounded up)
  std::size_t shards = 64;
  Clock clock;                        // empty: the system clock
};

class MemorySessionStore final : public SessionStore {
 public:
  MemorySessionStore();
  explicit MemorySessionStore(MemoryStoreOptions options);
  ~MemorySessionStore() override;

  bool create(std::string_view key, const SessionRecord& record, std::chrono::milliseconds ttl) override;
  std::optional<SessionRecord> load(std::string_view key) override;
  SaveResult save(std::string_view key, const SessionRecord& record, std::uint64_t expected_version,
                  std::chrono::milliseconds ttl) override;
  bool touch(std::string_view key, std::chrono::milliseconds ttl) override;
  void destroy(std::string_view key) override;
  std::size_t sweep() override;

  std::size_t size() const;      // records held, expired ones not yet swept included
  std::size_t evictions() const; // records evicted at the bound so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace httpstate::server
