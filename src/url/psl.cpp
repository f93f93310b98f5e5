#include "httpstate/url/psl.hpp"

#include <libpsl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>
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

// Sharded so that lookups from many threads rarely meet on one lock; each shard is bounded
// and simply emptied when full, since refilling costs one libpsl call per name. `Compute` is a
// pure function of the name.
template <class Value, Value (*Compute)(std::string_view)>
class PslCache {
 public:
  static constexpr std::size_t shards = 16;
  static constexpr std::size_t max_entries_per_shard = 16384;

  Value get(std::string_view name) {
    const std::uint64_t hash = HostHash{}(name);  // once: it picks the shard and the slot
    Shard& shard = shards_[(hash >> 56) % shards];  // high bits: the slots use the low ones
    {
      std::shared_lock lock(shard.mutex);
      if (const Slot* slot = shard.find(name, hash)) return slot->value;
    }
    const Value value = Compute(name);
    std::unique_lock lock(shard.mutex);
    shard.insert(name, hash, value);
    return value;
  }

 private:
  struct Slot {
    std::uint64_t tag = 0;  // the hash with its low bit set; 0 while the slot is free
    Value value{};
    std::string key;
  };

  // Open addressing, linear probing, at most half full: a hit is a tag compare and a key
  // compare in one slot, where std::unordered_map hashed again and chased a node.
  struct Shard {
    std::shared_mutex mutex;
    std::vector<Slot> slots;  // empty, or a power of two in size
    std::size_t size = 0;

    const Slot* find(std::string_view name, std::uint64_t hash) const noexcept {
      if (slots.empty()) return nullptr;
      const std::uint64_t tag = hash | 1;
      const std::size_t mask = slots.size() - 1;
      for (std::size_t i = (tag >> 1) & mask;; i = (i + 1) & mask) {
        const Slot& slot = slots[i];
        if (slot.tag == tag && slot.key == name) return &slot;
        if (slot.tag == 0) return nullptr;
      }
    }

    void insert(std::string_view name, std::uint64_t hash, Value value) {
      if (find(name, hash)) return;  // another thread stored it meanwhile
      if (size >= max_entries_per_shard) {
        slots.assign(slots.size(), Slot{});
        size = 0;
      }
      if (2 * (size + 1) > slots.size()) grow();
      place(Slot{hash | 1, value, std::string(name)});
      ++size;
    }

    void grow() {
      std::vector<Slot> old = std::exchange(slots, std::vector<Slot>(std::max<std::size_t>(64, 2 * slots.size())));
      for (Slot& slot : old)
        if (slot.tag != 0) place(std::move(slot));
    }

    void place(Slot&& slot) noexcept {
      const std::size_t mask = slots.size() - 1;
      std::size_t i = (slot.tag >> 1) & mask;  // as find(): the tag's low bit is always set
      while (slots[i].tag != 0) i = (i + 1) & mask;
      slots[i] = std::move(slot);
    }
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
