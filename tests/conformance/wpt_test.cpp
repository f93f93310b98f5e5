// 134 Web Platform Tests cookie cases (tests/data/wpt/cookie-cases.json). The harness:
// plain-HTTP origin, Set-Cookie from /cookies/resources/cookie.py, then the non-HttpOnly Cookie
// header (our stand-in for document.cookie) at the default path or at the test page.
#include <gtest/gtest.h>

#include <string>

#include "conformance/conformance_support.hpp"
#include "httpstate/cookie/date.hpp"
#include "httpstate/jar/cookie_jar.hpp"

namespace httpstate {
namespace {

using nlohmann::json;

std::vector<json> cases() {
  json all = test::load_test_json("wpt/cookie-cases.json");
  if (!all.is_object() || !all.contains("cases")) return {};
  return {all["cases"].begin(), all["cases"].end()};
}

class WptSuite : public ::testing::TestWithParam<json> {};

TEST_P(WptSuite, DocumentCookieMatches) {
  const json& c = GetParam();
  const std::string source = c.at("source").get<std::string>();
  // "cookies/size/attributes.www.sub.html (host-independent subset; ...)": served from www.
  const std::string page = source.substr(0, source.find(' '));
  const std::string host = page.find(".www.") != std::string::npos ? "http://www.web-platform.test"
                                                                   : "http://web-platform.test";
  CookieJar jar;  // real time: the data's dates are relative to today
  std::string joined;
  for (const auto& line : c.at("set_cookie")) {
    std::string value = line.get<std::string>();
    joined += value;
    // On the wire the field line ends at a LF (RFC 9112 §2.2), so "test=13\nZYX" reaches the
    // user agent as "test=13"; the jar never sees the LF (which §5.6 step 1 would refuse).
    value = value.substr(0, value.find('\n'));
    jar.store(host + "/cookies/resources/cookie.py", value);
  }

  // The one case whose cookie carries a fixed 2027 date goes stale once that date has passed.
  if (joined.find("Aug 2027") != std::string::npos) {
    auto deadline = parse_cookie_date("Fri, 07 Aug 2027 08:04:19 GMT");
    ASSERT_TRUE(deadline.has_value());
    ASSERT_LT(jar.now(), *deadline)
        << "STALE TEST DATA: WPT case '" << c.at("name").get<std::string>()
        << "' sets a cookie expiring on Fri, 07 Aug 2027, which is now in the past, so its "
           "expectation can no longer hold. Move that date forward in "
           "tests/data/wpt/cookie-cases.json (upstream WPT now computes it from today).";
  }

  const std::string at = c.at("default_path").get<bool>() ? host + "/cookies/resources/echo.py" : host + "/" + page;
  EXPECT_EQ(jar.cookie_header(at, {.http_api = false}), c.at("expected").get<std::string>())
      << source << ": " << c.at("name").get<std::string>();
}

INSTANTIATE_TEST_SUITE_P(Wpt, WptSuite, ::testing::ValuesIn(cases()), [](const ::testing::TestParamInfo<json>& info) {
  const json& c = info.param;
  std::string page = c.at("source").get<std::string>();
  page = page.substr(0, page.find(' '));
  page = page.substr(page.rfind('/') + 1);
  return test::test_name(std::to_string(info.index) + "_" + page.substr(0, page.find('.')));
});

TEST(WptSuiteData, HasAll134Cases) { EXPECT_EQ(cases().size(), 134u); }

}  // namespace
}  // namespace httpstate
