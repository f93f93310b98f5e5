// The SQLite jar: write-through, WAL, migration, bad files, two processes, crash safety.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <random>
#include <set>

#include "httpstate/persist/sqlite_store.hpp"
#include "persist_test_support.hpp"

namespace httpstate {
namespace {

using test::TempDir;

LoadOptions keep_all() {
  LoadOptions o;
  o.keep_session_cookies = true;
  return o;
}

// Reads the file with SQLite alone, as another program would.
struct RawDb {
  explicit RawDb(const std::filesystem::path& p) { sqlite3_open(p.c_str(), &db); }
  ~RawDb() { sqlite3_close(db); }
  std::string text(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) return "error";
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
  }
  int exec(const std::string& sql) const { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr); }
  sqlite3* db = nullptr;
};

std::unique_ptr<SqliteStore> open_ok(const std::filesystem::path& p) {
  auto s = SqliteStore::open(p);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(SqliteStore, WritesEveryChangeThroughAsItHappens) {
  TempDir dir;
  auto path = dir / "jar.sqlite";
  auto store = open_ok(path);
  ASSERT_TRUE(store);
  CookieJar jar;
  ASSERT_TRUE(store->attach(jar).ok());
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(SqliteStore::schema_version));

  ASSERT_TRUE(jar.store("https://example.com/", "sid=1; Max-Age=3600; Secure; SameSite=Lax").included());
  // Visible to another connection at once: committed, not buffered.
  EXPECT_EQ(raw.text("SELECT value FROM cookies WHERE name='sid'"), "1");
  jar.store("https://example.com/", "sid=2; Max-Age=3600");
  EXPECT_EQ(raw.text("SELECT value FROM cookies WHERE name='sid'"), "2");
  EXPECT_EQ(raw.text("SELECT count(*) FROM cookies"), "1");
  jar.store("https://example.com/", "sid=; Max-Age=0");
  EXPECT_EQ(raw.text("SELECT count(*) FROM cookies"), "0");
  EXPECT_EQ(store->failed_writes(), 0u);
}

TEST(SqliteStore, ReopensWithEveryFieldAndBatchesAccessTimes) {
  TempDir dir;
  auto path = dir / "jar.sqlite";
  auto in = test::sample_cookies();
  {
    auto store = open_ok(path);
    CookieJar jar;
    ASSERT_TRUE(store->attach(jar).ok());
    for (const auto& c : in) jar.insert(c);
    jar.set_clock([] { return test::test_now; });
    EXPECT_EQ(jar.cookie_header("http://example.com/"), "sid=abc123");
    ASSERT_TRUE(store->flush().ok());
    RawDb raw(dir / "jar.sqlite");
    EXPECT_EQ(raw.text("SELECT last_access FROM cookies WHERE name='sid'"),
              std::to_string(test::test_now.time_since_epoch().count()));
  }
  auto store = open_ok(path);
  LoadOptions o = keep_all();
  o.now = test::test_now;
  auto loaded = store->load(o);
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->cookies.size(), in.size());
  for (const auto& c : loaded->cookies) {
    auto want = std::find_if(in.begin(), in.end(), [&](const Cookie& x) { return x.same_identity(c); });
    ASSERT_NE(want, in.end()) << c.name;
    EXPECT_EQ(c.value, want->value);
    EXPECT_EQ(c.expires, want->expires);
    EXPECT_EQ(c.same_site, want->same_site);
    EXPECT_EQ(c.partitioned, want->partitioned);
    EXPECT_EQ(c.http_only, want->http_only);
  }
}

