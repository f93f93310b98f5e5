#include "httpstate/jar/cookie_jar.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <shared_mutex>  // std::shared_lock
#include <time.h>  // clock_gettime (POSIX)

#include "bytes.hpp"
#include "entry.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"
#include "httpstate/url/psl.hpp"
#include "httpstate/url/url.hpp"
#include "rw_lock.hpp"
#include "site_index.hpp"

namespace httpstate {

namespace {

using jar_detail::equal;
using jar_detail::for_each_label_suffix;
using jar_detail::has_non_ascii;
using jar_detail::Entry;
using jar_detail::same_bytes;
using jar_detail::Site;
using jar_detail::SiteIndex;
using std::chrono::microseconds;

// Cookies need seconds (expiry) and an order (creation times, which next_creation makes
// strictly increasing), not nanoseconds: the coarse clock, to a few milliseconds, is read in
// ~5 ns where CLOCK_REALTIME cost ~37 ns a call on this project's machines, a fifth of a lookup.
Time real_now() {
#ifdef CLOCK_REALTIME_COARSE
  timespec ts;
  if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) == 0)
    return Time{std::chrono::seconds{ts.tv_sec} + microseconds{ts.tv_nsec / 1000}};
#endif
  return std::chrono::time_point_cast<microseconds>(std::chrono::system_clock::now());
}

// §5.1.3: identical, or `domain` is a dot-separated suffix of a host name (never of an IP).
[[gnu::always_inline]] inline bool domain_matches(std::string_view host, std::string_view domain, bool host_is_ip) {
  if (equal(host, domain)) return true;
  if (host_is_ip || domain.empty() || host.size() <= domain.size()) return false;
  const std::size_t start = host.size() - domain.size();
  return host[start - 1] == '.' && same_bytes(host.data() + start, domain.data(), domain.size());
}

// §5.1.4: the cookie path is the request path, or a prefix of it ending at a '/'.
[[gnu::always_inline]] inline bool path_matches(std::string_view request_path, std::string_view cookie_path) {
  if (request_path.size() < cookie_path.size() ||
      !same_bytes(request_path.data(), cookie_path.data(), cookie_path.size()))
    return false;
  return request_path.size() == cookie_path.size() || cookie_path.ends_with('/') ||
         request_path[cookie_path.size()] == '/';
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    char p = prefix[i];
    if (p >= 'A' && p <= 'Z') p = static_cast<char>(p - 'A' + 'a');
    if (c != p) return false;
  }
  return true;
}

// §5.6 step 1: CTLs other than HTAB never reach a cookie; ';' would split a header.
bool header_safe(std::string_view s, std::string_view also_banned) {
  return !has_forbidden_ctl(s) && s.find_first_of(also_banned) == std::string_view::npos;
}

// What insert() accepts: a cookie the parser and §5.7 could have produced, so a hostile jar
// file cannot smuggle a line break or a second pair into a Cookie header.
bool could_be_parsed(const Cookie& c) {
  return !(c.name.empty() && c.value.empty()) &&
         c.name.size() + c.value.size() <= limits::max_name_value_bytes && header_safe(c.name, "=;") &&
         header_safe(c.value, ";") && !c.domain.empty() && header_safe(c.domain, " ;/") &&
         c.path.starts_with('/') && header_safe(c.path, ";");
}

std::int64_t micros(Time t) { return t.time_since_epoch().count(); }

// Parses a request URL: views into the text when the fast path takes it as is, else into one
// Url per thread, reusing its strings' capacity. A clock or store callback that re-enters a
// jar on the same thread gets a Url of its own instead. `view` lives as long as this and `text`.
class RequestUrl {
 public:
  RequestUrl() = default;
  RequestUrl(const RequestUrl&) = delete;
  RequestUrl& operator=(const RequestUrl&) = delete;
  ~RequestUrl() {
    if (mine_) in_use_ = false;
  }

  bool parse(std::string_view text) {
    if (url::parse_view(text, view)) return true;
    url::Url* u;
    if (!in_use_) {
      in_use_ = mine_ = true;
      u = &shared_;
    } else {
      own_ = std::make_unique<url::Url>();
      u = own_.get();
    }
    if (url::parse_into(text, *u)) return false;
    view = *u;
    return true;
  }

  url::UrlView view;

 private:
  static thread_local url::Url shared_;
  static thread_local bool in_use_;
  bool mine_ = false;
  // A pointer, not an optional: every store and lookup constructs a RequestUrl, and zeroing an
  // inline Url (176 bytes with `rep stos`) cost a sixth of a lookup.
  std::unique_ptr<url::Url> own_;
};
thread_local url::Url RequestUrl::shared_;
thread_local bool RequestUrl::in_use_ = false;

