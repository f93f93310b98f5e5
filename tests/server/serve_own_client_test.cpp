// `httpstate serve` driven by our own client: `httpstate post .../login --session NAME`, then
// the profile, logout, and the profile again (401), each a new process on one session file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "serve_process.hpp"

namespace httpstate::server::testing {
namespace {

class ServeOwnClient : public ::testing::Test {
 protected:
  // The CLI with its sessions under this test's folder; stdout and stderr in `out`.
  int http(const std::string& args, std::string& out) {
    return run_command("XDG_CONFIG_HOME='" + dir_ + "' " + std::string(HTTPSTATE_CLI) + " " + args, out);
  }
  static nlohmann::json body(const std::string& out) {
    const auto blank = out.find("\n\n");
    return blank == std::string::npos ? nlohmann::json() : nlohmann::json::parse(out.substr(blank + 2), nullptr, false);
  }
  std::string dir_ = temp_dir("own_client");
};

TEST_F(ServeOwnClient, LoginProfileLogoutProfileOnANamedSession) {
  ServeProcess serve({"--demo", "--threads", "2", "--store", "sqlite:" + dir_ + "/sessions.db", "--secret-file", dir_ + "/secret"});
  ASSERT_GT(serve.port(), 0) << serve.stderr_text();
  const auto base = serve.base();
  std::string out;

  ASSERT_EQ(http("get " + base + "/profile --session alice --check-status", out), 4) << out;
  ASSERT_EQ(http("post " + base + "/login --form username=alice --form password=wonderland --session alice --check-status", out), 0)
      << out;
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\n")) << out;
  EXPECT_EQ(body(out), nlohmann::json::parse(R"({"user": "alice"})")) << out;
  EXPECT_EQ(out.find("rejected"), std::string::npos) << "the server's cookie is stored: " << out;
  const std::string file = dir_ + "/httpstate/sessions/alice.json";
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  ASSERT_EQ(http("get " + base + "/profile --session alice --check-status", out), 0) << out;
  EXPECT_EQ(body(out), nlohmann::json::parse(R"({"user": "alice"})")) << out;
  // Another session name is another user agent: not logged in.
  EXPECT_EQ(http("get " + base + "/profile --session bob --check-status", out), 4) << out;

  ASSERT_EQ(http("post " + base + "/logout --session alice --check-status", out), 0) << out;
  EXPECT_EQ(http("get " + base + "/profile --session alice --check-status", out), 4) << out;
  EXPECT_NE(out.find("HTTP/1.1 401"), std::string::npos) << out;
  EXPECT_EQ(serve.stop(), 0);
}

}  // namespace
}  // namespace httpstate::server::testing
