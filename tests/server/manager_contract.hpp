#pragma once
// SessionManager over each store: one typed suite. Traits as in store_contract.hpp, plus
// keyed (the store keeps records by key, i.e. not the cookie store) and cas (compare-and-swap).
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "counting_store.hpp"
#include "fake_clock.hpp"
#include "httpstate/server/session_manager.hpp"

namespace httpstate::server::testing {

using namespace std::chrono_literals;

// "sid=abc; Path=/; HttpOnly" -> "sid=abc": what the browser sends back.
inline std::string cookie_pair(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }
// A copy of the data through the const accessor, which never marks the session written.
inline nlohmann::json view(const Session& s) { return s.data(); }

struct EventLog {
  std::mutex mutex;
  std::vector<std::pair<SessionEvent, std::string>> events;  // event, reason
  std::vector<std::string> handles;
  void add(const SessionLogEntry& e) {
    std::lock_guard lock(mutex);
    events.emplace_back(e.event, std::string(e.reason));
    handles.emplace_back(e.session);
  }
  int count(SessionEvent e) {
    std::lock_guard lock(mutex);
    return static_cast<int>(std::count_if(events.begin(), events.end(), [e](auto& p) { return p.first == e; }));
  }
  bool has(SessionEvent e, std::string_view reason) {
    std::lock_guard lock(mutex);
    return std::any_of(events.begin(), events.end(), [&](auto& p) { return p.first == e && p.second == reason; });
  }
};

template <class Traits>
class ManagerContract : public ::testing::Test {
 protected:
  Traits traits;
  std::shared_ptr<CountingStore> counting = std::make_shared<CountingStore>(traits.make());
  std::shared_ptr<EventLog> log = std::make_shared<EventLog>();

  SessionConfig config() {
    SessionConfig c{.cookie_name = "sid", .idle_timeout = 30min, .absolute_timeout = 12h};
    c.clock = traits.clock.clock();
    c.on_event = [log = log](const SessionLogEntry& e) { log->add(e); };
    return c;
  }
  std::unique_ptr<SessionManager> manager(SessionConfig c) {
    return std::make_unique<SessionManager>(std::move(c), counting);
  }
  std::unique_ptr<SessionManager> manager() { return manager(config()); }
};

TYPED_TEST_SUITE_P(ManagerContract);

TYPED_TEST_P(ManagerContract, ASessionNeverWrittenStoresNothingAndSendsNoCookie) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  EXPECT_TRUE(s.is_new());
  EXPECT_TRUE(s.data().is_object());
  EXPECT_TRUE(s.data().empty());
  EXPECT_FALSE(mgr->commit(s));
  Session t = mgr->load("other=1");
  EXPECT_EQ(view(t).value("x", 0), 0);
  EXPECT_FALSE(mgr->commit(t));
  EXPECT_EQ(this->counting->creates + this->counting->saves + this->counting->touches, 0);
  EXPECT_EQ(this->log->count(SessionEvent::created), 0);
}

TYPED_TEST_P(ManagerContract, AWrittenSessionComesBackWithItsCookie) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["user"] = "alice";
  const auto set_cookie = mgr->commit(s);
  ASSERT_TRUE(set_cookie);
  EXPECT_TRUE(set_cookie->starts_with("sid=")) << *set_cookie;
  EXPECT_NE(set_cookie->find("; Path=/"), std::string::npos) << *set_cookie;
  EXPECT_NE(set_cookie->find("; HttpOnly"), std::string::npos) << *set_cookie;
  EXPECT_NE(set_cookie->find("; SameSite=Lax"), std::string::npos) << *set_cookie;
  EXPECT_EQ(set_cookie->find("Max-Age"), std::string::npos) << "a browser-session cookie by default";
  EXPECT_EQ(this->log->count(SessionEvent::created), 1);
  EXPECT_FALSE(s.is_new());

  Session again = mgr->load("a=b; " + cookie_pair(*set_cookie) + "; c=d");
  EXPECT_FALSE(again.is_new());
  EXPECT_EQ(view(again).at("user"), "alice");
  EXPECT_EQ(again.handle(), s.handle());
  again.data()["n"] = 2;
  const auto second = mgr->commit(again);
  Session third = mgr->load(cookie_pair(second ? *second : *set_cookie));
  EXPECT_EQ(view(third).at("n"), 2);
  EXPECT_EQ(view(third).at("user"), "alice");
}

