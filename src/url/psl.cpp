#include "httpstate/url/psl.hpp"

#include <libpsl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "httpstate/url/host_hash.hpp"

namespace httpstate::url {
namespace {

// The newest list on the machine: Debian's publicsuffix package, or libpsl's built-in copy.
const psl_ctx_t* context() {
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest ? latest : psl_builtin();
  }();
  return ctx;
}

bool is_ip_literal(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;
  for (char c : host) {
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  }
  return !host.empty();
}

// Names and their answers, bounded and simply emptied when full, since refilling costs one
// libpsl call per name. Open addressing, linear probing, at most half full: a hit is a tag
// compare and a key compare in one slot, where std::unordered_map hashed again and chased a
// node. Not thread-safe.
template <class Value>
class AnswerTable {
 public:
  explicit AnswerTable(std::size_t max_entries) noexcept : max_entries_(max_entries) {}

  // `tag` is the name's HostHash with its low bit set (0 marks a free slot).
  const Value* find(std::string_view name, std::uint64_t tag) const noexcept {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = (tag >> 1) & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.tag == tag && slot.key == name) return &slot.value;
      if (slot.tag == 0) return nullptr;
    }
  }

  void insert(std::string_view name, std::uint64_t tag, Value value) {
    if (find(name, tag)) return;  // a shared table's: another thread stored it meanwhile
    if (size_ >= max_entries_) {
      slots_.assign(slots_.size(), Slot{});
      size_ = 0;
    }
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(Slot{tag, value, std::string(name)});
    ++size_;
  }

 private:
  struct Slot {
    std::uint64_t tag = 0;
    Value value{};
    std::string key;
  };

  void grow() {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(std::max<std::size_t>(64, 2 * slots_.size())));
    for (Slot& slot : old)
      if (slot.tag != 0) place(std::move(slot));
  }

  void place(Slot&& slot) noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = (slot.tag >> 1) & mask;  // as find()
    while (slots_[i].tag != 0) i = (i + 1) & mask;
    slots_[i] = std::move(slot);
  }

  std::size_t max_entries_;
  std::vector<Slot> slots_;  // empty, or a power of two in size
  std::size_t size_ = 0;
};

// Two levels. Each thread first asks a small table of its own, without a lock: a shared
// table's reader lock cost a store two atomic operations, ~12 ns of ~290. Its misses go to a
// table all threads share, sharded so that they rarely meet on one lock, and large enough for
// a crawl's hosts (the scale workload's 244k), whose misses call libpsl. `Compute` is a pure
// function of the name.
template <class Value, Value (*Compute)(std::string_view)>
class PslCache {
 public:
  static constexpr std::size_t per_thread = 8192;
  static constexpr std::size_t shards = 16;
  static constexpr std::size_t per_shard = 16384;

  Value get(std::string_view name) {
    const std::uint64_t hash = HostHash{}(name);  // once: it picks the shard and the slot
    const std::uint64_t tag = hash | 1;
    thread_local AnswerTable<Value> mine(per_thread);
    if (const Value* v = mine.find(name, tag)) return *v;
    Shard& shard = shards_[(hash >> 56) % shards];  // high bits: the slots use the low ones
    std::optional<Value> value;
    {
      std::shared_lock lock(shard.mutex);
      if (const Value* v = shard.table.find(name, tag)) value = *v;
    }
    if (!value) {
      value = Compute(name);
      std::unique_lock lock(shard.mutex);
      shard.table.insert(name, tag, *value);
    }
    mine.insert(name, tag, *value);
    return *value;
  }

 private:
  struct Shard {
    std::shared_mutex mutex;
    AnswerTable<Value> table{per_shard};
  };
  std::array<Shard, shards> shards_;
};

// The registrable domain as the offset of its first byte in `host`: psl_registrable_domain
// answers with a pointer into its argument, a suffix of the host.
std::size_t registrable_domain_offset(std::string_view host) {
  if (is_ip_literal(host)) return 0;
  std::string z(host);
  const char* reg = psl_registrable_domain(context(), z.c_str());
  return reg ? static_cast<std::size_t>(reg - z.c_str()) : 0;
}

bool compute_is_public_suffix(std::string_view domain) {
  if (domain.empty() || is_ip_literal(domain)) return false;
  std::string z(domain);
  return psl_is_public_suffix(context(), z.c_str()) != 0;
}

}  // namespace

std::string registrable_domain(std::string_view host) { return std::string(registrable_domain_view(host)); }

std::string_view registrable_domain_view(std::string_view host) {
  static PslCache<std::size_t, registrable_domain_offset> cache;
  return host.substr(cache.get(host));
}

bool is_public_suffix(std::string_view domain) {
  // Cached too: the jar asks it for every Domain attribute equal to a registrable domain host.
  static PslCache<bool, compute_is_public_suffix> cache;
  return cache.get(domain);
}

}  // namespace httpstate::url
