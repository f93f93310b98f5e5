#pragma once
// A store that counts the calls it forwards, so tests can say which operations a commit made.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "httpstate/server/session_store.hpp"

namespace httpstate::server::testing {

class CountingStore final : public SessionStore {
 public:
  explicit CountingStore(std::shared_ptr<SessionStore> inner) : inner_(std::move(inner)) {}

  bool create(std::string_view k, const SessionRecord& r, std::chrono::milliseconds t) override {
    ++creates;
    {
      std::lock_guard lock(key_mutex_);
      last_key_ = k;
    }
    return inner_->create(k, r, t);
  }
  std::optional<SessionRecord> load(std::string_view k) override {
    ++loads;
    return inner_->load(k);
  }
  SaveResult save(std::string_view k, const SessionRecord& r, std::uint64_t v, std::chrono::milliseconds t) override {
    ++saves;
    return inner_->save(k, r, v, t);
  }
  bool touch(std::string_view k, std::chrono::milliseconds t) override {
    ++touches;
    return inner_->touch(k, t);
  }
  void destroy(std::string_view k) override {
    ++destroys;
    inner_->destroy(k);
  }
  std::size_t sweep() override { return inner_->sweep(); }
  bool in_cookie() const noexcept override { return inner_->in_cookie(); }
  std::string seal(const SessionRecord& r, std::int64_t now) const override { return inner_->seal(r, now); }
  std::optional<SessionRecord> open(std::string_view v, std::int64_t now) const override { return inner_->open(v, now); }

  std::string last_key() const {
    std::lock_guard lock(key_mutex_);
    return last_key_;
  }
  void reset() { creates = loads = saves = touches = destroys = 0; }

  std::atomic<int> creates{0}, loads{0}, saves{0}, touches{0}, destroys{0};

 private:
  std::shared_ptr<SessionStore> inner_;
  mutable std::mutex key_mutex_;
  std::string last_key_;
};

}  // namespace httpstate::server::testing
