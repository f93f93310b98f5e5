// SessionManager behaviour that does not depend on the store: signed ids, records that are not
// ours, configuration errors, the cheap paths.
#include "httpstate/server/session_manager.hpp"

#include <gtest/gtest.h>

#include <tuple>

#include "httpstate/cookie/limits.hpp"

#include "manager_contract.hpp"

// The contract is instantiated once per store in that store's test file.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ManagerContract);

namespace httpstate::server::testing {
namespace {

struct SessionManagerTest : ::testing::Test {
  FakeClock clock;
  std::shared_ptr<MemorySessionStore> memory =
      std::make_shared<MemorySessionStore>(MemoryStoreOptions{.clock = clock.clock()});
  std::shared_ptr<CountingStore> counting = std::make_shared<CountingStore>(memory);
  std::shared_ptr<EventLog> log = std::make_shared<EventLog>();
  SessionConfig config() {
    SessionConfig c{.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h};
    c.clock = clock.clock();
    c.on_event = [log = log](const SessionLogEntry& e) { log->add(e); };
    return c;
  }
};

TEST_F(SessionManagerTest, IdsAre128RandomBitsInBase64url) {
  SessionManager mgr(config(), counting);
  std::set<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    Session s = mgr.load("");
    s.data()["i"] = i;
    const auto v = cookie_pair(*mgr.commit(s)).substr(4);
    EXPECT_EQ(v.size(), 22u);
    EXPECT_EQ(v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    ids.insert(v);
  }
  EXPECT_EQ(ids.size(), 200u);
}

TEST_F(SessionManagerTest, WithASecretForgedIdsAreRefusedWithoutAStoreRoundTrip) {
  auto c = config();
  c.secrets = {"a-session-secret-of-32-bytes-ok!"};
  SessionManager mgr(c, counting);
  Session s = mgr.load("");
  s.data()["user"] = "frank";
  const auto pair = cookie_pair(*mgr.commit(s));
  const auto value = pair.substr(4);
  ASSERT_NE(value.find('.'), std::string::npos) << "id.signature";
  EXPECT_FALSE(mgr.load(pair).is_new());
  counting->reset();
  const std::string id = value.substr(0, value.find('.'));
  for (const std::string& forged : {id, id + ".", id + ".AAAA", "AAAAAAAAAAAAAAAAAAAAAA" + value.substr(22),
                                   value.substr(0, value.size() - 1), value + "A"}) {
    EXPECT_TRUE(mgr.load("sid=" + forged).is_new()) << forged;
  }
  EXPECT_EQ(counting->loads.load(), 0) << "refused on the signature alone";
  EXPECT_TRUE(log->has(SessionEvent::refused, "bad signature"));
  // Another secret's ids are forged ids too; the old secret still verifies after rotation.
  auto other = config();
  other.secrets = {"another-session-secret-32-bytes!"};
  EXPECT_TRUE(SessionManager(other, counting).load(pair).is_new());
  auto rotated = config();
  rotated.secrets = {"a-session-secret-of-32-bytes-ok!", "the-next-session-secret-32-bytes"};
  EXPECT_FALSE(SessionManager(rotated, counting).load(pair).is_new());
  auto weak = config();
  weak.secrets = {"short"};
  EXPECT_THROW(SessionManager(weak, counting), httpstate::error);
}

TEST_F(SessionManagerTest, ARecordThatIsNotOursGivesAFreshSessionAndALogEvent) {
  SessionManager mgr(config(), counting);
  const std::string deep = std::string(600, '[') + std::string(600, ']');
  for (const std::string& garbage : std::vector<std::string>{"not json", "[1,2,3]", "\"text\"", "{\"unterminated\":", "", deep,
                                    std::string("\xff\xfe{}", 4), std::string("{\"a\":\"\xc3\"}")}) {
    Session s = mgr.load("");
    s.data()["x"] = 1;
    const auto pair = cookie_pair(*mgr.commit(s));
    // Overwrite the record, as a foreign writer or a damaged file would.
    ASSERT_EQ(memory->save(counting->last_key(), {garbage, 2, clock.now(), 0}, 1, 30min), SaveResult::saved);
    const auto before = log->count(SessionEvent::refused);
    Session t = mgr.load(pair);
    EXPECT_TRUE(t.data().empty()) << garbage.substr(0, 20);
    EXPECT_EQ(log->count(SessionEvent::refused), before + 1);
    t.data()["y"] = 2;
    const auto sent = mgr.commit(t);
    ASSERT_TRUE(sent);
    EXPECT_NE(cookie_pair(*sent), pair) << "a fresh session gets a fresh id";
    EXPECT_TRUE(mgr.load(pair).is_new()) << "the bad record is gone";
    EXPECT_EQ(view(mgr.load(cookie_pair(*sent))).at("y"), 2);
  }
  // A record without a version or creation time is not ours either.
  Session s = mgr.load("");
  s.data()["x"] = 1;
  const auto pair = cookie_pair(*mgr.commit(s));
  ASSERT_EQ(memory->save(counting->last_key(), {"{}", 0, 0, 0}, 1, 30min), SaveResult::saved);
  EXPECT_TRUE(mgr.load(pair).is_new());
  EXPECT_TRUE(log->has(SessionEvent::refused, "record is not ours"));
}

TEST_F(SessionManagerTest, TransactRerunsTheHandlerOnAConflict) {
  SessionManager mgr(config(), counting);
  Session s = mgr.load("");
  s.data()["n"] = 0;
  const auto pair = cookie_pair(*mgr.commit(s));
  int runs = 0;
  mgr.transact(pair, [&](Session& x) {
    ++runs;
    if (runs == 1) {  // another request commits in between
      Session other = mgr.load(pair);
      other.data()["n"] = 10;
      mgr.commit(other);
    }
    x.data()["n"] = x.data()["n"].get<int>() + 1;
  });
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(view(mgr.load(pair)).at("n"), 11);
  // A handler that always loses gives up after max_attempts.
  auto c = config();
  c.max_attempts = 3;
  SessionManager limited(c, counting);
  runs = 0;
  EXPECT_THROW(limited.transact(pair, [&](Session& x) {
    ++runs;
    Session other = limited.load(pair);
    other.data()["n"] = runs * 100;
    limited.commit(other);
    x.data()["n"] = -1;
  }), SessionConflict);
  EXPECT_EQ(runs, 3);
}

TEST_F(SessionManagerTest, ReadingTheDataCostsNoSaveAndAFreshRequestNoStoreCall) {
  SessionManager mgr(config(), counting);
  Session none = mgr.load("a=1; b=2");
  EXPECT_FALSE(mgr.commit(none));
  EXPECT_EQ(counting->loads + counting->creates, 0);
  Session s = mgr.load("");
  s.data()["n"] = 1;
  const auto pair = cookie_pair(*mgr.commit(s));
  counting->reset();
  Session r = mgr.load(pair);
  EXPECT_EQ(view(r).at("n"), 1);
  EXPECT_FALSE(mgr.commit(r));
  EXPECT_EQ(counting->loads.load(), 1);
  EXPECT_EQ(counting->saves + counting->touches + counting->creates, 0);
}

TEST_F(SessionManagerTest, BadConfigurationThrows) {
  auto c = config();
  c.idle_timeout = 0ms;
  EXPECT_THROW(SessionManager(c, counting), httpstate::error);
  c = config();
  c.max_attempts = 0;
  EXPECT_THROW(SessionManager(c, counting), httpstate::error);
  c = config();
  c.path = "no-slash";
  EXPECT_THROW(SessionManager(c, counting), httpstate::error);
  EXPECT_THROW(SessionManager(config(), nullptr), httpstate::error);
}

TEST_F(SessionManagerTest, ASignedIdPastItsIdleTimeoutIsLoggedAsExpired) {
  auto c = config();
  c.secrets = {"a-session-secret-of-32-bytes-ok!"};
  SessionManager mgr(c, counting);
  Session s = mgr.load("");
  s.data()["x"] = 1;
  const auto pair = cookie_pair(*mgr.commit(s));
  clock.advance(31 * 60 * 1000);
  EXPECT_TRUE(mgr.load(pair).is_new());
  EXPECT_TRUE(log->has(SessionEvent::expired, "expired or removed"));
}

// Issue 12's bad input, case by case: each gives a fresh session and its own log event, and a
// commit that deletes the cookie the client holds.
TEST_F(SessionManagerTest, EachBadInputGivesAFreshSessionAndALogEvent) {
  SessionManager mgr(config(), counting);
  Session s = mgr.load("");
  s.data()["user"] = "gina";
  const auto good = cookie_pair(*mgr.commit(s));
  const std::string key = counting->last_key();
  const std::string value = good.substr(4);
  std::string tampered = value;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  struct Case {
    std::string name, header, reason;
  };
  const std::vector<Case> cases = {
      {"malformed", "sid=not an id", "malformed id"},
      {"malformed, control bytes", std::string("sid=\x01\x02", 6), "malformed id"},
      {"oversized header", "sid=" + value + "; pad=" + std::string(limits::max_header_bytes, 'p'), "oversized Cookie header"},
      {"oversized cookie", "sid=" + std::string(max_id_cookie_bytes + 1, 'A'), "oversized session cookie"},
      {"duplicated", "sid=a; sid=b; sid=c; sid=d; " + good, "too many session cookies"},
      {"tampered id", "sid=" + tampered, "unknown or expired id"},
      {"truncated id", "sid=" + value.substr(0, value.size() - 2), "malformed id"},
  };
  for (const auto& c : cases) {
    const auto before = log->events.size();
    Session r = mgr.load(c.header);
    EXPECT_TRUE(r.is_new()) << c.name;
    EXPECT_TRUE(view(r).empty()) << c.name;
    ASSERT_GT(log->events.size(), before) << c.name << ": no log event";
    EXPECT_EQ(log->events.back().first, SessionEvent::refused) << c.name;
    EXPECT_EQ(log->events.back().second, c.reason) << c.name;
    EXPECT_NE(log->handles.back(), value.substr(0, 8)) << c.name << ": never the id";
  }
  EXPECT_FALSE(mgr.load(good).is_new()) << "none of that harmed the real session";
  // Records under our key that are not JSON, or not ours.
  for (const auto& [garbage, version, reason] : std::vector<std::tuple<std::string, std::uint64_t, std::string>>{
           {"{\"user\":", 2, "record is not a JSON object"}, {"{}", 0, "record is not ours"}}) {
    ASSERT_EQ(memory->save(key, {garbage, version, clock.now(), 0}, memory->load(key)->version, 30min), SaveResult::saved);
    const auto before = log->events.size();
    Session r = mgr.load(good);
    EXPECT_TRUE(view(r).empty()) << reason;
    ASSERT_GT(log->events.size(), before) << reason;
    EXPECT_EQ(log->events.back(), std::make_pair(SessionEvent::refused, reason));
    EXPECT_EQ(log->handles.back(), key.substr(0, 8)) << "named by the hash prefix";
    ASSERT_EQ(memory->save(key, {R"({"user":"gina"})", 9, clock.now(), 0}, version, 30min), SaveResult::saved);
  }
}

}  // namespace
}  // namespace httpstate::server::testing
