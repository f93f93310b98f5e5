// `httpstate get|post|... URL`: the real binary against Debian's httpbin on loopback, with
// --session files in a private XDG_CONFIG_HOME.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "client/client_test_support.hpp"
#include "persist/persist_test_support.hpp"

namespace httpstate {
namespace {

using client::test::Server;
using nlohmann::json;

class HttpClientCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { httpbin_ = new Server(client::test::httpbin_argv, "httpbin"); }
  static void TearDownTestSuite() {
    delete httpbin_;
    httpbin_ = nullptr;
  }
  void SetUp() override { ASSERT_GT(httpbin_->port(), 0) << "httpbin did not start"; }

  // stdout only; stderr goes to err_ (a file), so a test sees each stream apart.
  test::CommandResult http(const std::string& args) {
    const auto err = (dir_ / "stderr").string();
    auto r = test::run("XDG_CONFIG_HOME=" + dir_.path().string() + " HOME=" + dir_.path().string() + " " + HTTPSTATE_CLI + " " +
                       args + " 2>" + err);
    err_ = test::slurp(err);
    return r;
  }
  std::string url(const std::string& path) const { return "'" + httpbin_->url(path) + "'"; }
  std::filesystem::path session_file(const std::string& name) const { return dir_ / ("httpstate/sessions/" + name + ".json"); }

  // The body: what follows the first blank line.
  static json body_json(const std::string& out) {
    const auto blank = out.find("\n\n");
    if (blank == std::string::npos) return json();
    return json::parse(out.substr(blank + 2), nullptr, false);
  }

