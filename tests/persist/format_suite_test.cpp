// The one suite every jar file format passes (as Chromium's cookie_store_unittest.h).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "httpstate/persist/jar_file.hpp"
#include "persist_test_support.hpp"

namespace httpstate {
namespace {

using test::TempDir;

struct NetscapeTraits {
  static constexpr JarFormat format = JarFormat::netscape;
  static constexpr const char* file = "jar.txt";
  static constexpr bool keeps_everything = false;  // no SameSite, Partitioned or times
  static std::string bad_file() {
    return "# Netscape HTTP Cookie File\n"
           "good.example\tFALSE\t/\tFALSE\t1900000000\ta\t1\n"
           "this line is not a cookie\n"
           "good.example\tFALSE\t/\tFALSE\t1900000000\tb\t2\n";
  }
  static void write_bad(const std::filesystem::path& p) { test::spit(p, bad_file()); }
  static constexpr std::size_t bad_line = 3;
};

struct JsonTraits {
  static constexpr JarFormat format = JarFormat::json;
  static constexpr const char* file = "jar.json";
  static constexpr bool keeps_everything = true;
  static std::string bad_file() {
    return R"({"format": "httpstate-cookie-jar", "version": 1, "cookies": [
      {"name": "a", "value": "1", "domain": "good.example", "path": "/", "expires": 1900000000},
      {"name": "x", "value": 7, "domain": "good.example", "path": "/"},
      {"name": "b", "value": "2", "domain": "good.example", "path": "/", "expires": 1900000000}]})";
  }
  static void write_bad(const std::filesystem::path& p) { test::spit(p, bad_file()); }
  static constexpr std::size_t bad_line = 2;
};

struct SqliteTraits {
  static constexpr JarFormat format = JarFormat::sqlite;
  static constexpr const char* file = "jar.sqlite";
  static constexpr bool keeps_everything = true;
  // Our writer cannot make a bad row: another program writes one (rows sort by primary key).
  static void write_bad(const std::filesystem::path& p) {
    auto good = [](const char* name) {
      auto c = test::make_cookie(name, "1", "good.example");
      c.expires = from_unix_seconds(1900000000);
      return c;
    };
    ASSERT_TRUE(write_jar_file(p, std::vector<Cookie>{good("a"), good("b")}).ok());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(p.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "INSERT INTO cookies VALUES ('good.example',1,'nopath','x','1',NULL,0,0,0,0,0,0)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  static constexpr std::size_t bad_line = 3;
};

template <class T>
class JarFormatSuite : public ::testing::Test {
 protected:
  std::filesystem::path path() const { return dir_ / T::file; }
  JarFileOptions options(bool keep_session = true) const {
    JarFileOptions o;
    o.load.now = test::test_now;
    o.load.keep_session_cookies = keep_session;
    return o;
  }
  std::vector<Cookie> round_trip(const std::vector<Cookie>& in) {
    auto w = write_jar_file(path(), in, options());
    EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message());
    auto r = read_jar_file(path(), options());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
    if (!r.ok()) return {};
    EXPECT_TRUE(r->errors.empty());
    return r->cookies;
  }
  TempDir dir_;
};

using Formats = ::testing::Types<NetscapeTraits, JsonTraits, SqliteTraits>;
TYPED_TEST_SUITE(JarFormatSuite, Formats);

std::map<std::string, Cookie> by_name(const std::vector<Cookie>& v) {
  std::map<std::string, Cookie> m;
  for (const auto& c : v) m[c.domain + "|" + c.name] = c;
  return m;
}

TYPED_TEST(JarFormatSuite, RoundTripsEveryFieldItKeeps) {
  auto in = test::sample_cookies();
  auto out = by_name(this->round_trip(in));
  ASSERT_EQ(out.size(), in.size());
  for (const auto& c : in) {
    SCOPED_TRACE(c.domain + " " + c.name);
    auto it = out.find(c.domain + "|" + c.name);
    ASSERT_NE(it, out.end());
    const Cookie& got = it->second;
    EXPECT_EQ(got.value, c.value);
    EXPECT_EQ(got.path, c.path);
    EXPECT_EQ(got.host_only, c.host_only);
    EXPECT_EQ(got.secure, c.secure);
    EXPECT_EQ(got.http_only, c.http_only);
    EXPECT_EQ(got.persistent(), c.persistent());
    if (c.expires) {
      EXPECT_EQ(to_unix_seconds(*got.expires), to_unix_seconds(*c.expires));
    }
    if (TypeParam::keeps_everything) {
      EXPECT_EQ(got.same_site, c.same_site);
      EXPECT_EQ(got.partitioned, c.partitioned);
      EXPECT_EQ(got.creation, c.creation);
      EXPECT_EQ(got.last_access, c.last_access);
      EXPECT_EQ(got.expires, c.expires);
    }
  }
}

TYPED_TEST(JarFormatSuite, KeepsOddBytesInValuesAndPaths) {
  auto c = test::make_cookie("odd", "tab\there;\xff\xfe latin1 \xc3\xa9", "example.com", true,
                             "/caf\xc3\xa9/\xe9");
  auto out = this->round_trip({c});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].value, c.value);
  EXPECT_EQ(out[0].path, c.path);
}

