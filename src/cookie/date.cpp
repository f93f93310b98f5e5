#include "httpstate/cookie/date.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

#include "ascii.hpp"
#include "date_internal.hpp"

namespace httpstate {
namespace {

using namespace std::chrono;

// §5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E. A table: the tokeniser
// tests every byte of the string.
constexpr std::array<bool, 256> delimiters = [] {
  std::array<bool, 256> t{};
  for (unsigned c = 0; c < t.size(); ++c)
    t[c] = c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) ||
           (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
  return t;
}();

constexpr bool is_delimiter(char c) noexcept { return delimiters[static_cast<unsigned char>(c)]; }

// The date-token values of §5.1.1 step 2, before the checks of steps 3-6.
struct DateFields {
  int hour = 0, minute = 0, second = 0, day = 0, year = 0;
  unsigned month = 0;
};

// The first three bytes as one number, so a name compares in one step.
constexpr std::uint32_t key3(std::string_view s) noexcept {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[2])) << 16;
}

template <std::size_t N>
constexpr std::array<std::uint32_t, N> keys(const std::array<std::string_view, N>& names) {
  std::array<std::uint32_t, N> k{};
  for (std::size_t i = 0; i < N; ++i) k[i] = key3(names[i]);
  return k;
}

// day-name and month as RFC 9110 §5.6.7 writes them (case-sensitive there).
constexpr auto day_name_keys = keys<7>({"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"});
constexpr auto month_keys = keys<12>(
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"});

// The names as a perfect hash into 2^bits slots, its multiplier found offline: a lookup is a
// multiply and one compare, where std::find's exit varied with the name and mispredicted.
template <std::size_t N, unsigned bits, std::uint32_t multiplier>
class NameTable {
 public:
  constexpr explicit NameTable(const std::array<std::uint32_t, N>& names) {
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t s = slot(names[i]);
      if (number_[s] != 0) throw "two names share a slot: pick another multiplier";
      keys_[s] = names[i];
      number_[s] = static_cast<std::uint8_t>(i + 1);
    }
  }
  // 1..N: the name's place in the list; 0: no name of it (a free slot's number is 0).
  constexpr unsigned find(std::uint32_t key) const noexcept {
    const std::size_t s = slot(key);
    return keys_[s] == key ? number_[s] : 0;
  }

 private:
  static constexpr std::size_t slot(std::uint32_t key) noexcept {
    return static_cast<std::uint32_t>(key * multiplier) >> (32 - bits);
  }
  std::array<std::uint32_t, std::size_t{1} << bits> keys_{};
  std::array<std::uint8_t, std::size_t{1} << bits> number_{};
};
constexpr NameTable<7, 3, 0x81e74ef5> day_names(day_name_keys);
constexpr NameTable<12, 4, 0x6a50df4d> months(month_keys);

// OR-ing 0x20 into a byte folds ASCII case; a byte so folded equals a letter only when it is
// that letter in either case, so comparing folded keys of letter names is case-insensitive.
constexpr std::uint32_t fold3 = 0x202020;

// Reads min..max DIGITs from the front of `s`, followed by the end or a non-digit (§5.1.1
// "[ non-digit *OCTET ]"). On success advances `s` past the digits.
bool take_digits(std::string_view& s, std::size_t min, std::size_t max, int& out) noexcept {
  std::size_t n = 0;
  int v = 0;
  while (n < s.size() && detail::is_digit(s[n])) {
    if (n == max) return false;  // one digit too many: not this production
    v = v * 10 + (s[n] - '0');
    ++n;
  }
  if (n < min) return false;
  out = v;
  s.remove_prefix(n);
  return true;
}

// time = hms-time [ non-digit *OCTET ]; hms-time = 1*2DIGIT ":" 1*2DIGIT ":" 1*2DIGIT
bool match_time(std::string_view t, int& h, int& m, int& s) noexcept {
  if (!take_digits(t, 1, 2, h) || t.empty() || t.front() != ':') return false;
  t.remove_prefix(1);
  if (!take_digits(t, 1, 2, m) || t.empty() || t.front() != ':') return false;
  t.remove_prefix(1);
  return take_digits(t, 1, 2, s);
}

// month = ( "jan" / ... / "dec" ) *OCTET, case-insensitive; returns 1..12 or 0.
unsigned match_month(std::string_view t) noexcept {
  if (t.size() < 3) return 0;
  const std::uint32_t k = key3(t) | fold3;
  for (unsigned i = 0; i < month_keys.size(); ++i)
    if (k == (month_keys[i] | fold3)) return i + 1;
  return 0;
}

