// The SQLite store: the store contract, the manager suite, its file and two processes on one file.
#include "httpstate/server/sqlite_session_store.hpp"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "manager_contract.hpp"
#include "store_contract.hpp"

extern char** environ;

namespace httpstate::server::testing {
namespace {

std::string temp_db(const std::string& tag) {
  static std::atomic<int> n{0};
  const auto p = std::filesystem::path(::testing::TempDir()) /
                 ("sessions_" + tag + "_" + std::to_string(getpid()) + "_" + std::to_string(n++) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return p.string();
}

struct SqliteTraits {
  static constexpr bool real_time = false;
  static constexpr bool sweeps = true;
  static constexpr bool keyed = true;
  static constexpr bool cas = true;
  static constexpr int transactions_per_thread = 50;
  FakeClock clock;
  std::shared_ptr<SessionStore> make() {
    return std::make_shared<SqliteSessionStore>(temp_db("suite"), SqliteSessionOptions{.clock = clock.clock()});
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreContract, SqliteTraits);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, ManagerContract, SqliteTraits);

std::string query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_exec(db, sql.c_str(), [](void* o, int n, char** v, char**) {
      auto& s = *static_cast<std::string*>(o);
      for (int i = 0; i < n; ++i) s += (i ? "|" : "") + std::string(v[i] ? v[i] : "NULL");
      s += "\n";
      return 0;
    }, &out, nullptr);
  }
  sqlite3_close(db);
  return out;
}

TEST(SqliteSessionStore, ItsOwnTableInWalModeWithAnExpiryIndexAndOnlyHashedKeys) {
  const auto path = temp_db("file");
  auto store = std::make_shared<SqliteSessionStore>(path);
  SessionManager mgr({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h}, store);
  Session s = mgr.load("");
  s.data()["user"] = "grace";
  const auto value = cookie_pair(*mgr.commit(s)).substr(4);
  EXPECT_EQ(query(path, "PRAGMA journal_mode"), "wal\n");
  EXPECT_NE(query(path, "SELECT name FROM sqlite_master WHERE type = 'index'").find("httpstate_sessions_expires"),
            std::string::npos);
  const auto rows = query(path, "SELECT key, version, data FROM httpstate_sessions");
  EXPECT_EQ(rows.substr(64), "|1|{\"user\":\"grace\"}\n") << rows;
  EXPECT_EQ(rows.find(value), std::string::npos) << "the id itself is never stored";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SqliteSessionStore, APeriodicSweepDropsExpiredRows) {
  FakeClock clock;
  const auto path = temp_db("sweep");
  SqliteSessionStore store(path, {.sweep_interval = 60s, .clock = clock.clock()});
  const SessionRecord r{"{}", 1, clock.now(), 0};
  ASSERT_TRUE(store.create(test_key(1), r, 10s));
  ASSERT_TRUE(store.create(test_key(2), r, 10s));
  clock.advance(61000);
  EXPECT_EQ(query(path, "SELECT count(*) FROM httpstate_sessions"), "2\n");
  ASSERT_TRUE(store.create(test_key(3), r, 600s));  // the first operation after the interval sweeps
  EXPECT_EQ(query(path, "SELECT count(*) FROM httpstate_sessions"), "1\n");
}

TEST(SqliteSessionStore, AFileThatIsNotADatabaseIsStoreUnavailable) {
  const auto path = temp_db("junk");
  std::ofstream(path) << std::string(8192, 'x');
  EXPECT_THROW(SqliteSessionStore{path}, StoreUnavailable);
  EXPECT_THROW(SqliteSessionStore{"/nonexistent-dir/sessions.db"}, StoreUnavailable);
}

TEST(SqliteSessionStore, ALockedDatabaseIsStoreUnavailableAfterTheBusyTimeout) {
  const auto path = temp_db("busy");
  SqliteSessionStore store(path, {.busy_timeout = 100ms});
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_THROW(store.create(test_key(1), {"{}", 1, system_now_ms(), 0}, 60s), StoreUnavailable);
  sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE(store.create(test_key(1), {"{}", 1, system_now_ms(), 0}, 60s)) << "and works again";
}

// Two processes on one file: this binary runs itself again as the second process.
constexpr int per_process = 100;

void increment(const std::string& path, const std::string& cookie, int times) {
  SessionConfig c{.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h};
  c.max_attempts = 100000;
  SessionManager mgr(c, std::make_shared<SqliteSessionStore>(path));
  for (int i = 0; i < times; ++i)
    mgr.transact(cookie, [](Session& s) { s.data()["n"] = s.data()["n"].get<int>() + 1; });
}

TEST(SqliteSessionStore, SecondProcess) {
  const char* path = std::getenv("HTTPSTATE_TEST_SESSION_DB");
  const char* cookie = std::getenv("HTTPSTATE_TEST_SESSION_COOKIE");
  if (!path || !cookie) GTEST_SKIP() << "run by TwoProcessesOnOneFileLoseNoUpdate";
  increment(path, cookie, per_process);
}

TEST(SqliteSessionStore, TwoProcessesOnOneFileLoseNoUpdate) {
  const auto path = temp_db("two");
  std::string cookie;
  {
    SessionManager mgr({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h},
                       std::make_shared<SqliteSessionStore>(path));
    Session s = mgr.load("");
    s.data()["n"] = 0;
    cookie = cookie_pair(*mgr.commit(s));
  }
  const std::string env_db = "HTTPSTATE_TEST_SESSION_DB=" + path, env_cookie = "HTTPSTATE_TEST_SESSION_COOKIE=" + cookie;
  std::vector<char*> env;
  for (char** e = environ; *e; ++e) env.push_back(*e);
  env.push_back(const_cast<char*>(env_db.c_str()));
  env.push_back(const_cast<char*>(env_cookie.c_str()));
  env.push_back(nullptr);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::vector<char*> argv = {const_cast<char*>(self.c_str()),
                             const_cast<char*>("--gtest_filter=SqliteSessionStore.SecondProcess"), nullptr};
  pid_t child = -1;
  ASSERT_EQ(posix_spawn(&child, self.c_str(), nullptr, nullptr, argv.data(), env.data()), 0);
  increment(path, cookie, per_process);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the second process failed";
  SessionManager mgr({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h},
                     std::make_shared<SqliteSessionStore>(path));
  EXPECT_EQ(view(mgr.load(cookie)).at("n"), 2 * per_process);
}

}  // namespace
}  // namespace httpstate::server::testing