TEST(SqliteStore, MigratesAVersion1File) {
  TempDir dir;
  auto path = dir / "old.sqlite";
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("CREATE TABLE cookies (domain TEXT NOT NULL, host_only INTEGER NOT NULL,"
                       " path TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, expires INTEGER,"
                       " creation INTEGER NOT NULL, last_access INTEGER NOT NULL, secure INTEGER NOT NULL,"
                       " http_only INTEGER NOT NULL, same_site INTEGER NOT NULL,"
                       " PRIMARY KEY (domain, host_only, path, name)) WITHOUT ROWID;"
                       "INSERT INTO cookies VALUES ('example.com',1,'/','old','v',1900000000,1,1,0,0,2);"
                       "PRAGMA application_id=" + std::to_string(SqliteStore::application_id) + ";"
                       "PRAGMA user_version=1;"),
              SQLITE_OK);
  }
  auto store = open_ok(path);
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->cookies.size(), 1u);
  EXPECT_EQ(to_unix_seconds(*loaded->cookies[0].expires), 1900000000);  // seconds -> microseconds
  EXPECT_EQ(loaded->cookies[0].same_site, SameSite::lax);
  EXPECT_FALSE(loaded->cookies[0].partitioned);
  EXPECT_EQ(RawDb(path).text("PRAGMA user_version"), std::to_string(SqliteStore::schema_version));
}

TEST(SqliteStore, CorruptForeignAndNewerFilesAreClearErrors) {
  TempDir dir;
  auto text = dir / "text.sqlite";
  test::spit(text, std::string(8192, 'x'));
  auto r = SqliteStore::open(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, JarError::not_a_database);
  EXPECT_EQ(test::slurp(text), std::string(8192, 'x'));  // untouched

  auto foreign = dir / "foreign.db";
  RawDb(foreign).exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
  r = SqliteStore::open(foreign);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, JarError::foreign_database);
  EXPECT_EQ(RawDb(foreign).text("SELECT body FROM notes"), "keep me");

  auto newer = dir / "newer.sqlite";
  RawDb(newer).exec("PRAGMA application_id=" + std::to_string(SqliteStore::application_id) +
                    "; PRAGMA user_version=99");
  r = SqliteStore::open(newer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, JarError::unsupported_version);

  // A real jar whose pages are then overwritten: an error on load, never a crash.
  auto broken = dir / "broken.sqlite";
  {
    auto store = open_ok(broken);
    CookieJar jar;
    store->attach(jar);
    for (int i = 0; i < 300; ++i)
      jar.insert(test::make_cookie("c" + std::to_string(i), std::string(200, 'v'), "d" + std::to_string(i) + ".test"));
  }
  RawDb(broken).exec("PRAGMA wal_checkpoint(TRUNCATE)");
  std::string bytes = test::slurp(broken);
  ASSERT_GT(bytes.size(), 16384u);
  for (std::size_t i = 4096; i < bytes.size(); i += 7) bytes[i] = static_cast<char>(i * 31);
  test::spit(broken, bytes);
  auto s = SqliteStore::open(broken);
  JarError reason = s.ok() ? JarError::io_error : s.error().reason;
  if (s.ok()) {
    auto loaded = (*s)->load();
    ASSERT_FALSE(loaded.ok()) << "corruption went unnoticed";
    reason = loaded.error().reason;
  }
  EXPECT_EQ(reason, JarError::not_a_database);
}

TEST(SqliteStore, TwoProcessesKeepEachOthersUpdates) {
  TempDir dir;
  auto path = dir / "shared.sqlite";
  ASSERT_TRUE(open_ok(path));  // created before both start
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  pid_t child = ::fork();
  if (child == 0) {
    char b;
    ::close(go[1]);
    if (::read(go[0], &b, 1) != 1) ::_exit(2);
    auto s = SqliteStore::open(path);
    if (!s.ok()) ::_exit(3);
    CookieJar jar;
    (*s)->attach(jar);
    for (int i = 0; i < 200; ++i) jar.insert(test::make_cookie("child" + std::to_string(i), "c", "c" + std::to_string(i % 20) + ".test"));
    ::_exit((*s)->failed_writes() == 0 ? 0 : 4);
  }
  ::close(go[0]);
  auto store = open_ok(path);
  CookieJar jar;
  ASSERT_TRUE(store->attach(jar).ok());
  ASSERT_EQ(::write(go[1], "g", 1), 1);  // both write at once from here
  for (int i = 0; i < 200; ++i) jar.insert(test::make_cookie("parent" + std::to_string(i), "p", "p" + std::to_string(i % 20) + ".test"));
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(store->failed_writes(), 0u);
  EXPECT_EQ(RawDb(path).text("SELECT count(*) FROM cookies"), "400");

  auto changed = store->reload(jar);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 200u);
  EXPECT_EQ(jar.size(), 400u);
  EXPECT_EQ(RawDb(path).text("SELECT count(*) FROM cookies"), "400");  // reload wrote nothing back

  // A delete in one process disappears from the other on reload.
  RawDb(path).exec("DELETE FROM cookies WHERE name='child7'");
  ASSERT_TRUE(store->reload(jar).ok());
  EXPECT_EQ(jar.size(), 399u);
  ::close(go[1]);
}

