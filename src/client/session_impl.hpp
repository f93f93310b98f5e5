#pragma once
// The insides of a Session: the shared curl state, the pool of easy handles, one request's
// transfer across its hops, and the async worker.
#include <curl/curl.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "httpstate/client/session.hpp"
#include "httpstate/persist/jar_file.hpp"
#include "httpstate/persist/sqlite_store.hpp"
#include "merge.hpp"

namespace httpstate::client::detail {

// A pooled easy handle and the buffers it keeps between requests, so neither the handle's
// connection state nor the Cookie buffer's capacity is rebuilt per request.
struct Handle {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string cookie_buf;
  std::string line;
  char errbuf[CURL_ERROR_SIZE] = {};

  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
};

class Worker;

}  // namespace httpstate::client::detail

namespace httpstate::client {

struct Session::Impl {
  Impl(const SessionOptions& options, CookieJar& jar);
  ~Impl();

  detail::Defaults snapshot() const;
  std::unique_ptr<detail::Handle> acquire();
  void release(std::unique_ptr<detail::Handle> h);
  detail::Worker& worker();
  void save_jar_file();
  // Takes one retry from the session's budget; false when it is spent.
  bool take_retry() { return retry_budget.fetch_sub(1, std::memory_order_relaxed) > 0; }

  const SessionOptions& options;
  CookieJar& jar;

  mutable std::mutex mu;  // the defaults below
  Headers headers;
  Pairs params;
  Auth auth;
  Pairs any_host;

  // Declared before the share, so they outlive it: curl_share_cleanup still takes its lock.
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
  // Owned, so a constructor that throws (a bad jar file) leaks neither.
  struct ShareCleanup {
    void operator()(CURLSH* s) const noexcept { curl_share_cleanup(s); }
  };
  struct SlistCleanup {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
  };
  std::unique_ptr<CURLSH, ShareCleanup> share;
  std::unique_ptr<curl_slist, SlistCleanup> resolve;

  std::mutex pool_mu;
  std::vector<std::unique_ptr<detail::Handle>> pool;

  std::atomic<int> retry_budget;

  std::unique_ptr<SqliteStore> store;
  bool text_jar = false;  // a cookies.txt or JSON jar file, saved by flush()
  JarFileOptions file_options;

  std::once_flag worker_once;
  std::unique_ptr<detail::Worker> worker_;
};

}  // namespace httpstate::client

namespace httpstate::client::detail {

// One request from its first hop to its Response: the redirect loop and the retries, driven
// by the sync path (curl_easy_perform) or by the worker (the multi handle) alike.
class Transfer {
 public:
  Transfer(Session::Impl& s, Prepared p);

  // Sets the handle up for the current hop.
  void prepare(Handle& h);
  enum class Step { done, again };
  // After the hop ran: stores its cookies and decides; `again` means prepare and run once
  // more (a redirect, or a retry after retry_delay()). Throws Error.
  Step finish(Handle& h, CURLcode rc);
  std::chrono::milliseconds retry_delay() const noexcept { return delay_; }
  Response take() { return std::move(r_); }
  const std::string& url() const noexcept { return p_.url; }

 private:
  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self);
  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self);
  std::size_t header_line(std::string_view line);
  bool retry(std::chrono::milliseconds& delay);
  [[noreturn]] void fail(Handle& h, CURLcode rc);

  Session::Impl& s_;
  Prepared p_;
  Response r_;
  std::vector<Response> history_;
  int hops_ = 0;
  int retries_ = 0;
  std::chrono::milliseconds delay_{0};
  std::size_t header_bytes_ = 0;
  bool headers_over_ = false;
  bool body_over_ = false;
};

}  // namespace httpstate::client::detail
