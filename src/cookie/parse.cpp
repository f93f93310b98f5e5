#include "httpstate/cookie/parse.hpp"

#include <algorithm>

#include "ascii.hpp"
#include "httpstate/cookie/date.hpp"
#include "httpstate/cookie/limits.hpp"

namespace httpstate {
namespace {

// §5.6 step 1: CTL characters other than HTAB (%x00-08 / %x0A-1F / %x7F).
constexpr bool is_forbidden_ctl(char ch) noexcept {
  const auto c = static_cast<unsigned char>(ch);
  return (c < 0x20 && c != 0x09) || c == 0x7F;
}

// Branch-free over fixed blocks so the compiler vectorises it: the hostile-input fast path.
bool has_forbidden_ctl(std::string_view s) noexcept {
  constexpr std::size_t block = 64;
  std::size_t i = 0;
  for (; i + block <= s.size(); i += block) {
    unsigned bad = 0;
    for (std::size_t j = 0; j < block; ++j) {
      const auto c = static_cast<unsigned char>(s[i + j]);
      bad |= static_cast<unsigned>((c < 0x20) & (c != 0x09)) | static_cast<unsigned>(c == 0x7F);
    }
    if (bad != 0) return true;
  }
  for (; i < s.size(); ++i)
    if (is_forbidden_ctl(s[i])) return true;
  return false;
}

// §5.6.2: "-"? 1*DIGIT; anything else ignores the attribute. Overflow saturates, since any
// value past the 400-day cap means the same thing.
std::optional<std::int64_t> parse_max_age(std::string_view v) noexcept {
  if (v.empty() || !(detail::is_digit(v.front()) || v.front() == '-')) return std::nullopt;
  const bool negative = v.front() == '-';
  if (negative) v.remove_prefix(1);
  if (v.empty()) return std::nullopt;  // a lone "-" denotes no integer
  constexpr std::int64_t cap = limits::max_lifetime.count();
  std::int64_t n = 0;
  for (const char c : v) {
    if (!detail::is_digit(c)) return std::nullopt;
    if (n <= cap) n = n * 10 + (c - '0');  // stays far below int64 max: no overflow
  }
  n = std::min(n, cap);  // §5.6.2 step 5; every delta <= 0 means "expire now" (step 6)
  return negative ? -n : n;
}

SameSite parse_same_site(std::string_view v) noexcept {
  if (detail::iequals(v, "None")) return SameSite::none;
  if (detail::iequals(v, "Lax")) return SameSite::lax;
  if (detail::iequals(v, "Strict")) return SameSite::strict;
  return SameSite::unset;  // §5.6.7 step 1: enforcement stays "Default"
}

void apply_attribute(ParsedSetCookie& c, std::string_view name, std::string_view value) {
  if (detail::iequals(name, "Expires")) {
    if (auto t = parse_cookie_date(value)) c.expires = *t;  // §5.6.1: unparsable: ignored
  } else if (detail::iequals(name, "Max-Age")) {
    if (auto a = parse_max_age(value)) c.max_age = *a;
  } else if (detail::iequals(name, "Domain")) {
    // §5.6.3; the last Domain wins even when empty, and empty means host-only (§5.7).
    if (!value.empty() && value.front() == '.') value.remove_prefix(1);
    if (value.empty()) c.domain.reset();
    else c.domain = detail::to_lower(value);
  } else if (detail::iequals(name, "Path")) {
    // §5.6.4: a value not starting with '/' still counts as the last Path: default-path.
    if (!value.empty() && value.front() == '/') c.path = std::string(value);
    else c.path.reset();
  } else if (detail::iequals(name, "Secure")) {
    c.secure = true;
  } else if (detail::iequals(name, "HttpOnly")) {
    c.http_only = true;
  } else if (detail::iequals(name, "SameSite")) {
    c.same_site = parse_same_site(value);
  } else if (detail::iequals(name, "Partitioned")) {
    c.partitioned = true;
  }
}

}  // namespace

std::string_view to_string(ParseError e) noexcept {
  switch (e) {
    case ParseError::control_character: return "the line contains a control character";
    case ParseError::empty_name_and_value: return "the cookie has neither a name nor a value";
    case ParseError::name_value_too_long: return "name and value exceed 4096 bytes";
    case ParseError::line_too_long: return "the header line is too long";
  }
  return "unknown parse error";
}

Result<ParsedSetCookie, ParseError> parse_set_cookie(std::string_view line) {
  // Cheap whole-line checks first, so hostile input costs one pass and no allocation.
  if (line.size() > limits::max_header_bytes) return fail(ParseError::line_too_long);
  if (has_forbidden_ctl(line)) return fail(ParseError::control_character);

  // §5.6 steps 2-4.
  const std::size_t semi = line.find(';');
  const std::string_view pair = line.substr(0, semi);
  std::string_view attrs = semi == std::string_view::npos ? std::string_view{} : line.substr(semi);
  std::string_view name, value;
  if (const std::size_t eq = pair.find('='); eq == std::string_view::npos) {
    value = pair;  // nameless cookie
  } else {
    name = pair.substr(0, eq);
    value = pair.substr(eq + 1);
  }
  name = detail::trim_wsp(name);
  value = detail::trim_wsp(value);
  if (name.size() + value.size() > limits::max_name_value_bytes)
    return fail(ParseError::name_value_too_long);
  if (name.empty() && value.empty()) return fail(ParseError::empty_name_and_value);

  ParsedSetCookie c;
  c.name = std::string(name);
  c.value = std::string(value);

  // §5.6 "unparsed-attributes": each ";"-separated cookie-av in order.
  while (!attrs.empty()) {
    attrs.remove_prefix(1);  // the ';'
    const std::size_t next = attrs.find(';');
    const std::string_view av = attrs.substr(0, next);
    attrs = next == std::string_view::npos ? std::string_view{} : attrs.substr(next);
    std::string_view av_name = av, av_value;
    if (const std::size_t eq = av.find('='); eq != std::string_view::npos) {
      av_name = av.substr(0, eq);
      av_value = av.substr(eq + 1);
    }
    av_name = detail::trim_wsp(av_name);
    av_value = detail::trim_wsp(av_value);
    if (av_value.size() > limits::max_attribute_value_bytes) continue;  // §5.6 step 6
    apply_attribute(c, av_name, av_value);
  }
  return c;
}

}  // namespace httpstate
