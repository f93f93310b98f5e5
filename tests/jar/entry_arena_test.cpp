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
  std::uint8_t size_class;
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
    Block b{nullptr, size, 0, static_cast<unsigned char>(i)};
    b.p = static_cast<unsigned char*>(arena.allocate(size, b.size_class));
    ASSERT_NE(b.p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b.p) % EntryArena::granule, 0u) << size;
    EXPECT_EQ(b.size_class == 0, size > EntryArena::max_block) << size;
    std::memset(b.p, b.fill, size);
    live.push_back(b);
    if (rng() % 3 == 0) {  // free a random live block now and then
      const std::size_t k = rng() % live.size();
      ASSERT_TRUE(intact(live[k])) << k;
      arena.deallocate(live[k].p, live[k].size_class);
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
  for (const Block& b : live) arena.deallocate(b.p, b.size_class);
}

TEST(EntryArena, AFreedBlockServesTheNextEntryOfItsClass) {
  EntryArena arena;
  std::uint8_t a_class, b_class, c_class, d_class;
  void* a = arena.allocate(100, a_class);
  void* b = arena.allocate(300, b_class);
  EXPECT_NE(a_class, b_class);
  arena.deallocate(a, a_class);
  void* c = arena.allocate(97, c_class);  // the same 16-byte class as 100
  EXPECT_EQ(c_class, a_class);
  EXPECT_EQ(c, a);
  void* d = arena.allocate(100, d_class);  // the class's list is empty again: a new block
  EXPECT_NE(d, a);
  EXPECT_NE(d, b);
  for (auto [p, cls] : {std::pair{b, b_class}, std::pair{c, c_class}, std::pair{d, d_class}}) arena.deallocate(p, cls);
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
        std::uint8_t cls;
        auto* p = static_cast<volatile char*>(arena.allocate(64, cls));
        arena.deallocate(const_cast<char*>(p), cls);
        p[20] = 'x';
      },
      "use-after-poison");
}
#endif

}  // namespace
}  // namespace httpstate::jar_detail
