#pragma once
// itsdangerous 2.x, byte for byte: Signer, TimestampSigner and the JSON serializers.
//
// @par Formats (b64url = RFC 4648 §5 without padding)
//   Signer:          value SEP b64url(HMAC(derived_key, value))
//   TimestampSigner: value SEP ts SEP b64url(HMAC(derived_key, value SEP ts)),
//                    ts = b64url(big-endian Unix seconds, leading zero bytes stripped)
//   URL-safe payload: b64url(json) or "." b64url(zlib(json)) when that is shorter
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "httpstate/codec/hmac.hpp"
#include "httpstate/codec/rejection.hpp"
#include "httpstate/codec/secret.hpp"
#include "httpstate/result.hpp"

namespace httpstate::codec::itsdangerous {

using Json = nlohmann::ordered_json;  // Python dicts keep insertion order, so do we

enum class KeyDerivation : std::uint8_t { django_concat, concat, hmac, none };

std::string_view to_string(KeyDerivation k) noexcept;  // "django-concat", "concat", "hmac", "none"
std::optional<KeyDerivation> key_derivation_from_string(std::string_view) noexcept;

struct SignerOptions {
  std::string salt = "itsdangerous.Signer";
  std::string sep = ".";  // must not be a b64url character
  KeyDerivation key_derivation = KeyDerivation::django_concat;
  Digest digest = Digest::sha1;
  ShortSecrets short_secrets = ShortSecrets::refuse;
};

class Signer {
 public:
  // secrets: oldest..newest, as itsdangerous takes them: sign with the last, verify with all.
  // Throws httpstate::error on bad configuration (see check_secrets, a b64url separator).
  Signer(std::vector<std::string> secrets, SignerOptions options = {});
  Signer(std::string secret, SignerOptions options = {})
      : Signer(std::vector<std::string>{std::move(secret)}, std::move(options)) {}

  std::string sign(std::string_view value) const;
  Result<std::string, Rejection> unsign(std::string_view token) const;

  // b64url(HMAC(newest derived key, value)).
  std::string signature(std::string_view value) const;
  const SignerOptions& options() const noexcept { return options_; }

 protected:
  // Splits at the last separator and checks the signature against every key, newest first.
  Result<std::string_view, Rejection> verify(std::string_view token) const;
  void append_signature(std::string& out, std::string_view value) const;

  SignerOptions options_;
  std::vector<HmacKey> keys_;  // newest first
};

struct Timestamped {
  std::string value;
  std::int64_t timestamp;  // Unix seconds
};

class TimestampSigner : public Signer {
 public:
  using Signer::Signer;

  std::string sign(std::string_view value, std::int64_t now = unix_now()) const;
  // max_age in seconds; without it any age is accepted (as itsdangerous does).
  Result<Timestamped, Rejection> unsign(std::string_view token,
                                        std::optional<std::int64_t> max_age = std::nullopt,
                                        std::int64_t now = unix_now()) const;
};

// The TimestampSigner's timestamp field: b64url of minimal big-endian Unix seconds.
std::string timestamp_text(std::int64_t unix_seconds);
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// The URL-safe serializers' payload step, shared with the Flask session codec.
std::string encode_payload(std::string_view json);
Result<std::string, Rejection> decode_payload(std::string_view payload);

// Python's json.dumps: compact (",", ":") or default (", ", ": ") separators.
std::string dump_json(const Json& value, bool compact, bool ensure_ascii);
// nlohmann parse without exceptions, bounded by max_json_depth.
std::optional<Json> parse_json(std::string_view text);

struct SerializerOptions {
  std::string salt = "itsdangerous";
  std::string sep = ".";
  KeyDerivation key_derivation = KeyDerivation::django_concat;
  Digest digest = Digest::sha1;
  ShortSecrets short_secrets = ShortSecrets::refuse;
  bool url_safe = false;  // URLSafe*: compact JSON, zlib rule, b64url
  bool timed = false;     // Timed*: a TimestampSigner underneath
};

struct Loaded {
  Json value;
  std::optional<std::int64_t> timestamp;  // set by timed serializers
};

class Serializer {
 public:
  Serializer(std::vector<std::string> secrets, SerializerOptions options = {});
  Serializer(std::string secret, SerializerOptions options = {})
      : Serializer(std::vector<std::string>{std::move(secret)}, std::move(options)) {}

  // Throws nlohmann::json::type_error on invalid UTF-8 in `value` (caller data, not input).
  std::string dumps(const Json& value, std::int64_t now = unix_now()) const;
  Result<Loaded, Rejection> loads(std::string_view token,
                                  std::optional<std::int64_t> max_age = std::nullopt,
                                  std::int64_t now = unix_now()) const;

  const SerializerOptions& options() const noexcept { return options_; }

 private:
  SerializerOptions options_;
  TimestampSigner signer_;
};

// URLSafeSerializer(secret, salt) and URLSafeTimedSerializer(secret, salt) with defaults.
inline SerializerOptions url_safe(std::string salt = "itsdangerous", bool timed = false) {
  SerializerOptions o;
  o.salt = std::move(salt);
  o.url_safe = true;
  o.timed = timed;
  return o;
}

}  // namespace httpstate::codec::itsdangerous
