#include "httpstate/url/url.hpp"

#include <gtest/gtest.h>

namespace httpstate::url {
namespace {

Url must_parse(std::string_view text) {
  auto r = parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Url{};
}

TEST(Url, PlainUrlGivesSchemeHostPath) {
  Url u = must_parse("https://www.Example.COM:8443/a/b?q=1#frag");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "www.example.com");
  EXPECT_EQ(u.path, "/a/b");
  EXPECT_EQ(u.host_kind, HostKind::name);
}

TEST(Url, EmptyPathIsSlash) {
  EXPECT_EQ(must_parse("http://example.com").path, "/");
  EXPECT_EQ(must_parse("http://example.com?x=/y").path, "/");
}

TEST(Url, SchemeIsLowercased) {
  Url u = must_parse("HTTP://Example.com/");
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "example.com");
}

TEST(Url, DotSegmentsAreRemoved) {
  EXPECT_EQ(must_parse("http://example.com/a/./b/../c").path, "/a/c");
}

TEST(Url, PercentEncodingInPathIsKept) {
  // §5.1.4: paths are compared as sent, not decoded (6265bis dropped percent-decoding).
  EXPECT_EQ(must_parse("http://example.com/a%2Fb/c").path, "/a%2Fb/c");
}

TEST(Url, Ipv4LiteralsAreRecognisedAndNormalised) {
  Url u = must_parse("http://127.1/x");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.host_kind, HostKind::ipv4);
}

TEST(Url, Ipv6LiteralsKeepTheirBrackets) {
  Url u = must_parse("http://[::1]:8080/");
  EXPECT_EQ(u.host, "[::1]");
  EXPECT_EQ(u.host_kind, HostKind::ipv6);
  EXPECT_TRUE(u.is_ip());
}

TEST(Url, IdnHostsBecomePunycode) {
  EXPECT_EQ(must_parse("https://bücher.example/").host, "xn--bcher-kva.example");
  EXPECT_EQ(must_parse("https://BÜCHER.example/").host, "xn--bcher-kva.example");
  EXPECT_EQ(must_parse("https://xn--bcher-kva.example/").host, "xn--bcher-kva.example");
}

TEST(Url, UserinfoIsNotPartOfTheHost) {
  EXPECT_EQ(must_parse("https://user:pw@example.com/p").host, "example.com");
}

TEST(Url, BadInputGetsAReason) {
  EXPECT_EQ(parse("not a url").error(), UrlError::malformed);
  EXPECT_EQ(parse("http://exa mple.com/").error(), UrlError::malformed);
  EXPECT_EQ(parse(std::string_view("http://a\0b.com/", 15)).error(), UrlError::malformed);
  EXPECT_EQ(parse("file:///etc/passwd").error(), UrlError::no_host);
  EXPECT_EQ(parse(std::string(max_url_bytes + 1, 'a')).error(), UrlError::too_long);
  EXPECT_FALSE(to_string(UrlError::bad_idn).empty());
}

TEST(Url, SecureContexts) {
  EXPECT_TRUE(must_parse("https://example.com/").is_secure());
  EXPECT_FALSE(must_parse("http://example.com/").is_secure());
  // Chromium and curl treat loopback as secure.
  EXPECT_TRUE(must_parse("http://localhost:8080/").is_secure());
  EXPECT_TRUE(must_parse("http://app.localhost/").is_secure());
  EXPECT_TRUE(must_parse("http://127.0.0.1/").is_secure());
  EXPECT_TRUE(must_parse("http://[::1]/").is_secure());
  EXPECT_FALSE(must_parse("http://localhost.example.com/").is_secure());
  EXPECT_FALSE(must_parse("http://128.0.0.1/").is_secure());
}

TEST(Url, FastPathAgreesWithCurl) {
  for (const char* text : {"http://example.com", "https://a.b.example.co.uk:443/x/y?z#w",
                           "http://EXAMPLE.com/A/B", "https://x-y.example.org/p?q=1/2"}) {
    auto fast = parse(text);
    auto slow = parse_with_curl(text);
    ASSERT_TRUE(fast.ok() && slow.ok()) << text;
    EXPECT_EQ(fast->scheme, slow->scheme) << text;
    EXPECT_EQ(fast->host, slow->host) << text;
    EXPECT_EQ(fast->path, slow->path) << text;
  }
}

