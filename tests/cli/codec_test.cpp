// `httpstate sign`, `unsign` and `flask-session decode`, run as the real program.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace {

struct Run {
  int code;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// args are shell-quoted one by one; `stdin_text` feeds "-".
Run httpstate(const std::vector<std::string>& args, const std::string& stdin_text = "",
              const std::string& env = "") {
  // Per process: ctest runs each test case as its own process, possibly in parallel.
  const std::string base = ::testing::TempDir() + "/cli_codec_" + std::to_string(getpid());
  const std::string in = base + ".in", out = base + ".out", err = base + ".err";
  std::ofstream(in, std::ios::binary) << stdin_text;
  std::string cmd = env + " " + quoted(HTTPSTATE_CLI);
  for (const auto& a : args) cmd += " " + quoted(a);
  cmd += " < " + quoted(in) + " > " + quoted(out) + " 2> " + quoted(err);
  const int status = std::system(cmd.c_str());
  Run r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  for (const auto& f : {in, out, err}) std::remove(f.c_str());
  return r;
}

// A secret file that is removed when the test ends.
struct SecretFile {
  std::string path;
  SecretFile(const std::string& name, const std::string& lines)
      : path(::testing::TempDir() + "/cli_codec_" + std::to_string(getpid()) + "_" + name) {
    std::ofstream(path, std::ios::binary) << lines;
  }
  ~SecretFile() { std::remove(path.c_str()); }
  operator const std::string&() const { return path; }
};

const std::string long_secret = "cli-test-secret-0123456789";

TEST(CliCodec, SignsTheSpecVectors) {
  const SecretFile short_key("short", "secret-key\n");
  auto r = httpstate({"sign", "--format", "itsdangerous", "--secret-file", short_key, "--allow-short-secret", "hello"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "hello.GIG_I5genEs4rf1bcDRWLO8Yso4\n");
  r = httpstate({"sign", "--format", "itsdangerous", "--secret-file", short_key, "--allow-short-secret",
                 "--salt", "my-salt", "--key-derivation", "hmac", "--digest", "sha256", "hello"});
  EXPECT_EQ(r.out, "hello.f_0XDqOpDX8dWdy9J9C-7awZi2hicmDWasDb99oFGhY\n");
  r = httpstate({"sign", "-f", "itsdangerous-json", "--secret", "secret-key", "--allow-short-secret",
                 R"({"id":5,"name":"itsdangerous"})"});
  EXPECT_EQ(r.out, "eyJpZCI6NSwibmFtZSI6Iml0c2Rhbmdlcm91cyJ9.dXsPurNnbsOsQDHMMaHDcM78D0s\n");
  r = httpstate({"sign", "-f", "express", "--secret", "keyboard cat", "--allow-short-secret", "--session",
                 "xUbY0HpC0mILx3SIqgtL1uBvOxbJr2-G"});
  EXPECT_EQ(r.out, "s%3AxUbY0HpC0mILx3SIqgtL1uBvOxbJr2-G.tJXsKxd1%2F093PupKXX7zfQdkCX06QqasjdwLssMayzo\n");
}

TEST(CliCodec, RefusesShortSecretsWithoutQuotingThem) {
  const auto r = httpstate({"sign", "-f", "itsdangerous", "--secret", "qwzx-short", "hello"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("shorter than 16 bytes"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("qwzx-short"), std::string::npos) << r.err;
  EXPECT_EQ(httpstate({"sign", "-f", "itsdangerous", "hello"}).code, 2);  // no secret at all
}

TEST(CliCodec, UnsignReasonsAndExitCodes) {
  auto r = httpstate({"unsign", "-f", "itsdangerous", "--secret", "secret-key", "--allow-short-secret",
                      "hello.GIG_I5genEs4rf1bcDRWLO8Yso5"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("bad signature"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("secret-key"), std::string::npos) << r.err;
  // The vector was signed in 2023: more than 60 seconds ago.
  r = httpstate({"unsign", "-f", "itsdangerous-timed", "--secret", "secret-key", "--allow-short-secret",
                 "--max-age", "60", "hello.ZVPxAA.UQx3EIPGLNk6IyY28rz4wwlRRWI"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("signature expired (signed 2023-11-14T22:13:20Z)"), std::string::npos) << r.err;
  r = httpstate({"unsign", "-f", "itsdangerous-timed", "--secret", "secret-key", "--allow-short-secret",
                 "hello.ZVPxAA.UQx3EIPGLNk6IyY28rz4wwlRRWI"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
  r = httpstate({"unsign", "-f", "itsdangerous-timed", "--secret", long_secret, "--salt", "itsdangerous.Signer",
                 httpstate({"sign", "-f", "itsdangerous", "--secret", long_secret, "x"}).out.substr(0, 29)});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("timestamp missing"), std::string::npos) << r.err;
}

TEST(CliCodec, EveryFormatRoundTripsThroughStdin) {
  const SecretFile key("long", long_secret + "\n");
  const std::vector<std::pair<std::string, std::string>> formats = {
      {"itsdangerous", "plain value"},
      {"itsdangerous-timed", "timed value"},
      {"itsdangerous-json", R"({"a":[1,2.5,"é"]})"},
      {"itsdangerous-json-timed", R"({"a":{"b":null}})"},
      {"flask-session", R"({"t":{" t":[1,2]},"user":"alice"})"},
      {"tornado", "tornado value"},
      {"express", "express value"},
      {"encrypted", "secret value"}};
  for (const auto& [format, value] : formats) {
    std::vector<std::string> extra;
    if (format == "tornado" || format == "encrypted") extra = {"--name", "sid"};
    auto args = std::vector<std::string>{"sign", "-f", format, "--secret-file", key};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("-");
    const auto signed_ = httpstate(args, value + "\n");
    ASSERT_EQ(signed_.code, 0) << format << ": " << signed_.err;
    args[0] = "unsign";
    const auto back = httpstate(args, signed_.out);
    EXPECT_EQ(back.code, 0) << format << ": " << back.err;
    EXPECT_EQ(back.out, value + "\n") << format;
    auto wrong = args;
    const SecretFile other("other", "another-secret-of-enough-bytes\n");
    wrong[4] = other;
    EXPECT_EQ(httpstate(wrong, signed_.out).code, 1) << format;
  }
}

TEST(CliCodec, RotationNewestLastAndSecretEnv) {
  const SecretFile old_key("old", "old-secret-0123456789\n");
  const SecretFile both("both", "old-secret-0123456789\nnew-secret-0123456789\n");
  const auto token = httpstate({"sign", "-f", "itsdangerous-json", "--secret-file", old_key, "[1]"}).out;
  auto r = httpstate({"unsign", "-f", "itsdangerous-json", "--secret-file", both, "-"}, token);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "[1]\n");
  const auto by_new = httpstate({"sign", "-f", "itsdangerous-json", "--secret-file", both, "[1]"}).out;
  r = httpstate({"unsign", "-f", "itsdangerous-json", "--secret", "new-secret-0123456789", "-"}, by_new);
  EXPECT_EQ(r.code, 0) << r.err;
  r = httpstate({"unsign", "-f", "itsdangerous-json", "--secret-env", "CODEC_TEST_SECRET", "-"}, by_new,
                "CODEC_TEST_SECRET=new-secret-0123456789");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(httpstate({"unsign", "-f", "itsdangerous-json", "--secret-env", "CODEC_TEST_UNSET", "-"}, by_new).code, 2);
}

TEST(CliCodec, TornadoVectorAndNameCheck) {
  const std::string v2 = "2|1:0|10:1700000000|4:user|8:YWxpY2U=|c8c8560d86e71dfcd7a87ae9cb6a4e5ea7b7b3d881fc02af74b4a301ff0fb1e1";
  auto r = httpstate({"unsign", "-f", "tornado", "--secret", "tornado-secret", "--allow-short-secret",
                      "--name", "user", "--max-age-days", "100000", v2});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "alice\n");
  r = httpstate({"unsign", "-f", "tornado", "--secret", "tornado-secret", "--allow-short-secret", "--name",
                 "admin", "--max-age-days", "100000", v2});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("signed for another cookie name"), std::string::npos) << r.err;
  EXPECT_EQ(httpstate({"unsign", "-f", "tornado", "--secret", long_secret, v2}).code, 2);  // --name missing
}

TEST(CliCodec, FlaskSessionDecode) {
  const std::string cookie = "eyJuIjoxLCJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.AppwgC4UK6JQwfN6XFIe2ssJrO0";
  auto r = httpstate({"flask-session", "decode", "session=" + cookie});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("verified": false)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("user": "alice")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2023-11-14T22:13:20Z"), std::string::npos) << r.out;
  r = httpstate({"flask-session", "decode", "--secret", "dev-secret-key", "--allow-short-secret", "--max-age",
                 "4000000000", cookie});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("verified": true)"), std::string::npos) << r.out;
  r = httpstate({"flask-session", "decode", "--secret", "dev-secret-key", "--allow-short-secret", cookie});
  EXPECT_EQ(r.code, 1);  // 31 days (PERMANENT_SESSION_LIFETIME) are long gone
  EXPECT_NE(r.err.find("signature expired (signed 2023-11-14T22:13:20Z)"), std::string::npos) << r.err;
  r = httpstate({"flask-session", "decode", "--secret", long_secret, cookie});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad signature"), std::string::npos) << r.err;
  EXPECT_EQ(httpstate({"flask-session", "decode", "not-a-cookie"}).code, 1);
}

}  // namespace
