// `httpstate jar --jar PATH ...`: the real binary on real files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "persist/persist_test_support.hpp"

namespace httpstate {
namespace {

using test::TempDir;

class JarFileCli : public ::testing::Test {
 protected:
  // stdout and stderr together, so a test sees the reason a command printed.
  test::CommandResult jar(const std::string& file, const std::string& args) {
    return test::run(std::string(HTTPSTATE_CLI) + " jar --jar " + (dir_ / file).string() + " " + args + " 2>&1");
  }
  std::string path(const std::string& file) const { return (dir_ / file).string(); }
  TempDir dir_;
};

TEST_F(JarFileCli, SetGetListDeleteClearOnACookiesTxt) {
  auto r = jar("jar.txt", "set https://example.com/ 'sid=abc; Max-Age=3600; Secure; HttpOnly'");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "stored\n");
  EXPECT_EQ(test::file_mode(path("jar.txt")), 0600);
  EXPECT_EQ(jar("jar.txt", "set https://www.example.com/ 'pref=dark; Domain=example.com'").status, 0);

  r = jar("jar.txt", "get https://www.example.com/");
  EXPECT_EQ(r.out, "pref=dark\n");
  r = jar("jar.txt", "get https://example.com/");
  EXPECT_EQ(r.out, "sid=abc; pref=dark\n");

  r = jar("jar.txt", "list");
  ASSERT_EQ(r.status, 0);
  EXPECT_TRUE(r.out.starts_with("DOMAIN")) << r.out;
  EXPECT_NE(r.out.find("Secure,HttpOnly"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("session"), std::string::npos) << r.out;

  r = jar("jar.txt", "delete sid --domain example.com");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(jar("jar.txt", "get https://example.com/").out, "pref=dark\n");
  r = jar("jar.txt", "delete sid --domain example.com");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("no cookie sid"), std::string::npos);

