// The storage model (§5.7), step by step, and retrieval (§5.8.3) of RFC 6265bis.
#include "httpstate/jar/cookie_jar.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "httpstate/cookie/limits.hpp"
#include "jar/jar_test_support.hpp"

namespace httpstate {
namespace {

using namespace std::chrono_literals;
using Outcome = InclusionStatus::Outcome;
using test::JarTest;

using StorageTest = JarTest;
using RetrievalTest = JarTest;
using ApiTest = JarTest;

TEST_F(StorageTest, StoresAndSendsAPlainCookie) {
  auto st = jar_.store("https://example.com/", "a=b");
  EXPECT_TRUE(st.included());
  EXPECT_EQ(st.outcome(), Outcome::stored);
  EXPECT_EQ(st.to_string(), "stored");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=b");
  const Cookie& c = only_cookie();
  EXPECT_EQ(c.domain, "example.com");
  EXPECT_TRUE(c.host_only);
  EXPECT_FALSE(c.persistent());
  EXPECT_EQ(c.creation, now_);
  EXPECT_EQ(c.last_access, now_);
}

TEST_F(StorageTest, RefusesMalformedLinesWithTheParserReason) {
  auto st = jar_.store("https://example.com/", "a=b\x01");
  EXPECT_TRUE(st.has(Exclusion::parse_error));
  EXPECT_EQ(st.parse_error(), ParseError::control_character);
  EXPECT_TRUE(st.to_string().starts_with("rejected: the Set-Cookie line is malformed")) << st.to_string();
  EXPECT_TRUE(jar_.store("https://example.com/", "=").has(Exclusion::parse_error));
  EXPECT_EQ(jar_.size(), 0u);
}

TEST_F(StorageTest, RefusesBadAndNonHttpUrls) {
  EXPECT_TRUE(jar_.store("not a url", "a=b").has(Exclusion::invalid_url));
  EXPECT_TRUE(jar_.store("ftp://example.com/", "a=b").has(Exclusion::non_http_scheme));
  EXPECT_EQ(jar_.size(), 0u);
}

TEST_F(StorageTest, MaxAgeWinsOverExpiresWhicheverComesFirst) {
  jar_.store("https://example.com/", "a=b; Expires=Wed, 01 Jan 2020 00:00:00 GMT; Max-Age=100");
  jar_.store("https://example.com/", "c=d; Max-Age=200; Expires=Wed, 01 Jan 2020 00:00:00 GMT");
  auto all = jar_.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].expires, now_ + 100s);
  EXPECT_EQ(all[1].expires, now_ + 200s);
}

TEST_F(StorageTest, ExpiresIsKeptWhenNoMaxAge) {
  jar_.store("https://example.com/", "a=b; Expires=Mon, 01 Feb 2027 00:00:00 GMT");
  EXPECT_EQ(only_cookie().expires, from_unix_seconds(1801440000));
}

TEST_F(StorageTest, LifetimeIsCappedAt400Days) {
  jar_.store("https://example.com/", "a=b; Max-Age=999999999");
  jar_.store("https://example.com/", "c=d; Expires=Fri, 01 Jan 2100 00:00:00 GMT");
  auto all = jar_.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].expires, now_ + limits::max_lifetime);
  EXPECT_EQ(all[1].expires, now_ + limits::max_lifetime);
}

TEST_F(StorageTest, CookiesExpireWithTheClock) {
  jar_.store("https://example.com/", "a=b; Max-Age=10");
  advance(9s);
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=b");
  advance(1s);
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "");
  EXPECT_EQ(jar_.size(), 0u);
  EXPECT_EQ(jar_.purge_expired(), 1u);
  EXPECT_EQ(jar_.purge_expired(), 0u);
}

// §5.7's last step: a store removes its site's expired cookies, whichever expires first and
// whatever order they came in; purge_expired() then finds nothing left there.
TEST_F(StorageTest, AStoreSweepsItsSitesExpiredCookies) {
  jar_.store("https://example.com/", "late=1; Max-Age=100");
  jar_.store("https://example.com/", "early=1; Max-Age=5");
  jar_.store("https://other.example/", "elsewhere=1; Max-Age=5");
  advance(6s);
  jar_.store("https://example.com/", "now=1");
  EXPECT_EQ(jar_.purge_expired(), 1u);  // only other.example's: example.com's went at the store
  // A replacement with a longer life leaves nothing behind to sweep later.
  jar_.store("https://example.com/", "late=2; Max-Age=1000");
  advance(200s);
  jar_.store("https://example.com/", "now=2");
  EXPECT_EQ(jar_.purge_expired(), 0u);
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "late=2; now=2");
}

TEST_F(StorageTest, DomainAttributeMakesADomainCookie) {
  auto st = jar_.store("https://www.example.com/", "a=b; Domain=.Example.COM");
  EXPECT_TRUE(st.included()) << st.to_string();
  EXPECT_FALSE(only_cookie().host_only);
  EXPECT_EQ(only_cookie().domain, "example.com");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=b");
  EXPECT_EQ(jar_.cookie_header("https://deep.sub.example.com/"), "a=b");
  EXPECT_EQ(jar_.cookie_header("https://notexample.com/"), "");
  // Domain equal to a host below the site: a domain cookie too.
  EXPECT_TRUE(jar_.store("https://www.example.com/", "w=1; Domain=www.example.com").included());
  EXPECT_EQ(jar_.cookie_header("https://a.www.example.com/"), "a=b; w=1");
}

