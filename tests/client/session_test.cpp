// The requests documentation's Session examples, against Debian's httpbin on loopback.
#include "httpstate/client/session.hpp"

#include <gtest/gtest.h>

#include "client_test_support.hpp"

namespace httpstate::client {
namespace {

using test::Server;

class HttpbinTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { httpbin_ = new Server(test::httpbin_argv, "httpbin"); }
  static void TearDownTestSuite() {
    delete httpbin_;
    httpbin_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(httpbin_->port(), 0) << "httpbin did not start:\n" << httpbin_->log(); }
  static std::string url(const std::string& path) { return httpbin_->url(path); }
  static std::string localhost(const std::string& path) {
    return "http://localhost:" + std::to_string(httpbin_->port()) + path;
  }
  static Server* httpbin_;
};
Server* HttpbinTest::httpbin_ = nullptr;

TEST_F(HttpbinTest, CookieSetByOneRequestIsSentByTheNext) {
  Session s;
  s.get(url("/cookies/set/sessioncookie/123456789"));
  Response r = s.get(url("/cookies"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"sessioncookie": "123456789"}})"));
}

TEST_F(HttpbinTest, RequestHeadersMergeOverSessionHeadersAndAreNotKept) {
  Session s;
  s.headers().set("x-test", "true");
  Response r = s.get(url("/headers"), {.headers = {{"x-test2", "true"}}});
  const auto h = r.json()["headers"];
  EXPECT_EQ(h.value("X-Test", ""), "true");
  EXPECT_EQ(h.value("X-Test2", ""), "true");
  EXPECT_EQ(h.value("User-Agent", ""), std::string(default_user_agent()));
  EXPECT_EQ(s.headers().size(), 1u);
  EXPECT_EQ(s.headers().get("X-TEST"), "true");
  EXPECT_FALSE(s.headers().get("x-test2"));
  EXPECT_FALSE(s.get(url("/headers")).json()["headers"].contains("X-Test2"));
}

TEST_F(HttpbinTest, RequestHeaderWinsOverSessionHeaderOfTheSameName) {
  Session s;
  s.headers().set("X-Thing", "session");
  Response r = s.get(url("/headers"), {.headers = {{"x-thing", "request"}}});
  EXPECT_EQ(r.json()["headers"].value("X-Thing", ""), "request");
  EXPECT_EQ(s.headers().get("x-thing"), "session");
}

TEST_F(HttpbinTest, PerRequestCookiesGoWithThatRequestOnly) {
  Session s;
  Response r = s.get(url("/cookies"), {.cookies = {{"from-my", "browser"}}});
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"from-my": "browser"}})"));
  r = s.get(url("/cookies"));
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {}})"));
  EXPECT_EQ(s.cookies().size(), 0u);
}

TEST_F(HttpbinTest, SessionCookiesWithoutDomainGoToEveryHostWithPerRequestOnes) {
  Session s;
  s.set_cookie("cookie", "1234");
  Response r = s.get(url("/cookies"), {.cookies = {{"from-my", "browser"}}});
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"cookie": "1234", "from-my": "browser"}})"));
  r = s.get(url("/cookies"));
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"cookie": "1234"}})"));
  // Another host name of the same server: still sent, as requests and aiohttp do.
  r = s.get(localhost("/cookies"));
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"cookie": "1234"}})"));
}

TEST_F(HttpbinTest, PerRequestCookieWinsOverTheJarsOfTheSameName) {
  Session s;
  s.get(url("/cookies/set/k/jar"));
  Response r = s.get(url("/cookies"), {.cookies = {{"k", "request"}}});
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"k": "request"}})"));
  EXPECT_EQ(s.get(url("/cookies")).json(), nlohmann::json::parse(R"({"cookies": {"k": "jar"}})"));
}