TYPED_TEST(JarFormatSuite, DropsExpiredCookiesOnLoad) {
  auto live = test::make_cookie("live", "1", "example.com");
  auto dead = test::make_cookie("dead", "1", "example.com");
  dead.expires = test::test_now - std::chrono::seconds(1);
  auto out = this->round_trip({live, dead});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "live");
}

TYPED_TEST(JarFormatSuite, DropsSessionCookiesUnlessKept) {
  auto session = test::make_cookie("s", "1", "example.com");
  session.expires.reset();
  auto persistent = test::make_cookie("p", "1", "example.com");
  ASSERT_TRUE(write_jar_file(this->path(), std::vector<Cookie>{session, persistent}, this->options()).ok());

  auto dropped = read_jar_file(this->path(), this->options(/*keep_session=*/false));
  ASSERT_TRUE(dropped.ok());
  ASSERT_EQ(dropped->cookies.size(), 1u);
  EXPECT_EQ(dropped->cookies[0].name, "p");
  EXPECT_EQ(dropped->dropped_session, 1u);

  auto kept = read_jar_file(this->path(), this->options(/*keep_session=*/true));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->cookies.size(), 2u);
}

TYPED_TEST(JarFormatSuite, MissingFileIsAnEmptyJarAndIsNotCreated) {
  auto r = read_jar_file(this->path(), this->options());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->existed);
  EXPECT_TRUE(r->cookies.empty());
  EXPECT_FALSE(std::filesystem::exists(this->path()));
}

TYPED_TEST(JarFormatSuite, NewFilesAreOwnerOnly) {
  ASSERT_TRUE(write_jar_file(this->path(), test::sample_cookies(), this->options()).ok());
  EXPECT_EQ(test::file_mode(this->path()), 0600);
}

TYPED_TEST(JarFormatSuite, SaveReplacesTheWholeJar) {
  ASSERT_TRUE(write_jar_file(this->path(), test::sample_cookies(), this->options()).ok());
  auto one = test::make_cookie("only", "1", "example.com");
  auto out = this->round_trip({one});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "only");
}

TYPED_TEST(JarFormatSuite, GarbageFailsOrIsReportedAndNeverChangesTheFile) {
  const std::string garbage = "SQLite format 3\0garbage\x01\x02\xff not a jar at all\n";
  test::spit(this->path(), garbage);
  auto r = read_jar_file(this->path(), this->options());
  if (r.ok()) {
    EXPECT_TRUE(r->cookies.empty());
    EXPECT_FALSE(r->errors.empty());  // a text format lists the line it could not read
  }
  auto strict = this->options();
  strict.load.strict = true;
  EXPECT_FALSE(read_jar_file(this->path(), strict).ok());
  EXPECT_EQ(test::slurp(this->path()), garbage);
}

TYPED_TEST(JarFormatSuite, MalformedEntryIsReportedAndTheGoodOnesLoad) {
  TypeParam::write_bad(this->path());
  auto r = read_jar_file(this->path(), this->options());
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].line, TypeParam::bad_line);
  ASSERT_EQ(r->cookies.size(), 2u);

  auto strict = this->options();
  strict.load.strict = true;
  auto refused = read_jar_file(this->path(), strict);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, JarError::malformed_entry);
  EXPECT_NE(refused.error().message().find(std::to_string(TypeParam::bad_line)), std::string::npos);
}

TYPED_TEST(JarFormatSuite, LoadsIntoAJarAndSavesItBack) {
  CookieJar jar;
  jar.set_clock([] { return test::test_now; });
  ASSERT_TRUE(write_jar_file(this->path(), test::sample_cookies(), this->options()).ok());
  auto loaded = load_jar_file(this->path(), jar, this->options());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(jar.size(), test::sample_cookies().size());
  EXPECT_EQ(jar.cookie_header("http://example.com/"), "sid=abc123");

  jar.insert(test::make_cookie("added", "2", "example.com"));
  ASSERT_TRUE(save_jar_file(this->path(), jar, this->options()).ok());
  CookieJar again;
  again.set_clock([] { return test::test_now; });
  ASSERT_TRUE(load_jar_file(this->path(), again, this->options()).ok());
  EXPECT_EQ(again.size(), jar.size());
}

TYPED_TEST(JarFormatSuite, FormatFollowsTheExtension) {
  EXPECT_EQ(jar_format_for(this->path()), TypeParam::format);
}

}  // namespace
}  // namespace httpstate
