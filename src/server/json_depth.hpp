#pragma once
// Bounds on a store record's data before it is parsed, so a record we did not write cannot make
// the recursive dump() run deep or the parse run long.
#include <cstddef>
#include <string_view>

namespace httpstate::server {

inline constexpr std::size_t max_record_data_bytes = 1024 * 1024;
inline constexpr std::size_t max_record_json_depth = 512;  // the codec layer's max_json_depth

namespace detail {

// True when no array/object nests deeper than `limit` (strings are skipped).
inline bool json_depth_within(std::string_view text, std::size_t limit) noexcept {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if ((c == ']' || c == '}') && depth) {
      --depth;
    }
  }
  return true;
}

}  // namespace detail
}  // namespace httpstate::server
