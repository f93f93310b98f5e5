#pragma once
// A requests-like Session on libcurl: defaults merged under every request, one cookie jar that
// decides every cookie, redirects followed by our code, keep-alive, and async requests.
//
//   httpstate::client::Session s;
//   s.headers().set("x-test", "true");
//   s.set_auth(httpstate::client::BasicAuth{"user", "pass"});
//   auto r = s.get("http://127.0.0.1:8080/headers", {.headers = {{"x-test2", "true"}}});
//
// Thread safety: one Session may be used from any number of threads at once. Shared by all
// requests: the defaults (copied under a lock when a request starts, so a change affects only
// later requests), the CookieJar (itself thread-safe), the any-host cookies, and a libcurl
// share of connections, DNS answers and TLS sessions. Each request runs on its own easy
// handle, taken from the session's pool. Async requests run on one worker thread.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpstate/client/error.hpp"
#include "httpstate/client/headers.hpp"
#include "httpstate/client/request.hpp"
#include "httpstate/client/response.hpp"
#include "httpstate/jar/cookie_jar.hpp"

namespace httpstate::client {

// The User-Agent every session sends unless told otherwise: "httpstate/VERSION".
std::string_view default_user_agent() noexcept;

// Opt-in retries (urllib3's Retry): connection errors and 502/503/504, idempotent methods only
// (RFC 9110 §9.2.2) unless the request says otherwise.
struct RetryOptions {
  int max_retries = 0;  // 0: never retry
  std::chrono::milliseconds backoff{100};  // before retry n: backoff * 2^(n-1), capped
  std::chrono::milliseconds max_backoff{5000};
  // Retries over the session's life, so a dead server cannot make every request wait.
  int budget = 100;
};

struct SessionOptions {
  // The jar to use; null: the session makes its own. A shared jar may serve many sessions.
  std::shared_ptr<CookieJar> jar;
  // Loaded when the session opens and kept: SQLite written through, cookies.txt and JSON
  // saved atomically by flush() and when the session closes. Empty: none.
  std::filesystem::path jar_file;
  // aiohttp's save/load keeps session cookies; so does a session's jar file.
  bool keep_session_cookies = true;

  Headers headers;
  Pairs params;
  Auth auth;
  std::string user_agent{default_user_agent()};

  std::chrono::milliseconds connect_timeout{30000};
  std::chrono::milliseconds timeout{0};  // total per hop; 0: none (as requests)
  bool verify = true;                    // TLS peer and host verification
  std::string ca_file;                   // PEM bundle; empty: the system's
  std::string proxy;                     // e.g. "http://127.0.0.1:3128"; empty: none
  bool http2 = false;                    // opt-in, as httpx: HTTP/2 over TLS when offered
  // curl's --resolve: "host:port:address" entries, so a test can give a name to loopback.
  std::vector<std::string> resolve;

  bool allow_redirects = true;
  int max_redirects = 30;  // requests' DEFAULT_REDIRECT_LIMIT

  // Not RFC limits: a bound on what one response may make us hold in memory.
  std::size_t max_body_bytes = std::size_t{256} << 20;
  std::size_t max_header_bytes = std::size_t{1} << 20;
  std::size_t max_header_count = 1000;

  // Async: requests in flight at once, in total and per host (aiohttp's limit and
  // limit_per_host; 0: no per-host limit).
  std::size_t max_in_flight = 100;
  std::size_t max_in_flight_per_host = 0;

  RetryOptions retry;

  // Observers for a command line's -v and progress bar; called on the thread running the
  // transfer, so they must be thread-safe when requests run at once.
  // Each hop's request line and header fields as curl sent them (credentials included).
  std::function<void(std::string_view request_head)> on_request_head;
  // curl's transfer info, a few times a second: bytes received and expected (0: unknown).
  std::function<void(std::uint64_t received, std::uint64_t expected)> on_progress;
};

class Session;

// The session's default headers, changed under the session's lock (so safe while requests run).
class DefaultHeaders {
 public:
  void set(std::string_view name, std::string_view value);
  void add(std::string_view name, std::string_view value);
  std::size_t erase(std::string_view name);
  void clear();
  std::optional<std::string> get(std::string_view name) const;
  std::size_t size() const;
  Headers copy() const;

 private:
  friend class Session;
  explicit DefaultHeaders(Session& s) : s_(&s) {}
  Session* s_;
};

class Session {
 public:
  Session();
  explicit Session(SessionOptions options);
  ~Session();  // waits for async requests, saves a text jar file
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  DefaultHeaders headers() { return DefaultHeaders(*this); }
  void set_params(Pairs params);
  void set_auth(Auth auth);

  // The jar: every cookie the servers set, by the RFC's rules.
  CookieJar& cookies() noexcept { return *jar_; }
  const std::shared_ptr<CookieJar>& jar() const noexcept { return jar_; }

  // requests' s.cookies.set(name, value) and aiohttp's update_cookies without a URL: a cookie
  // with no domain, sent to every host. The jar has no such cookie (each of its cookies has a
  // domain, by §5.7), so the session keeps these beside it. Replaces one of the same name.
  void set_cookie(std::string_view name, std::string_view value);
  // With a URL: stored in the jar as if that URL had set it (host-only, default path).
  InclusionStatus set_cookie(std::string_view name, std::string_view value, std::string_view url);
  bool remove_cookie(std::string_view name);  // an any-host cookie
  Pairs any_host_cookies() const;

  // Write a cookies.txt or JSON jar file now (SQLite is written through already).
  void flush();

  Response get(std::string_view url, RequestOptions options = {});
  Response post(std::string_view url, RequestOptions options = {});
  Response put(std::string_view url, RequestOptions options = {});
  Response patch(std::string_view url, RequestOptions options = {});
  Response delete_(std::string_view url, RequestOptions options = {});
  Response del(std::string_view url, RequestOptions options = {}) { return delete_(url, std::move(options)); }
  Response head(std::string_view url, RequestOptions options = {});
  Response options(std::string_view url, RequestOptions options = {});
  Response send(Request request);

  // Run on the session's worker thread; the future holds the Response or the Error.
  std::future<Response> get_async(std::string_view url, RequestOptions options = {});
  std::future<Response> post_async(std::string_view url, RequestOptions options = {});
  std::future<Response> send_async(Request request);
  // Many at once, within the in-flight limits; the results in the order of `requests`.
  std::vector<std::future<Response>> send_all(std::vector<Request> requests);

  const SessionOptions& settings() const noexcept { return options_; }

  struct Impl;

 private:
  friend class DefaultHeaders;
  SessionOptions options_;
  std::shared_ptr<CookieJar> jar_;
  std::unique_ptr<Impl> impl_;
};

// Every future's value, in order; the first Error is rethrown after all have finished.
std::vector<Response> wait_all(std::vector<std::future<Response>>& futures);

}  // namespace httpstate::client
