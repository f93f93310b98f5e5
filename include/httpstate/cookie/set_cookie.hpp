#pragma once
// Server side: build one Set-Cookie header value, validated so that it is never malformed and
// a 6265bis user agent parses it back to the same cookie (like Flask's response.set_cookie).
//
// @par BNF (RFC 6265bis §4.1.1)
//   set-cookie-string = cookie-pair *( ";" SP cookie-av )
//   cookie-name       = token (RFC 9110 §5.6.2)
//   cookie-value      = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
//   cookie-octet      = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/result.hpp"

namespace httpstate {

// Why SetCookie::to_string refused to build a line.
enum class SetCookieError : std::uint8_t {
  invalid_name,                    // empty, or not a token (§4.1.1)
  invalid_value,                   // not cookie-octets, optionally DQUOTE-wrapped (§4.1.1)
  name_value_too_long,             // over limits::max_name_value_bytes (§5.6 step 5)
  invalid_domain,                  // not a dot-separated LDH host name (§4.1.1 domain-value)
  invalid_path,                    // not starting with '/', or a CTL, ';' or whitespace in it
  attribute_too_long,              // Domain or Path over limits::max_attribute_value_bytes
  expires_out_of_range,            // before 1601 or after 9999: no cookie-date (§5.1.1)
  secure_prefix_requires_secure,   // __Secure- (§4.1.3.1)
  host_prefix_requires_secure,     // __Host- (§4.1.3.2)
  host_prefix_forbids_domain,      // __Host- (§4.1.3.2)
  host_prefix_requires_root_path,  // __Host- (§4.1.3.2)
  same_site_none_requires_secure,  // §5.7: user agents drop SameSite=None without Secure
  partitioned_requires_secure,     // CHIPS: Partitioned without Secure is rejected
};

std::string_view to_string(SetCookieError e) noexcept;

struct SetCookie {
  std::string name;
  std::string value;
  std::optional<Time> expires;              // written as IMF-fixdate, whole seconds
  std::optional<std::int64_t> max_age;      // seconds; <= 0 deletes; user agents cap at 400 days
  std::string domain;                       // empty: host-only
  std::string path = "/";                   // empty: no Path attribute (default-path)
  bool secure = false;
  bool http_only = true;
  SameSite same_site = SameSite::lax;       // unset: no SameSite attribute
  bool partitioned = false;

  // The header value, e.g. "sid=abc; Path=/; HttpOnly; SameSite=Lax", or why it is invalid.
  Result<std::string, SetCookieError> to_string() const;
};

}  // namespace httpstate
