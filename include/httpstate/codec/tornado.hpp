#pragma once
// Tornado 6 signed values (set_signed_cookie / get_signed_cookie), versions 1 and 2.
//
// @par Formats
//   v2: "2|" len ":" key_version "|" len ":" timestamp "|" len ":" name "|" len ":" b64(value) "|"
//       hex(HMAC-SHA256(key, everything before))
//   v1: b64(value) "|" timestamp "|" hex(HMAC-SHA1(key, name b64(value) timestamp))
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "httpstate/codec/rejection.hpp"
#include "httpstate/codec/secret.hpp"
#include "httpstate/result.hpp"

namespace httpstate::codec::tornado {

inline constexpr std::int64_t default_max_age_days = 31;  // get_signed_cookie's default
inline constexpr std::int64_t v1_max_future = 31 * 86400;  // tornado/web.py: v1 tamper check

class SignedValues {
 public:
  // A single cookie_secret: key version 0, as Tornado writes it.
  SignedValues(std::string secret, ShortSecrets short_secrets = ShortSecrets::refuse);
  // A {version: secret} dict; new values are signed with `sign_version`.
  SignedValues(std::map<int, std::string> secrets, int sign_version,
               ShortSecrets short_secrets = ShortSecrets::refuse);

  std::string create(std::string_view name, std::string_view value, int format_version = 2,
                     std::int64_t now = unix_now()) const;
  // Accepts v1 (unless min_version is 2) and v2; the value may be in its quoted wire form.
  Result<std::string, Rejection> decode(std::string_view name, std::string_view value,
                                        std::int64_t max_age_days = default_max_age_days,
                                        std::int64_t now = unix_now(), int min_version = 1) const;

 private:
  std::map<int, std::string> secrets_;
  int sign_version_;
};

// Python's http.cookies quoting: "..." with escapes when a character is not a legal token char.
std::string quote(std::string_view value);
std::string unquote(std::string_view value);

}  // namespace httpstate::codec::tornado
