#include "httpstate/client/session.hpp"

#include <algorithm>
#include <thread>

#include "httpstate/version.hpp"
#include "session_impl.hpp"
#include "worker.hpp"

namespace httpstate::client {

using detail::Handle;
using detail::Transfer;

namespace {
// version.hpp's version as a constant expression: "httpstate/" + version, built once at compile time.
constexpr auto user_agent_chars = [] {
  constexpr std::string_view prefix = "httpstate/";
  std::array<char, prefix.size() + httpstate::version.size()> out{};
  std::copy(prefix.begin(), prefix.end(), out.begin());
  std::copy(httpstate::version.begin(), httpstate::version.end(), out.begin() + prefix.size());
  return out;
}();
}  // namespace

std::string_view default_user_agent() noexcept { return {user_agent_chars.data(), user_agent_chars.size()}; }

namespace detail {

Handle::~Handle() {
  curl_slist_free_all(headers);
  if (easy) curl_easy_cleanup(easy);
}

namespace {

void global_init() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) throw httpstate::error("libcurl could not initialise");
}

void share_lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  static_cast<Session::Impl*>(user)->share_locks[data].lock();
}
void share_unlock(CURL*, curl_lock_data data, void* user) {
  static_cast<Session::Impl*>(user)->share_locks[data].unlock();
}

// SessionOptions::on_request_head: the header block curl sent, nothing else of its trace.
int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type == CURLINFO_HEADER_OUT) static_cast<Session::Impl*>(user)->options.on_request_head(std::string_view(data, size));
  return 0;
}

// SessionOptions::on_progress; returning non-zero would abort the transfer, so never.
int on_xferinfo(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  static_cast<Session::Impl*>(user)->options.on_progress(static_cast<std::uint64_t>(dlnow), static_cast<std::uint64_t>(dltotal));
  return 0;
}

}  // namespace
}  // namespace detail

Session::Impl::Impl(const SessionOptions& o, CookieJar& j)
    : options(o), jar(j), headers(o.headers), params(o.params), auth(o.auth), retry_budget(o.retry.budget) {
  detail::global_init();
  share.reset(curl_share_init());
  if (!share) throw std::bad_alloc();
  CURLSH* sh = share.get();
  curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, &detail::share_lock);
  curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, &detail::share_unlock);
  curl_share_setopt(sh, CURLSHOPT_USERDATA, this);
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  for (const auto& r : o.resolve) {
    curl_slist* n = curl_slist_append(resolve.get(), r.c_str());
    if (!n) throw std::bad_alloc();
    (void)resolve.release();
    resolve.reset(n);
  }

  if (!o.jar_file.empty()) {
    file_options.load.keep_session_cookies = o.keep_session_cookies;
    const auto format = jar_format_for(o.jar_file);
    if (format == JarFormat::sqlite) {
      auto opened = SqliteStore::open(o.jar_file);
      if (!opened) throw httpstate::error("jar file: " + opened.error().message());
      store = std::move(*opened);
      auto loaded = store->attach(jar, file_options.load);
      if (!loaded) throw httpstate::error("jar file: " + loaded.error().message());
    } else {
      auto loaded = load_jar_file(o.jar_file, jar, file_options);
      if (!loaded) throw httpstate::error("jar file: " + loaded.error().message());
      text_jar = true;
    }
  }
}

Session::Impl::~Impl() {
  worker_.reset();  // every async request finished before the handles and the share go
  pool.clear();
  share.reset();
  resolve.reset();
  if (store) jar.set_persistent_store(nullptr);  // the jar may outlive this session
}

void Session::Impl::save_jar_file() {
  if (store) {
    (void)store->flush();
    return;
  }
  if (!text_jar) return;
  auto saved = httpstate::save_jar_file(options.jar_file, jar, file_options);
  if (!saved) throw httpstate::error("jar file: " + saved.error().message());
}

detail::Defaults Session::Impl::snapshot() const {
  std::lock_guard lock(mu);
  return {headers, params, auth, any_host};
}

std::unique_ptr<Handle> Session::Impl::acquire() {
  {
    std::lock_guard lock(pool_mu);
    if (!pool.empty()) {
      auto h = std::move(pool.back());
      pool.pop_back();
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  h->easy = curl_easy_init();
  if (!h->easy) throw std::bad_alloc();
  CURL* e = h->easy;
  const SessionOptions& o = options;
  curl_easy_setopt(e, CURLOPT_SHARE, share.get());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // our code follows redirects
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o.verify ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o.verify ? 2L : 0L);
  if (!o.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, o.ca_file.c_str());
  if (!o.proxy.empty()) curl_easy_setopt(e, CURLOPT_PROXY, o.proxy.c_str());
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, o.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  if (resolve) curl_easy_setopt(e, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.max_body_bytes));
  // A returned connection is closed when the cache holds more than this; keep the in-flight limit's worth.
  curl_easy_setopt(e, CURLOPT_MAXCONNECTS, static_cast<long>(std::max<std::size_t>(o.max_in_flight, 8)));
  if (o.on_request_head) {
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, &detail::on_debug);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, this);
    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
  }
  if (o.on_progress) {
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, &detail::on_xferinfo);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
  }
  return h;
}

void Session::Impl::release(std::unique_ptr<Handle> h) {
  std::lock_guard lock(pool_mu);
  pool.push_back(std::move(h));
}

detail::Worker& Session::Impl::worker() {
  std::call_once(worker_once, [&] { worker_ = std::make_unique<detail::Worker>(*this); });
  return *worker_;
}

