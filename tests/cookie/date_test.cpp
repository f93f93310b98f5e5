#include "httpstate/cookie/date.hpp"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "date_internal.hpp"

namespace httpstate {
namespace {

using namespace std::chrono;

Time at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return Time{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi} + seconds{s};
}

TEST(CookieDate, ParsesThePreferredFormats) {
  EXPECT_EQ(parse_cookie_date("Sun, 06 Nov 1994 08:49:37 GMT"), at(1994, 11, 6, 8, 49, 37));
  EXPECT_EQ(parse_cookie_date("Sunday, 06-Nov-94 08:49:37 GMT"), at(1994, 11, 6, 8, 49, 37));
  EXPECT_EQ(parse_cookie_date("Sun Nov  6 08:49:37 1994"), at(1994, 11, 6, 8, 49, 37));
}

TEST(CookieDate, TwoDigitYearsSplitAt70) {
  EXPECT_EQ(parse_cookie_date("1 Jan 69 00:00:00"), at(2069, 1, 1));
  EXPECT_EQ(parse_cookie_date("1 Jan 70 00:00:00"), at(1970, 1, 1));
  EXPECT_EQ(parse_cookie_date("1 Jan 99 00:00:00"), at(1999, 1, 1));
  EXPECT_EQ(parse_cookie_date("1 Jan 00 00:00:00"), at(2000, 1, 1));
}

TEST(CookieDate, RejectsDatesBefore1601) {
  EXPECT_FALSE(parse_cookie_date("31 Dec 1600 23:59:59"));
  EXPECT_EQ(parse_cookie_date("1 Jan 1601 00:00:00"), at(1601, 1, 1));
}

TEST(CookieDate, HandlesYear9999) {
  EXPECT_EQ(parse_cookie_date("31 Dec 9999 23:59:59"), at(9999, 12, 31, 23, 59, 59));
  EXPECT_FALSE(parse_cookie_date("1 Jan 10000 00:00:00"));
}

TEST(CookieDate, RejectsDatesThatDoNotExist) {
  EXPECT_FALSE(parse_cookie_date("31 Apr 2020 00:00:00"));
  EXPECT_FALSE(parse_cookie_date("29 Feb 2023 00:00:00"));
  EXPECT_EQ(parse_cookie_date("29 Feb 2024 00:00:00"), at(2024, 2, 29));
  EXPECT_FALSE(parse_cookie_date("0 Jan 2024 00:00:00"));
}

TEST(CookieDate, ValidatesTheTime) {
  EXPECT_FALSE(parse_cookie_date("1 Jan 2024 24:00:00"));
  EXPECT_FALSE(parse_cookie_date("1 Jan 2024 23:60:00"));
  EXPECT_FALSE(parse_cookie_date("1 Jan 2024 23:59:60"));  // no leap seconds in this syntax
  EXPECT_FALSE(parse_cookie_date("1 Jan 2024"));           // no time at all
  EXPECT_EQ(parse_cookie_date("1 Jan 2024 1:2:3"), at(2024, 1, 1, 1, 2, 3));
}

TEST(CookieDate, FirstTokenOfEachKindWins) {
  // The second time token is not a time any more (found-time is set); it is not a year either.
  EXPECT_EQ(parse_cookie_date("1 Jan 2024 10:00:00 11:00:00"), at(2024, 1, 1, 10));
  EXPECT_EQ(parse_cookie_date("1 Jan 2024 2 Feb 2025 10:00:00"), at(2024, 1, 1, 10));
  // Three digits are no day-of-month, so "2024" is the year and the later "1" the day.
  EXPECT_EQ(parse_cookie_date("2024 Jan 1 10:00:00"), at(2024, 1, 1, 10));
}

TEST(CookieDate, ToleratesControlAndHighBytes) {
  EXPECT_FALSE(parse_cookie_date(std::string("\0\xff\x7f", 3)));
  EXPECT_FALSE(parse_cookie_date(""));
  EXPECT_EQ(parse_cookie_date("1 Jan\x80 2024 00:00:00"), at(2024, 1, 1));
}

// parse_cookie_date reads IMF-fixdate directly; on every string, near that form or in it, it
// must return what the general §5.1.1 algorithm returns.
void expect_same_as_general(const std::string& s) {
  const auto show = [](std::optional<Time> t) { return t ? format_http_date(*t) : "nullopt"; };
  EXPECT_EQ(show(parse_cookie_date(s)), show(detail::parse_cookie_date_general(s)))
      << '"' << s << '"';
}

TEST(CookieDate, ImfFixdateFastPathMatchesTheGeneralAlgorithm) {
  constexpr std::array<const char*, 11> day_names = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
                                                     "Sun", "sun", "SUN", "Xyz", "Jan"};
  constexpr std::array<const char*, 10> days = {"00", "01", "09", "10", "28",
                                                "29", "30", "31", "32", "99"};
  constexpr std::array<const char*, 16> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                                                  "jan", "FEB", "Foo", "Mon"};
  constexpr std::array<const char*, 12> years = {"1600", "1601", "1969", "2000",
                                                 "2023", "2024", "2100", "0000",
                                                 "0069", "0070", "0099", "9999"};
  constexpr std::array<const char*, 7> times = {"00:00:00", "23:59:59", "24:00:00", "23:60:00",
                                                "23:59:60", "12:34:56", "1a:00:00"};
  constexpr std::array<const char*, 3> zones = {"GMT", "UTC", "gmt"};
  // The day name and zone cycle (sizes coprime to each other) instead of multiplying the count.
  std::size_t n = 0, parsed = 0;
  for (const char* d : days)
    for (const char* mo : months)
      for (const char* y : years)
        for (const char* t : times) {
          const char* w = day_names[n % day_names.size()];
          const char* z = zones[n++ % zones.size()];
          const std::string s = std::string(w) + ", " + d + " " + mo + " " + y + " " + t + " " + z;
          ASSERT_EQ(s.size(), 29u);
          expect_same_as_general(s);
          parsed += parse_cookie_date(s).has_value();
        }
  EXPECT_GT(parsed, 1000u);

  // Every one-byte change, insertion and deletion of a few valid dates: extra spaces, other
  // separators, trailing text, a digit too many or too few.
  const std::string bases[] = {"Sun, 06 Nov 1994 08:49:37 GMT", "Thu, 29 Feb 2024 23:59:59 GMT",
                               "Wed, 31 Dec 9999 00:00:00 GMT", "Mon, 01 Jan 1601 00:00:00 GMT"};
  const std::string bytes(" ,:-/0159aAzZ\t\x80\0", 16);  // the last one a NUL
  for (const std::string& base : bases) {
    expect_same_as_general(base);
    expect_same_as_general(base + " ");
    expect_same_as_general(base + " x");
    expect_same_as_general(" " + base);
    for (std::size_t i = 0; i <= base.size(); ++i) {
      if (i < base.size()) {
        std::string erased = base;
        expect_same_as_general(erased.erase(i, 1));
      }
      for (const char b : bytes) {
        std::string inserted = base;
        expect_same_as_general(inserted.insert(i, 1, b));
        if (i < base.size()) {
          std::string replaced = base;
          replaced[i] = b;
          expect_same_as_general(replaced);
        }
      }
    }
  }
}

