#include "httpstate/cookie/parse.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "ascii.hpp"
#include "httpstate/cookie/date.hpp"
#include "httpstate/cookie/limits.hpp"

#if defined(__SSE2__) && !defined(HTTPSTATE_COOKIE_NO_SSE2)
#include <emmintrin.h>
#endif

namespace httpstate {
namespace {

// §5.6 step 1: CTL characters other than HTAB (%x00-08 / %x0A-1F / %x7F).
constexpr bool is_forbidden_ctl(char ch) noexcept {
  const auto c = static_cast<unsigned char>(ch);
  return (c < 0x20 && c != 0x09) || c == 0x7F;
}

#if defined(__SSE2__) && !defined(HTTPSTATE_COOKIE_NO_SSE2)
// 16 bytes a step, the last step the line's final 16 bytes (overlapping bytes already seen):
// one loop whose length is the line's, where a loop per block size and a byte loop for the
// tail each ended on a mispredicted branch, a tenth of a typical line's parse. A byte is
// forbidden when it is at most 0x1F (unsigned) and not HTAB, or DEL. Inlined into the parser.
[[gnu::always_inline]] inline bool scan_forbidden_ctl(std::string_view s) noexcept {
  const char* const p = s.data();
  const std::size_t n = s.size();
  if (n < 16) {
    bool bad = false;
    for (const char c : s) bad |= is_forbidden_ctl(c);
    return bad;
  }
  const __m128i x1f = _mm_set1_epi8(0x1F), tab = _mm_set1_epi8(0x09), del = _mm_set1_epi8(0x7F);
  const auto bad = [&](const char* q) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    const __m128i ctl = _mm_andnot_si128(_mm_cmpeq_epi8(x, tab), _mm_cmpeq_epi8(_mm_min_epu8(x, x1f), x));
    return _mm_movemask_epi8(_mm_or_si128(ctl, _mm_cmpeq_epi8(x, del)));
  };
  int any = bad(p + n - 16);
  for (std::size_t i = 0; i + 16 <= n; i += 16) any |= bad(p + i);
  return any != 0;
}
#else
// Without SSE2 (and in the portable test build): branch-free over fixed blocks so the compiler
// vectorises it, then 8 bytes a step, then the tail byte by byte.
[[gnu::always_inline]] inline bool scan_forbidden_ctl(std::string_view s) noexcept {
  constexpr std::size_t block = 64;
  std::size_t i = 0;
  for (; i + block <= s.size(); i += block) {
    std::uint8_t bad = 0;  // byte-wide, so the vector code never widens its lanes
    for (std::size_t j = 0; j < block; ++j) {
      const auto c = static_cast<unsigned char>(s[i + j]);
      bad |= static_cast<std::uint8_t>(((c < 0x20) & (c != 0x09)) | (c == 0x7F));
    }
    if (bad != 0) return true;
  }
  // The tail (most lines are shorter than a block) 8 bytes a step: a word with no byte below
  // 0x20 and none equal to 0x7F is clean; any other word is checked byte by byte (HTAB is fine).
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const std::uint64_t x = w ^ (0x7F * ones);
    if ((((w - 0x20 * ones) & ~w) | ((x - ones) & ~x)) & highs) {
      for (std::size_t j = i; j < i + 8; ++j)
        if (is_forbidden_ctl(s[j])) return true;
    }
  }
  for (; i < s.size(); ++i)
    if (is_forbidden_ctl(s[i])) return true;
  return false;
}
#endif

// The first `a` or `b` in [p, end), or end, where [p, end) lies in the line [line, end).
// A memchr call per delimiter cost more than the scan on the short names and values of
// attributes. With SSE2: 16 bytes a step, the last step the line's final 16 bytes (bytes
// before `p` masked off), so that a name or value ends in one step, not in a byte loop whose
// length varied from cookie to cookie and mispredicted. Else 8 bytes a step, then bytes.
template <char a, char b>
const char* find_either(const char* p, const char* line, const char* end) noexcept {
#if defined(__SSE2__) && !defined(HTTPSTATE_COOKIE_NO_SSE2)
  if (end - line >= 16) {
    const auto hits = [](const char* q) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      return static_cast<unsigned>(
          _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(a)), _mm_cmpeq_epi8(x, _mm_set1_epi8(b)))));
    };
    for (; end - p >= 16; p += 16)
      if (const unsigned h = hits(p); h != 0) return p + std::countr_zero(h);
    const unsigned h = hits(end - 16) >> (16 - (end - p));
    return h != 0 ? p + std::countr_zero(h) : end;
  }
