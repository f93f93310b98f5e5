#include "httpstate/server/sqlite_session_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "httpstate/server/errors.hpp"

namespace httpstate::server {
namespace {

struct DbClose {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbClose>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

constexpr const char* schema =
    "CREATE TABLE IF NOT EXISTS httpstate_sessions("
    " key TEXT PRIMARY KEY, version INTEGER NOT NULL, created INTEGER NOT NULL,"
    " expires INTEGER NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS httpstate_sessions_expires ON httpstate_sessions(expires);";

// Insert, or replace a row that has expired but not been swept yet: create-if-absent.
constexpr std::string_view create_sql =
    "INSERT INTO httpstate_sessions(key, version, created, expires, data) VALUES(?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(key) DO UPDATE SET version = excluded.version, created = excluded.created,"
    " expires = excluded.expires, data = excluded.data WHERE expires <= ?6";
constexpr std::string_view load_sql =
    "SELECT version, created, expires, data FROM httpstate_sessions WHERE key = ?1 AND expires > ?2";
constexpr std::string_view save_sql =
    "UPDATE httpstate_sessions SET version = ?3, created = ?4, expires = ?5, data = ?6"
    " WHERE key = ?1 AND version = ?2 AND expires > ?7";
// A save whose stored expiry is within a tenth of the ttl below the new one keeps it: the
// expiry is indexed, so leaving it alone spares the UPDATE the index's pages.
constexpr std::string_view save_keeping_expiry_sql =
    "UPDATE httpstate_sessions SET version = ?3, created = ?4, data = ?6"
    " WHERE key = ?1 AND version = ?2 AND expires > ?7 AND expires BETWEEN ?5 - ?8 AND ?5";
constexpr std::string_view exists_sql = "SELECT 1 FROM httpstate_sessions WHERE key = ?1 AND expires > ?2";
constexpr std::string_view touch_sql =
    "UPDATE httpstate_sessions SET expires = ?2 WHERE key = ?1 AND expires > ?3";
constexpr std::string_view destroy_sql = "DELETE FROM httpstate_sessions WHERE key = ?1";
constexpr std::string_view sweep_sql = "DELETE FROM httpstate_sessions WHERE expires <= ?1";

[[noreturn]] void unavailable(sqlite3* db, int rc, std::string_view what) {
  std::string m = "sqlite session store: ";
  m += what;
  m += ": ";
  m += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw StoreUnavailable(m);
}

struct Conn {
  Db db;
  Stmt create, load, save, save_keeping_expiry, exists, touch, destroy, sweep;

  Stmt prepare(std::string_view sql) {
    sqlite3_stmt* s = nullptr;
    const int rc = sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) unavailable(db.get(), rc, "prepare");
    return Stmt{s};
  }
};

// Resets a statement when the operation ends, even by an exception.
struct Use {
  sqlite3_stmt* s;
  explicit Use(const Stmt& st) : s(st.get()) {}
  ~Use() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
  void text(int i, std::string_view v) { sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); }
  void blob(int i, std::string_view v) { sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); }
  void num(int i, std::int64_t v) { sqlite3_bind_int64(s, i, v); }
  int step(sqlite3* db, std::string_view what) {
    const int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) unavailable(db, rc, what);
    return rc;
  }
};

std::atomic<std::uint64_t> next_store_id{1};

}  // namespace

struct SqliteSessionStore::Impl {
  std::string path;
  SqliteSessionOptions options;
  std::uint64_t id = next_store_id.fetch_add(1);
  std::mutex mutex;
  std::vector<std::unique_ptr<Conn>> conns;  // every thread's, closed with the store
  std::atomic<std::int64_t> last_sweep{0};

  std::int64_t now() const { return now_ms(options.clock); }

