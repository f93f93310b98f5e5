#include "httpstate/server/memory_store.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace httpstate::server {
namespace {

struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view k) const noexcept { return std::hash<std::string_view>{}(k); }
};
struct KeyEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

struct Shard {
  std::mutex mutex;
  std::unordered_map<std::string, SessionRecord, KeyHash, KeyEq> map;
};

}  // namespace

struct MemorySessionStore::Impl {
  MemoryStoreOptions options;
  std::size_t per_shard;
  std::vector<Shard> shards;
  std::atomic<std::size_t> evictions{0};

  explicit Impl(MemoryStoreOptions o)
      : options(std::move(o)),
        per_shard(std::max<std::size_t>(1, (options.max_sessions + std::max<std::size_t>(1, options.shards) - 1) /
                                               std::max<std::size_t>(1, options.shards))),
        shards(std::max<std::size_t>(1, options.shards)) {}

  Shard& shard(std::string_view key) {
    // The hash's low bits pick the bucket inside the shard; the shard uses the next ones.
    return shards[(KeyHash{}(key) >> 8) % shards.size()];
  }
  std::int64_t now() const { return now_ms(options.clock); }
};

MemorySessionStore::MemorySessionStore() : MemorySessionStore(MemoryStoreOptions{}) {}
MemorySessionStore::MemorySessionStore(MemoryStoreOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
MemorySessionStore::~MemorySessionStore() = default;

bool MemorySessionStore::create(std::string_view key, const SessionRecord& record, std::chrono::milliseconds ttl) {
  auto& sh = impl_->shard(key);
  const auto now = impl_->now();
  std::lock_guard lock(sh.mutex);
  auto it = sh.map.find(key);
  if (it != sh.map.end()) {
    if (it->second.expires > now) return false;
    sh.map.erase(it);
  }
  if (sh.map.size() >= impl_->per_shard) {
    std::erase_if(sh.map, [now](const auto& kv) { return kv.second.expires <= now; });
    if (sh.map.size() >= impl_->per_shard) {
      auto oldest = std::min_element(sh.map.begin(), sh.map.end(), [](const auto& a, const auto& b) {
        return a.second.expires < b.second.expires;
      });
      sh.map.erase(oldest);
      impl_->evictions.fetch_add(1, std::memory_order_relaxed);
    }
  }
  auto& r = sh.map.emplace(std::string(key), record).first->second;
  r.expires = now + ttl.count();
  return true;
}

std::optional<SessionRecord> MemorySessionStore::load(std::string_view key) {
  auto& sh = impl_->shard(key);
  const auto now = impl_->now();
  std::lock_guard lock(sh.mutex);
  auto it = sh.map.find(key);
  if (it == sh.map.end() || it->second.expires <= now) return std::nullopt;
  return it->second;
}

SaveResult MemorySessionStore::save(std::string_view key, const SessionRecord& record,
                                    std::uint64_t expected_version, std::chrono::milliseconds ttl) {
  auto& sh = impl_->shard(key);
  const auto now = impl_->now();
  std::lock_guard lock(sh.mutex);
  auto it = sh.map.find(key);
  if (it == sh.map.end() || it->second.expires <= now) return SaveResult::gone;
  if (it->second.version != expected_version) return SaveResult::conflict;
  it->second = record;
  it->second.expires = now + ttl.count();
  return SaveResult::saved;
}

bool MemorySessionStore::touch(std::string_view key, std::chrono::milliseconds ttl) {
  auto& sh = impl_->shard(key);
  const auto now = impl_->now();
  std::lock_guard lock(sh.mutex);
  auto it = sh.map.find(key);
  if (it == sh.map.end() || it->second.expires <= now) return false;
  it->second.expires = now + ttl.count();
  return true;
}

void MemorySessionStore::destroy(std::string_view key) {
  auto& sh = impl_->shard(key);
  std::lock_guard lock(sh.mutex);
  auto it = sh.map.find(key);
  if (it != sh.map.end()) sh.map.erase(it);
}

std::size_t MemorySessionStore::sweep() {
  const auto now = impl_->now();
  std::size_t n = 0;
  for (auto& sh : impl_->shards) {
    std::lock_guard lock(sh.mutex);
    n += std::erase_if(sh.map, [now](const auto& kv) { return kv.second.expires <= now; });
  }
  return n;
}

std::size_t MemorySessionStore::size() const {
  std::size_t n = 0;
  for (auto& sh : impl_->shards) {
    std::lock_guard lock(sh.mutex);
    n += sh.map.size();
  }
  return n;
}

std::size_t MemorySessionStore::evictions() const { return impl_->evictions.load(std::memory_order_relaxed); }

}  // namespace httpstate::server