#else
  (void)line;
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
    // The high bit of each zero byte of x, exactly: no carry crosses a byte.
    constexpr auto zero_bytes = [](std::uint64_t x) { return ~(((x & low7) + low7) | x | low7); };
    for (; end - p >= 8; p += 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t hits = zero_bytes(w ^ (a * ones)) | zero_bytes(w ^ (b * ones));
      if (hits != 0) return p + std::countr_zero(hits) / 8;  // the lowest byte comes first
    }
  }
#endif
  while (p != end && *p != a && *p != b) ++p;
  return p;
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

// Bytes [p, p + n), n <= 8, in memory order and zero-padded: two such words are equal exactly
// when the bytes are, on any endianness. One load at run time, a constant at compile time.
constexpr std::uint64_t word(const char* p, std::size_t n) noexcept {
  std::array<char, 8> b{};
  if (std::is_constant_evaluated()) std::copy_n(p, n, b.begin());
  else std::memcpy(b.data(), p, n);
  return std::bit_cast<std::uint64_t>(b);
}

// A lowercase attribute name (letters and '-') as a template argument, so its words are
// compile-time constants.
template <std::size_t N>
struct AttributeName {
  static constexpr std::size_t size = N - 1;  // without the NUL
  static_assert(size <= 16, "two words at most");
  char text[N]{};
  constexpr AttributeName(const char (&s)[N]) noexcept { std::copy_n(s, N, text); }
};

// Whether `name`, of lower's size, is `lower` in any ASCII case. OR-ing 0x20 folds ASCII case;
// the only other byte it maps onto '-' is CR, which never reaches here (§5.6 step 1).
template <AttributeName lower>
bool is_attribute(std::string_view name) noexcept {
  constexpr std::size_t n = lower.size, lo = std::min<std::size_t>(n, 8), hi = n - lo;
  constexpr char spaces[8] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
  constexpr std::uint64_t want_lo = word(lower.text, lo), fold_lo = word(spaces, lo);
  const bool low_equal = (word(name.data(), lo) | fold_lo) == want_lo;
  if constexpr (hi == 0) {
    return low_equal;
  } else {
    constexpr std::uint64_t want_hi = word(lower.text + 8, hi), fold_hi = word(spaces, hi);
    return low_equal && (word(name.data() + 8, hi) | fold_hi) == want_hi;
  }
}

// By length, then one case-insensitive compare, as attribute names are matched.
SameSite parse_same_site(std::string_view v) noexcept {
  switch (v.size()) {
    case 3: return is_attribute<"lax">(v) ? SameSite::lax : SameSite::unset;
    case 4: return is_attribute<"none">(v) ? SameSite::none : SameSite::unset;
    case 6: return is_attribute<"strict">(v) ? SameSite::strict : SameSite::unset;
    default: return SameSite::unset;  // §5.6.7 step 1: enforcement stays "Default"
  }
}

// Dispatches on the name's length first: one case-insensitive compare per attribute instead
// of a chain of eight.
void apply_attribute(SetCookieView& c, std::string_view name, std::string_view value) {
  switch (name.size()) {
    case 4:
      if (is_attribute<"path">(name)) {
        c.has_path = true;
        // §5.6.4: a value not starting with '/' still counts as the last Path: default-path.
        if (!value.empty() && value.front() == '/') c.path = value;
        else c.path.reset();
      }
      break;
    case 6:
      if (is_attribute<"secure">(name)) {
        c.secure = true;
      } else if (is_attribute<"domain">(name)) {
        // §5.6.3; the last Domain wins even when empty, and empty means host-only (§5.7).
        if (!value.empty() && value.front() == '.') value.remove_prefix(1);
        if (value.empty()) {
          c.domain.reset();
        } else if (!detail::has_upper(value)) {
          c.domain = value;  // as nearly every server writes it: no copy
        } else {
          c.storage.assign(value);
          for (char& ch : c.storage) ch = detail::ascii_lower(ch);
          c.domain = c.storage;
        }
      }
      break;
    case 7:
      if (is_attribute<"expires">(name)) {
        if (auto t = parse_cookie_date(value)) c.expires = *t;  // §5.6.1: unparsable: ignored
      } else if (is_attribute<"max-age">(name)) {
        if (auto a = parse_max_age(value)) c.max_age = *a;
      }
      break;
    case 8:
      if (is_attribute<"httponly">(name)) {
        c.http_only = true;
      } else if (is_attribute<"samesite">(name)) {
        c.same_site = parse_same_site(value);
      }
      break;
    case 11:
      if (is_attribute<"partitioned">(name)) c.partitioned = true;
      break;
    default:
      break;
  }
}

