#pragma once
// The jar file a `httpstate jar` command works on (`--jar PATH`, `--format`, ...), shared by
// the file commands (jar_file.cpp) and `jar replay --jar` (jar_replay.cpp).
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "httpstate/jar/cookie_jar.hpp"
#include "httpstate/persist/jar_file.hpp"
#include "httpstate/persist/sqlite_store.hpp"

namespace httpstate::cli {

// Exit codes: 1 the operation was refused (a rejected cookie, nothing to delete), 2 the jar
// file could not be read or written.
constexpr int refused = 1;
constexpr int file_error = 2;

struct JarArgs {
  std::string path;
  std::string format;
  bool strict = false;
  bool force = false;
};

// Registers --jar, --format, --strict and --force on `httpstate jar`.
std::shared_ptr<const JarArgs> add_jar_file_options(CLI::App& jar);

std::optional<JarFormat> format_arg(const std::string& name, const std::string& path);

// The jar file opened for one command: loaded into a CookieJar; SQLite attached (write-through),
// the text formats saved back by save() after a change.
class OpenJar {
 public:
  explicit OpenJar(const JarArgs& a);

  CookieJar& jar() { return jar_; }
  SqliteStore* store() { return store_.get(); }

  // Text formats are rewritten whole: never over lines we could not read, unless --force.
  void save();

 private:
  void report(const LoadedCookies& loaded);

  const JarArgs& args_;
  JarFileOptions opts_;
  CookieJar jar_;
  std::unique_ptr<SqliteStore> store_;
  std::size_t malformed_ = 0;
};

}  // namespace httpstate::cli
