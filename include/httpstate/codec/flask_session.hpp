#pragma once
// Flask's session cookie: itsdangerous URLSafeTimedSerializer(salt "cookie-session",
// key derivation hmac, SHA-1) over Flask's tagged JSON (sorted keys, ASCII escaping).
//
// @par Tags (a tagged value is a one-key object)
//   " t" tuple (a list)  " b" bytes (standard base64)  " m" markup  " u" UUID (32 hex)
//   " d" datetime (HTTP-date, GMT)  " di" a one-key dict whose key is a tag (key + "__")
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "httpstate/codec/itsdangerous.hpp"
#include "httpstate/codec/rejection.hpp"
#include "httpstate/codec/secret.hpp"
#include "httpstate/result.hpp"

namespace httpstate::codec::flask {

// A Python value as Flask's session serializer can carry it.
struct Value {
  struct Tuple { std::vector<Value> items; friend bool operator==(const Tuple&, const Tuple&) = default; };
  struct Bytes { std::string data; friend bool operator==(const Bytes&, const Bytes&) = default; };
  struct Markup { std::string html; friend bool operator==(const Markup&, const Markup&) = default; };
  struct Uuid { std::array<std::uint8_t, 16> bytes{}; friend bool operator==(const Uuid&, const Uuid&) = default; };
  struct DateTime { std::int64_t unix_seconds = 0; friend bool operator==(const DateTime&, const DateTime&) = default; };
  using List = std::vector<Value>;
  using Dict = std::map<std::string, Value>;  // sorted by UTF-8 bytes = Python's sort_keys

  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, List, Dict, Tuple, Bytes,
               Markup, Uuid, DateTime>
      v = nullptr;

  Value() = default;
  template <class T>
    requires(!std::is_same_v<std::remove_cvref_t<T>, Value> &&
             std::is_constructible_v<decltype(v), T &&>)
  Value(T&& x) : v(std::forward<T>(x)) {}
  Value(const char* s) : v(std::string(s)) {}
  Value(int i) : v(std::int64_t{i}) {}

  friend bool operator==(const Value&, const Value&) = default;
};

using Session = Value::Dict;

// Flask's TaggedJSONSerializer: dumps is total; loads never throws on untrusted text.
std::string dump_tagged(const Value& value);
Result<Value, Rejection> load_tagged(std::string_view json);
// The same conversions on parsed JSON (tagged form <-> value).
nlohmann::json to_tagged_json(const Value& value);
Result<Value, Rejection> from_tagged_json(const nlohmann::json& json);

// Flask's defaults (SESSION_COOKIE_*, PERMANENT_SESSION_LIFETIME).
struct CookieOptions {
  std::string name = "session";
  std::string domain;  // empty: no Domain attribute
  std::string path = "/";
  bool secure = false;
  bool http_only = true;
  std::string same_site;  // empty: no SameSite attribute
  std::int64_t permanent_lifetime = 31 * 86400;  // seconds; also the max_age when loading
};

struct Decoded {
  Session session;
  std::int64_t timestamp = 0;  // when it was signed
};

class SessionCodec {
 public:
  // secret_key is SECRET_KEY; fallbacks is SECRET_KEY_FALLBACKS (oldest..newest), which
  // verify but never sign (Flask 3.1).
  SessionCodec(std::string secret_key, std::vector<std::string> fallbacks = {},
               CookieOptions options = {}, ShortSecrets short_secrets = ShortSecrets::refuse);

  // The cookie value (no quoting needed: b64url and dots).
  std::string encode(const Session& session, std::int64_t now = unix_now()) const;
  // Verifies, checks age <= permanent_lifetime, untags.
  Result<Decoded, Rejection> decode(std::string_view cookie_value, std::int64_t now = unix_now()) const;

  // The Set-Cookie header value Flask would send: the session, or its deletion when empty.
  std::string set_cookie(const Session& session, std::int64_t now = unix_now()) const;

  const CookieOptions& options() const noexcept { return options_; }

 private:
  CookieOptions options_;
  itsdangerous::TimestampSigner signer_;
};

// Debugging aid: the payload without checking the signature. Never trust its contents.
Result<Decoded, Rejection> decode_unverified(std::string_view cookie_value);

bool is_permanent(const Session& session);  // "_permanent": true

// RFC 9110 §5.6.7 IMF-fixdate: "Tue, 14 Nov 2023 22:13:20 GMT".
std::string http_date(std::int64_t unix_seconds);
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace httpstate::codec::flask
