#pragma once
// The jar's sites: the cookies of each registrable domain, in an open-addressing table keyed by
// that domain. A lookup probes two or three suffixes of its host, mostly missing:
// std::unordered_map cost ~200 instructions a probe and a node allocation per site, where
// this costs a hash and a compare.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bytes.hpp"
#include "entry.hpp"
#include "httpstate/url/host_hash.hpp"

namespace httpstate::jar_detail {

// The cookies of one registrable domain, always kept in §5.8.3 order so lookups never sort.
struct Site {
  std::string key;  // empty: a free slot of the table
  std::vector<Entry::Ptr> entries;
  // No entry expires before this (it may be earlier than the true minimum after removals): a
  // store's §5.7 sweep for expired cookies skips the site until then.
  Time next_expiry = Time::max();
};

// Linear probing with backward-shift deletion. The sites live in the slots, so that a probe
// reads its key (inline for most domains) from the slot it hashed to, and a new site costs no
// allocation of its own. Growing or erasing moves sites: a Site& lasts until the next change
// to the table.
class SiteIndex {
 public:
  Site* find(std::string_view key) {
    if (slots_.empty()) return nullptr;
    const std::uint64_t h = url::HostHash{}(key);
    const std::uint8_t want = tag(h);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint8_t t = tags_[i];
      if (t == 0) return nullptr;
      if (t != want) continue;
      Slot& s = slots_[i];
      if (s.hash != h) continue;
      // Most probes that get here find their site: ask for its entries now, so that this miss
      // overlaps the key's (a key of over 15 bytes lives apart from the slot).
      __builtin_prefetch(s.site.entries.data());
      if (equal(s.site.key, key)) return &s.site;
    }
  }

  // `key` must be absent and not empty.
  Site& insert(std::string_view key) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Slot slot{Site{std::string(key), {}}, url::HostHash{}(key)};
    // Most sites hold a few cookies: one allocation instead of growing 1, 2, 4.
    slot.site.entries.reserve(initial_entries);
    ++size_;
    return place(std::move(slot)).site;
  }

  void erase(const Site& site) {
    std::size_t i = url::HostHash{}(site.key) & mask_;
    while (&slots_[i].site != &site) i = (i + 1) & mask_;
    // Shift back the later members of the cluster that may not stay behind the hole.
    for (std::size_t j = (i + 1) & mask_; tags_[j] != 0; j = (j + 1) & mask_) {
      const std::size_t home = slots_[j].hash & mask_;
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        slots_[i] = std::move(slots_[j]);
        tags_[i] = tags_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    tags_[i] = 0;
    --size_;
  }

  // Drops the sites `pred` picks in one rebuild (erasing while iterating would shift slots).
  template <class Pred>
  void erase_if(Pred&& pred) {
    std::vector<Slot> old = std::move(slots_);
    slots_.clear();
    slots_.resize(old.size());
    tags_.assign(old.size(), 0);
    size_ = 0;
    for (Slot& s : old)
      if (!s.site.key.empty() && !pred(s.site)) {
        place(std::move(s));
        ++size_;
      }
  }

  template <class F>
  void for_each(F&& f) {
    for (Slot& s : slots_)
      if (!s.site.key.empty()) f(s.site);
  }

  bool empty() const { return size_ == 0; }

 private:
  static constexpr std::size_t initial_entries = 4;

  struct Slot {
    Site site;
    std::uint64_t hash = 0;
  };

  // The slot's tag: 7 bits of the hash (not those that pick the slot), high bit set; 0: free.
  static std::uint8_t tag(std::uint64_t hash) { return static_cast<std::uint8_t>(0x80 | (hash >> 57)); }

  Slot& place(Slot&& slot) {
    std::size_t i = slot.hash & mask_;
    while (tags_[i] != 0) i = (i + 1) & mask_;
    tags_[i] = tag(slot.hash);
    slots_[i] = std::move(slot);
    return slots_[i];
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.clear();
    slots_.resize(old.empty() ? 16 : old.size() * 2);
    tags_.assign(slots_.size(), 0);
    mask_ = slots_.size() - 1;
    for (Slot& s : old)
      if (!s.site.key.empty()) place(std::move(s));
  }

  std::vector<Slot> slots_;
  // One byte a slot, beside them: a probe that misses (most of a lookup's) reads these bytes,
  // which stay in cache, rather than a 64-byte slot that does not.
  std::vector<std::uint8_t> tags_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace httpstate::jar_detail