// §5.8.3 step 2: longer paths first, then earlier creation times.
bool retrieval_order(std::size_t path_a, Time created_a, std::size_t path_b, Time created_b) {
  if (path_a != path_b) return path_a > path_b;
  return created_a < created_b;
}
bool retrieval_order(const Entry& a, const Entry& b) {
  return retrieval_order(a.path().size(), a.creation, b.path().size(), b.creation);
}

// Hosts have at most 127 labels (RFC 1035's 255 octets); longer strings share the last slot.
constexpr std::size_t max_labels = 128;
std::size_t label_count(std::string_view s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '.')) + 1;
}
std::size_t label_slot(std::size_t labels) { return std::min(labels, max_labels); }

// Chromium's eviction order: expired first (handled before), then non-secure before secure,
// then least recently accessed.
bool eviction_order(const Entry* a, const Entry* b) {
  if (a->secure != b->secure) return !a->secure;
  return a->access_us.load(std::memory_order_relaxed) < b->access_us.load(std::memory_order_relaxed);
}

// Least recently accessed first, then oldest: Chromium's order for a partition's evictions.
bool lra_order(const Entry* a, const Entry* b) {
  const auto ta = a->access_us.load(std::memory_order_relaxed), tb = b->access_us.load(std::memory_order_relaxed);
  if (ta != tb) return ta < tb;
  return a->creation < b->creation;
}

// scheme://site, the partition key of a request's own site (CHIPS); `site` is the
// registrable domain of the host, or the host.
std::string site_key(std::string_view scheme, std::string_view site) {
  std::string k;
  k.reserve(scheme.size() + 3 + site.size());
  k.append(scheme).append("://").append(site);
  return k;
}

// The sites of one partition: the unpartitioned cookies, or the partitioned ones of one
// top-level site (CHIPS). Sites come and go only through these, which keep `keys_by_labels`
// true.
struct Partition {
  Partition(jar_detail::EntryArena& arena, std::string key_) : key(std::move(key_)), sites(arena) {}

  std::string key;  // the partition key; empty for the unpartitioned cookies
  SiteIndex sites;
  // How many site keys have each number of labels: a lookup probes only the host's suffixes
  // of a length some key has (usually 2 or 3 labels), not all of them.
  std::array<std::uint32_t, max_labels + 1> keys_by_labels{};

  Site* find_site(std::string_view key) { return sites.find(key); }
  std::uint32_t& keys_like(std::string_view key) { return keys_by_labels[label_slot(label_count(key))]; }
  Site& add_site(std::string_view key) {  // `key` must be absent
    ++keys_like(key);
    return sites.insert(key);
  }
  Site& site_for(std::string_view key) {
    if (Site* s = find_site(key)) return *s;
    return add_site(key);
  }
  void drop_site(Site& site) {
    --keys_like(site.key());
    sites.erase(site);
  }
  void drop_empty_sites() {
    sites.erase_if([this](const Site& s) {
      if (!s.entries.empty()) return false;
      --keys_like(s.key());
      return true;
    });
  }

  // Calls add(Site*) for each site that may hold cookies for `host`, shortest suffix first. A
  // cookie's key is a label-suffix of its domain, so probing the host's suffixes finds them
  // without libpsl or an allocation.
  template <class Add>
  [[gnu::always_inline]] void probe(std::string_view host, bool ip, Add&& add) {
    auto one = [&](std::string_view suffix, std::size_t labels) {
      if (!keys_by_labels[label_slot(labels)]) return;
      if (Site* s = find_site(suffix)) add(s);
    };
    if (ip) one(host, label_count(host));
    else for_each_label_suffix(host, one);
  }
};

}  // namespace

std::optional<std::string> partition_key_for(std::string_view top_level_url) {
  RequestUrl request;
  if (!request.parse(top_level_url) || !request.view.is_http()) return std::nullopt;
  const url::UrlView& u = request.view;
  std::string k = site_key(u.scheme, url::registrable_domain_view(u.host));
  if (k.size() > limits::max_partition_key_bytes) return std::nullopt;
  return k;
}

struct CookieJar::Impl {
  mutable jar_detail::RwLock mu;
  jar_detail::EntryArena arena;  // before the partitions, so that it outlives their entries
  Partition unpartitioned{arena, {}};
  // CHIPS: partitioned cookies by partition key. Empty in most jars, and then a lookup pays
  // one branch for partitions.
  std::map<std::string, std::unique_ptr<Partition>, std::less<>> partitions;
  std::size_t total = 0;
  Time last_creation{};
  Clock clock;
  PersistentStore* store = nullptr;
  std::mutex access_mu;  // serialises PersistentStore::on_access from concurrent lookups

  Time current() const { return clock ? clock() : real_now(); }

