#include "httpstate/url/psl.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace httpstate::url {
namespace {

TEST(Psl, RegistrableDomain) {
  EXPECT_EQ(registrable_domain("www.example.com"), "example.com");
  EXPECT_EQ(registrable_domain("a.b.example.co.uk"), "example.co.uk");
  EXPECT_EQ(registrable_domain("user.github.io"), "user.github.io");  // private section
}

TEST(Psl, RegistrableDomainViewIsASuffixOfTheHost) {
  for (std::string host : {"www.example.com", "a.b.example.co.uk", "co.uk", "127.0.0.1", "[::1]", "localhost"}) {
    std::string_view v = registrable_domain_view(host);
    EXPECT_EQ(v, registrable_domain(host)) << host;
    EXPECT_EQ(v.data() + v.size(), host.data() + host.size()) << host;  // points into the host
  }
}

TEST(Psl, SuffixAndIpHostsAreTheirOwnSite) {
  EXPECT_EQ(registrable_domain("co.uk"), "co.uk");
  EXPECT_EQ(registrable_domain("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(registrable_domain("[::1]"), "[::1]");
}

TEST(Psl, PublicSuffixes) {
  EXPECT_TRUE(is_public_suffix("com"));
  EXPECT_TRUE(is_public_suffix("co.uk"));
  EXPECT_TRUE(is_public_suffix("github.io"));
  EXPECT_FALSE(is_public_suffix("example.com"));
  EXPECT_FALSE(is_public_suffix("127.0.0.1"));
  EXPECT_FALSE(is_public_suffix(""));
}

TEST(Psl, CacheGivesTheSameAnswerFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &wrong] {
      for (int i = 0; i < 2000; ++i) {
        std::string host = "h" + std::to_string(i % 500) + ".site" + std::to_string(i % 50) + ".co.uk";
        if (registrable_domain(host) != "site" + std::to_string(i % 50) + ".co.uk") ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

// Past the caches' bounds (8192 names a thread, 16384 a shard of the shared table) they are
// emptied and refilled: the answers stay libpsl's, for names asked before an emptying and after.
TEST(Psl, AnswersStayRightPastTheCacheBounds) {
  constexpr int names = 300000;  // more than the 16 shards hold together
  int wrong = 0;
  const auto ask = [&](int i) {
    const std::string site = "s" + std::to_string(i) + (i % 2 ? ".co.uk" : ".com");
    if (registrable_domain_view("www." + site) != site) ++wrong;
  };
  for (int i = 0; i < names; ++i) ask(i);
  for (int i = 0; i < 20000; ++i) ask(i);
  for (int i = names - 20000; i < names; ++i) ask(i);
  EXPECT_EQ(wrong, 0);
  EXPECT_TRUE(is_public_suffix("co.uk"));
}

}  // namespace
}  // namespace httpstate::url
