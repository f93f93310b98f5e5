#include "httpstate/persist/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "entry_check.hpp"
#include "sqlite_util.hpp"

namespace httpstate {
namespace {

using namespace persist_detail;

// Version 1 kept expires in seconds and had no partitioned column; version 2 keeps every time
// in microseconds, as the Cookie model does.
constexpr const char* create_schema_sql = R"sql(
CREATE TABLE cookies (
  domain      TEXT    NOT NULL,
  host_only   INTEGER NOT NULL,
  path        TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  value       TEXT    NOT NULL,
  expires     INTEGER,
  creation    INTEGER NOT NULL,
  last_access INTEGER NOT NULL,
  secure      INTEGER NOT NULL,
  http_only   INTEGER NOT NULL,
  same_site   INTEGER NOT NULL,
  partitioned INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (domain, host_only, path, name)
) WITHOUT ROWID;
)sql";

constexpr const char* migrate_v1_sql = R"sql(
ALTER TABLE cookies ADD COLUMN partitioned INTEGER NOT NULL DEFAULT 0;
UPDATE cookies SET expires = expires * 1000000 WHERE expires IS NOT NULL;
)sql";

constexpr const char* columns = "domain, host_only, path, name, value, expires, creation, "
                                "last_access, secure, http_only, same_site, partitioned";

// Access times are batched (PersistentStore allows it): a lookup must not cost a write per
// cookie. This many pending updates force a flush.
constexpr std::size_t max_pending_access = 1024;

std::int64_t micros(Time t) { return t.time_since_epoch().count(); }
Time time_of(std::int64_t us) { return Time{std::chrono::microseconds{us}}; }

std::string identity_key(const Cookie& c) {
  std::string k;
  k.reserve(c.domain.size() + c.path.size() + c.name.size() + 4);
  k += c.domain;
  k += '\0';
  k += c.host_only ? '1' : '0';
  k += c.path;
  k += '\0';
  k += c.name;
  return k;
}

void bind_identity(sqlite3_stmt* s, const Cookie& c) {
  bind_text(s, 1, c.domain);
  sqlite3_bind_int(s, 2, c.host_only);
  bind_text(s, 3, c.path);
  bind_text(s, 4, c.name);
}

void bind_cookie(sqlite3_stmt* s, const Cookie& c) {
  bind_identity(s, c);
  bind_text(s, 5, c.value);
  if (c.expires) sqlite3_bind_int64(s, 6, micros(*c.expires));
  else sqlite3_bind_null(s, 6);
  sqlite3_bind_int64(s, 7, micros(c.creation));
  sqlite3_bind_int64(s, 8, micros(c.last_access));
  sqlite3_bind_int(s, 9, c.secure);
  sqlite3_bind_int(s, 10, c.http_only);
  sqlite3_bind_int(s, 11, static_cast<int>(c.same_site));
  sqlite3_bind_int(s, 12, c.partitioned);
}

std::optional<EntryError> read_row(sqlite3_stmt* s, Cookie& c) {
  c.domain = column_string(s, 0);
  if (!canonical_domain(c.domain)) return EntryError::bad_domain;
  c.host_only = sqlite3_column_int(s, 1) != 0;
  c.path = column_string(s, 2);
  c.name = column_string(s, 3);
  c.value = column_string(s, 4);
  if (sqlite3_column_type(s, 5) != SQLITE_NULL) c.expires = time_of(sqlite3_column_int64(s, 5));
  c.creation = time_of(sqlite3_column_int64(s, 6));
  c.last_access = time_of(sqlite3_column_int64(s, 7));
  c.secure = sqlite3_column_int(s, 8) != 0;
  c.http_only = sqlite3_column_int(s, 9) != 0;
  int ss = sqlite3_column_int(s, 10);
  if (ss < 0 || ss > static_cast<int>(SameSite::strict)) return EntryError::bad_same_site;
  c.same_site = static_cast<SameSite>(ss);
  c.partitioned = sqlite3_column_int(s, 11) != 0;
  return check_fields(c);
}

int pragma_int(sqlite3* db, const char* sql, int& rc) {
  auto s = prepare(db, sql, rc);
  if (rc != SQLITE_OK) return 0;
  rc = sqlite3_step(s.get());
  int v = rc == SQLITE_ROW ? sqlite3_column_int(s.get(), 0) : 0;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
  return v;
}

