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

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "httpstate/persist/atomic_file.hpp"
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

// The input file of n cookies, written once and reused by every benchmark that reads it.
fs::path source_file(benchmark::State& state, JarFormat f, std::size_t n, const JarFileOptions& opts) {
  auto src = file_for(f, n);
  if (!fs::exists(src) && !write_jar_file(src, cookies(n), opts)) state.SkipWithError("write");
  return src;
}

// The load+save cycle a tool does on every run (curl -b/-c, a crawler's restart), on the cookie
// vector (read_jar_file/write_jar_file): 100k cookies are more than a CookieJar keeps. Three
// repetitions, so compare can take the best of 3 as it does for Python.
void BM_LoadSave(benchmark::State& state, JarFormat f) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto opts = keep_all(f);
  const auto src = source_file(state, f, n, opts);
  const auto dst = bench_dir() / ("out-" + src.filename().string());
  for (auto _ : state) {
    auto loaded = read_jar_file(src, opts);
    if (!loaded || loaded->cookies.size() != n) {
      state.SkipWithError("load");
      break;  // nothing to save
    }
    auto saved = write_jar_file(dst, loaded->cookies, opts);
    if (!saved) state.SkipWithError("save");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

// What a program with a CookieJar does: load_jar_file into the jar, save_jar_file from it. At
// 3,300 cookies, the jar's total limit (limits::max_cookies_total): a jar never holds 100k.
void BM_JarLoadSave(benchmark::State& state, JarFormat f) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto opts = keep_all(f);
  const auto src = source_file(state, f, n, opts);
  const auto dst = bench_dir() / ("jar-out-" + src.filename().string());
  for (auto _ : state) {
    CookieJar jar;
    auto loaded = load_jar_file(src, jar, opts);
    if (!loaded || jar.size() != n) state.SkipWithError("load");
    if (!save_jar_file(dst, jar, opts)) state.SkipWithError("save");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

// The two halves of BM_LoadSave apart, to see which one a format spends its time in.
void BM_Load(benchmark::State& state, JarFormat f) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto opts = keep_all(f);
  const auto src = source_file(state, f, n, opts);
  for (auto _ : state) {
    auto loaded = read_jar_file(src, opts);
    if (!loaded || loaded->cookies.size() != n) state.SkipWithError("load");
    benchmark::DoNotOptimize(loaded);
  }
  state.counters["bytes"] = static_cast<double>(fs::file_size(src));
}

void BM_Save(benchmark::State& state, JarFormat f) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto opts = keep_all(f);
  const auto src = source_file(state, f, n, opts);
  auto loaded = read_jar_file(src, opts);
  if (!loaded) state.SkipWithError("load");
  const auto dst = bench_dir() / ("save-" + src.filename().string());
  for (auto _ : state)
    if (!write_jar_file(dst, loaded->cookies, opts)) state.SkipWithError("save");
}

// Floors: what the mandated libraries cost alone on the same 100k cookies, with none of our
// work. nlohmann's SAX parser with a handler that does nothing, over the JSON jar:
struct NoopSax : nlohmann::json_sax<nlohmann::json> {
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool key(string_t&) override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

void BM_FloorJsonParse(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto src = source_file(state, JarFormat::json, n, keep_all(JarFormat::json));
  std::string text;
  if (read_whole_file(src, text)) state.SkipWithError("read");
  for (auto _ : state) {
    NoopSax sax;
    benchmark::DoNotOptimize(nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &sax));
  }
}

