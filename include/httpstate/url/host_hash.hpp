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
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xff51afd7ed558ccdULL;
      h ^= h >> 32;
    }
    if (const std::size_t r = s.size() - i; r != 0) {
      // 1-7 bytes left: two overlapping loads instead of a variable-length memcpy call.
      const char* q = s.data() + i;
      std::uint64_t w;
      if (r >= 4) {
        std::uint32_t a, b;
        std::memcpy(&a, q, 4);
        std::memcpy(&b, q + r - 4, 4);
        w = a | (std::uint64_t{b} << 32);
      } else {
        w = static_cast<unsigned char>(q[0]) | (std::uint64_t{static_cast<unsigned char>(q[r / 2])} << 8) |
            (std::uint64_t{static_cast<unsigned char>(q[r - 1])} << 16);
      }
      h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
      h ^= h >> 29;
    }
    return static_cast<std::size_t>(h);
  }
};

}  // namespace httpstate::url