TEST_F(StorageTest, NoDomainAttributeMakesAHostOnlyCookie) {
  jar_.store("https://www.example.com/", "a=b");
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/"), "a=b");
  EXPECT_EQ(jar_.cookie_header("https://sub.www.example.com/"), "");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "");
}

TEST_F(StorageTest, HostOnlyAndDomainCookiesAreDistinctIdentities) {
  jar_.store("https://example.com/", "a=host");
  jar_.store("https://example.com/", "a=domain; Domain=example.com");
  EXPECT_EQ(jar_.size(), 2u);
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=host; a=domain");
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/"), "a=domain");
}

TEST_F(StorageTest, DomainThatDoesNotMatchTheHostIsRejected) {
  auto st = jar_.store("https://www.example.com/", "a=b; Domain=other.com");
  EXPECT_TRUE(st.has(Exclusion::domain_mismatch));
  EXPECT_EQ(st.to_string(), "rejected: Domain=other.com does not match the request host");
  EXPECT_TRUE(jar_.store("https://example.com/", "a=b; Domain=www.example.com").has(Exclusion::domain_mismatch));
  EXPECT_TRUE(jar_.store("https://badexample.com/", "a=b; Domain=example.com").has(Exclusion::domain_mismatch));
  EXPECT_EQ(jar_.size(), 0u);
}

TEST_F(StorageTest, PublicSuffixDomainIsRejected) {
  auto st = jar_.store("https://www.example.co.uk/", "a=b; Domain=co.uk");
  EXPECT_TRUE(st.has(Exclusion::domain_public_suffix));
  EXPECT_EQ(st.to_string(), "rejected: Domain=co.uk is a public suffix");
  EXPECT_TRUE(jar_.store("https://foo.github.io/", "a=b; Domain=github.io").has(Exclusion::domain_public_suffix));
  EXPECT_TRUE(jar_.store("https://example.com/", "a=b; Domain=com").has(Exclusion::domain_public_suffix));
  EXPECT_EQ(jar_.size(), 0u);
}

TEST_F(StorageTest, PublicSuffixEqualToTheHostBecomesHostOnly) {
  auto st = jar_.store("https://github.io/", "a=b; Domain=github.io");
  EXPECT_TRUE(st.included()) << st.to_string();
  EXPECT_TRUE(only_cookie().host_only);
  EXPECT_EQ(jar_.cookie_header("https://github.io/"), "a=b");
  EXPECT_EQ(jar_.cookie_header("https://foo.github.io/"), "");
}

TEST_F(StorageTest, DomainWiderThanTheSiteIsRejected) {
  // s3.amazonaws.com is a public suffix, amazonaws.com is not: the site of
  // bucket.s3.amazonaws.com is the bucket, and Domain=amazonaws.com would reach every bucket.
  auto st = jar_.store("https://bucket.s3.amazonaws.com/", "a=b; Domain=amazonaws.com");
  EXPECT_TRUE(st.has(Exclusion::domain_above_site)) << st.to_string();
  EXPECT_EQ(st.to_string(), "rejected: Domain=amazonaws.com is wider than the host's registrable domain");
  EXPECT_TRUE(jar_.store("https://bucket.s3.amazonaws.com/", "a=b; Domain=s3.amazonaws.com")
                  .has(Exclusion::domain_public_suffix));
  EXPECT_TRUE(jar_.store("https://bucket.s3.amazonaws.com/", "a=b; Domain=bucket.s3.amazonaws.com").included());
  EXPECT_EQ(jar_.cookie_header("https://other.s3.amazonaws.com/"), "");
}

TEST_F(StorageTest, NonAsciiDomainAttributeIsRejected) {
  auto st = jar_.store("https://www.xn--bcher-kva.example/", "a=b; Domain=b\xc3\xbc" "cher.example");
  EXPECT_TRUE(st.has(Exclusion::domain_non_ascii)) << st.to_string();
}

TEST_F(StorageTest, IdnHostsAreStoredAsPunycode) {
  auto st = jar_.store("https://www.b\xc3\xbc" "cher.example/", "a=b; Domain=xn--bcher-kva.example");
  EXPECT_TRUE(st.included()) << st.to_string();
  EXPECT_EQ(only_cookie().domain, "xn--bcher-kva.example");
  EXPECT_EQ(jar_.cookie_header("https://shop.xn--bcher-kva.example/"), "a=b");
  EXPECT_EQ(jar_.cookie_header("https://B\xc3\x9c" "CHER.example/"), "a=b");
  jar_.store("https://\xc3\xa9" "t\xc3\xa9.example/", "h=1");
  EXPECT_EQ(jar_.cookie_header("https://xn--t-9fab.example/"), "h=1");
}

TEST_F(StorageTest, IpHostsTakeNoDomainButTheirOwn) {
  EXPECT_TRUE(jar_.store("http://192.168.0.1/", "a=b").included());
  auto st = jar_.store("http://192.168.0.1/", "c=d; Domain=192.168.0.1");
  EXPECT_TRUE(st.included()) << st.to_string();
  EXPECT_TRUE(jar_.store("http://192.168.0.1/", "e=f; Domain=168.0.1").has(Exclusion::domain_ip_literal));
  EXPECT_TRUE(jar_.store("http://192.168.0.1/", "e=f; Domain=0.1").has(Exclusion::domain_ip_literal));
  EXPECT_EQ(jar_.cookie_header("http://192.168.0.1:8080/x"), "a=b; c=d");
  EXPECT_EQ(jar_.cookie_header("http://10.192.168.0.1/"), "");
  for (const Cookie& c : jar_.all()) EXPECT_TRUE(c.host_only) << c.name;
}