// RAII transaction: rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { rc_ = exec(db_, "BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (rc_ == SQLITE_OK && !done_) exec(db_, "ROLLBACK");
  }
  int begin_rc() const { return rc_; }
  int commit() {
    done_ = true;
    return exec(db_, "COMMIT");
  }

 private:
  sqlite3* db_;
  int rc_;
  bool done_ = false;
};

}  // namespace

struct SqliteStore::Impl {
  Db db;
  std::string path;
  SqliteOptions opts;
  mutable std::mutex mu;
  Stmt upsert, erase, touch, select_all;
  std::unordered_map<std::string, Cookie> pending_access;  // identity -> latest snapshot
  std::size_t failed = 0;
  JarFailure last{JarError::database_error, ""};
  // reload() applies the file to the jar: the jar's callbacks for that must not write back.
  std::atomic<std::thread::id> applying{};

  void record(int rc, std::string_view what) {
    ++failed;
    last = db_failure(db.get(), rc, what);
  }

  bool step_reset(sqlite3_stmt* s, std::string_view what) {
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) {
      record(rc, what);
      return false;
    }
    return true;
  }

  std::optional<JarFailure> prepare_all() {
    int rc = SQLITE_OK;
    std::string ins = std::string("INSERT OR REPLACE INTO cookies (") + columns +
                      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
    upsert = prepare(db.get(), ins, rc);
    if (rc != SQLITE_OK) return db_failure(db.get(), rc, path);
    erase = prepare(db.get(),
                    "DELETE FROM cookies WHERE domain=?1 AND host_only=?2 AND path=?3 AND name=?4", rc);
    if (rc != SQLITE_OK) return db_failure(db.get(), rc, path);
    touch = prepare(db.get(),
                    "UPDATE cookies SET last_access=?5 WHERE domain=?1 AND host_only=?2 AND path=?3 "
                    "AND name=?4",
                    rc);
    if (rc != SQLITE_OK) return db_failure(db.get(), rc, path);
    select_all = prepare(db.get(), std::string("SELECT ") + columns + " FROM cookies", rc);
    if (rc != SQLITE_OK) return db_failure(db.get(), rc, path);
    return std::nullopt;
  }

  // Called with mu held.
  std::optional<JarFailure> flush_locked(std::size_t& n) {
    n = 0;
    if (pending_access.empty()) return std::nullopt;
    Transaction tx(db.get());
    if (tx.begin_rc() != SQLITE_OK) return db_failure(db.get(), tx.begin_rc(), path);
    for (const auto& [key, c] : pending_access) {
      bind_identity(touch.get(), c);
      sqlite3_bind_int64(touch.get(), 5, micros(c.last_access));
      if (!step_reset(touch.get(), "update last_access")) return last;
      ++n;
    }
    if (int rc = tx.commit(); rc != SQLITE_OK) return db_failure(db.get(), rc, path);
    pending_access.clear();
    return std::nullopt;
  }

  bool applying_here() const { return applying.load() == std::this_thread::get_id(); }
};

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() {
  if (!impl_) return;
  std::lock_guard lock(impl_->mu);
  std::size_t n = 0;
  if (!impl_->opts.read_only) (void)impl_->flush_locked(n);
}

