#pragma once
// Why a whole jar file could not be loaded or saved. Per-line problems are LineErrors instead.
#include <cstdint>
#include <string>
#include <string_view>

namespace httpstate {

enum class JarError : std::uint8_t {
  io_error,             // open/read/write/fsync/rename failed (detail: the system's message)
  malformed_entry,      // strict mode: a line or entry was malformed (detail: which)
  not_a_jar,            // the JSON is not an httpstate jar (wrong shape or "format")
  unsupported_version,  // a JSON or SQLite jar from a newer httpstate
  not_a_database,       // SQLite says the file is not a database, or is corrupt
  foreign_database,     // a SQLite file that is not a jar (other tables, other application_id)
  database_error,       // any other SQLite failure (detail: sqlite3_errmsg)
  unknown_format,       // the extension says nothing and no --format was given
  read_only_format,     // Firefox's cookies.sqlite is imported, never written
};

std::string_view to_string(JarError e) noexcept;

struct JarFailure {
  JarError reason;
  std::string detail;  // path, line or library message; never a cookie value

  // "not a SQLite database: jar.db: file is not a database"
  std::string message() const;
};

}  // namespace httpstate