// SQLite alone: every row of the jar selected (columns read, nothing built), then the same rows
// inserted into a new WAL file in one transaction from one prepared statement (SQLITE_STATIC).
void BM_FloorSqlite(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& v = cookies(n);
  const auto path = bench_dir() / "floor.sqlite";
  for (auto _ : state) {
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
                 "CREATE TABLE cookies (domain TEXT NOT NULL, host_only INTEGER NOT NULL, path TEXT NOT NULL,"
                 " name TEXT NOT NULL, value TEXT NOT NULL, expires INTEGER, creation INTEGER NOT NULL,"
                 " last_access INTEGER NOT NULL, secure INTEGER NOT NULL, http_only INTEGER NOT NULL,"
                 " same_site INTEGER NOT NULL, partitioned INTEGER NOT NULL DEFAULT 0,"
                 " PRIMARY KEY (domain, host_only, path, name)) WITHOUT ROWID; BEGIN",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO cookies VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", -1, &ins, nullptr);
    for (const Cookie& c : v) {
      sqlite3_bind_text(ins, 1, c.domain.data(), static_cast<int>(c.domain.size()), SQLITE_STATIC);
      sqlite3_bind_int(ins, 2, c.host_only);
      sqlite3_bind_text(ins, 3, c.path.data(), static_cast<int>(c.path.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 4, c.name.data(), static_cast<int>(c.name.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 5, c.value.data(), static_cast<int>(c.value.size()), SQLITE_STATIC);
      sqlite3_bind_int64(ins, 6, c.expires ? c.expires->time_since_epoch().count() : 0);
      sqlite3_bind_int64(ins, 7, c.creation.time_since_epoch().count());
      sqlite3_bind_int64(ins, 8, c.last_access.time_since_epoch().count());
      sqlite3_bind_int(ins, 9, c.secure);
      sqlite3_bind_int(ins, 10, c.http_only);
      sqlite3_bind_int(ins, 11, static_cast<int>(c.same_site));
      sqlite3_bind_int(ins, 12, c.partitioned);
      if (sqlite3_step(ins) != SQLITE_DONE) state.SkipWithError("insert");
      sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_stmt* sel = nullptr;
    sqlite3_prepare_v2(db, "SELECT * FROM cookies", -1, &sel, nullptr);
    std::size_t bytes = 0;
    while (sqlite3_step(sel) == SQLITE_ROW)
      for (int i = 0; i < 12; ++i) {
        if (i == 0 || (i >= 2 && i <= 4)) {
          benchmark::DoNotOptimize(sqlite3_column_text(sel, i));
          bytes += static_cast<std::size_t>(sqlite3_column_bytes(sel, i));
        } else {
          bytes += static_cast<std::size_t>(sqlite3_column_int64(sel, i));
        }
      }
    benchmark::DoNotOptimize(bytes);
    sqlite3_finalize(sel);
    sqlite3_close(db);
  }
}

// The atomic save alone: the bytes of the cookies.txt written to a temp file, fsynced, renamed,
// the directory fsynced (write_file_atomically), with no cookie work. Python does not fsync.
void BM_FloorAtomicWrite(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::string text = format_netscape(cookies(n));
  const auto dst = bench_dir() / ("floor-" + std::to_string(n) + ".txt");
  for (auto _ : state)
    if (write_file_atomically(dst, text)) state.SkipWithError("write");
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
  const auto src = source_file(state, f, n, opts);
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

BENCHMARK_CAPTURE(BM_LoadSave, netscape, JarFormat::netscape)->Arg(100'000)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadSave, json, JarFormat::json)->Arg(100'000)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadSave, sqlite, JarFormat::sqlite)->Arg(100'000)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_JarLoadSave, netscape, JarFormat::netscape)->Arg(3'300)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_JarLoadSave, json, JarFormat::json)->Arg(3'300)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_JarLoadSave, sqlite, JarFormat::sqlite)->Arg(3'300)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Load, netscape, JarFormat::netscape)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Load, json, JarFormat::json)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Load, sqlite, JarFormat::sqlite)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Save, netscape, JarFormat::netscape)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Save, json, JarFormat::json)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Save, sqlite, JarFormat::sqlite)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FloorJsonParse)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FloorSqlite)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FloorAtomicWrite)->Arg(3'300)->Arg(100'000)->Iterations(50)->Repetitions(3)->Unit(benchmark::kMillisecond);
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
