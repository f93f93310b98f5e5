// `httpstate serve` driven by real clients: requests, aiohttp, headless Chromium; restarts,
// two instances on one store, a SIGKILL under load, and a Redis outage. Loopback only.
#include <gtest/gtest.h>

#include <regex>

#include "serve_process.hpp"  // first: redis_server.hpp uses <fcntl.h> without including it
#include "redis_server.hpp"

namespace httpstate::server::testing {
namespace {

std::vector<std::string> demo_args(const std::string& dir, const std::string& store) {
  return {"--demo", "--threads", "2", "--store", store, "--secret-file", dir + "/secret"};
}

std::string http_get(int port, const std::string& path, const std::string& cookie = "") {
  RawClient c(port);
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!cookie.empty()) req += "Cookie: " + cookie + "\r\n";
  c.send(req + "\r\n");
  return c.read_until_close(std::chrono::seconds(20));
}

// "sid=VALUE" from a response's Set-Cookie for the session cookie.
std::string session_cookie(const std::string& response) {
  std::smatch m;
  if (std::regex_search(response, m, std::regex("Set-Cookie: (sid=[^;\r]+)"))) return m[1];
  return "";
}

TEST(ServeClients, RequestsLoginProfileLogoutOnSqlite) {
  const auto dir = temp_dir("requests");
  ServeProcess serve(demo_args(dir, "sqlite:" + dir + "/sessions.db"));
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  std::string out;
  EXPECT_EQ(python_check("login", serve.base(), "", out), 0) << out;
  EXPECT_EQ(serve.stop(), 0) << "SIGTERM drains and exits 0";
  const auto log = serve.stderr_text();
  EXPECT_NE(log.find("route=/login status=200"), std::string::npos) << log;
  EXPECT_NE(log.find("session=invalidated"), std::string::npos) << log;
  // The log names routes and events, never a cookie: no "sid=" and no Cookie value in it.
  EXPECT_EQ(log.find("sid="), std::string::npos) << log;
}

TEST(ServeClients, HttpbinCookieExamplesPassUnchanged) {
  const auto dir = temp_dir("httpbin");
  ServeProcess serve(demo_args(dir, "memory"));
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  std::string out;
  EXPECT_EQ(python_check("httpbin", serve.base(), "", out), 0) << out;
  // Path parameters (cookie values, passwords) never reach the log: it shows the pattern.
  const auto log = serve.stderr_text();
  EXPECT_NE(log.find("route=/cookies/set/{name}/{value}"), std::string::npos) << log;
  EXPECT_EQ(log.find("123456789"), std::string::npos) << log;
}

TEST(ServeClients, TlsMakesTheSessionCookieSecureAndHostPrefixed) {
  const auto dir = temp_dir("tls");
  std::string out;
  ASSERT_EQ(run_command("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext "
                        "subjectAltName=IP:127.0.0.1 -keyout " + dir + "/key.pem -out " + dir + "/cert.pem",
                        out),
            0)
      << out;
  auto args = demo_args(dir, "memory");
  args.insert(args.end(), {"--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem"});
  ServeProcess serve(args);
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  const std::string base = "https://127.0.0.1:" + std::to_string(serve.port());
  EXPECT_EQ(python_check("tls-login", base, dir + "/cert.pem", out), 0) << out;
  EXPECT_EQ(serve.stop(), 0);
}

TEST(ServeClients, AiohttpCookieStoreAndRestore) {
  const auto dir = temp_dir("aiohttp");
  ServeProcess serve(demo_args(dir, "memory"));
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  std::string out;
  EXPECT_EQ(python_check("aiohttp-restore", serve.base(), dir + "/jar.pickle", out), 0) << out;
}

TEST(ServeClients, SixtyFourConcurrentCountersOnOneSessionLoseNoUpdate) {
  const auto dir = temp_dir("counter");
  for (const auto& store : std::vector<std::string>{"memory", "sqlite:" + dir + "/sessions.db"}) {
    ServeProcess serve(demo_args(dir, store));
    ASSERT_GT(serve.port(), 0) << serve.stderr_text();
    std::string out;
    EXPECT_EQ(python_check("counter64", serve.base(), "64", out), 0) << store << ": " << out;
  }
}

TEST(ServeClients, HeadlessChromiumRunsTheDemo) {
  const auto dir = temp_dir("chromium");
  ServeProcess serve(demo_args(dir, "memory"));
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  std::string dom;
  const std::string cmd = "timeout 120 chromium-headless-shell --no-sandbox --disable-gpu --user-data-dir=" + dir +
                          "/chromium --dump-dom --virtual-time-budget=10000 " + serve.base() + "/demo";
  run_command(cmd, dom);
  EXPECT_NE(dom.find("login: 200 {\"user\":\"alice\"}"), std::string::npos) << dom;
  EXPECT_NE(dom.find("profile: 200 {\"user\":\"alice\"}"), std::string::npos) << dom;
  // HttpOnly: the session cookie is not visible to the page's script.
  EXPECT_NE(dom.find("document-cookie: \"\""), std::string::npos) << dom;
  EXPECT_NE(dom.find("profile-after-logout: 401"), std::string::npos) << dom;
  EXPECT_NE(dom.find("<p id=\"done\">done</p>"), std::string::npos) << dom;
}

TEST(ServeClients, SessionsSurviveARestartOnSqliteAndRedis) {
  const auto dir = temp_dir("restart");
  RedisServer redis;
  ASSERT_TRUE(redis.running());
  for (const auto& store : std::vector<std::string>{"sqlite:" + dir + "/sessions.db", redis.url()}) {
    std::string cookie;
    {
      ServeProcess serve(demo_args(dir, store));
      ASSERT_GT(serve.port(), 0) << serve.stderr_text();
      const auto first = http_get(serve.port(), "/counter");
      cookie = session_cookie(first);
      ASSERT_FALSE(cookie.empty()) << first;
      const auto second = http_get(serve.port(), "/counter", cookie);
      EXPECT_NE(second.find("{\"counter\":2}"), std::string::npos) << second;
      EXPECT_TRUE(session_cookie(second).empty()) << "an unchanged id is not sent again";
      EXPECT_EQ(serve.stop(), 0);
    }
    ServeProcess again(demo_args(dir, store));
    ASSERT_GT(again.port(), 0) << again.stderr_text();
    EXPECT_NE(http_get(again.port(), "/counter", cookie).find("{\"counter\":3}"), std::string::npos) << store;
  }
}

TEST(ServeClients, TwoInstancesShareSessionsThroughRedisAndSqlite) {
  const auto dir = temp_dir("two");
  RedisServer redis;
  ASSERT_TRUE(redis.running());
  for (const auto& store : std::vector<std::string>{"sqlite:" + dir + "/sessions.db", redis.url()}) {
    ServeProcess a(demo_args(dir, store)), b(demo_args(dir, store));
    ASSERT_GT(a.port(), 0) << a.stderr_text();
    ASSERT_GT(b.port(), 0) << b.stderr_text();
    const auto cookie = session_cookie(http_get(a.port(), "/counter"));
    ASSERT_FALSE(cookie.empty());
    EXPECT_NE(http_get(b.port(), "/counter", cookie).find("{\"counter\":2}"), std::string::npos) << store;
    EXPECT_NE(http_get(a.port(), "/counter", cookie).find("{\"counter\":3}"), std::string::npos) << store;
  }
}

TEST(ServeClients, SigkillDuringLoadKeepsEveryCounterAtLeastItsLastAnswer) {
  const auto dir = temp_dir("sigkill");
  const std::string store = "sqlite:" + dir + "/sessions.db";
  const std::string answers = dir + "/answers.txt";
  std::string out;
  {
    ServeProcess serve(demo_args(dir, store));
    ASSERT_GT(serve.port(), 0) << serve.stderr_text();
    // The load runs in the background; its answers go to a file line by line, flushed.
    const std::string load = "/usr/bin/python3 " HTTPSTATE_SERVE_PEERS "/serve_clients.py counter-load " +
                             serve.base() + " 20 1000 > " + answers + " 2>/dev/null &";
    ASSERT_EQ(std::system(load.c_str()), 0);
    // Kill once the clients have had at least 100 answers (bounded: 60 s).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      run_command("wc -l < " + answers, out);
      if (std::atoi(out.c_str()) >= 100 || std::chrono::steady_clock::now() > deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a file, bounded
    }
    ASSERT_GE(std::atoi(out.c_str()), 100) << "the load run got too few answers";
    serve.kill9();
  }
  ServeProcess again(demo_args(dir, store));
  ASSERT_GT(again.port(), 0) << again.stderr_text();
  EXPECT_EQ(python_check("read-counters", again.base(), answers, out), 0) << out;
}

TEST(ServeClients, RedisDownGives503WithRetryAfterThenServiceReturns) {
  const auto dir = temp_dir("outage");
  RedisServer redis;
  ASSERT_TRUE(redis.running());
  ServeProcess serve(demo_args(dir, redis.url()));
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  EXPECT_NE(http_get(serve.port(), "/counter").find("200 OK"), std::string::npos);
  redis.stop();
  const auto down = http_get(serve.port(), "/counter");
  EXPECT_NE(down.find("HTTP/1.1 503"), std::string::npos) << down;
  EXPECT_NE(down.find("Retry-After: 1"), std::string::npos) << down;
  EXPECT_NE(down.find("\"error\":\"session store unavailable\""), std::string::npos) << down;
  // The same process serves again once Redis is back (bounded tries, no restart of serve).
  ASSERT_TRUE(redis.start());
  bool back = false;
  for (int i = 0; i < 50 && !back; ++i) back = http_get(serve.port(), "/counter").find("200 OK") != std::string::npos;
  EXPECT_TRUE(back);
  EXPECT_EQ(serve.stop(), 0);
}

}  // namespace
}  // namespace httpstate::server::testing
