#pragma once
// Nesting depth of JSON text, counted before parsing so recursive walks stay bounded.
#include <cstddef>
#include <string_view>

namespace httpstate::codec::detail {

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

}  // namespace httpstate::codec::detail
