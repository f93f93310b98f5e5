#pragma once
// Sessions in a SQLite file, the embedded default: its own table (httpstate_sessions) in its
// own file, WAL, prepared statements, a busy timeout and one connection per thread. Saves are
// `UPDATE ... WHERE key = ? AND version = ?`, so two processes on one file never lose an update.
// Expired rows are swept by the first operation after each sweep_interval (no thread of its own),
// over an index on expiry. A save extends the expiry only when it has fallen a tenth of the ttl
// behind (as a touch does), so most saves leave that index alone.
#include <chrono>
#include <filesystem>
#include <memory>

#include "httpstate/server/clock.hpp"
#include "httpstate/server/session_store.hpp"

namespace httpstate::server {

struct SqliteSessionOptions {
  std::chrono::milliseconds busy_timeout{5000};  // then StoreUnavailable
  std::chrono::milliseconds sweep_interval = std::chrono::minutes(1);
  bool durable = false;  // synchronous=FULL instead of NORMAL (WAL survives process crashes)
  Clock clock;           // empty: the system clock
};

class SqliteSessionStore final : public SessionStore {
 public:
  // Creates the file (mode 0600) and the table when missing. Throws StoreUnavailable when the
  // file cannot be opened or is not a database.
  explicit SqliteSessionStore(const std::filesystem::path& path, SqliteSessionOptions options = {});
  ~SqliteSessionStore() override;

  bool create(std::string_view key, const SessionRecord& record, std::chrono::milliseconds ttl) override;
  std::optional<SessionRecord> load(std::string_view key) override;
  SaveResult save(std::string_view key, const SessionRecord& record, std::uint64_t expected_version,
                  std::chrono::milliseconds ttl) override;
  bool touch(std::string_view key, std::chrono::milliseconds ttl) override;
  void destroy(std::string_view key) override;
  std::size_t sweep() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace httpstate::server