TEST(SqliteStore, ReloadKeepsTheJarsOwnSessionCookies) {
  TempDir dir;
  auto store = open_ok(dir / "jar.sqlite");
  CookieJar jar;
  ASSERT_TRUE(store->attach(jar).ok());
  ASSERT_TRUE(jar.store("https://example.com/", "sid=1").included());  // a session cookie
  RawDb(dir / "jar.sqlite").exec("INSERT INTO cookies SELECT domain, host_only, path, 'other', value, "
                                 "expires, creation, last_access, secure, http_only, same_site, partitioned "
                                 "FROM cookies");
  auto changed = store->reload(jar);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 1u);
  EXPECT_EQ(jar.cookie_header("https://example.com/"), "sid=1; other=1");
}

TEST(SqliteStore, CrashSafetyUnderSigkill) {
  TempDir dir;
  auto path = dir / "crash.sqlite";
  std::mt19937 rng(20261122);
  std::set<std::string> acked;
  constexpr int kills = 50;
  constexpr int max_writes_per_child = 2000;
  for (int round = 0; round < kills; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    if (child == 0) {
      ::close(fds[0]);
      auto s = SqliteStore::open(path);
      if (!s.ok()) ::_exit(3);
      CookieJar jar;
      jar.set_persistent_store(s->get());
      for (int i = 0; i < max_writes_per_child; ++i) {
        jar.insert(test::make_cookie("r" + std::to_string(round) + "_" + std::to_string(i), "v",
                                     "site" + std::to_string(i % 97) + ".test"));
        if ((*s)->failed_writes() != 0) ::_exit(4);
        std::int32_t ack = i;
        if (::write(fds[1], &ack, sizeof ack) != sizeof ack) ::_exit(5);
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    const int kill_after = std::uniform_int_distribution<int>(1, 150)(rng);
    std::int32_t ack = 0;
    int read_acks = 0;
    while (read_acks < kill_after && ::read(fds[0], &ack, sizeof ack) == sizeof ack) {
      acked.insert("r" + std::to_string(round) + "_" + std::to_string(ack));
      ++read_acks;
    }
    ::kill(child, SIGKILL);
    // Acks already in the pipe were acknowledged before the kill: they count too.
    while (::read(fds[0], &ack, sizeof ack) == sizeof ack)
      acked.insert("r" + std::to_string(round) + "_" + std::to_string(ack));
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) << status;

    RawDb raw(path);
    ASSERT_EQ(raw.text("PRAGMA integrity_check"), "ok") << "round " << round;
    auto store = open_ok(path);
    ASSERT_TRUE(store);
    auto loaded = store->load();
    ASSERT_TRUE(loaded.ok());
    std::set<std::string> present;
    for (const auto& c : loaded->cookies) present.insert(c.name);
    for (const auto& name : acked) ASSERT_TRUE(present.contains(name)) << name << " lost in round " << round;
  }
  EXPECT_GT(acked.size(), static_cast<std::size_t>(kills));
}

}  // namespace
}  // namespace httpstate
