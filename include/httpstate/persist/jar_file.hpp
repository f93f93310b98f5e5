#pragma once
// A jar file of any format, chosen by extension (.txt netscape, .json, .sqlite/.db sqlite) or
// by name. The one-liners for the CLI and `jar replay --jar`:
//
//   auto loaded = httpstate::load_jar_file(path, jar);   // ... use jar ...
//   if (loaded) httpstate::save_jar_file(path, jar);     // never save after a failed load
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/jar/cookie_jar.hpp"
#include "httpstate/persist/jar_error.hpp"
#include "httpstate/persist/load_options.hpp"
#include "httpstate/persist/sqlite_store.hpp"
#include "httpstate/result.hpp"

namespace httpstate {

enum class JarFormat : std::uint8_t { netscape, json, sqlite, firefox };

std::string_view to_string(JarFormat f) noexcept;         // "netscape", "json", ...
std::optional<JarFormat> parse_jar_format(std::string_view name) noexcept;
// .txt/.cookies netscape, .json json, .sqlite/.sqlite3/.db sqlite. With no explicit format, a
// SQLite file holding a moz_cookies table is read as Firefox's (and refused for writing).
std::optional<JarFormat> jar_format_for(const std::filesystem::path& path) noexcept;

struct JarFileOptions {
  std::optional<JarFormat> format;  // unset: from the extension
  LoadOptions load;
  SqliteOptions sqlite;
};

// The cookies in the file, expiry/session rules applied. A missing file is an empty jar
// (existed = false). I/O and whole-file problems are failures; bad lines are listed.
Result<LoadedCookies, JarFailure> read_jar_file(const std::filesystem::path& path,
                                                const JarFileOptions& opts = {});
// Netscape and JSON: atomic replace (atomic_file.hpp). SQLite: every row replaced in one
// transaction. Firefox: read_only_format. Returns the number of cookies written.
Result<std::size_t, JarFailure> write_jar_file(const std::filesystem::path& path,
                                               std::span<const Cookie> cookies,
                                               const JarFileOptions& opts = {});

// read_jar_file + CookieJar::insert for each; the report's cookies vector is left empty.
Result<LoadedCookies, JarFailure> load_jar_file(const std::filesystem::path& path, CookieJar& jar,
                                                const JarFileOptions& opts = {});
Result<std::size_t, JarFailure> save_jar_file(const std::filesystem::path& path,
                                              const CookieJar& jar,
                                              const JarFileOptions& opts = {});

}  // namespace httpstate
