#include "httpstate/codec/express.hpp"

#include "httpstate/codec/base64.hpp"

namespace httpstate::codec::express {
namespace {

constexpr std::string_view session_prefix = "s:";

bool unreserved(unsigned char c) {
  // encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) alone (ECMA-262 §19.2.6).
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-_.!~*'()").find(static_cast<char>(c)) != std::string_view::npos;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Well-formed UTF-8 (RFC 3629 §4), as decodeURIComponent demands of the decoded bytes.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
      return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

CookieSigner::CookieSigner(std::vector<std::string> secrets, ShortSecrets short_secrets) {
  check_secrets(secrets, short_secrets);
  keys_.reserve(secrets.size());
  for (const auto& s : secrets) keys_.emplace_back(Digest::sha256, s);
}

std::string CookieSigner::sign(std::string_view value) const {
  unsigned char mac[32];
  keys_.front().mac(value, mac);
  std::string out;
  out.reserve(value.size() + 1 + base64_encoded_size(32, Base64::standard_nopad));
  out.append(value).push_back('.');
  const std::size_t at = out.size();
  out.resize(at + base64_encoded_size(32, Base64::standard_nopad));
  base64_encode_to(mac, 32, Base64::standard_nopad, out.data() + at);
  return out;
}

Result<std::string, Rejection> CookieSigner::unsign(std::string_view input) const {
  if (input.size() > max_token_size) return fail(Rejection{Reason::too_large});
  const auto dot = input.rfind('.');
  if (dot == std::string_view::npos) return fail(Rejection{Reason::malformed});
  const auto value = input.substr(0, dot), sig = input.substr(dot + 1);
  unsigned char mac[32];
  char expected[base64_encoded_size(32, Base64::standard_nopad)];
  for (const auto& key : keys_) {  // express-session tries every secret, in order
    key.mac(value, mac);
    const auto n = base64_encode_to(mac, 32, Base64::standard_nopad, expected);
    if (equal_constant_time(sig, {expected, n})) return std::string(value);
  }
  return fail(Rejection{Reason::bad_signature});
}

std::string CookieSigner::session_cookie_value(std::string_view sid) const {
  return encode_uri_component(std::string(session_prefix) + sign(sid));
}

Result<std::string, Rejection> CookieSigner::session_id(std::string_view cookie_value) const {
  if (cookie_value.size() > max_token_size) return fail(Rejection{Reason::too_large});
  // The cookie module decodes values that contain "%"; a value that fails to decode stays as is.
  std::string raw = std::string(cookie_value);
  if (cookie_value.find('%') != std::string_view::npos) {
    if (auto d = decode_uri_component(cookie_value)) raw = std::move(*d);
  }
  if (!std::string_view(raw).starts_with(session_prefix)) return fail(Rejection{Reason::malformed});
  return unsign(std::string_view(raw).substr(session_prefix.size()));
}

std::string encode_uri_component(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::optional<std::string> decode_uri_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (!valid_utf8(out)) return std::nullopt;
  return out;
}

}  // namespace httpstate::codec::express