  std::unique_ptr<Conn> open() {
    auto c = std::make_unique<Conn>();
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    c->db.reset(raw);
    if (rc != SQLITE_OK) unavailable(raw, rc, "open " + path);
    sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
    sqlite3_exec(raw, options.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
    c->create = c->prepare(create_sql);
    c->load = c->prepare(load_sql);
    c->save = c->prepare(save_sql);
    c->save_keeping_expiry = c->prepare(save_keeping_expiry_sql);
    c->exists = c->prepare(exists_sql);
    c->touch = c->prepare(touch_sql);
    c->destroy = c->prepare(destroy_sql);
    c->sweep = c->prepare(sweep_sql);
    return c;
  }

  // This thread's connection: SQLite connections are not shared between threads here, so no
  // lock is taken per operation.
  Conn& conn() {
    thread_local std::vector<std::pair<std::uint64_t, Conn*>> cache;
    for (auto& [i, c] : cache)
      if (i == id) return *c;
    auto fresh = open();
    Conn* p = fresh.get();
    {
      std::lock_guard lock(mutex);
      conns.push_back(std::move(fresh));
    }
    // Ids are never reused, so an entry of a destroyed store is never matched; keep it small.
    if (cache.size() >= 16) cache.erase(cache.begin());
    cache.emplace_back(id, p);
    return *p;
  }

  std::size_t sweep(Conn& c) {
    Use u(c.sweep);
    u.num(1, now());
    u.step(c.db.get(), "sweep");
    return static_cast<std::size_t>(sqlite3_changes(c.db.get()));
  }

  void maybe_sweep(Conn& c) {
    const auto t = now();
    auto last = last_sweep.load(std::memory_order_relaxed);
    if (t - last < options.sweep_interval.count()) return;
    if (last_sweep.compare_exchange_strong(last, t)) sweep(c);
  }
};

SqliteSessionStore::SqliteSessionStore(const std::filesystem::path& path, SqliteSessionOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path.string();
  impl_->options = std::move(options);
  // Sessions are credentials: the file is the owner's alone.
  const int fd = ::open(impl_->path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw StoreUnavailable("sqlite session store: cannot open " + impl_->path);
  ::close(fd);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(impl_->path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Db db(raw);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(raw, static_cast<int>(impl_->options.busy_timeout.count()));
    rc = sqlite3_exec(raw, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(raw, schema, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) unavailable(raw, rc, "create the sessions table in " + impl_->path);
  impl_->last_sweep = impl_->now();
}

SqliteSessionStore::~SqliteSessionStore() = default;

bool SqliteSessionStore::create(std::string_view key, const SessionRecord& r, std::chrono::milliseconds ttl) {
  auto& c = impl_->conn();
  impl_->maybe_sweep(c);
  const auto now = impl_->now();
  Use u(c.create);
  u.text(1, key);
  u.num(2, static_cast<std::int64_t>(r.version));
  u.num(3, r.created);
  u.num(4, now + ttl.count());
  u.blob(5, r.data);
  u.num(6, now);
  u.step(c.db.get(), "create");
  return sqlite3_changes(c.db.get()) == 1;
}

std::optional<SessionRecord> SqliteSessionStore::load(std::string_view key) {
  auto& c = impl_->conn();
  Use u(c.load);
  u.text(1, key);
  u.num(2, impl_->now());
  if (u.step(c.db.get(), "load") != SQLITE_ROW) return std::nullopt;
  SessionRecord r;
  const auto v = sqlite3_column_int64(u.s, 0);
  r.version = v > 0 ? static_cast<std::uint64_t>(v) : 0;  // a row of another writer: "not ours"
  r.created = sqlite3_column_int64(u.s, 1);
  r.expires = sqlite3_column_int64(u.s, 2);
  const auto* p = static_cast<const char*>(sqlite3_column_blob(u.s, 3));
  if (p) r.data.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(u.s, 3)));
  return r;
}

SaveResult SqliteSessionStore::save(std::string_view key, const SessionRecord& r, std::uint64_t expected_version,
                                    std::chrono::milliseconds ttl) {
  auto& c = impl_->conn();
  const auto now = impl_->now();
  {
    Use u(c.save_keeping_expiry);
    u.text(1, key);
    u.num(2, static_cast<std::int64_t>(expected_version));
    u.num(3, static_cast<std::int64_t>(r.version));
    u.num(4, r.created);
    u.num(5, now + ttl.count());
    u.blob(6, r.data);
    u.num(7, now);
    u.num(8, ttl.count() / 10);
    u.step(c.db.get(), "save");
    if (sqlite3_changes(c.db.get()) == 1) return SaveResult::saved;
  }
  {
    Use u(c.save);
    u.text(1, key);
    u.num(2, static_cast<std::int64_t>(expected_version));
    u.num(3, static_cast<std::int64_t>(r.version));
    u.num(4, r.created);
    u.num(5, now + ttl.count());
    u.blob(6, r.data);
    u.num(7, now);
    u.step(c.db.get(), "save");
    if (sqlite3_changes(c.db.get()) == 1) return SaveResult::saved;
  }
  Use u(c.exists);
  u.text(1, key);
  u.num(2, now);
  return u.step(c.db.get(), "save") == SQLITE_ROW ? SaveResult::conflict : SaveResult::gone;
}

bool SqliteSessionStore::touch(std::string_view key, std::chrono::milliseconds ttl) {
  auto& c = impl_->conn();
  const auto now = impl_->now();
  Use u(c.touch);
  u.text(1, key);
  u.num(2, now + ttl.count());
  u.num(3, now);
  u.step(c.db.get(), "touch");
  return sqlite3_changes(c.db.get()) == 1;
}

void SqliteSessionStore::destroy(std::string_view key) {
  auto& c = impl_->conn();
  Use u(c.destroy);
  u.text(1, key);
  u.step(c.db.get(), "destroy");
}

std::size_t SqliteSessionStore::sweep() {
  auto& c = impl_->conn();
  impl_->last_sweep = impl_->now();
  return impl_->sweep(c);
}

}  // namespace httpstate::server
