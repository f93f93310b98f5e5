#pragma once
// Set-Cookie (§5.6) and Cookie (§4.2.1) header grammar. Syntax only: what the attributes mean
// for a given request URL is the jar's business (jar/cookie_jar.hpp).
//
// @par BNF (RFC 6265bis §4.1.1, parsed leniently per §5.6)
//   set-cookie-string = cookie-pair *( ";" SP cookie-av )
//   cookie-pair       = cookie-name "=" cookie-value
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/result.hpp"

namespace httpstate {

// Why a Set-Cookie line was refused as a whole (§5.6). Attribute problems never refuse the
// line: the attribute is ignored, as the RFC says.
enum class ParseError : std::uint8_t {
  control_character,     // §5.6 step 1: a CTL other than HTAB in the line
  empty_name_and_value,  // §5.6 step 6: both name and value empty
  name_value_too_long,   // §5.6 step 7: name + value over limits::max_name_value_bytes
  line_too_long,         // over limits::max_header_bytes, refused without parsing
};

std::string_view to_string(ParseError e) noexcept;

// A Set-Cookie line, attributes as written (last one wins, §5.6 step 8 / §5.7).
struct ParsedSetCookie {
  std::string name;
  std::string value;
  std::optional<Time> expires;         // §5.6.1, cookie-date parsed; not capped yet
  std::optional<std::int64_t> max_age; // §5.6.2, delta-seconds capped at +-400 days; <= 0: delete
  // §5.6.3, leading '.' removed, ASCII-lowercased. nullopt when absent or when the last Domain
  // attribute was empty: both mean host-only (§5.7 step 10).
  std::optional<std::string> domain;
  // §5.6.4, only when the last Path attribute starts with '/'; otherwise the default-path.
  std::optional<std::string> path;
  // §5.6.4: the cookie-attribute-list holds a Path attribute (one of at most 1024 bytes, any
  // value), which a __Host- cookie needs (§5.7); `path` alone cannot tell Path=x from none.
  bool has_path = false;
  bool secure = false;
  bool http_only = false;
  bool partitioned = false;
  SameSite same_site = SameSite::unset;  // §5.6.7: unknown values leave it unset
};

// One pass over the line, linear in its length; the length and CTL checks run before any
// allocation, so hostile lines cost a scan. Bad input never throws; only allocation can.
Result<ParsedSetCookie, ParseError> parse_set_cookie(std::string_view line);

// The same fields without copies, for a caller that copies what it keeps once (the jar): the
// views point into the line, or into `storage` for a Domain that had to be lowercased. Neither
// copyable nor movable, since a view may point into the object itself.
struct SetCookieView {
  SetCookieView() = default;
  SetCookieView(const SetCookieView&) = delete;
  SetCookieView& operator=(const SetCookieView&) = delete;

  std::string_view name;
  std::string_view value;
  std::optional<Time> expires;
  std::optional<std::int64_t> max_age;
  std::optional<std::string_view> domain;  // as ParsedSetCookie::domain
  std::optional<std::string_view> path;    // as ParsedSetCookie::path
  bool has_path = false;                   // as ParsedSetCookie::has_path
  bool secure = false;
  bool http_only = false;
  bool partitioned = false;
  SameSite same_site = SameSite::unset;
  std::string storage;  // a lowercased Domain, when the line's had uppercase letters
};

// The same parse into views of `line`, which must outlive their use. nullopt: parsed.
std::optional<ParseError> parse_set_cookie(std::string_view line, SetCookieView& out);

// Server side: the Cookie request header, every pair in order, duplicates kept (§5.4 / §4.2).
// A pair without '=' is a nameless cookie: name "" and the text as value (§5.6 step 4).
struct CookiePair {
  std::string_view name;
  std::string_view value;
};
// The views point into `header`. A header over limits::max_header_bytes yields no pairs.
std::vector<CookiePair> parse_cookie_header(std::string_view header);

// §5.6 step 1: whether `s` holds a CTL other than HTAB (%x00-08 / %x0A-1F / %x7F), which
// refuses a Set-Cookie line; so no stored cookie holds one. Vectorised: it sees every line.
bool has_forbidden_ctl(std::string_view s) noexcept;

// A DQUOTE-wrapped value without its quotes (§4.1.1 cookie-value), e.g. Tornado's user="2|...".
std::string_view unquote(std::string_view value) noexcept;

}  // namespace httpstate