TEST_F(StorageTest, Ipv6HostsWork) {
  EXPECT_TRUE(jar_.store("http://[2001:db8::1]:8080/", "a=b").included());
  EXPECT_EQ(jar_.cookie_header("http://[2001:db8::1]/"), "a=b");
  EXPECT_EQ(jar_.cookie_header("http://[2001:db8::2]/"), "");
  EXPECT_TRUE(jar_.store("http://[2001:db8::1]/", "c=d; Domain=db8::1").has(Exclusion::domain_ip_literal));
}

TEST_F(StorageTest, DefaultPathIsTheRequestDirectory) {
  jar_.store("https://example.com/a/b/c?q=/x/y", "a=1");
  jar_.store("https://example.com/top", "b=2");
  jar_.store("https://example.com/a/b/c", "c=3; Path=relative");
  jar_.store("https://example.com/a/b/c", "d=4; Path=/elsewhere");
  auto all = jar_.all();
  ASSERT_EQ(all.size(), 4u);
  std::map<std::string, std::string> paths;
  for (auto& c : all) paths[c.name] = c.path;
  EXPECT_EQ(paths["a"], "/a/b");
  EXPECT_EQ(paths["b"], "/");
  EXPECT_EQ(paths["c"], "/a/b");
  EXPECT_EQ(paths["d"], "/elsewhere");
}

TEST_F(StorageTest, SecureIsRefusedFromInsecureOrigins) {
  auto st = jar_.store("http://example.com/", "a=b; Secure");
  EXPECT_TRUE(st.has(Exclusion::secure_from_insecure));
  EXPECT_EQ(st.to_string(), "rejected: a Secure cookie from an insecure origin");
  EXPECT_TRUE(jar_.store("https://example.com/", "a=b; Secure").included());
}

TEST_F(StorageTest, LoopbackCountsAsSecure) {
  EXPECT_TRUE(jar_.store("http://localhost:8080/", "a=b; Secure").included());
  EXPECT_TRUE(jar_.store("http://127.0.0.1:8080/", "a=b; Secure").included());
  EXPECT_TRUE(jar_.store("http://[::1]:8080/", "a=b; Secure").included());
  EXPECT_EQ(jar_.cookie_header("http://localhost/"), "a=b");
  EXPECT_EQ(jar_.cookie_header("http://127.0.0.1/"), "a=b");
}

TEST_F(StorageTest, InsecureOriginsLeaveSecureCookiesAlone) {
  ASSERT_TRUE(jar_.store("https://example.com/", "a=secure; Secure").included());
  auto st = jar_.store("http://example.com/", "a=plain");
  EXPECT_TRUE(st.has(Exclusion::overwrite_secure));
  // A deeper path would shadow it too; a domain cookie over the host's one as well.
  EXPECT_TRUE(jar_.store("http://example.com/sub/x", "a=plain; Path=/sub").has(Exclusion::overwrite_secure));
  EXPECT_TRUE(jar_.store("http://www.example.com/", "a=plain; Domain=example.com").has(Exclusion::overwrite_secure));
  // Other names, or a secure origin, are fine.
  EXPECT_TRUE(jar_.store("http://example.com/", "b=plain").included());
  EXPECT_TRUE(jar_.store("https://example.com/", "a=plain").included());
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=plain; b=plain");
}

TEST_F(StorageTest, HttpOnlyCannotBeSetThroughANonHttpApi) {
  StoreOptions script{.http_api = false};
  auto st = jar_.store("https://example.com/", "a=b; HttpOnly", script);
  EXPECT_TRUE(st.has(Exclusion::http_only_from_non_http));
  EXPECT_TRUE(jar_.store("https://example.com/", "a=b; HttpOnly").included());
  EXPECT_TRUE(jar_.store("https://example.com/", "a=c", script).has(Exclusion::overwrite_http_only));
  EXPECT_TRUE(jar_.store("https://example.com/", "z=c", script).included());
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=b; z=c");
  EXPECT_EQ(jar_.cookie_header("https://example.com/", {.http_api = false}), "z=c");
}

TEST_F(StorageTest, SameSiteNoneRequiresSecure) {
  auto st = jar_.store("https://example.com/", "a=b; SameSite=None");
  EXPECT_TRUE(st.has(Exclusion::samesite_none_insecure));
  EXPECT_TRUE(jar_.store("https://example.com/", "a=b; SameSite=None; Secure").included());
  EXPECT_EQ(only_cookie().same_site, SameSite::none);
}

TEST_F(StorageTest, CrossSiteResponsesMaySetOnlySameSiteNone) {
  StoreOptions cross{.context = SameSiteContext::cross_site};
  EXPECT_TRUE(jar_.store("https://example.com/", "a=1; SameSite=Lax", cross).has(Exclusion::samesite_cross_site));
  EXPECT_TRUE(jar_.store("https://example.com/", "a=1; SameSite=Strict", cross).has(Exclusion::samesite_cross_site));
  EXPECT_TRUE(jar_.store("https://example.com/", "a=1", cross).has(Exclusion::samesite_cross_site));
  EXPECT_TRUE(jar_.store("https://example.com/", "n=1; SameSite=None; Secure", cross).included());
  StoreOptions nav{.context = SameSiteContext::lax_top_level};
  EXPECT_TRUE(jar_.store("https://example.com/", "s=1; SameSite=Strict", nav).included());
  EXPECT_EQ(jar_.size(), 2u);
}