  // Strictly increasing within the jar, so that §5.8.3 order is deterministic.
  Time next_creation(Time now) {
    last_creation = std::max(now, last_creation + microseconds{1});
    return last_creation;
  }

  Partition* find_partition(std::string_view key) {
    auto it = partitions.find(key);
    return it == partitions.end() ? nullptr : it->second.get();
  }
  Partition& partition_for(std::string_view key) {
    if (Partition* p = find_partition(key)) return *p;
    auto part = std::make_unique<Partition>(arena, std::string(key));
    return *partitions.emplace(part->key, std::move(part)).first->second;
  }
  bool is_partitioned(const Partition& p) const { return &p != &unpartitioned; }

  // The partition whose cookies go with a request to `u` (CHIPS), if any holds cookies.
  Partition* lookup_partition(const url::UrlView& u, const LookupOptions& opts) {
    if (opts.top_level_site) {
      auto k = partition_key_for(*opts.top_level_site);
      return k ? find_partition(*k) : nullptr;
    }
    return find_partition(site_key(u.scheme, url::registrable_domain_view(u.host)));
  }

  template <class F>
  void for_each_site(F&& f) {
    unpartitioned.sites.for_each(f);
    for (auto& [key, p] : partitions) p->sites.for_each(f);
  }
  template <class F>
  void for_each_partition(F&& f) {
    f(unpartitioned);
    for (auto& [key, p] : partitions) f(*p);
  }
  // Drops empty sites, then empty partitions (never the unpartitioned one).
  void drop_empty_sites() {
    unpartitioned.drop_empty_sites();
    for (auto it = partitions.begin(); it != partitions.end();) {
      it->second->drop_empty_sites();
      it = it->second->sites.empty() ? partitions.erase(it) : std::next(it);
    }
  }
  void drop_site(Partition& part, Site& site) {
    part.drop_site(site);
    if (is_partitioned(part) && part.sites.empty()) partitions.erase(partitions.find(part.key));
  }

  // Calls f(Entry&) for every cookie that may match `host`, in §5.8.3 order: the unpartitioned
  // ones and those of `partition` (CHIPS), when given. Usually only the request's site answers
  // and no merge is needed.
  template <class F>
  void for_each_candidate(std::string_view host, bool ip, Partition* partition, F&& f) {
    // The sites found, shortest suffix first; more than one is rare (a cookie file's keys).
    constexpr std::size_t inline_sites = 8;
    std::array<Site*, inline_sites> found_inline;
    std::vector<Site*> found_more;
    std::size_t found = 0;
    auto add = [&](Site* s) {
      if (found < inline_sites) found_inline[found] = s;
      else found_more.push_back(s);
      ++found;
    };
    unpartitioned.probe(host, ip, add);
    if (partition) [[unlikely]] partition->probe(host, ip, add);
    if (found == 0) return;
    auto site = [&](std::size_t k) { return k < inline_sites ? found_inline[k] : found_more[k - inline_sites]; };
    if (found == 1) {
      auto& entries = site(0)->entries;
      // The entries lie apart in memory: ask for all of them before reading the first, so
      // that their cache misses overlap instead of following one another.
      for (auto& e : entries) __builtin_prefetch(e.get());
      for (auto& e : entries) f(*e);
      return;
    }
    // Longest suffix first, as the order of ties in the stable sort depends on it.
    std::vector<Entry*> merged;
    for (std::size_t k = found; k-- > 0;)
      for (auto& e : site(k)->entries) merged.push_back(e.get());
    std::stable_sort(merged.begin(), merged.end(),
                     [](const Entry* a, const Entry* b) { return retrieval_order(*a, *b); });
    for (Entry* e : merged) f(*e);
  }

  // The hot path of check(): the same rules, no reasons.
  [[gnu::always_inline]] static bool sendable(const Entry& c, const url::UrlView& u, bool secure, const LookupOptions& opts, Time now) {
    if (c.host_only ? !equal(c.domain(), u.host) : !domain_matches(u.host, c.domain(), u.is_ip())) return false;
    if (!path_matches(u.path, c.path())) return false;
    // The flags in one expression, no branch each: which of them fails varies cookie by cookie.
    const bool same_site = c.same_site == SameSite::strict ? opts.context == SameSiteContext::same_site
                           : c.same_site == SameSite::none ? c.secure
                                                           : opts.context != SameSiteContext::cross_site;
    return (!c.expired(now)) & (!c.secure | secure) & (!c.http_only | opts.http_api) & same_site;
  }

  void notify_remove(const Entry& e) {
    if (store) store->on_remove(e.snapshot());
  }

  // Inserts in §5.8.3 order (after equals, so ties keep insertion order); caller holds `mu`.
  void insert_sorted(Site& site, Entry::Ptr e) {
    auto pos = std::upper_bound(site.entries.begin(), site.entries.end(), e,
                                [](const auto& a, const auto& b) { return retrieval_order(*a, *b); });
    note_expiry(site, *e);
    site.entries.insert(pos, std::move(e));
    ++total;
  }

