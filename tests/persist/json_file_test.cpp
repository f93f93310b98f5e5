// The JSON jar: the documented schema, versioning, and readers with no code of ours.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "httpstate/persist/json_file.hpp"
#include "persist_test_support.hpp"

namespace httpstate {
namespace {

using test::keep_all;

TEST(JsonJar, WritesTheDocumentedSchema) {
  auto v = test::sample_cookies();
  auto doc = nlohmann::json::parse(format_json_jar(v));
  EXPECT_EQ(doc["format"], "httpstate-cookie-jar");
  EXPECT_EQ(doc["version"], 1);
  ASSERT_EQ(doc["cookies"].size(), v.size());
  for (const auto& e : doc["cookies"]) {
    for (const char* key : {"name", "value", "domain", "host_only", "path", "secure", "http_only",
                            "same_site", "partitioned", "expires", "creation", "last_access"})
      EXPECT_TRUE(e.contains(key)) << key;
  }
  auto track = std::find_if(doc["cookies"].begin(), doc["cookies"].end(),
                            [](const auto& e) { return e["name"] == "track"; });
  ASSERT_NE(track, doc["cookies"].end());
  EXPECT_EQ((*track)["same_site"], "None");
  EXPECT_EQ((*track)["partitioned"], true);
  EXPECT_EQ((*track)["host_only"], false);
  EXPECT_EQ((*track)["expires"], 1'800'000'000 + 86400);
}

TEST(JsonJar, RefusesANewerVersionAndForeignDocuments) {
  auto newer = parse_json_jar(R"({"format":"httpstate-cookie-jar","version":2,"cookies":[]})");
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.error().reason, JarError::unsupported_version);
  for (const char* text : {"[]", "{}", "not json", R"({"format":"other","version":1,"cookies":[]})",
                           R"({"format":"httpstate-cookie-jar","version":1,"cookies":{}})",
                           R"({"format":"httpstate-cookie-jar","version":"1","cookies":[]})"}) {
    auto r = parse_json_jar(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().reason, JarError::not_a_jar) << text;
  }
}

TEST(JsonJar, AppliesDefaultsForOptionalFields) {
  auto r = parse_json_jar(R"({"format":"httpstate-cookie-jar","version":1,"cookies":[
      {"name":"a","value":"1","domain":".Example.com","path":"/","unknown_future_field":1}]})",
                          keep_all());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->cookies.size(), 1u);
  const auto& c = r->cookies[0];
  EXPECT_EQ(c.domain, "example.com");
  EXPECT_TRUE(c.host_only);
  EXPECT_FALSE(c.persistent());
  EXPECT_EQ(c.same_site, SameSite::unset);
  EXPECT_EQ(c.creation, test::test_now);
}

TEST(JsonJar, ReportsBadEntriesByIndex) {
  auto r = parse_json_jar(R"({"format":"httpstate-cookie-jar","version":1,"cookies":[
      1, {"name":"a"}, {"name":"a","value":"1","domain":"x.test","path":"/","secure":"yes"},
      {"name":"a","value":"1","domain":"x.test","path":"/","same_site":"lax"},
      {"name":"a","value":"1","domain":"x.test","path":"/","expires":"tomorrow"},
      {"name":"ok","value":"1","domain":"x.test","path":"/"}]})",
                          keep_all());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->cookies.size(), 1u);
  ASSERT_EQ(r->errors.size(), 5u);
  EXPECT_EQ(r->errors[0].reason, EntryError::not_an_object);
  EXPECT_EQ(r->errors[1].reason, EntryError::missing_field);
  EXPECT_EQ(r->errors[2].reason, EntryError::bad_flag);
  EXPECT_EQ(r->errors[3].reason, EntryError::bad_same_site);
  EXPECT_EQ(r->errors[4].reason, EntryError::bad_expiry);
  EXPECT_EQ(r->errors[4].line, 5u);
}

TEST(JsonJar, ReadsMembersInAnyOrderAndSkipsUnknownNesting) {
  auto r = parse_json_jar(R"({"cookies": [
      {"name": "a", "value": "1", "domain": "x.test", "path": "/", "extra": {"deep": [1, {"name": "zzz"}]}},
      {"name": ["nested"], "value": "1", "domain": "x.test", "path": "/"}],
    "meta": {"cookies": [1, 2]}, "version": 1, "format": "httpstate-cookie-jar"})",
                          keep_all());
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->cookies.size(), 1u);
  EXPECT_EQ(r->cookies[0].name, "a");
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].line, 2u);
  EXPECT_EQ(r->errors[0].reason, EntryError::wrong_type);
  EXPECT_FALSE(parse_json_jar(R"({"format": "httpstate-cookie-jar", "version": 1, "cookies": [] )").ok());
  EXPECT_FALSE(parse_json_jar(R"({"format": "httpstate-cookie-jar", "version": 1, "cookies": []} x)").ok());
}

// A fractional time survives save and load to the microsecond; past 2^32 s a double cannot
// carry the microseconds, so such a time loads as whole seconds and then stays put.
TEST(JsonJar, FractionalTimesRoundTripExactly) {
  auto load = [](std::string_view creation) {
    auto r = parse_json_jar(std::string(R"({"format": "httpstate-cookie-jar", "version": 1, "cookies": [
        {"name": "a", "value": "1", "domain": "x.test", "path": "/", "creation": )") +
                                std::string(creation) + "}]}",
                            keep_all());
    EXPECT_TRUE(r.ok() && r->cookies.size() == 1u);
    return r->cookies.at(0);
  };
  for (std::string_view t : {"1795363078.914099", "2147483647.999999", "4294967295.457049",
                             "4362904624.457049", "-4362904624.5"}) {
    const Cookie first = load(t);
    auto again = parse_json_jar(format_json_jar(std::vector<Cookie>{first}), keep_all());
    ASSERT_TRUE(again.ok() && again->cookies.size() == 1u) << t;
    EXPECT_EQ(again->cookies[0].creation, first.creation) << t;
  }
  EXPECT_EQ(load("1795363078.914099").creation.time_since_epoch().count(), 1795363078914099);
  EXPECT_EQ(load("4362904624.457049").creation, from_unix_seconds(4362904624));
}

TEST(JsonJar, PythonAndNodeReadItWithNoCodeOfOurs) {
  test::TempDir dir;
  auto path = dir / "jar.json";
  auto v = test::sample_cookies();
  v.push_back(test::make_cookie("bytes", "\xff\xfe", "example.com"));
  test::spit(path, format_json_jar(v));
  auto py = test::run("/usr/bin/python3 -c 'import json, sys\n"
                      "d = json.load(open(sys.argv[1]))\n"
                      "c = {x[\"name\"]: x for x in d[\"cookies\"]}\n"
                      "print(d[\"version\"], c[\"pref\"][\"same_site\"], c[\"sid\"][\"host_only\"],"
                      " c[\"bytes\"][\"value\"].encode(\"latin-1\") == b\"\\xff\\xfe\")' " +
                      path.string());
  ASSERT_EQ(py.status, 0);
  EXPECT_EQ(py.out, "1 Lax True True\n");
  auto node = test::run("node -e 'const d = JSON.parse(require(\"fs\").readFileSync(process.argv[1]));"
                        "const c = d.cookies.find(x => x.name === \"sid\");"
                        "console.log(d.format, new Date(c.expires * 1000).toISOString())' " +
                        path.string());
  ASSERT_EQ(node.status, 0);
  EXPECT_EQ(node.out, "httpstate-cookie-jar 2027-01-16T08:00:00.000Z\n");
}

}  // namespace
}  // namespace httpstate