void DefaultHeaders::set(std::string_view name, std::string_view value) {
  std::lock_guard lock(s_->impl_->mu);
  s_->impl_->headers.set(name, value);
}
void DefaultHeaders::add(std::string_view name, std::string_view value) {
  std::lock_guard lock(s_->impl_->mu);
  s_->impl_->headers.add(name, value);
}
std::size_t DefaultHeaders::erase(std::string_view name) {
  std::lock_guard lock(s_->impl_->mu);
  return s_->impl_->headers.erase(name);
}
void DefaultHeaders::clear() {
  std::lock_guard lock(s_->impl_->mu);
  s_->impl_->headers.clear();
}
std::optional<std::string> DefaultHeaders::get(std::string_view name) const {
  std::lock_guard lock(s_->impl_->mu);
  auto v = s_->impl_->headers.get(name);
  return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
}
std::size_t DefaultHeaders::size() const {
  std::lock_guard lock(s_->impl_->mu);
  return s_->impl_->headers.size();
}
Headers DefaultHeaders::copy() const {
  std::lock_guard lock(s_->impl_->mu);
  return s_->impl_->headers;
}

Session::Session() : Session(SessionOptions{}) {}

Session::Session(SessionOptions options)
    : options_(std::move(options)), jar_(options_.jar ? options_.jar : std::make_shared<CookieJar>()) {
  impl_ = std::make_unique<Impl>(options_, *jar_);
}

Session::~Session() {
  if (!impl_) return;
  impl_->worker_.reset();
  try {
    impl_->save_jar_file();
  } catch (...) {
    // A destructor cannot report it; flush() does.
  }
}

void Session::set_params(Pairs params) {
  std::lock_guard lock(impl_->mu);
  impl_->params = std::move(params);
}

void Session::set_auth(Auth auth) {
  std::lock_guard lock(impl_->mu);
  impl_->auth = std::move(auth);
}

void Session::set_cookie(std::string_view name, std::string_view value) {
  std::lock_guard lock(impl_->mu);
  auto& v = impl_->any_host;
  auto it = std::find_if(v.begin(), v.end(), [&](const auto& p) { return p.first == name; });
  if (it != v.end()) it->second.assign(value);
  else v.emplace_back(std::string(name), std::string(value));
}

InclusionStatus Session::set_cookie(std::string_view name, std::string_view value, std::string_view url) {
  const std::pair<std::string, std::string> pair{std::string(name), std::string(value)};
  return jar_->update(url, std::span(&pair, 1)).front();
}

bool Session::remove_cookie(std::string_view name) {
  std::lock_guard lock(impl_->mu);
  auto& v = impl_->any_host;
  const auto n = v.size();
  v.erase(std::remove_if(v.begin(), v.end(), [&](const auto& p) { return p.first == name; }), v.end());
  return v.size() != n;
}

Pairs Session::any_host_cookies() const {
  std::lock_guard lock(impl_->mu);
  return impl_->any_host;
}

void Session::flush() { impl_->save_jar_file(); }

Response Session::get(std::string_view url, RequestOptions o) { return send({"GET", std::string(url), std::move(o)}); }
Response Session::post(std::string_view url, RequestOptions o) { return send({"POST", std::string(url), std::move(o)}); }
Response Session::put(std::string_view url, RequestOptions o) { return send({"PUT", std::string(url), std::move(o)}); }
Response Session::patch(std::string_view url, RequestOptions o) { return send({"PATCH", std::string(url), std::move(o)}); }
Response Session::delete_(std::string_view url, RequestOptions o) { return send({"DELETE", std::string(url), std::move(o)}); }
Response Session::head(std::string_view url, RequestOptions o) { return send({"HEAD", std::string(url), std::move(o)}); }
Response Session::options(std::string_view url, RequestOptions o) { return send({"OPTIONS", std::string(url), std::move(o)}); }

Response Session::send(Request request) {
  Transfer t(*impl_, detail::merge_request(request, impl_->snapshot(), options_));
  struct Lease {
    Impl& s;
    std::unique_ptr<Handle> h;
    ~Lease() { s.release(std::move(h)); }
  } lease{*impl_, impl_->acquire()};
  for (;;) {
    t.prepare(*lease.h);
    const CURLcode rc = curl_easy_perform(lease.h->easy);
    if (t.finish(*lease.h, rc) == Transfer::Step::done) return t.take();
    if (t.retry_delay().count() > 0) std::this_thread::sleep_for(t.retry_delay());
  }
}

std::future<Response> Session::get_async(std::string_view url, RequestOptions o) {
  return send_async({"GET", std::string(url), std::move(o)});
}
std::future<Response> Session::post_async(std::string_view url, RequestOptions o) {
  return send_async({"POST", std::string(url), std::move(o)});
}

std::future<Response> Session::send_async(Request request) {
  std::promise<Response> failed;
  std::unique_ptr<Transfer> t;
  try {
    t = std::make_unique<Transfer>(*impl_, detail::merge_request(request, impl_->snapshot(), options_));
  } catch (...) {
    failed.set_exception(std::current_exception());
    return failed.get_future();
  }
  return impl_->worker().submit(std::move(t));
}

std::vector<std::future<Response>> Session::send_all(std::vector<Request> requests) {
  std::vector<std::future<Response>> out;
  out.reserve(requests.size());
  for (auto& r : requests) out.push_back(send_async(std::move(r)));
  return out;
}

std::vector<Response> wait_all(std::vector<std::future<Response>>& futures) {
  std::vector<Response> out;
  out.reserve(futures.size());
  std::exception_ptr first;
  for (auto& f : futures) {
    try {
      out.push_back(f.get());
    } catch (...) {
      if (!first) first = std::current_exception();
      out.emplace_back();
    }
  }
  if (first) std::rethrow_exception(first);
  return out;
}

}  // namespace httpstate::client
