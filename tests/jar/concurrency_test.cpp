// Many threads storing, looking up and removing on one jar at once (run under ASan+UBSan).
// Threads start together on a latch and each does a bounded number of operations.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "httpstate/jar/cookie_jar.hpp"

namespace httpstate {
namespace {

constexpr int threads = 8;
constexpr int ops = 400;

TEST(ConcurrencyTest, StoresAndLookupsFromManyThreads) {
  CookieJar jar;
  std::latch start(threads);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      const std::string own = "https://t" + std::to_string(t) + ".example.com/";
      for (int i = 0; i < ops; ++i) {
        // Each thread's own host-only cookie, plus a domain cookie every thread fights over.
        jar.store(own, "mine=" + std::to_string(i));
        jar.store(own, "shared=" + std::to_string(t) + "; Domain=example.com");
        // Both always go, in whichever creation order the race produced.
        std::string h = jar.cookie_header(own);
        const std::string mine = "mine=" + std::to_string(i);
        if (h != mine + "; shared=" + h.substr(h.rfind('=') + 1) && !(h.starts_with("shared=") && h.ends_with("; " + mine)))
          ++mismatches;
        jar.cookies_for("https://example.com/");
        if (i % 50 == 0) jar.all();
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(jar.size(), static_cast<std::size_t>(threads) + 1);
  for (int t = 0; t < threads; ++t)
    EXPECT_NE(jar.cookie_header("https://t" + std::to_string(t) + ".example.com/")
                  .find("mine=" + std::to_string(ops - 1)),
              std::string::npos);
}

TEST(ConcurrencyTest, RemovalsRaceWithStoresAndLookups) {
  CookieJar jar;
  std::latch start(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < ops; ++i) {
        const std::string url = "https://s" + std::to_string(i % 20) + ".org/";
        switch (t % 4) {
          case 0: jar.store(url, "t" + std::to_string(t) + "=" + std::to_string(i) + "; Max-Age=1000"); break;
          case 1: jar.cookie_header(url); break;
          case 2: if (i % 10 == 0) jar.clear_domain("s" + std::to_string(i % 20) + ".org"); break;
          case 3: if (i % 25 == 0) jar.purge_expired(); else jar.size(); break;
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  // Whatever survived is consistent: every listed cookie is found by a lookup of its site.
  for (const Cookie& c : jar.all())
    EXPECT_NE(jar.cookie_header("https://" + c.domain + "/").find(c.name + "="), std::string::npos) << c.name;
  EXPECT_LE(jar.size(), 2u * 20u);
}

// The persistent store hears every access, one call at a time, even from concurrent lookups.
struct CountingStore : PersistentStore {
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  int adds = 0, accesses = 0;
  void on_add(const Cookie&) override { ++adds; }
  void on_remove(const Cookie&) override {}
  void on_access(const Cookie&) override {
    if (inside.fetch_add(1) != 0) ++overlaps;
    ++accesses;
    inside.fetch_sub(1);
  }
};

TEST(ConcurrencyTest, PersistentStoreCallbacksAreSerialised) {
  CookieJar jar;
  CountingStore store;
  jar.set_persistent_store(&store);
  jar.store("https://example.com/", "a=1");
  std::latch start(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < ops; ++i) jar.cookie_header("https://example.com/");
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(store.adds, 1);
  EXPECT_EQ(store.accesses, threads * ops);
  EXPECT_EQ(store.overlaps.load(), 0);
}

}  // namespace
}  // namespace httpstate