  // Stable and allocation-free: every store runs it (§5.7's last step) and usually removes nothing.
  template <class Pred>
  std::size_t erase_if(Site& site, Pred&& pred) {
    auto& v = site.entries;
    auto out = std::find_if(v.begin(), v.end(), [&](const auto& e) { return pred(*e); });
    if (out == v.end()) return 0;
    for (auto it = out; it != v.end(); ++it) {
      if (pred(**it)) notify_remove(**it);
      else *out++ = std::move(*it);
    }
    std::size_t n = static_cast<std::size_t>(v.end() - out);
    v.erase(out, v.end());
    total -= n;
    return n;
  }

  std::size_t erase_expired(Site& site, Time now) {
    if (now < site.next_expiry) return 0;
    const std::size_t n = erase_if(site, [now](const Entry& e) { return e.expired(now); });
    site.next_expiry = Time::max();
    for (const auto& e : site.entries) note_expiry(site, *e);
    return n;
  }

  static void note_expiry(Site& site, const Entry& e) {
    if (e.expires && *e.expires < site.next_expiry) site.next_expiry = *e.expires;
  }

  // Evicts the first `count` of `candidates` in eviction order, from `site` or from all sites.
  void evict(std::vector<Entry*> candidates, std::size_t count, Site* site) {
    count = std::min(count, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(count),
                      candidates.end(), eviction_order);
    for (std::size_t i = 0; i < count; ++i) candidates[i]->doomed = true;
    auto doomed = [](const Entry& e) { return e.doomed; };
    if (site) {
      erase_if(*site, doomed);
    } else {
      for_each_site([&](Site& s) { erase_if(s, doomed); });
      drop_empty_sites();
    }
  }

  static std::vector<Entry*> entries_of(Site& site, std::vector<Entry*> out = {}) {
    for (auto& e : site.entries) out.push_back(e.get());
    return out;
  }

  // Chromium's GarbageCollectPartitionedCookies: a partition's site over 180 cookies or 10 KiB
  // of names and values loses its expired cookies, then its least recently accessed ones
  // until both limits hold (limits.hpp).
  void enforce_partition_limits(Site& site, Time now) {
    auto bytes = [&site] {
      std::size_t b = 0;
      for (const auto& e : site.entries) b += e->name().size() + e->value().size();
      return b;
    };
    auto within = [&](std::size_t count, std::size_t b) {
      return count <= limits::max_cookies_per_partition_site && b <= limits::max_cookie_bytes_per_partition_site;
    };
    if (within(site.entries.size(), bytes())) return;
    erase_expired(site, now);
    std::size_t b = bytes(), count = site.entries.size();
    if (within(count, b)) return;
    std::vector<Entry*> candidates = entries_of(site);
    std::sort(candidates.begin(), candidates.end(), lra_order);
    for (std::size_t i = 0; i < candidates.size() && !within(count, b); ++i, --count) {
      candidates[i]->doomed = true;
      b -= candidates[i]->name().size() + candidates[i]->value().size();
    }
    erase_if(site, [](const Entry& e) { return e.doomed; });
  }

  // Chromium's GarbageCollect: purge a site over its limit, then the jar over its limit,
  // each down to limit - slack (limits.hpp). Partitioned cookies have limits of their own
  // per partition, and count towards the jar's total too, so that partitions stay bounded.
  void enforce_limits(const Partition& part, Site& site, Time now) {
    constexpr std::size_t site_target = limits::max_cookies_per_site - limits::purge_slack_per_site;
    constexpr std::size_t total_target = limits::max_cookies_total - limits::purge_slack_total;
    if (is_partitioned(part)) [[unlikely]] {
      enforce_partition_limits(site, now);
    } else if (site.entries.size() > limits::max_cookies_per_site) {
      erase_expired(site, now);
      if (site.entries.size() > limits::max_cookies_per_site)
        evict(entries_of(site), site.entries.size() - site_target, &site);
    }
    if (total > limits::max_cookies_total) {
      for_each_site([&](Site& s) { erase_expired(s, now); });
      if (total > limits::max_cookies_total) {
        std::vector<Entry*> all;
        all.reserve(total);
        for_each_site([&](Site& s) { all = entries_of(s, std::move(all)); });
        evict(std::move(all), total - total_target, nullptr);
      } else {
        drop_empty_sites();
      }
    }
  }

