// SessionManager::load + modify + commit of one of 1000 sessions, per store, beside the floor:
// the same store used bare in the same run (a locked map; sqlite3 SELECT + UPDATE; hiredis GET +
// SET; AES-GCM open + seal). Each thread works on its own sessions, so no commit conflicts.
// Redis runs when HTTPSTATE_BENCH_REDIS_PORT names a redis-server on 127.0.0.1 (sessions.sh
// starts one).
#include <benchmark/benchmark.h>
#include <hiredis/hiredis.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "httpstate/codec/encrypted.hpp"
#include "httpstate/server/session_manager.hpp"

namespace {

using namespace httpstate::server;
namespace fs = std::filesystem;

constexpr int sessions = 1000;
const std::string secret = "bench-session-secret-of-32-bytes";

const fs::path& bench_dir() {
  static const fs::path dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "httpstate-sessions-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) std::abort();
    return fs::path(tmpl);
  }();
  return dir;
}

int redis_port() {
  const char* p = std::getenv("HTTPSTATE_BENCH_REDIS_PORT");
  return p ? std::atoi(p) : 0;
}

// A manager over one store with 1000 live sessions, and the Cookie header of each.
struct Fixture {
  std::unique_ptr<SessionManager> mgr;
  std::vector<std::string> headers;
  explicit Fixture(std::shared_ptr<SessionStore> store) {
    SessionConfig cfg{.cookie_name = "sid", .idle_timeout = std::chrono::minutes(30),
                      .absolute_timeout = std::chrono::hours(12)};
    mgr = std::make_unique<SessionManager>(cfg, std::move(store));
    for (int i = 0; i < sessions; ++i) {
      Session s = mgr->load("");
      s.data()["user"] = "user" + std::to_string(i);
      s.data()["counter"] = 0;
      const auto line = mgr->commit(s);
      headers.push_back("theme=dark; " + line->substr(0, line->find(';')));
    }
  }
};

void manager_round(benchmark::State& state, Fixture& f) {
  int i = state.thread_index();
  for (auto _ : state) {
    Session s = f.mgr->load(f.headers[i]);
    auto& d = s.data();
    d["counter"] = d.value("counter", 0) + 1;
    auto line = f.mgr->commit(s);
    benchmark::DoNotOptimize(line);
    if (f.mgr->store().in_cookie()) f.headers[i] = "theme=dark; " + line->substr(0, line->find(';'));
    i = (i + state.threads()) % sessions;
  }
}

// What a record of the manager's looks like in a bare store: the key is a hex SHA-256.
std::string bare_key(int i) { return std::string(56, 'k') + std::to_string(10000000 + i); }
std::string bare_value(int i) { return R"({"counter":0,"user":"user)" + std::to_string(i) + R"("})"; }

void BM_manager_memory(benchmark::State& state) {
  static Fixture f(std::make_shared<MemorySessionStore>());
  manager_round(state, f);
}

void BM_bare_memory(benchmark::State& state) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::string> map = [] {
    std::unordered_map<std::string, std::string> m;
    for (int i = 0; i < sessions; ++i) m[bare_key(i)] = bare_value(i);
    return m;
  }();
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (int i = 0; i < sessions; ++i) k.push_back(bare_key(i));
    return k;
  }();
  int i = state.thread_index();
  for (auto _ : state) {
    std::string v;
    {
      std::lock_guard lock(mutex);
      v = map.find(keys[i])->second;
    }
    v[11] = v[11] == '0' ? '1' : '0';
    {
      std::lock_guard lock(mutex);
      map[keys[i]] = std::move(v);
    }
    i = (i + state.threads()) % sessions;
  }
}

void BM_manager_sqlite(benchmark::State& state) {
  static Fixture f(std::make_shared<SqliteSessionStore>(bench_dir() / "sessions.db"));
  manager_round(state, f);
}

struct BareSqlite {
  sqlite3* db = nullptr;
  sqlite3_stmt* select = nullptr;
  sqlite3_stmt* update = nullptr;
  explicit BareSqlite(const fs::path& path) {
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE TABLE IF NOT EXISTS bare(key TEXT PRIMARY KEY, data TEXT) WITHOUT ROWID",
                 nullptr, nullptr, nullptr);
    sqlite3_prepare_v3(db, "SELECT data FROM bare WHERE key = ?1", -1, SQLITE_PREPARE_PERSISTENT, &select, nullptr);
    sqlite3_prepare_v3(db, "UPDATE bare SET data = ?2 WHERE key = ?1", -1, SQLITE_PREPARE_PERSISTENT, &update, nullptr);
  }
  ~BareSqlite() {
    sqlite3_finalize(select);
    sqlite3_finalize(update);
    sqlite3_close(db);
  }
};

