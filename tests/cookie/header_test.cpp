#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"

namespace httpstate {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs pairs(std::string_view header) {
  Pairs out;
  for (const auto& p : parse_cookie_header(header)) out.emplace_back(p.name, p.value);
  return out;
}

TEST(ParseCookieHeader, EveryPairInOrder) {
  EXPECT_EQ(pairs("a=1; b=2; c=3"), (Pairs{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
}

TEST(ParseCookieHeader, KeepsDuplicates) {
  // Same name from different paths or domains (§5.8.3 order: longer path first).
  EXPECT_EQ(pairs("sid=deep; sid=root"), (Pairs{{"sid", "deep"}, {"sid", "root"}}));
}

TEST(ParseCookieHeader, NamelessPairs) {
  EXPECT_EQ(pairs("a=1; foo; =bar"), (Pairs{{"a", "1"}, {"", "foo"}, {"", "bar"}}));
}

TEST(ParseCookieHeader, ToleratesSloppySeparatorsAndWhitespace) {
  EXPECT_EQ(pairs("a=1;b=2 ;  c = 3 ;; ; \t=\t;"), (Pairs{{"a", "1"}, {"b", "2"}, {"c", "3"}}));
  EXPECT_EQ(pairs(""), Pairs{});
  EXPECT_EQ(pairs(" ; ;"), Pairs{});
}

TEST(ParseCookieHeader, ValueKeepsEqualsAndQuotes) {
  EXPECT_EQ(pairs("t=a=b=c; user=\"2|1:0|10:1700000000|4:user|4:Ym9i|abc\""),
            (Pairs{{"t", "a=b=c"}, {"user", "\"2|1:0|10:1700000000|4:user|4:Ym9i|abc\""}}));
}

TEST(ParseCookieHeader, ViewsPointIntoTheHeader) {
  const std::string header = "k=v";
  const auto p = parse_cookie_header(header);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].value.data(), header.data() + 2);
}

TEST(ParseCookieHeader, OversizedHeaderYieldsNothing) {
  std::string header;
  while (header.size() <= limits::max_header_bytes) header += "a=1; ";
  EXPECT_TRUE(parse_cookie_header(header).empty());
  EXPECT_FALSE(parse_cookie_header(header.substr(0, limits::max_header_bytes)).empty());
}

TEST(Unquote, StripsOneLayerOfDoubleQuotes) {
  EXPECT_EQ(unquote("\"2|1:0|abc\""), "2|1:0|abc");
  EXPECT_EQ(unquote("\"\""), "");
  EXPECT_EQ(unquote("plain"), "plain");
  EXPECT_EQ(unquote("\""), "\"");          // a lone quote is not a quoted string
  EXPECT_EQ(unquote("\"half"), "\"half");
  EXPECT_EQ(unquote("\"\"x\"\""), "\"x\"");
}

}  // namespace
}  // namespace httpstate
