#pragma once
// The SessionStore contract (session_store.hpp), one typed suite every keyed store passes.
// A Traits type gives: make() (an empty store on the traits' clock), clock (a FakeClock),
// real_time (the store keeps its own time, as Redis does) and sweeps (sweep() counts).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "fake_clock.hpp"
#include "httpstate/server/session_store.hpp"

namespace httpstate::server::testing {

using namespace std::chrono_literals;

inline std::string test_key(int i) {
  std::string k = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
  k += std::to_string(1000 + i);
  return k;
}

template <class Traits>
class StoreContract : public ::testing::Test {
 protected:
  Traits traits;
  std::shared_ptr<SessionStore> store = traits.make();

  SessionRecord record(std::string data, std::uint64_t version = 1) const {
    return SessionRecord{std::move(data), version, traits.clock.now(), 0};
  }
  // Lets `key`'s ttl pass: the fake clock moves, or (real time) we wait for the store to drop
  // it, a bounded number of times.
  void let_expire(std::chrono::milliseconds ttl, std::string_view key) {
    if (!Traits::real_time) {
      traits.clock.advance(ttl.count() + 1);
      return;
    }
    for (int i = 0; i < 500 && store->load(key); ++i) std::this_thread::sleep_for(10ms);
  }
  std::chrono::milliseconds short_ttl() const { return Traits::real_time ? 150ms : 1000ms; }
};

TYPED_TEST_SUITE_P(StoreContract);

TYPED_TEST_P(StoreContract, CreateIsIfAbsentAndLoadGivesTheRecordBack) {
  auto& st = *this->store;
  const auto k = test_key(1);
  EXPECT_FALSE(st.load(k));
  const auto before = this->traits.clock.now();
  ASSERT_TRUE(st.create(k, this->record(R"({"a":1})"), 60s));
  EXPECT_FALSE(st.create(k, this->record(R"({"b":2})"), 60s));
  auto r = st.load(k);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->data, R"({"a":1})");
  EXPECT_EQ(r->version, 1u);
  EXPECT_EQ(r->created, this->record("").created);
  // The store sets the expiry from the ttl, on its own clock.
  if (!TypeParam::real_time) {
    EXPECT_EQ(r->expires, before + 60000);
  } else {
    EXPECT_GE(r->expires, before + 59000);
    EXPECT_LE(r->expires, system_now_ms() + 60000);
  }
  EXPECT_FALSE(st.load(test_key(2)));
}

TYPED_TEST_P(StoreContract, SaveIsCompareAndSwap) {
  auto& st = *this->store;
  const auto k = test_key(1);
  ASSERT_TRUE(st.create(k, this->record("{}"), 60s));
  EXPECT_EQ(st.save(k, this->record(R"({"n":1})", 2), 1, 60s), SaveResult::saved);
  EXPECT_EQ(st.save(k, this->record(R"({"n":"stale"})", 2), 1, 60s), SaveResult::conflict);
  EXPECT_EQ(st.save(k, this->record(R"({"n":"future"})", 9), 5, 60s), SaveResult::conflict);
  auto r = st.load(k);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->data, R"({"n":1})");
  EXPECT_EQ(r->version, 2u);
  EXPECT_EQ(st.save(k, this->record(R"({"n":2})", 3), 2, 60s), SaveResult::saved);
  EXPECT_EQ(st.load(k)->version, 3u);
}

TYPED_TEST_P(StoreContract, SaveTouchOnAMissingRecordSayGone) {
  auto& st = *this->store;
  const auto k = test_key(1);
  EXPECT_EQ(st.save(k, this->record("{}", 2), 1, 60s), SaveResult::gone);
  EXPECT_FALSE(st.touch(k, 60s));
  ASSERT_TRUE(st.create(k, this->record("{}"), 60s));
  st.destroy(k);
  st.destroy(k);  // absent is fine
  EXPECT_FALSE(st.load(k));
  EXPECT_EQ(st.save(k, this->record("{}", 2), 1, 60s), SaveResult::gone);
  EXPECT_FALSE(st.touch(k, 60s));
  EXPECT_FALSE(st.load(k)) << "save and touch never resurrect a record";
}

TYPED_TEST_P(StoreContract, RecordsExpireAfterTheirTtl) {
  auto& st = *this->store;
  const auto k = test_key(1);
  const auto ttl = this->short_ttl();
  ASSERT_TRUE(st.create(k, this->record("{}"), ttl));
  ASSERT_TRUE(st.load(k));
  this->let_expire(ttl, k);
  EXPECT_FALSE(st.load(k));
  EXPECT_FALSE(st.touch(k, 60s));
  EXPECT_EQ(st.save(k, this->record("{}", 2), 1, 60s), SaveResult::gone);
  EXPECT_TRUE(st.create(k, this->record(R"({"again":true})"), 60s)) << "an expired key is absent";
  EXPECT_EQ(st.load(k)->data, R"({"again":true})");
}

