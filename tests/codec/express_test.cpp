#include "httpstate/codec/express.hpp"

#include <gtest/gtest.h>

namespace httpstate::codec::express {
namespace {

constexpr auto allow = ShortSecrets::allow_for_compatibility;

TEST(Express, CookieSignatureVector) {
  const CookieSigner s("tobiiscool", allow);
  EXPECT_EQ(s.sign("hello"), "hello.DGDUkGlIkCzPz+C0B064FNgHdEjox7ch8tOBGslZ5QI");
  EXPECT_EQ(*s.unsign("hello.DGDUkGlIkCzPz+C0B064FNgHdEjox7ch8tOBGslZ5QI"), "hello");
  EXPECT_EQ(s.unsign("hello.DGDUkGlIkCzPz+C0B064FNgHdEjox7ch8tOBGslZ5QJ").error().reason, Reason::bad_signature);
  EXPECT_EQ(s.unsign("hello").error().reason, Reason::malformed);
}

TEST(Express, SessionCookieVector) {
  const CookieSigner s("keyboard cat", allow);
  const std::string wire = "s%3AxUbY0HpC0mILx3SIqgtL1uBvOxbJr2-G.tJXsKxd1%2F093PupKXX7zfQdkCX06QqasjdwLssMayzo";
  EXPECT_EQ(s.session_cookie_value("xUbY0HpC0mILx3SIqgtL1uBvOxbJr2-G"), wire);
  EXPECT_EQ(*s.session_id(wire), "xUbY0HpC0mILx3SIqgtL1uBvOxbJr2-G");
  EXPECT_EQ(*s.session_id("s:xUbY0HpC0mILx3SIqgtL1uBvOxbJr2-G.tJXsKxd1/093PupKXX7zfQdkCX06QqasjdwLssMayzo"),
            "xUbY0HpC0mILx3SIqgtL1uBvOxbJr2-G");
  EXPECT_EQ(s.session_id("xUbY0HpC0mILx3SIqgtL1uBvOxbJr2-G").error().reason, Reason::malformed);
}

TEST(Express, FirstSecretSignsEveryOneVerifies) {
  const CookieSigner both(std::vector<std::string>{"new-secret-16byte", "old-secret-16byte"});
  const CookieSigner old_only("old-secret-16byte");
  const CookieSigner new_only("new-secret-16byte");
  EXPECT_EQ(both.sign("sid"), new_only.sign("sid"));
  EXPECT_EQ(*both.unsign(old_only.sign("sid")), "sid");
  EXPECT_FALSE(new_only.unsign(old_only.sign("sid")));
}

TEST(Express, UriComponent) {
  EXPECT_EQ(encode_uri_component("a b/c:é!~*'()"), "a%20b%2Fc%3A%C3%A9!~*'()");
  EXPECT_EQ(decode_uri_component("a%20b%2Fc%3A%C3%A9"), "a b/c:é");
  EXPECT_FALSE(decode_uri_component("%"));
  EXPECT_FALSE(decode_uri_component("%zz"));
  EXPECT_FALSE(decode_uri_component("%C3"));     // truncated UTF-8
  EXPECT_FALSE(decode_uri_component("%ED%A0%80"));  // a surrogate
}

}  // namespace
}  // namespace httpstate::codec::express
