#include "httpstate/codec/itsdangerous.hpp"

#include <zlib.h>

#include <cstring>

#include "httpstate/codec/base64.hpp"
#include "httpstate/error.hpp"
#include "json_depth.hpp"
#include "python_json.hpp"

namespace httpstate::codec::itsdangerous {
namespace {

HmacKey derive_key(const std::string& secret, const SignerOptions& o) {
  switch (o.key_derivation) {
    case KeyDerivation::concat: return HmacKey(o.digest, hash(o.digest, {o.salt, secret}));
    case KeyDerivation::django_concat: return HmacKey(o.digest, hash(o.digest, {o.salt, "signer", secret}));
    case KeyDerivation::hmac: return HmacKey(o.digest, HmacKey(o.digest, secret).mac(o.salt));
    case KeyDerivation::none: return HmacKey(o.digest, secret);
  }
  throw httpstate::error("unknown key derivation");
}

// itsdangerous refuses a separator from its base64 alphabet (plus "="): splitting would be ambiguous.
bool valid_separator(std::string_view sep) {
  constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=";
  return !sep.empty() && sep.find_first_of(alphabet) == std::string_view::npos;
}

}  // namespace

std::string timestamp_text(std::int64_t now) {
  unsigned char be[8];
  auto v = static_cast<std::uint64_t>(now);
  for (int i = 7; i >= 0; --i, v >>= 8) be[i] = static_cast<unsigned char>(v & 0xff);
  int skip = 0;
  while (skip < 8 && be[skip] == 0) ++skip;  // int_to_bytes: minimal big-endian
  char out[16];
  return {out, base64_encode_to(be + skip, 8 - skip, Base64::url_nopad, out)};
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  const auto bytes = base64_decode(text, Base64::url_nopad);
  if (!bytes || bytes->size() > 8) return std::nullopt;
  std::uint64_t v = 0;
  for (unsigned char c : *bytes) v = (v << 8) | c;
  if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::string_view to_string(KeyDerivation k) noexcept {
  switch (k) {
    case KeyDerivation::django_concat: return "django-concat";
    case KeyDerivation::concat: return "concat";
    case KeyDerivation::hmac: return "hmac";
    case KeyDerivation::none: return "none";
  }
  return "?";
}

std::optional<KeyDerivation> key_derivation_from_string(std::string_view s) noexcept {
  if (s == "django-concat") return KeyDerivation::django_concat;
  if (s == "concat") return KeyDerivation::concat;
  if (s == "hmac") return KeyDerivation::hmac;
  if (s == "none") return KeyDerivation::none;
  return std::nullopt;
}

Signer::Signer(std::vector<std::string> secrets, SignerOptions options) : options_(std::move(options)) {
  check_secrets(secrets, options_.short_secrets);
  if (!valid_separator(options_.sep)) throw httpstate::error("the separator must not be a base64 character");
  keys_.reserve(secrets.size());
  for (auto it = secrets.rbegin(); it != secrets.rend(); ++it) keys_.push_back(derive_key(*it, options_));
}

void Signer::append_signature(std::string& out, std::string_view value) const {
  unsigned char mac[max_digest_size];
  const std::size_t n = keys_.front().mac(value, mac);  // before resizing: value may view `out`
  const std::size_t at = out.size();
  out.resize(at + base64_encoded_size(n, Base64::url_nopad));
  base64_encode_to(mac, n, Base64::url_nopad, out.data() + at);
}

std::string Signer::signature(std::string_view value) const {
  std::string out;
  append_signature(out, value);
  return out;
}

std::string Signer::sign(std::string_view value) const {
  std::string out;
  out.reserve(value.size() + options_.sep.size() + base64_encoded_size(max_digest_size, Base64::url_nopad));
  out.append(value).append(options_.sep);
  append_signature(out, value);
  return out;
}

Result<std::string_view, Rejection> Signer::verify(std::string_view token) const {
  if (token.size() > max_token_size) return fail(Rejection{Reason::too_large});
  const auto at = token.rfind(options_.sep);
  if (at == std::string_view::npos) return fail(Rejection{Reason::malformed});
  const auto value = token.substr(0, at);
  const auto sig = token.substr(at + options_.sep.size());
  unsigned char mac[max_digest_size];
  char expected[base64_encoded_size(max_digest_size, Base64::url_nopad)];
  // Compare the encoded text, so a non-canonical spelling of the right MAC is refused too.
  for (const auto& key : keys_) {
    const std::size_t n = key.mac(value, mac);
    const std::size_t len = base64_encode_to(mac, n, Base64::url_nopad, expected);
    if (equal_constant_time(sig, {expected, len})) return value;
  }
  return fail(Rejection{Reason::bad_signature});
}

Result<std::string, Rejection> Signer::unsign(std::string_view token) const {
  auto v = verify(token);
  if (!v) return fail(v.error());
  return std::string(*v);
}

std::string TimestampSigner::sign(std::string_view value, std::int64_t now) const {
  const std::string ts = timestamp_text(now);
  std::string out;
  out.reserve(value.size() + 2 * options_.sep.size() + ts.size() +
              base64_encoded_size(max_digest_size, Base64::url_nopad));
  out.append(value).append(options_.sep).append(ts);
  const std::size_t signed_len = out.size();
  out.append(options_.sep);
  append_signature(out, std::string_view(out).substr(0, signed_len));
  return out;
}

Result<Timestamped, Rejection> TimestampSigner::unsign(std::string_view token,
                                                       std::optional<std::int64_t> max_age,
                                                       std::int64_t now) const {
  auto v = verify(token);
  if (!v) return fail(v.error());
  const auto at = v->rfind(options_.sep);
  if (at == std::string_view::npos) return fail(Rejection{Reason::timestamp_missing});
  const auto ts = parse_timestamp(v->substr(at + options_.sep.size()));
  if (!ts) return fail(Rejection{Reason::bad_timestamp});
  if (max_age) {
    // itsdangerous: age > max_age, or a timestamp in the future, is SignatureExpired.
    const std::int64_t age = now - *ts;
    if (*ts > now || age > *max_age) return fail(Rejection{Reason::expired, *ts});
  }
  return Timestamped{std::string(v->substr(0, at)), *ts};
}

namespace {

// deflateInit allocates and clears ~256 KiB; a per-thread stream that is only reset makes the
// compression attempt (made on every dumps, as itsdangerous does) several times cheaper.
struct Deflater {
  z_stream zs{};
  bool ok = deflateInit(&zs, Z_DEFAULT_COMPRESSION) == Z_OK;
  ~Deflater() {
    if (ok) deflateEnd(&zs);
  }
};

// Python's zlib.compress(data) (level 6 via Z_DEFAULT_COMPRESSION, 15-bit window, memLevel 8).
std::optional<std::string> zlib_compress(std::string_view data) {
  thread_local Deflater d;
  if (!d.ok || deflateReset(&d.zs) != Z_OK) return std::nullopt;
  std::string out(deflateBound(&d.zs, static_cast<uLong>(data.size())), '\0');
  d.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  d.zs.avail_in = static_cast<uInt>(data.size());
  d.zs.next_out = reinterpret_cast<Bytef*>(out.data());
  d.zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&d.zs, Z_FINISH) != Z_STREAM_END) return std::nullopt;
  out.resize(d.zs.total_out);
  return out;
}

}  // namespace

