#pragma once
// The JSON jar: a versioned schema (docs/jar-files.md) holding every field of the Cookie model,
// so Python's json and JavaScript's JSON.parse read it with no code of ours.
//
//   {"format": "httpstate-cookie-jar", "version": 1, "cookies": [ {...}, ... ]}
#include <span>
#include <string>
#include <string_view>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/persist/jar_error.hpp"
#include "httpstate/persist/load_options.hpp"
#include "httpstate/result.hpp"

namespace httpstate {

inline constexpr std::string_view json_jar_format = "httpstate-cookie-jar";
inline constexpr int json_jar_version = 1;

// Bad entries are skipped and listed by index (strict: refused); a document that is not a
// jar, or from a newer version, fails as a whole. Never throws on any input.
Result<LoadedCookies, JarFailure> parse_json_jar(std::string_view text, const LoadOptions& opts = {});

// Compact, one cookie object per line, keys in the documented order, cookies ordered like
// format_netscape.
std::string format_json_jar(std::span<const Cookie> cookies);

}  // namespace httpstate