TEST(CookieDate, ImfFixdateEdgeCases) {
  EXPECT_EQ(parse_cookie_date("Thu, 29 Feb 2024 23:59:59 GMT"), at(2024, 2, 29, 23, 59, 59));
  EXPECT_FALSE(parse_cookie_date("Wed, 29 Feb 2023 00:00:00 GMT"));
  EXPECT_FALSE(parse_cookie_date("Wed, 31 Apr 2023 00:00:00 GMT"));
  EXPECT_FALSE(parse_cookie_date("Wed, 01 Apr 2023 24:00:00 GMT"));
  EXPECT_FALSE(parse_cookie_date("Fri, 31 Dec 1600 23:59:59 GMT"));
  // The algorithm reads the year's value, so a four-digit "0069" is a two-digit year.
  EXPECT_EQ(parse_cookie_date("Tue, 01 Jan 0069 00:00:00 GMT"), at(2069, 1, 1));
  // The day name is not checked against the date, as §5.1.1 ignores it.
  EXPECT_EQ(parse_cookie_date("Mon, 06 Nov 1994 08:49:37 GMT"), at(1994, 11, 6, 8, 49, 37));
}

TEST(FormatHttpDate, WritesImfFixdate) {
  EXPECT_EQ(format_http_date(at(1994, 11, 6, 8, 49, 37)), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(from_unix_seconds(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format_http_date(at(9999, 12, 31, 23, 59, 59)), "Fri, 31 Dec 9999 23:59:59 GMT");
  // Sub-second parts are dropped, not rounded.
  EXPECT_EQ(format_http_date(at(2000, 1, 1) + milliseconds{999}), "Sat, 01 Jan 2000 00:00:00 GMT");
}

TEST(FormatHttpDate, ClampsOutsideFourDigitYears) {
  EXPECT_EQ(format_http_date(Time::max()), "Fri, 31 Dec 9999 23:59:59 GMT");
  EXPECT_EQ(format_http_date(Time::min()), "Mon, 01 Jan 0001 00:00:00 GMT");
}

TEST(FormatHttpDate, RoundTripsThroughTheParser) {
  for (std::int64_t s = -11644473600LL; s < 253402300800LL; s += 86400LL * 397 + 3671) {
    const Time t = from_unix_seconds(s);
    EXPECT_EQ(parse_cookie_date(format_http_date(t)), t) << format_http_date(t);
  }
}

// The http-state date suites (tests/data/README.md): expected is the IMF-fixdate of the
// result, or null when the string is not a cookie-date.
struct DateCase {
  std::string file;
  std::size_t index;
  std::string input;
  std::optional<std::string> expected;
};

void PrintTo(const DateCase& c, std::ostream* os) { *os << c.file << ": " << c.input; }

std::vector<DateCase> load_date_cases() {
  std::vector<DateCase> cases;
  for (const char* file : {"examples.json", "bsd-examples.json"}) {
    std::ifstream in(std::string(HTTPSTATE_TEST_DATA_DIR) + "/http-state/dates/" + file);
    if (!in) continue;  // DateConformance.AllSeventyCasesPresent reports it
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (!doc.is_array()) continue;
    for (std::size_t i = 0; i < doc.size(); ++i) {
      const auto& c = doc[i];
      DateCase d{file, i, c.at("test").get<std::string>(), std::nullopt};
      if (!c.at("expected").is_null()) d.expected = c.at("expected").get<std::string>();
      cases.push_back(std::move(d));
    }
  }
  return cases;
}

const std::vector<DateCase>& date_cases() {
  static const std::vector<DateCase> cases = load_date_cases();
  return cases;
}

TEST(DateConformance, AllSeventyCasesPresent) { EXPECT_EQ(date_cases().size(), 70u); }

class DateConformance : public testing::TestWithParam<DateCase> {};

TEST_P(DateConformance, MatchesExpected) {
  const DateCase& c = GetParam();
  const auto got = parse_cookie_date(c.input);
  if (!c.expected) {
    EXPECT_FALSE(got) << c.file << ": \"" << c.input << "\" parsed as " << format_http_date(*got);
  } else {
    ASSERT_TRUE(got) << c.file << ": \"" << c.input << "\" not parsed";
    EXPECT_EQ(format_http_date(*got), *c.expected) << c.file << ": \"" << c.input << "\"";
  }
}

INSTANTIATE_TEST_SUITE_P(HttpState, DateConformance, testing::ValuesIn(date_cases()),
                         [](const testing::TestParamInfo<DateCase>& info) {
                           return (info.param.file == "examples.json" ? "examples_" : "bsd_") +
                                  std::to_string(info.param.index);
                         });

}  // namespace
}  // namespace httpstate
