#pragma once
// A clock the tests move by hand, so timeouts are tested without sleeping.
#include <atomic>
#include <cstdint>
#include <memory>

#include "httpstate/server/clock.hpp"

namespace httpstate::server::testing {

struct FakeClock {
  std::shared_ptr<std::atomic<std::int64_t>> t = std::make_shared<std::atomic<std::int64_t>>(system_now_ms());
  Clock clock() const {
    return [t = t] { return t->load(); };
  }
  std::int64_t now() const { return t->load(); }
  void advance(std::int64_t ms) const { t->fetch_add(ms); }
};

}  // namespace httpstate::server::testing
