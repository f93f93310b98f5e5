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
  fuzz::check_round_trip(
      text, [](std::string_view t, const LoadOptions& o) { return parse_json_jar(t, o); },
      [](const std::vector<Cookie>& c) { return format_json_jar(c); }, true);
  return 0;
}