TYPED_TEST_P(ManagerContract, AnUnchangedSessionIsOnlyTouchedAndRarely) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["user"] = "bob";
  const auto cookie = cookie_pair(*mgr->commit(s));
  this->counting->reset();
  for (int i = 0; i < 5; ++i) {
    Session r = mgr->load(cookie);
    EXPECT_EQ(r.data().at("user"), "bob");  // read through the non-const data(): still unchanged
    r.data()["user"] = "bob";               // the same value written back: unchanged
    EXPECT_FALSE(mgr->commit(r) && TypeParam::keyed);
    this->traits.clock.advance(1000);
  }
  EXPECT_EQ(this->counting->saves.load(), 0);
  EXPECT_EQ(this->counting->touches.load(), 0) << "5 s is less than a tenth of the idle timeout";
  this->traits.clock.advance(3 * 60 * 1000);  // a tenth of 30 min has passed
  Session r = mgr->load(cookie);
  const auto sent = mgr->commit(r);
  EXPECT_EQ(this->counting->saves.load(), 0);
  if (TypeParam::keyed) {
    EXPECT_EQ(this->counting->touches.load(), 1);
    EXPECT_FALSE(sent) << "a touch needs no cookie for a browser-session cookie";
  } else {
    EXPECT_TRUE(sent) << "the cookie store re-issues the cookie with its new expiry";
  }
}

TYPED_TEST_P(ManagerContract, TheIdleTimeoutEndsASessionAndTouchesExtendIt) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["k"] = 1;
  auto cookie = cookie_pair(*mgr->commit(s));
  // Active every 20 minutes for 2 hours: never idle for 30.
  for (int i = 0; i < 6; ++i) {
    this->traits.clock.advance(20 * 60 * 1000);
    Session r = mgr->load(cookie);
    ASSERT_FALSE(r.is_new()) << "after " << (i + 1) * 20 << " min";
    if (auto c = mgr->commit(r)) cookie = cookie_pair(*c);
  }
  this->traits.clock.advance(31 * 60 * 1000);
  Session gone = mgr->load(cookie);
  EXPECT_TRUE(gone.is_new());
  // Stores drop records past their expiry, so the manager sees an unknown id (unsigned ids).
  EXPECT_TRUE(this->log->has(SessionEvent::expired, "idle timeout") ||
              this->log->has(SessionEvent::refused, "unknown or expired id"));
}

TYPED_TEST_P(ManagerContract, TheAbsoluteTimeoutEndsEvenAnActiveSession) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["k"] = 1;
  auto cookie = cookie_pair(*mgr->commit(s));
  bool ended = false;
  for (int i = 0; i < 60 && !ended; ++i) {  // every 15 minutes, for up to 15 hours
    this->traits.clock.advance(15 * 60 * 1000);
    Session r = mgr->load(cookie);
    if (r.is_new()) {
      ended = true;
      EXPECT_GE(i + 1, 12 * 4) << "ended before 12 h";
      EXPECT_LE(i + 1, 12 * 4 + 1) << "outlived 12 h";
      break;
    }
    r.data()["k"] = i;  // written every time
    if (auto c = mgr->commit(r)) cookie = cookie_pair(*c);
  }
  EXPECT_TRUE(ended);
  EXPECT_TRUE(this->log->has(SessionEvent::expired, "absolute timeout") ||
              this->log->has(SessionEvent::expired, "idle timeout") ||
              this->log->count(SessionEvent::refused) > 0);
}

TYPED_TEST_P(ManagerContract, RotateIdMovesTheDataAndDropsTheOldId) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["user"] = "carol";
  const auto old_cookie = cookie_pair(*mgr->commit(s));
  Session r = mgr->load(old_cookie);
  const std::string old_handle(r.handle());
  mgr->rotate_id(r);
  r.data()["role"] = "admin";
  const auto sent = mgr->commit(r);
  ASSERT_TRUE(sent) << "the new id needs a cookie";
  const auto new_cookie = cookie_pair(*sent);
  EXPECT_NE(new_cookie, old_cookie);
  Session fresh = mgr->load(new_cookie);
  EXPECT_EQ(view(fresh).at("user"), "carol");
  EXPECT_EQ(view(fresh).at("role"), "admin");
  EXPECT_EQ(this->log->count(SessionEvent::rotated), 1);
  if (TypeParam::keyed) {
    EXPECT_NE(fresh.handle(), old_handle);
    EXPECT_TRUE(mgr->load(old_cookie).is_new()) << "the old id is gone";
  }
}

