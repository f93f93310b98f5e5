// parse_json_jar never crashes or throws; what it accepts, format_json_jar writes and it reads
// back with every field.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpstate/persist/json_file.hpp"
#include "roundtrip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpstate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadOptions opts;
  opts.keep_session_cookies = true;
  opts.now = from_unix_seconds(1'000'000'000);
  auto first = parse_json_jar(text, opts);
  if (!first.ok()) return 0;
  LoadOptions strict = opts;
  strict.strict = true;
  fuzz::check(parse_json_jar(text, strict).ok() == first->errors.empty());
  if (first->cookies.size() > 64) return 0;  // the oracle is quadratic
  auto cookies = fuzz::unique_identities(first->cookies);
  auto again = parse_json_jar(format_json_jar(cookies), opts);
  fuzz::check(again.ok() && again->errors.empty());
  fuzz::check(fuzz::same_cookies(cookies, again->cookies, true));
  return 0;
}