TEST_F(StorageTest, SecurePrefixNeedsSecureInAnyCase) {
  EXPECT_TRUE(jar_.store("https://example.com/", "__Secure-a=b").has(Exclusion::invalid_secure_prefix));
  EXPECT_TRUE(jar_.store("https://example.com/", "__SECURE-a=b").has(Exclusion::invalid_secure_prefix));
  EXPECT_TRUE(jar_.store("https://example.com/", "__secure-a=b").has(Exclusion::invalid_secure_prefix));
  EXPECT_TRUE(jar_.store("https://example.com/", "__Secure-a=b; Secure; Domain=example.com").included());
  EXPECT_EQ(jar_.size(), 1u);
}

TEST_F(StorageTest, HostPrefixNeedsSecureHostOnlyAndRootPath) {
  EXPECT_TRUE(jar_.store("https://example.com/", "__Host-a=b; Secure; Path=/").included());
  EXPECT_TRUE(jar_.store("https://example.com/", "__Host-b=b; Path=/").has(Exclusion::invalid_host_prefix));
  EXPECT_TRUE(jar_.store("https://www.example.com/", "__host-c=b; Secure; Path=/; Domain=example.com")
                  .has(Exclusion::invalid_host_prefix));
  EXPECT_TRUE(jar_.store("https://example.com/", "__HOST-d=b; Secure; Path=/x").has(Exclusion::invalid_host_prefix));
  // No Path attribute: the default-path of /dir/page is /dir, not /.
  EXPECT_TRUE(jar_.store("https://example.com/dir/page", "__Host-e=b; Secure").has(Exclusion::invalid_host_prefix));
  EXPECT_EQ(jar_.size(), 1u);
}

// §5.7 step 21: the attribute list must contain a Path attribute; a default-path of "/" does
// not count, nor does a Path attribute over 1024 bytes, which the parser ignored (§5.6).
TEST_F(StorageTest, HostPrefixNeedsAnExplicitPathAttribute) {
  EXPECT_TRUE(jar_.store("https://example.com/page", "__Host-f=b; Secure").has(Exclusion::invalid_host_prefix));
  EXPECT_TRUE(jar_.store("https://example.com/", "__Host-g=b; Secure").has(Exclusion::invalid_host_prefix));
  const std::string long_path = "/" + std::string(1024, 'p');
  EXPECT_TRUE(jar_.store("https://example.com/", "__Host-h=b; Secure; Path=" + long_path)
                  .has(Exclusion::invalid_host_prefix));
  // The long one is ignored, so the last Path that counts is the first.
  EXPECT_TRUE(jar_.store("https://example.com/", "__Host-i=b; Secure; Path=/; Path=" + long_path).included());
  EXPECT_TRUE(jar_.store("https://example.com/", "__hOsT-j=b; Secure; pAtH=/").included());
  EXPECT_EQ(jar_.store("https://example.com/", "__Host-k=b; Secure").to_string(),
            "rejected: a __Host- cookie needs Secure, no Domain and an explicit Path=/");
  EXPECT_EQ(jar_.size(), 2u);
}

TEST_F(StorageTest, NamelessCookieMayNotLookLikeAPrefixedOne) {
  EXPECT_TRUE(jar_.store("https://example.com/", "=__Secure-a=b; Secure").has(Exclusion::nameless_prefix_value));
  EXPECT_TRUE(jar_.store("https://example.com/", "__host-a; Secure; Path=/").has(Exclusion::nameless_prefix_value));
  EXPECT_TRUE(jar_.store("https://example.com/", "plain").included());
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "plain");
}

TEST_F(StorageTest, ReplacedCookieKeepsItsCreationTimeAndPlace) {
  jar_.store("https://example.com/", "a=1");
  const Time created = now_;
  advance(1s);
  jar_.store("https://example.com/", "b=1");
  advance(1s);
  auto st = jar_.store("https://example.com/", "a=2");
  EXPECT_EQ(st.outcome(), Outcome::replaced);
  EXPECT_EQ(st.to_string(), "replaced");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=2; b=1");
  auto all = jar_.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_EQ(all[0].creation, created);
  EXPECT_EQ(all[0].last_access, now_);
}

TEST_F(StorageTest, ExpiredOnArrivalDeletesTheMatchingCookie) {
  jar_.store("https://example.com/", "a=1");
  jar_.store("https://example.com/", "b=1");
  auto st = jar_.store("https://example.com/", "a=gone; Max-Age=0");
  EXPECT_TRUE(st.has(Exclusion::expired_on_arrival));
  EXPECT_EQ(st.outcome(), Outcome::deleted);
  EXPECT_EQ(st.to_string(), "rejected: already expired (deleted the cookie it replaces)");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "b=1");
  auto past = jar_.store("https://example.com/", "b=gone; Expires=Thu, 01 Jan 1970 00:00:01 GMT");
  EXPECT_EQ(past.outcome(), Outcome::deleted);
  EXPECT_EQ(jar_.size(), 0u);
  auto nothing = jar_.store("https://example.com/", "c=1; Max-Age=-5");
  EXPECT_EQ(nothing.outcome(), Outcome::none);
  EXPECT_EQ(nothing.to_string(), "rejected: already expired");
}

TEST_F(StorageTest, ExpiredCookieOnlyDeletesItsOwnIdentity) {
  jar_.store("https://example.com/a/b", "a=1; Path=/a");
  jar_.store("https://example.com/", "a=gone; Max-Age=0");
  EXPECT_EQ(jar_.size(), 1u);
}

