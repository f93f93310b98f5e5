#include "httpstate/codec/flask_session.hpp"

#include <gtest/gtest.h>

namespace httpstate::codec::flask {
namespace {

constexpr std::int64_t ts = 1700000000;
constexpr auto allow = ShortSecrets::allow_for_compatibility;

TEST(FlaskSession, SpecVector) {
  const SessionCodec codec("dev-secret-key", {}, {}, allow);
  const Session s{{"user", "alice"}, {"n", 1}};
  const std::string token = "eyJuIjoxLCJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.AppwgC4UK6JQwfN6XFIe2ssJrO0";
  EXPECT_EQ(codec.encode(s, ts), token);
  const auto d = codec.decode(token, ts + 5);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->session, s);
  EXPECT_EQ(d->timestamp, ts);
}

TEST(FlaskSession, MaxAgeIsThePermanentLifetime) {
  const SessionCodec codec("dev-secret-key", {}, {}, allow);
  const std::string token = codec.encode({{"a", 1}}, ts);
  EXPECT_TRUE(codec.decode(token, ts + 31 * 86400));
  const auto r = codec.decode(token, ts + 31 * 86400 + 1);
  EXPECT_EQ(to_string(r.error()), "signature expired (signed 2023-11-14T22:13:20Z)");
}

TEST(FlaskSession, EveryTagBothWays) {
  Value::Uuid u;
  for (int i = 0; i < 16; ++i) u.bytes[i] = static_cast<std::uint8_t>(i * 17);
  const Session s{
      {"tuple", Value::Tuple{{1, "x"}}},
      {"bytes", Value::Bytes{std::string("\x00\xff ok", 5)}},
      {"markup", Value::Markup{"<b>hi</b>"}},
      {"uuid", u},
      {"when", Value::DateTime{ts}},
      {"dict_tag", Value::Dict{{" t", 5}}},
      {"nested", Value::List{Value::Dict{{"k", Value::Tuple{}}}, nullptr, true, 1.5}},
      {"text", "é \xf0\x9f\x98\x80 \x7f"},
  };
  const std::string json = dump_tagged(Value(s));
  EXPECT_EQ(json,
            R"({"bytes":{" b":"AP8gb2s="},"dict_tag":{" di":{" t__":5}},"markup":{" m":"<b>hi</b>"},)"
            R"("nested":[{"k":{" t":[]}},null,true,1.5],"text":"\u00e9 \ud83d\ude00 \u007f",)"
            R"("tuple":{" t":[1,"x"]},"uuid":{" u":"00112233445566778899aabbccddeeff"},)"
            R"("when":{" d":"Tue, 14 Nov 2023 22:13:20 GMT"}})");
  const auto back = load_tagged(json);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, Value(s));
}

TEST(FlaskSession, UntagAcceptsPythonUuidSpellings) {
  const auto v = load_tagged(R"({" u":"{00112233-4455-6677-8899-AABBCCDDEEFF}"})");
  ASSERT_TRUE(v);
  const auto* u = std::get_if<Value::Uuid>(&v->v);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->bytes[15], 0xff);
}

TEST(FlaskSession, MalformedTagsAreBadPayload) {
  for (const char* bad : {R"({" t":1})", R"({" b":"!"})", R"({" u":"xyz"})", R"({" d":"yesterday"})",
                          R"({" di":5})", R"({" m":[]})", "[", "18446744073709551615"}) {
    const auto r = load_tagged(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().reason, Reason::bad_payload) << bad;
  }
}

TEST(FlaskSession, CookieAttributesLikeFlask) {
  const SessionCodec codec("dev-secret-key", {}, {}, allow);
  const Session s{{"user", "alice"}, {"n", 1}};
  EXPECT_EQ(codec.set_cookie(s, ts), "session=" + codec.encode(s, ts) + "; HttpOnly; Path=/");
  Session permanent = s;
  permanent["_permanent"] = true;
  EXPECT_EQ(codec.set_cookie(permanent, ts),
            "session=" + codec.encode(permanent, ts) + "; Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=/");
  EXPECT_EQ(codec.set_cookie({}, ts), "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/");
  CookieOptions o;
  o.domain = "example.com";
  o.secure = true;
  o.same_site = "Lax";
  const SessionCodec custom("dev-secret-key", {}, o, allow);
  EXPECT_EQ(custom.set_cookie(s, ts),
            "session=" + codec.encode(s, ts) + "; Domain=example.com; Secure; HttpOnly; Path=/; SameSite=Lax");
}

TEST(FlaskSession, SecretKeyFallbacksVerifyButNeverSign) {
  const SessionCodec old_codec("old-secret-key-16b", {});
  const SessionCodec rotated("new-secret-key-16b", {"old-secret-key-16b"});
  const SessionCodec fresh("new-secret-key-16b", {});
  const Session s{{"k", "v"}};
  EXPECT_TRUE(rotated.decode(old_codec.encode(s, ts), ts));
  EXPECT_EQ(rotated.encode(s, ts), fresh.encode(s, ts));
  EXPECT_EQ(fresh.decode(old_codec.encode(s, ts), ts).error().reason, Reason::bad_signature);
}

TEST(FlaskSession, UnverifiedDecodeForDebugging) {
  const auto d = decode_unverified("eyJuIjoxLCJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.AppwgC4UK6JQwfN6XFIe2ssJrO0");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->timestamp, ts);
  EXPECT_EQ(d->session.at("user"), Value("alice"));
  EXPECT_EQ(decode_unverified("abc").error().reason, Reason::malformed);
  EXPECT_EQ(decode_unverified("abc.def").error().reason, Reason::timestamp_missing);
}

TEST(HttpDate, RoundTrip) {
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(ts), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), ts);
  EXPECT_FALSE(parse_http_date("Tue, 31 Nov 2023 22:13:20 GMT"));
  EXPECT_FALSE(parse_http_date("Tue, 14 Nov 2023 22:13:20 UTC"));
}

}  // namespace
}  // namespace httpstate::codec::flask
