// Atomic saves: a crash mid-save leaves the old file whole; modes; no stray temp files.
#include <gtest/gtest.h>

#include <random>

#include "httpstate/persist/atomic_file.hpp"
#include "httpstate/persist/jar_file.hpp"
#include "httpstate/persist/netscape.hpp"
#include "persist_test_support.hpp"

namespace httpstate {
namespace {

TEST(AtomicFile, NewFileIs0600AndExistingModeIsKept) {
  test::TempDir dir;
  auto p = dir / "a.txt";
  ASSERT_FALSE(write_file_atomically(p, "one"));
  EXPECT_EQ(test::file_mode(p), 0600);
  ASSERT_EQ(::chmod(p.c_str(), 0640), 0);
  ASSERT_FALSE(write_file_atomically(p, "two"));
  EXPECT_EQ(test::file_mode(p), 0640);
  EXPECT_EQ(test::slurp(p), "two");
  // Only the target is left: the temp file was renamed, not copied.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, AFailedSaveLeavesTheOldFile) {
  test::TempDir dir;
  auto p = dir / "a.txt";
  ASSERT_FALSE(write_file_atomically(p, "old"));
  auto missing_dir = dir / "nope" / "a.txt";
  EXPECT_TRUE(write_file_atomically(missing_dir, "new"));
  EXPECT_EQ(test::slurp(p), "old");
  std::string out;
  EXPECT_EQ(read_whole_file(dir / "absent", out), std::errc::no_such_file_or_directory);
}

// A child saves big jars in a loop and is SIGKILLed at random: every time, the file on disk
// is exactly one complete save.
TEST(AtomicFile, CrashMidSaveLeavesAWholeFile) {
  test::TempDir dir;
  auto p = dir / "jar.txt";
  auto make = [](int generation) {
    std::vector<Cookie> v;
    for (int i = 0; i < 3000; ++i)
      v.push_back(test::make_cookie("g" + std::to_string(generation) + "_" + std::to_string(i),
                                    std::string(64, 'v'), "example.com"));
    return format_netscape(v);
  };
  const std::string first = make(0);
  ASSERT_FALSE(write_file_atomically(p, first));
  std::mt19937 rng(7);
  for (int round = 0; round < 10; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    if (child == 0) {
      ::close(fds[0]);
      for (int g = 1; g <= 1000; ++g) {
        if (write_file_atomically(p, make(g))) ::_exit(3);
        if (::write(fds[1], "s", 1) != 1) ::_exit(4);
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    int saves = std::uniform_int_distribution<int>(0, 3)(rng);
    char b;
    for (int i = 0; i < saves && ::read(fds[0], &b, 1) == 1; ++i) {
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    ::close(fds[0]);
    auto r = parse_netscape(test::slurp(p));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->errors.empty()) << "round " << round;
    EXPECT_EQ(r->cookies.size(), 3000u) << "round " << round;
  }
}

TEST(JarFile, EmptyAndSpecialFilesReadAsText) {
  test::TempDir dir;
  test::spit(dir / "empty.txt", "");
  auto r = read_jar_file(dir / "empty.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->existed);
  EXPECT_TRUE(r->cookies.empty());
  JarFileOptions netscape;
  netscape.format = JarFormat::netscape;
  r = read_jar_file("/dev/null", netscape);  // not a regular file: read(), not a sized buffer
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cookies.empty());
  test::spit(dir / "empty.json", "");
  auto j = read_jar_file(dir / "empty.json");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().reason, JarError::not_a_jar);
}

TEST(JarFile, AFailedLoadIsAnErrorSoNothingIsSavedOverTheFile) {
  test::TempDir dir;
  auto p = dir / "jar.json";
  test::spit(p, "{ truncated");
  CookieJar jar;
  auto r = load_jar_file(p, jar);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, JarError::not_a_jar);
  EXPECT_EQ(test::slurp(p), "{ truncated");
  JarFileOptions unknown;
  EXPECT_EQ(read_jar_file(dir / "jar.unknown", unknown).error().reason, JarError::unknown_format);
  unknown.format = JarFormat::json;
  EXPECT_TRUE(read_jar_file(dir / "jar.unknown", unknown).ok());
}

}  // namespace
}  // namespace httpstate