TEST_F(StorageTest, CreationTimesStrictlyIncreaseOnAFrozenClock) {
  for (int i = 0; i < 5; ++i) jar_.store("https://example.com/", "c" + std::to_string(i) + "=v");
  auto all = jar_.all();
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].creation, all[i].creation);
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "c0=v; c1=v; c2=v; c3=v; c4=v");
}

TEST_F(StorageTest, PartitionedIsStored) {
  jar_.store("https://example.com/", "a=b; Secure; Partitioned");
  EXPECT_TRUE(only_cookie().partitioned);
}

// CHIPS: a partitioned cookie must be Secure, as Chromium refuses it otherwise.
TEST_F(StorageTest, PartitionedNeedsSecure) {
  auto st = jar_.store("https://example.com/", "p=1; Partitioned");
  EXPECT_TRUE(st.has(Exclusion::partitioned_insecure));
  EXPECT_EQ(st.to_string(), "rejected: a Partitioned cookie without Secure");
  EXPECT_TRUE(jar_.store("http://localhost/", "p=1; partitioned").has(Exclusion::partitioned_insecure));
  EXPECT_EQ(jar_.size(), 0u);
}

TEST(PartitionKey, IsTheSchemefulSiteOfTheTopLevelUrl) {
  EXPECT_EQ(partition_key_for("https://www.Example.co.uk/a/b?q"), "https://example.co.uk");
  EXPECT_EQ(partition_key_for("http://localhost:8080/"), "http://localhost");
  EXPECT_EQ(partition_key_for("https://user.github.io/x"), "https://user.github.io");
  EXPECT_EQ(partition_key_for("https://127.0.0.1/"), "https://127.0.0.1");
  EXPECT_FALSE(partition_key_for("example.com"));
  EXPECT_FALSE(partition_key_for("ftp://example.com/"));
}

// CHIPS: a partitioned cookie is keyed by the top-level site it was set under and goes only
// under that top-level site; without one, the request's own site is the top-level site.
TEST_F(StorageTest, PartitionedCookiesAreKeptApartByTopLevelSite) {
  StoreOptions under_a{.top_level_site = "https://a.example/page"};
  StoreOptions under_b{.top_level_site = "https://www.b.example/"};
  EXPECT_TRUE(jar_.store("https://embed.example/", "p=a; Secure; Partitioned", under_a).included());
  EXPECT_TRUE(jar_.store("https://embed.example/", "p=b; Secure; Partitioned", under_b).included());
  EXPECT_TRUE(jar_.store("https://embed.example/", "u=1; Secure; SameSite=None").included());
  EXPECT_EQ(jar_.size(), 3u);  // two partitions, so no replacement

  LookupOptions in_a{.top_level_site = "https://sub.a.example/"};
  LookupOptions in_b{.top_level_site = "https://b.example/x"};
  EXPECT_EQ(jar_.cookie_header("https://embed.example/", in_a), "p=a; u=1");
  EXPECT_EQ(jar_.cookie_header("https://embed.example/", in_b), "p=b; u=1");
  // Its own site (the default): neither partition.
  EXPECT_EQ(jar_.cookie_header("https://embed.example/"), "u=1");
  EXPECT_EQ(jar_.cookie_header("https://embed.example/", {.top_level_site = "https://c.example/"}), "u=1");
  EXPECT_EQ(jar_.cookie_header("https://embed.example/", {.top_level_site = "not a url"}), "u=1");

  auto cookies = jar_.cookies_for("https://embed.example/", in_b);
  ASSERT_EQ(cookies.size(), 2u);
  EXPECT_EQ(cookies[0].partition_key, "https://b.example");
  EXPECT_TRUE(cookies[0].partitioned);
  EXPECT_EQ(cookies[1].partition_key, "");
  EXPECT_FALSE(cookies[1].partitioned);
}

TEST_F(StorageTest, PartitionedCookieWithoutTopLevelSiteIsInItsOwnSite) {
  EXPECT_TRUE(jar_.store("https://www.example.com/", "p=1; Secure; Partitioned").included());
  EXPECT_EQ(only_cookie().partition_key, "https://example.com");
  EXPECT_EQ(jar_.cookie_header("https://api.example.com/"), "");  // host-only
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/"), "p=1");
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/", {.top_level_site = "https://example.com"}), "p=1");
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/", {.top_level_site = "https://other.com"}), "");
  // A replacement in the same partition replaces; Max-Age=0 deletes it there only.
  EXPECT_EQ(jar_.store("https://www.example.com/", "p=2; Secure; Partitioned").outcome(), Outcome::replaced);
  jar_.store("https://www.example.com/", "p=x; Secure; Partitioned", {.top_level_site = "https://other.com"});
  EXPECT_EQ(jar_.size(), 2u);
  EXPECT_EQ(jar_.store("https://www.example.com/", "p=; Secure; Partitioned; Max-Age=0").outcome(), Outcome::deleted);
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/", {.top_level_site = "https://other.com"}), "p=x");
  EXPECT_EQ(jar_.size(), 1u);
}

TEST_F(StorageTest, UnpartitionedCookiesIgnoreTheTopLevelSite) {
  EXPECT_TRUE(jar_.store("https://example.com/", "a=1", {.top_level_site = "https://other.com/"}).included());
  EXPECT_EQ(only_cookie().partition_key, "");
  EXPECT_EQ(jar_.cookie_header("https://example.com/", {.top_level_site = "https://third.com/"}), "a=1");
  // An unparsable top-level site refuses only a partitioned cookie.
  EXPECT_TRUE(jar_.store("https://example.com/", "b=1", {.top_level_site = "nope"}).included());
  auto st = jar_.store("https://example.com/", "p=1; Secure; Partitioned", {.top_level_site = "nope"});
  EXPECT_TRUE(st.has(Exclusion::invalid_top_level_site));
  EXPECT_EQ(st.to_string(), "rejected: the top-level site is not an http or https URL");
}