  // Adds a fully-formed cookie, replacing its identity; caller holds `mu` exclusively.
  InclusionStatus::Outcome put(Partition& part, std::string_view key, Entry::Ptr e, Time now) {
    Site& site = part.site_for(key);
    auto old = std::find_if(site.entries.begin(), site.entries.end(), [&](const auto& x) {
      return x->same_identity(e->name(), e->domain(), e->path(), e->host_only);
    });
    return put(part, site, old == site.entries.end() ? nullptr : &*old, std::move(e), now);
  }

  // The same, when the caller already found the site and the cookie of the same identity.
  InclusionStatus::Outcome put(const Partition& part, Site& site, Entry::Ptr* old, Entry::Ptr e, Time now) {
    Entry* stored = e.get();
    if (old) {
      // Same identity means the same path; keeping the creation time keeps the position, so
      // the new entry takes the old one's place.
      e->creation = (*old)->creation;
      note_expiry(site, *e);
      *old = std::move(e);
    } else {
      insert_sorted(site, std::move(e));
    }
    if (store) store->on_add(stored->snapshot());
    // §5.7 last step: remove expired cookies (of this site; purge_expired does the whole jar).
    erase_expired(site, now);
    enforce_limits(part, site, now);
    return old ? InclusionStatus::Outcome::replaced : InclusionStatus::Outcome::stored;
  }

  // §5.8.3 step 1 for one cookie of the request's site; included() when it goes.
  static InclusionStatus check(const Entry& c, const url::UrlView& u, const LookupOptions& opts, Time now) {
    InclusionStatus st;
    if (c.expired(now)) st.add(Exclusion::expired);
    if (c.host_only ? c.domain() != u.host : !domain_matches(u.host, c.domain(), u.is_ip()))
      st.add(Exclusion::domain_not_matched);
    if (!path_matches(u.path, c.path())) st.add(Exclusion::path_not_matched);
    if (c.secure && !u.is_secure()) st.add(Exclusion::secure_only);
    if (c.http_only && !opts.http_api) st.add(Exclusion::http_only);
    switch (c.same_site) {
      case SameSite::strict:
        if (opts.context != SameSiteContext::same_site) st.add(Exclusion::same_site_strict);
        break;
      case SameSite::lax:
      case SameSite::unset:  // Chromium's "Lax by default"
        if (opts.context == SameSiteContext::cross_site) st.add(Exclusion::same_site_lax);
        break;
      case SameSite::none:
        if (!c.secure) st.add(Exclusion::same_site_none_insecure);
        break;
    }
    return st;
  }

  void write_header(std::string_view url_text, const LookupOptions& opts, std::string& out);

  void touch(Entry& e, Time now, const LookupOptions& opts) {
    if (!opts.update_access_time) return;
    e.access_us.store(micros(now), std::memory_order_relaxed);
    if (store) {
      std::lock_guard lock(access_mu);
      store->on_access(e.snapshot());
    }
  }
};

CookieJar::CookieJar() : impl_(std::make_unique<Impl>()) {}
CookieJar::~CookieJar() = default;

