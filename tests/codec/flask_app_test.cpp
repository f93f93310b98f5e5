// A real Flask app on 127.0.0.1: we read the session cookie it sets, modify it, and the app
// accepts ours; its Set-Cookie attributes are the ones we write.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <cstdio>

#include "httpstate/codec/flask_session.hpp"
#include "support/python_app.hpp"

namespace httpstate::codec::flask {
namespace {

const std::string secret = "flask-app-secret-key-for-tests";

// The session interop app of tests/codec/peers, under this test's secret.
class FlaskApp : public httpstate::test::PythonApp {
 public:
  FlaskApp() : PythonApp(HTTPSTATE_CODEC_PEERS "/flask_app.py", {secret}) {}
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

std::string cookie_value(const std::string& set_cookie) {
  const auto eq = set_cookie.find('=');
  return set_cookie.substr(eq + 1, set_cookie.find(';') - eq - 1);
}

TEST(FlaskApp, SessionCookieReadModifiedAndAccepted) {
  FlaskApp app;
  ASSERT_GT(app.port(), 0) << "the Flask app did not start";
  const SessionCodec codec(secret);

  // 1. Flask writes a permanent session with every tagged type: we read it.
  const auto login = get(app.port(), "/login");
  ASSERT_EQ(login.status, 200);
  ASSERT_EQ(login.set_cookies.size(), 1u);
  const auto decoded = codec.decode(cookie_value(login.set_cookies[0]));
  ASSERT_TRUE(decoded) << to_string(decoded.error());
  Session s = decoded->session;
  EXPECT_EQ(s.at("user"), Value("alice"));
  EXPECT_EQ(s.at("n"), Value(1));
  EXPECT_EQ(s.at("roles"), Value(Value::Tuple{{"admin", "dev"}}));
  EXPECT_EQ(s.at("raw"), Value(Value::Bytes{std::string("\x00\xff" "bytes", 7)}));
  EXPECT_EQ(s.at("since"), Value(Value::DateTime{1700000000}));
  EXPECT_EQ(s.at("name"), Value("Zo\xc3\xab"));
  EXPECT_TRUE(is_permanent(s));
  // Its Set-Cookie is exactly ours for the same session and second (Expires = now + 31 days).
  const auto& theirs = login.set_cookies[0];
  EXPECT_TRUE(theirs == codec.set_cookie(s, decoded->timestamp) || theirs == codec.set_cookie(s, decoded->timestamp + 1))
      << theirs;

  // 2. We modify it; Flask accepts ours.
  s["n"] = 41;
  s["by"] = "c++";
  const auto ours = codec.encode(s);
  const auto shown = get(app.port(), "/show", "session=" + ours);
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body, dump_tagged(Value(s)));

  // 3. Flask changes our cookie; we read its answer.
  const auto incr = get(app.port(), "/incr", "session=" + ours);
  ASSERT_EQ(incr.set_cookies.size(), 1u);
  const auto after = codec.decode(cookie_value(incr.set_cookies[0]));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->session.at("n"), Value(42));
  EXPECT_EQ(after->session.at("by"), Value("c++"));

  // 4. A cookie under another secret is ignored by Flask (an empty, new session).
  const SessionCodec stranger("another-secret-key-of-16+bytes");
  EXPECT_EQ(get(app.port(), "/show", "session=" + stranger.encode(s)).body, "{}");

  // 5. Clearing the session deletes the cookie exactly as we do.
  const auto logout = get(app.port(), "/logout", "session=" + ours);
  ASSERT_EQ(logout.set_cookies.size(), 1u);
  EXPECT_EQ(logout.set_cookies[0], codec.set_cookie({}));
}

}  // namespace
}  // namespace httpstate::codec::flask
