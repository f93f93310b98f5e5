#pragma once
// A cookie as the jar stores it: one allocation holding the fixed fields, then the domain,
// path, name, value and partition key (CHIPS; empty for most) back to back. A Cookie of four std::strings cost a store up to four
// allocations and a lookup up to four cache lines; the fields a lookup matches come first.
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string_view>

#include "bytes.hpp"
#include "entry_arena.hpp"
#include "httpstate/cookie/cookie.hpp"

namespace httpstate::jar_detail {

class Entry {
 public:
  struct Text {
    std::string_view name, value, domain, path, partition_key = {};
  };
  struct Deleter {
    void operator()(Entry* e) const noexcept {
      EntryArena& arena = *e->arena_;
      const std::size_t bytes = e->bytes();
      e->~Entry();
      arena.deallocate(e, bytes);
    }
  };
  using Ptr = std::unique_ptr<Entry, Deleter>;

  // From the jar's arena, which must outlive the entry. The attributes are left at their
  // defaults for the caller to set.
  static Ptr make(EntryArena& arena, const Text& t) {
    void* mem = arena.allocate(sizeof(Entry) + t.domain.size() + t.path.size() + t.name.size() + t.value.size() +
                               t.partition_key.size());
    return Ptr(new (mem) Entry(t, arena));
  }
  static Ptr make(EntryArena& arena, const Cookie& c) {
    Ptr e = make(arena, Text{c.name, c.value, c.domain, c.path, c.partition_key});
    e->expires = c.expires;
    e->creation = c.creation;
    e->access_us.store(c.last_access.time_since_epoch().count(), std::memory_order_relaxed);
    e->host_only = c.host_only;
    e->secure = c.secure;
    e->http_only = c.http_only;
    e->partitioned = c.partitioned;
    e->same_site = c.same_site;
    return e;
  }

  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;

  std::string_view domain() const noexcept { return {text(), domain_size_}; }
  std::string_view path() const noexcept { return {text() + domain_size_, path_size_}; }
  std::string_view name() const noexcept { return {text() + domain_size_ + path_size_, name_size_}; }
  std::string_view value() const noexcept {
    return {text() + domain_size_ + path_size_ + name_size_, value_size_};
  }
  std::string_view partition_key() const noexcept {
    return {text() + domain_size_ + path_size_ + name_size_ + value_size_, partition_size_};
  }

  bool expired(Time now) const noexcept { return expires && *expires <= now; }
  // §5.7 step 22: the identity that makes one cookie replace another.
  bool same_identity(std::string_view n, std::string_view d, std::string_view p, bool host) const noexcept {
    return host_only == host && equal(name(), n) && equal(domain(), d) && equal(path(), p);
  }
  Time last_access() const noexcept {
    return Time{std::chrono::microseconds{access_us.load(std::memory_order_relaxed)}};
  }

  Cookie snapshot() const {
    Cookie c;
    c.name = name();
    c.value = value();
    c.domain = domain();
    c.path = path();
    c.expires = expires;
    c.creation = creation;
    c.last_access = last_access();
    c.host_only = host_only;
    c.secure = secure;
    c.http_only = http_only;
    c.partitioned = partitioned;
    c.partition_key = partition_key();
    c.same_site = same_site;
    return c;
  }

  std::optional<Time> expires;  // nullopt: a session cookie
  Time creation{};
  std::atomic<std::int64_t> access_us{0};  // last access; lookups update it under a shared lock
  bool host_only = true;
  bool secure = false;
  bool http_only = false;
  bool partitioned = false;
  SameSite same_site = SameSite::unset;
  bool doomed = false;  // picked for eviction; set and erased under the exclusive lock

 private:
  Entry(const Text& t, EntryArena& arena)
      : partition_size_(static_cast<std::uint16_t>(t.partition_key.size())),
        arena_(&arena),
        domain_size_(static_cast<std::uint32_t>(t.domain.size())),
        path_size_(static_cast<std::uint32_t>(t.path.size())),
        name_size_(static_cast<std::uint32_t>(t.name.size())),
        value_size_(static_cast<std::uint32_t>(t.value.size())) {
    char* p = text();
    for (std::string_view s : {t.domain, t.path, t.name, t.value, t.partition_key}) {
      if (!s.empty()) std::memcpy(p, s.data(), s.size());
      p += s.size();
    }
  }
  ~Entry() = default;

  const char* text() const noexcept { return reinterpret_cast<const char*>(this + 1); }
  char* text() noexcept { return reinterpret_cast<char*>(this + 1); }
  std::size_t bytes() const noexcept {  // what make() allocated
    return sizeof(Entry) + std::size_t{domain_size_} + path_size_ + name_size_ + value_size_ + partition_size_;
  }

  // Declared first, so that it fills the padding after the flags: an Entry stays 64 bytes.
  std::uint16_t partition_size_;  // at most limits::max_partition_key_bytes
  EntryArena* arena_;
  std::uint32_t domain_size_, path_size_, name_size_, value_size_;
};

static_assert(sizeof(Entry) <= 64, "an Entry's fixed part fits one cache line");

}  // namespace httpstate::jar_detail
