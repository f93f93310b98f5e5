#pragma once
// Byte scans for the jar's hot paths, inlined: a memcmp call or a byte loop cost more than the
// work itself on the short strings (hosts, paths, site keys) a lookup checks.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace httpstate::jar_detail {

inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
inline std::uint32_t load32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// Byte equality of two short strings (hosts, paths) without a memcmp call: 8 bytes a step, and
// the tail as one load that overlaps the bytes before it rather than a byte loop.
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (load64(a + i) != load64(b + i)) return false;
    return load64(a + n - 8) == load64(b + n - 8);
  }
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  // 0-3 bytes: the first, middle and last cover them all.
  return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

[[gnu::always_inline]] inline bool equal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

// Whether any byte has its high bit set: the bytes OR-ed a word at a time, the last word
// overlapping the one before, as same_bytes does.
inline bool has_non_ascii(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t any = 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) any |= load64(p + i);
    any |= load64(p + n - 8);
  } else if (n >= 4) {
    any = load32(p) | load32(p + n - 4);
  } else if (n != 0) {
    any = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) | static_cast<unsigned char>(p[n - 1]);
  }
  return (any & 0x8080808080808080ULL) != 0;
}

// Calls f(suffix, labels) for each label-suffix of `host`, shortest first ("com", "example.com",
// "www.example.com"). One pass from the right, 8 bytes a step: a byte loop cost more per lookup
// than the probes it drives.
template <class F>
void for_each_label_suffix(std::string_view host, F&& f) {
  std::size_t labels = 1;
  std::size_t i = host.size();
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
    // The dots of the word at `at`, below byte `below` only (bytes from there on were seen).
    auto dots_in = [&](std::size_t at, unsigned below) {
      const std::uint64_t x = load64(host.data() + at) ^ ('.' * ones);  // 0 where a '.' is
      const std::uint64_t dots = ~(((x & low7) + low7) | x | low7);  // exact: each zero byte's high bit
      return below == 8 ? dots : dots & ((std::uint64_t{1} << (8 * below)) - 1);
    };
    auto visit = [&](std::size_t at, std::uint64_t dots) {
      while (dots != 0) {
        const int bit = 63 - std::countl_zero(dots);  // the rightmost '.' left in the word
        f(host.substr(at + static_cast<std::size_t>(bit / 8) + 1), labels++);
        dots ^= std::uint64_t{1} << bit;
      }
    };
    for (; i >= 8; i -= 8) visit(i - 8, dots_in(i - 8, 8));
    // The first i < 8 bytes: the host's first word again, only its bytes not yet seen.
    if (i != 0 && host.size() >= 8) {
      visit(0, dots_in(0, static_cast<unsigned>(i)));
      i = 0;
    }
  }
  while (i-- > 0)
    if (host[i] == '.') f(host.substr(i + 1), labels++);
  f(host, labels);
}

}  // namespace httpstate::jar_detail
