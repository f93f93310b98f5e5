#include "httpstate/url/psl.hpp"

#include <libpsl.h>

#include <array>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

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
    Shard& shard = shards_[(HostHash{}(name) >> 56) % shards];  // high bits: buckets use the low
    {
      std::shared_lock lock(shard.mutex);
      auto it = shard.map.find(name);
      if (it != shard.map.end()) return it->second;
    }
    const Value value = Compute(name);
    std::unique_lock lock(shard.mutex);
    if (shard.map.size() >= max_entries_per_shard) shard.map.clear();
    shard.map.emplace(std::string(name), value);
    return value;
  }

 private:
  struct Shard {
    std::shared_mutex mutex;
    std::unordered_map<std::string, Value, HostHash, std::equal_to<>> map;
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
