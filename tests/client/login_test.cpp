// A real Flask app with a login form: log in and read the profile on one Session, then open the
// jar file it saved in a second process (this test binary, run again) and read the profile.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "client_test_support.hpp"
#include "httpstate/client/session.hpp"
#include "support/python_app.hpp"

namespace httpstate::client {
namespace {

using test::TempDir;

std::string login_app() { return test::peer("login_app.py"); }

Pairs alice() { return {{"username", "alice"}, {"password", "wonderland"}}; }

TEST(FlaskLogin, LogInThenReadTheProfileOnOneSession) {
  httpstate::test::PythonApp app(login_app());
  ASSERT_GT(app.port(), 0) << "the Flask app did not start";
  Session s;
  auto r = s.get(app.url("/profile"));
  EXPECT_EQ(r.status, 401);

  r = s.post(app.url("/login"), {.form = alice()});
  // 303 to the profile: followed as a GET, with the cookie the login set.
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.history.size(), 1u);
  EXPECT_EQ(r.history[0].status, 303);
  ASSERT_EQ(r.history[0].cookies.size(), 1u);
  EXPECT_EQ(r.history[0].cookies[0].name, "session");
  EXPECT_TRUE(r.history[0].cookies[0].stored());
  EXPECT_EQ(r.json()["user"], "alice");

  r = s.get(app.url("/profile"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["user"], "alice");

  r = s.post(app.url("/logout"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(s.get(app.url("/profile")).status, 401);
}

TEST(FlaskLogin, AWrongPasswordSetsNoCookie) {
  httpstate::test::PythonApp app(login_app());
  ASSERT_GT(app.port(), 0);
  Session s;
  auto r = s.post(app.url("/login"), {.form = Pairs{{"username", "alice"}, {"password", "wrong"}}});
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.cookies.empty());
  EXPECT_EQ(s.cookies().size(), 0u);
  EXPECT_EQ(s.get(app.url("/profile")).status, 401);
}

// The second process's half: skipped unless the first half ran this binary with the jar and URL.
TEST(FlaskLoginSecondProcess, ReadsTheProfileWithTheSavedJar) {
  const char* jar = std::getenv("HTTPSTATE_LOGIN_JAR");
  const char* url = std::getenv("HTTPSTATE_LOGIN_URL");
  if (!jar || !url) GTEST_SKIP() << "run by FlaskLogin.TheSavedJarLogsInASecondProcess";
  Session s(SessionOptions{.jar_file = jar});
  EXPECT_GT(s.cookies().size(), 0u);
  const auto r = s.get(std::string(url) + "/profile");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["user"], "alice");
}

class SavedJar : public ::testing::TestWithParam<std::string> {};

TEST_P(SavedJar, LogsInASecondProcess) {
  httpstate::test::PythonApp app(login_app());
  ASSERT_GT(app.port(), 0);
  TempDir dir;
  const auto jar = dir / ("jar" + GetParam());
  {
    Session s(SessionOptions{.jar_file = jar});
    ASSERT_EQ(s.post(app.url("/login"), {.form = alice()}).status, 200);
  }  // closing the session saves a text jar; SQLite was written through
  ASSERT_TRUE(std::filesystem::exists(jar));

  char self[4096];
  const auto n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  ASSERT_GT(n, 0);
  self[n] = '\0';
  const std::string log = (dir / "second.log").string();
  const std::string cmd = "HTTPSTATE_LOGIN_JAR='" + jar.string() + "' HTTPSTATE_LOGIN_URL='" + app.url("") + "' '" + self +
                          "' --gtest_filter=FlaskLoginSecondProcess.* > '" + log + "' 2>&1";
  const int st = std::system(cmd.c_str());
  const auto out = test::slurp(log);
  ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << out;
  // It ran (not skipped) and passed.
  EXPECT_NE(out.find("[  PASSED  ] 1 test"), std::string::npos) << out;
  EXPECT_EQ(out.find("SKIPPED"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Formats, SavedJar, ::testing::Values(".db", ".json", ".txt"),
                         [](const auto& info) { return info.param.substr(1); });

}  // namespace
}  // namespace httpstate::client