// §5.8.3 step 2 across partitions: one order for the partitioned and the unpartitioned.
TEST_F(StorageTest, PartitionedAndUnpartitionedShareOneOrder) {
  jar_.store("https://example.com/", "a=1");
  jar_.store("https://example.com/", "p=1; Secure; Partitioned; Path=/x");
  jar_.store("https://example.com/x", "b=1; Path=/x");
  jar_.store("https://example.com/", "q=1; Secure; Partitioned");
  EXPECT_EQ(jar_.cookie_header("https://example.com/x/y"), "p=1; b=1; a=1; q=1");
}

TEST_F(StorageTest, InsertNormalisesThePartitionKey) {
  Cookie c;
  c.name = "p";
  c.value = "1";
  c.domain = "www.example.com";
  c.path = "/";
  c.secure = true;
  c.partitioned = true;  // an old file: no key
  ASSERT_TRUE(jar_.insert(c));
  EXPECT_EQ(only_cookie().partition_key, "https://example.com");
  c.name = "q";
  c.partition_key = "https://WWW.Top.example/page";
  c.partitioned = false;  // the key says it is partitioned
  ASSERT_TRUE(jar_.insert(c));
  c.name = "r";
  c.partition_key = "bogus\r\nCookie: x";
  EXPECT_FALSE(jar_.insert(c));
  auto all = jar_.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].partition_key, "https://top.example");
  EXPECT_TRUE(all[1].partitioned);
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/", {.top_level_site = "https://top.example"}), "q=1");
  // remove() finds a cookie in any partition.
  EXPECT_TRUE(jar_.remove("q", "www.example.com", "/"));
  EXPECT_EQ(jar_.size(), 1u);
}

TEST_F(RetrievalTest, PathMatching) {
  jar_.store("https://example.com/foo/x", "a=b; Path=/foo");
  EXPECT_EQ(jar_.cookie_header("https://example.com/foo"), "a=b");
  EXPECT_EQ(jar_.cookie_header("https://example.com/foo/"), "a=b");
  EXPECT_EQ(jar_.cookie_header("https://example.com/foo/bar?x=1#f"), "a=b");
  EXPECT_EQ(jar_.cookie_header("https://example.com/foobar"), "");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "");
  EXPECT_EQ(jar_.cookie_header("https://example.com/FOO"), "");
  jar_.store("https://example.com/", "s=1; Path=/dir/");
  EXPECT_EQ(jar_.cookie_header("https://example.com/dir/x"), "s=1");
  EXPECT_EQ(jar_.cookie_header("https://example.com/dir"), "");
}

TEST_F(RetrievalTest, SecureCookiesOnlyGoOverSecureConnections) {
  jar_.store("https://example.com/", "s=1; Secure");
  jar_.store("https://example.com/", "p=1");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "s=1; p=1");
  EXPECT_EQ(jar_.cookie_header("http://example.com/"), "p=1");
  std::vector<std::pair<Cookie, InclusionStatus>> excluded;
  jar_.cookies_for("http://example.com/", {}, &excluded);
  ASSERT_EQ(excluded.size(), 1u);
  EXPECT_TRUE(excluded[0].second.has(Exclusion::secure_only));
  EXPECT_EQ(excluded[0].second.to_string(), "not sent: a Secure cookie on an insecure request");
}

TEST_F(RetrievalTest, LongerPathsFirstThenEarlierCreation) {
  jar_.store("https://example.com/", "a=1; Path=/");
  jar_.store("https://example.com/", "b=2; Path=/x/y");
  jar_.store("https://example.com/", "c=3; Path=/x");
  jar_.store("https://example.com/", "d=4; Path=/x/y");
  jar_.store("https://example.com/", "e=5; Path=/");
  EXPECT_EQ(jar_.cookie_header("https://example.com/x/y/z"), "b=2; d=4; c=3; a=1; e=5");
}

TEST_F(RetrievalTest, NamelessCookiesSerializeAsTheirValue) {
  jar_.store("https://example.com/", "a=1");
  jar_.store("https://example.com/", "=lonely");
  jar_.store("https://example.com/", "empty=");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=1; lonely; empty=");
}

TEST_F(RetrievalTest, SameSiteContexts) {
  jar_.store("https://example.com/", "s=1; SameSite=Strict");
  jar_.store("https://example.com/", "l=1; SameSite=Lax");
  jar_.store("https://example.com/", "u=1");
  jar_.store("https://example.com/", "n=1; SameSite=None; Secure");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "s=1; l=1; u=1; n=1");
  EXPECT_EQ(jar_.cookie_header("https://example.com/", {.context = SameSiteContext::same_site}), "s=1; l=1; u=1; n=1");
  EXPECT_EQ(jar_.cookie_header("https://example.com/", {.context = SameSiteContext::lax_top_level}), "l=1; u=1; n=1");
  EXPECT_EQ(jar_.cookie_header("https://example.com/", {.context = SameSiteContext::cross_site}), "n=1");

  std::vector<std::pair<Cookie, InclusionStatus>> excluded;
  auto sent = jar_.cookies_for("https://example.com/", {.context = SameSiteContext::cross_site}, &excluded);
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(excluded.size(), 3u);
  EXPECT_TRUE(excluded[0].second.has(Exclusion::same_site_strict));
  EXPECT_TRUE(excluded[1].second.has(Exclusion::same_site_lax));
  EXPECT_TRUE(excluded[2].second.has(Exclusion::same_site_lax));
}