// §5.6 "unparsed-attributes" of a line that passed the whole-line checks: `attrs` is the
// line's tail from its first ';', and [line, attrs) may be read too.
void parse_attributes(const char* line, std::string_view attrs, SetCookieView& c) {
  // Each ";"-separated cookie-av in order, `p` on its ';': one scan finds where the name ends,
  // another where the value does.
  const char* p = attrs.data();
  const char* const end = p + attrs.size();
  while (p != end) {
    ++p;  // the ';'
    while (p != end && detail::is_wsp(*p)) ++p;  // the name's leading WSP, before the scan
    const char* const name_begin = p;
    p = find_either<'=', ';'>(p, line, end);  // where the name ends
    std::string_view av_name(name_begin, static_cast<std::size_t>(p - name_begin));
    while (!av_name.empty() && detail::is_wsp(av_name.back())) av_name.remove_suffix(1);
    std::string_view av_value;
    if (p != end && *p == '=') {
      const char* const value_begin = p + 1;
      p = find_either<';', ';'>(value_begin, line, end);
      av_value = detail::trim_wsp(std::string_view(value_begin, static_cast<std::size_t>(p - value_begin)));
    }
    if (av_value.size() > limits::max_attribute_value_bytes) continue;  // §5.6 step 6
    apply_attribute(c, av_name, av_value);
  }
}

}  // namespace

bool has_forbidden_ctl(std::string_view s) noexcept { return scan_forbidden_ctl(s); }

std::string_view to_string(ParseError e) noexcept {
  switch (e) {
    case ParseError::control_character: return "the line contains a control character";
    case ParseError::empty_name_and_value: return "the cookie has neither a name nor a value";
    case ParseError::name_value_too_long: return "name and value exceed 4096 bytes";
    case ParseError::line_too_long: return "the header line is too long";
  }
  return "unknown parse error";
}

std::optional<ParseError> parse_set_cookie(std::string_view line, SetCookieView& out) {
  // Cheap whole-line checks first, so hostile input costs one pass and no allocation.
  if (line.size() > limits::max_header_bytes) return ParseError::line_too_long;
  if (scan_forbidden_ctl(line)) return ParseError::control_character;

  // §5.6 steps 2-4.
  const char* const begin = line.data();
  const char* const end = begin + line.size();
  const char* const eq_or_semi = find_either<'=', ';'>(begin, begin, end);
  const char* const semi = eq_or_semi != end && *eq_or_semi == '=' ? find_either<';', ';'>(eq_or_semi + 1, begin, end)
                                                                   : eq_or_semi;
  std::string_view name, value;
  if (eq_or_semi == semi) {
    value = std::string_view(begin, static_cast<std::size_t>(semi - begin));  // nameless cookie
  } else {
    name = std::string_view(begin, static_cast<std::size_t>(eq_or_semi - begin));
    value = std::string_view(eq_or_semi + 1, static_cast<std::size_t>(semi - eq_or_semi - 1));
  }
  name = detail::trim_wsp(name);
  value = detail::trim_wsp(value);
  if (name.size() + value.size() > limits::max_name_value_bytes) return ParseError::name_value_too_long;
  if (name.empty() && value.empty()) return ParseError::empty_name_and_value;
  out.name = name;
  out.value = value;
  if (semi != end) parse_attributes(begin, std::string_view(semi, static_cast<std::size_t>(end - semi)), out);
  return std::nullopt;
}

Result<ParsedSetCookie, ParseError> parse_set_cookie(std::string_view line) {
  SetCookieView v;
  if (auto error = parse_set_cookie(line, v)) return fail(*error);
  // The only return of the result, so it is constructed in the caller.
  Result<ParsedSetCookie, ParseError> result{ParsedSetCookie{}};
  ParsedSetCookie& c = *result;
  c.name.assign(v.name);
  c.value.assign(v.value);
  c.expires = v.expires;
  c.max_age = v.max_age;
  if (v.domain) c.domain.emplace(*v.domain);
  if (v.path) c.path.emplace(*v.path);
  c.has_path = v.has_path;
  c.secure = v.secure;
  c.http_only = v.http_only;
  c.partitioned = v.partitioned;
  c.same_site = v.same_site;
  return result;
}

}  // namespace httpstate
