// parse_netscape never crashes; what it accepts, format_netscape writes and it reads back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpstate/persist/netscape.hpp"
#include "roundtrip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpstate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadOptions opts;
  opts.keep_session_cookies = true;
  opts.now = from_unix_seconds(1'000'000'000);
  auto first = parse_netscape(text, opts);
  fuzz::check(first.ok());  // lenient mode never fails as a whole
  LoadOptions strict = opts;
  strict.strict = true;
  fuzz::check(parse_netscape(text, strict).ok() == first->errors.empty());
  if (first->cookies.size() > 64) return 0;  // the oracle is quadratic
  auto cookies = fuzz::unique_identities(first->cookies);
  auto again = parse_netscape(format_netscape(cookies), opts);
  fuzz::check(again.ok() && again->errors.empty());
  fuzz::check(fuzz::same_cookies(cookies, again->cookies, false));
  return 0;
}
