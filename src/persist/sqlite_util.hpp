#pragma once
// Thin RAII over the SQLite C API, shared by the jar store and the Firefox import.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "httpstate/persist/jar_error.hpp"

namespace httpstate::persist_detail {

struct DbClose {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbClose>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

// Corrupt and non-database files are told apart from other failures: the user can act on it.
inline JarFailure db_failure(sqlite3* db, int rc, std::string_view what) {
  int primary = rc & 0xff;
  JarError reason = (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
                        ? JarError::not_a_database
                        : JarError::database_error;
  std::string detail(what);
  detail += ": ";
  detail += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return {reason, std::move(detail)};
}

inline Stmt prepare(sqlite3* db, std::string_view sql, int& rc) {
  sqlite3_stmt* s = nullptr;
  rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                          &s, nullptr);
  return Stmt{s};
}

inline std::string column_string(sqlite3_stmt* s, int i) {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

// SQLITE_STATIC, no copy: every caller steps, resets and clears the bindings while `v` lives.
inline void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

// One statement with no rows, e.g. a PRAGMA or BEGIN.
inline int exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

}  // namespace httpstate::persist_detail
