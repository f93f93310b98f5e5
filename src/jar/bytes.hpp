#pragma once
// Byte compares for the jar's hot paths, inlined: a memcmp call costs more than the compare
// itself on the short strings (hosts, paths, site keys) a lookup checks.
#include <cstdint>
#include <cstring>
#include <string_view>

namespace httpstate::jar_detail {

// Byte equality of two short strings (hosts, paths) without a memcmp call: 8 bytes a step.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; n != 0; ++a, ++b, --n)
    if (*a != *b) return false;
  return true;
}

inline bool equal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

}  // namespace httpstate::jar_detail
