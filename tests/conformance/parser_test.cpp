// The IETF http-state parser suite (222 cases), through the jar, with the harness of
// tests/data/README.md. 27 cases changed meaning under RFC 6265bis; for those the test
// asserts the 6265bis header, with the section that says so, instead of the RFC 6265 one.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "conformance/conformance_support.hpp"
#include "httpstate/jar/cookie_jar.hpp"

namespace httpstate {
namespace {

using nlohmann::json;

constexpr const char* origin = "http://home.example.org:8888";

struct Divergence {
  const char* header;  // the Cookie header RFC 6265bis gives
  const char* why;     // the section that makes it so
};

constexpr const char* nameless =
    "§5.6 step 3: a pair without '=' or with an empty name is a nameless cookie; §5.8.3 step 4 "
    "serializes it as its value alone";
constexpr const char* nameless_replace =
    "§5.6 step 3 (nameless cookies) and §5.7 step 23: nameless cookies share the identity "
    "(\"\", domain, path), so the later one replaces the earlier";
constexpr const char* ctl =
    "§5.6 step 1 / §5.7 step 3: a control character (NUL, CR) refuses the whole line";

// Our own reading of the RFC for each case; the data's model header is only a cross-check.
const std::map<std::string, Divergence>& divergences() {
  static const std::map<std::string, Divergence> m = {
      {"0004", {"foo", nameless}},
      {"0021", {"a=b; x; c=d", nameless}},
      {"0023", {"foo", "§5.6 step 3 (nameless cookie) and §5.6 step 6: an empty line is refused"}},
      {"0024", {"foo", "§5.6 step 3 (nameless cookie) and §5.6 step 6: '=' alone has no name and no value"}},
      {"0025", {"foo", "§5.6 step 3 (nameless cookie) and §5.6 step 6: '; bar' has an empty name-value-pair"}},
      {"0026", {"foo", "§5.6 step 3 (nameless cookie) and §5.6 steps 4-6: whitespace alone is empty"}},
      {"0027", {"bar", nameless_replace}},
      {"0028", {"foo", "§5.6 step 3 (nameless cookie) and §5.6 steps 4-6: a tab alone is empty"}},
      {"CHROMIUM0009", {"BLAHHH", nameless}},
      {"CHROMIUM0010", {"\"BLA\\\"HHH\"", nameless}},
      {"CHROMIUM0012", {"ABC", nameless}},
      {"DISABLED_CHROMIUM0022", {"", ctl}},
      {"DISABLED_CHROMIUM0023", {"", ctl}},
      {"DISABLED_PATH0029", {"", "§5.1.4 path-match compares the raw request path: /f%6Fo/bar is not /foo/bar"}},
      {"MOZILLA0012", {"test=\"fubar! = foo; five", nameless}},
      {"MOZILLA0014", {"six", nameless}},
      {"MOZILLA0015", {"seven", nameless_replace}},
      {"MOZILLA0016", {"eight", nameless_replace}},
      {"MOZILLA0017", {"eight; test=six", nameless_replace}},
      {"NAME0017", {"a=bar", nameless}},
      {"NAME0023", {"foo", nameless}},
      {"NAME0025", {"==a=bar", nameless}},
      {"NAME0028", {"a", nameless}},
      {"NAME0031", {"\"foo", nameless}},
      {"NAME0032", {"\"foo\\\"bar", nameless}},
      {"NAME0033", {"aaa", nameless_replace}},
      {"OPTIONAL_DOMAIN0042",
       {"foo=bar", "§5.7 step 7: the last Domain attribute wins even when empty, and an empty "
                   "domain-attribute makes a host-only cookie (§5.7 step 10)"}},
  };
  return m;
}

std::string serialize(const json& sent) {
  std::string out;
  for (const auto& p : sent) {
    if (!out.empty()) out += "; ";
    std::string name = p.value("name", ""), value = p.value("value", "");
    out += name.empty() ? value : name + "=" + value;
  }
  return out;
}

std::vector<json> cases() {
  json all = test::load_test_json("http-state/parser.json");
  return {all.begin(), all.end()};
}

class ParserSuite : public ::testing::TestWithParam<json> {};

TEST_P(ParserSuite, CookieHeaderMatches) {
  const json& c = GetParam();
  const std::string id = c.at("test").get<std::string>();
  CookieJar jar;
  for (const auto& line : c.at("received"))
    jar.store(std::string(origin) + "/cookie-parser?" + id, line.get<std::string>());
  std::string to = c.value("sent-to", std::string(origin) + "/cookie-parser-result?" + id);
  if (to.starts_with("/")) to = origin + to;

  auto d = divergences().find(id);
  if (d != divergences().end()) {
    EXPECT_EQ(jar.cookie_header(to), d->second.header) << "RFC 6265bis: " << d->second.why;
  } else {
    EXPECT_EQ(jar.cookie_header(to), serialize(c.at("sent")));
  }
}

INSTANTIATE_TEST_SUITE_P(Ietf, ParserSuite, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<json>& info) { return test::test_name(info.param.at("test").get<std::string>()); });

TEST(ParserSuiteData, HasAll222Cases) { EXPECT_EQ(cases().size(), 222u); }

// Every divergence in the data is one we justify, and our expectation agrees with its model.
TEST(ParserSuiteData, DivergencesAreTheOnesListed) {
  json data = test::load_test_json("http-state/rfc6265bis-divergences.json");
  ASSERT_TRUE(data.is_object());
  ASSERT_EQ(data.value("count", 0), 27);
  std::set<std::string> listed;
  for (const auto& c : data.at("cases")) {
    std::string id = c.at("test").get<std::string>();
    listed.insert(id);
    auto d = divergences().find(id);
    ASSERT_NE(d, divergences().end()) << id << " diverges but has no RFC 6265bis justification here";
    EXPECT_EQ(d->second.header, c.at("rfc6265bis_model_cookie_header").get<std::string>()) << id;
  }
  EXPECT_EQ(listed.size(), divergences().size());
}

}  // namespace
}  // namespace httpstate
