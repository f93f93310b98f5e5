// One jar driven by a fuzzed sequence of operations, one per input line:
//   byte 0: operation (set, get, advance the clock, list/remove/purge, insert)
//   byte 1: a URL from the table below, or 0xff: the URL is the text up to the first tab
//   rest:   the Set-Cookie value (set) or ignored
// After each step the jar's invariants (§5.7, §5.8.3, limits) must hold.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "../cookie/check.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/jar/cookie_jar.hpp"

namespace {

using namespace httpstate;

constexpr std::string_view urls[] = {
    "https://example.com/",        "http://example.com/a/b",     "https://www.example.com/x/",
    "http://sub.example.co.uk/p",  "https://github.io/",         "https://a.github.io/",
    "http://127.0.0.1:8080/",      "http://[::1]/q",             "http://localhost/p/q",
    "https://xn--bcher-kva.example/", "https://b\xc3\xbc" "cher.example/d/", "ftp://example.com/",
    "https://co.uk/",              "http://192.168.1.1/",        "https://EXAMPLE.com:443/A?x#y",
};
constexpr std::size_t url_count = sizeof(urls) / sizeof(urls[0]);

bool starts_with_icase(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if ((s[i] | 0x20) != (p[i] | 0x20)) return false;
  return true;
}

void check_cookie(const Cookie& c, Time now) {
  FUZZ_CHECK(!c.domain.empty());
  FUZZ_CHECK(c.path.starts_with("/"));
  FUZZ_CHECK(!c.expired(now));
  FUZZ_CHECK(!c.expires || *c.expires <= now + limits::max_lifetime);
  FUZZ_CHECK(!(c.name.empty() && c.value.empty()));
  FUZZ_CHECK(c.name.size() + c.value.size() <= limits::max_name_value_bytes);
  FUZZ_CHECK(c.same_site != SameSite::none || c.secure);
  if (starts_with_icase(c.name, "__Secure-")) FUZZ_CHECK(c.secure);
  if (starts_with_icase(c.name, "__Host-")) FUZZ_CHECK(c.secure && c.host_only && c.path == "/");
}

// The header is the §5.8.3 serialization of cookies_for, in its order, free of line breaks.
void check_lookup(CookieJar& jar, std::string_view url, SameSiteContext ctx) {
  LookupOptions opts{.context = ctx, .update_access_time = false};
  std::string header = jar.cookie_header(url, opts);
  FUZZ_CHECK(header.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);
  auto sent = jar.cookies_for(url, opts);
  std::string expect;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (i) {
      expect += "; ";
      const Cookie& a = sent[i - 1];
      const Cookie& b = sent[i];
      FUZZ_CHECK(a.path.size() > b.path.size() || (a.path.size() == b.path.size() && a.creation < b.creation));
    }
    expect += sent[i].name.empty() ? sent[i].value : sent[i].name + "=" + sent[i].value;
    if (ctx == SameSiteContext::cross_site) FUZZ_CHECK(sent[i].same_site == SameSite::none);
  }
  FUZZ_CHECK(header == expect);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  CookieJar jar;
  Time now = from_unix_seconds(1'800'000'000);
  jar.set_clock([&now] { return now; });
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t steps = 0;
  while (!in.empty() && steps++ < 256) {
    std::size_t eol = in.find('\n');
    std::string_view line = in.substr(0, eol);
    in = eol == std::string_view::npos ? std::string_view{} : in.substr(eol + 1);
    if (line.size() < 2) continue;
    const auto op = static_cast<std::uint8_t>(line[0]);
    const auto which = static_cast<std::uint8_t>(line[1]);
    std::string_view rest = line.substr(2);
    std::string_view url = urls[which % url_count];
    if (which == 0xff) {
      std::size_t tab = rest.find('\t');
      url = rest.substr(0, tab);
      rest = tab == std::string_view::npos ? std::string_view{} : rest.substr(tab + 1);
    }
    switch (op % 8) {
      case 0:
      case 1:
      case 2: {
        StoreOptions opts{.context = static_cast<SameSiteContext>(op / 8 % 3), .http_api = (op & 0x40) == 0};
        InclusionStatus st = jar.store(url, rest, opts);
        FUZZ_CHECK(!st.to_string().empty());
        if (st.included())
          FUZZ_CHECK(st.outcome() == InclusionStatus::Outcome::stored ||
                     st.outcome() == InclusionStatus::Outcome::replaced);
        break;
      }
      case 3:
      case 4: check_lookup(jar, url, static_cast<SameSiteContext>(op / 8 % 3)); break;
      case 5: now += std::chrono::seconds{static_cast<std::int64_t>(which) * (op >= 0x80 ? 86400 : 1)}; break;
      case 6:
        switch (op / 8 % 5) {
          case 0: jar.purge_expired(); break;
          case 1: jar.clear_domain(rest); break;
          case 2: jar.remove(rest, "example.com", "/"); break;
          case 3: jar.clear_session_cookies(); break;
          case 4: jar.remove_if([&](const Cookie& c) { return c.value.size() % 3 == which % 3; }); break;
        }
        break;
      case 7: {
        // A cookie loaded from a file: no §5.7 policy, but the limits still hold. The "i"
        // keeps its name clear of the prefixes, which only §5.7 enforces.
        Cookie c;
        c.name = "i" + std::string(rest.substr(0, std::min<std::size_t>(rest.size() / 2, 64)));
        c.value = "v";
        c.domain = std::string(urls[which % url_count].substr(8, 11));
        c.path = "/";
        c.expires = now + std::chrono::seconds{which};
        jar.insert(std::move(c));
        break;
      }
    }
    FUZZ_CHECK(jar.size() <= limits::max_cookies_total);
  }
  std::map<std::string, std::size_t> per_domain;
  std::size_t total = 0;
  for (const Cookie& c : jar.all()) {
    ++per_domain[c.domain];
    ++total;
    check_cookie(c, now);
  }
  FUZZ_CHECK(total == jar.size());
  for (const auto& [domain, n] : per_domain) FUZZ_CHECK(n <= limits::max_cookies_per_site);
  return 0;
}
