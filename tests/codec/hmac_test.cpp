#include "httpstate/codec/hmac.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <random>
#include <thread>

namespace httpstate::codec {
namespace {

std::string reference_hmac(Digest d, const std::string& key, const std::string& msg) {
  const EVP_MD* md = d == Digest::sha1 ? EVP_sha1() : d == Digest::sha256 ? EVP_sha256() : EVP_sha512();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), out, &n);
  return {reinterpret_cast<char*>(out), n};
}

TEST(HmacKey, MatchesOpenSslOneShotForEveryDigestAndKeyLength) {
  std::mt19937 rng(1);
  for (auto d : {Digest::sha1, Digest::sha256, Digest::sha512}) {
    for (std::size_t key_len : {1u, 16u, 63u, 64u, 65u, 127u, 128u, 129u, 300u}) {
      std::string key(key_len, '\0'), msg(rng() % 500, '\0');
      for (auto& c : key) c = static_cast<char>(rng());
      for (auto& c : msg) c = static_cast<char>(rng());
      const HmacKey k(d, key);
      EXPECT_EQ(k.mac(msg), reference_hmac(d, key, msg)) << to_string(d) << " key " << key_len;
      const HmacKey copy = k;  // copies keep the keyed state
      EXPECT_EQ(copy.mac(msg), reference_hmac(d, key, msg));
    }
  }
}

TEST(HmacKey, Rfc4231TestCase2) {
  const HmacKey k(Digest::sha256, "Jefe");
  const std::string mac = k.mac("what do ya want for nothing?");
  static constexpr unsigned char expected[] = {
      0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
      0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
  EXPECT_EQ(mac, std::string(reinterpret_cast<const char*>(expected), sizeof expected));
}

TEST(HmacKey, PartsAreConcatenated) {
  const HmacKey k(Digest::sha1, "key");
  unsigned char a[20], b[20];
  k.mac({"hel", "", "lo"}, a);
  k.mac("hello", b);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(a), 20), std::string(reinterpret_cast<char*>(b), 20));
}

TEST(HmacKey, SharedAcrossThreads) {
  const HmacKey k(Digest::sha256, "shared-key-for-threads");
  const std::string expected = reference_hmac(Digest::sha256, "shared-key-for-threads", "payload");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (k.mac("payload") != expected) ++mismatches;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, 0);
}

TEST(ConstantTime, Equality) {
  EXPECT_TRUE(equal_constant_time("abc", "abc"));
  EXPECT_FALSE(equal_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_constant_time("abc", "abcd"));
}

}  // namespace
}  // namespace httpstate::codec
