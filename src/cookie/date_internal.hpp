#pragma once
// Private to the cookie library and its tests: the §5.1.1 algorithm without the IMF-fixdate
// fast path of parse_cookie_date, so a test can check that the two always agree.
#include <optional>
#include <string_view>

#include "httpstate/cookie/cookie.hpp"

namespace httpstate::detail {

std::optional<Time> parse_cookie_date_general(std::string_view s) noexcept;

}  // namespace httpstate::detail
