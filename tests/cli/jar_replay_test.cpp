// `httpstate jar replay`, run as the real binary (HTTPSTATE_CLI) on scripts in a temp folder.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

class JarReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("httpstate-replay-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // Runs `httpstate jar replay ARGS` with `script` as a file (or as stdin when args has "-").
  Outcome replay(const std::string& script, const std::string& args, bool via_stdin = false) {
    fs::path in = dir_ / "script.tsv", out = dir_ / "out", err = dir_ / "err";
    std::ofstream(in, std::ios::binary) << script;
    std::string cmd = std::string(HTTPSTATE_CLI) + " jar replay " + args + " " +
                      (via_stdin ? "- < " + in.string() : in.string()) + " > " + out.string() + " 2> " +
                      err.string();
    int status = std::system(cmd.c_str());
    Outcome r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  fs::path dir_;
};

TEST_F(JarReplayTest, PrintsOneLinePerGet) {
  Outcome r = replay(
      "now\t1800000000\n"
      "set\thttps://example.com/\ta=1\n"
      "set\thttps://www.example.com/\tb=2; Domain=example.com\n"
      "get\thttps://example.com/\n"
      "get\thttps://other.org/\n"
      "get\thttps://www.example.com/x\n",
      "");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "a=1; b=2\n\nb=2\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(JarReplayTest, ReadsStandardInput) {
  Outcome r = replay("set\thttps://example.com/\ta=1\nget\thttps://example.com/\n", "", /*via_stdin=*/true);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "a=1\n");
}

TEST_F(JarReplayTest, NowLinesDriveExpiry) {
  Outcome r = replay(
      "now\t1800000000\n"
      "set\thttps://example.com/\ta=1; Max-Age=60\n"
      "get\thttps://example.com/\n"
      "now\t1800000061\n"
      "get\thttps://example.com/\n",
      "");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "a=1\n\n");
}

TEST_F(JarReplayTest, ExplainNamesTheLineAndTheReason) {
  Outcome r = replay(
      "set\thttps://www.example.co.uk/\ta=1; Domain=co.uk\n"
      "set\thttps://example.com/\tok=1\n"
      "set\thttp://example.com/\ts=1; Secure\n",
      "--explain");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err,
            "set 1: rejected: Domain=co.uk is a public suffix\n"
            "set 3: rejected: a Secure cookie from an insecure origin\n");
}

TEST_F(JarReplayTest, WithoutExplainRejectionsAreSilent) {
  Outcome r = replay("set\thttps://www.example.co.uk/\ta=1; Domain=co.uk\n", "");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
}

TEST_F(JarReplayTest, MalformedLineIsAnErrorAndNothingRuns) {
  Outcome r = replay(
      "set\thttps://example.com/\ta=1\n"
      "get\thttps://example.com/\n"
      "bogus\tline\n",
      "");
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.out, "");  // the get of line 2 was never answered
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown operation 'bogus'"), std::string::npos) << r.err;
}

TEST_F(JarReplayTest, EachMalformedShapeIsNamed) {
  EXPECT_NE(replay("set\thttps://example.com/\n", "").err.find("line 1: expected set<TAB>URL<TAB>SET-COOKIE"),
            std::string::npos);
  EXPECT_NE(replay("\nget\n", "").err.find("line 2: expected get<TAB>URL"), std::string::npos);
  EXPECT_NE(replay("now\tsoon\n", "").err.find("line 1: expected now<TAB>UNIX_SECONDS"), std::string::npos);
  EXPECT_NE(replay("now\t99999999999999999999\n", "").err.find("line 1:"), std::string::npos);
  EXPECT_NE(replay("set\t\ta=1\n", "").err.find("line 1: empty URL"), std::string::npos);
  EXPECT_NE(replay("get\thttps://a/\textra\n", "").code, 0);
}

TEST_F(JarReplayTest, MissingFileFails) {
  std::string cmd = std::string(HTTPSTATE_CLI) + " jar replay " + (dir_ / "nope.tsv").string() + " 2>/dev/null";
  int status = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

TEST_F(JarReplayTest, BenchPrintsOneJsonLineWithTheDigestOfTheHeaders) {
  const std::string script =
      "now\t1800000000\n"
      "set\thttps://example.com/\ta=1\n"
      "set\thttps://example.com/\tb=2\n"
      "set\thttp://example.com/\tbad=1; Secure\n"
      "get\thttps://example.com/\n"
      "get\thttps://nobody.org/\n";
  Outcome plain = replay(script, "");
  ASSERT_EQ(plain.out, "a=1; b=2\n\n");
  Outcome r = replay(script, "--bench --repeat 3");
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_TRUE(j["impl"].get<std::string>().starts_with("httpstate"));
  EXPECT_EQ(j["stored"], 2);
  EXPECT_EQ(j["sent"], 2);
  EXPECT_GT(j["set_ns_per_op"].get<double>(), 0.0);
  EXPECT_GT(j["get_ns_per_op"].get<double>(), 0.0);
  // sha256("a=1; b=2\n"): the headers "a=1; b=2" and "" joined by "\n".
  EXPECT_EQ(j["digest"], "866f9f7e962d8a562ae967c9664443330453ff17bb8b4549bf3fda7301975edf");
}

TEST_F(JarReplayTest, RepeatNeedsBench) {
  EXPECT_NE(replay("get\thttps://a.com/\n", "--repeat 2").code, 0);
}

}  // namespace

TEST_F(JarReplayTest, JarFileIsTheStartAndIsSavedBack) {
  for (const char* name : {"jar.txt", "jar.json", "jar.sqlite"}) {
    std::string jar = "--jar " + (dir_ / name).string();
    Outcome first = replay("set\thttps://example.com/\ta=1; Max-Age=3600\nget\thttps://example.com/\n", jar);
    ASSERT_EQ(first.code, 0) << name << first.err;
    EXPECT_EQ(first.out, "a=1\n") << name;
    // A second run starts from what the first one left in the file.
    Outcome second = replay("set\thttps://example.com/x\tb=2; Path=/; Max-Age=3600\nget\thttps://example.com/\n", jar);
    ASSERT_EQ(second.code, 0) << name << second.err;
    EXPECT_EQ(second.out, "a=1; b=2\n") << name;
  }
}

TEST_F(JarReplayTest, MalformedScriptLeavesTheJarFileAlone) {
  fs::path jar = dir_ / "jar.txt";
  ASSERT_EQ(replay("set\thttps://example.com/\ta=1; Max-Age=3600\n", "--jar " + jar.string()).code, 0);
  std::string before = slurp(jar);
  Outcome r = replay("set\thttps://example.com/\tb=2; Max-Age=3600\nbogus\n", "--jar " + jar.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(slurp(jar), before);
}

TEST_F(JarReplayTest, BenchRefusesAJarFile) {
  Outcome r = replay("get\thttps://example.com/\n", "--bench --jar " + (dir_ / "jar.txt").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--jar"), std::string::npos) << r.err;
}
