#pragma once
// A fast hash for host names and registrable domains, shared by the psl cache and the jar's
// site index: 8 bytes a step (a multiply-xorshift mix, not a cryptographic hash), since
// std::hash's byte-wise Murmur showed up in profiles of every store and lookup.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace httpstate::url {

struct HostHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    const char* const p = s.data();
    const std::size_t n = s.size();
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    const auto mix = [&h](std::uint64_t w) {
      h = (h ^ w) * 0xff51afd7ed558ccdULL;
      h ^= h >> 32;
    };
    // Words while more than 16 bytes remain, then the last 16 as two words that may overlap:
    // most hosts are 8-16 bytes and take no loop, whose varying length mispredicted.
    std::size_t i = 0;
    for (; n - i > 16; i += 8) mix(load(p + i));
    if (n >= 8) {
      mix(load(p + i));
      mix(load(p + n - 8));
    } else if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      mix(a | (std::uint64_t{b} << 32));
    } else if (n != 0) {
      mix(static_cast<unsigned char>(p[0]) | (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
          (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16));
    }
    return static_cast<std::size_t>(h);
  }

 private:
  static std::uint64_t load(const char* q) noexcept {
    std::uint64_t w;
    std::memcpy(&w, q, 8);
    return w;
  }
};

}  // namespace httpstate::url