Result<std::unique_ptr<SqliteStore>, JarFailure> SqliteStore::open(const std::filesystem::path& path,
                                                                   const SqliteOptions& opts) {
  auto impl = std::make_unique<Impl>();
  impl->path = path.string();
  impl->opts = opts;
  if (!opts.read_only) {
    // Cookies are credentials: a new jar (and so its -wal and -shm, which copy its mode) is 0600.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return fail(JarFailure{JarError::io_error, impl->path + ": " + std::strerror(errno)});
    ::close(fd);
  }
  sqlite3* raw = nullptr;
  // NOMUTEX: Impl::mu already serialises every use of the connection; SQLite's own lock per
  // call was a twentieth of a bulk save.
  int flags = (opts.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(impl->path.c_str(), &raw, flags, nullptr);
  impl->db.reset(raw);
  if (rc != SQLITE_OK) return fail(db_failure(raw, rc, impl->path));
  sqlite3 *db = raw;
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(opts.busy_timeout.count()));

  // The first read of the header tells a foreign or corrupt file (SQLITE_NOTADB).
  int app_id = pragma_int(db, "PRAGMA application_id", rc);
  if (rc != SQLITE_OK) return fail(db_failure(db, rc, impl->path));
  int version = pragma_int(db, "PRAGMA user_version", rc);
  if (rc != SQLITE_OK) return fail(db_failure(db, rc, impl->path));
  int tables = pragma_int(db, "SELECT count(*) FROM sqlite_schema", rc);
  if (rc != SQLITE_OK) return fail(db_failure(db, rc, impl->path));

  if (app_id != application_id && (app_id != 0 || tables != 0))
    return fail(JarFailure{JarError::foreign_database, impl->path + ": not an httpstate jar"});
  if (version > schema_version)
    return fail(JarFailure{JarError::unsupported_version,
                           impl->path + ": schema " + std::to_string(version)});
  if (!opts.read_only) {
    if (exec(db, "PRAGMA journal_mode=WAL") != SQLITE_OK)
      return fail(db_failure(db, sqlite3_errcode(db), impl->path));
    exec(db, opts.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    // A limit, allocated on use: a 100k-cookie jar (12 MB) fits, so a bulk save or load never
    // spills pages to the WAL and reads them back (the 2 MB default did).
    exec(db, "PRAGMA cache_size=-32768");
    if (version < schema_version) {
      Transaction tx(db);
      if (tx.begin_rc() != SQLITE_OK) return fail(db_failure(db, tx.begin_rc(), impl->path));
      // Another process may have created or migrated the file since we looked.
      version = pragma_int(db, "PRAGMA user_version", rc);
      if (rc != SQLITE_OK) return fail(db_failure(db, rc, impl->path));
      if (version == 0) rc = exec(db, create_schema_sql);
      else if (version == 1) rc = exec(db, migrate_v1_sql);
      if (rc != SQLITE_OK) return fail(db_failure(db, rc, impl->path));
      std::string set = "PRAGMA application_id=" + std::to_string(application_id) +
                        "; PRAGMA user_version=" + std::to_string(schema_version);
      if ((rc = exec(db, set.c_str())) != SQLITE_OK || (rc = tx.commit()) != SQLITE_OK)
        return fail(db_failure(db, rc, impl->path));
    }
  } else if (version != schema_version) {
    return fail(JarFailure{JarError::database_error,
                           impl->path + ": schema " + std::to_string(version) + " needs a migration"});
  }
  if (auto err = impl->prepare_all()) return fail(*err);
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

Result<LoadedCookies, JarFailure> SqliteStore::load(const LoadOptions& opts) {
  const Time now = now_or(opts);
  std::lock_guard lock(impl_->mu);
  sqlite3_stmt* s = impl_->select_all.get();
  LoadedCookies out;
  // The row count is read off the b-tree's pages (cheap next to the load): growing the vector
  // instead moved every cookie about twice. Only a hint, capped: a damaged file may lie.
  constexpr sqlite3_int64 max_reserve = sqlite3_int64{1} << 20;
  int rc = SQLITE_OK;
  if (auto count = prepare(impl_->db.get(), "SELECT count(*) FROM cookies", rc); rc == SQLITE_OK) {
    if (sqlite3_step(count.get()) == SQLITE_ROW)
      out.cookies.reserve(static_cast<std::size_t>(
          std::clamp<sqlite3_int64>(sqlite3_column_int64(count.get(), 0), 0, max_reserve)));
  }
  std::size_t row = 0;
  // Bounded by the table's rows; one read transaction, so one consistent snapshot.
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    ++row;
    Cookie c;
    if (auto err = read_row(s, c)) {
      if (opts.strict) {
        sqlite3_reset(s);
        return fail(JarFailure{JarError::malformed_entry, to_string(LineError{row, *err})});
      }
      out.errors.push_back({row, *err});
      continue;
    }
    if (keep_after_load(c, opts, now, out)) out.cookies.push_back(std::move(c));
  }
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) return fail(db_failure(impl_->db.get(), rc, impl_->path));
  return out;
}

Result<LoadedCookies, JarFailure> SqliteStore::attach(CookieJar& jar, const LoadOptions& opts) {
  auto loaded = load(opts);
  if (!loaded) return loaded;
  impl_->applying = std::this_thread::get_id();
  for (auto& c : loaded->cookies) jar.insert(c);
  impl_->applying = std::thread::id{};
  jar.set_persistent_store(this);
  return loaded;
}