TEST_F(RetrievalTest, LookupUpdatesLastAccessUnlessAskedNotTo) {
  jar_.store("https://example.com/", "a=1");
  advance(5s);
  jar_.cookie_header("https://example.com/", {.update_access_time = false});
  EXPECT_EQ(only_cookie().last_access, now_ - 5s);
  jar_.cookie_header("https://example.com/");
  EXPECT_EQ(only_cookie().last_access, now_);
  advance(5s);
  auto sent = jar_.cookies_for("https://example.com/");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].last_access, now_);
}

TEST_F(RetrievalTest, ExcludedCookiesOfTheSiteComeWithReasons) {
  jar_.store("https://www.example.com/", "host=1");
  jar_.store("https://example.com/app/x", "deep=1");
  jar_.store("https://example.com/", "h=1; HttpOnly");
  std::vector<std::pair<Cookie, InclusionStatus>> excluded;
  auto sent = jar_.cookies_for("https://example.com/", {.http_api = false}, &excluded);
  EXPECT_TRUE(sent.empty());
  ASSERT_EQ(excluded.size(), 3u);
  std::map<std::string, InclusionStatus> why;
  for (auto& [c, st] : excluded) why[c.name] = st;
  EXPECT_TRUE(why["host"].has(Exclusion::domain_not_matched));
  EXPECT_TRUE(why["deep"].has(Exclusion::path_not_matched));
  EXPECT_TRUE(why["h"].has(Exclusion::http_only));
}

TEST_F(RetrievalTest, PortsAndSchemesShareCookies) {
  jar_.store("http://example.com:8080/", "a=1");
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=1");
  EXPECT_EQ(jar_.cookie_header("ftp://example.com/"), "");
  EXPECT_EQ(jar_.cookie_header("garbage"), "");
}

TEST_F(ApiTest, AppendCookieHeaderAddsTheSameBytesToABuffer) {
  jar_.store("https://example.com/", "a=b");
  jar_.store("https://example.com/", "c=d; Path=/x");
  std::string buffer = "Cookie: ";
  EXPECT_EQ(jar_.append_cookie_header("https://example.com/x", buffer), 8u);
  EXPECT_EQ(buffer, "Cookie: c=d; a=b");
  EXPECT_EQ(jar_.append_cookie_header("https://other.example/", buffer), 0u);
  EXPECT_EQ(jar_.append_cookie_header("not a url", buffer), 0u);
  EXPECT_EQ(buffer, "Cookie: c=d; a=b");
  EXPECT_EQ(buffer.substr(8), jar_.cookie_header("https://example.com/x"));
}

TEST_F(ApiTest, ListRemoveAndClear) {
  jar_.store("https://a.example.com/", "x=1; Domain=example.com");
  jar_.store("https://a.example.com/", "y=1; Max-Age=100");
  jar_.store("https://b.example.com/", "z=1");
  jar_.store("https://other.org/", "w=1");
  EXPECT_EQ(jar_.size(), 4u);
  auto all = jar_.all();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].domain, "a.example.com");
  EXPECT_EQ(all[3].domain, "other.org");

  EXPECT_FALSE(jar_.remove("x", "a.example.com", "/"));
  EXPECT_TRUE(jar_.remove("x", "example.com", "/"));
  EXPECT_EQ(jar_.size(), 3u);
  EXPECT_EQ(jar_.clear_session_cookies(), 2u);
  EXPECT_EQ(jar_.size(), 1u);
  jar_.store("https://b.example.com/", "z=1");
  EXPECT_EQ(jar_.clear_domain("example.com"), 2u);
  EXPECT_EQ(jar_.size(), 0u);
  jar_.store("https://b.example.com/", "z=1");
  jar_.store("https://other.org/", "w=1");
  EXPECT_EQ(jar_.remove_if([](const Cookie& c) { return c.name == "w"; }), 1u);
  EXPECT_EQ(jar_.clear(), 1u);
  EXPECT_EQ(jar_.size(), 0u);
  EXPECT_EQ(jar_.cookie_header("https://b.example.com/"), "");
}

TEST_F(ApiTest, InsertKeepsTheCookieAsItWas) {
  Cookie c;
  c.name = "loaded";
  c.value = "1";
  c.domain = "example.com";
  c.host_only = false;
  c.path = "/";
  c.secure = true;
  c.creation = now_ + 10s;  // a later creation than anything stored from now
  c.last_access = now_ - 10s;
  EXPECT_TRUE(jar_.insert(c));
  jar_.store("https://www.example.com/", "fresh=1");
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/", {.update_access_time = false}), "loaded=1; fresh=1");
  auto all = jar_.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].creation, now_ + 10s);
  EXPECT_EQ(all[0].last_access, now_ - 10s);
  EXPECT_GT(all[1].creation, all[0].creation);

  c.value = "2";
  jar_.insert(c);
  EXPECT_EQ(jar_.size(), 2u);
  Cookie old = c;
  old.name = "old";
  old.expires = now_ - 1s;
  EXPECT_FALSE(jar_.insert(old));
  EXPECT_EQ(jar_.size(), 2u);
}

