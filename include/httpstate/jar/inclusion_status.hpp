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
  domain_non_ascii,         // §5.7 step 8: a Domain attribute outside US-ASCII
  domain_public_suffix,     // §5.7 step 9
  domain_mismatch,          // §5.7 step 10: Domain does not domain-match the request host
  domain_above_site,        // §5.7 step 9 as Chromium applies it: Domain wider than the site
  domain_ip_literal,        // §5.7 step 10 / §5.1.3: Domain on an IP-literal host must equal it
  secure_from_insecure,     // §5.7 step 13: Secure from a non-secure origin
  overwrite_secure,         // §5.7 step 16: would shadow a Secure cookie from an insecure origin
  http_only_from_non_http,  // §5.7 step 15: HttpOnly via a non-HTTP API
  overwrite_http_only,      // §5.7 step 23.2: non-HTTP API replacing an HttpOnly cookie
  samesite_none_insecure,   // §5.7 step 19 (and §5.6.7): SameSite=None without Secure
  partitioned_insecure,     // CHIPS: Partitioned without Secure
  invalid_top_level_site,   // CHIPS: StoreOptions::top_level_site is not an http(s) URL
  samesite_cross_site,      // §5.7 step 18: SameSite cookie set from a cross-site context
  invalid_secure_prefix,    // §4.1.3.1 / §5.7 step 20: __Secure- without Secure
  invalid_host_prefix,      // §4.1.3.2 / §5.7 step 21: __Host- needs Secure, no Domain, a Path=/ attribute
  nameless_prefix_value,    // §5.7 step 22: nameless cookie whose value looks like a prefix
  expired_on_arrival,       // §5.7 step 25: already expired; deletes a match, stores nothing
  invalid_pair,             // update(): ';' or a control character, or '=' in the name (§4.1.1)
  // retrieval (§5.8.3)
  domain_not_matched,       // §5.8.3 step 1: host-only needs the same host, else domain-match
  path_not_matched,         // §5.8.3 step 1 / §5.1.4
  secure_only,              // §5.8.3 step 1: Secure cookie, non-secure request
  http_only,                // §5.8.3 step 1: HttpOnly cookie, non-HTTP API
  same_site_strict,         // §5.8.3 step 1: Strict cookie, request not same-site
  same_site_lax,            // §5.8.3 step 1: Lax (or unset, Lax by default) cookie, cross-site
  same_site_none_insecure,  // §5.6.7: a loaded SameSite=None cookie without Secure
  expired,                  // §5.8.3 step 1 / §5.3: past its expiry-time
};

std::string_view to_string(Exclusion e) noexcept;
// True for the storage (§5.7) reasons, false for the retrieval (§5.8.3) ones.
bool is_storage_exclusion(Exclusion e) noexcept;

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
  // The Domain attribute a domain_* reason is about, so that the text can name it.
  const std::string& domain() const noexcept { return domain_; }
  void set_domain(std::string d) { domain_ = std::move(d); }

  // "stored", "replaced", "deleted", "included", "rejected: <reason>[; <reason>...]" (storage)
  // or "not sent: <reason>[; ...]" (retrieval). A deletion by an expired cookie reads
  // "rejected: already expired (deleted the cookie it replaces)".
  std::string to_string() const;

 private:
  static std::uint64_t bit(Exclusion e) noexcept { return std::uint64_t{1} << static_cast<int>(e); }
  std::uint64_t exclusions_ = 0;
  ParseError parse_error_{};
  Outcome outcome_ = Outcome::none;
  std::string domain_;
};

}  // namespace httpstate