std::string encode_payload(std::string_view json) {
  if (auto compressed = zlib_compress(json); compressed && compressed->size() + 1 < json.size()) {
    std::string out = ".";  // the compression marker
    out += base64_encode(*compressed, Base64::url_nopad);
    return out;
  }
  return base64_encode(json, Base64::url_nopad);
}

Result<std::string, Rejection> decode_payload(std::string_view payload) {
  const bool compressed = payload.starts_with('.');
  if (compressed) payload.remove_prefix(1);
  auto bytes = base64_decode(payload, Base64::url_nopad);
  if (!bytes) return fail(Rejection{Reason::bad_payload});
  if (!compressed) return std::move(*bytes);

  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return fail(Rejection{Reason::bad_payload});
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(bytes->data());
  zs.avail_in = static_cast<uInt>(bytes->size());
  int rc = Z_OK;
  char chunk[16384];
  while (rc == Z_OK) {  // bounded: every pass consumes input or fills output, capped below
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (out.size() > max_payload_size) rc = Z_MEM_ERROR;
    else if (rc == Z_BUF_ERROR || (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0)) rc = Z_DATA_ERROR;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    return fail(Rejection{out.size() > max_payload_size ? Reason::too_large : Reason::bad_payload});
  }
  return out;
}

std::string dump_json(const Json& value, bool compact, bool ensure_ascii) {
  std::string out;
  detail::append_python_json(out, value, compact, ensure_ascii);
  return out;
}

std::optional<Json> parse_json(std::string_view text) {
  if (!detail::json_depth_within(text, max_json_depth)) return std::nullopt;
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

Serializer::Serializer(std::vector<std::string> secrets, SerializerOptions options)
    : options_(std::move(options)),
      signer_(std::move(secrets), SignerOptions{options_.salt, options_.sep, options_.key_derivation,
                                                options_.digest, options_.short_secrets}) {}

std::string Serializer::dumps(const Json& value, std::int64_t now) const {
  // URLSafe*: itsdangerous's _CompactJSON (ensure_ascii off); plain: json.dumps defaults.
  std::string payload = options_.url_safe ? encode_payload(dump_json(value, true, false))
                                          : dump_json(value, false, true);
  return options_.timed ? signer_.sign(payload, now) : signer_.Signer::sign(payload);
}

Result<Loaded, Rejection> Serializer::loads(std::string_view token, std::optional<std::int64_t> max_age,
                                            std::int64_t now) const {
  Loaded out;
  std::string payload;
  if (options_.timed) {
    auto r = signer_.unsign(token, max_age, now);
    if (!r) return fail(r.error());
    payload = std::move(r->value);
    out.timestamp = r->timestamp;
  } else {
    auto r = signer_.Signer::unsign(token);
    if (!r) return fail(r.error());
    payload = std::move(*r);
  }
  if (options_.url_safe) {
    auto p = decode_payload(payload);
    if (!p) return fail(p.error());
    payload = std::move(*p);
  }
  auto j = parse_json(payload);
  if (!j) return fail(Rejection{Reason::bad_payload});
  out.value = std::move(*j);
  return out;
}

}  // namespace httpstate::codec::itsdangerous
