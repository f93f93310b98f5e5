#include "access_log.hpp"

#include <unistd.h>

#include <chrono>

namespace httpstate::serve {
namespace {

// A batch waits at most this long before it is written: a tail -f sees requests promptly.
constexpr auto flush_interval = std::chrono::milliseconds(50);

void write_all(const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const auto n = ::write(2, s.data() + off, s.size() - off);
    if (n <= 0) return;  // stderr closed or full: the log is best effort, the service is not
    off += static_cast<std::size_t>(n);
  }
}

// Methods are tokens already (Beast refuses others), but a log line must stay one line.
void append_token(std::string& out, std::string_view s) {
  for (char c : s) out.push_back(c > 0x20 && c < 0x7f ? c : '?');
}

}  // namespace

AccessLog::AccessLog() : writer_([this] { run(); }) {}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(m_);
    stop_ = true;
  }
  cv_.notify_one();
  writer_.join();
}

void AccessLog::request(std::string_view method, std::string_view route, unsigned status, long long micros,
                        std::string_view session_event) {
  std::string line;
  line.reserve(96);
  line.append("method=");
  append_token(line, method);
  line.append(" route=");
  append_token(line, route.empty() ? "-" : route);
  line.append(" status=").append(std::to_string(status));
  line.append(" us=").append(std::to_string(micros));
  line.append(" session=");
  append_token(line, session_event.empty() ? "-" : session_event);
  line.push_back('\n');
  std::lock_guard lock(m_);
  pending_.append(line);
}

void AccessLog::note(std::string_view text) {
  std::lock_guard lock(m_);
  pending_.append(text).push_back('\n');
}

void AccessLog::run() {
  std::string batch;
  std::unique_lock lock(m_);
  for (;;) {
    cv_.wait_for(lock, flush_interval, [&] { return stop_; });
    batch.swap(pending_);
    const bool last = stop_;
    lock.unlock();
    write_all(batch);
    batch.clear();
    lock.lock();
    if (last && pending_.empty()) return;
  }
}

}  // namespace httpstate::serve
