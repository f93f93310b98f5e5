// parse_cookie_date on arbitrary bytes: it agrees with the general §5.1.1 algorithm (it reads
// IMF-fixdate directly), what it accepts is a real date in [1601, 9999], and its IMF-fixdate
// parses back to the same instant.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check.hpp"
#include "date_internal.hpp"
#include "httpstate/cookie/date.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpstate;
  using namespace std::chrono;
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const auto t = parse_cookie_date(s);
  FUZZ_CHECK(t == detail::parse_cookie_date_general(s));
  if (!t) return 0;
  static const Time earliest{sys_days{year{1601} / January / 1}};
  static const Time end{sys_days{year{10000} / January / 1}};
  FUZZ_CHECK(*t >= earliest && *t < end);
  FUZZ_CHECK(floor<seconds>(*t) == *t);
  const std::string formatted = format_http_date(*t);
  FUZZ_CHECK(formatted.size() == 29);
  FUZZ_CHECK(parse_cookie_date(formatted) == t);
  return 0;
}
