#include "httpstate/codec/itsdangerous.hpp"

#include <gtest/gtest.h>

#include "httpstate/error.hpp"

namespace httpstate::codec::itsdangerous {
namespace {

constexpr std::int64_t ts = 1700000000;  // the spec's forced timestamp
constexpr auto allow = ShortSecrets::allow_for_compatibility;

SignerOptions signer(KeyDerivation k, std::string salt = "itsdangerous.Signer", Digest d = Digest::sha1) {
  return {std::move(salt), ".", k, d, allow};
}

TEST(Signer, SpecVectors) {
  EXPECT_EQ(Signer("secret-key", signer(KeyDerivation::django_concat)).sign("hello"),
            "hello.GIG_I5genEs4rf1bcDRWLO8Yso4");
  EXPECT_EQ(Signer("secret-key", signer(KeyDerivation::django_concat)).signature("hello"), "GIG_I5genEs4rf1bcDRWLO8Yso4");
  EXPECT_EQ(Signer("secret-key", signer(KeyDerivation::concat)).sign("hello"), "hello.cDjete3t8elcz--gYkiMY69YpgI");
  EXPECT_EQ(Signer("secret-key", signer(KeyDerivation::hmac)).sign("hello"), "hello.ALZU3ey00YNgkgxl633Xs8VG_Eo");
  EXPECT_EQ(Signer("secret-key", signer(KeyDerivation::none)).sign("hello"), "hello.J5rb-6R5G3Md2aC4ofFuty27aR0");
  EXPECT_EQ(Signer("secret-key", signer(KeyDerivation::hmac, "my-salt", Digest::sha256)).sign("hello"),
            "hello.f_0XDqOpDX8dWdy9J9C-7awZi2hicmDWasDb99oFGhY");
}

TEST(Signer, UnsignsVectorsAndRejectsOthers) {
  const Signer s("secret-key", signer(KeyDerivation::django_concat));
  EXPECT_EQ(*s.unsign("hello.GIG_I5genEs4rf1bcDRWLO8Yso4"), "hello");
  EXPECT_EQ(s.unsign("hello.cDjete3t8elcz--gYkiMY69YpgI").error().reason, Reason::bad_signature);
  EXPECT_EQ(s.unsign("hello").error().reason, Reason::malformed);
  EXPECT_EQ(s.unsign(std::string(max_token_size + 1, 'a')).error().reason, Reason::too_large);
}

TEST(Signer, CustomSeparatorAndSplitOnLast) {
  SignerOptions o = signer(KeyDerivation::django_concat);
  o.sep = "|";
  const Signer s("secret-key", o);
  const auto token = s.sign("a|b.c");
  EXPECT_EQ(*s.unsign(token), "a|b.c");
  o.sep = "-";
  EXPECT_THROW(Signer("secret-key", o), httpstate::error);
}

TEST(Signer, RotationSignsNewestVerifiesAll) {
  const Signer old_only("old-key", signer(KeyDerivation::django_concat));
  const Signer both(std::vector<std::string>{"old-key", "new-key"}, signer(KeyDerivation::django_concat));
  const Signer new_only("new-key", signer(KeyDerivation::django_concat));
  EXPECT_EQ(both.sign("v"), new_only.sign("v"));
  EXPECT_EQ(*both.unsign(old_only.sign("v")), "v");
  EXPECT_FALSE(new_only.unsign(old_only.sign("v")));
}

TEST(Signer, ShortSecretsNeedAnExplicitOptIn) {
  try {
    Signer s("zqxvw", SignerOptions{});
    FAIL() << "a 5-byte secret was accepted";
  } catch (const httpstate::error& e) {
    EXPECT_NE(std::string(e.what()).find("shorter than 16 bytes"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("zqxvw"), std::string::npos);  // never quoted
  }
  EXPECT_THROW(Signer(std::vector<std::string>{}, SignerOptions{}), httpstate::error);
  EXPECT_NO_THROW(Signer("sixteen-bytes-ok", SignerOptions{}));
}

TEST(TimestampSigner, SpecVectorAndTimestampEncoding) {
  const TimestampSigner s("secret-key", signer(KeyDerivation::django_concat));
  EXPECT_EQ(s.sign("hello", ts), "hello.ZVPxAA.UQx3EIPGLNk6IyY28rz4wwlRRWI");
  EXPECT_EQ(timestamp_text(ts), "ZVPxAA");
  EXPECT_EQ(timestamp_text(0), "");
  EXPECT_EQ(parse_timestamp("ZVPxAA"), ts);
  const auto r = s.unsign("hello.ZVPxAA.UQx3EIPGLNk6IyY28rz4wwlRRWI", 60, ts + 10);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->value, "hello");
  EXPECT_EQ(r->timestamp, ts);
}

TEST(TimestampSigner, DistinctReasons) {
  const TimestampSigner s("secret-key", signer(KeyDerivation::django_concat));
  const std::string token = "hello.ZVPxAA.UQx3EIPGLNk6IyY28rz4wwlRRWI";
  const auto expired = s.unsign(token, 60, ts + 61);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error(), (Rejection{Reason::expired, ts}));
  EXPECT_EQ(to_string(expired.error()), "signature expired (signed 2023-11-14T22:13:20Z)");
  EXPECT_EQ(s.unsign(token, 60, ts - 1).error().reason, Reason::expired);  // from the future
  EXPECT_TRUE(s.unsign(token, std::nullopt, ts + 1000000));                 // no max_age: any age
  EXPECT_EQ(s.unsign(token.substr(0, token.size() - 1), 60, ts).error().reason, Reason::bad_signature);
  // A plain signature (no timestamp) that verifies: "timestamp missing".
  const Signer plain("secret-key", signer(KeyDerivation::django_concat));
  EXPECT_EQ(s.unsign(plain.sign("hello")).error().reason, Reason::timestamp_missing);
  // A signed but malformed timestamp.
  EXPECT_EQ(s.unsign(plain.sign("hello.!!")).error().reason, Reason::bad_timestamp);
  EXPECT_EQ(s.unsign(plain.sign("hello.AAAAAAAAAAAA")).error().reason, Reason::bad_timestamp);
}

TEST(Serializer, SpecVectors) {
  const Json obj = Json::parse(R"({"id":5,"name":"itsdangerous"})");
  SerializerOptions o = url_safe();
  o.short_secrets = allow;
  EXPECT_EQ(Serializer("secret-key", o).dumps(obj), "eyJpZCI6NSwibmFtZSI6Iml0c2Rhbmdlcm91cyJ9.dXsPurNnbsOsQDHMMaHDcM78D0s");
  SerializerOptions plain;
  plain.short_secrets = allow;
  EXPECT_EQ(Serializer("secret-key", plain).dumps(obj), R"({"id": 5, "name": "itsdangerous"}.kR814HcfRnYRVpandIXR4nYDB68)");
  SerializerOptions timed = url_safe("activate", true);
  timed.short_secrets = allow;
  const Serializer t("secret-key", timed);
  EXPECT_EQ(t.dumps(Json::parse("[1,2,3,4]"), ts), "WzEsMiwzLDRd.ZVPxAA.lMXZ4A7PYzrOeg7JFsVl-HeG6Qg");
  const Json big = {{"data", std::string(100, 'a')}};
  EXPECT_EQ(t.dumps(big, ts), ".eJyrVkpJLElUslJKpANQqgUA6jEpOQ.ZVPxAA.4a2gCLFg2t0Uso-WCYhfSG1DwMw");
  const Serializer rotated(std::vector<std::string>{"old-key", "new-key"}, o);
  EXPECT_EQ(rotated.dumps(Json::parse(R"({"x":1})")), "eyJ4IjoxfQ.M3NVLgArbr8-5Xjsgq4L4ELn09w");
}

TEST(Serializer, LoadsVectorsBack) {
  SerializerOptions timed = url_safe("activate", true);
  timed.short_secrets = allow;
  const Serializer t("secret-key", timed);
  const auto big = t.loads(".eJyrVkpJLElUslJKpANQqgUA6jEpOQ.ZVPxAA.4a2gCLFg2t0Uso-WCYhfSG1DwMw", 10, ts);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->value["data"], std::string(100, 'a'));
  EXPECT_EQ(big->timestamp, ts);
  const auto old = t.loads("WzEsMiwzLDRd.ZVPxAA.lMXZ4A7PYzrOeg7JFsVl-HeG6Qg", 10, ts + 11);
  EXPECT_EQ(to_string(old.error()), "signature expired (signed 2023-11-14T22:13:20Z)");
  SerializerOptions plain;
  plain.short_secrets = allow;
  const auto p = Serializer("secret-key", plain).loads(R"({"id": 5, "name": "itsdangerous"}.kR814HcfRnYRVpandIXR4nYDB68)");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->value.dump(), R"({"id":5,"name":"itsdangerous"})");  // key order kept
}

