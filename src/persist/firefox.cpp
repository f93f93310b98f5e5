#include "httpstate/persist/firefox.hpp"

#include <set>
#include <string>

#include "entry_check.hpp"
#include "sqlite_util.hpp"

namespace httpstate {
namespace {

using namespace persist_detail;

// Firefox 132+ (schema 14+) keeps expiry in milliseconds, older ones in seconds. No expiry in
// seconds is this large (year 5138), and no expiry in milliseconds this small (1973).
constexpr std::int64_t expiry_ms_threshold = 100'000'000'000;
constexpr std::int64_t max_expiry_seconds = 253402300799;  // 9999-12-31, as the other loaders

// nsICookie: SAMESITE_NONE 0, LAX 1, STRICT 2 (UNSET 256 in newer builds). rawSameSite is what
// the site sent; 0 there is also "absent", so it maps to unset unless the cookie is Secure.
SameSite same_site_of(std::int64_t raw, bool secure) {
  switch (raw) {
    case 1: return SameSite::lax;
    case 2: return SameSite::strict;
    case 0: return secure ? SameSite::none : SameSite::unset;
    default: return SameSite::unset;
  }
}

}  // namespace

Result<LoadedCookies, JarFailure> load_firefox_cookies(const std::filesystem::path& path,
                                                       const LoadOptions& opts) {
  const std::string where = path.string();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(where.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return fail(db_failure(raw, rc, where));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);

  std::set<std::string> cols;
  {
    auto info = prepare(raw, "PRAGMA table_info(moz_cookies)", rc);
    if (rc != SQLITE_OK) return fail(db_failure(raw, rc, where));
    while ((rc = sqlite3_step(info.get())) == SQLITE_ROW) cols.insert(column_string(info.get(), 1));
    if (rc != SQLITE_DONE) return fail(db_failure(raw, rc, where));
  }
  for (const char* need : {"name", "value", "host", "path", "expiry", "isSecure", "isHttpOnly"})
    if (!cols.contains(need))
      return fail(JarFailure{JarError::foreign_database, where + ": no moz_cookies table of Firefox"});
  auto col = [&](const char* name, const char* fallback) {
    return std::string(cols.contains(name) ? name : fallback);
  };
  std::string sql = "SELECT name, value, host, path, expiry, isSecure, isHttpOnly, " +
                    col("creationTime", "0") + ", " + col("lastAccessed", "0") + ", " +
                    col("rawSameSite", col("sameSite", "256").c_str()) + ", " +
                    col("originAttributes", "''") + ", " + col("isPartitionedAttributeSet", "0") +
                    " FROM moz_cookies";
  auto s = prepare(raw, sql, rc);
  if (rc != SQLITE_OK) return fail(db_failure(raw, rc, where));

  const Time now = now_or(opts);
  LoadedCookies out;
  std::size_t row = 0;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    ++row;
    std::string attrs = column_string(s.get(), 10);
    bool partitioned = sqlite3_column_int(s.get(), 11) != 0;
    // "^partitionKey=(https,example.com)": a CHIPS cookie; anything else is a container or
    // private-browsing jar that is not the user's main one.
    if (!attrs.empty()) {
      if (!attrs.starts_with("^partitionKey=") || attrs.find('&') != std::string::npos) {
        ++out.dropped_foreign;
        continue;
      }
      partitioned = true;
    }
    Cookie c;
    c.name = column_string(s.get(), 0);
    c.value = column_string(s.get(), 1);
    c.domain = column_string(s.get(), 2);
    c.host_only = !c.domain.starts_with('.');
    if (!c.host_only) c.domain.erase(0, 1);
    c.path = column_string(s.get(), 3);
    std::int64_t expiry = sqlite3_column_int64(s.get(), 4);
    if (expiry > expiry_ms_threshold) expiry /= 1000;
    c.expires = from_unix_seconds(std::min(expiry, max_expiry_seconds));
    c.secure = sqlite3_column_int(s.get(), 5) != 0;
    c.http_only = sqlite3_column_int(s.get(), 6) != 0;
    c.creation = Time{std::chrono::microseconds{sqlite3_column_int64(s.get(), 7)}};
    c.last_access = Time{std::chrono::microseconds{sqlite3_column_int64(s.get(), 8)}};
    c.same_site = same_site_of(sqlite3_column_int64(s.get(), 9), c.secure);
    c.partitioned = partitioned;
    std::optional<EntryError> err;
    if (!canonical_domain(c.domain)) err = EntryError::bad_domain;
    else err = check_fields(c);
    if (err) {
      if (opts.strict) return fail(JarFailure{JarError::malformed_entry, to_string(LineError{row, *err})});
      out.errors.push_back({row, *err});
      continue;
    }
    if (keep_after_load(c, opts, now, out)) out.cookies.push_back(std::move(c));
  }
  if (rc != SQLITE_DONE) return fail(db_failure(raw, rc, where));
  return out;
}

}  // namespace httpstate
