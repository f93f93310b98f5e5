#pragma once
// The async side of a Session: one curl multi handle driven by one worker thread. Requests wait
// in a queue until the in-flight limits (total and per host) let them start; each hop of a
// request (redirects, retries) runs on the same easy handle; the future gets the Response or
// the Error. The destructor lets every submitted request finish.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "session_impl.hpp"

namespace httpstate::client::detail {

class Worker {
 public:
  explicit Worker(Session::Impl& s);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  std::future<Response> submit(std::unique_ptr<Transfer> t);

 private:
  using Clock = std::chrono::steady_clock;
  struct Job {
    std::unique_ptr<Transfer> transfer;
    std::promise<Response> promise;
    std::unique_ptr<Handle> handle;
    std::string host;
    Clock::time_point wake{};
  };

  void run();
  void start_ready();
  bool can_start(const Job& j) const;
  void start(std::unique_ptr<Job> j);
  void done(Job* j, CURLcode rc);
  void settle(Job* j);  // frees the job's slot and handle

  Session::Impl& s_;
  CURLM* multi_ = nullptr;

  std::mutex mu_;
  std::deque<std::unique_ptr<Job>> incoming_;
  bool stopping_ = false;

  // The worker thread's own state.
  std::deque<std::unique_ptr<Job>> waiting_;
  std::vector<std::unique_ptr<Job>> sleeping_;  // retries waiting for their backoff
  std::unordered_map<Job*, std::unique_ptr<Job>> running_;
  std::unordered_map<std::string, std::size_t> per_host_;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace httpstate::client::detail
