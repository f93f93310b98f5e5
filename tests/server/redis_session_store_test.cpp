// The Redis store against a real redis-server: the store contract, the manager suite, URLs with
// AUTH and SELECT, records that are not ours, and an outage in the middle of a run.
#include "httpstate/server/redis_session_store.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>

#include "manager_contract.hpp"
#include "redis_server.hpp"
#include "store_contract.hpp"

namespace httpstate::server::testing {
namespace {

RedisServer& shared_server() {
  static RedisServer server;
  return server;
}

std::string unique_prefix() {
  static std::atomic<int> n{0};
  return "test" + std::to_string(getpid()) + ":" + std::to_string(n++) + ":";
}

struct RedisTraits {
  static constexpr bool real_time = false;
  static constexpr bool sweeps = false;  // Redis expires keys itself
  static constexpr bool keyed = true;
  static constexpr bool cas = true;
  static constexpr int transactions_per_thread = 50;
  FakeClock clock;
  std::shared_ptr<SessionStore> make() {
    EXPECT_TRUE(shared_server().running());
    return std::make_shared<RedisSessionStore>(RedisSessionOptions{
        .url = shared_server().url(), .key_prefix = unique_prefix(), .max_idle_connections = 64, .clock = clock.clock()});
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Redis, StoreContract, RedisTraits);
INSTANTIATE_TYPED_TEST_SUITE_P(Redis, ManagerContract, RedisTraits);

struct Raw {
  redisContext* c;
  explicit Raw(int port, const char* password = nullptr) : c(redisConnect("127.0.0.1", port)) {
    if (password) run({"AUTH", password});
  }
  ~Raw() { redisFree(c); }
  std::string run(std::vector<std::string> args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    std::string out = !r ? "(no reply)" : r->type == REDIS_REPLY_INTEGER ? std::to_string(r->integer)
                      : r->str ? std::string(r->str, r->len) : r->type == REDIS_REPLY_NIL ? "(nil)" : "(other)";
    if (r) freeReplyObject(r);
    return out;
  }
};

TEST(RedisSessionStore, RecordsArePrefixedHashedKeysThatRedisExpires) {
  const auto prefix = unique_prefix();
  RedisSessionStore store({.url = shared_server().url(), .key_prefix = prefix});
  SessionManager mgr({.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h},
                     std::shared_ptr<SessionStore>(&store, [](SessionStore*) {}));
  Session s = mgr.load("");
  s.data()["user"] = "heidi";
  const auto id = cookie_pair(*mgr.commit(s)).substr(4);
  Raw raw(shared_server().port());
  const auto keys = raw.run({"KEYS", prefix + "*"});
  EXPECT_EQ(keys, "(other)") << "an array of one key";
  auto* r = static_cast<redisReply*>(redisCommand(raw.c, "KEYS %s*", prefix.c_str()));
  ASSERT_EQ(r->elements, 1u);
  const std::string key(r->element[0]->str, r->element[0]->len);
  freeReplyObject(r);
  EXPECT_EQ(key.size(), prefix.size() + 64);
  EXPECT_EQ(key.find(id), std::string::npos);
  const auto ttl = std::stoll(raw.run({"PTTL", key}));
  EXPECT_GT(ttl, 29 * 60 * 1000);
  EXPECT_LE(ttl, 30 * 60 * 1000);
  // A real (short) TTL: Redis drops the key by itself; waited for a bounded number of times.
  ASSERT_TRUE(store.create(test_key(7), {"{}", 1, system_now_ms(), 0}, 100ms));
  bool gone = false;
  for (int i = 0; i < 300 && !gone; ++i) {
    gone = raw.run({"EXISTS", prefix + test_key(7)}) == "0";
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(gone);
}

TEST(RedisSessionStore, KeysThatAreNotOursGiveAFreshSession) {
  const auto prefix = unique_prefix();
  auto store = std::make_shared<RedisSessionStore>(RedisSessionOptions{.url = shared_server().url(), .key_prefix = prefix});
  auto counting = std::make_shared<CountingStore>(store);
  auto log = std::make_shared<EventLog>();
  SessionConfig c{.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h};
  c.on_event = [log](const SessionLogEntry& e) { log->add(e); };
  SessionManager mgr(c, counting);
  Raw raw(shared_server().port());
  for (const std::vector<std::string>& clobber :
       {std::vector<std::string>{"SET", "", "garbage"}, {"SET", "", "hs1|9999999999999999|x|y|{}"},
        {"SET", "", "hs1|9999999999999999|3|" + std::to_string(system_now_ms()) + "|not json"}, {"HSET", "", "f", "v"}, {"LPUSH", "", "x"}}) {
    Session s = mgr.load("");
    s.data()["x"] = 1;
    const auto pair = cookie_pair(*mgr.commit(s));
    const auto key = prefix + counting->last_key();
    raw.run({"DEL", key});
    auto cmd = clobber;
    cmd[1] = key;
    raw.run(cmd);
    Session t = mgr.load(pair);
    EXPECT_TRUE(t.data().empty()) << clobber[2];
    t.data()["y"] = 1;
    const auto sent = mgr.commit(t);
    ASSERT_TRUE(sent);
    EXPECT_NE(cookie_pair(*sent), pair);
  }
  EXPECT_GE(log->count(SessionEvent::refused), 5);
}

TEST(RedisSessionStore, UrlsCarryAuthAndTheDatabase) {
  RedisServer locked({"--requirepass", "s3cret-pass"});
  ASSERT_TRUE(locked.running());
  for (const std::string auth : {":s3cret-pass@", "default:s3cret-pass@"}) {
    const auto prefix = unique_prefix();
    RedisSessionStore store({.url = locked.url(auth, 3), .key_prefix = prefix});
    ASSERT_TRUE(store.create(test_key(1), {"{}", 1, system_now_ms(), 0}, 60s));
    EXPECT_TRUE(store.load(test_key(1)));
    Raw raw(locked.port(), "s3cret-pass");
    EXPECT_EQ(raw.run({"EXISTS", prefix + test_key(1)}), "0") << "not in db 0";
    raw.run({"SELECT", "3"});
    EXPECT_EQ(raw.run({"EXISTS", prefix + test_key(1)}), "1") << "in db 3";
  }
  RedisSessionStore wrong({.url = locked.url(":wrong-pass@"), .key_prefix = unique_prefix()});
  try {
    wrong.load(test_key(1));
    ADD_FAILURE() << "a wrong password was accepted";
  } catch (const StoreUnavailable& e) {
    EXPECT_EQ(std::string(e.what()).find("wrong-pass"), std::string::npos) << "no secret in the message";
    EXPECT_NE(std::string(e.what()).find("AUTH"), std::string::npos) << e.what();
  }
  EXPECT_THROW(RedisSessionStore({.url = "http://127.0.0.1:1/0"}), httpstate::error);
  EXPECT_THROW(RedisSessionStore({.url = "redis://127.0.0.1:1/x"}), httpstate::error);
  EXPECT_THROW(RedisSessionStore({.url = "not a url"}), httpstate::error);
}

// The outage: the server hangs, then dies in the middle of a run; each failure is
// StoreUnavailable within the timeouts; restarted on the same port, the same manager works.
TEST(RedisSessionStore, AnOutageIsStoreUnavailableAndTheSameManagerRecovers) {
  RedisServer server;
  ASSERT_TRUE(server.running());
  constexpr auto timeout = 300ms;
  auto store = std::make_shared<RedisSessionStore>(RedisSessionOptions{
      .url = server.url(), .key_prefix = "outage:", .connect_timeout = timeout, .command_timeout = timeout});
  SessionConfig c{.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h};
  SessionManager mgr(c, store);
  Session s = mgr.load("");
  s.data()["n"] = 0;
  const auto pair = cookie_pair(*mgr.commit(s));
  auto bump = [&](const std::string& cookie) {
    return mgr.transact(cookie, [](Session& x) { x.data()["n"] = x.data().value("n", 0) + 1; });
  };
  for (int i = 0; i < 20; ++i) bump(pair);
  EXPECT_EQ(view(mgr.load(pair)).at("n"), 20);

  // 1. A hung server: the command timeout fires (without it this call would wait forever).
  server.pause();
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(bump(pair), StoreUnavailable);
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(waited, timeout * 2 + 5s) << "StoreUnavailable within the timeouts";
  ::testing::Test::RecordProperty("hung_ms", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()));
  // 2. A dead server: connection refused.
  server.stop();
  t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(mgr.load(pair), StoreUnavailable);
  EXPECT_THROW(bump(pair), StoreUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, timeout * 4 + 5s);
  // 3. Back on the same port, empty (no persistence): the old session is gone, new ones work,
  // and the scripts are loaded again (NOSCRIPT) by the same store.
  ASSERT_TRUE(server.start());
  EXPECT_TRUE(mgr.load(pair).is_new());
  Session fresh = mgr.load("");
  fresh.data()["n"] = 100;
  const auto again = cookie_pair(*mgr.commit(fresh));
  for (int i = 0; i < 5; ++i) bump(again);
  EXPECT_EQ(view(mgr.load(again)).at("n"), 105);
}

}  // namespace
}  // namespace httpstate::server::testing