InclusionStatus CookieJar::store(std::string_view url_text, std::string_view set_cookie,
                                 const StoreOptions& opts) {
  InclusionStatus st;
  RequestUrl request;
  if (!request.parse(url_text)) {
    st.add(Exclusion::invalid_url);
    return st;
  }
  const url::UrlView& u = request.view;
  if (!u.is_http()) {
    st.add(Exclusion::non_http_scheme);
    return st;
  }
  // The request host's registrable domain (cached by url/, a view into u.host) is the index
  // key: every cookie the host may set lies within it. Asked before the parse, so that the
  // cache's misses overlap the parse's work instead of following it.
  const std::string_view key = url::registrable_domain_view(u.host);
  SetCookieView p;  // views into set_cookie: the parts are copied once, into the entry
  if (auto error = parse_set_cookie(set_cookie, p)) {
    st.set_parse_error(*error);
    return st;
  }
  const bool secure_origin = u.is_secure();
  // CHIPS: a partitioned cookie's top-level site; the unpartitioned pay this branch only.
  std::string partition_key;
  if (p.partitioned) [[unlikely]] {
    if (!opts.top_level_site) partition_key = site_key(u.scheme, key);
    else if (auto k = partition_key_for(*opts.top_level_site)) partition_key = std::move(*k);
    else st.add(Exclusion::invalid_top_level_site);
  }

  // §5.7 steps 7-10: Domain, public suffixes, host-only.
  bool host_only = true;
  std::string_view domain = u.host;
  if (p.domain && !p.domain->empty()) {
    const std::string_view domain_attr = *p.domain;
    if (u.is_ip()) {
      // An IP literal has no parent domain: only the address itself, kept host-only as Chromium does.
      const bool bracketed = u.host.size() == domain_attr.size() + 2 && u.host.front() == '[' &&
                             u.host.substr(1, domain_attr.size()) == domain_attr;
      if (domain_attr != u.host && !bracketed) {
        st.add(Exclusion::domain_ip_literal);
        st.set_domain(std::string(domain_attr));
      }
    } else if (has_non_ascii(domain_attr)) {
      st.add(Exclusion::domain_non_ascii);
      st.set_domain(std::string(domain_attr));
    } else if (!domain_matches(u.host, domain_attr, false)) {
      st.add(Exclusion::domain_mismatch);
      st.set_domain(std::string(domain_attr));
    } else if ((domain_attr.size() < key.size() || (domain_attr == u.host && key == u.host)) &&
               url::is_public_suffix(domain_attr)) {
      // Anything longer than the host's registrable domain is no public suffix, nor is the
      // registrable domain itself unless it is the host (a suffix host is its own "site").
      if (domain_attr != u.host) {
        st.add(Exclusion::domain_public_suffix);
        st.set_domain(std::string(domain_attr));
      }
      // else: set on the suffix host itself, it becomes host-only (§5.7 step 9.1).
    } else if (domain_attr.size() < key.size()) {
      // Between a public suffix and the site (amazonaws.com above s3.amazonaws.com): Chromium
      // refuses a Domain wider than the host's registrable domain.
      st.add(Exclusion::domain_above_site);
      st.set_domain(std::string(domain_attr));
    } else {
      host_only = false;
      domain = domain_attr;
    }
  }

  // §5.7 step 11: Path, or the default-path (§5.1.4).
  const std::string_view path = p.path ? *p.path : url::default_path_view(u.path);
  const std::string_view name = p.name;

  if (p.secure && !secure_origin) st.add(Exclusion::secure_from_insecure);  // step 13
  if (p.http_only && !opts.http_api) st.add(Exclusion::http_only_from_non_http);  // step 15
  // Step 18: only SameSite=None cookies may be set from a cross-site subresource.
  if (p.same_site != SameSite::none && opts.context == SameSiteContext::cross_site)
    st.add(Exclusion::samesite_cross_site);
  if (p.same_site == SameSite::none && !p.secure) st.add(Exclusion::samesite_none_insecure);  // step 19
  if (p.partitioned && !p.secure) st.add(Exclusion::partitioned_insecure);  // CHIPS, as Chromium
  // Steps 20-22: prefixes, case-insensitively (6265bis changed this from RFC 6265's exact case);
  // both begin "__", which has no case, so most names are done with after one compare.
  if (name.starts_with("__")) {
    if (starts_with_icase(name, "__Secure-") && !p.secure) st.add(Exclusion::invalid_secure_prefix);
    // Step 21: the attribute list must hold a Path attribute (one over 1024 bytes was ignored
    // by the parser) and the path must be "/"; a default-path of "/" does not do.
    if (starts_with_icase(name, "__Host-") && !(p.secure && host_only && p.has_path && path == "/"))
      st.add(Exclusion::invalid_host_prefix);
  }
  if (name.empty() && (starts_with_icase(p.value, "__Secure-") || starts_with_icase(p.value, "__Host-")))
    st.add(Exclusion::nameless_prefix_value);

  std::unique_lock lock(impl_->mu);
  const Time now = impl_->current();

  // Step 6 with §5.6.1/§5.6.2's cap: Max-Age wins over Expires, both at most 400 days ahead.
  std::optional<Time> expires;
  if (p.max_age) {
    if (*p.max_age <= 0) {
      expires = Time::min();
    } else {
      auto secs = std::min<std::int64_t>(*p.max_age, limits::max_lifetime.count());
      expires = now + std::chrono::seconds{secs};
    }
  } else if (p.expires) {
    expires = std::min(*p.expires, now + limits::max_lifetime);
  }

  Partition* part = partition_key.empty() ? &impl_->unpartitioned : impl_->find_partition(partition_key);
  Site* site = part ? part->find_site(key) : nullptr;
  // One pass over the site (of the cookie's partition) for step 16 and step 23.
  Entry::Ptr* old = nullptr;
  if (site) {
    // Step 16, "leave secure cookies alone": an insecure origin may not shadow a Secure cookie.
    const bool check_secure = !p.secure && !secure_origin;
    for (auto& e : site->entries) {
      const Entry& o = *e;
      if (check_secure && o.secure && o.name() == name &&
          (domain_matches(o.domain(), domain, false) || domain_matches(domain, o.domain(), false)) &&
          path_matches(path, o.path())) {
        st.add(Exclusion::overwrite_secure);
      }
      // Step 23: the old cookie of the same identity.
      if (o.same_identity(name, domain, path, host_only)) old = &e;
    }
  }
  if (old && (*old)->http_only && !opts.http_api) st.add(Exclusion::overwrite_http_only);
  if (!st.included()) return st;

  if (expires && *expires <= now) {
    // Step 25: an expired cookie is never kept; it only removes the one it replaces.
    st.add(Exclusion::expired_on_arrival);
    if (old) {
      const Entry* doomed = old->get();
      impl_->erase_if(*site, [doomed](const Entry& e) { return &e == doomed; });
      if (site->entries.empty()) impl_->drop_site(*part, *site);
      st.set_outcome(InclusionStatus::Outcome::deleted);
    }
    return st;
  }
  Entry::Ptr e = Entry::make(impl_->arena, {name, p.value, domain, path, partition_key});
  e->expires = expires;
  e->creation = impl_->next_creation(now);
  e->access_us.store(micros(now), std::memory_order_relaxed);
  e->host_only = host_only;
  e->secure = p.secure;
  e->http_only = p.http_only;
  e->partitioned = p.partitioned;
  e->same_site = p.same_site;
  if (!part) part = &impl_->partition_for(partition_key);
  if (!site) site = &part->add_site(key);  // store() probed for it above
  st.set_outcome(impl_->put(*part, *site, old, std::move(e), now));
  return st;
}