TYPED_TEST_P(StoreContract, TouchExtendsTheExpiry) {
  auto& st = *this->store;
  const auto k = test_key(1);
  ASSERT_TRUE(st.create(k, this->record("{}"), 10s));
  const auto first = st.load(k)->expires;
  this->traits.clock.advance(5000);
  ASSERT_TRUE(st.touch(k, 600s));
  const auto r = st.load(k);
  ASSERT_TRUE(r);
  EXPECT_GE(r->expires, first + 500000);
  EXPECT_EQ(r->data, "{}") << "touch keeps the data";
  EXPECT_EQ(r->version, 1u) << "touch keeps the version";
  if (!TypeParam::real_time) {
    this->traits.clock.advance(20000);  // past the first ttl, within the touched one
    EXPECT_TRUE(st.load(k));
  }
}

TYPED_TEST_P(StoreContract, SaveSetsANewTtl) {
  auto& st = *this->store;
  const auto k = test_key(1);
  ASSERT_TRUE(st.create(k, this->record("{}"), 10s));
  const auto first = st.load(k)->expires;
  ASSERT_EQ(st.save(k, this->record(R"({"x":1})", 2), 1, 600s), SaveResult::saved);
  EXPECT_GE(st.load(k)->expires, first + 500000);
}

TYPED_TEST_P(StoreContract, SweepDropsExpiredRecordsOnly) {
  auto& st = *this->store;
  const auto ttl = this->short_ttl();
  ASSERT_TRUE(st.create(test_key(1), this->record("{}"), ttl));
  ASSERT_TRUE(st.create(test_key(2), this->record("{}"), ttl));
  ASSERT_TRUE(st.create(test_key(3), this->record("{}"), 600s));
  this->let_expire(ttl, test_key(1));
  this->let_expire(ttl, test_key(2));
  const auto n = st.sweep();
  if (TypeParam::sweeps) {
    EXPECT_EQ(n, 2u);
  }
  EXPECT_FALSE(st.load(test_key(1)));
  EXPECT_FALSE(st.load(test_key(2)));
  EXPECT_TRUE(st.load(test_key(3)));
  EXPECT_EQ(st.sweep(), 0u);
}

TYPED_TEST_P(StoreContract, DataOfAnyShapeRoundTrips) {
  auto& st = *this->store;
  const std::string odd = R"({"q":"\"quoted\" | pipes | nul \u0000","u":"Zoë 🍪","n":[1,2,{"x":null}]})";
  std::string big = R"({"blob":")" + std::string(200000, 'x') + R"("})";
  ASSERT_TRUE(st.create(test_key(1), this->record(odd), 60s));
  ASSERT_TRUE(st.create(test_key(2), this->record(big), 60s));
  EXPECT_EQ(st.load(test_key(1))->data, odd);
  EXPECT_EQ(st.load(test_key(2))->data, big);
}

TYPED_TEST_P(StoreContract, ConcurrentSavesOfOneVersionHaveOneWinner) {
  auto& st = *this->store;
  const auto k = test_key(1);
  ASSERT_TRUE(st.create(k, this->record("{}"), 60s));
  for (std::uint64_t round = 1; round <= 5; ++round) {
    std::atomic<int> saved{0}, conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        const auto r = st.save(k, this->record("{\"by\":" + std::to_string(t) + "}", round + 1), round, 60s);
        (r == SaveResult::saved ? saved : conflicts)++;
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(saved.load(), 1) << "round " << round;
    EXPECT_EQ(conflicts.load(), 7);
    EXPECT_EQ(st.load(k)->version, round + 1);
  }
}

TYPED_TEST_P(StoreContract, ManyKeysFromManyThreads) {
  auto& st = *this->store;
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const auto k = test_key(t * 100 + i);
        if (!st.create(k, this->record("{\"i\":" + std::to_string(i) + "}"), 60s)) ++bad;
        if (st.save(k, this->record("{}", 2), 1, 60s) != SaveResult::saved) ++bad;
        if (!st.touch(k, 60s)) ++bad;
        if (i % 2) st.destroy(k);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_TRUE(st.load(test_key(0)));
  EXPECT_FALSE(st.load(test_key(1)));
  EXPECT_EQ(st.load(test_key(348))->version, 2u);
}

REGISTER_TYPED_TEST_SUITE_P(StoreContract, CreateIsIfAbsentAndLoadGivesTheRecordBack, SaveIsCompareAndSwap,
                            SaveTouchOnAMissingRecordSayGone, RecordsExpireAfterTheirTtl, TouchExtendsTheExpiry,
                            SaveSetsANewTtl, SweepDropsExpiredRecordsOnly, DataOfAnyShapeRoundTrips,
                            ConcurrentSavesOfOneVersionHaveOneWinner, ManyKeysFromManyThreads);

}  // namespace httpstate::server::testing
