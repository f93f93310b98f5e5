#pragma once
// The jar's sites: the cookies of each registrable domain, in an open-addressing table keyed by
// that domain. A lookup probes two or three suffixes of its host, mostly missing:
// std::unordered_map cost ~200 instructions a probe and a node allocation per site, where
// this costs a hash and a compare.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "bytes.hpp"
#include "entry.hpp"
#include "entry_arena.hpp"
#include "httpstate/url/host_hash.hpp"

namespace httpstate::jar_detail {

// The cookies of one registrable domain, always kept in §5.8.3 order so lookups never sort.
// The key's bytes and the list come from the jar's arena, like its entries: a std::string and a
// plain vector cost a new site one or two mallocs, and left no room in a slot for the arena.
class Site {
 public:
  using Entries = std::vector<Entry::Ptr, ArenaAllocator<Entry::Ptr>>;

  Site() = default;  // an empty slot's
  Site(std::string_view key, EntryArena& arena) : entries(ArenaAllocator<Entry::Ptr>(arena)) {
    char* bytes = static_cast<char*>(arena.allocate(key.size()));
    std::memcpy(bytes, key.data(), key.size());
    key_ = bytes;
    key_size_ = key.size();
  }
  Site(Site&& other) noexcept { *this = std::move(other); }
  Site& operator=(Site&& other) noexcept {
    if (this != &other) {
      release_key();
      entries = std::move(other.entries);  // takes the other's arena too
      next_expiry = other.next_expiry;
      key_ = std::exchange(other.key_, nullptr);
      key_size_ = std::exchange(other.key_size_, 0);
    }
    return *this;
  }
  ~Site() { release_key(); }

  std::string_view key() const noexcept { return {key_, key_size_}; }  // the registrable domain

  Entries entries;
  // No entry expires before this (it may be earlier than the true minimum after removals): a
  // store's §5.7 sweep for expired cookies skips the site until then.
  Time next_expiry = Time::max();

 private:
  void release_key() noexcept {
    if (key_ != nullptr) entries.get_allocator().arena()->deallocate(const_cast<char*>(key_), key_size_);
    key_ = nullptr;
    key_size_ = 0;
  }

  const char* key_ = nullptr;
  std::size_t key_size_ = 0;
};

// Linear probing with backward-shift deletion. The sites live in the slots, one cache line
// each, so that a probe reads the site it hashed to in one miss (and its key in the arena), and
// a new site needs no allocation of its own. A tag byte per slot lives apart, so that the probes
// that miss (most of a lookup's) read memory that stays in cache. Growing or erasing
// moves sites: a Site& lasts until the next change to the table.
class SiteIndex {
 public:
  // Sites take their memory from `arena`, which must outlive the index.
  explicit SiteIndex(EntryArena& arena) noexcept : arena_(&arena) {}

  Site* find(std::string_view key) {
    if (slots_.empty()) return nullptr;
    const std::uint64_t h = url::HostHash{}(key);
    const std::uint8_t want = tag(h);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint8_t t = tags_[i];
      if (t == free) return nullptr;
      if (t != want) continue;
      Site& s = slots_[i];
      // Most probes that get here find their site: ask for its entries now, so that this miss
      // overlaps the key's (which lies in the arena).
      __builtin_prefetch(s.entries.data());
      if (equal(s.key(), key)) return &s;
    }
  }

  // `key` must be absent and not empty.
  Site& insert(std::string_view key) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Site site(key, *arena_);
    // Most sites hold a few cookies: one allocation instead of growing 1, 2, 4.
    site.entries.reserve(initial_entries);
    ++size_;
    return place(std::move(site), url::HostHash{}(key));
  }

  void erase(const Site& site) {
    std::size_t i = static_cast<std::size_t>(static_cast<const Slot*>(&site) - slots_.data());
    // Shift back the later members of the cluster that may not stay behind the hole.
    for (std::size_t j = (i + 1) & mask_; tags_[j] != free; j = (j + 1) & mask_) {
      const std::size_t home = url::HostHash{}(slots_[j].key()) & mask_;
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        slots_[i] = std::move(slots_[j]);
        tags_[i] = tags_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    tags_[i] = free;
    --size_;
  }

  // Drops the sites `pred` picks in one rebuild (erasing while iterating would shift slots).
  template <class Pred>
  void erase_if(Pred&& pred) {
    rebuild(slots_.size(), [&](const Site& s) { return !pred(s); });
  }

  template <class F>
  void for_each(F&& f) {
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (tags_[i] != free) f(slots_[i]);
  }

  bool empty() const { return size_ == 0; }

 private:
  static constexpr std::size_t initial_entries = 4;
  static constexpr std::uint8_t free = 0;

  // 7 bits of the hash (not those that pick the slot) with the high bit set, so never `free`.
  static std::uint8_t tag(std::uint64_t h) { return static_cast<std::uint8_t>(0x80 | (h >> 57)); }

  // A site on a cache line of its own: its list of entries and its expiry are one miss.
  struct alignas(64) Slot : Site {};

  Site& place(Site&& site, std::uint64_t h) {
    std::size_t i = h & mask_;
    while (tags_[i] != free) i = (i + 1) & mask_;
    tags_[i] = tag(h);
    slots_[i] = Slot{std::move(site)};
    return slots_[i];
  }

  // Moves the sites `keep` accepts into a new table of `size` slots.
  template <class Keep>
  void rebuild(std::size_t size, Keep&& keep) {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(size));
    std::vector<std::uint8_t> old_tags = std::exchange(tags_, std::vector<std::uint8_t>(size, free));
    mask_ = size - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old.size(); ++i)
      if (old_tags[i] != free && keep(old[i])) {
        place(std::move(old[i]), url::HostHash{}(old[i].key()));
        ++size_;
      }
  }

  void grow() {
    rebuild(slots_.empty() ? 16 : slots_.size() * 2, [](const Site&) { return true; });
  }

  EntryArena* arena_;
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> tags_;  // per slot: tag() of its site's hash, or `free`
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace httpstate::jar_detail
