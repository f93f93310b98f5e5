// The jar's reader-writer lock under threads (run under ASan+UBSan): a writer is alone, readers
// never meet a writer, and a stream of readers cannot keep a writer out. Threads start together
// on a latch, and every loop is bounded.
#include "rw_lock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

namespace httpstate::jar_detail {
namespace {

TEST(RwLock, WritersAreAloneAndReadersNeverMeetOne) {
  constexpr int threads = 8, ops = 20000;
  RwLock lock;
  std::latch start(threads);
  std::atomic<int> readers_in{0}, writers_in{0}, violations{0};
  long long a = 0, b = 0;  // written only under the writer's lock, always equal there after
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < ops; ++i) {
        if ((i + t) % 4 == 0) {
          std::unique_lock guard(lock);
          if (writers_in.fetch_add(1) != 0 || readers_in.load() != 0) ++violations;
          ++a;
          ++b;
          writers_in.fetch_sub(1);
        } else {
          std::shared_lock guard(lock);
          readers_in.fetch_add(1);
          if (writers_in.load() != 0 || a != b) ++violations;
          readers_in.fetch_sub(1);
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_EQ(a, threads * ops / 4);
  EXPECT_EQ(a, b);
}

// Readers share the lock and keep a writer out; once a writer waits, no new reader gets in
// (else a stream of lookups could keep a store out for good).
TEST(RwLock, AWaitingWriterGoesBeforeNewReaders) {
  RwLock lock;
  lock.lock_shared();
  EXPECT_FALSE(lock.try_lock());
  ASSERT_TRUE(lock.try_lock_shared());  // a second reader
  lock.unlock_shared();
  std::atomic<bool> wrote{false};
  std::thread writer([&] {
    std::unique_lock guard(lock);
    wrote = true;
  });
  for (int i = 0; i < 10'000'000 && !lock.writer_waiting(); ++i) std::this_thread::yield();
  ASSERT_TRUE(lock.writer_waiting());
  const bool reader_got_in = lock.try_lock_shared();
  if (reader_got_in) lock.unlock_shared();  // so that a failure does not also hang the writer
  EXPECT_FALSE(reader_got_in);  // held off: the writer comes first
  EXPECT_FALSE(wrote.load());
  lock.unlock_shared();
  writer.join();
  EXPECT_TRUE(wrote.load());
  EXPECT_TRUE(lock.try_lock_shared());
  lock.unlock_shared();
}

// Readers and writers at once, many times: every writer gets in, and the lock ends free.
TEST(RwLock, EveryWriterGetsInAmongReaders) {
  constexpr int readers = 4, writers = 2, ops = 5000;
  RwLock lock;
  std::latch start(readers + writers);
  std::atomic<int> writes{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < readers + writers; ++t) {
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < ops; ++i) {
        if (t < readers) {
          std::shared_lock guard(lock);
        } else {
          std::unique_lock guard(lock);
          ++writes;
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(writes.load(), writers * ops);
  EXPECT_TRUE(lock.try_lock());
  lock.unlock();
}

}  // namespace
}  // namespace httpstate::jar_detail
