#pragma once
// Private ASCII helpers shared by the cookie/ sources: locale-free, byte-wise.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace httpstate::detail {

// WSP = SP / HTAB (RFC 5234 B.1), what §5.6 trims.
constexpr bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr std::string_view trim_wsp(std::string_view s) noexcept {
  while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
  return s;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

constexpr bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Whether s has an ASCII uppercase letter, 8 bytes a step and the last 16 as two words that
// may overlap: no loop for the usual Domain value, whose varying length mispredicted.
inline bool has_upper(std::string_view s) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  // The high bit of each byte of w in 'A'..'Z': with the high bits cleared, no add carries
  // into the next byte.
  const auto upper = [](std::uint64_t w) {
    const std::uint64_t v = w & ~highs;
    return (v + (0x80 - 'A') * ones) & ~(v + (0x7F - 'Z') * ones) & ~w & highs;
  };
  const auto load = [](const char* q, std::size_t n) {
    std::uint64_t w = 0;
    std::memcpy(&w, q, n);
    return w;
  };
  const char* const p = s.data();
  const std::size_t n = s.size();
  if (n < 8) return upper(load(p, n)) != 0;  // zero bytes are no letter
  std::size_t i = 0;
  std::uint64_t any = 0;
  for (; n - i > 16; i += 8) any |= upper(load(p + i, 8));
  return (any | upper(load(p + i, 8)) | upper(load(p + n - 8, 8))) != 0;
}

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace httpstate::detail
