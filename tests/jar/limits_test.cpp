// Limits and Chromium-like eviction: 180 per registrable domain, 3300 in total, purged down to
// limit - slack; expired first, then non-secure before secure, then least recently accessed.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "httpstate/cookie/limits.hpp"
#include "httpstate/jar/cookie_jar.hpp"
#include "jar/jar_test_support.hpp"

namespace httpstate {
namespace {

using namespace std::chrono_literals;
using test::JarTest;
using LimitsTest = JarTest;

constexpr std::size_t per_site = limits::max_cookies_per_site;
constexpr std::size_t site_target = limits::max_cookies_per_site - limits::purge_slack_per_site;
constexpr std::size_t total_target = limits::max_cookies_total - limits::purge_slack_total;

std::set<std::string> names(const std::vector<Cookie>& cookies) {
  std::set<std::string> out;
  for (const Cookie& c : cookies) out.insert(c.name);
  return out;
}

TEST_F(LimitsTest, SiteOverItsLimitIsPurgedDownToLimitMinusSlack) {
  for (std::size_t i = 0; i < per_site; ++i) {
    jar_.store("https://www.example.com/", "c" + std::to_string(i) + "=v");
    advance(1s);
  }
  EXPECT_EQ(jar_.size(), per_site);
  jar_.store("https://www.example.com/", "straw=v");
  EXPECT_EQ(jar_.size(), site_target);
  auto kept = names(jar_.all());
  // The least recently accessed went first; the newest stayed.
  EXPECT_EQ(kept.count("c0"), 0u);
  EXPECT_EQ(kept.count("c30"), 0u);
  EXPECT_EQ(kept.count("c31"), 1u);
  EXPECT_EQ(kept.count("straw"), 1u);
}

TEST_F(LimitsTest, SubdomainsShareTheirRegistrableDomainsLimit) {
  for (std::size_t i = 0; i <= per_site; ++i)
    jar_.store("https://h" + std::to_string(i % 7) + ".example.co.uk/", "c" + std::to_string(i) + "=v");
  EXPECT_EQ(jar_.size(), site_target);
  jar_.store("https://other.co.uk/", "x=1");
  EXPECT_EQ(jar_.size(), site_target + 1);
}

TEST_F(LimitsTest, RecentlyAccessedCookiesSurvive) {
  for (std::size_t i = 0; i < per_site; ++i) {
    jar_.store("https://example.com/", "c" + std::to_string(i) + "=v; Path=/p" + std::to_string(i));
    advance(1s);
  }
  EXPECT_EQ(jar_.cookie_header("https://example.com/p0"), "c0=v");
  advance(1s);
  jar_.store("https://example.com/", "straw=v");
  auto kept = names(jar_.all());
  EXPECT_EQ(kept.count("c0"), 1u);
  EXPECT_EQ(kept.count("c1"), 0u);
  EXPECT_EQ(kept.count("c31"), 0u);
  EXPECT_EQ(kept.count("c32"), 1u);
}

TEST_F(LimitsTest, NonSecureCookiesGoBeforeSecureOnes) {
  for (std::size_t i = 0; i < per_site; ++i) {
    bool secure = i < 100;  // the oldest are the secure ones
    jar_.store("https://example.com/", "c" + std::to_string(i) + "=v" + (secure ? "; Secure" : ""));
    advance(1s);
  }
  jar_.store("https://example.com/", "straw=v");
  EXPECT_EQ(jar_.size(), site_target);
  std::size_t secure = 0;
  for (const Cookie& c : jar_.all()) secure += c.secure;
  EXPECT_EQ(secure, 100u);
  auto kept = names(jar_.all());
  EXPECT_EQ(kept.count("c100"), 0u);
  EXPECT_EQ(kept.count("c130"), 0u);
  EXPECT_EQ(kept.count("c131"), 1u);
}

TEST_F(LimitsTest, ExpiredCookiesGoFirst) {
  for (std::size_t i = 0; i < per_site; ++i) {
    std::string attrs = i % 4 == 0 ? "; Max-Age=10" : "";
    jar_.store("https://example.com/", "c" + std::to_string(i) + "=v" + attrs);
  }
  advance(11s);
  jar_.store("https://example.com/", "straw=v");
  // 45 expired are removed, nothing live is evicted.
  EXPECT_EQ(jar_.size(), per_site - per_site / 4 + 1);
}

// CHIPS, as Chromium: 180 cookies per site in each partition, no slack: the least recently
// accessed goes, one at a time, and other partitions and the unpartitioned keep theirs.
TEST_F(LimitsTest, PartitionSiteKeepsAtMostItsCountWithoutSlack) {
  const StoreOptions under_top{.top_level_site = "https://top.example/"};
  for (std::size_t i = 0; i < per_site; ++i) {
    jar_.store("https://embed.example/", "c" + std::to_string(i) + "=v; Secure; Partitioned", under_top);
    jar_.store("https://embed.example/", "u" + std::to_string(i) + "=v; Secure");
    advance(1s);
  }
  jar_.store("https://embed.example/", "other=v; Secure; Partitioned");  // its own partition
  EXPECT_EQ(jar_.size(), 2 * per_site + 1);
  jar_.store("https://embed.example/", "straw=v; Secure; Partitioned", under_top);
  EXPECT_EQ(jar_.size(), 2 * per_site + 1);
  auto in_top = jar_.cookies_for("https://embed.example/", {.top_level_site = "https://top.example/"});
  auto kept = names(in_top);
  EXPECT_EQ(kept.size(), per_site + per_site);  // the partition's 180 and the unpartitioned 180
  EXPECT_EQ(kept.count("c0"), 0u);
  EXPECT_EQ(kept.count("c1"), 1u);
  EXPECT_EQ(kept.count("straw"), 1u);
  EXPECT_EQ(kept.count("u0"), 1u);
}

TEST_F(LimitsTest, PartitionSiteKeepsAtMostTenKibibytesOfNamesAndValues) {
  static_assert(limits::max_cookie_bytes_per_partition_site == 10240);
  const std::string value(1000, 'v');  // "cN" + 1000 bytes: ten fit, the eleventh does not
  for (int i = 0; i < 10; ++i) {
    jar_.store("https://embed.example/", "c" + std::to_string(i) + "=" + value + "; Secure; Partitioned");
    advance(1s);
  }
  EXPECT_EQ(jar_.size(), 10u);
  EXPECT_EQ(jar_.cookie_header("https://embed.example/c0"), jar_.cookie_header("https://embed.example/"));
  advance(1s);
  jar_.store("https://embed.example/", "c10=" + value + "; Secure; Partitioned");
  auto kept = names(jar_.all());
  EXPECT_EQ(kept.size(), 10u);
  // All were read at once above, so the oldest goes first.
  EXPECT_EQ(kept.count("c0"), 0u);
  EXPECT_EQ(kept.count("c10"), 1u);
  // Unpartitioned cookies have no byte limit of this kind.
  for (int i = 0; i < 12; ++i) jar_.store("https://embed.example/", "u" + std::to_string(i) + "=" + value);
  EXPECT_EQ(jar_.size(), 22u);
}

TEST_F(LimitsTest, JarOverItsTotalIsPurgedDownToTotalMinusSlack) {
  const std::size_t sites = limits::max_cookies_total / 100 + 1;
  std::size_t stored = 0;
  for (std::size_t s = 0; s < sites; ++s) {
    for (int i = 0; i < 100; ++i) {
      jar_.store("https://site" + std::to_string(s) + ".com/", "c" + std::to_string(i) + "=v");
      ++stored;
      advance(1ms);
    }
  }
  // At the first cookie over the total the jar fell to total - slack, then grew again.
  const std::size_t after = total_target + (stored - limits::max_cookies_total - 1);
  EXPECT_EQ(jar_.size(), after);
  // The 301 least recently accessed: sites 0 to 2 and the first cookie of site 3.
  EXPECT_EQ(jar_.cookie_header("https://site0.com/"), "");
  EXPECT_EQ(jar_.cookie_header("https://site2.com/"), "");
  EXPECT_TRUE(jar_.cookie_header("https://site3.com/").starts_with("c1=v; c2=v"));
  EXPECT_NE(jar_.cookie_header("https://site" + std::to_string(sites - 1) + ".com/"), "");
}

TEST_F(LimitsTest, TotalPurgeKeepsSecureCookiesLonger) {
  // The oldest 400 cookies are secure: the 301 evicted at the limit must be non-secure ones.
  for (std::size_t n = 0; n <= limits::max_cookies_total; ++n) {
    std::string url = "https://site" + std::to_string(n / 100) + ".com/";
    jar_.store(url, "c" + std::to_string(n) + "=v" + (n < 400 ? "; Secure" : ""));
    advance(1ms);
  }
  EXPECT_EQ(jar_.size(), total_target);
  std::size_t secure = 0;
  for (const Cookie& c : jar_.all()) secure += c.secure;
  EXPECT_EQ(secure, 400u);
}

}  // namespace
}  // namespace httpstate
