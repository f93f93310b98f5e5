#pragma once
// The time source of the manager and the stores: injectable, so expiry is tested without sleeps.
#include <chrono>
#include <cstdint>
#include <functional>

namespace httpstate::server {

// Unix time in milliseconds; an empty Clock means the system clock.
using Clock = std::function<std::int64_t()>;

inline std::int64_t system_now_ms() noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline std::int64_t now_ms(const Clock& clock) { return clock ? clock() : system_now_ms(); }

}  // namespace httpstate::server
