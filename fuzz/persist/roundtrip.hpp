#pragma once
// The fuzzers' oracle: what a loader accepts, its writer writes, and the loader reads back the same.
#include <cstdlib>
#include <string_view>
#include <vector>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/persist/load_options.hpp"

namespace httpstate::fuzz {

inline void check(bool ok) {
  if (!ok) std::abort();
}

// Fields both text formats keep; times in whole seconds for Netscape.
inline bool same_cookies(const std::vector<Cookie>& a, const std::vector<Cookie>& b, bool every_field) {
  if (a.size() != b.size()) return false;
  for (const auto& x : a) {
    bool found = false;
    for (const auto& y : b) {
      if (!x.same_identity(y)) continue;
      found = x.value == y.value && x.secure == y.secure && x.http_only == y.http_only &&
              x.persistent() == y.persistent() &&
              (!x.expires || to_unix_seconds(*x.expires) == to_unix_seconds(*y.expires));
      if (every_field)
        found = found && x.same_site == y.same_site && x.partitioned == y.partitioned &&
                x.expires == y.expires && x.creation == y.creation && x.last_access == y.last_access;
      break;
    }
    if (!found) return false;
  }
  return true;
}

// Later duplicates replace earlier ones in a jar; the oracle compares after the same rule.
inline std::vector<Cookie> unique_identities(const std::vector<Cookie>& in) {
  std::vector<Cookie> out;
  for (const auto& c : in) {
    bool replaced = false;
    for (auto& o : out)
      if (o.same_identity(c)) {
        o = c;
        replaced = true;
      }
    if (!replaced) out.push_back(c);
  }
  return out;
}

// One fuzz input for a text format: strict mode fails exactly when lenient mode reports bad
// entries, and what loads is written and read back the same. `parse(text, opts)` returns a
// Result<LoadedCookies, ...>; `format(cookies)` the file text. False when the text was refused.
template <class Parse, class Format>
bool check_round_trip(std::string_view text, Parse parse, Format format, bool every_field) {
  LoadOptions opts;
  opts.keep_session_cookies = true;
  opts.now = from_unix_seconds(1'000'000'000);
  auto first = parse(text, opts);
  if (!first.ok()) return false;
  LoadOptions strict = opts;
  strict.strict = true;
  check(parse(text, strict).ok() == first->errors.empty());
  if (first->cookies.size() > 64) return true;  // the oracle is quadratic
  auto cookies = unique_identities(first->cookies);
  auto again = parse(format(cookies), opts);
  check(again.ok() && again->errors.empty());
  check(same_cookies(cookies, again->cookies, every_field));
  return true;
}

}  // namespace httpstate::fuzz
