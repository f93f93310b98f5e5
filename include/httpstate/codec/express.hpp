#pragma once
// Express: npm cookie-signature and the express-session cookie value.
//
// @par Formats
//   sign(v, secret) = v "." b64(HMAC-SHA256(secret, v)) without "=" padding
//   express-session: "s:" sign(sid, secrets[0]), encodeURIComponent'ed on the wire
#include <string>
#include <string_view>
#include <vector>

#include "httpstate/codec/hmac.hpp"
#include "httpstate/codec/rejection.hpp"
#include "httpstate/codec/secret.hpp"
#include "httpstate/result.hpp"

namespace httpstate::codec::express {

class CookieSigner {
 public:
  // secrets in express order: the FIRST signs, every one verifies (in order).
  CookieSigner(std::vector<std::string> secrets, ShortSecrets short_secrets = ShortSecrets::refuse);
  CookieSigner(std::string secret, ShortSecrets short_secrets = ShortSecrets::refuse)
      : CookieSigner(std::vector<std::string>{std::move(secret)}, short_secrets) {}

  std::string sign(std::string_view value) const;
  Result<std::string, Rejection> unsign(std::string_view signed_value) const;

  // express-session: "s%3A<sid>.<sig>" (URL-encoded) and back to the sid.
  std::string session_cookie_value(std::string_view sid) const;
  Result<std::string, Rejection> session_id(std::string_view cookie_value) const;

 private:
  std::vector<HmacKey> keys_;
};

// JavaScript's encodeURIComponent / decodeURIComponent (UTF-8; malformed -> nullopt).
std::string encode_uri_component(std::string_view text);
std::optional<std::string> decode_uri_component(std::string_view text);

}  // namespace httpstate::codec::express
