#pragma once
// One logfmt line per request on stderr. Lines are batched and written by one thread, so a
// request pays for a lock and a copy, not a write(2). Never a cookie value, an id or a path
// parameter: the line names the matched route pattern, not the path.
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace httpstate::serve {

class AccessLog {
 public:
  AccessLog();
  ~AccessLog();  // writes what is left
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void request(std::string_view method, std::string_view route, unsigned status, long long micros,
               std::string_view session_event);
  void note(std::string_view line);  // a line of its own, e.g. "event=draining"

 private:
  void run();
  std::mutex m_;
  std::condition_variable cv_;
  std::string pending_;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace httpstate::serve
