#include "httpstate/jar/inclusion_status.hpp"

namespace httpstate {

std::string_view to_string(Exclusion e) noexcept {
  switch (e) {
    case Exclusion::parse_error: return "the Set-Cookie line is malformed";
    case Exclusion::invalid_url: return "the request URL is not valid";
    case Exclusion::non_http_scheme: return "cookies are only kept for http and https URLs";
    case Exclusion::domain_non_ascii: return "the Domain attribute has non-ASCII characters";
    case Exclusion::domain_public_suffix: return "the Domain attribute is a public suffix";
    case Exclusion::domain_mismatch: return "the Domain attribute does not match the request host";
    case Exclusion::domain_above_site: return "the Domain attribute is wider than the host's registrable domain";
    case Exclusion::domain_ip_literal: return "a Domain attribute on an IP address host must equal the host";
    case Exclusion::secure_from_insecure: return "a Secure cookie from an insecure origin";
    case Exclusion::overwrite_secure: return "it would shadow a Secure cookie from an insecure origin";
    case Exclusion::http_only_from_non_http: return "an HttpOnly cookie through a non-HTTP API";
    case Exclusion::overwrite_http_only: return "it would overwrite an HttpOnly cookie through a non-HTTP API";
    case Exclusion::samesite_none_insecure: return "SameSite=None without Secure";
    case Exclusion::partitioned_insecure: return "a Partitioned cookie without Secure";
    case Exclusion::invalid_top_level_site: return "the top-level site is not an http or https URL";
    case Exclusion::samesite_cross_site: return "a SameSite=Lax/Strict/unset cookie set from a cross-site context";
    case Exclusion::invalid_secure_prefix: return "a __Secure- cookie without Secure";
    case Exclusion::invalid_host_prefix: return "a __Host- cookie needs Secure, no Domain and an explicit Path=/";
    case Exclusion::nameless_prefix_value: return "a nameless cookie whose value starts with __Secure- or __Host-";
    case Exclusion::expired_on_arrival: return "already expired";
    case Exclusion::invalid_pair: return "the name or value holds ';', '=' in the name, or a control character";
    case Exclusion::domain_not_matched: return "the cookie's domain does not match the request host";
    case Exclusion::path_not_matched: return "the cookie's path does not match the request path";
    case Exclusion::secure_only: return "a Secure cookie on an insecure request";
    case Exclusion::http_only: return "an HttpOnly cookie for a non-HTTP API";
    case Exclusion::same_site_strict: return "a SameSite=Strict cookie on a request that is not same-site";
    case Exclusion::same_site_lax: return "a SameSite=Lax (or unset, Lax by default) cookie on a cross-site request";
    case Exclusion::same_site_none_insecure: return "a SameSite=None cookie without Secure";
    case Exclusion::expired: return "expired";
  }
  return "unknown reason";
}

bool is_storage_exclusion(Exclusion e) noexcept { return e < Exclusion::domain_not_matched; }

namespace {

// Reasons about a Domain attribute name it, as the CLI shows them to users.
std::string describe(Exclusion e, const std::string& domain, ParseError pe) {
  switch (e) {
    case Exclusion::parse_error:
      return std::string(to_string(e)) + " (" + std::string(httpstate::to_string(pe)) + ")";
    case Exclusion::domain_non_ascii: return "Domain=" + domain + " has non-ASCII characters";
    case Exclusion::domain_public_suffix: return "Domain=" + domain + " is a public suffix";
    case Exclusion::domain_mismatch: return "Domain=" + domain + " does not match the request host";
    case Exclusion::domain_above_site:
      return "Domain=" + domain + " is wider than the host's registrable domain";
    case Exclusion::domain_ip_literal:
      return "Domain=" + domain + " on an IP address host must equal the host";
    default: return std::string(to_string(e));
  }
}

}  // namespace

std::string InclusionStatus::to_string() const {
  if (included()) {
    switch (outcome_) {
      case Outcome::stored: return "stored";
      case Outcome::replaced: return "replaced";
      case Outcome::deleted: return "deleted";
      case Outcome::none: return "included";
    }
  }
  std::string out;
  bool storage = false;
  for (int i = 0; i < 64; ++i) {
    auto e = static_cast<Exclusion>(i);
    if (!(exclusions_ & (std::uint64_t{1} << i))) continue;
    storage = storage || is_storage_exclusion(e);
    if (!out.empty()) out += "; ";
    out += describe(e, domain_, parse_error_);
  }
  if (outcome_ == Outcome::deleted) out += " (deleted the cookie it replaces)";
  return (storage ? "rejected: " : "not sent: ") + out;
}

}  // namespace httpstate
