#include "httpstate/persist/netscape.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#include "entry_check.hpp"

namespace httpstate {
namespace {

using persist_detail::canonical_domain;

// curl's MAX_COOKIE_LINE is 5000; ours fits a maximal cookie (§5.6: 4096 name+value, 1024 path)
// plus a domain and the flags.
constexpr std::size_t max_jar_line_bytes = limits::max_name_value_bytes +
                                           limits::max_attribute_value_bytes +
                                           persist_detail::max_domain_bytes + 64;
// 9999-12-31T23:59:59Z: beyond any cookie-date (§5.1.1 caps the year) and far inside Time.
constexpr std::int64_t max_expiry_seconds = 253402300799;
constexpr std::string_view http_only_prefix = "#HttpOnly_";
// The fixed part of a line at its longest: prefix, dot, two "\tFALSE\t", a signed 64-bit
// expiry (20 chars), two TABs and the newline.
constexpr std::size_t max_fixed_line_bytes = http_only_prefix.size() + 1 + 7 + 7 + 20 + 2 + 1;

std::optional<bool> parse_flag(std::string_view f) {
  auto eq = [f](std::string_view w) {
    return f.size() == w.size() && std::equal(f.begin(), f.end(), w.begin(), [](char a, char b) {
             return (a >= 'a' && a <= 'z' ? a - 32 : a) == b;
           });
  };
  if (eq("TRUE")) return true;
  if (eq("FALSE")) return false;
  return std::nullopt;
}

// "" or 0: session (Python writes "", curl 0). A fraction (browser exports) is cut.
std::optional<std::optional<Time>> parse_expiry(std::string_view f) {
  if (f.empty()) return std::optional<Time>{};
  if (auto dot = f.find('.'); dot != std::string_view::npos) {
    auto frac = f.substr(dot + 1);
    if (!std::all_of(frac.begin(), frac.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    f = f.substr(0, dot);
  }
  std::int64_t s = 0;
  auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), s);
  if (end != f.data() + f.size() || f.empty()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) s = f[0] == '-' ? -1 : max_expiry_seconds;
  else if (ec != std::errc{}) return std::nullopt;
  if (s == 0) return std::optional<Time>{};
  return std::optional<Time>{from_unix_seconds(std::clamp<std::int64_t>(s, -1, max_expiry_seconds))};
}

// memchr from line to line: std::count widened every byte to a 64-bit lane and took a
// sixth of the parse.
std::size_t count_lines(std::string_view text) {
  std::size_t n = 1;
  for (const char *p = text.data(), *end = p + text.size();; ++p, ++n) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!p) return n;
  }
}

std::optional<EntryError> parse_line(std::string_view line, Time now, Cookie& c) {
  if (line.size() > max_jar_line_bytes) return EntryError::line_too_long;
  if (line.starts_with(http_only_prefix)) {
    c.http_only = true;
    line.remove_prefix(http_only_prefix.size());
  }
  std::array<std::string_view, 7> f;
  std::size_t n = 0;
  // Six splits at most: the value is the rest, so a TAB inside it (§5.6 allows HTAB) survives.
  // A byte loop, not memchr: the first six fields are short, and a call per field cost more.
  const char* p = line.data();
  const char* const end = p + line.size();
  const char* start = p;
  for (; p != end && n < 6; ++p)
    if (*p == '\t') {
      f[n++] = std::string_view(start, static_cast<std::size_t>(p - start));
      start = p + 1;
    }
  f[n++] = std::string_view(start, static_cast<std::size_t>(end - start));
  if (n == 6) f[n++] = {};  // curl: a missing value field is an empty value
  if (n != 7) return EntryError::field_count;

  std::string_view domain = f[0];
  if (domain.starts_with('.')) domain.remove_prefix(1);
  // wget writes host:port for cookies bound to a non-default port; the jar ignores ports.
  if (auto colon = domain.rfind(':'); colon != std::string_view::npos && colon > 0 && colon + 1 < domain.size() &&
      (domain.find(']') == std::string_view::npos || domain[colon - 1] == ']') &&
      std::all_of(domain.begin() + colon + 1, domain.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    domain = domain.substr(0, colon);
  c.domain.assign(domain);
  if (!canonical_domain(c.domain)) return EntryError::bad_domain;
  auto subdomains = parse_flag(f[1]);
  auto secure = parse_flag(f[3]);
  if (!subdomains || !secure) return EntryError::bad_flag;
  c.host_only = !*subdomains;  // curl: the flag decides, the dot is cosmetic
  c.secure = *secure;
  c.path.assign(f[2]);
  auto expiry = parse_expiry(f[4]);
  if (!expiry) return EntryError::bad_expiry;
  c.expires = *expiry;
  c.name.assign(f[5]);
  c.value.assign(f[6]);
  c.creation = now;
  c.last_access = now;
  return persist_detail::check_fields(c);
}

}  // namespace

Result<LoadedCookies, JarFailure> parse_netscape(std::string_view text, const LoadOptions& opts) {
  const Time now = persist_detail::now_or(opts);
  LoadedCookies out;
  // One cookie per line, and no cookie line is shorter than this: a file of blank lines must
  // not reserve room for a cookie per byte.
  constexpr std::size_t min_cookie_line_bytes = 16;
  out.cookies.reserve(std::min<std::size_t>(count_lines(text), text.size() / min_cookie_line_bytes + 1));
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM from Windows editors
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    // Leading spaces are indentation; a leading TAB is an empty domain field.
    auto first = line.find_first_not_of(' ');
    if (line[first] == '#' && !line.substr(first).starts_with(http_only_prefix)) continue;
    // Parsed in place: a cookie that is refused or dropped is popped again.
    Cookie& c = out.cookies.emplace_back();
    if (auto err = parse_line(line.substr(first), now, c)) {
      out.cookies.pop_back();
      if (opts.strict)
        return fail(JarFailure{JarError::malformed_entry, to_string(LineError{line_no, *err})});
      out.errors.push_back({line_no, *err});
      continue;
    }
    if (!persist_detail::keep_after_load(c, opts, now, out)) out.cookies.pop_back();
  }
  return out;
}

