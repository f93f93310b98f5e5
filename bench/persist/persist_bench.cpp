// Jar files: load+save of 100k cookies per format, load against file size, and the latency of
// one write-through update to a SQLite jar as it grows. bench/persist/compare runs this beside
// Python's MozillaCookieJar on the same cookies.txt and writes docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "httpstate/persist/jar_file.hpp"
#include "httpstate/persist/netscape.hpp"
#include "httpstate/persist/sqlite_store.hpp"

namespace {

using namespace httpstate;
namespace fs = std::filesystem;

// HTTPSTATE_BENCH_DIR keeps the generated files (compare hands cookies-100000.txt to Python).
const fs::path& bench_dir() {
  static fs::path dir = [] {
    if (const char* d = std::getenv("HTTPSTATE_BENCH_DIR")) {
      fs::create_directories(d);
      return fs::path(d);
    }
    std::string tmpl = (fs::temp_directory_path() / "httpstate-bench-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) std::abort();
    return fs::path(tmpl);
  }();
  return dir;
}

// Deterministic, realistic cookies: 1 in 10 a session cookie, a mix of flags and lengths.
std::vector<Cookie> make_cookies(std::size_t n) {
  std::mt19937_64 rng(42);
  std::vector<Cookie> v;
  v.reserve(n);
  const Time base = from_unix_seconds(1'900'000'000);
  for (std::size_t i = 0; i < n; ++i) {
    Cookie c;
    c.domain = "site" + std::to_string(i / 20) + ".example";
    c.host_only = i % 3 != 0;
    c.path = i % 4 == 0 ? "/" : "/app/" + std::to_string(i % 7);
    c.name = "cookie_" + std::to_string(i);
    c.value = std::string(16 + rng() % 48, static_cast<char>('a' + i % 26));
    if (i % 10 != 0) c.expires = base + std::chrono::seconds(rng() % 1'000'000);
    c.secure = i % 2 == 0;
    c.http_only = i % 5 == 0;
    c.same_site = static_cast<SameSite>(i % 4);
    c.creation = from_unix_seconds(1'700'000'000) + std::chrono::microseconds(i);
    c.last_access = c.creation;
    v.push_back(std::move(c));
  }
  return v;
}

const std::vector<Cookie>& cookies(std::size_t n) {
  static std::map<std::size_t, std::vector<Cookie>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, make_cookies(n)).first;
  return it->second;
}

JarFileOptions keep_all(JarFormat f) {
  JarFileOptions o;
  o.format = f;
  o.load.keep_session_cookies = true;
  o.load.now = from_unix_seconds(1'800'000'000);
  return o;
}

fs::path file_for(JarFormat f, std::size_t n) {
  const char* ext = f == JarFormat::netscape ? ".txt" : f == JarFormat::json ? ".json" : ".sqlite";
  return bench_dir() / ("cookies-" + std::to_string(n) + ext);
}

// The load+save cycle a tool does on every run (curl -b/-c, a crawler's restart).
void BM_LoadSave(benchmark::State& state, JarFormat f) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto opts = keep_all(f);
  const auto src = file_for(f, n);
  if (!fs::exists(src) && !write_jar_file(src, cookies(n), opts)) state.SkipWithError("write");
  const auto dst = bench_dir() / ("out-" + src.filename().string());
  for (auto _ : state) {
    auto loaded = read_jar_file(src, opts);
    if (!loaded || loaded->cookies.size() != n) state.SkipWithError("load");
    auto saved = write_jar_file(dst, loaded->cookies, opts);
    if (!saved) state.SkipWithError("save");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

// The Netscape text work alone, in memory: what is left of load+save without the I/O.
void BM_NetscapeParse(benchmark::State& state) {
  const std::string text = format_netscape(cookies(static_cast<std::size_t>(state.range(0))));
  LoadOptions opts;
  opts.keep_session_cookies = true;
  opts.now = from_unix_seconds(1'800'000'000);
  for (auto _ : state) benchmark::DoNotOptimize(parse_netscape(text, opts));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * state.range(0)));
}

void BM_NetscapeFormat(benchmark::State& state) {
  const auto& v = cookies(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(format_netscape(v));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * state.range(0)));
}

// Load alone against the file size: linear, not mechanize's cleanup-per-insert quadratic.
void BM_LoadScaling(benchmark::State& state, JarFormat f) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto opts = keep_all(f);
  const auto src = file_for(f, n);
  if (!fs::exists(src) && !write_jar_file(src, cookies(n), opts)) state.SkipWithError("write");
  for (auto _ : state) {
    auto loaded = read_jar_file(src, opts);
    benchmark::DoNotOptimize(loaded);
  }
  state.SetComplexityN(static_cast<std::int64_t>(n));
  state.counters["bytes"] = static_cast<double>(fs::file_size(src));
}

// One write-through update (an upsert of an existing row, its own transaction) in a SQLite
// jar of N rows; p50/p99 over every update of the run.
void BM_SqliteWriteThrough(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto path = bench_dir() / ("writethrough-" + std::to_string(n) + ".sqlite");
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  fs::remove(path.string() + "-shm");
  auto store = SqliteStore::open(path);
  if (!store) {
    state.SkipWithError("open");
    return;
  }
  const auto& base = cookies(n);
  if (!(*store)->replace_all(base)) state.SkipWithError("fill");
  std::mt19937_64 rng(7);
  std::vector<double> us;
  us.reserve(1 << 16);
  std::uint64_t k = 0;
  for (auto _ : state) {
    Cookie c = base[rng() % n];
    c.value = "updated" + std::to_string(k++);
    auto t0 = std::chrono::steady_clock::now();
    (*store)->on_add(c);
    auto t1 = std::chrono::steady_clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  if ((*store)->failed_writes() != 0) state.SkipWithError("write failed");
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
  state.counters["rows"] = static_cast<double>(n);
}

BENCHMARK_CAPTURE(BM_LoadSave, netscape, JarFormat::netscape)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadSave, json, JarFormat::json)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadSave, sqlite, JarFormat::sqlite)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NetscapeParse)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NetscapeFormat)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadScaling, netscape, JarFormat::netscape)
    ->RangeMultiplier(4)->Range(10'000, 640'000)->Complexity(benchmark::oN)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadScaling, json, JarFormat::json)
    ->RangeMultiplier(4)->Range(10'000, 160'000)->Complexity(benchmark::oN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SqliteWriteThrough)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Iterations(5000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
