#include "httpstate/codec/tornado.hpp"

#include <gtest/gtest.h>

#include "httpstate/error.hpp"

namespace httpstate::codec::tornado {
namespace {

constexpr std::int64_t now = 1700000000;
constexpr auto allow = ShortSecrets::allow_for_compatibility;
const std::string v2 = "2|1:0|10:1700000000|4:user|8:YWxpY2U=|c8c8560d86e71dfcd7a87ae9cb6a4e5ea7b7b3d881fc02af74b4a301ff0fb1e1";
const std::string v1 = "YWxpY2U=|1700000000|3d65648d77b0d67b0f51df217a335a6bffa333db";
const std::string v2_key1 = "2|1:1|10:1700000000|4:user|8:YWxpY2U=|245247383341f8136c0efd1b02d26e3a7fa805b03d17c8295e7dea5b7807701d";

TEST(Tornado, SpecVectors) {
  const SignedValues t("tornado-secret", allow);
  EXPECT_EQ(t.create("user", "alice", 2, now), v2);
  EXPECT_EQ(t.create("user", "alice", 1, now), v1);
  EXPECT_EQ(*t.decode("user", v2, 31, now), "alice");
  EXPECT_EQ(*t.decode("user", v1, 31, now), "alice");
  const SignedValues versions({{0, "old-secret"}, {1, "new-secret"}}, 1, allow);
  EXPECT_EQ(versions.create("user", "alice", 2, now), v2_key1);
  EXPECT_EQ(*versions.decode("user", v2_key1, 31, now), "alice");
}

TEST(Tornado, KeyVersionsSelectTheKey) {
  const SignedValues versions({{0, "old-secret"}, {1, "new-secret"}}, 1, allow);
  const SignedValues old_only({{0, "old-secret"}}, 0, allow);
  EXPECT_EQ(*versions.decode("user", old_only.create("user", "bob", 2, now), 31, now), "bob");
  EXPECT_EQ(old_only.decode("user", v2_key1, 31, now).error().reason, Reason::unknown_key);
}

TEST(Tornado, NameCheckMaxAgeAndMinVersion) {
  const SignedValues t("tornado-secret", allow);
  EXPECT_EQ(t.decode("admin", v2, 31, now).error().reason, Reason::wrong_name);
  EXPECT_EQ(t.decode("admin", v1, 31, now).error().reason, Reason::bad_signature);  // v1: name in the MAC
  EXPECT_TRUE(t.decode("user", v2, 31, now + 31 * 86400));
  const auto old = t.decode("user", v2, 31, now + 31 * 86400 + 1);
  EXPECT_EQ(to_string(old.error()), "signature expired (signed 2023-11-14T22:13:20Z)");
  EXPECT_EQ(t.decode("user", v2, 1, now + 86401).error().reason, Reason::expired);
  EXPECT_EQ(t.decode("user", v1, 31, now, 2).error().reason, Reason::unsupported_version);
  EXPECT_EQ(t.decode("user", "3|" + v2.substr(2), 31, now).error().reason, Reason::unsupported_version);
}

TEST(Tornado, V1FutureAndLeadingZeroTimestamps) {
  const SignedValues t("tornado-secret", allow);
  const auto future = t.create("user", "alice", 1, now + 32 * 86400);
  EXPECT_EQ(t.decode("user", future, 31, now).error().reason, Reason::bad_timestamp);
  // The v1 MAC has no delimiters: a digit moved from the base64 into the timestamp keeps it valid.
  const auto zero = t.create("user", "ab4", 1, now);  // "YWI0|1700000000|<mac>"
  ASSERT_TRUE(zero.starts_with("YWI0|"));
  EXPECT_EQ(t.decode("user", "YWI|0" + zero.substr(5), 31, now).error().reason, Reason::bad_timestamp);
  const auto nine = t.create("user", "ab=", 1, now);  // "YWI9|1700000000|<mac>"
  ASSERT_TRUE(nine.starts_with("YWI9|"));
  EXPECT_EQ(t.decode("user", "YWI|9" + nine.substr(5), 31, now).error().reason, Reason::bad_timestamp);
}

TEST(Tornado, QuotedWireForm) {
  EXPECT_EQ(quote(v2), "\"" + v2 + "\"");  // "=" is not a legal cookie character
  EXPECT_EQ(quote("2|1:0|abc"), "2|1:0|abc");
  EXPECT_EQ(unquote(quote(v2)), v2);
  EXPECT_EQ(unquote(R"("a\"b\\c\073")"), "a\"b\\c;");
  EXPECT_EQ(quote("a\"b;"), R"("a\"b\073")");
  const SignedValues t("tornado-secret", allow);
  EXPECT_EQ(*t.decode("user", "\"" + v2 + "\"", 31, now), "alice");
}

TEST(Tornado, MalformedFields) {
  const SignedValues t("tornado-secret", allow);
  for (const std::string bad : {"2|", "2|1:0", "2|x:0|", "2|9:0|", "2|1:0|10:1700000000|4:user|8:YWxpY2U=",
                                "a|b", "a|b|c|d", ""}) {
    const auto r = t.decode("user", bad, 31, now);
    EXPECT_FALSE(r) << bad;
  }
  EXPECT_THROW(SignedValues("tornado-secret"), httpstate::error);  // 14 bytes without opt-in
}

}  // namespace
}  // namespace httpstate::codec::tornado
