#pragma once
// What every jar file loader takes and gives back: the drop rules and the per-line reasons.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpstate/cookie/cookie.hpp"

namespace httpstate {

struct LoadOptions {
  // wget --keep-session-cookies: a jar file is a new session, so session cookies go by default.
  bool keep_session_cookies = false;
  // --strict: one malformed line refuses the whole file (curl and Python skip the line).
  bool strict = false;
  // The time that decides what is expired; the system clock when unset.
  std::optional<Time> now;
};

// Why one line (Netscape) or one entry (JSON) was skipped.
enum class EntryError : std::uint8_t {
  field_count,      // Netscape: not 7 TAB-separated fields (6 = empty value, as curl)
  line_too_long,    // over max_jar_line_bytes
  bad_domain,       // empty, or a byte that no canonical host has
  bad_flag,         // a TRUE/FALSE field (or a JSON boolean) holding something else
  bad_path,         // not starting with '/', or over the §5.6 attribute limit
  bad_expiry,       // not a number of seconds
  bad_name_value,   // a control character (§5.6 step 1), or over 4096 bytes (§5.6 step 7)
  bad_same_site,    // JSON: not "None", "Lax", "Strict" or null
  not_an_object,    // JSON: an entry of "cookies" that is not an object
  missing_field,    // JSON: name, value, domain or path absent
  wrong_type,       // JSON: a field of the wrong JSON type
};

std::string_view to_string(EntryError e) noexcept;

struct LineError {
  std::size_t line;  // 1-based line (Netscape) or entry index + 1 (JSON)
  EntryError reason;
};

// "line 3: not 7 TAB-separated fields"
std::string to_string(const LineError& e);

struct LoadedCookies {
  std::vector<Cookie> cookies;
  std::vector<LineError> errors;  // skipped entries, in file order
  std::size_t dropped_expired = 0;
  std::size_t dropped_session = 0;
  std::size_t dropped_foreign = 0;  // Firefox: container or other origin-attribute cookies
  bool existed = true;              // false: no such file, an empty jar (curl -c habit)
};

}  // namespace httpstate
