// SessionOptions{.jar_file}: the cookies a session got are there when a new session opens the
// same file, for each jar format (SQLite written through, cookies.txt and JSON saved on close).
#include <gtest/gtest.h>

#include "client_test_support.hpp"
#include "httpstate/client/session.hpp"

namespace httpstate::client {
namespace {

TEST(JarFileTest, CookiesSurviveTheSessionInEveryFormat) {
  test::Server httpbin(test::httpbin_argv, "httpbin");
  ASSERT_NE(httpbin.port(), 0) << httpbin.log();
  test::TempDir dir;
  for (const char* name : {"jar.sqlite", "cookies.txt", "jar.json"}) {
    const auto path = dir / name;
    {
      Session s(SessionOptions{.jar_file = path});
      s.get(httpbin.url("/cookies/set?sid=abc"));  // a session cookie, kept as aiohttp keeps it
      s.get(httpbin.url("/cookies/set?pref=dark"));
    }
    Session again(SessionOptions{.jar_file = path});
    EXPECT_EQ(again.cookies().size(), 2u) << name;
    EXPECT_EQ(again.get(httpbin.url("/cookies")).json(),
              nlohmann::json::parse(R"({"cookies": {"pref": "dark", "sid": "abc"}})"))
        << name;
  }
}

}  // namespace
}  // namespace httpstate::client
