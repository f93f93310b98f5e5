#include "httpstate/url/psl.hpp"

#include <libpsl.h>

#include <array>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

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

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// Sharded so that lookups from many threads rarely meet on one lock; each shard is bounded
// and simply emptied when full, since refilling costs one libpsl call per host.
class RegistrableDomainCache {
 public:
  static constexpr std::size_t shards = 16;
  static constexpr std::size_t max_entries_per_shard = 16384;

  std::string get(std::string_view host) {
    Shard& shard = shards_[StringHash{}(host) % shards];
    {
      std::shared_lock lock(shard.mutex);
      auto it = shard.map.find(host);
      if (it != shard.map.end()) return it->second;
    }
    std::string value = compute(host);
    std::unique_lock lock(shard.mutex);
    if (shard.map.size() >= max_entries_per_shard) shard.map.clear();
    shard.map.emplace(std::string(host), value);
    return value;
  }

 private:
  static std::string compute(std::string_view host) {
    if (is_ip_literal(host)) return std::string(host);
    std::string z(host);
    const char* reg = psl_registrable_domain(context(), z.c_str());
    return reg ? std::string(reg) : z;
  }

  struct Shard {
    std::shared_mutex mutex;
    std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> map;
  };
  std::array<Shard, shards> shards_;
};

}  // namespace

std::string registrable_domain(std::string_view host) {
  static RegistrableDomainCache cache;
  return cache.get(host);
}

bool is_public_suffix(std::string_view domain) {
  if (domain.empty() || is_ip_literal(domain)) return false;
  std::string z(domain);
  return psl_is_public_suffix(context(), z.c_str()) != 0;
}

}  // namespace httpstate::url
