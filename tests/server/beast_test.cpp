// The Beast adapter without sockets: Flask's request.cookies / set_cookie / delete_cookie, and
// sessions on Beast messages with the no-store, Vary and Clear-Site-Data headers; expiry through
// the manager's injectable clock.
#include "httpstate/server/beast.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/string_body.hpp>

#include "fake_clock.hpp"
#include "httpstate/server/memory_store.hpp"

namespace httpstate::server {
namespace {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

std::vector<std::string> set_cookies(const Response& res) {
  std::vector<std::string> out;
  for (auto it = res.find(http::field::set_cookie); it != res.end() && it->name() == http::field::set_cookie; ++it)
    out.emplace_back(it->value());
  return out;
}

TEST(BeastCookies, RequestCookiesKeepOrderAndAnswerTheFirstDuplicate) {
  Request req{http::verb::get, "/", 11};
  req.set(http::field::cookie, "a=1; b=2; a=3; nameless; c=\"q\"");
  const auto c = request_cookies(req);
  EXPECT_EQ(c.get("a"), "1");
  EXPECT_EQ(c.get_all("a"), (std::vector<std::string_view>{"1", "3"}));
  EXPECT_EQ(c.get("c"), "\"q\"");
  EXPECT_FALSE(c.get("nameless"));
  EXPECT_EQ(c.size(), 5u);
  EXPECT_EQ(c.pairs()[3].name, "");
  EXPECT_EQ(c.pairs()[3].value, "nameless");
}

TEST(BeastCookies, SeveralCookieFieldsAreJoinedAndAMoveKeepsTheViews) {
  Request req{http::verb::get, "/", 11};
  req.insert(http::field::cookie, "a=1");
  req.insert(http::field::cookie, "b=2");
  auto c = request_cookies(req);
  RequestCookies moved = std::move(c);
  EXPECT_EQ(moved.header(), "a=1; b=2");
  EXPECT_EQ(moved.get("b"), "2");
}

TEST(BeastCookies, AnOversizedHeaderHasNoCookies) {
  Request req{http::verb::get, "/", 11};
  req.set(http::field::cookie, "a=1; " + std::string(limits::max_header_bytes, 'x'));
  EXPECT_TRUE(request_cookies(req).empty());
  EXPECT_FALSE(request_cookies(Request{}).get("a"));
}

TEST(BeastCookies, SetCookieAddsOneFieldPerCookieOrSaysWhy) {
  Response res;
  EXPECT_FALSE(set_cookie(res, SetCookie{.name = "a", .value = "1"}));
  EXPECT_FALSE(set_cookie(res, SetCookie{.name = "b", .value = "2", .max_age = 60}));
  EXPECT_EQ(set_cookie(res, SetCookie{.name = "bad name", .value = "1"}), SetCookieError::invalid_name);
  EXPECT_EQ(set_cookie(res, SetCookie{.name = "__Host-x", .value = "1"}), SetCookieError::host_prefix_requires_secure);
  EXPECT_EQ(set_cookies(res),
            (std::vector<std::string>{"a=1; Path=/; HttpOnly; SameSite=Lax", "b=2; Max-Age=60; Path=/; HttpOnly; SameSite=Lax"}));
}

TEST(BeastCookies, DeleteCookieIsFlasks) {
  Response res;
  EXPECT_FALSE(delete_cookie(res, "k"));
  EXPECT_FALSE(delete_cookie(res, "__Host-sid"));
  EXPECT_EQ(set_cookies(res), (std::vector<std::string>{"k=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
                                                        "__Host-sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure"}));
}

class BeastSessions : public ::testing::Test {
 protected:
  testing::FakeClock clock;
  SessionManager mgr{SessionConfig{.cookie_name = "sid", .idle_timeout = std::chrono::minutes(30),
                                   .absolute_timeout = std::chrono::hours(12), .clock = clock.clock()},
                     std::make_shared<MemorySessionStore>(MemoryStoreOptions{.clock = clock.clock()})};

  // One request with `cookie`; increments the counter; answers the response.
  Response hit(const std::string& cookie) {
    Request req{http::verb::get, "/counter", 11};
    if (!cookie.empty()) req.set(http::field::cookie, cookie);
    auto s = load(mgr, req);
    auto& d = s.data();
    d["n"] = d.value("n", 0) + 1;
    Response res{http::status::ok, 11};
    res.body() = d.dump();
    commit(mgr, s, res);
    return res;
  }
  static std::string pair_of(const Response& res) {
    const auto v = std::string(res[http::field::set_cookie]);
    return v.substr(0, v.find(';'));
  }
};

TEST_F(BeastSessions, ASetCookieResponseIsNoStoreAndVariesOnCookie) {
  const auto first = hit("");
  ASSERT_FALSE(first[http::field::set_cookie].empty());
  EXPECT_EQ(first[http::field::cache_control], "no-store");
  EXPECT_EQ(first[http::field::vary], "Cookie");
  const auto second = hit(pair_of(first));
  EXPECT_EQ(second.body(), "{\"n\":2}");
  EXPECT_TRUE(second[http::field::set_cookie].empty()) << "the id is not sent again";
  EXPECT_TRUE(second[http::field::cache_control].empty());
}

TEST_F(BeastSessions, VaryKeepsWhatTheResponseAlreadyVariesOn) {
  Response res;
  res.set(http::field::vary, "Accept-Encoding");
  mark_session_response(res);
  EXPECT_EQ(res[http::field::vary], "Accept-Encoding, Cookie");
  mark_session_response(res);
  EXPECT_EQ(res[http::field::vary], "Accept-Encoding, Cookie");
}

TEST_F(BeastSessions, LogoutExpiresTheCookieAndClearsSiteData) {
  const auto cookie = pair_of(hit(""));
  Request req{http::verb::post, "/logout", 11};
  req.set(http::field::cookie, cookie);
  auto s = load(mgr, req);
  Response res;
  logout(mgr, s, res);
  EXPECT_NE(std::string(res[http::field::set_cookie]).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(res["Clear-Site-Data"], "\"cookies\"");
  EXPECT_EQ(res[http::field::cache_control], "no-store");
  EXPECT_EQ(hit(cookie).body(), "{\"n\":1}") << "the old cookie names no session";
}

TEST_F(BeastSessions, IdleAndAbsoluteExpiryThroughTheClock) {
  auto cookie = pair_of(hit(""));
  clock.advance(29 * 60 * 1000);
  EXPECT_EQ(hit(cookie).body(), "{\"n\":2}");
  clock.advance(31 * 60 * 1000);  // idle past 30 minutes since the last use
  const auto expired = hit(cookie);
  EXPECT_EQ(expired.body(), "{\"n\":1}");
  cookie = pair_of(expired);
  for (int i = 0; i < 25; ++i) {  // used every 29 minutes: never idle, but 12 hours pass (25 x 29 > 720)
    clock.advance(29 * 60 * 1000);
    const auto r = hit(cookie);
    if (i < 24) EXPECT_EQ(r.body(), "{\"n\":" + std::to_string(i + 2) + "}");
    else EXPECT_EQ(r.body(), "{\"n\":1}") << "past the absolute timeout";
  }
}

}  // namespace
}  // namespace httpstate::server
