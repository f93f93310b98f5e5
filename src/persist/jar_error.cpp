#include "httpstate/persist/jar_error.hpp"
#include "httpstate/persist/load_options.hpp"

namespace httpstate {

std::string_view to_string(EntryError e) noexcept {
  switch (e) {
    case EntryError::field_count: return "not 7 TAB-separated fields";
    case EntryError::line_too_long: return "line too long";
    case EntryError::bad_domain: return "bad domain";
    case EntryError::bad_flag: return "a TRUE/FALSE field holds something else";
    case EntryError::bad_path: return "path does not start with '/' or is too long";
    case EntryError::bad_expiry: return "expiry is not a number of seconds";
    case EntryError::bad_name_value: return "name or value has a control character or is too long";
    case EntryError::bad_same_site: return "same_site is not \"None\", \"Lax\", \"Strict\" or null";
    case EntryError::not_an_object: return "entry is not a JSON object";
    case EntryError::missing_field: return "name, value, domain or path is missing";
    case EntryError::wrong_type: return "a field has the wrong JSON type";
  }
  return "unknown";
}

std::string to_string(const LineError& e) {
  return "line " + std::to_string(e.line) + ": " + std::string(to_string(e.reason));
}

std::string_view to_string(JarError e) noexcept {
  switch (e) {
    case JarError::io_error: return "I/O error";
    case JarError::malformed_entry: return "malformed entry (strict)";
    case JarError::not_a_jar: return "not an httpstate JSON jar";
    case JarError::unsupported_version: return "jar from a newer version";
    case JarError::not_a_database: return "not a SQLite database, or corrupt";
    case JarError::foreign_database: return "a SQLite file that is not a cookie jar";
    case JarError::database_error: return "SQLite error";
    case JarError::unknown_format: return "unknown jar format (use --format)";
    case JarError::read_only_format: return "format can be imported, not written";
  }
  return "unknown";
}

std::string JarFailure::message() const {
  std::string m(to_string(reason));
  if (!detail.empty()) m += ": " + detail;
  return m;
}

}  // namespace httpstate
