#pragma once
// CookieJar: the storage model (§5.7) and retrieval (§5.8.3), with Chromium-like limits.
// Thread-safe: any number of threads may store and look up at once. Lookups share a lock
// (last-access times are atomics); stores, removals and eviction take it exclusively.
// Cookies are indexed by registrable domain, so a lookup costs the request's site only.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/jar/inclusion_status.hpp"

namespace httpstate {

// The request's relation to the top-level site (§5.2, §5.8.3 step 1).
enum class SameSiteContext : std::uint8_t {
  same_site,           // default: a first-party request
  lax_top_level,       // cross-site top-level navigation with a safe method (Lax cookies go)
  cross_site,          // anything else cross-site: only SameSite=None cookies go
};

struct StoreOptions {
  SameSiteContext context = SameSiteContext::same_site;
  bool http_api = true;  // false: document.cookie-like API (§5.7 step 11)
  // CHIPS: the top-level site the response is for, as a URL of it ("https://shop.example",
  // any path); a Partitioned cookie is kept in that site's partition. Absent: the request's
  // own site, which is what an API client means. Unpartitioned cookies ignore it.
  std::optional<std::string> top_level_site;
};

struct LookupOptions {
  SameSiteContext context = SameSiteContext::same_site;
  bool http_api = true;
  bool update_access_time = true;  // §5.8.3 step 3
  // CHIPS: as StoreOptions::top_level_site; partitioned cookies go only with a request under
  // the top-level site they were set under. Unpartitioned cookies go as ever.
  std::optional<std::string> top_level_site;
};

// CHIPS: the partition key of a top-level site given as a URL: scheme://registrable-domain,
// lowercase ("https://www.example.co.uk/x" -> "https://example.co.uk"), the host itself when
// it has no registrable domain (localhost, an IP); nullopt when not an http(s) URL.
std::optional<std::string> partition_key_for(std::string_view top_level_url);

// Chromium's PersistentCookieStore: the jar tells its store every change as it happens, so a
// store can write through (persist/sqlite_store.hpp). Called with the jar's lock held: keep it
// short and never call back into the jar. on_add/on_remove run under the exclusive lock;
// on_access runs under the shared one, but the jar never makes two on_access calls at once.
class PersistentStore {
 public:
  virtual ~PersistentStore() = default;
  virtual void on_add(const Cookie& c) = 0;     // new or replacing one of the same identity
  virtual void on_remove(const Cookie& c) = 0;  // deleted, expired, evicted or cleared
  virtual void on_access(const Cookie& c) { (void)c; }  // last_access changed (may be batched)
};

class CookieJar {
 public:
  using Clock = std::function<Time()>;

  CookieJar();
  ~CookieJar();
  CookieJar(const CookieJar&) = delete;
  CookieJar& operator=(const CookieJar&) = delete;

  // A response from `url` carried `set_cookie` (the header's value).
  InclusionStatus store(std::string_view url, std::string_view set_cookie,
                        const StoreOptions& opts = {});

  // aiohttp's update_cookies({name: value}, url): each pair is stored as if `url` had sent
  // "name=value" (host-only, default-path), so every §5.7 rule applies. One status per pair.
  std::vector<InclusionStatus> update(std::string_view url,
                                      std::span<const std::pair<std::string, std::string>> pairs,
                                      const StoreOptions& opts = {});

  // The Cookie header value for a request to `url` ("" when none).
  std::string cookie_header(std::string_view url, const LookupOptions& opts = {});
  // The same value appended to `out`, so that a client can reuse one buffer for its requests
  // instead of a new string each; returns the bytes appended (0 when none).
  std::size_t append_cookie_header(std::string_view url, std::string& out, const LookupOptions& opts = {});

  // The cookies that go with a request to `url`, in §5.8.3 order. When `excluded` is given,
  // the cookies of the site that were not sent go there with their reasons.
  std::vector<Cookie> cookies_for(std::string_view url, const LookupOptions& opts = {},
                                  std::vector<std::pair<Cookie, InclusionStatus>>* excluded = nullptr);

  // Loading from a file: insert a cookie as it was (no §5.7 policy), replacing its identity.
  // Limits still apply. A partitioned cookie without a partition key (files older than
  // partitions) goes into its own site's partition; a partition key is normalised by
  // partition_key_for, and one that is not a site drops the cookie. False when dropped: expired, or not something the parser could have
  // produced (control characters, ';' or '=' in the name, over 4096 bytes, no domain, a path
  // not starting with '/'), so that a jar file cannot inject into a Cookie header.
  bool insert(Cookie c);

  std::vector<Cookie> all() const;      // every unexpired cookie, by domain then §5.8.3 order
  std::size_t size() const;
  bool remove(std::string_view name, std::string_view domain, std::string_view path);
  std::size_t clear();
  std::size_t clear_domain(std::string_view domain);  // the domain and its subdomains
  std::size_t remove_if(const std::function<bool(const Cookie&)>& pred);
  std::size_t purge_expired();
  std::size_t clear_session_cookies();

  // The jar's clock; real time by default, to a few milliseconds (CLOCK_REALTIME_COARSE).
  // Tests and `jar replay` set it. It is called with the jar's lock held, from any thread: it
  // must be thread-safe and must not use the jar.
  void set_clock(Clock clock);
  Time now() const;

  // Attach a store (not owned; may be null). Its callbacks see every change from then on.
  void set_persistent_store(PersistentStore* store);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace httpstate
