// SessionManager::load with a fuzzed Cookie header and fuzzed store contents: a record under
// the key that is not valid JSON, not an object, or not ours (version 0, odd times), or a
// sealed cookie whose data is any bytes. load never throws, data() is always an object, a
// bad record is logged as refused, and a log entry never names a session by more than a handle.
//
// Input: 4 bytes of flags, version, created and expiry offsets; then the Cookie header up to
// the first '\n'; then the record's data.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "httpstate/server/session_manager.hpp"

using namespace httpstate::server;

namespace {

constexpr std::int64_t now = 1700000000000;

// Whatever key the manager asks for, the fuzzed record is there (unless absent is chosen).
class FuzzedStore final : public SessionStore {
 public:
  std::optional<SessionRecord> record;
  SaveResult save_result = SaveResult::saved;

  bool create(std::string_view, const SessionRecord&, std::chrono::milliseconds) override { return true; }
  std::optional<SessionRecord> load(std::string_view key) override {
    if (key.size() != 64) __builtin_trap();  // the store only ever sees hex SHA-256
    return record;
  }
  SaveResult save(std::string_view, const SessionRecord&, std::uint64_t, std::chrono::milliseconds) override {
    return save_result;
  }
  bool touch(std::string_view, std::chrono::milliseconds) override { return true; }
  void destroy(std::string_view) override {}
  std::size_t sweep() override { return 0; }
};

bool is_handle(std::string_view h) {
  if (h == "-") return true;
  if (h.size() != 8) return false;
  for (char c : h)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

struct Log {
  int refused = 0;
  void operator()(const SessionLogEntry& e) {
    if (!is_handle(e.session)) __builtin_trap();
    if (e.event == SessionEvent::refused) ++refused;
  }
};

SessionConfig config(bool signed_ids, Log* log) {
  SessionConfig c;
  c.clock = [] { return now; };
  c.on_event = [log](const SessionLogEntry& e) { (*log)(e); };
  if (signed_ids) c.secrets = {"fuzzing-secret-0123456789"};
  return c;
}

void run(const SessionManager& mgr, std::string_view header, std::string_view data, bool keyed, Log& log) {
  Session s = mgr.load(header);  // an exception out of here ends the run as a crash
  const bool stored = !s.is_new();
  const int before = log.refused;
  const nlohmann::json& d = std::as_const(s).data();
  if (!d.is_object()) __builtin_trap();
  if (stored && keyed) {
    const auto j = nlohmann::json::parse(data, nullptr, false);
    // A stored record that is not an object becomes an empty session, and says so.
    if (!j.is_object() && (log.refused == before || !d.empty())) __builtin_trap();
  }
  s.data()["n"] = 1;
  try {
    auto line = mgr.commit(s);
    if (line && !line->starts_with(mgr.cookie_name() + "=")) __builtin_trap();
  } catch (const SessionConflict&) {
  } catch (const httpstate::error&) {
    // seal refuses a session over a cookie's 4096 bytes
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 4) return 0;
  static Log log;
  static const auto keyed = std::make_shared<FuzzedStore>();
  static const SessionManager plain(config(false, &log), keyed);
  static const SessionManager signed_ids(config(true, &log), keyed);
  static const auto flask = std::make_shared<CookieSessionStore>(
      CookieSessionOptions{.format = CookieFormat::flask, .secrets = {"fuzzing-secret-0123456789"}});
  static const auto sealed = std::make_shared<CookieSessionStore>(
      CookieSessionOptions{.format = CookieFormat::encrypted, .secrets = {"fuzzing-secret-0123456789"}});
  static const SessionManager in_flask(config(false, &log), flask);
  static const SessionManager in_sealed(config(false, &log), sealed);

  const std::uint8_t flags = bytes[0];
  const std::uint64_t version = bytes[1] % 4;  // 0: a record that is not ours
  const std::int64_t created = now - std::int64_t(bytes[2]) * 600000;       // up to ~42 h ago
  const std::int64_t expires = now + (std::int64_t(bytes[3]) - 128) * 60000;  // +-2 h
  const std::string_view in(reinterpret_cast<const char*>(bytes) + 4, size - 4);
  const auto nl = in.find('\n');
  const std::string_view header = in.substr(0, nl);
  const std::string_view data = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  const SessionRecord rec{std::string(data), version, created, expires};

  switch (flags % 4) {
    case 0:
    case 1: {
      keyed->record = (flags & 4) ? std::nullopt : std::optional<SessionRecord>(rec);
      keyed->save_result = static_cast<SaveResult>((flags >> 3) % 3);
      run(flags % 4 == 0 ? plain : signed_ids, header, data, true, log);
      break;
    }
    default: {
      // A valid seal over fuzzed data reaches the record checks behind the MAC.
      const SessionManager& mgr = flags % 4 == 2 ? in_flask : in_sealed;
      const auto& store = flags % 4 == 2 ? flask : sealed;
      std::string h(header);
      try {
        if (!(flags & 4)) h += "; " + mgr.cookie_name() + "=" + store->seal(rec, now);
      } catch (const httpstate::error&) {
      }
      run(mgr, h, data, false, log);
      break;
    }
  }
  return 0;
}
