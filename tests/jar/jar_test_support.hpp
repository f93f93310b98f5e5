#pragma once
// A jar on a clock the test moves by hand, so expiry and access times are exact.
#include <gtest/gtest.h>

#include "httpstate/jar/cookie_jar.hpp"

namespace httpstate::test {

// 2027-01-15T08:00:00Z: inside the 400-day window of every fixed date the tests write.
inline constexpr std::int64_t t0_seconds = 1'800'000'000;

class JarTest : public ::testing::Test {
 protected:
  JarTest() {
    jar_.set_clock([this] { return now_; });
  }
  void advance(std::chrono::microseconds d) { now_ += d; }
  const Cookie& only_cookie() {
    cookies_ = jar_.all();
    EXPECT_EQ(cookies_.size(), 1u);
    if (cookies_.empty()) cookies_.emplace_back();
    return cookies_.front();
  }

  Time now_ = from_unix_seconds(t0_seconds);
  CookieJar jar_;
  std::vector<Cookie> cookies_;
};

}  // namespace httpstate::test
