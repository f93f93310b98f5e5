#pragma once
// Netscape cookies.txt, byte-compatible with curl's lib/cookie.c writer. One line per cookie:
//
// @par Grammar (curl, wget, yt-dlp, Python's MozillaCookieJar)
//   line   = [ "#HttpOnly_" ] domain TAB subdomains TAB path TAB secure TAB expiry TAB name TAB value
//   domain = [ "." ] host          ; the dot and subdomains=TRUE mark a Domain cookie
//   expiry = epoch-seconds         ; 0 (or empty) is a session cookie
// Lines starting with '#' (other than #HttpOnly_) and blank lines are comments.
#include <span>
#include <string>
#include <string_view>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/persist/jar_error.hpp"
#include "httpstate/persist/load_options.hpp"
#include "httpstate/result.hpp"

namespace httpstate {

// Malformed lines are skipped and listed (curl's habit); in strict mode the first refuses the
// text (JarError::malformed_entry). Never throws on any input.
Result<LoadedCookies, JarFailure> parse_netscape(std::string_view text, const LoadOptions& opts = {});

// The header plus one line per cookie, ordered by domain, path, name so output is stable.
std::string format_netscape(std::span<const Cookie> cookies);

}  // namespace httpstate