TEST(Serializer, BadPayloadWhenSignedGarbage) {
  SerializerOptions o = url_safe("s");
  const Serializer s("a-secret-of-16-bytes", o);
  const Signer raw("a-secret-of-16-bytes", SignerOptions{"s", ".", KeyDerivation::django_concat, Digest::sha1});
  EXPECT_EQ(s.loads(raw.sign("!!!")).error().reason, Reason::bad_payload);         // not base64
  EXPECT_EQ(s.loads(raw.sign("bm90IGpzb24")).error().reason, Reason::bad_payload);  // "not json"
  EXPECT_EQ(s.loads(raw.sign(".bm90IHpsaWI")).error().reason, Reason::bad_payload);  // not zlib
  // Nesting deeper than max_json_depth is refused before parsing.
  const Json deep = Json::parse(std::string(max_json_depth + 1, '[') + std::string(max_json_depth + 1, ']'));
  EXPECT_EQ(s.loads(s.dumps(deep)).error().reason, Reason::bad_payload);
}

TEST(Serializer, ZlibBombIsBounded) {
  const std::string huge(max_payload_size + 1000, ' ');
  const std::string payload = encode_payload("\"" + huge + "\"");
  ASSERT_TRUE(payload.starts_with('.'));
  EXPECT_EQ(decode_payload(payload).error().reason, Reason::too_large);
}