// §5.1.1 steps 1-2 and the found-* part of step 5: false when a field is missing.
bool scan_cookie_date(std::string_view s, DateFields& f) noexcept {
  bool found_time = false, found_day = false, found_month = false, found_year = false;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_delimiter(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && !is_delimiter(s[i])) ++i;
    if (start == i) break;
    const std::string_view token = s.substr(start, i - start);

    int h, m, sec;
    if (!found_time && match_time(token, h, m, sec)) {
      found_time = true;
      f.hour = h, f.minute = m, f.second = sec;
      continue;
    }
    std::string_view rest = token;
    if (!found_day && take_digits(rest, 1, 2, f.day)) {
      found_day = true;
      continue;
    }
    if (!found_month) {
      if (const unsigned mo = match_month(token)) {
        found_month = true;
        f.month = mo;
        continue;
      }
    }
    rest = token;
    if (!found_year && take_digits(rest, 2, 4, f.year)) {
      found_year = true;
      continue;
    }
  }
  return found_time && found_day && found_month && found_year;
}

// Two DIGITs at p[0..1].
bool two_digits(const char* p, int& out) noexcept {
  if (!detail::is_digit(p[0]) || !detail::is_digit(p[1])) return false;
  out = (p[0] - '0') * 10 + (p[1] - '0');
  return true;
}

// RFC 9110 §5.6.7: IMF-fixdate = day-name "," SP 2DIGIT SP month SP 4DIGIT SP
// 2DIGIT ":" 2DIGIT ":" 2DIGIT SP "GMT", 29 bytes.
constexpr std::size_t imf_fixdate_size = 29;

// The form nearly every server sends, read directly. Its date-tokens are a day name (never a
// month), the day, the month, the year and the time, so §5.1.1 finds exactly these fields;
// anything else returns false and takes the general path.
bool scan_imf_fixdate(std::string_view s, DateFields& f) noexcept {
  if (s.size() != imf_fixdate_size) return false;
  const char* p = s.data();
  if (p[3] != ',' || p[4] != ' ' || p[7] != ' ' || p[11] != ' ' || p[16] != ' ' ||
      p[19] != ':' || p[22] != ':' || p[25] != ' ' || s.substr(26) != "GMT")
    return false;
  if (day_names.find(key3(s)) == 0) return false;
  const unsigned month = months.find(key3(s.substr(8)));
  if (month == 0) return false;
  int century, year_of_century;
  if (!two_digits(p + 5, f.day) || !two_digits(p + 12, century) ||
      !two_digits(p + 14, year_of_century) || !two_digits(p + 17, f.hour) ||
      !two_digits(p + 20, f.minute) || !two_digits(p + 23, f.second))
    return false;
  f.year = century * 100 + year_of_century;
  f.month = month;
  return true;
}

// §5.1.1 steps 3-6 on the fields both scanners find.
std::optional<Time> to_time(DateFields f) noexcept {
  // Steps 3-4: two-digit years (a four-digit "0069" too, as the algorithm reads a value).
  if (f.year >= 70 && f.year <= 99) f.year += 1900;
  else if (f.year >= 0 && f.year <= 69) f.year += 2000;

  // Step 5.
  if (f.day < 1 || f.day > 31 || f.year < 1601 || f.hour > 23 || f.minute > 59 || f.second > 59)
    return std::nullopt;

  // Step 6: the date must exist (no 31 April, no 29 February 2023).
  const year_month_day ymd{std::chrono::year{f.year}, std::chrono::month{f.month},
                           std::chrono::day{static_cast<unsigned>(f.day)}};
  if (!ymd.ok()) return std::nullopt;
  return Time{sys_days{ymd}} + hours{f.hour} + minutes{f.minute} + seconds{f.second};
}

}  // namespace

std::optional<Time> parse_cookie_date(std::string_view s) noexcept {
  if (DateFields f; scan_imf_fixdate(s, f)) return to_time(f);
  return detail::parse_cookie_date_general(s);
}

std::optional<Time> detail::parse_cookie_date_general(std::string_view s) noexcept {
  DateFields f;
  if (!scan_cookie_date(s, f)) return std::nullopt;
  return to_time(f);
}

std::string format_http_date(Time t) {
  static constexpr std::array<const char*, 7> weekdays = {"Sun", "Mon", "Tue", "Wed",
                                                          "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // IMF-fixdate has a four-digit year (RFC 9110 §5.6.7): clamp rather than print garbage.
  static constexpr Time earliest{sys_days{std::chrono::year{1} / January / 1}};
  static constexpr Time latest{sys_days{std::chrono::year{9999} / December / 31} + hours{23} +
                               minutes{59} + seconds{59}};
  t = std::clamp(t, earliest, latest);
  const auto days = floor<std::chrono::days>(t);
  const year_month_day ymd{days};
  const hh_mm_ss hms{floor<seconds>(t - days)};
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                              weekdays[weekday{days}.c_encoding()],
                              static_cast<unsigned>(ymd.day()),
                              months[static_cast<unsigned>(ymd.month()) - 1],
                              static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                              static_cast<int>(hms.minutes().count()),
                              static_cast<int>(hms.seconds().count()));
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace httpstate
