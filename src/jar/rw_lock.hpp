#pragma once
// The jar's reader-writer lock: one atomic word, so an uncontended lock and unlock are one
// atomic operation each. std::shared_mutex (glibc's pthread_rwlock) cost a store ~16 ns of
// ~250 and a lookup ~5 of ~120, its writer lock and unlock several atomics each. Writers go
// first: once one waits, new readers wait too, so a stream of lookups cannot starve a store.
// Contended threads sleep in the kernel (std::atomic wait/notify, a futex on Linux).
// Meets Lockable and SharedLockable: use it with std::unique_lock and std::shared_lock.
#include <atomic>
#include <cstdint>

namespace httpstate::jar_detail {

class RwLock {
 public:
  RwLock() = default;
  RwLock(const RwLock&) = delete;
  RwLock& operator=(const RwLock&) = delete;

  void lock() noexcept {
    std::uint32_t free_state = 0;
    if (!state_.compare_exchange_strong(free_state, writer, std::memory_order_acquire)) lock_slow();
  }
  bool try_lock() noexcept {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    return (s & (writer | readers_mask)) == 0 &&
           state_.compare_exchange_strong(s, s | writer, std::memory_order_acquire);
  }
  void unlock() noexcept {
    state_.fetch_and(~writer, std::memory_order_seq_cst);
    wake();
  }

  void lock_shared() noexcept {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    if ((s & (writer | waiting_mask)) != 0 ||
        !state_.compare_exchange_strong(s, s + 1, std::memory_order_acquire))
      lock_shared_slow();
  }
  bool try_lock_shared() noexcept {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    return (s & (writer | waiting_mask)) == 0 &&
           state_.compare_exchange_strong(s, s + 1, std::memory_order_acquire);
  }
  void unlock_shared() noexcept {
    const std::uint32_t before = state_.fetch_sub(1, std::memory_order_seq_cst);
    // The last reader out lets a waiting writer in.
    if ((before & readers_mask) == 1 && (before & waiting_mask) != 0) wake();
  }

  // Whether a writer waits for the lock (for tests).
  bool writer_waiting() const noexcept { return (state_.load(std::memory_order_relaxed) & waiting_mask) != 0; }

 private:
  // The word: a writer holds it; how many writers wait (up to 32767 threads); how many readers
  // hold it (up to 65535 threads at once).
  static constexpr std::uint32_t writer = 1u << 31;
  static constexpr std::uint32_t waiting_one = 1u << 16;
  static constexpr std::uint32_t waiting_mask = 0x7FFFu << 16;
  static constexpr std::uint32_t readers_mask = waiting_one - 1;

  void lock_slow() noexcept {
    state_.fetch_add(waiting_one, std::memory_order_relaxed);  // new readers now hold off
    for (;;) {
      std::uint32_t s = state_.load(std::memory_order_relaxed);
      if ((s & (writer | readers_mask)) == 0) {
        if (state_.compare_exchange_weak(s, (s - waiting_one) | writer, std::memory_order_acquire)) return;
        continue;
      }
      sleep(s);
    }
  }

  void lock_shared_slow() noexcept {
    for (;;) {
      std::uint32_t s = state_.load(std::memory_order_relaxed);
      if ((s & (writer | waiting_mask)) == 0) {
        if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) return;
        continue;
      }
      sleep(s);
    }
  }

  // Sleeps while the word still reads `seen`. The sleeper count and the word are both
  // sequentially consistent, so either wake() sees the sleeper or the sleeper sees the change.
  void sleep(std::uint32_t seen) noexcept {
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    if (state_.load(std::memory_order_seq_cst) == seen) state_.wait(seen, std::memory_order_seq_cst);
    sleepers_.fetch_sub(1, std::memory_order_seq_cst);
  }

  void wake() noexcept {
    if (sleepers_.load(std::memory_order_seq_cst) != 0) state_.notify_all();
  }

  std::atomic<std::uint32_t> state_{0};
  std::atomic<std::uint32_t> sleepers_{0};
};

}  // namespace httpstate::jar_detail
