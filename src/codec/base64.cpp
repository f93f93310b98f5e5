#include "httpstate/codec/base64.hpp"

#include <array>
#include <cstdint>

namespace httpstate::codec {
namespace {

// Hand-rolled rather than EVP_EncodeBlock: OpenSSL has no URL alphabet, no unpadded form and
// its decoder is lenient (whitespace, non-canonical spare bits), which tamper checks forbid.
constexpr char standard_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char url_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<std::int8_t, 256> reverse(const char* chars) {
  std::array<std::int8_t, 256> t{};
  for (auto& x : t) x = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(chars[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr auto standard_rev = reverse(standard_chars);
constexpr auto url_rev = reverse(url_chars);

}  // namespace

std::size_t base64_encode_to(const unsigned char* in, std::size_t n, Base64 a, char* out) noexcept {
  const char* chars = a == Base64::url_nopad ? url_chars : standard_chars;
  char* o = out;
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *o++ = chars[v >> 18];
    *o++ = chars[(v >> 12) & 63];
    *o++ = chars[(v >> 6) & 63];
    *o++ = chars[v & 63];
  }
  const std::size_t rest = n - i;
  if (rest) {
    std::uint32_t v = std::uint32_t{in[i]} << 16;
    if (rest == 2) v |= std::uint32_t{in[i + 1]} << 8;
    *o++ = chars[v >> 18];
    *o++ = chars[(v >> 12) & 63];
    if (rest == 2) *o++ = chars[(v >> 6) & 63];
    if (a == Base64::standard) {
      if (rest == 1) *o++ = '=';
      *o++ = '=';
    }
  }
  return static_cast<std::size_t>(o - out);
}

std::string base64_encode(std::string_view bytes, Base64 a) {
  std::string out(base64_encoded_size(bytes.size(), a), '\0');
  base64_encode_to(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), a, out.data());
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, Base64 a) {
  const auto& rev = a == Base64::url_nopad ? url_rev : standard_rev;
  if (a == Base64::standard) {
    if (text.size() % 4) return std::nullopt;
    if (text.ends_with("==")) text.remove_suffix(2);
    else if (text.ends_with('=')) text.remove_suffix(1);
  }
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = rev[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Canonical only: the spare bits of the last character must be zero.
  if (bits && (acc & ((1u << bits) - 1))) return std::nullopt;
  return out;
}

}  // namespace httpstate::codec
