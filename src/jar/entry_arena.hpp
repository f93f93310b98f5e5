#pragma once
// Memory for one jar's entries: blocks cut one after another from 64 KiB chunks, in 16-byte
// size classes, a freed block kept for the next entry of its class. malloc cost a store ~12 ns
// of ~270 in a jar being filled: glibc split the chunks that the last jar's frees had merged,
// and placed the entries apart. Not thread-safe: the jar calls it under its exclusive lock.
// The chunks go back when the jar is destroyed; until then a freed block waits for the next
// entry of its size class.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

// Freed and not yet handed out blocks are poisoned under ASan (GCC's macro, clang's feature).
#if defined(__SANITIZE_ADDRESS__)
#define HTTPSTATE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HTTPSTATE_ASAN 1
#endif
#endif
#if HTTPSTATE_ASAN
#include <sanitizer/asan_interface.h>
#define HTTPSTATE_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define HTTPSTATE_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define HTTPSTATE_POISON(p, n) ((void)(p), (void)(n))
#define HTTPSTATE_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace httpstate::jar_detail {

class EntryArena {
 public:
  static constexpr std::size_t granule = 16;      // the size classes' step, and the alignment
  static constexpr std::size_t max_block = 1024;  // larger entries come from operator new
  static constexpr std::size_t chunk_size = 64 * 1024;
  static_assert(granule >= alignof(std::max_align_t) || alignof(std::max_align_t) % granule == 0);

  EntryArena() = default;
  EntryArena(const EntryArena&) = delete;
  EntryArena& operator=(const EntryArena&) = delete;

  // The class of a block of `bytes`: 0 for those operator new serves.
  static constexpr std::size_t size_class(std::size_t bytes) noexcept {
    return bytes > max_block ? 0 : (bytes + granule - 1) / granule;
  }

  // A block of at least `bytes`, aligned to `granule`.
  void* allocate(std::size_t bytes) {
    const std::size_t cls = size_class(bytes);
    if (cls == 0) return ::operator new(bytes);
    const std::size_t size = cls * granule;
    if (FreeBlock* b = free_[cls]) {
      HTTPSTATE_UNPOISON(b, size);
      free_[cls] = b->next;
      return b;
    }
    if (static_cast<std::size_t>(end_ - next_) < size) {
      chunks_.push_back(std::make_unique_for_overwrite<Chunk>());  // not zeroed: 64 KiB a chunk
      next_ = chunks_.back()->bytes;
      end_ = next_ + chunk_size;
      HTTPSTATE_POISON(next_, chunk_size);  // the part not handed out yet
    }
    std::byte* p = next_;
    next_ += size;
    HTTPSTATE_UNPOISON(p, size);
    return p;
  }

  // A block from allocate(bytes), with the same `bytes` (its class follows from them).
  void deallocate(void* p, std::size_t bytes) noexcept {
    const std::size_t cls = size_class(bytes);
    if (cls == 0) {
      ::operator delete(p);
      return;
    }
    free_[cls] = ::new (p) FreeBlock{free_[cls]};
    HTTPSTATE_POISON(p, cls * granule);  // a use after free is an error under ASan
  }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  struct Chunk {
    alignas(granule) std::byte bytes[chunk_size];
  };

  std::vector<std::unique_ptr<Chunk>> chunks_;
  std::byte* next_ = nullptr;
  std::byte* end_ = nullptr;
  std::array<FreeBlock*, max_block / granule + 1> free_{};  // per class; [0] unused
};

// The arena as a standard allocator, for the jar's other containers (a site's list of entries).
// A default-constructed one has no arena: it serves only as an empty container's, and a move
// assignment replaces it along with the memory (propagate_on_container_move_assignment).
template <class T>
class ArenaAllocator {
 public:
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;

  ArenaAllocator() noexcept = default;
  explicit ArenaAllocator(EntryArena& arena) noexcept : arena_(&arena) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(other.arena()) {}

  T* allocate(std::size_t n) { return static_cast<T*>(arena_->allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { arena_->deallocate(p, n * sizeof(T)); }

  EntryArena* arena() const noexcept { return arena_; }
  friend bool operator==(const ArenaAllocator& a, const ArenaAllocator& b) noexcept { return a.arena_ == b.arena_; }

 private:
  EntryArena* arena_ = nullptr;
};

}  // namespace httpstate::jar_detail
