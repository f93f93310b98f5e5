#pragma once
// The SQLite jar, the embedded default: a PersistentStore that writes every change through as
// its own transaction (WAL, prepared statements, busy timeout). Rows are upserted and deleted
// one by one, never rewritten as a table, so two processes on one file keep each other's
// updates; reload() picks up what the other process wrote.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/jar/cookie_jar.hpp"
#include "httpstate/persist/jar_error.hpp"
#include "httpstate/persist/load_options.hpp"
#include "httpstate/result.hpp"

namespace httpstate {

struct SqliteOptions {
  // synchronous=FULL: survive power loss too. NORMAL (the default) survives process crashes,
  // which is what WAL guarantees without an fsync per write.
  bool durable = false;
  std::chrono::milliseconds busy_timeout{5000};
  bool read_only = false;  // no create, no migration, no writes
};

class SqliteStore final : public PersistentStore {
 public:
  // PRAGMA user_version of the files we write; older files are migrated on open.
  static constexpr int schema_version = 2;
  // PRAGMA application_id ("HSTJ"): tells our jar from any other SQLite file.
  static constexpr int application_id = 0x4853544a;

  // Creates the file (mode 0600) when missing. A corrupt, foreign or newer file is a failure,
  // never a crash.
  static Result<std::unique_ptr<SqliteStore>, JarFailure> open(const std::filesystem::path& path,
                                                               const SqliteOptions& opts = {});
  ~SqliteStore() override;  // flushes pending access times
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Every row, with the expiry and session rules applied.
  Result<LoadedCookies, JarFailure> load(const LoadOptions& opts = {});
  // load() into `jar`, then attach this store to it: from then on every change writes through.
  Result<LoadedCookies, JarFailure> attach(CookieJar& jar, const LoadOptions& opts = {});
  // Make the attached jar equal to the file again (another process's inserts and deletes),
  // session cookies included. Returns how many cookies changed in the jar.
  Result<std::size_t, JarFailure> reload(CookieJar& jar, const LoadOptions& opts = {});
  // Replace every row in one transaction (an export, not the write-through path).
  Result<std::size_t, JarFailure> replace_all(std::span<const Cookie> cookies);
  // Delete rows expired at `now`, and session rows too when asked (`jar purge`).
  Result<std::size_t, JarFailure> delete_expired(Time now, bool session_too = false);
  // Write the batched last-access times.
  Result<std::size_t, JarFailure> flush();

  // Write-through (PersistentStore). Called under the jar's lock; a failure cannot be thrown
  // through the jar, so it is counted and kept for failed_writes() / last_failure().
  void on_add(const Cookie& c) override;
  void on_remove(const Cookie& c) override;
  void on_access(const Cookie& c) override;

  std::size_t failed_writes() const;
  JarFailure last_failure() const;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace httpstate