  EXPECT_EQ(jar("jar.txt", "clear --domain other.test").out, "deleted 0\n");
  EXPECT_EQ(jar("jar.txt", "clear").out, "deleted 1\n");
  EXPECT_EQ(jar("jar.txt", "get https://example.com/").out, "\n");
}

TEST_F(JarFileCli, SetPrintsTheReasonItRejectsAndLeavesTheFile) {
  ASSERT_EQ(jar("jar.txt", "set https://example.com/ 'a=1; Max-Age=60'").status, 0);
  auto before = test::slurp(path("jar.txt"));
  auto r = jar("jar.txt", "set http://example.com/ 'b=2; Domain=com'");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("rejected: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("public suffix"), std::string::npos) << r.out;
  EXPECT_EQ(test::slurp(path("jar.txt")), before);
}

TEST_F(JarFileCli, ListJsonAndUrlFilter) {
  jar("jar.json", "set https://a.test/ 'x=1; Max-Age=600; SameSite=Strict'");
  jar("jar.json", "set https://b.test/ 'y=2; Max-Age=600'");
  auto r = jar("jar.json", "list --json --url https://a.test/");
  ASSERT_EQ(r.status, 0) << r.out;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  ASSERT_EQ(doc["cookies"].size(), 1u);
  EXPECT_EQ(doc["cookies"][0]["name"], "x");
  EXPECT_EQ(doc["cookies"][0]["same_site"], "Strict");
}

TEST_F(JarFileCli, NetscapeToJsonToSqliteToNetscapeIsLossless) {
  test::spit(dir_ / "curl.txt",
             "# Netscape HTTP Cookie File\n"
             "#HttpOnly_.example.com\tTRUE\t/\tTRUE\t4000000000\tsid\ts e c r e t\n"
             "example.com\tFALSE\t/app\tFALSE\t0\tsession\t1\n"
             "shop.test\tFALSE\t/\tTRUE\t4000000001\tcart\t{\"a\":1}\n"
             "127.0.0.1\tFALSE\t/\tFALSE\t4000000002\t\tnameless\n");
  auto r = jar("a.txt", "import " + path("curl.txt"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "imported 4\n");
  ASSERT_EQ(jar("a.txt", "export " + path("b.json")).status, 0);
  ASSERT_EQ(jar("b.json", "export " + path("c.sqlite")).status, 0);
  ASSERT_EQ(jar("c.sqlite", "export " + path("d.txt")).status, 0);
  auto a = test::slurp(path("a.txt"));
  EXPECT_EQ(test::slurp(path("d.txt")), a);
  EXPECT_NE(a.find("#HttpOnly_.example.com\tTRUE\t/\tTRUE\t4000000000\tsid\ts e c r e t\n"), std::string::npos);
}

TEST_F(JarFileCli, SqliteJarIsWrittenThrough) {
  ASSERT_EQ(jar("jar.sqlite", "set https://example.com/ 'sid=1; Max-Age=600'").status, 0);
  ASSERT_EQ(jar("jar.sqlite", "set https://example.com/ 'other=2; Max-Age=600'").status, 0);
  EXPECT_EQ(jar("jar.sqlite", "get https://example.com/").out, "sid=1; other=2\n");
  EXPECT_EQ(jar("jar.db", "list").status, 0);  // .db is SQLite too
  auto r = jar("jar.sqlite", "delete other --domain example.com --path /");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(jar("jar.sqlite", "get https://example.com/").out, "sid=1\n");
}

TEST_F(JarFileCli, MalformedLinesAreReportedAndNeverRewrittenAway) {
  const std::string text =
      "example.com\tFALSE\t/\tFALSE\t4000000000\tgood\t1\n"
      "this is not a cookie line\n";
  test::spit(dir_ / "jar.txt", text);
  auto r = jar("jar.txt", "list");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("line 2: not 7 TAB-separated fields"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("good"), std::string::npos);

  r = jar("jar.txt", "set https://example.com/ 'new=1'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("refusing to rewrite"), std::string::npos) << r.out;
  EXPECT_EQ(test::slurp(path("jar.txt")), text);

  r = jar("jar.txt", "--strict list");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("line 2"), std::string::npos) << r.out;
}

TEST_F(JarFileCli, BadFilesAreClearErrors) {
  test::spit(dir_ / "jar.sqlite", std::string(4096, 'z'));
  auto r = jar("jar.sqlite", "set https://example.com/ 'a=1'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("not a SQLite database"), std::string::npos) << r.out;
  EXPECT_EQ(test::slurp(path("jar.sqlite")), std::string(4096, 'z'));

  r = jar("jar.cookies2", "list");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("--format"), std::string::npos);
  EXPECT_EQ(jar("jar.cookies2", "--format json list").status, 0);

  test::spit(dir_ / "jar.json", "{\"format\": \"httpstate-cookie-jar\", \"version\": 9, \"cookies\": []}");
  r = jar("jar.json", "clear");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("newer version"), std::string::npos) << r.out;
}

TEST_F(JarFileCli, PurgeDropsExpiredAndOptionallySessionCookies) {
  test::spit(dir_ / "jar.txt",
             "example.com\tFALSE\t/\tFALSE\t1000000000\told\t1\n"
             "example.com\tFALSE\t/\tFALSE\t0\tsess\t1\n"
             "example.com\tFALSE\t/\tFALSE\t4000000000\tkeep\t1\n");
  ASSERT_EQ(jar("jar.txt", "purge").status, 0);
  auto text = test::slurp(path("jar.txt"));
  EXPECT_EQ(text.find("\told\t"), std::string::npos);
  EXPECT_NE(text.find("\tsess\t"), std::string::npos);
  ASSERT_EQ(jar("jar.txt", "purge --session").status, 0);
  text = test::slurp(path("jar.txt"));
  EXPECT_EQ(text.find("\tsess\t"), std::string::npos);
  EXPECT_NE(text.find("\tkeep\t"), std::string::npos);
}

TEST_F(JarFileCli, ImportsFirefoxCookies) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path("cookies.sqlite").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, originAttributes TEXT NOT NULL "
                         "DEFAULT '', name TEXT, value TEXT, host TEXT, path TEXT, expiry INTEGER, "
                         "lastAccessed INTEGER, creationTime INTEGER, isSecure INTEGER, isHttpOnly INTEGER, "
                         "inBrowserElement INTEGER DEFAULT 0, sameSite INTEGER DEFAULT 0, rawSameSite INTEGER "
                         "DEFAULT 0, schemeMap INTEGER DEFAULT 0, CONSTRAINT moz_uniqueid UNIQUE (name, host, "
                         "path, originAttributes));"
                         "INSERT INTO moz_cookies (name, value, host, path, expiry, lastAccessed, creationTime,"
                         " isSecure, isHttpOnly) VALUES ('ff', 'v', '.example.com', '/', 4000000000, 1, 1, 0, 0);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto r = jar("jar.json", "import " + path("cookies.sqlite"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(jar("jar.json", "get https://www.example.com/").out, "ff=v\n");
  r = jar("cookies.sqlite", "--format firefox set https://example.com/ 'a=1'");
  EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace httpstate