Result<std::size_t, JarFailure> SqliteStore::reload(CookieJar& jar, const LoadOptions& opts) {
  // The jar's own session cookies are in the file (written through): keep them.
  LoadOptions same_session = opts;
  same_session.keep_session_cookies = true;
  auto loaded = load(same_session);
  if (!loaded) return fail(loaded.error());
  std::unordered_map<std::string, const Cookie*> file;
  file.reserve(loaded->cookies.size());
  for (const auto& c : loaded->cookies) file.emplace(identity_key(c), &c);
  impl_->applying = std::this_thread::get_id();
  std::size_t changed = jar.remove_if([&](const Cookie& c) { return !file.contains(identity_key(c)); });
  std::unordered_set<std::string> same;
  for (const auto& c : jar.all()) {
    auto it = file.find(identity_key(c));
    if (it != file.end() && it->second->value == c.value && it->second->expires == c.expires &&
        it->second->secure == c.secure && it->second->http_only == c.http_only &&
        it->second->same_site == c.same_site && it->second->partitioned == c.partitioned)
      same.insert(it->first);
  }
  for (const auto& [key, c] : file) {
    if (same.contains(key)) continue;
    jar.insert(*c);
    ++changed;
  }
  impl_->applying = std::thread::id{};
  return changed;
}

Result<std::size_t, JarFailure> SqliteStore::replace_all(std::span<const Cookie> cookies) {
  std::lock_guard lock(impl_->mu);
  sqlite3* db = impl_->db.get();
  Transaction tx(db);
  if (tx.begin_rc() != SQLITE_OK) return fail(db_failure(db, tx.begin_rc(), impl_->path));
  if (int rc = exec(db, "DELETE FROM cookies"); rc != SQLITE_OK)
    return fail(db_failure(db, rc, impl_->path));
  for (const auto& c : cookies) {
    bind_cookie(impl_->upsert.get(), c);
    if (!impl_->step_reset(impl_->upsert.get(), "insert")) return fail(impl_->last);
  }
  if (int rc = tx.commit(); rc != SQLITE_OK) return fail(db_failure(db, rc, impl_->path));
  impl_->pending_access.clear();
  return cookies.size();
}

Result<std::size_t, JarFailure> SqliteStore::delete_expired(Time now, bool session_too) {
  std::lock_guard lock(impl_->mu);
  sqlite3* db = impl_->db.get();
  int rc;
  auto s = prepare(db, "DELETE FROM cookies WHERE expires <= ?1 OR (?2 AND expires IS NULL)", rc);
  if (rc != SQLITE_OK) return fail(db_failure(db, rc, impl_->path));
  sqlite3_bind_int64(s.get(), 1, micros(now));
  sqlite3_bind_int(s.get(), 2, session_too);
  if ((rc = sqlite3_step(s.get())) != SQLITE_DONE) return fail(db_failure(db, rc, impl_->path));
  return static_cast<std::size_t>(sqlite3_changes(db));
}

Result<std::size_t, JarFailure> SqliteStore::flush() {
  std::lock_guard lock(impl_->mu);
  std::size_t n = 0;
  if (auto err = impl_->flush_locked(n)) return fail(*err);
  return n;
}

void SqliteStore::on_add(const Cookie& c) {
  if (impl_->applying_here()) return;
  std::lock_guard lock(impl_->mu);
  impl_->pending_access.erase(identity_key(c));
  bind_cookie(impl_->upsert.get(), c);
  impl_->step_reset(impl_->upsert.get(), "write-through insert");
}

void SqliteStore::on_remove(const Cookie& c) {
  if (impl_->applying_here()) return;
  std::lock_guard lock(impl_->mu);
  impl_->pending_access.erase(identity_key(c));
  bind_identity(impl_->erase.get(), c);
  impl_->step_reset(impl_->erase.get(), "write-through delete");
}

void SqliteStore::on_access(const Cookie& c) {
  if (impl_->applying_here() || impl_->opts.read_only) return;
  std::lock_guard lock(impl_->mu);
  impl_->pending_access.insert_or_assign(identity_key(c), c);
  if (impl_->pending_access.size() >= max_pending_access) {
    std::size_t n = 0;
    (void)impl_->flush_locked(n);  // a failure is counted by step_reset
  }
}

std::size_t SqliteStore::failed_writes() const {
  std::lock_guard lock(impl_->mu);
  return impl_->failed;
}

JarFailure SqliteStore::last_failure() const {
  std::lock_guard lock(impl_->mu);
  return impl_->last;
}

}  // namespace httpstate
