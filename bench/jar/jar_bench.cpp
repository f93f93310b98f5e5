// Jar store and lookup on a browser-sized jar, shaped like bench/peers/gen_workload.py:
// `sites` registrable domains with subdomains, paths, Domain/Path/Secure/SameSite mixes.
// bench/compare runs the end-to-end comparison with the peers; these isolate the jar.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "httpstate/jar/cookie_jar.hpp"

namespace httpstate {
namespace {

struct Workload {
  std::vector<std::pair<std::string, std::string>> sets;
  std::vector<std::string> gets;
};

Workload make_workload(std::size_t sites, std::size_t cookies, std::size_t lookups) {
  static const char* tlds[] = {"com", "org", "net", "io", "co.uk", "com.au", "de", "github.io"};
  static const char* subs[] = {"", "www.", "api.", "shop.", "login."};
  static const char* paths[] = {"/", "/", "/app", "/app/v2", "/account", "/static"};
  static const char* same_site[] = {"", "", "; SameSite=Lax", "; SameSite=Strict", "; SameSite=None; Secure"};
  std::mt19937 rng(6265);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  std::vector<std::string> names;
  for (std::size_t i = 0; i < sites; ++i) names.push_back("site" + std::to_string(i) + "." + tlds[pick(8)]);
  Workload w;
  for (std::size_t i = 0; i < cookies; ++i) {
    const std::string& site = names[pick(sites)];
    std::string attrs;
    if (pick(2)) attrs += "; Domain=" + site;
    if (pick(3)) attrs += std::string("; Path=") + paths[pick(6)];
    if (pick(2)) attrs += "; Max-Age=86400";
    if (pick(2)) attrs += "; Secure";
    if (pick(3) == 0) attrs += "; HttpOnly";
    attrs += same_site[pick(5)];
    w.sets.emplace_back("https://" + std::string(subs[pick(5)]) + site + paths[pick(6)],
                        "c" + std::to_string(i) + "=0123456789abcdef0123456789abcdef" + attrs);
  }
  for (std::size_t i = 0; i < lookups; ++i) {
    std::string site = pick(10) ? names[pick(sites)] : "unknown" + std::to_string(pick(1000)) + ".com";
    w.gets.push_back(std::string(pick(10) ? "https://" : "http://") + subs[pick(5)] + site + paths[pick(6)] +
                     (pick(3) ? "" : "/x?q=1"));
  }
  return w;
}

void fill(CookieJar& jar, const Workload& w) {
  for (const auto& [url, header] : w.sets) jar.store(url, header);
}

void BM_JarStore(benchmark::State& state) {
  const Workload w = make_workload(1000, 3000, 0);
  auto jar = std::make_unique<CookieJar>();
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == w.sets.size()) {
      state.PauseTiming();
      jar = std::make_unique<CookieJar>();
      i = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(jar->store(w.sets[i].first, w.sets[i].second));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JarStore);

// Lookup cost should follow the request's site, not the jar: sites 100 -> 100000 at 3 cookies
// a site (the jar's total limit keeps the newest 3000-3300 of them).
void BM_JarLookup(benchmark::State& state) {
  const auto sites = static_cast<std::size_t>(state.range(0));
  const Workload w = make_workload(sites, sites * 3, 10000);
  CookieJar jar;
  fill(jar, w);
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    std::string h = jar.cookie_header(w.gets[i]);
    bytes += h.size();
    benchmark::DoNotOptimize(h);
    if (++i == w.gets.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["header_bytes"] = benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_JarLookup)->Arg(100)->Arg(1000)->Arg(100000);

void BM_JarLookupConcurrent(benchmark::State& state) {
  static CookieJar* jar = nullptr;
  static Workload w;
  if (state.thread_index() == 0) {
    w = make_workload(1000, 3000, 10000);
    jar = new CookieJar;
    fill(*jar, w);
  }
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 997;
  for (auto _ : state) {
    benchmark::DoNotOptimize(jar->cookie_header(w.gets[i % w.gets.size()]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete jar;
    jar = nullptr;
  }
}
BENCHMARK(BM_JarLookupConcurrent)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace httpstate

BENCHMARK_MAIN();
