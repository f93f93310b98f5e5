// Firefox import, on a fixture built with Firefox's own moz_cookies schema (v12, Firefox 91+).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "httpstate/persist/firefox.hpp"
#include "httpstate/persist/jar_file.hpp"
#include "persist_test_support.hpp"

namespace httpstate {
namespace {

// Firefox's CookiePersistentStorage.cpp CreateTableWorker, schema 12 plus the 13th column.
constexpr const char* firefox_schema = R"sql(
CREATE TABLE moz_cookies (
  id INTEGER PRIMARY KEY,
  originAttributes TEXT NOT NULL DEFAULT '',
  name TEXT,
  value TEXT,
  host TEXT,
  path TEXT,
  expiry INTEGER,
  lastAccessed INTEGER,
  creationTime INTEGER,
  isSecure INTEGER,
  isHttpOnly INTEGER,
  inBrowserElement INTEGER DEFAULT 0,
  sameSite INTEGER DEFAULT 0,
  rawSameSite INTEGER DEFAULT 0,
  schemeMap INTEGER DEFAULT 0,
  isPartitionedAttributeSet INTEGER DEFAULT 0,
  CONSTRAINT moz_uniqueid UNIQUE (name, host, path, originAttributes)
);
PRAGMA user_version = 13;
INSERT INTO moz_cookies (originAttributes, name, value, host, path, expiry, lastAccessed,
  creationTime, isSecure, isHttpOnly, sameSite, rawSameSite, schemeMap, isPartitionedAttributeSet)
VALUES
  ('', 'sid', 'abc', '.example.com', '/', 1900000000, 1799999000000000, 1790000000000000, 1, 1, 1, 1, 2, 0),
  ('', 'host', 'h', 'www.example.org', '/app', 1900000000, 1799999000000001, 1790000000000001, 0, 0, 0, 0, 1, 0),
  ('', 'ms', 'm', 'ms.test', '/', 1900000000000, 1799999000000000, 1790000000000000, 1, 0, 2, 2, 2, 0),
  ('^partitionKey=%28https%2Ctop.test%29', 'chips', 'c', 'embed.test', '/', 1900000000, 1, 1, 1, 0, 0, 0, 2, 1),
  ('^userContextId=2', 'container', 'x', '.example.com', '/', 1900000000, 1, 1, 0, 0, 0, 0, 1, 0),
  ('', 'old', 'o', 'example.com', '/', 1000000000, 1, 1, 0, 0, 0, 0, 1, 0);
)sql";

TEST(FirefoxImport, ReadsMozCookies) {
  test::TempDir dir;
  auto path = dir / "cookies.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, firefox_schema, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  LoadOptions o;
  o.now = test::test_now;
  auto r = load_firefox_cookies(path, o);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->dropped_foreign, 1u);
  EXPECT_EQ(r->dropped_expired, 1u);
  ASSERT_EQ(r->cookies.size(), 4u);
  std::map<std::string, Cookie> c;
  for (auto& x : r->cookies) c[x.name] = x;
  EXPECT_EQ(c["sid"].domain, "example.com");
  EXPECT_FALSE(c["sid"].host_only);
  EXPECT_TRUE(c["sid"].secure);
  EXPECT_TRUE(c["sid"].http_only);
  EXPECT_EQ(c["sid"].same_site, SameSite::lax);
  EXPECT_EQ(c["sid"].creation.time_since_epoch().count(), 1790000000000000);
  EXPECT_EQ(c["sid"].last_access.time_since_epoch().count(), 1799999000000000);
  EXPECT_EQ(to_unix_seconds(*c["sid"].expires), 1900000000);
  EXPECT_TRUE(c["host"].host_only);
  EXPECT_EQ(c["host"].path, "/app");
  EXPECT_EQ(c["host"].same_site, SameSite::unset);
  EXPECT_EQ(to_unix_seconds(*c["ms"].expires), 1900000000);  // newer Firefox: milliseconds
  EXPECT_EQ(c["ms"].same_site, SameSite::strict);
  EXPECT_TRUE(c["chips"].partitioned);

  // By extension "cookies.sqlite" is SQLite; the moz_cookies table tells it is Firefox's.
  JarFileOptions fo;
  fo.load = o;
  auto via_file = read_jar_file(path, fo);
  ASSERT_TRUE(via_file.ok()) << via_file.error().message();
  EXPECT_EQ(via_file->cookies.size(), 4u);
  auto w = write_jar_file(path, via_file->cookies, fo);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().reason, JarError::read_only_format);
}

TEST(FirefoxImport, AnotherDatabaseIsAClearError) {
  test::TempDir dir;
  auto path = dir / "other.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto r = load_firefox_cookies(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, JarError::foreign_database);
  test::spit(dir / "junk.sqlite", "junk junk junk junk junk junk junk junk junk junk junk junk");
  r = load_firefox_cookies(dir / "junk.sqlite");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, JarError::not_a_database);
}

}  // namespace
}  // namespace httpstate
