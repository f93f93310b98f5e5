#include "httpstate/persist/jar_file.hpp"

#include <sqlite3.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "httpstate/persist/atomic_file.hpp"
#include "httpstate/persist/firefox.hpp"
#include "httpstate/persist/json_file.hpp"
#include "httpstate/persist/netscape.hpp"

namespace httpstate {
namespace {

JarFailure io_failure(const std::filesystem::path& path, std::error_code ec) {
  return {JarError::io_error, path.string() + ": " + ec.message()};
}

// Firefox's file is SQLite too: a moz_cookies table tells it from ours, without writing.
bool has_moz_cookies(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  bool found = false;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE name='moz_cookies'", -1, &s,
                           nullptr) == SQLITE_OK)
      found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
  }
  sqlite3_close_v2(db);
  return found;
}

// The whole file in one buffer of pre-faulted anonymous pages: a 10 MB jar costs one bulk
// mapping instead of a page fault per 4 KiB. read(), not a file mapping, so a writer that
// truncates the file under us (Python's save does) shortens the text instead of raising SIGBUS.
class FileText {
 public:
  FileText() = default;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText() {
    if (map_) ::munmap(map_, capacity_);
  }

  std::error_code open(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {errno, std::generic_category()};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        static_cast<std::uint64_t>(st.st_size) > max_jar_file_bytes) {
      ::close(fd);
      return read_whole_file(path, fallback_);  // special files, empty files, the size limit
    }
    capacity_ = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, capacity_, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      return read_whole_file(path, fallback_);
    }
    map_ = p;
    auto* out = static_cast<char*>(p);
    while (size_ < capacity_) {  // bounded: EOF or the size fstat gave
      ssize_t n = ::read(fd, out + size_, capacity_ - size_);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        std::error_code ec{errno, std::generic_category()};
        ::close(fd);
        return ec;
      }
      if (n == 0) break;
      size_ += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return {};
  }

  std::string_view text() const {
    return map_ ? std::string_view(static_cast<const char*>(map_), size_) : std::string_view(fallback_);
  }

 private:
  void* map_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::string fallback_;
};

Result<JarFormat, JarFailure> format_of(const std::filesystem::path& path, const JarFileOptions& opts) {
  if (opts.format) return *opts.format;
  auto f = jar_format_for(path);
  if (!f) return fail(JarFailure{JarError::unknown_format, path.string()});
  return *f;
}

}  // namespace

std::string_view to_string(JarFormat f) noexcept {
  switch (f) {
    case JarFormat::netscape: return "netscape";
    case JarFormat::json: return "json";
    case JarFormat::sqlite: return "sqlite";
    case JarFormat::firefox: return "firefox";
  }
  return "";
}

std::optional<JarFormat> parse_jar_format(std::string_view name) noexcept {
  for (auto f : {JarFormat::netscape, JarFormat::json, JarFormat::sqlite, JarFormat::firefox})
    if (name == to_string(f)) return f;
  if (name == "txt" || name == "cookies.txt") return JarFormat::netscape;
  return std::nullopt;
}

std::optional<JarFormat> jar_format_for(const std::filesystem::path& path) noexcept {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".txt" || ext == ".cookies") return JarFormat::netscape;
  if (ext == ".json") return JarFormat::json;
  if (ext == ".sqlite" || ext == ".sqlite3" || ext == ".db") return JarFormat::sqlite;
  return std::nullopt;
}

Result<LoadedCookies, JarFailure> read_jar_file(const std::filesystem::path& path,
                                                const JarFileOptions& opts) {
  auto format = format_of(path, opts);
  if (!format) return fail(format.error());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return fail(io_failure(path, {errno, std::generic_category()}));
    LoadedCookies empty;
    empty.existed = false;
    return empty;
  }
  switch (*format) {
    case JarFormat::netscape:
    case JarFormat::json: {
      FileText file;
      if (auto ec = file.open(path)) return fail(io_failure(path, ec));
      return *format == JarFormat::netscape ? parse_netscape(file.text(), opts.load)
                                            : parse_json_jar(file.text(), opts.load);
    }
    case JarFormat::sqlite: {
      if (!opts.format && has_moz_cookies(path)) return load_firefox_cookies(path, opts.load);
      auto store = SqliteStore::open(path, opts.sqlite);
      if (!store) return fail(store.error());
      return (*store)->load(opts.load);
    }
    case JarFormat::firefox:
      return load_firefox_cookies(path, opts.load);
  }
  return fail(JarFailure{JarError::unknown_format, path.string()});
}

Result<std::size_t, JarFailure> write_jar_file(const std::filesystem::path& path,
                                               std::span<const Cookie> cookies,
                                               const JarFileOptions& opts) {
  auto format = format_of(path, opts);
  if (!format) return fail(format.error());
  switch (*format) {
    case JarFormat::netscape:
    case JarFormat::json: {
      std::string text = *format == JarFormat::netscape ? format_netscape(cookies) : format_json_jar(cookies);
      if (auto ec = write_file_atomically(path, text)) return fail(io_failure(path, ec));
      return cookies.size();
    }
    case JarFormat::sqlite: {
      if (!opts.format && has_moz_cookies(path))
        return fail(JarFailure{JarError::read_only_format, path.string()});
      auto store = SqliteStore::open(path, opts.sqlite);
      if (!store) return fail(store.error());
      return (*store)->replace_all(cookies);
    }
    case JarFormat::firefox:
      return fail(JarFailure{JarError::read_only_format, path.string()});
  }
  return fail(JarFailure{JarError::unknown_format, path.string()});
}

Result<LoadedCookies, JarFailure> load_jar_file(const std::filesystem::path& path, CookieJar& jar,
                                                const JarFileOptions& opts) {
  auto loaded = read_jar_file(path, opts);
  if (!loaded) return loaded;
  for (auto& c : loaded->cookies) jar.insert(std::move(c));
  loaded->cookies.clear();
  return loaded;
}

Result<std::size_t, JarFailure> save_jar_file(const std::filesystem::path& path, const CookieJar& jar,
                                              const JarFileOptions& opts) {
  auto cookies = jar.all();
  return write_jar_file(path, cookies, opts);
}

}  // namespace httpstate
