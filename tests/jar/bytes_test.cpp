// The jar's word-at-a-time byte helpers against the obvious byte loops, at every length and
// offset around the 8-byte word edges.
#include "bytes.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace httpstate::jar_detail {
namespace {

TEST(JarBytes, SameBytesAgreesWithMemcmp) {
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string a(n, 'x');
    EXPECT_TRUE(same_bytes(a.data(), std::string(a).data(), n)) << n;
    for (std::size_t at = 0; at < n; ++at) {
      std::string b = a;
      b[at] = 'y';
      EXPECT_FALSE(same_bytes(a.data(), b.data(), n)) << n << " " << at;
      EXPECT_FALSE(equal(a, b));
    }
  }
  EXPECT_FALSE(equal("ab", "abc"));
}

TEST(JarBytes, HasNonAsciiSeesAHighByteAnywhere) {
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string a(n, 'x');
    EXPECT_FALSE(has_non_ascii(a)) << n;
    for (std::size_t at = 0; at < n; ++at) {
      std::string b = a;
      b[at] = '\x80';
      EXPECT_TRUE(has_non_ascii(b)) << n << " " << at;
      b[at] = '\xff';
      EXPECT_TRUE(has_non_ascii(b)) << n << " " << at;
    }
  }
}

// Every label-suffix, shortest first, with its label count.
std::vector<std::pair<std::string, std::size_t>> naive_suffixes(std::string_view host) {
  std::vector<std::pair<std::string, std::size_t>> out;
  std::size_t labels = 1;
  for (std::size_t i = host.size(); i-- > 0;)
    if (host[i] == '.') out.emplace_back(host.substr(i + 1), labels++);
  out.emplace_back(host, labels);
  return out;
}

TEST(JarBytes, LabelSuffixesAtEveryDotPosition) {
  for (std::size_t n = 1; n <= 40; ++n) {
    for (std::size_t dots = 0; dots < 64; ++dots) {  // dot patterns over the first and last bytes
      std::string host(n, 'a');
      for (std::size_t k = 0; k < 6; ++k) {
        if (!(dots & (1u << k))) continue;
        const std::size_t at = k < 3 ? k * 3 + 1 : n - 1 - (k - 3) * 3;
        if (at < n) host[at] = '.';
      }
      std::vector<std::pair<std::string, std::size_t>> got;
      for_each_label_suffix(host, [&](std::string_view s, std::size_t labels) { got.emplace_back(s, labels); });
      EXPECT_EQ(got, naive_suffixes(host)) << host;
    }
  }
}

}  // namespace
}  // namespace httpstate::jar_detail
