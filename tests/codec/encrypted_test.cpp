#include "httpstate/codec/encrypted.hpp"

#include <gtest/gtest.h>

#include <set>

#include "httpstate/codec/base64.hpp"
#include "httpstate/error.hpp"

namespace httpstate::codec {
namespace {

constexpr std::int64_t now = 1700000000;
const std::string master_a = "master-secret-a-32-bytes-long!!!";
const std::string master_b = "master-secret-b-32-bytes-long!!!";

TEST(Encrypted, RoundTripWithAndWithoutExpiry) {
  const EncryptedCodec c({{1, master_a}}, "session");
  const auto forever = c.open("sid", c.seal("sid", "secret value"), now);
  ASSERT_TRUE(forever);
  EXPECT_EQ(forever->value, "secret value");
  EXPECT_FALSE(forever->expires);
  EXPECT_EQ(forever->key_id, 1);
  const auto token = c.seal("sid", "", now + 60);
  const auto empty = c.open("sid", token, now);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->value, "");
  EXPECT_EQ(empty->expires, now + 60);
  const auto late = c.open("sid", token, now + 60);
  ASSERT_FALSE(late);
  EXPECT_EQ(to_string(late.error()), "expired (at 2023-11-14T22:14:20Z)");
}

TEST(Encrypted, LayoutMatchesTheDocumentedFormat) {
  const EncryptedCodec c({{7, master_a}}, "session");
  const std::string token = c.seal("sid", "abc");
  EXPECT_EQ(token.find_first_of("=+/"), std::string::npos);
  const auto raw = base64_decode(token, Base64::url_nopad);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 2 + gcm_nonce_size + 8 + 3 + gcm_tag_size);
  EXPECT_EQ((*raw)[0], 1);
  EXPECT_EQ((*raw)[1], 7);
}

TEST(Encrypted, FreshNoncePerSeal) {
  const EncryptedCodec c({{1, master_a}}, "session");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(c.seal("sid", "same"));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Encrypted, NameIsBoundAsAssociatedData) {
  const EncryptedCodec c({{1, master_a}}, "session");
  EXPECT_EQ(c.open("other", c.seal("sid", "v"), now).error().reason, Reason::decryption_failed);
}

TEST(Encrypted, PurposesDeriveDifferentKeys) {
  const EncryptedCodec session({{1, master_a}}, "session");
  const EncryptedCodec csrf({{1, master_a}}, "csrf");
  EXPECT_EQ(csrf.open("sid", session.seal("sid", "v"), now).error().reason, Reason::decryption_failed);
}

TEST(Encrypted, RotationByKeyId) {
  const EncryptedCodec old_codec({{1, master_a}}, "session");
  const EncryptedCodec rotated({{1, master_a}, {2, master_b}}, "session");
  const EncryptedCodec new_only({{2, master_b}}, "session");
  EXPECT_EQ(rotated.open("sid", old_codec.seal("sid", "v"), now)->key_id, 1);
  EXPECT_EQ(rotated.open("sid", rotated.seal("sid", "v"), now)->key_id, 2);
  EXPECT_EQ(new_only.open("sid", old_codec.seal("sid", "v"), now).error().reason, Reason::unknown_key);
}

TEST(Encrypted, MalformedInputs) {
  const EncryptedCodec c({{1, master_a}}, "session");
  EXPECT_EQ(c.open("sid", "", now).error().reason, Reason::malformed);
  EXPECT_EQ(c.open("sid", "!!!!", now).error().reason, Reason::malformed);
  std::string raw(60, '\0');
  raw[0] = 2;
  EXPECT_EQ(c.open("sid", base64_encode(raw, Base64::url_nopad), now).error().reason, Reason::unsupported_version);
  EXPECT_EQ(c.open("sid", std::string(max_token_size + 4, 'A'), now).error().reason, Reason::too_large);
}

TEST(Encrypted, ConfigurationErrors) {
  EXPECT_THROW(EncryptedCodec({{1, "short"}}, "p"), httpstate::error);
  EXPECT_THROW(EncryptedCodec({}, "p"), httpstate::error);
  EXPECT_THROW(EncryptedCodec({{1, master_a}, {1, master_b}}, "p"), httpstate::error);
  EXPECT_THROW(EncryptedCodec({{1, master_a}}, "p").seal("sid", std::string(max_token_size, 'x')), httpstate::error);
}

}  // namespace
}  // namespace httpstate::codec