TEST_F(ApiTest, InsertRefusesWhatNoParserCouldProduce) {
  Cookie c;
  c.name = "a";
  c.value = "1\r\nX-Injected: yes";
  c.domain = "example.com";
  c.path = "/";
  EXPECT_FALSE(jar_.insert(c));
  c.value = "1; admin=1";
  EXPECT_FALSE(jar_.insert(c));
  c.value = "1";
  c.name = "a=b";
  EXPECT_FALSE(jar_.insert(c));
  c.name = "a";
  c.path = "relative";
  EXPECT_FALSE(jar_.insert(c));
  c.path = "/";
  c.domain = "";
  EXPECT_FALSE(jar_.insert(c));
  c.domain = "example.com";
  c.value = std::string(limits::max_name_value_bytes, 'v');
  EXPECT_FALSE(jar_.insert(c));
  c.value = "tab\tinside";
  EXPECT_TRUE(jar_.insert(c));
  EXPECT_EQ(jar_.cookie_header("https://example.com/"), "a=tab\tinside");
}

TEST_F(ApiTest, LoadedCookiesOfAParentSiteMergeInRetrievalOrder) {
  // A file may hold a domain cookie on a public suffix (no §5.7 on load): it lives under its
  // own key, and a lookup of a host below it merges both sites in §5.8.3 order.
  jar_.store("https://a.github.io/", "x=1");
  Cookie c;
  c.name = "y";
  c.value = "1";
  c.domain = "github.io";
  c.host_only = false;
  c.path = "/";
  c.creation = now_ - 1s;
  ASSERT_TRUE(jar_.insert(c));
  c.name = "z";
  c.path = "/deep";
  c.creation = now_ + 1s;
  ASSERT_TRUE(jar_.insert(c));
  EXPECT_EQ(jar_.cookie_header("https://a.github.io/deep/x"), "z=1; y=1; x=1");
  EXPECT_EQ(jar_.cookie_header("https://a.github.io/"), "y=1; x=1");
  EXPECT_EQ(jar_.cookie_header("https://b.github.io/"), "y=1");
  EXPECT_TRUE(jar_.remove("y", "github.io", "/"));
  EXPECT_EQ(jar_.cookie_header("https://a.github.io/"), "x=1");
}

TEST_F(ApiTest, ClockIsTheJars) {
  EXPECT_EQ(jar_.now(), now_);
  CookieJar real;
  // Real time, read from the coarse clock: within its few milliseconds of the precise one.
  const auto precise = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  EXPECT_LT(std::chrono::abs(real.now() - precise), 1s);
}

// A store that records what the jar tells it, as persist/ would write it through.
struct RecordingStore : PersistentStore {
  std::vector<std::string> events;
  void on_add(const Cookie& c) override { events.push_back("add " + c.name + "=" + c.value); }
  void on_remove(const Cookie& c) override { events.push_back("remove " + c.name + "=" + c.value); }
  void on_access(const Cookie& c) override { events.push_back("access " + c.name); }
};

TEST_F(ApiTest, PersistentStoreSeesEveryChange) {
  RecordingStore rec;
  jar_.set_persistent_store(&rec);
  jar_.store("https://example.com/", "a=1");
  jar_.store("https://example.com/", "a=2");
  jar_.store("https://example.com/", "b=1; Max-Age=5");
  jar_.cookie_header("https://example.com/");
  jar_.store("https://example.com/", "a=x; Max-Age=0");
  advance(6s);
  jar_.purge_expired();
  jar_.store("https://example.com/", "c=1");
  jar_.clear();
  jar_.set_persistent_store(nullptr);
  jar_.store("https://example.com/", "d=1");
  std::vector<std::string> want = {"add a=1",    "add a=2",    "add b=1", "access a", "access b",
                                   "remove a=2", "remove b=1", "add c=1", "remove c=1"};
  EXPECT_EQ(rec.events, want);
}

}  // namespace
}  // namespace httpstate

namespace httpstate {
namespace {

class UpdateTest : public test::JarTest {};

TEST_F(UpdateTest, PairsAreHostOnlyCookiesWithTheDefaultPath) {
  std::vector<std::pair<std::string, std::string>> pairs{{"a", "1"}, {"b", "2"}};
  auto statuses = jar_.update("https://www.example.com/app/page", pairs);
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_TRUE(statuses[0].included());
  EXPECT_TRUE(statuses[1].included());
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/app/x"), "a=1; b=2");
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/"), "");         // path /app only
  EXPECT_EQ(jar_.cookie_header("https://api.example.com/app/x"), "");    // host-only
}

TEST_F(UpdateTest, APairCannotSmuggleAttributes) {
  std::vector<std::pair<std::string, std::string>> pairs{
      {"a", "1; Domain=example.com"}, {"b=c", "2"}, {"d", std::string("x\ny")},
      {"e", "x\ty"}, {"f\tg", "1"}, {"h", "x\x7fy"}, {"ok", "3"}};
  auto statuses = jar_.update("https://www.example.com/", pairs);
  ASSERT_EQ(statuses.size(), 7u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(statuses[i].has(Exclusion::invalid_pair)) << i;
    EXPECT_NE(statuses[i].to_string().find("rejected"), std::string::npos) << statuses[i].to_string();
  }
  EXPECT_TRUE(statuses[6].included());
  EXPECT_EQ(jar_.cookie_header("https://www.example.com/"), "ok=3");
}

TEST_F(UpdateTest, StorageRulesStillApply) {
  std::vector<std::pair<std::string, std::string>> pairs{{"__Host-id", "1"}};
  auto statuses = jar_.update("https://www.example.com/", pairs);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_TRUE(statuses[0].has(Exclusion::invalid_host_prefix));  // no Secure
}

}  // namespace
}  // namespace httpstate
