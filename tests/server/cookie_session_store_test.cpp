// The cookie store in both formats: the manager suite (no CAS: those tests are skipped, as the
// header documents), limits, and a real Flask app that reads our session and writes one we read.
#include "httpstate/server/cookie_session_store.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <strings.h>

#include <cstdio>

#include "httpstate/codec/flask_session.hpp"
#include "manager_contract.hpp"
#include "support/python_app.hpp"

namespace httpstate::server::testing {
namespace {

const std::string flask_secret = "flask-app-secret-key-for-tests";

template <CookieFormat F>
struct CookieTraits {
  static constexpr bool real_time = false;
  static constexpr bool sweeps = false;
  static constexpr bool keyed = false;
  static constexpr bool cas = false;
  static constexpr int transactions_per_thread = 50;
  FakeClock clock;
  std::shared_ptr<SessionStore> make() {
    return std::make_shared<CookieSessionStore>(CookieSessionOptions{.format = F, .secrets = {flask_secret}});
  }
};
using FlaskTraits = CookieTraits<CookieFormat::flask>;
using EncryptedTraits = CookieTraits<CookieFormat::encrypted>;

INSTANTIATE_TYPED_TEST_SUITE_P(CookieFlask, ManagerContract, FlaskTraits);
INSTANTIATE_TYPED_TEST_SUITE_P(CookieEncrypted, ManagerContract, EncryptedTraits);

SessionConfig flask_config() {
  SessionConfig c{.cookie_name = "session", .idle_timeout = std::chrono::hours(24), .absolute_timeout = std::chrono::hours(24 * 30)};
  return c;
}

TEST(CookieSessionStore, TheEncryptedCookieHidesTheDataAndRefusesTampering) {
  auto store = std::make_shared<CookieSessionStore>(CookieSessionOptions{.secrets = {flask_secret}});
  SessionManager mgr({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h}, store);
  Session s = mgr.load("");
  s.data()["user"] = "ivan-the-secret-user";
  const auto pair = cookie_pair(*mgr.commit(s));
  EXPECT_EQ(pair.find("ivan"), std::string::npos);
  EXPECT_EQ(view(mgr.load(pair)).at("user"), "ivan-the-secret-user");
  std::string tampered = pair;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(mgr.load(tampered).is_new());
  // Another key is another store; rotation keeps the old key readable.
  auto other = std::make_shared<CookieSessionStore>(CookieSessionOptions{.secrets = {"a-completely-different-secret!!"}});
  EXPECT_TRUE(SessionManager({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h}, other).load(pair).is_new());
  auto rotated = std::make_shared<CookieSessionStore>(
      CookieSessionOptions{.secrets = {flask_secret, "the-newer-secret-of-32-bytes!!!"}});
  EXPECT_FALSE(SessionManager({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h}, rotated).load(pair).is_new());
}

TEST(CookieSessionStore, ASessionTooLargeForACookieThrowsAtCommit) {
  auto store = std::make_shared<CookieSessionStore>(CookieSessionOptions{.secrets = {flask_secret}});
  SessionManager mgr({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h}, store);
  Session s = mgr.load("");
  s.data()["blob"] = std::string(5000, 'x');
  EXPECT_THROW(mgr.commit(s), httpstate::error);
  EXPECT_THROW(CookieSessionStore(CookieSessionOptions{}), httpstate::error);
  EXPECT_THROW(CookieSessionStore(CookieSessionOptions{.secrets = {"short"}}), httpstate::error);
}

// The session interop app of tests/codec/peers, under this test's secret.
class FlaskApp : public httpstate::test::PythonApp {
 public:
  FlaskApp() : PythonApp(HTTPSTATE_SOURCE_DIR "/tests/codec/peers/flask_app.py", {flask_secret}) {}
};

struct Response {
  long status = 0;
  std::string body;
  std::vector<std::string> set_cookies;
};

std::size_t on_body(char* p, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

std::size_t on_header(char* p, std::size_t size, std::size_t n, void* out) {
  std::string line(p, size * n);
  constexpr std::string_view prefix = "Set-Cookie: ";
  if (line.size() > prefix.size() && strncasecmp(line.c_str(), prefix.data(), prefix.size()) == 0) {
    line = line.substr(prefix.size());
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    static_cast<std::vector<std::string>*>(out)->push_back(line);
  }
  return size * n;
}

Response get(int port, const std::string& path, const std::string& cookie = "") {
  Response r;
  CURL* c = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.set_cookies);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  if (!cookie.empty()) curl_easy_setopt(c, CURLOPT_COOKIE, cookie.c_str());
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_cleanup(c);
  return r;
}

TEST(CookieSessionStore, ARealFlaskAppReadsOurSessionAndWeReadItsSession) {
  FlaskApp app;
  ASSERT_GT(app.port(), 0) << "the Flask app did not start";
  auto store = std::make_shared<CookieSessionStore>(
      CookieSessionOptions{.format = CookieFormat::flask, .secrets = {flask_secret}});
  SessionManager mgr(flask_config(), store);

  // 1. We write; Flask reads it.
  Session s = mgr.load("");
  s.data()["user"] = "judy";
  s.data()["n"] = 41;
  const auto ours = cookie_pair(*mgr.commit(s));
  const auto shown = get(app.port(), "/show", ours);
  ASSERT_EQ(shown.status, 200);
  const auto flask_view = nlohmann::json::parse(shown.body);
  EXPECT_EQ(flask_view.at("user"), "judy");
  EXPECT_EQ(flask_view.at("n"), 41);

  // 2. Flask changes it; we read its cookie, and our fields survived the round trip.
  const auto incr = get(app.port(), "/incr", ours);
  ASSERT_EQ(incr.set_cookies.size(), 1u);
  Session back = mgr.load(cookie_pair(incr.set_cookies[0]));
  ASSERT_FALSE(back.is_new());
  EXPECT_EQ(view(back).at("n"), 42);
  EXPECT_EQ(view(back).at("user"), "judy");
  EXPECT_EQ(back.created_ms(), s.created_ms()) << "the creation time travels in the Flask session";

  // 3. A session Flask started (tuples, bytes, datetimes) reads as tagged JSON.
  const auto login = get(app.port(), "/login");
  ASSERT_EQ(login.set_cookies.size(), 1u);
  Session theirs = mgr.load(cookie_pair(login.set_cookies[0]));
  ASSERT_FALSE(theirs.is_new());
  EXPECT_EQ(view(theirs).at("user"), "alice");
  EXPECT_EQ(view(theirs).at("roles"), nlohmann::json::parse(R"({" t":["admin","dev"]})"));
  // Modified by us, it goes back to Flask with its types intact.
  theirs.data()["n"] = 7;
  const auto mine = mgr.commit(theirs);
  ASSERT_TRUE(mine);
  const auto round = get(app.port(), "/show", cookie_pair(*mine));
  const auto j = nlohmann::json::parse(round.body);
  EXPECT_EQ(j.at("n"), 7);
  EXPECT_EQ(j.at("roles"), nlohmann::json::parse(R"({" t":["admin","dev"]})"));
}

}  // namespace
}  // namespace httpstate::server::testing