void BM_bare_sqlite(benchmark::State& state) {
  static const fs::path path = [] {
    const fs::path p = bench_dir() / "bare.db";
    BareSqlite b(p);
    sqlite3_exec(b.db, "BEGIN", nullptr, nullptr, nullptr);
    for (int i = 0; i < sessions; ++i)
      sqlite3_exec(b.db, ("INSERT OR REPLACE INTO bare VALUES('" + bare_key(i) + "', '" + bare_value(i) + "')").c_str(),
                   nullptr, nullptr, nullptr);
    sqlite3_exec(b.db, "COMMIT", nullptr, nullptr, nullptr);
    return p;
  }();
  BareSqlite b(path);  // one connection per thread, as the store keeps
  const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (int i = 0; i < sessions; ++i) k.push_back(bare_key(i));
    return k;
  }();
  int i = state.thread_index();
  for (auto _ : state) {
    sqlite3_bind_text(b.select, 1, keys[i].data(), static_cast<int>(keys[i].size()), SQLITE_STATIC);
    if (sqlite3_step(b.select) != SQLITE_ROW) state.SkipWithError("bare SELECT found no row");
    std::string v(reinterpret_cast<const char*>(sqlite3_column_text(b.select, 0)), sqlite3_column_bytes(b.select, 0));
    sqlite3_reset(b.select);
    v[11] = v[11] == '0' ? '1' : '0';
    sqlite3_bind_text(b.update, 1, keys[i].data(), static_cast<int>(keys[i].size()), SQLITE_STATIC);
    sqlite3_bind_text(b.update, 2, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    if (sqlite3_step(b.update) != SQLITE_DONE) state.SkipWithError("bare UPDATE failed");
    sqlite3_reset(b.update);
    i = (i + state.threads()) % sessions;
  }
}

void BM_manager_redis(benchmark::State& state) {
  if (!redis_port()) return state.SkipWithError("HTTPSTATE_BENCH_REDIS_PORT not set");
  static Fixture f(std::make_shared<RedisSessionStore>(
      RedisSessionOptions{.url = "redis://127.0.0.1:" + std::to_string(redis_port()) + "/0"}));
  manager_round(state, f);
}

void BM_bare_redis(benchmark::State& state) {
  if (!redis_port()) return state.SkipWithError("HTTPSTATE_BENCH_REDIS_PORT not set");
  redisContext* c = redisConnect("127.0.0.1", redis_port());  // one connection per thread
  if (!c || c->err) return state.SkipWithError("cannot connect to redis");
  std::vector<std::string> keys;
  for (int i = 0; i < sessions; ++i) {
    keys.push_back("bare:" + bare_key(i));
    freeReplyObject(redisCommand(c, "SET %s %s", keys.back().c_str(), bare_value(i).c_str()));
  }
  int i = state.thread_index();
  for (auto _ : state) {
    auto* r = static_cast<redisReply*>(redisCommand(c, "GET %b", keys[i].data(), keys[i].size()));
    if (!r || r->type != REDIS_REPLY_STRING) {
      state.SkipWithError("bare GET failed");
      break;
    }
    std::string v(r->str, r->len);
    freeReplyObject(r);
    v[11] = v[11] == '0' ? '1' : '0';
    freeReplyObject(redisCommand(c, "SET %b %b", keys[i].data(), keys[i].size(), v.data(), v.size()));
    i = (i + state.threads()) % sessions;
  }
  redisFree(c);
}

void BM_manager_cookie(benchmark::State& state) {
  // Each thread has its own fixture: a cookie session's header changes with every commit.
  static Fixture f1(std::make_shared<CookieSessionStore>(CookieSessionOptions{.secrets = {secret}}));
  static Fixture f2(std::make_shared<CookieSessionStore>(CookieSessionOptions{.secrets = {secret}}));
  manager_round(state, state.thread_index() == 0 ? f1 : f2);
}

void BM_bare_cookie(benchmark::State& state) {
  static const httpstate::codec::EncryptedCodec codec({{1, secret}}, "session");
  std::vector<std::string> tokens;
  for (int i = 0; i < sessions; ++i) tokens.push_back(codec.seal("s", bare_value(i)));
  int i = state.thread_index();
  for (auto _ : state) {
    auto o = codec.open("s", tokens[i]);
    if (!o) {
      state.SkipWithError("bare open failed");
      break;
    }
    o->value[11] = o->value[11] == '0' ? '1' : '0';
    tokens[i] = codec.seal("s", o->value);
    i = (i + state.threads()) % sessions;
  }
}

#define SESSION_BENCH(fn) BENCHMARK(fn)->Threads(1)->Threads(2)->UseRealTime()
SESSION_BENCH(BM_manager_memory);
SESSION_BENCH(BM_bare_memory);
SESSION_BENCH(BM_manager_sqlite);
SESSION_BENCH(BM_bare_sqlite);
SESSION_BENCH(BM_manager_redis);
SESSION_BENCH(BM_bare_redis);
SESSION_BENCH(BM_manager_cookie);
SESSION_BENCH(BM_bare_cookie);

}  // namespace

BENCHMARK_MAIN();
