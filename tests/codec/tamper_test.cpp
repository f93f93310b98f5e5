// Tampering: every single-byte change, every truncation and every swap of two parts of a valid
// token is rejected, for every format.
#include <gtest/gtest.h>

#include <functional>

#include "httpstate/codec/encrypted.hpp"
#include "httpstate/codec/express.hpp"
#include "httpstate/codec/flask_session.hpp"
#include "httpstate/codec/itsdangerous.hpp"
#include "httpstate/codec/tornado.hpp"

namespace httpstate::codec {
namespace {

constexpr std::int64_t now = 1700000000;
const std::string secret = "a-secret-of-more-than-16-bytes";

struct Case {
  std::string name;
  std::string token;
  char sep;
  std::function<bool(const std::string&)> accepts;
};

std::vector<Case> cases() {
  using namespace itsdangerous;
  static const Signer signer(secret);
  static const TimestampSigner timed(secret);
  static const Serializer json(secret, url_safe());
  static const Serializer json_timed(secret, url_safe("salt", true));
  static const flask::SessionCodec flask(secret);
  static const tornado::SignedValues tornado(secret);
  static const express::CookieSigner express(secret);
  static const EncryptedCodec encrypted({{1, secret}}, "tamper");
  const Json payload = {{"user", "alice"}, {"roles", {"a", "b"}}, {"long", std::string(80, 'x')}};
  return {
      {"signer", signer.sign("hello world"), '.', [](auto& t) { return bool(signer.unsign(t)); }},
      {"timestamp", timed.sign("hello", now), '.', [](auto& t) { return bool(timed.unsign(t, 100, now)); }},
      {"json", json.dumps(payload), '.', [](auto& t) { return bool(json.loads(t)); }},
      {"json_timed", json_timed.dumps(payload, now), '.', [](auto& t) { return bool(json_timed.loads(t, 100, now)); }},
      {"flask", flask.encode({{"user", "alice"}}, now), '.', [](auto& t) { return bool(flask.decode(t, now)); }},
      {"tornado_v2", tornado.create("user", "alice", 2, now), '|',
       [](auto& t) { return bool(tornado.decode("user", t, 31, now)); }},
      {"tornado_v1", tornado.create("user", "alice", 1, now), '|',
       [](auto& t) { return bool(tornado.decode("user", t, 31, now)); }},
      {"express", express.sign("s3ss10n-id"), '.', [](auto& t) { return bool(express.unsign(t)); }},
      // Percent-escapes are case-insensitive (%3A = %3a), so the decoded form is what must not bend.
      {"express_session", *express::decode_uri_component(express.session_cookie_value("s3ss10n-id")), '.',
       [](auto& t) { return bool(express.session_id(t)); }},
      {"encrypted", encrypted.seal("sid", "confidential", now + 100), '-',
       [](auto& t) { return bool(encrypted.open("sid", t, now)); }},
  };
}

TEST(Tamper, SampleTokensAreAccepted) {
  for (const auto& c : cases()) EXPECT_TRUE(c.accepts(c.token)) << c.name;
}

TEST(Tamper, EverySingleByteChangeIsRejected) {
  for (const auto& c : cases()) {
    int tried = 0;
    for (std::size_t i = 0; i < c.token.size(); ++i) {
      for (int flip : {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80}) {
        std::string t = c.token;
        t[i] = static_cast<char>(t[i] ^ flip);
        ++tried;
        EXPECT_FALSE(c.accepts(t)) << c.name << " byte " << i << " ^ " << flip << ": " << t;
      }
    }
    EXPECT_EQ(tried, static_cast<int>(8 * c.token.size()));
  }
}

TEST(Tamper, EveryTruncationAndExtensionIsRejected) {
  for (const auto& c : cases()) {
    for (std::size_t n = 0; n < c.token.size(); ++n) {
      EXPECT_FALSE(c.accepts(c.token.substr(0, n))) << c.name << " prefix " << n;
      EXPECT_FALSE(c.accepts(c.token.substr(n + 1))) << c.name << " suffix from " << n + 1;
    }
    EXPECT_FALSE(c.accepts(c.token + "A")) << c.name;
    EXPECT_FALSE(c.accepts(c.token + c.sep)) << c.name;
  }
}

TEST(Tamper, SwappingPartsIsRejected) {
  for (const auto& c : cases()) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t at; (at = c.token.find(c.sep, start)) != std::string::npos; start = at + 1)
      parts.push_back(c.token.substr(start, at - start));
    parts.push_back(c.token.substr(start));
    for (std::size_t i = 0; i < parts.size(); ++i) {
      for (std::size_t j = i + 1; j < parts.size(); ++j) {
        if (parts[i] == parts[j]) continue;
        auto swapped = parts;
        std::swap(swapped[i], swapped[j]);
        std::string t;
        for (std::size_t k = 0; k < swapped.size(); ++k) t += (k ? std::string(1, c.sep) : "") + swapped[k];
        EXPECT_FALSE(c.accepts(t)) << c.name << " swap " << i << "," << j;
      }
    }
  }
}

TEST(Tamper, TokensDoNotMoveBetweenFormatsOrKeys) {
  const itsdangerous::Serializer other(secret + "x", itsdangerous::url_safe());
  const itsdangerous::Serializer salted(secret, itsdangerous::url_safe("other-salt"));
  for (const auto& c : cases()) {
    if (c.name != "json") continue;
    EXPECT_FALSE(other.loads(c.token)) << "another secret";
    EXPECT_FALSE(salted.loads(c.token)) << "another salt";
  }
}

}  // namespace
}  // namespace httpstate::codec