TEST_F(HttpbinTest, CookiesAreStoredOnEveryHopOfARedirect) {
  Session s;
  Response r = s.get(url("/cookies/set?k=v"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.url, url("/cookies"));
  ASSERT_EQ(r.history.size(), 1u);
  EXPECT_EQ(r.history[0].status, 302);
  ASSERT_EQ(r.history[0].cookies.size(), 1u);
  EXPECT_EQ(r.history[0].cookies[0].name, "k");
  EXPECT_TRUE(r.history[0].cookies[0].stored());
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"k": "v"}})"));

  // Two hops: /redirect-to, then /cookies/set, then /cookies.
  r = s.get(url("/redirect-to?url=/cookies/set?a=b"));
  EXPECT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"a": "b", "k": "v"}})"));
  EXPECT_EQ(s.cookies().cookie_header(url("/")), "k=v; a=b");
}

TEST_F(HttpbinTest, BasicAuthPassesAndIsNotSentToAnotherHost) {
  Session s;
  EXPECT_EQ(s.get(url("/basic-auth/user/pass")).status, 401);
  s.set_auth(BasicAuth{"user", "pass"});
  Response r = s.get(url("/basic-auth/user/pass"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"authenticated": true, "user": "user"})"));

  // Same host: kept. 127.0.0.1 to localhost: dropped.
  r = s.get(url("/redirect-to?url=/headers"));
  EXPECT_EQ(r.json()["headers"].value("Authorization", ""), "Basic dXNlcjpwYXNz");
  r = s.get(url("/redirect-to?url=" + localhost("/headers")));
  ASSERT_EQ(r.history.size(), 1u);
  EXPECT_EQ(r.url, localhost("/headers"));
  EXPECT_FALSE(r.json()["headers"].contains("Authorization"));
}

TEST_F(HttpbinTest, RawCookieHeaderIsNotReplayedToAnotherHost) {
  Session s;
  Response r = s.get(url("/redirect-to?url=" + localhost("/cookies")), {.headers = {{"Cookie", "raw=1"}}});
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {}})"));
  r = s.get(url("/redirect-to?url=/cookies"), {.headers = {{"Cookie", "raw=1"}}});
  EXPECT_EQ(r.json(), nlohmann::json::parse(R"({"cookies": {"raw": "1"}})"));
}