TEST(Serializer, CompressionRule) {
  EXPECT_FALSE(encode_payload("{}").starts_with('.'));
  EXPECT_TRUE(encode_payload(std::string(200, 'x')).starts_with('.'));
  EXPECT_EQ(*decode_payload(encode_payload(std::string(200, 'x'))), std::string(200, 'x'));
}

TEST(Serializer, PythonJsonSpelling) {
  const Json v = Json::parse(R"({"b":[1,{"c":null}],"a":"é\n"})");
  EXPECT_EQ(dump_json(v, false, true), R"({"b": [1, {"c": null}], "a": "\u00e9\n"})");
  EXPECT_EQ(dump_json(v, true, false), "{\"b\":[1,{\"c\":null}],\"a\":\"é\\n\"}");
}

}  // namespace
}  // namespace httpstate::codec::itsdangerous

namespace httpstate::codec::itsdangerous {
namespace {

TEST(PythonJson, FloatsSpelledLikeRepr) {
  const std::pair<double, const char*> cases[] = {
      {1.0, "1.0"}, {-0.0, "-0.0"}, {0.1, "0.1"}, {1e15, "1000000000000000.0"}, {1e16, "1e+16"},
      {7e15, "7000000000000000.0"}, {1.5e16, "1.5e+16"}, {0.0001, "0.0001"}, {0.00001, "1e-05"},
      {15.113296508789062, "15.113296508789062"}, {123.456, "123.456"}, {1e300, "1e+300"},
      {2.5e-310, "2.5e-310"}, {-1234.5, "-1234.5"}, {1.7976931348623157e308, "1.7976931348623157e+308"}};
  for (const auto& [d, text] : cases) EXPECT_EQ(dump_json(Json(d), true, false), text) << text;
}

}  // namespace
}  // namespace httpstate::codec::itsdangerous