TYPED_TEST_P(ManagerContract, InvalidateDeletesTheRecordAndTheCookie) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["user"] = "dave";
  const auto cookie = cookie_pair(*mgr->commit(s));
  Session r = mgr->load(cookie);
  const auto expiring = mgr->invalidate(r);
  EXPECT_TRUE(expiring.starts_with("sid=;")) << expiring;
  EXPECT_NE(expiring.find("Max-Age=0"), std::string::npos) << expiring;
  EXPECT_TRUE(r.is_new());
  EXPECT_EQ(mgr->commit(r), expiring) << "commit after invalidate sends the deletion too";
  EXPECT_EQ(this->log->count(SessionEvent::invalidated), 1);
  if (TypeParam::keyed) {
    EXPECT_TRUE(mgr->load(cookie).is_new());
  }
  // Writing after invalidate starts a new session under a new id.
  Session t = mgr->load(cookie);
  mgr->invalidate(t);
  t.data()["flash"] = "bye";
  const auto renewed = mgr->commit(t);
  ASSERT_TRUE(renewed);
  EXPECT_NE(renewed->find("sid=;"), 0u);
  EXPECT_EQ(view(mgr->load(cookie_pair(*renewed))).at("flash"), "bye");
}

TYPED_TEST_P(ManagerContract, SecureCookiesGetTheHostPrefixAndPersistentOnesMaxAge) {
  auto c = this->config();
  c.secure = true;
  c.persistent = true;
  auto mgr = this->manager(c);
  EXPECT_EQ(mgr->cookie_name(), "__Host-sid");
  Session s = mgr->load("");
  s.data()["x"] = 1;
  const auto sent = *mgr->commit(s);
  EXPECT_TRUE(sent.starts_with("__Host-sid=")) << sent;
  EXPECT_NE(sent.find("; Secure"), std::string::npos);
  EXPECT_NE(sent.find("; Max-Age=1800"), std::string::npos) << sent;
  EXPECT_FALSE(mgr->load(sent.substr(std::string("__Host-").size(), sent.find(';') - 7)).data().contains("x"))
      << "the unprefixed name is another cookie";
  EXPECT_TRUE(mgr->load(cookie_pair(sent)).data().contains("x"));
  auto d = this->config();
  d.secure = true;
  d.domain = "example.com";
  EXPECT_EQ(SessionManager(d, this->counting).cookie_name(), "sid") << "no __Host- with a Domain";
  auto e = this->config();
  e.cookie_name = "bad name";
  EXPECT_THROW(SessionManager(e, this->counting), httpstate::error);
}

TYPED_TEST_P(ManagerContract, BadCookieHeadersGiveAFreshSession) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["user"] = "erin";
  const auto good = cookie_pair(*mgr->commit(s));
  const std::string value = good.substr(4);
  std::vector<std::string> bad = {
      "sid=", "sid", "=sid", "sid=;", "sid==", "sid=a", "sid=" + value.substr(0, value.size() - 1),
      "sid=" + value + "x", "sid=\"" + value, "sid=" + std::string(5000, 'A'), "sid=" + std::string(40000, 'A'),
      std::string(100000, ';'), "sid=\x01\x02\x03", std::string("sid=\0abc", 8), "sid=%00%ff",
      "sid=" + std::string(22, '-'), "sid=" + std::string(22, '_'), "sid=....", "sid=.a.b.c",
      "sid=AAAAAAAAAAAAAAAAAAAAAA", "sid=AAAAAAAAAAAAAAAAAAAAAB",
  };
  // Every one-character change of a good value is refused.
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string t = value;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    bad.push_back("sid=" + t);
  }
  for (const auto& h : bad) {
    Session r = mgr->load(h);
    EXPECT_TRUE(r.is_new()) << h.substr(0, 80);
    EXPECT_TRUE(r.data().empty());
  }
  EXPECT_GT(this->log->count(SessionEvent::refused), static_cast<int>(value.size()));
  // Duplicates: the first that names a live session wins; more than a few are ignored.
  EXPECT_FALSE(mgr->load("sid=bogus; " + good).is_new());
  EXPECT_FALSE(mgr->load(good + "; sid=bogus").is_new());
  EXPECT_TRUE(mgr->load("sid=a; sid=b; sid=c; sid=d; " + good).is_new());
  // A refused cookie is deleted by the next commit.
  Session r = mgr->load("sid=forged");
  const auto del = mgr->commit(r);
  ASSERT_TRUE(del);
  EXPECT_NE(del->find("Max-Age=0"), std::string::npos);
}

