#pragma once
// Base64 in the four spellings the formats use; decoding is strict (canonical input only), so
// a flipped character never decodes to the same bytes.
#include <optional>
#include <string>
#include <string_view>

namespace httpstate::codec {

enum class Base64 : unsigned char {
  standard,         // RFC 4648 §4 with "=" padding: Tornado, Flask " b"
  standard_nopad,   // §4 without padding: express cookie-signature
  url_nopad,        // §5 without padding: itsdangerous, encrypted values
};

std::string base64_encode(std::string_view bytes, Base64 alphabet);
// Appends; returns the number of characters written.
std::size_t base64_encode_to(const unsigned char* bytes, std::size_t n, Base64 alphabet, char* out) noexcept;
constexpr std::size_t base64_encoded_size(std::size_t n, Base64 alphabet) noexcept {
  return alphabet == Base64::standard ? (n + 2) / 3 * 4 : n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}
// nullopt on any character outside the alphabet, bad length or padding, or non-zero spare bits.
std::optional<std::string> base64_decode(std::string_view text, Base64 alphabet);

}  // namespace httpstate::codec
