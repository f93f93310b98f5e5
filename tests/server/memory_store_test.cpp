// The memory store: the store contract, the manager suite, and what happens at its bound.
#include "httpstate/server/memory_store.hpp"

#include <gtest/gtest.h>

#include "manager_contract.hpp"
#include "store_contract.hpp"

namespace httpstate::server::testing {
namespace {

struct MemoryTraits {
  static constexpr bool real_time = false;
  static constexpr bool sweeps = true;
  static constexpr bool keyed = true;
  static constexpr bool cas = true;
  static constexpr int transactions_per_thread = 50;
  FakeClock clock;
  std::shared_ptr<SessionStore> make() {
    return std::make_shared<MemorySessionStore>(MemoryStoreOptions{.clock = clock.clock()});
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Memory, StoreContract, MemoryTraits);
INSTANTIATE_TYPED_TEST_SUITE_P(Memory, ManagerContract, MemoryTraits);

TEST(MemoryStore, AtTheBoundTheSessionClosestToItsExpiryIsEvicted) {
  FakeClock clock;
  MemorySessionStore store({.max_sessions = 3, .shards = 1, .clock = clock.clock()});
  const SessionRecord r{"{}", 1, clock.now(), 0};
  ASSERT_TRUE(store.create(test_key(1), r, 10min));
  ASSERT_TRUE(store.create(test_key(2), r, 30min));
  ASSERT_TRUE(store.create(test_key(3), r, 20min));
  EXPECT_EQ(store.size(), 3u);
  ASSERT_TRUE(store.create(test_key(4), r, 30min)) << "a new session always gets in";
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(store.evictions(), 1u);
  EXPECT_FALSE(store.load(test_key(1))) << "the one closest to its expiry left";
  EXPECT_TRUE(store.load(test_key(2)));
  EXPECT_TRUE(store.load(test_key(3)));
  EXPECT_TRUE(store.load(test_key(4)));
  // Expired records go first, without counting as evictions.
  clock.advance(25 * 60 * 1000);  // 3 (20 min) has expired
  ASSERT_TRUE(store.create(test_key(5), r, 30min));
  EXPECT_EQ(store.evictions(), 1u);
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.load(test_key(3)));
  EXPECT_TRUE(store.load(test_key(2)));
  EXPECT_TRUE(store.load(test_key(5)));
}

TEST(MemoryStore, TheBoundHoldsAcrossShards) {
  MemorySessionStore store({.max_sessions = 64, .shards = 8});
  const SessionRecord r{"{}", 1, system_now_ms(), 0};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(store.create(test_key(i), r, 10min));
  EXPECT_LE(store.size(), 64u);
  EXPECT_GE(store.evictions(), 1000u - 64u);
}

TEST(MemoryStore, TouchedSessionsOutliveIdleOnesAtTheBound) {
  FakeClock clock;
  auto store = std::make_shared<MemorySessionStore>(MemoryStoreOptions{.max_sessions = 2, .shards = 1, .clock = clock.clock()});
  SessionManager mgr({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h, .clock = clock.clock()}, store);
  auto start = [&](int n) {
    Session s = mgr.load("");
    s.data()["n"] = n;
    return cookie_pair(*mgr.commit(s));
  };
  const auto a = start(1), b = start(2);
  clock.advance(5 * 60 * 1000);
  Session ra = mgr.load(a);
  ASSERT_FALSE(mgr.commit(ra));  // touched: a now expires after b
  const auto c = start(3);
  EXPECT_FALSE(mgr.load(a).is_new());
  EXPECT_TRUE(mgr.load(b).is_new()) << "the idle one was evicted";
  EXPECT_FALSE(mgr.load(c).is_new());
}

}  // namespace
}  // namespace httpstate::server::testing