TYPED_TEST_P(ManagerContract, ALostRaceIsAConflictNotALostUpdate) {
  if (!TypeParam::cas) GTEST_SKIP() << "the cookie store has no compare-and-swap (documented)";
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["n"] = 0;
  const auto cookie = cookie_pair(*mgr->commit(s));
  Session a = mgr->load(cookie), b = mgr->load(cookie);
  a.data()["n"] = 1;
  b.data()["n"] = 2;
  mgr->commit(a);
  EXPECT_THROW(mgr->commit(b), SessionConflict);
  EXPECT_EQ(view(mgr->load(cookie)).at("n"), 1);
  // A session removed meanwhile is a conflict too, never resurrected.
  Session c = mgr->load(cookie), d = mgr->load(cookie);
  mgr->invalidate(c);
  d.data()["n"] = 3;
  EXPECT_THROW(mgr->commit(d), SessionConflict);
  EXPECT_TRUE(mgr->load(cookie).is_new());
}

// The test: 64 threads each increment one session's counter 50 times through transact.
TYPED_TEST_P(ManagerContract, TransactLosesNoUpdateUnder64Threads) {
  if (!TypeParam::cas) GTEST_SKIP() << "the cookie store has no compare-and-swap (documented)";
  auto c = this->config();
  c.max_attempts = 10000;
  c.on_event = nullptr;
  auto mgr = this->manager(c);
  Session s = mgr->load("");
  s.data()["counter"] = 0;
  const auto cookie = cookie_pair(*mgr->commit(s));
  constexpr int threads = 64, each = TypeParam::transactions_per_thread;
  std::atomic<int> successes{0}, failures{0};
  std::mutex seen_mutex;
  std::vector<std::int64_t> seen;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < each; ++i) {
        std::int64_t saw = -1;
        try {
          mgr->transact(cookie, [&](Session& x) {
            saw = x.data().value("counter", std::int64_t{-1000000});
            x.data()["counter"] = saw + 1;
          });
          ++successes;
          std::lock_guard lock(seen_mutex);
          seen.push_back(saw);
        } catch (const SessionConflict&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  Session end = mgr->load(cookie);
  ASSERT_FALSE(end.is_new());
  EXPECT_EQ(view(end).at("counter").get<std::int64_t>(), successes.load());
  EXPECT_EQ(successes + failures, threads * each);
  EXPECT_GT(successes.load(), 0);
  std::set<std::int64_t> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), seen.size()) << "two transactions saw the same value";
  EXPECT_EQ(*distinct.begin(), 0);
}

TYPED_TEST_P(ManagerContract, LogEventsNameSessionsByAHashPrefixNeverTheId) {
  auto mgr = this->manager();
  Session s = mgr->load("");
  s.data()["x"] = 1;
  const auto pair = cookie_pair(*mgr->commit(s));
  Session r = mgr->load(pair);
  mgr->rotate_id(r);
  const auto rotated = cookie_pair(*mgr->commit(r));
  Session t = mgr->load(rotated);
  mgr->invalidate(t);
  mgr->load("sid=forged-value-of-some-length");
  std::lock_guard lock(this->log->mutex);
  ASSERT_GE(this->log->handles.size(), 4u);
  for (std::size_t i = 0; i < this->log->handles.size(); ++i) {
    const auto& h = this->log->handles[i];
    EXPECT_TRUE(h == "-" || (h.size() == 8 && h.find_first_not_of("0123456789abcdef") == std::string::npos)) << h;
    for (const auto& c : {pair, rotated}) {
      const auto v = c.substr(4);
      EXPECT_EQ(h.find(v.substr(0, 8)), std::string::npos);
      EXPECT_EQ(this->log->events[i].second.find(v.substr(0, 8)), std::string::npos);
    }
  }
}

REGISTER_TYPED_TEST_SUITE_P(ManagerContract, ASessionNeverWrittenStoresNothingAndSendsNoCookie,
                            AWrittenSessionComesBackWithItsCookie, AnUnchangedSessionIsOnlyTouchedAndRarely,
                            TheIdleTimeoutEndsASessionAndTouchesExtendIt, TheAbsoluteTimeoutEndsEvenAnActiveSession,
                            RotateIdMovesTheDataAndDropsTheOldId, InvalidateDeletesTheRecordAndTheCookie,
                            SecureCookiesGetTheHostPrefixAndPersistentOnesMaxAge, BadCookieHeadersGiveAFreshSession,
                            ALostRaceIsAConflictNotALostUpdate, TransactLosesNoUpdateUnder64Threads,
                            LogEventsNameSessionsByAHashPrefixNeverTheId);

}  // namespace httpstate::server::testing