std::vector<InclusionStatus> CookieJar::update(std::string_view url,
                                               std::span<const std::pair<std::string, std::string>> pairs,
                                               const StoreOptions& opts) {
  std::vector<InclusionStatus> out;
  out.reserve(pairs.size());
  std::string line;
  for (const auto& [name, value] : pairs) {
    // A ';' would start an attribute: refuse rather than let a map entry smuggle in Domain=.
    // HTAB too, which the parser would trim from either end.
    if (!header_safe(name, "\t;=") || !header_safe(value, "\t;")) {
      InclusionStatus st;
      st.add(Exclusion::invalid_pair);
      out.push_back(st);
      continue;
    }
    line.assign(name).append("=").append(value);
    out.push_back(store(url, line, opts));
  }
  return out;
}

// Appends the Cookie header for `url_text` (§5.8.3) to `out`, growing it once at most, to the
// exact size, once the cookies that go are known.
void CookieJar::Impl::write_header(std::string_view url_text, const LookupOptions& opts, std::string& out) {
  RequestUrl request;
  if (!request.parse(url_text) || !request.view.is_http()) return;
  const url::UrlView& u = request.view;
  std::shared_lock lock(mu);
  if (unpartitioned.sites.empty() && partitions.empty()) return;
  Partition* partition = partitions.empty() ? nullptr : lookup_partition(u, opts);
  const Time now = current();
  const bool secure = u.is_secure();
  // The cookies that go, first on the stack.
  constexpr std::size_t inline_cookies = 32;
  std::array<const Entry*, inline_cookies> inline_sent;
  std::vector<const Entry*> more_sent;
  std::size_t count = 0, bytes = 0;
  // Inlined (GCC left it a call, which saved and restored six registers a cookie).
  for_each_candidate(u.host, u.is_ip(), partition, [&](Entry& e) __attribute__((always_inline)) {
    if (!sendable(e, u, secure, opts, now)) return;
    touch(e, now, opts);
    // §5.8.3 step 4: a nameless cookie is serialized as its value alone.
    bytes += (count ? 2 : 0) + (e.name().empty() ? 0 : e.name().size() + 1) + e.value().size();
    if (count < inline_cookies) inline_sent[count] = &e;
    else more_sent.push_back(&e);
    ++count;
  });
  if (count == 0) return;
  out.reserve(out.size() + bytes);  // the one allocation, if any: appends below never grow it
  for (std::size_t i = 0; i < count; ++i) {
    const Entry& c = *(i < inline_cookies ? inline_sent[i] : more_sent[i - inline_cookies]);
    if (i) out.append("; ", 2);
    if (!c.name().empty()) {
      out.append(c.name());
      out.push_back('=');
    }
    out.append(c.value());
  }
}

std::string CookieJar::cookie_header(std::string_view url_text, const LookupOptions& opts) {
  std::string header;
  impl_->write_header(url_text, opts, header);
  return header;
}

std::size_t CookieJar::append_cookie_header(std::string_view url_text, std::string& out, const LookupOptions& opts) {
  const std::size_t before = out.size();
  impl_->write_header(url_text, opts, out);
  return out.size() - before;
}

std::vector<Cookie> CookieJar::cookies_for(std::string_view url_text, const LookupOptions& opts,
                                           std::vector<std::pair<Cookie, InclusionStatus>>* excluded) {
  std::vector<Cookie> out;
  RequestUrl request;
  if (!request.parse(url_text) || !request.view.is_http()) return out;
  const url::UrlView& u = request.view;
  std::shared_lock lock(impl_->mu);
  const Time now = impl_->current();
  Partition* partition = impl_->partitions.empty() ? nullptr : impl_->lookup_partition(u, opts);
  impl_->for_each_candidate(u.host, u.is_ip(), partition, [&](Entry& e) {
    InclusionStatus st = Impl::check(e, u, opts, now);
    if (st.included()) {
      impl_->touch(e, now, opts);
      out.push_back(e.snapshot());
    } else if (excluded) {
      excluded->emplace_back(e.snapshot(), std::move(st));
    }
  });
  return out;
}