TEST(Url, ParseIntoGivesTheSameAnswerAndReusesTheUrl) {
  Url u;
  for (const char* text : {"https://www.Example.COM:8443/a/b?q=1#frag", "http://example.com", "http://127.0.0.1/x",
                           "http://[::1]:8080/", "https://xn--bcher-kva.example/", "http://example.com/a/./b/../c"}) {
    auto ref = parse(text);
    ASSERT_TRUE(ref.ok()) << text;
    ASSERT_FALSE(parse_into(text, u).has_value()) << text;
    EXPECT_EQ(u.scheme, ref->scheme) << text;
    EXPECT_EQ(u.host, ref->host) << text;
    EXPECT_EQ(u.path, ref->path) << text;
    EXPECT_EQ(u.host_kind, ref->host_kind) << text;
  }
  EXPECT_EQ(parse_into("file:///x", u), UrlError::no_host);
  EXPECT_EQ(parse_into("not a url", u), UrlError::malformed);
}

TEST(Url, ParseViewTakesOnlyWhatParseReturnsAsIs) {
  for (const char* text : {"http://example.com", "https://a.b.example.co.uk:443/x/y?z#w", "http://localhost:8080/p",
                           "https://x-y.example.org/p?q=1/2", "http://app.localhost/"}) {
    UrlView v;
    ASSERT_TRUE(parse_view(text, v)) << text;
    Url u = must_parse(text);
    EXPECT_EQ(v.scheme, u.scheme) << text;
    EXPECT_EQ(v.host, u.host) << text;
    EXPECT_EQ(v.path, u.path) << text;
    EXPECT_EQ(v.host_kind, u.host_kind) << text;
    EXPECT_EQ(v.is_secure(), u.is_secure()) << text;
    EXPECT_TRUE(v.is_http()) << text;
  }
  // Anything to normalise (case, dot segments, IP forms, '%', IDN, userinfo) is parse()'s.
  for (const char* text : {"http://EXAMPLE.com/", "HTTP://example.com/", "http://example.com/a/./b", "http://127.0.0.1/",
                           "http://[::1]/", "http://example.com/%41", "http://bücher.example/", "http://u@example.com/",
                           "ftp://example.com/", "http://example.com./", "http://a..b/", ""}) {
    UrlView v;
    EXPECT_FALSE(parse_view(text, v)) << text;
  }
}

// The fast path reads the URL a block (16 or 8 bytes) at a time: every byte that matters, at
// every offset across the block edges, in the host, the path and the query, against curl.
TEST(Url, FastPathAgreesWithCurlAtEveryBlockOffset) {
  const std::string_view specials[] = {".", "..", "-", "A", "0", "_", "%41", "\\", "/.", "?", "#", ":8080",
                                       " ", "\x7f", "\xc3\xbc", "@", "[", "/"};
  std::size_t accepted = 0, checked = 0;
  for (std::string_view scheme : {"http://", "https://"}) {
    for (std::size_t len = 1; len <= 40; ++len) {
      for (std::string_view special : specials) {
        for (std::size_t part = 0; part < 3; ++part) {  // in the host, the path or the query
          std::string host = "h" + std::string(part == 0 ? len : 6, 'a') + ".example";
          std::string path = "/" + std::string(part == 1 ? len : 3, 'p');
          std::string query = part == 2 ? "?" + std::string(len, 'q') : "";
          std::string& target = part == 0 ? host : part == 1 ? path : query;
          for (std::size_t at = 1; at < target.size(); at += 3) {
            const std::string text = std::string(scheme) + host.substr(0, part == 0 ? at : host.size()) +
                                     (part == 0 ? std::string(special) + host.substr(at) : "") +
                                     (part == 1 ? path.substr(0, at) + std::string(special) + path.substr(at) : path) +
                                     (part == 2 ? query.substr(0, at) + std::string(special) + query.substr(at) : "");
            ++checked;
            UrlView v;
            if (!parse_view(text, v)) continue;
            ++accepted;
            auto ref = parse_with_curl(text);
            ASSERT_TRUE(ref.ok()) << text;
            EXPECT_EQ(v.scheme, ref->scheme) << text;
            EXPECT_EQ(v.host, ref->host) << text;
            EXPECT_EQ(v.path, ref->path) << text;
          }
        }
      }
    }
  }
  EXPECT_GT(accepted, checked / 4);  // the test exercises the fast path, not only curl
}

TEST(Url, UrlViewOfAUrl) {
  Url u = must_parse("http://127.0.0.1/a");
  UrlView v = u;
  EXPECT_EQ(v.host, "127.0.0.1");
  EXPECT_EQ(v.path, "/a");
  EXPECT_TRUE(v.is_ip());
  EXPECT_TRUE(v.is_secure());
}

TEST(DefaultPath, FollowsSection514) {
  EXPECT_EQ(default_path(""), "/");
  EXPECT_EQ(default_path("x"), "/");
  EXPECT_EQ(default_path("/"), "/");
  EXPECT_EQ(default_path("/a"), "/");
  EXPECT_EQ(default_path("/a/"), "/a");
  EXPECT_EQ(default_path("/a/b/c"), "/a/b");
}

}  // namespace
}  // namespace httpstate::url
