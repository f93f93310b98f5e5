#pragma once
// The cookie-date algorithm (§5.1.1) in, IMF-fixdate (RFC 9110 §5.6.7) out.
#include <optional>
#include <string>
#include <string_view>

#include "httpstate/cookie/cookie.hpp"

namespace httpstate {

// nullopt when the string is not a cookie-date (§5.1.1 step 6 failures).
std::optional<Time> parse_cookie_date(std::string_view s) noexcept;

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::string format_http_date(Time t);

}  // namespace httpstate