bool CookieJar::insert(Cookie c) {
  if (!could_be_parsed(c)) return false;
  const std::string_view key = url::registrable_domain_view(c.domain);
  if (c.partitioned || !c.partition_key.empty()) {
    // A file from before partitions: the cookie's own site, as a store without a top-level site.
    auto k = c.partition_key.empty() ? std::optional(site_key("https", key)) : partition_key_for(c.partition_key);
    if (!k) return false;
    c.partitioned = true;
    c.partition_key = std::move(*k);
  }
  std::unique_lock lock(impl_->mu);
  const Time now = impl_->current();
  if (c.expired(now)) return false;
  // Keep the loaded creation time, but let later stores come strictly after it.
  if (c.creation == Time{}) c.creation = impl_->next_creation(now);
  impl_->last_creation = std::max(impl_->last_creation, c.creation);
  if (c.last_access == Time{}) c.last_access = c.creation;
  Partition& part = c.partition_key.empty() ? impl_->unpartitioned : impl_->partition_for(c.partition_key);
  impl_->put(part, key, Entry::make(impl_->arena, c), now);
  return true;
}

std::vector<Cookie> CookieJar::all() const {
  std::vector<Cookie> out;
  std::shared_lock lock(impl_->mu);
  const Time now = impl_->current();
  out.reserve(impl_->total);
  impl_->for_each_site([&](const Site& site) {
    for (const auto& e : site.entries)
      if (!e->expired(now)) out.push_back(e->snapshot());
  });
  lock.unlock();
  std::stable_sort(out.begin(), out.end(), [](const Cookie& a, const Cookie& b) {
    if (a.domain != b.domain) return a.domain < b.domain;
    if (a.partition_key != b.partition_key) return a.partition_key < b.partition_key;
    return retrieval_order(a.path.size(), a.creation, b.path.size(), b.creation);
  });
  return out;
}

std::size_t CookieJar::size() const {
  std::shared_lock lock(impl_->mu);
  const Time now = impl_->current();
  std::size_t n = 0;
  impl_->for_each_site([&](const Site& site) {
    for (const auto& e : site.entries) n += !e->expired(now);
  });
  return n;
}

bool CookieJar::remove(std::string_view name, std::string_view domain, std::string_view path) {
  std::unique_lock lock(impl_->mu);
  std::size_t n = 0;
  // The cookie's key is a label-suffix of its domain (see for_each_candidate); in any partition.
  impl_->for_each_partition([&](Partition& part) {
    for_each_label_suffix(domain, [&](std::string_view suffix, std::size_t) {
      if (Site* site = part.find_site(suffix)) {
        n += impl_->erase_if(*site, [&](const Entry& e) {
          return e.name() == name && e.domain() == domain && e.path() == path;
        });
        if (site->entries.empty()) part.drop_site(*site);
      }
    });
  });
  impl_->drop_empty_sites();
  return n > 0;
}

std::size_t CookieJar::clear() {
  return remove_if([](const Cookie&) { return true; });
}

std::size_t CookieJar::clear_domain(std::string_view domain) {
  return remove_if([domain](const Cookie& c) { return domain_matches(c.domain, domain, false); });
}

std::size_t CookieJar::remove_if(const std::function<bool(const Cookie&)>& pred) {
  std::unique_lock lock(impl_->mu);
  std::size_t n = 0;
  impl_->for_each_site([&](Site& site) {
    n += impl_->erase_if(site, [&](const Entry& e) { return pred(e.snapshot()); });
  });
  impl_->drop_empty_sites();
  return n;
}

std::size_t CookieJar::purge_expired() {
  std::unique_lock lock(impl_->mu);
  const Time now = impl_->current();
  std::size_t n = 0;
  impl_->for_each_site([&](Site& site) { n += impl_->erase_expired(site, now); });
  impl_->drop_empty_sites();
  return n;
}

std::size_t CookieJar::clear_session_cookies() {
  return remove_if([](const Cookie& c) { return !c.persistent(); });
}

void CookieJar::set_clock(Clock clock) {
  std::unique_lock lock(impl_->mu);
  impl_->clock = std::move(clock);
}

Time CookieJar::now() const {
  std::shared_lock lock(impl_->mu);
  return impl_->current();
}

void CookieJar::set_persistent_store(PersistentStore* store) {
  std::unique_lock lock(impl_->mu);
  impl_->store = store;
}

}  // namespace httpstate