namespace {

// Branch-free over the whole string so it vectorises: every saved cookie passes.
bool has_line_break(std::string_view s, bool tab) noexcept {
  unsigned bad = 0;
  for (char ch : s)
    bad |= static_cast<unsigned>(ch == '\n') | static_cast<unsigned>(ch == '\r') |
           static_cast<unsigned>(tab & (ch == '\t'));
  return bad != 0;
}

}  // namespace

std::string format_netscape(std::span<const Cookie> cookies) {
  std::vector<const Cookie*> order;
  order.reserve(cookies.size());
  std::size_t bytes = 0;
  for (const auto& c : cookies) {
    // A name with a TAB or line break cannot be a field: the file would mean another cookie.
    if (has_line_break(c.name, true) || has_line_break(c.value, false)) continue;
    order.push_back(&c);
    bytes += c.domain.size() + c.path.size() + c.name.size() + c.value.size() + max_fixed_line_bytes;
  }
  // A jar read from our own file is in order already: checking is linear, sorting is not.
  if (!std::is_sorted(order.begin(), order.end(), persist_detail::file_order))
    std::sort(order.begin(), order.end(), persist_detail::file_order);
  // curl's header, so tools that sniff the first line (Python's MozillaCookieJar) accept it.
  constexpr std::string_view header =
      "# Netscape HTTP Cookie File\n"
      "# https://curl.se/docs/http-cookies.html\n"
      "# This file was generated by httpstate! Edit at your own risk.\n\n";
  // Sized once for the longest form of every line, written through a cursor, cut at the end:
  // no capacity check per field.
  std::string out(header.size() + bytes, '\0');
  char* o = out.data();
  auto put = [&o](std::string_view s) {
    std::memcpy(o, s.data(), s.size());
    o += s.size();
  };
  put(header);
  for (const Cookie* c : order) {
    if (c->http_only) put(http_only_prefix);
    if (!c->host_only) *o++ = '.';
    put(c->domain);
    put(c->host_only ? std::string_view("\tFALSE\t") : std::string_view("\tTRUE\t"));
    put(c->path);
    put(c->secure ? std::string_view("\tTRUE\t") : std::string_view("\tFALSE\t"));
    std::int64_t exp = c->expires ? to_unix_seconds(*c->expires) : 0;
    // A persistent cookie at or before the epoch must not turn into a session cookie.
    if (c->expires && exp == 0) exp = -1;
    o = std::to_chars(o, o + 20, exp).ptr;  // a sign and 19 digits: any int64
    *o++ = '\t';
    put(c->name);
    *o++ = '\t';
    put(c->value);
    *o++ = '\n';
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

}  // namespace httpstate
