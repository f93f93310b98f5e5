#pragma once
// Why a cookie was stored, skipped, or not sent: Chromium's CookieInclusionStatus, as reasons
// that a user can read ("rejected: Domain=co.uk is a public suffix").
#include <cstdint>
#include <string>
#include <string_view>

#include "httpstate/cookie/parse.hpp"

namespace httpstate {

enum class Exclusion : std::uint8_t {
  // storage (§5.7)
  parse_error,              // the line itself was refused; see InclusionStatus::parse_error()
  invalid_url,              // the request URL could not be parsed
  non_http_scheme,          // §5.7 step 2 / user agents ignore cookies on non-HTTP(S) URLs
  domain_public_suffix,     // §5.7 step 9
  domain_mismatch,          // §5.7 step 10: Domain does not domain-match the request host
  domain_ip_literal,        // §5.7 step 10: Domain on an IP-literal host must equal it
  secure_from_insecure,     // §5.7 step 14 (Secure) / step 15 (leave secure cookies alone)
  overwrite_secure,         // §5.7 step 16: would shadow a Secure cookie from an insecure origin
  http_only_from_non_http,  // §5.7 step 11 / step 20: HttpOnly via a non-HTTP API
  overwrite_http_only,      // §5.7 step 22.2: non-HTTP API replacing an HttpOnly cookie
  samesite_none_insecure,   // §5.7 step 18 (and §5.6.7): SameSite=None without Secure
  samesite_cross_site,      // §5.7 step 17: SameSite cookie set from a cross-site context
  invalid_prefix,           // §4.1.3: __Secure- / __Host- requirements not met
  nameless_prefix_value,    // §5.7 step 21: nameless cookie whose value looks like a prefix
  expired_on_arrival,       // §5.7 step 23: already expired; deletes a match, stores nothing
  // retrieval (§5.8.3)
  domain_not_matched,
  path_not_matched,
  secure_only,
  http_only,
  same_site_strict,
  same_site_lax,
  same_site_none_insecure,
  expired,
};

std::string_view to_string(Exclusion e) noexcept;

// Included when no exclusion is set. What happened on inclusion is kept too (stored new,
// replaced an existing cookie, deleted an existing one) so that every decision has a reason.
class InclusionStatus {
 public:
  enum class Outcome : std::uint8_t { none, stored, replaced, deleted };

  bool included() const noexcept { return exclusions_ == 0; }
  bool has(Exclusion e) const noexcept { return exclusions_ & bit(e); }
  void add(Exclusion e) noexcept { exclusions_ |= bit(e); }
  void set_parse_error(ParseError e) noexcept { add(Exclusion::parse_error); parse_error_ = e; }
  ParseError parse_error() const noexcept { return parse_error_; }
  Outcome outcome() const noexcept { return outcome_; }
  void set_outcome(Outcome o) noexcept { outcome_ = o; }

  // "stored", "replaced", or "rejected: <reason>[; <reason>...]".
  std::string to_string() const;

 private:
  static std::uint64_t bit(Exclusion e) noexcept { return std::uint64_t{1} << static_cast<int>(e); }
  std::uint64_t exclusions_ = 0;
  ParseError parse_error_{};
  Outcome outcome_ = Outcome::none;
};

}  // namespace httpstate
