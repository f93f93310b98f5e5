#include "httpstate/cookie/set_cookie.hpp"

#include "ascii.hpp"
#include "httpstate/cookie/date.hpp"
#include "httpstate/cookie/limits.hpp"

namespace httpstate {
namespace {

using namespace std::chrono;

// RFC 1034 §3.1: a host name has at most 253 octets and labels of at most 63.
constexpr std::size_t max_domain_bytes = 253;
constexpr std::size_t max_label_bytes = 63;

// tchar (RFC 9110 §5.6.2).
constexpr bool is_tchar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || detail::is_digit(c)) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E (§4.1.1)
constexpr bool is_cookie_octet(char ch) noexcept {
  const auto c = static_cast<unsigned char>(ch);
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

bool valid_name(std::string_view n) noexcept {
  if (n.empty()) return false;
  for (const char c : n)
    if (!is_tchar(c)) return false;
  return true;
}

bool valid_value(std::string_view v) noexcept {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  for (const char c : v)
    if (!is_cookie_octet(c)) return false;
  return true;
}

// An optional leading '.' (tolerated by §5.6.3), then LDH labels separated by single dots.
bool valid_domain(std::string_view d) noexcept {
  if (!d.empty() && d.front() == '.') d.remove_prefix(1);
  if (d.empty() || d.size() > max_domain_bytes) return false;
  std::size_t label = 0;
  for (const char c : d) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (detail::is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') {
      if (++label > max_label_bytes) return false;
    } else {
      return false;
    }
  }
  return label != 0;
}

// av-octet minus whitespace (§4.1.1), which the parser would trim away, and absolute.
bool valid_path(std::string_view p) noexcept {
  if (p.empty() || p.front() != '/') return false;
  for (const char ch : p) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == ';') return false;
  }
  return true;
}

// The cookie-date range (§5.1.1 step 5 and four-digit years): what a user agent can read back.
bool valid_expires(Time t) noexcept {
  static constexpr Time earliest{sys_days{year{1601} / January / 1}};
  static constexpr Time end{sys_days{year{10000} / January / 1}};
  return t >= earliest && t < end;
}

}  // namespace

std::string_view to_string(SetCookieError e) noexcept {
  switch (e) {
    case SetCookieError::invalid_name: return "the cookie name is empty or not a token";
    case SetCookieError::invalid_value: return "the cookie value has characters outside cookie-octet";
    case SetCookieError::name_value_too_long: return "name and value exceed 4096 bytes";
    case SetCookieError::invalid_domain: return "the Domain is not a valid host name";
    case SetCookieError::invalid_path: return "the Path must start with '/' and have no CTL, space or ';'";
    case SetCookieError::attribute_too_long: return "an attribute value exceeds 1024 bytes";
    case SetCookieError::expires_out_of_range: return "Expires must be between the years 1601 and 9999";
    case SetCookieError::secure_prefix_requires_secure: return "a __Secure- cookie must be Secure";
    case SetCookieError::host_prefix_requires_secure: return "a __Host- cookie must be Secure";
    case SetCookieError::host_prefix_forbids_domain: return "a __Host- cookie must not have a Domain";
    case SetCookieError::host_prefix_requires_root_path: return "a __Host- cookie must have Path=/";
    case SetCookieError::same_site_none_requires_secure: return "SameSite=None requires Secure";
    case SetCookieError::partitioned_requires_secure: return "Partitioned requires Secure";
  }
  return "unknown Set-Cookie error";
}

Result<std::string, SetCookieError> SetCookie::to_string() const {
  if (!valid_name(name)) return fail(SetCookieError::invalid_name);
  if (!valid_value(value)) return fail(SetCookieError::invalid_value);
  if (name.size() + value.size() > limits::max_name_value_bytes)
    return fail(SetCookieError::name_value_too_long);
  if (domain.size() > limits::max_attribute_value_bytes ||
      path.size() > limits::max_attribute_value_bytes)
    return fail(SetCookieError::attribute_too_long);
  if (!domain.empty() && !valid_domain(domain)) return fail(SetCookieError::invalid_domain);
  if (!path.empty() && !valid_path(path)) return fail(SetCookieError::invalid_path);
  if (expires && !valid_expires(*expires)) return fail(SetCookieError::expires_out_of_range);

  // §4.1.3: user agents match the prefixes case-insensitively, so the builder does too.
  if (detail::istarts_with(name, "__Secure-") && !secure)
    return fail(SetCookieError::secure_prefix_requires_secure);
  if (detail::istarts_with(name, "__Host-")) {
    if (!secure) return fail(SetCookieError::host_prefix_requires_secure);
    if (!domain.empty()) return fail(SetCookieError::host_prefix_forbids_domain);
    if (path != "/") return fail(SetCookieError::host_prefix_requires_root_path);
  }
  if (same_site == SameSite::none && !secure)
    return fail(SetCookieError::same_site_none_requires_secure);
  if (partitioned && !secure) return fail(SetCookieError::partitioned_requires_secure);

  std::string out;
  out.reserve(name.size() + value.size() + domain.size() + path.size() + 128);
  out.append(name).append("=").append(value);
  if (expires) out.append("; Expires=").append(format_http_date(*expires));
  if (max_age) out.append("; Max-Age=").append(std::to_string(*max_age));
  if (!domain.empty()) out.append("; Domain=").append(domain);
  if (!path.empty()) out.append("; Path=").append(path);
  if (secure) out.append("; Secure");
  if (http_only) out.append("; HttpOnly");
  // Through to_string, so a value outside the enum writes nothing rather than "SameSite=".
  if (const auto ss = httpstate::to_string(same_site); !ss.empty()) out.append("; SameSite=").append(ss);
  if (partitioned) out.append("; Partitioned");
  return out;
}

}  // namespace httpstate
