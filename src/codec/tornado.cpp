#include "httpstate/codec/tornado.hpp"

#include <charconv>
#include <vector>

#include "httpstate/codec/base64.hpp"
#include "httpstate/codec/hmac.hpp"
#include "httpstate/error.hpp"

namespace httpstate::codec::tornado {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(2 * n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  return out;
}

std::string hex_mac(Digest d, std::string_view key, std::initializer_list<std::string_view> parts) {
  unsigned char mac[max_digest_size];
  const std::size_t n = HmacKey(d, key).mac(parts, mac);
  return hex(mac, n);
}

void field(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
  out += '|';
}

// A decimal that Python's int() reads the same way: ASCII digits only, bounded.
std::optional<std::int64_t> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// tornado.web._decode_fields_v2: "<len>:<bytes>|", repeated.
std::optional<std::string_view> consume_field(std::string_view& rest) {
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto n = parse_int(rest.substr(0, colon));
  if (!n) return std::nullopt;
  rest.remove_prefix(colon + 1);
  if (static_cast<std::uint64_t>(*n) >= rest.size() || rest[*n] != '|') return std::nullopt;
  const auto value = rest.substr(0, *n);
  rest.remove_prefix(*n + 1);
  return value;
}

Failure<Rejection> reject(Reason r, std::int64_t at = 0) { return fail(Rejection{r, at}); }

bool legal_cookie_char(unsigned char c) {
  // http.cookies._LegalChars: letters, digits and !#$%&'*+-.^_`|~:
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~:").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

SignedValues::SignedValues(std::string secret, ShortSecrets short_secrets)
    : SignedValues(std::map<int, std::string>{{0, std::move(secret)}}, 0, short_secrets) {}

SignedValues::SignedValues(std::map<int, std::string> secrets, int sign_version, ShortSecrets short_secrets)
    : secrets_(std::move(secrets)), sign_version_(sign_version) {
  std::vector<std::string> all;
  for (const auto& [v, s] : secrets_) {
    if (v < 0) throw httpstate::error("key versions are non-negative");
    all.push_back(s);
  }
  check_secrets(all, short_secrets);
  if (!secrets_.contains(sign_version_)) throw httpstate::error("no secret for the signing key version");
}

std::string SignedValues::create(std::string_view name, std::string_view value, int format_version,
                                 std::int64_t now) const {
  const std::string& secret = secrets_.at(sign_version_);
  const std::string ts = std::to_string(now);
  const std::string b64 = base64_encode(value, Base64::standard);
  if (format_version == 1) return b64 + "|" + ts + "|" + hex_mac(Digest::sha1, secret, {name, b64, ts});
  if (format_version != 2) throw httpstate::error("Tornado signed values are version 1 or 2");
  std::string out = "2|";
  field(out, std::to_string(sign_version_));
  field(out, ts);
  field(out, name);
  field(out, b64);
  return out + hex_mac(Digest::sha256, secret, {out});
}

Result<std::string, Rejection> SignedValues::decode(std::string_view name, std::string_view wire,
                                                    std::int64_t max_age_days, std::int64_t now,
                                                    int min_version) const {
  if (wire.size() > max_token_size) return reject(Reason::too_large);
  const std::string unquoted = unquote(wire);
  const std::string_view value = unquoted;
  const std::int64_t oldest = now - max_age_days * 86400;

  // tornado.web._get_version: "<digits>|" prefix, else version 1.
  int version = 1;
  if (const auto bar = value.find('|'); bar != std::string_view::npos && bar > 0 && value[0] != '0') {
    if (auto v = parse_int(value.substr(0, bar)); v && *v <= 999) version = static_cast<int>(*v);
  }
  if (version < min_version) return reject(Reason::unsupported_version);

  if (version == 1) {
    const auto b1 = value.find('|');
    const auto b2 = b1 == std::string_view::npos ? b1 : value.find('|', b1 + 1);
    if (b2 == std::string_view::npos || value.find('|', b2 + 1) != std::string_view::npos)
      return reject(Reason::malformed);
    const auto b64 = value.substr(0, b1), ts_text = value.substr(b1 + 1, b2 - b1 - 1),
               sig = value.substr(b2 + 1);
    // v1 has no key version: only the signing key is tried, as Tornado does.
    if (!equal_constant_time(sig, hex_mac(Digest::sha1, secrets_.at(sign_version_), {name, b64, ts_text})))
      return reject(Reason::bad_signature);
    const auto ts = parse_int(ts_text);
    if (!ts || ts_text.starts_with('0')) return reject(Reason::bad_timestamp);
    if (*ts < oldest) return reject(Reason::expired, *ts);
    // The v1 MAC has no delimiters, so payload digits can move into the timestamp.
    if (*ts > now + v1_max_future) return reject(Reason::bad_timestamp);
    auto out = base64_decode(b64, Base64::standard);
    if (!out) return reject(Reason::bad_payload);
    return std::move(*out);
  }
  if (version != 2) return reject(Reason::unsupported_version);

  std::string_view rest = value.substr(2);
  const auto key_version = consume_field(rest);
  const auto ts_text = key_version ? consume_field(rest) : std::nullopt;
  const auto name_field = ts_text ? consume_field(rest) : std::nullopt;
  const auto b64 = name_field ? consume_field(rest) : std::nullopt;
  if (!b64) return reject(Reason::malformed);
  const auto kv = parse_int(*key_version);
  if (!kv) return reject(Reason::malformed);
  if (*kv > INT32_MAX) return reject(Reason::unknown_key);
  const auto secret = secrets_.find(static_cast<int>(*kv));
  if (secret == secrets_.end()) return reject(Reason::unknown_key);
  const std::string_view sig = rest;
  const auto signed_part = value.substr(0, value.size() - sig.size());
  if (!equal_constant_time(sig, hex_mac(Digest::sha256, secret->second, {signed_part})))
    return reject(Reason::bad_signature);
  if (*name_field != name) return reject(Reason::wrong_name);
  const auto ts = parse_int(*ts_text);
  if (!ts) return reject(Reason::bad_timestamp);
  if (*ts < oldest) return reject(Reason::expired, *ts);
  auto out = base64_decode(*b64, Base64::standard);
  if (!out) return reject(Reason::bad_payload);
  return std::move(*out);
}

std::string quote(std::string_view value) {
  bool legal = true;
  for (unsigned char c : value) legal = legal && legal_cookie_char(c);
  if (legal) return std::string(value);
  // http.cookies._quote: '"' and '\\' backslashed, other illegal bytes as \ooo octal.
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f || c == ',' || c == ';') {
      char oct[5] = {'\\', char('0' + (c >> 6)), char('0' + ((c >> 3) & 7)), char('0' + (c & 7)), 0};
      out += oct;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string unquote(std::string_view value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::string(value);
  value = value.substr(1, value.size() - 2);
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\' || i + 1 == value.size()) {
      out += value[i];
    } else if (i + 3 < value.size() && value[i + 1] >= '0' && value[i + 1] <= '3' &&
               value[i + 2] >= '0' && value[i + 2] <= '7' && value[i + 3] >= '0' && value[i + 3] <= '7') {
      out += static_cast<char>(((value[i + 1] - '0') << 6) | ((value[i + 2] - '0') << 3) | (value[i + 3] - '0'));
      i += 3;
    } else {
      out += value[++i];
    }
  }
  return out;
}

}  // namespace httpstate::codec::tornado
