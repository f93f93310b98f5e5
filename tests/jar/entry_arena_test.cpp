// The jar's entry arena: blocks that never overlap, across chunks and size classes; a freed
// block serves the next entry of its class; large entries come from operator new; under ASan, a
// freed block may not be touched.
#include "entry_arena.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <vector>

namespace httpstate::jar_detail {
namespace {

struct Block {
  unsigned char* p;
  std::size_t size;
  unsigned char fill;
};

bool intact(const Block& b) {
  for (std::size_t i = 0; i < b.size; ++i)
    if (b.p[i] != b.fill) return false;
  return true;
}

TEST(EntryArena, BlocksStayApartAcrossChunksAndClasses) {
  EntryArena arena;
  std::mt19937 rng(7);
  std::vector<Block> live;
  // Over 1 MiB in all, so many chunks; sizes across every class and past max_block.
  for (int i = 0; i < 6000; ++i) {
    const std::size_t size = 1 + rng() % (EntryArena::max_block + 200);
    Block b{nullptr, size, static_cast<unsigned char>(i)};
    b.p = static_cast<unsigned char*>(arena.allocate(size));
    ASSERT_NE(b.p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b.p) % EntryArena::granule, 0u) << size;
    EXPECT_EQ(EntryArena::size_class(size) == 0, size > EntryArena::max_block) << size;
    std::memset(b.p, b.fill, size);
    live.push_back(b);
    if (rng() % 3 == 0) {  // free a random live block now and then
      const std::size_t k = rng() % live.size();
      ASSERT_TRUE(intact(live[k])) << k;
      arena.deallocate(live[k].p, live[k].size);
      live[k] = live.back();
      live.pop_back();
    }
  }
  // Every block still holds what was written to it: none was handed out twice.
  for (const Block& b : live) EXPECT_TRUE(intact(b));
  std::map<std::uintptr_t, std::size_t> by_address;
  for (const Block& b : live) by_address[reinterpret_cast<std::uintptr_t>(b.p)] = b.size;
  std::uintptr_t end = 0;
  for (const auto& [at, size] : by_address) {
    EXPECT_GE(at, end);
    end = at + size;
  }
  for (const Block& b : live) arena.deallocate(b.p, b.size);
}

TEST(EntryArena, AFreedBlockServesTheNextEntryOfItsClass) {
  EntryArena arena;
  void* a = arena.allocate(100);
  void* b = arena.allocate(300);
  EXPECT_NE(EntryArena::size_class(100), EntryArena::size_class(300));
  arena.deallocate(a, 100);
  void* c = arena.allocate(97);  // the same 16-byte class as 100
  EXPECT_EQ(EntryArena::size_class(97), EntryArena::size_class(100));
  EXPECT_EQ(c, a);
  void* d = arena.allocate(100);  // the class's list is empty again: a new block
  EXPECT_NE(d, a);
  EXPECT_NE(d, b);
  for (auto [p, bytes] : {std::pair{b, 300}, std::pair{c, 97}, std::pair{d, 100}}) arena.deallocate(p, bytes);
}

// As a container's allocator: growth through the size classes and past max_block keeps the
// elements; a move assignment takes the memory and the arena, into a default (arena-less) one.
TEST(ArenaAllocator, AVectorGrowsAndMovesWithItsArena) {
  EntryArena arena;
  std::vector<int, ArenaAllocator<int>> v{ArenaAllocator<int>(arena)};
  for (int i = 0; i < 2000; ++i) v.push_back(i);  // 8 KB at the end: past max_block
  std::vector<int, ArenaAllocator<int>> w;
  EXPECT_EQ(w.get_allocator().arena(), nullptr);
  w = std::move(v);
  EXPECT_EQ(w.get_allocator().arena(), &arena);
  ASSERT_EQ(w.size(), 2000u);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(w[static_cast<std::size_t>(i)], i);
  w.push_back(2000);
  EXPECT_EQ(w.back(), 2000);
}

#if HTTPSTATE_ASAN
TEST(EntryArenaDeathTest, AFreedBlockIsPoisoned) {
  EXPECT_DEATH(
      {
        EntryArena arena;
        auto* p = static_cast<volatile char*>(arena.allocate(64));
        arena.deallocate(const_cast<char*>(p), 64);
        p[20] = 'x';
      },
      "use-after-poison");
}
#endif

}  // namespace
}  // namespace httpstate::jar_detail
