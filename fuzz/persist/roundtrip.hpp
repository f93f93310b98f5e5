#pragma once
// The fuzzers' oracle: what a loader accepts, its writer writes, and the loader reads back the same.
#include <cstdlib>
#include <vector>

#include "httpstate/cookie/cookie.hpp"

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

}  // namespace httpstate::fuzz
