#include "httpstate/cookie/date.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "ascii.hpp"

namespace httpstate {
namespace {

using namespace std::chrono;

// §5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
constexpr bool is_delimiter(unsigned char c) noexcept {
  return c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) ||
         (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

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
  static constexpr std::array<std::string_view, 12> names = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (t.size() < 3) return 0;
  for (unsigned i = 0; i < names.size(); ++i)
    if (detail::iequals(t.substr(0, 3), names[i])) return i + 1;
  return 0;
}

}  // namespace

std::optional<Time> parse_cookie_date(std::string_view s) noexcept {
  bool found_time = false, found_day = false, found_month = false, found_year = false;
  int hour = 0, minute = 0, second = 0, day = 0, year = 0;
  unsigned month = 0;

  // §5.1.1 step 1-2: split into date-tokens (runs of non-delimiters), process each in order.
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_delimiter(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t start = i;
    while (i < s.size() && !is_delimiter(static_cast<unsigned char>(s[i]))) ++i;
    if (start == i) break;
    const std::string_view token = s.substr(start, i - start);

    int h, m, sec;
    if (!found_time && match_time(token, h, m, sec)) {
      found_time = true;
      hour = h, minute = m, second = sec;
      continue;
    }
    std::string_view rest = token;
    if (!found_day && take_digits(rest, 1, 2, day)) {
      found_day = true;
      continue;
    }
    if (!found_month) {
      if (const unsigned mo = match_month(token)) {
        found_month = true;
        month = mo;
        continue;
      }
    }
    rest = token;
    if (!found_year && take_digits(rest, 2, 4, year)) {
      found_year = true;
      continue;
    }
  }

  // Steps 3-4: two-digit years.
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;

  // Step 5.
  if (!found_time || !found_day || !found_month || !found_year) return std::nullopt;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59)
    return std::nullopt;

  // Step 6: the date must exist (no 31 April, no 29 February 2023).
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return Time{sys_days{ymd}} + hours{hour} + minutes{minute} + seconds{second};
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
