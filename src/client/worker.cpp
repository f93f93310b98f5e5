#include "worker.hpp"

#include <algorithm>

namespace httpstate::client::detail {

Worker::Worker(Session::Impl& s) : s_(s) {
  multi_ = curl_multi_init();
  if (!multi_) throw std::bad_alloc();
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(std::max<std::size_t>(s.options.max_in_flight, 8)));
  thread_ = std::thread([this] { run(); });
}

Worker::~Worker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  thread_.join();
  curl_multi_cleanup(multi_);
}

std::future<Response> Worker::submit(std::unique_ptr<Transfer> t) {
  auto j = std::make_unique<Job>();
  j->host = origin_key(t->url());
  j->transfer = std::move(t);
  auto f = j->promise.get_future();
  {
    std::lock_guard lock(mu_);
    incoming_.push_back(std::move(j));
  }
  curl_multi_wakeup(multi_);
  return f;
}

bool Worker::can_start(const Job& j) const {
  if (running_.size() >= std::max<std::size_t>(s_.options.max_in_flight, 1)) return false;
  const std::size_t per_host = s_.options.max_in_flight_per_host;
  if (per_host == 0) return true;
  auto it = per_host_.find(j.host);
  return it == per_host_.end() || it->second < per_host;
}

void Worker::start(std::unique_ptr<Job> j) {
  Job* raw = j.get();
  try {
    if (!raw->handle) raw->handle = s_.acquire();
    raw->transfer->prepare(*raw->handle);
    curl_easy_setopt(raw->handle->easy, CURLOPT_PRIVATE, raw);
    if (curl_multi_add_handle(multi_, raw->handle->easy) != CURLM_OK) throw std::bad_alloc();
  } catch (...) {
    raw->promise.set_exception(std::current_exception());
    if (raw->handle) s_.release(std::move(raw->handle));
    return;
  }
  ++per_host_[raw->host];
  running_.emplace(raw, std::move(j));
}

void Worker::start_ready() {
  const auto now = Clock::now();
  for (auto it = sleeping_.begin(); it != sleeping_.end();) {
    if ((*it)->wake <= now) {
      waiting_.push_front(std::move(*it));
      it = sleeping_.erase(it);
    } else {
      ++it;
    }
  }
  // Requests start in the order they came, except that one held back by its host's limit
  // does not hold back another host's.
  for (auto it = waiting_.begin(); it != waiting_.end() && running_.size() < std::max<std::size_t>(s_.options.max_in_flight, 1);) {
    if (can_start(**it)) {
      auto j = std::move(*it);
      it = waiting_.erase(it);
      start(std::move(j));
    } else {
      ++it;
    }
  }
}

void Worker::settle(Job* j) {
  auto it = per_host_.find(j->host);
  if (it != per_host_.end() && --it->second == 0) per_host_.erase(it);
}

void Worker::done(Job* raw, CURLcode rc) {
  curl_multi_remove_handle(multi_, raw->handle->easy);
  auto node = running_.extract(raw);
  std::unique_ptr<Job> j = std::move(node.mapped());
  settle(raw);
  try {
    if (j->transfer->finish(*j->handle, rc) == Transfer::Step::again) {
      j->host = origin_key(j->transfer->url());
      if (j->transfer->retry_delay().count() > 0) {
        j->wake = Clock::now() + j->transfer->retry_delay();
        sleeping_.push_back(std::move(j));
      } else {
        // A redirect keeps its slot's turn: it goes first among the waiting.
        waiting_.push_front(std::move(j));
      }
      return;
    }
    j->promise.set_value(j->transfer->take());
  } catch (...) {
    j->promise.set_exception(std::current_exception());
  }
  s_.release(std::move(j->handle));
}

void Worker::run() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      while (!incoming_.empty()) {
        waiting_.push_back(std::move(incoming_.front()));
        incoming_.pop_front();
      }
      if (stopping_ && waiting_.empty() && sleeping_.empty() && running_.empty()) break;
    }
    start_ready();
    int still = 0;
    curl_multi_perform(multi_, &still);
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      Job* j = nullptr;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&j));
      const CURLcode rc = m->data.result;
      done(j, rc);
    }
    if (!waiting_.empty() && running_.size() < std::max<std::size_t>(s_.options.max_in_flight, 1)) {
      // Slots freed above: start the next requests before sleeping.
      bool startable = std::any_of(waiting_.begin(), waiting_.end(), [&](const auto& j) { return can_start(*j); });
      if (startable) continue;
    }
    int timeout_ms = 1000;
    const auto now = Clock::now();
    for (const auto& j : sleeping_) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(j->wake - now).count();
      timeout_ms = std::clamp(static_cast<int>(ms) + 1, 0, timeout_ms);
    }
    curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
  }
}

}  // namespace httpstate::client::detail