TEST_F(HttpbinTest, BearerAuth) {
  Session s;
  EXPECT_EQ(s.get(url("/bearer")).status, 401);
  s.set_auth(BearerAuth{"token"});
  Response r = s.get(url("/bearer"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json().value("token", ""), "token");
}

TEST_F(HttpbinTest, RedirectsRewriteTheMethodAsRequestsDoes) {
  Session s;
  for (int code : {301, 302, 303}) {
    Response r = s.post(url("/redirect-to?status_code=" + std::to_string(code) + "&url=/anything"), {.data = "x=1"});
    EXPECT_EQ(r.json().value("method", ""), "GET") << code;
    EXPECT_EQ(r.json().value("data", "?"), "") << code;
    EXPECT_FALSE(r.json()["headers"].contains("Content-Type")) << code;
  }
  for (int code : {307, 308}) {
    Response r = s.post(url("/redirect-to?status_code=" + std::to_string(code) + "&url=/anything"),
                        {.form = Pairs{{"k", "v w"}}});
    EXPECT_EQ(r.json().value("method", ""), "POST") << code;
    EXPECT_EQ(r.json()["form"].value("k", ""), "v w") << code;
  }
  // 303 turns a PUT into a GET too; 302 keeps it (only POST changes, RFC 9110 §15.4.3).
  EXPECT_EQ(s.put(url("/redirect-to?status_code=303&url=/anything")).json().value("method", ""), "GET");
  EXPECT_EQ(s.put(url("/redirect-to?status_code=302&url=/anything")).json().value("method", ""), "PUT");
}

TEST_F(HttpbinTest, HistoryAndTheRedirectLimit) {
  Session s(SessionOptions{.max_redirects = 3});
  Response r = s.get(url("/redirect/3"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.history.size(), 3u);
  for (const auto& h : r.history) EXPECT_EQ(h.status, 302);
  try {
    s.get(url("/redirect/4"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::too_many_redirects);
    EXPECT_NE(std::string(e.what()).find("too many redirects"), std::string::npos) << e.what();
  }
  r = s.get(url("/redirect/1"), {.allow_redirects = false});
  EXPECT_EQ(r.status, 302);
  EXPECT_TRUE(r.history.empty());
  EXPECT_TRUE(r.headers.get("location").has_value());
}

TEST_F(HttpbinTest, RefusedCookieSaysWhy) {
  Session s;
  Response r = s.get(url("/response-headers?Set-Cookie=x%3D1%3B%20Domain%3Dexample.com&Set-Cookie=y%3D2"));
  ASSERT_EQ(r.cookies.size(), 2u);
  EXPECT_EQ(r.cookies[0].name, "x");
  EXPECT_FALSE(r.cookies[0].stored());
  EXPECT_TRUE(r.cookies[0].status.to_string().starts_with("rejected: ")) << r.cookies[0].status.to_string();
  EXPECT_NE(r.cookies[0].status.to_string().find("example.com"), std::string::npos) << r.cookies[0].status.to_string();
  EXPECT_TRUE(r.cookies[1].stored());
  EXPECT_EQ(s.cookies().cookie_header(url("/")), "y=2");
}

TEST_F(HttpbinTest, ParamsBodiesAndMethods) {
  Session s;
  s.set_params({{"a", "1"}, {"b", "session"}});
  Response r = s.get(url("/get"), {.params = {{"b", "2 3"}, {"c", "&="}}});
  EXPECT_EQ(r.json()["args"], nlohmann::json::parse(R"({"a": "1", "b": "2 3", "c": "&="})"));
  s.set_params({});

  r = s.post(url("/post"), {.json = nlohmann::json{{"k", "v"}}});
  EXPECT_EQ(r.json()["json"], nlohmann::json::parse(R"({"k": "v"})"));
  EXPECT_EQ(r.json()["headers"].value("Content-Type", ""), "application/json");
  r = s.post(url("/post"), {.form = Pairs{{"name", "a b&c"}}});
  EXPECT_EQ(r.json()["form"].value("name", ""), "a b&c");

  EXPECT_EQ(s.put(url("/put"), {.data = "p"}).json().value("data", ""), "p");
  EXPECT_EQ(s.patch(url("/patch"), {.data = "q"}).json().value("data", ""), "q");
  EXPECT_EQ(s.delete_(url("/delete")).status, 200);
  EXPECT_EQ(s.del(url("/anything")).json().value("method", ""), "DELETE");
  r = s.options(url("/get"));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.headers.get("allow").has_value());
  r = s.head(url("/get"));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  r = s.send({.method = "PATCH", .url = url("/anything"), .options = {.data = "z"}});
  EXPECT_EQ(r.json().value("method", ""), "PATCH");
}

TEST_F(HttpbinTest, GzipIsDecodedAndBodiesAreBounded) {
  Session s(SessionOptions{.max_body_bytes = 1000});
  EXPECT_TRUE(s.get(url("/gzip")).json().value("gzipped", false));
  for (const char* path : {"/bytes/5000", "/stream-bytes/5000?chunk_size=100"}) {
    try {
      s.get(url(path));
      ADD_FAILURE() << path << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::body_too_large) << path << ": " << e.what();
    }
  }
  EXPECT_EQ(s.get(url("/bytes/1000")).body.size(), 1000u);
}

TEST_F(HttpbinTest, ErrorsSayWhatFailed) {
  Session s(SessionOptions{.timeout = std::chrono::milliseconds(500)});
  try {
    s.get("ftp://127.0.0.1/");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_url);
  }
  const int closed = test::free_port();
  try {
    s.get("http://127.0.0.1:" + std::to_string(closed) + "/");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connect_refused) << e.what();
  }
  // A listening socket that never answers: the kernel accepts, nobody reads.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  try {
    s.get("http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout) << e.what();
  }
  ::close(fd);
  // Credentials in the URL never reach the message.
  try {
    s.get("http://user:secret@127.0.0.1:" + std::to_string(closed) + "/");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace httpstate::client
