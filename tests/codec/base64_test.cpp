#include "httpstate/codec/base64.hpp"

#include <gtest/gtest.h>

#include <random>

namespace httpstate::codec {
namespace {

TEST(Base64, Rfc4648Section10Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain, Base64::standard), encoded);
    EXPECT_EQ(base64_decode(encoded, Base64::standard), plain);
    std::string nopad = encoded.substr(0, encoded.find('='));
    EXPECT_EQ(base64_encode(plain, Base64::url_nopad), nopad);
    EXPECT_EQ(base64_decode(nopad, Base64::url_nopad), plain);
    EXPECT_EQ(base64_decode(nopad, Base64::standard_nopad), plain);
  }
}

TEST(Base64, AlphabetsDiffer) {
  const std::string bytes = "\xfb\xff\xbf";
  EXPECT_EQ(base64_encode(bytes, Base64::standard), "+/+/");
  EXPECT_EQ(base64_encode(bytes, Base64::url_nopad), "-_-_");
  EXPECT_FALSE(base64_decode("-_-_", Base64::standard));
  EXPECT_FALSE(base64_decode("+/+/", Base64::url_nopad));
}

TEST(Base64, RejectsNonCanonicalAndMalformed) {
  EXPECT_FALSE(base64_decode("Zh", Base64::url_nopad));     // spare bits set ("Zg" is canonical)
  EXPECT_FALSE(base64_decode("Zg", Base64::standard));      // padding required
  EXPECT_FALSE(base64_decode("Zg==", Base64::url_nopad));   // padding refused
  EXPECT_FALSE(base64_decode("Z", Base64::url_nopad));      // impossible length
  EXPECT_FALSE(base64_decode("Zm 9v", Base64::url_nopad));  // whitespace
  EXPECT_FALSE(base64_decode("Z===", Base64::standard));
}

TEST(Base64, RoundTripsRandomBytes) {
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string s(rng() % 70, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    for (auto a : {Base64::standard, Base64::standard_nopad, Base64::url_nopad}) {
      const auto e = base64_encode(s, a);
      EXPECT_EQ(e.size(), base64_encoded_size(s.size(), a));
      EXPECT_EQ(base64_decode(e, a), s);
    }
  }
}

}  // namespace
}  // namespace httpstate::codec
