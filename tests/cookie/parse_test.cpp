#include "httpstate/cookie/parse.hpp"

#include <gtest/gtest.h>

#include <string>

#include "httpstate/cookie/date.hpp"
#include "httpstate/cookie/limits.hpp"

namespace httpstate {
namespace {

ParsedSetCookie parse_ok(std::string_view line) {
  auto r = parse_set_cookie(line);
  EXPECT_TRUE(r.ok()) << "refused: " << line;
  return r.ok() ? std::move(r).value() : ParsedSetCookie{};
}

ParseError parse_error(std::string_view line) {
  auto r = parse_set_cookie(line);
  EXPECT_FALSE(r.ok()) << "accepted: " << line;
  return r.ok() ? ParseError{} : r.error();
}

TEST(ParseSetCookie, NameAndValue) {
  const auto c = parse_ok("SID=31d4d96e407aad42");
  EXPECT_EQ(c.name, "SID");
  EXPECT_EQ(c.value, "31d4d96e407aad42");
  EXPECT_FALSE(c.expires || c.max_age || c.domain || c.path);
  EXPECT_FALSE(c.secure || c.http_only || c.partitioned);
  EXPECT_EQ(c.same_site, SameSite::unset);
}

TEST(ParseSetCookie, SplitsAtTheFirstEqualsAndKeepsQuotes) {
  const auto c = parse_ok("a=b=c");
  EXPECT_EQ(c.name, "a");
  EXPECT_EQ(c.value, "b=c");
  EXPECT_EQ(parse_ok("q=\"x y\"").value, "\"x y\"");  // 6265bis keeps DQUOTEs in the value
}

TEST(ParseSetCookie, TrimsSpaceAndTabOnly) {
  const auto c = parse_ok(" \t n \t = \t v \t ;\tSecure\t");
  EXPECT_EQ(c.name, "n");
  EXPECT_EQ(c.value, "v");
  EXPECT_TRUE(c.secure);
  EXPECT_EQ(parse_ok("n=\xa0v").value, "\xa0v");  // NBSP is not WSP
}

TEST(ParseSetCookie, NamelessCookies) {
  auto c = parse_ok("foo");  // §5.6 step 3: no '=' -> name "", value is the text
  EXPECT_EQ(c.name, "");
  EXPECT_EQ(c.value, "foo");
  c = parse_ok("=ABC");
  EXPECT_EQ(c.name, "");
  EXPECT_EQ(c.value, "ABC");
  c = parse_ok("===a=bar");
  EXPECT_EQ(c.name, "");
  EXPECT_EQ(c.value, "==a=bar");
  c = parse_ok("\"BLA\\\"HHH\"; path=/;");
  EXPECT_EQ(c.value, "\"BLA\\\"HHH\"");
  EXPECT_EQ(c.path, "/");
  c = parse_ok("name=");
  EXPECT_EQ(c.name, "name");
  EXPECT_EQ(c.value, "");
}

TEST(ParseSetCookie, RefusesEmptyNameAndValue) {
  EXPECT_EQ(parse_error(""), ParseError::empty_name_and_value);
  EXPECT_EQ(parse_error("="), ParseError::empty_name_and_value);
  EXPECT_EQ(parse_error("   "), ParseError::empty_name_and_value);
  EXPECT_EQ(parse_error(" = ; Secure"), ParseError::empty_name_and_value);
  EXPECT_EQ(parse_error("; bar"), ParseError::empty_name_and_value);
}

TEST(ParseSetCookie, RefusesControlCharactersAnywhere) {
  EXPECT_EQ(parse_error(std::string("AAA=BB\0ZYX", 10)), ParseError::control_character);
  EXPECT_EQ(parse_error("AAA=BB\rZYX"), ParseError::control_character);
  EXPECT_EQ(parse_error("AAA=BB\nZYX"), ParseError::control_character);
  EXPECT_EQ(parse_error("AAA=BB\x7fZYX"), ParseError::control_character);
  EXPECT_EQ(parse_error("a=b; Path=/\x01"), ParseError::control_character);  // attributes too
  EXPECT_EQ(parse_ok("a=b\tc").value, "b\tc");  // HTAB is allowed
}

// has_forbidden_ctl against the byte rule, for every byte value and, for the bytes that decide
// (forbidden ones and their neighbours), at every position of lines 0-70 bytes long: the scan
// works in blocks, with a last block that overlaps the one before.
TEST(ParseSetCookie, ForbiddenControlCharactersAtEveryPositionAndLength) {
  auto forbidden = [](unsigned char c) { return (c < 0x20 && c != 0x09) || c == 0x7F; };
  for (int v = 0; v < 256; ++v) {
    const char c = static_cast<char>(v);
    for (std::size_t n : {1u, 15u, 16u, 17u, 33u, 64u}) {
      std::string line(n, 'a');
      line[n / 2] = c;
      EXPECT_EQ(has_forbidden_ctl(line), forbidden(static_cast<unsigned char>(v))) << v << " " << n;
    }
  }
  for (std::size_t n = 0; n <= 70; ++n) {
    EXPECT_FALSE(has_forbidden_ctl(std::string(n, 'a'))) << n;
    for (std::size_t at = 0; at < n; ++at) {
      for (const char c : {'\x00', '\x0a', '\x1f', '\x7f'}) {
        std::string line(n, 'a');
        line[at] = c;
        EXPECT_TRUE(has_forbidden_ctl(line)) << n << " " << at << " " << int(c);
      }
      for (const char c : {'\t', ' ', '\x80', '\xff', '~'}) {
        std::string line(n, 'a');
        line[at] = c;
        EXPECT_FALSE(has_forbidden_ctl(line)) << n << " " << at << " " << int(c);
      }
    }
  }
}

TEST(ParseSetCookie, NameValueLimitIs4096) {
  const std::string name(1000, 'n');
  EXPECT_TRUE(parse_set_cookie(name + "=" + std::string(4096 - 1000, 'v')).ok());
  EXPECT_EQ(parse_error(name + "=" + std::string(4097 - 1000, 'v')), ParseError::name_value_too_long);
  // Trimmed whitespace does not count.
  EXPECT_TRUE(parse_set_cookie("  " + name + "  =  " + std::string(3096, 'v') + "  ").ok());
  EXPECT_EQ(parse_error(std::string(4097, 'x')), ParseError::name_value_too_long);
}

TEST(ParseSetCookie, HostileLinesAreRefusedUpFront) {
  EXPECT_EQ(parse_error(std::string(1 << 20, 'a')), ParseError::line_too_long);
  EXPECT_EQ(parse_error("a" + std::string(21651, '=') + std::string(1, '\0')),
            ParseError::control_character);
  EXPECT_EQ(parse_error("a=b;" + std::string(limits::max_header_bytes, ';')), ParseError::line_too_long);
}

TEST(ParseSetCookie, ManyAttributesStayCheap) {
  // 8000 empty attributes: parsed in one pass, nothing kept.
  const auto c = parse_ok("a=b" + std::string(8000, ';') + "Secure");
  EXPECT_TRUE(c.secure);
}

TEST(ParseSetCookie, AttributeNamesAreCaseInsensitive) {
  const auto c = parse_ok("a=b; sEcUrE; HTTPONLY; pArTiTiOnEd; DOMAIN=x.com; path=/p; MAX-age=5; SAMEsite=sTrIcT");
  EXPECT_TRUE(c.secure);
  EXPECT_TRUE(c.http_only);
  EXPECT_TRUE(c.partitioned);
  EXPECT_EQ(c.domain, "x.com");
  EXPECT_EQ(c.path, "/p");
  EXPECT_EQ(c.max_age, 5);
  EXPECT_EQ(c.same_site, SameSite::strict);
}

TEST(ParseSetCookie, FlagAttributesIgnoreTheirValue) {
  const auto c = parse_ok("a=b; Secure=no; HttpOnly=false");
  EXPECT_TRUE(c.secure);
  EXPECT_TRUE(c.http_only);
  EXPECT_FALSE(parse_ok("a=b; Secure2; xSecure; Http Only").secure);
}

TEST(ParseSetCookie, AttributeValuesOver1024AreIgnored) {
  const std::string ok_domain(1024 - 4, 'd');
  auto c = parse_ok("a=b; Domain=" + ok_domain + ".com");
  EXPECT_EQ(c.domain, ok_domain + ".com");
  c = parse_ok("a=b; Domain=x.com; Domain=" + std::string(1025, 'd'));
  EXPECT_EQ(c.domain, "x.com");  // the long one is ignored, not "the last Domain"
  c = parse_ok("a=b; Secure=" + std::string(1025, 'x'));
  EXPECT_FALSE(c.secure);  // §5.6 step 6 applies to every attribute
  c = parse_ok("a=b; Path=/" + std::string(1024, 'p'));
  EXPECT_FALSE(c.path);
  c = parse_ok("a=b; Max-Age=-" + std::string(1023, '1'));
  EXPECT_LE(*c.max_age, 0);
  c = parse_ok("a=b; Max-Age=-" + std::string(1024, '1'));
  EXPECT_FALSE(c.max_age);
}

TEST(ParseSetCookie, Expires) {
  auto c = parse_ok("a=b; Expires=Wed, 09 Jun 2021 10:18:14 GMT");
  ASSERT_TRUE(c.expires);
  EXPECT_EQ(format_http_date(*c.expires), "Wed, 09 Jun 2021 10:18:14 GMT");
  EXPECT_FALSE(parse_ok("a=b; Expires=garbage").expires);
  EXPECT_FALSE(parse_ok("a=b; Expires=").expires);
  // An unparsable later Expires is ignored; the earlier one stays.
  c = parse_ok("a=b; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Expires=nope");
  EXPECT_TRUE(c.expires);
  c = parse_ok("a=b; expires=Fri, 31 Dec 9999 23:59:59 GMT");
  EXPECT_EQ(format_http_date(*c.expires), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(ParseSetCookie, MaxAgeGrammar) {
  EXPECT_EQ(parse_ok("a=b; Max-Age=0").max_age, 0);
  EXPECT_EQ(parse_ok("a=b; Max-Age=-1").max_age, -1);
  EXPECT_EQ(parse_ok("a=b; Max-Age=0042").max_age, 42);
  EXPECT_EQ(parse_ok("a=b; Max-Age= 42 ").max_age, 42);
  for (const char* bad : {"a=b; Max-Age=", "a=b; Max-Age=+1", "a=b; Max-Age=1.5", "a=b; Max-Age=50,399",
                          "a=b; Max-Age=-", "a=b; Max-Age=--1", "a=b; Max-Age=1 2", "a=b; Max-Age=x1"})
    EXPECT_FALSE(parse_ok(bad).max_age) << bad;
  // An invalid later Max-Age is ignored; the earlier one stays.
  EXPECT_EQ(parse_ok("a=b; Max-Age=7; Max-Age=x").max_age, 7);
  EXPECT_EQ(parse_ok("a=b; Max-Age=7; Max-Age=8").max_age, 8);
}

TEST(ParseSetCookie, MaxAgeClampsTo400Days) {
  const auto cap = limits::max_lifetime.count();
  EXPECT_EQ(parse_ok("a=b; Max-Age=" + std::to_string(cap)).max_age, cap);
  EXPECT_EQ(parse_ok("a=b; Max-Age=" + std::to_string(cap + 1)).max_age, cap);
  EXPECT_EQ(parse_ok("a=b; Max-Age=99999999999999999999999999999999").max_age, cap);
  EXPECT_EQ(parse_ok("a=b; Max-Age=-99999999999999999999999999999999").max_age, -cap);
  EXPECT_EQ(parse_ok("a=b; Max-Age=-0").max_age, 0);
}

TEST(ParseSetCookie, Domain) {
  EXPECT_EQ(parse_ok("a=b; Domain=.Example.COM").domain, "example.com");
  EXPECT_EQ(parse_ok("a=b; Domain=..example.com").domain, ".example.com");  // one dot only
  EXPECT_EQ(parse_ok("a=b; Domain = example.com ").domain, "example.com");
  EXPECT_EQ(parse_ok("a=b; Domain=Ex\xc3\x84mple").domain, "ex\xc3\x84mple");  // ASCII lowercase only
}

// The uppercase check reads words that may overlap: a letter at any position of any length
// is found, and a Domain without one is kept as a view of the line.
TEST(ParseSetCookie, DomainIsLowercasedWhereverItsUppercaseLettersAre) {
  for (std::size_t n = 1; n <= 40; ++n) {
    const std::string lower(n, 'x');
    SetCookieView plain;
    const std::string plain_line = "a=b; Domain=" + lower;
    ASSERT_FALSE(parse_set_cookie(plain_line, plain));
    EXPECT_EQ(*plain.domain, lower);
    EXPECT_TRUE(plain.storage.empty()) << n;  // no copy was needed
    for (std::size_t at = 0; at < n; ++at) {
      for (const char up : {'A', 'Q', 'Z'}) {
        std::string d = lower;
        d[at] = up;
        std::string want = lower;
        want[at] = static_cast<char>(up | 0x20);
        EXPECT_EQ(parse_ok("a=b; Domain=" + d).domain, want) << n << " " << at;
      }
      std::string d = lower;
      d[at] = '@';  // and '[', the bytes either side of the letters, stay as they are
      EXPECT_EQ(parse_ok("a=b; Domain=" + d).domain, d) << n << " " << at;
      d[at] = '[';
      EXPECT_EQ(parse_ok("a=b; Domain=" + d).domain, d) << n << " " << at;
    }
  }
}

TEST(ParseSetCookie, LastDomainWinsAndEmptyMeansNone) {
  EXPECT_EQ(parse_ok("a=b; Domain=a.com; Domain=b.com").domain, "b.com");
  // §5.6.3 / §5.7: the last Domain is empty, so the cookie is host-only.
  EXPECT_FALSE(parse_ok("foo=bar; domain=foo.example.org; domain=").domain);
  EXPECT_FALSE(parse_ok("a=b; Domain=.").domain);
  EXPECT_FALSE(parse_ok("a=b; Domain").domain);
  EXPECT_EQ(parse_ok("a=b; Domain=; Domain=b.com").domain, "b.com");
}

TEST(ParseSetCookie, Path) {
  EXPECT_EQ(parse_ok("a=b; Path=/a/b").path, "/a/b");
  EXPECT_EQ(parse_ok("a=b; Path=/%2F").path, "/%2F");  // never percent-decoded
  EXPECT_FALSE(parse_ok("a=b; Path=a/b").path);
  EXPECT_FALSE(parse_ok("a=b; Path=").path);
  // The last Path attribute decides, even when it means default-path.
  EXPECT_FALSE(parse_ok("a=b; Path=/a; Path=x").path);
  EXPECT_EQ(parse_ok("a=b; Path=x; Path=/a").path, "/a");
}

// §5.6.4: any Path attribute goes into the attribute list (a __Host- cookie needs one), but
// one whose value is over 1024 bytes is ignored (§5.6 step 6) and does not count.
TEST(ParseSetCookie, HasPath) {
  EXPECT_FALSE(parse_ok("a=b").has_path);
  EXPECT_TRUE(parse_ok("a=b; Path=/").has_path);
  EXPECT_TRUE(parse_ok("a=b; path=x").has_path);
  EXPECT_TRUE(parse_ok("a=b; Path").has_path);
  EXPECT_FALSE(parse_ok("a=b; Path=/" + std::string(1024, 'x')).has_path);
  EXPECT_TRUE(parse_ok("a=b; Path=/" + std::string(1023, 'x')).has_path);
}

TEST(ParseSetCookie, SameSite) {
  EXPECT_EQ(parse_ok("a=b; SameSite=None").same_site, SameSite::none);
  EXPECT_EQ(parse_ok("a=b; SameSite=lax").same_site, SameSite::lax);
  EXPECT_EQ(parse_ok("a=b; SameSite=STRICT").same_site, SameSite::strict);
  EXPECT_EQ(parse_ok("a=b; SameSite=bogus").same_site, SameSite::unset);
  EXPECT_EQ(parse_ok("a=b; SameSite=nOnE").same_site, SameSite::none);
  EXPECT_EQ(parse_ok("a=b; SameSite=StRiCt").same_site, SameSite::strict);
  for (const char* other : {"nonf", "laxx", "la", "stric", "\xcc" "ax", "l@x", "strict1"})
    EXPECT_EQ(parse_ok(std::string("a=b; SameSite=") + other).same_site, SameSite::unset) << other;
  EXPECT_EQ(parse_ok("a=b; SameSite").same_site, SameSite::unset);
  EXPECT_EQ(parse_ok("a=b; SameSite=Lax,").same_site, SameSite::unset);
  // §5.6.7: an unknown value appends "Default", which overrides an earlier valid one.
  EXPECT_EQ(parse_ok("a=b; SameSite=Strict; SameSite=bogus").same_site, SameSite::unset);
  EXPECT_EQ(parse_ok("a=b; SameSite=Strict; SameSite=Lax").same_site, SameSite::lax);
}

TEST(ParseSetCookie, ChromiumNastyLine) {
  const auto c = parse_ok("A  = \"b=;\\\"\"  ;secure;;; samesite=none");
  EXPECT_EQ(c.name, "A");
  EXPECT_EQ(c.value, "\"b=");
  EXPECT_TRUE(c.secure);  // the first ';' ended the pair; `\""  ` is an unknown attribute
  EXPECT_EQ(c.same_site, SameSite::none);
}

TEST(ParseSetCookie, UnknownAttributesAndNoiseAreIgnored) {
  const auto c = parse_ok("test=26; domain=.parser.test; ;; ;=; ,,, ===,abc,=; abracadabra! max-age=20;=;;");
  EXPECT_EQ(c.name, "test");
  EXPECT_EQ(c.value, "26");
  EXPECT_EQ(c.domain, "parser.test");
  EXPECT_FALSE(c.max_age);
}

// The view parse sees what the owning one sees, without copying: views into the line, except
// a Domain that had to be lowercased.
TEST(ParseSetCookie, ViewsAgreeWithTheOwningParse) {
  for (std::string_view line : {"a=b; Domain=.Example.COM; Path=/x; Secure; HttpOnly; SameSite=Lax",
                                "sid=1; domain=example.com; Max-Age=60; Partitioned",
                                "=v; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Domain=; Path=rel",
                                "a=b\x01", ""}) {
    SetCookieView v;
    const auto error = parse_set_cookie(line, v);
    const auto owned = parse_set_cookie(line);
    ASSERT_EQ(error.has_value(), !owned.ok()) << line;
    if (error) {
      EXPECT_EQ(*error, owned.error());
      continue;
    }
    EXPECT_EQ(v.name, owned->name);
    EXPECT_EQ(v.value, owned->value);
    EXPECT_EQ(v.domain.has_value(), owned->domain.has_value());
    if (v.domain) {
      EXPECT_EQ(*v.domain, *owned->domain);
    }
    EXPECT_EQ(v.path.has_value(), owned->path.has_value());
    if (v.path) {
      EXPECT_EQ(*v.path, *owned->path);
    }
    EXPECT_EQ(v.expires, owned->expires);
    EXPECT_EQ(v.max_age, owned->max_age);
    EXPECT_EQ(v.secure, owned->secure);
    EXPECT_EQ(v.http_only, owned->http_only);
    EXPECT_EQ(v.partitioned, owned->partitioned);
    EXPECT_EQ(v.same_site, owned->same_site);
    EXPECT_GE(v.name.data(), line.data());
    EXPECT_LE(v.value.data() + v.value.size(), line.data() + line.size());
  }
  SetCookieView lower, upper;
  const std::string_view plain = "a=b; Domain=example.com";
  ASSERT_FALSE(parse_set_cookie(plain, lower));
  EXPECT_EQ(lower.domain->data(), plain.data() + plain.find("example.com"));  // no copy
  ASSERT_FALSE(parse_set_cookie("a=b; Domain=EXAMPLE.com", upper));
  EXPECT_EQ(*upper.domain, "example.com");
  EXPECT_EQ(upper.domain->data(), upper.storage.data());
}

TEST(ParseSetCookie, ReasonsHaveText) {
  for (auto e : {ParseError::control_character, ParseError::empty_name_and_value,
                 ParseError::name_value_too_long, ParseError::line_too_long})
    EXPECT_FALSE(to_string(e).empty());
  EXPECT_NE(to_string(ParseError::control_character), to_string(ParseError::line_too_long));
}

}  // namespace
}  // namespace httpstate
