#include "httpstate/cookie/set_cookie.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "httpstate/cookie/date.hpp"
#include "httpstate/cookie/parse.hpp"

namespace httpstate {
namespace {

using namespace std::chrono;

std::string built(const SetCookie& c) {
  const auto r = c.to_string();
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : to_string(r.error()));
  return r.ok() ? r.value() : std::string{};
}

SetCookieError refused(const SetCookie& c) {
  const auto r = c.to_string();
  EXPECT_FALSE(r.ok()) << "built: " << (r.ok() ? r.value() : "");
  return r.ok() ? SetCookieError{} : r.error();
}

TEST(SetCookie, FlaskLikeDefaults) {
  EXPECT_EQ(built({.name = "sid", .value = "abc"}), "sid=abc; Path=/; HttpOnly; SameSite=Lax");
}

TEST(SetCookie, EveryAttribute) {
  const SetCookie c{.name = "__Secure-id",
                    .value = "\"q\"",
                    .expires = from_unix_seconds(784111777),
                    .max_age = 3600,
                    .domain = "Example.com",
                    .path = "/app",
                    .secure = true,
                    .http_only = false,
                    .same_site = SameSite::none,
                    .partitioned = true};
  EXPECT_EQ(built(c),
            "__Secure-id=\"q\"; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=3600; "
            "Domain=Example.com; Path=/app; Secure; SameSite=None; Partitioned");
}

TEST(SetCookie, OmitsUnsetAttributes) {
  EXPECT_EQ(built({.name = "a", .value = "", .path = "", .http_only = false,
                   .same_site = SameSite::unset}),
            "a=");
}

TEST(SetCookie, DeletionWithNegativeOrZeroMaxAge) {
  EXPECT_EQ(built({.name = "a", .value = "", .max_age = 0, .path = "", .http_only = false,
                   .same_site = SameSite::unset}),
            "a=; Max-Age=0");
}

TEST(SetCookie, ValidatesTheName) {
  EXPECT_EQ(refused({.name = ""}), SetCookieError::invalid_name);
  for (const char* bad : {"a b", "a=b", "a;b", "a,b", "a\"b", "a(b", "a\tb", "\xc3\xa9"})
    EXPECT_EQ(refused({.name = bad}), SetCookieError::invalid_name) << bad;
  EXPECT_FALSE(built({.name = "!#$%&'*+-.^_`|~09azAZ"}).empty());
}

TEST(SetCookie, ValidatesTheValue) {
  for (const char* bad : {"a b", "a;b", "a,b", "a\\b", "a\"b", "\"", "\"a", "a\"", "\x7f", "\xc3\xa9",
                          "\"a b\""})
    EXPECT_EQ(refused({.name = "n", .value = bad}), SetCookieError::invalid_value) << bad;
  EXPECT_EQ(refused({.name = "n", .value = std::string("a\0b", 3)}), SetCookieError::invalid_value);
  for (const char* good : {"", "\"\"", "\"abc\"", "a=b", "2|1:0|10:1700000000|4:user|4:Ym9i|abc",
                           "!#$%&'()*+-./:<=>?@[]^_`{|}~"})
    EXPECT_FALSE(built({.name = "n", .value = good}).empty()) << good;
}

TEST(SetCookie, NameValueLimit) {
  EXPECT_TRUE((SetCookie{.name = "n", .value = std::string(4095, 'v')}.to_string().ok()));
  EXPECT_EQ(refused({.name = "n", .value = std::string(4096, 'v')}),
            SetCookieError::name_value_too_long);
}

TEST(SetCookie, ValidatesTheDomain) {
  for (const char* good : {"example.com", ".example.com", "a-b.c0.io", "localhost", "127.0.0.1"})
    EXPECT_TRUE((SetCookie{.name = "n", .domain = good}.to_string().ok())) << good;
  for (const char* bad : {".", "..a.com", "a..com", "a.com.", "a com", "a;b.com", "a_b.com",
                          "[::1]", "ex\xc3\xa4mple.com", "a.com;Secure"})
    EXPECT_EQ(refused({.name = "n", .domain = bad}), SetCookieError::invalid_domain) << bad;
  EXPECT_EQ(refused({.name = "n", .domain = std::string(64, 'a') + ".com"}),
            SetCookieError::invalid_domain);
  EXPECT_EQ(refused({.name = "n", .domain = std::string(1025, 'a')}),
            SetCookieError::attribute_too_long);
}

TEST(SetCookie, ValidatesThePath) {
  for (const char* bad : {"app", "/a b", "/a;b", "/a\tb", "/\xc3\xa9"})
    EXPECT_EQ(refused({.name = "n", .path = bad}), SetCookieError::invalid_path) << bad;
  EXPECT_EQ(refused({.name = "n", .path = "/" + std::string(1024, 'p')}),
            SetCookieError::attribute_too_long);
  EXPECT_TRUE((SetCookie{.name = "n", .path = "/a/%20/b,c"}.to_string().ok()));
}

TEST(SetCookie, ExpiresMustBeACookieDate) {
  const Time y1601 = Time{sys_days{year{1601} / January / 1}};
  const Time y10000 = Time{sys_days{year{10000} / January / 1}};
  EXPECT_TRUE((SetCookie{.name = "n", .expires = y1601}.to_string().ok()));
  EXPECT_EQ(refused({.name = "n", .expires = y1601 - seconds{1}}), SetCookieError::expires_out_of_range);
  EXPECT_TRUE((SetCookie{.name = "n", .expires = y10000 - seconds{1}}.to_string().ok()));
  EXPECT_EQ(refused({.name = "n", .expires = y10000}), SetCookieError::expires_out_of_range);
}

TEST(SetCookie, SecurePrefix) {
  EXPECT_EQ(refused({.name = "__Secure-a"}), SetCookieError::secure_prefix_requires_secure);
  EXPECT_EQ(refused({.name = "__secure-a"}), SetCookieError::secure_prefix_requires_secure);
  EXPECT_TRUE((SetCookie{.name = "__Secure-a", .domain = "a.com", .path = "/x", .secure = true}
                   .to_string().ok()));
}

TEST(SetCookie, HostPrefix) {
  EXPECT_EQ(refused({.name = "__Host-a"}), SetCookieError::host_prefix_requires_secure);
  EXPECT_EQ(refused({.name = "__HOST-a", .domain = "a.com", .secure = true}),
            SetCookieError::host_prefix_forbids_domain);
  EXPECT_EQ(refused({.name = "__host-a", .path = "/x", .secure = true}),
            SetCookieError::host_prefix_requires_root_path);
  EXPECT_EQ(refused({.name = "__Host-a", .path = "", .secure = true}),
            SetCookieError::host_prefix_requires_root_path);
  EXPECT_EQ(built({.name = "__Host-a", .value = "1", .secure = true}),
            "__Host-a=1; Path=/; Secure; HttpOnly; SameSite=Lax");
}

TEST(SetCookie, SameSiteNoneAndPartitionedNeedSecure) {
  EXPECT_EQ(refused({.name = "a", .same_site = SameSite::none}),
            SetCookieError::same_site_none_requires_secure);
  EXPECT_EQ(refused({.name = "a", .partitioned = true}), SetCookieError::partitioned_requires_secure);
  EXPECT_TRUE((SetCookie{.name = "a", .secure = true, .same_site = SameSite::none, .partitioned = true}
                   .to_string().ok()));
}

TEST(SetCookie, ReasonsHaveDistinctText) {
  std::set<std::string_view> seen;
  for (int i = 0; i <= static_cast<int>(SetCookieError::partitioned_requires_secure); ++i) {
    const auto text = to_string(static_cast<SetCookieError>(i));
    EXPECT_FALSE(text.empty());
    EXPECT_TRUE(seen.insert(text).second) << text;
  }
}

TEST(SetCookie, ParsesBackToTheSameCookie) {
  const SetCookie c{.name = "id",
                    .value = "a=b",
                    .expires = from_unix_seconds(1893456000) + milliseconds{250},
                    .max_age = -5,
                    .domain = ".Sub.Example.com",
                    .path = "/p/q",
                    .secure = true,
                    .http_only = true,
                    .same_site = SameSite::strict,
                    .partitioned = true};
  const auto p = parse_set_cookie(built(c));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, c.name);
  EXPECT_EQ(p->value, c.value);
  EXPECT_EQ(p->expires, from_unix_seconds(1893456000));
  EXPECT_EQ(p->max_age, -5);
  EXPECT_EQ(p->domain, "sub.example.com");
  EXPECT_EQ(p->path, "/p/q");
  EXPECT_TRUE(p->secure && p->http_only && p->partitioned);
  EXPECT_EQ(p->same_site, SameSite::strict);
}

}  // namespace
}  // namespace httpstate