  static Server* httpbin_;
  test::TempDir dir_;
  std::string err_;
};

Server* HttpClientCli::httpbin_ = nullptr;

TEST_F(HttpClientCli, PrintsTheStatusLineHeadersThenTheBody) {
  auto r = http("get " + url("/get?a=1"));
  ASSERT_EQ(r.status, 0) << err_;
  EXPECT_TRUE(r.out.starts_with("HTTP/1.1 200 OK\n")) << r.out;
  EXPECT_NE(r.out.find("\nContent-Type: application/json\n"), std::string::npos) << r.out;
  const auto body = body_json(r.out);
  ASSERT_TRUE(body.is_object()) << r.out;
  EXPECT_EQ(body["args"]["a"], "1");
  EXPECT_EQ(body["headers"]["User-Agent"], "httpstate/0.1.0");
}

TEST_F(HttpClientCli, PipedJsonIsTheServersBytes) {
  // Not a terminal: no pretty-printing, the body exactly as httpbin sent it.
  auto r = http("get " + url("/cookies"));
  ASSERT_EQ(r.status, 0) << err_;
  const auto blank = r.out.find("\n\n");
  ASSERT_NE(blank, std::string::npos);
  EXPECT_EQ(r.out.substr(blank + 2), "{\"cookies\":{}}\n");
}

TEST_F(HttpClientCli, ASessionKeepsCookiesBetweenRuns) {
  // The requests example: /cookies/set/sessioncookie/123456789, then /cookies.
  auto r = http("get " + url("/cookies/set/sessioncookie/123456789") + " --session demo");
  ASSERT_EQ(r.status, 0) << err_;
  EXPECT_TRUE(r.out.starts_with("HTTP/1.1 302 FOUND\n")) << "the CLI does not follow by default: " << r.out;
  EXPECT_EQ(test::file_mode(session_file("demo")), 0600);
  r = http("get " + url("/cookies") + " --session demo");
  ASSERT_EQ(r.status, 0) << err_;
  EXPECT_EQ(body_json(r.out), json::parse(R"({"cookies": {"sessioncookie": "123456789"}})"));
  // Without the session: a fresh jar.
  r = http("get " + url("/cookies"));
  EXPECT_EQ(body_json(r.out), json::parse(R"({"cookies": {}})"));

  // The file's cookies are a JSON jar that `httpstate jar` would read.
  const auto doc = json::parse(test::slurp(session_file("demo")));
  EXPECT_EQ(doc["format"], "httpstate-session");
  EXPECT_EQ(doc["cookies"]["format"], "httpstate-cookie-jar");
  ASSERT_EQ(doc["cookies"]["cookies"].size(), 1u);
  EXPECT_EQ(doc["cookies"]["cookies"][0]["name"], "sessioncookie");
}

TEST_F(HttpClientCli, ASessionKeepsHeadersAndAuthButNotPerRequestCookies) {
  auto r = http("get " + url("/headers") + " -H 'x-test: true' --auth user:pass --cookie from-my=browser --session s");
  ASSERT_EQ(r.status, 0) << err_;
  auto headers = body_json(r.out)["headers"];
  EXPECT_EQ(headers["X-Test"], "true");
  EXPECT_EQ(headers["Cookie"], "from-my=browser");

  r = http("get " + url("/basic-auth/user/pass") + " --session s --check-status");
  EXPECT_EQ(r.status, 0) << r.out << err_;
  EXPECT_EQ(body_json(r.out)["authenticated"], true);
  r = http("get " + url("/headers") + " -H 'x-test2: true' --session s");
  headers = body_json(r.out)["headers"];
  EXPECT_EQ(headers["X-Test"], "true");
  EXPECT_EQ(headers["X-Test2"], "true");
  EXPECT_FALSE(headers.contains("Cookie")) << "--cookie is per request: " << headers.dump();
  // A path names a session file too.
  const auto path = (dir_ / "elsewhere.json").string();
  r = http("get " + url("/basic-auth/user/pass") + " --session " + path + " --check-status");
  EXPECT_EQ(r.status, 4) << "a new session has no auth: " << r.out;
  EXPECT_NE(err_.find("401"), std::string::npos) << err_;
}

TEST_F(HttpClientCli, ACookieOnTheCommandLineWinsOverTheJarsForThatRequest) {
  ASSERT_EQ(http("get " + url("/cookies/set/k/jar") + " --session w").status, 0);
  auto r = http("get " + url("/cookies") + " --session w --cookie 'k=cli; other=1'");
  EXPECT_EQ(body_json(r.out), json::parse(R"({"cookies": {"k": "cli", "other": "1"}})"));
  r = http("get " + url("/cookies") + " --session w");
  EXPECT_EQ(body_json(r.out), json::parse(R"({"cookies": {"k": "jar"}})"));
}

TEST_F(HttpClientCli, FollowStoresTheCookiesOnTheWayAndBoundsTheHops) {
  auto r = http("get " + url("/cookies/set?k=v") + " --follow");
  ASSERT_EQ(r.status, 0) << err_;
  EXPECT_TRUE(r.out.starts_with("HTTP/1.1 200 OK\n")) << r.out;
  EXPECT_EQ(body_json(r.out), json::parse(R"({"cookies": {"k": "v"}})"));

  r = http("get " + url("/redirect/3") + " --follow --max-redirects 1");
  EXPECT_EQ(r.status, 6);
  EXPECT_NE(err_.find("too many redirects"), std::string::npos) << err_;
  r = http("get " + url("/redirect/2") + " --follow --max-redirects 2");
  EXPECT_EQ(r.status, 0) << err_;
}

TEST_F(HttpClientCli, VerboseShowsEachRequestWithoutTheCredentials) {
  auto r = http("get -v " + url("/redirect-to?url=/headers") + " --follow -H 'x-test: true' --bearer s3cr3t-token");
  ASSERT_EQ(r.status, 0) << err_;
  EXPECT_TRUE(r.out.starts_with("GET /redirect-to?url=/headers HTTP/1.1\n")) << r.out;
  EXPECT_NE(r.out.find("\nHTTP/1.1 302 FOUND\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nGET /headers HTTP/1.1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nx-test: true\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nAuthorization: Bearer <hidden>\n"), std::string::npos) << r.out;
  // The server saw the token; our output never shows it.
  EXPECT_EQ(r.out.find("s3cr3t-token\n"), std::string::npos) << r.out;
  EXPECT_EQ(body_json(r.out.substr(r.out.rfind("HTTP/1.1 200"))) ["headers"]["Authorization"], "Bearer s3cr3t-token");
}

TEST_F(HttpClientCli, EveryMethodAndEveryKindOfBody) {
  auto r = http("post " + url("/post") + " -d 'a=1&b=2'");
  auto body = body_json(r.out);
  EXPECT_EQ(body["form"], json::parse(R"({"a": "1", "b": "2"})")) << r.out;
  r = http("put " + url("/put") + " --json '{\"x\": [1, 2]}'");
  body = body_json(r.out);
  EXPECT_EQ(body["json"], json::parse(R"({"x": [1, 2]})")) << r.out;
  EXPECT_EQ(body["headers"]["Content-Type"], "application/json");
  r = http("patch " + url("/patch") + " --form 'name=a b' --form 'k=v&w'");
  EXPECT_EQ(body_json(r.out)["form"], json::parse(R"({"name": "a b", "k": "v&w"})")) << r.out;
  r = http("delete " + url("/delete"));
  EXPECT_TRUE(r.out.starts_with("HTTP/1.1 200 OK\n")) << r.out;
  r = http("head " + url("/get"));
  EXPECT_TRUE(r.out.starts_with("HTTP/1.1 200 OK\n")) << r.out;
  EXPECT_TRUE(r.out.ends_with("\n\n")) << "HEAD has no body: " << r.out;
  r = http("options " + url("/get"));
  EXPECT_NE(r.out.find("\nAllow: "), std::string::npos) << r.out;
  // At most one body.
  r = http("post " + url("/post") + " -d a --json 1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(err_.find("excludes"), std::string::npos) << err_;
}

TEST_F(HttpClientCli, CheckStatusGivesTheStatusClass) {
  EXPECT_EQ(http("get " + url("/status/404")).status, 0);
  EXPECT_EQ(http("get " + url("/status/404") + " --check-status").status, 4);
  EXPECT_EQ(http("get " + url("/status/503") + " --check-status").status, 5);
  EXPECT_NE(err_.find("503"), std::string::npos) << err_;
  EXPECT_EQ(http("get " + url("/status/204") + " --check-status").status, 0);
}

TEST_F(HttpClientCli, ARejectedSetCookieIsReportedWithItsReason) {
  auto r = http("get " + url("/response-headers?Set-Cookie=bad%3D1%3B%20Domain%3Dcom&Set-Cookie=good%3D2"));
  ASSERT_EQ(r.status, 0) << err_;
  EXPECT_NE(err_.find("'bad'"), std::string::npos) << err_;
  EXPECT_NE(err_.find("rejected: "), std::string::npos) << err_;
  EXPECT_EQ(err_.find("'good'"), std::string::npos) << err_;
}

TEST_F(HttpClientCli, NetworkErrorsExitNonZeroWithTheReason) {
  const int port = client::test::free_port();
  auto r = http("get http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("connection refused: http://127.0.0.1:" + std::to_string(port)), std::string::npos) << err_;
  r = http("get 'ftp://127.0.0.1/'");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("ftp://127.0.0.1/"), std::string::npos) << err_;
  r = http("get " + url("/delay/5") + " --timeout 0.5");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(err_.find("timed out: "), std::string::npos) << err_;
}

TEST_F(HttpClientCli, BadArgumentsSayWhatWasWrong) {
  auto r = http("get " + url("/get") + " -H 'no colon'");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("expected 'Name: value'"), std::string::npos) << err_;
  r = http("get " + url("/get") + " --auth nocolon");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("user:password"), std::string::npos) << err_;
  EXPECT_EQ(err_.find("nocolon"), std::string::npos) << "the argument holds a password: " << err_;
  r = http("get " + url("/get") + " --session 'a b'");
  EXPECT_EQ(r.status, 1);
  r = http("get " + url("/get") + " --session .hidden");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("a name is"), std::string::npos) << err_;
  r = http("get " + url("/get") + " --insecure --cacert /nonexistent");
  EXPECT_NE(r.status, 0);
  r = http("get " + url("/get") + " --cacert " + (dir_ / "missing.pem").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("no such file"), std::string::npos) << err_;
  r = http("post " + url("/post") + " --json '{bad'");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("--json"), std::string::npos) << err_;
}

TEST_F(HttpClientCli, ABadSessionFileIsRefusedAndLeftAlone) {
  const auto path = dir_ / "bad.json";
  test::spit(path, "{\"format\": \"something-else\"}");
  auto r = http("get " + url("/get") + " --session " + path.string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("not an httpstate session file"), std::string::npos) << err_;
  EXPECT_EQ(test::slurp(path), "{\"format\": \"something-else\"}");
  test::spit(path, "not json");
  r = http("get " + url("/get") + " --session " + path.string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("not JSON"), std::string::npos) << err_;
  test::spit(path, R"({"format": "httpstate-session", "version": 1, "headers": [["bad name", "v"]]})");
  r = http("get " + url("/get") + " --session " + path.string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(err_.find("headers[0]"), std::string::npos) << err_;
}

}  // namespace
}  // namespace httpstate
