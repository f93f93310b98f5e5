// parse_netscape never crashes; what it accepts, format_netscape writes and it reads back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpstate/persist/netscape.hpp"
#include "roundtrip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpstate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bool loaded = fuzz::check_round_trip(
      text, [](std::string_view t, const LoadOptions& o) { return parse_netscape(t, o); },
      [](const std::vector<Cookie>& c) { return format_netscape(c); }, false);
  fuzz::check(loaded);  // lenient mode never fails as a whole
  return 0;
}
