#include <algorithm>

#include "httpstate/cookie/parse.hpp"
#include "session_impl.hpp"

namespace httpstate::client::detail {

namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool is_redirect(long status) noexcept {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool is_retry_status(long status) noexcept { return status == 502 || status == 503 || status == 504; }

// Connection-level failures worth another try; a TLS or DNS failure will fail again.
bool is_retry_code(CURLcode rc) noexcept {
  return rc == CURLE_COULDNT_CONNECT || rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
         rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE || rc == CURLE_OPERATION_TIMEDOUT;
}

// Drops the "name=value" pairs of `header` whose name is in `names` (the request's cookies
// win over the jar's of the same name).
void drop_names(std::string& header, const Pairs& names) {
  std::string out;
  std::string_view rest = header;
  while (!rest.empty()) {
    auto end = rest.find("; ");
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
    std::string_view name = pair.substr(0, pair.find('='));
    if (std::any_of(names.begin(), names.end(), [&](const auto& n) { return n.first == name; })) continue;
    if (!out.empty()) out += "; ";
    out += pair;
  }
  header = std::move(out);
}

void append_pairs(std::string& header, const Pairs& pairs) {
  for (const auto& [k, v] : pairs) {
    if (!header.empty()) header += "; ";
    header += k;
    header += '=';
    header += v;
  }
}

}  // namespace

Transfer::Transfer(Session::Impl& s, Prepared p) : s_(s), p_(std::move(p)) {}

void Transfer::prepare(Handle& h) {
  CURL* e = h.easy;
  r_ = Response{};
  r_.url = p_.url;
  header_bytes_ = 0;
  headers_over_ = body_over_ = false;
  h.errbuf[0] = '\0';

  curl_easy_setopt(e, CURLOPT_URL, p_.url.c_str());
  curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, nullptr);
  curl_easy_setopt(e, CURLOPT_NOBODY, 0L);
  const bool has_body = p_.body.has_value() || p_.method == "POST" || p_.method == "PUT" || p_.method == "PATCH";
  if (p_.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (has_body) {
    static const std::string empty;
    const std::string& body = p_.body ? *p_.body : empty;
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.data());
    if (p_.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, p_.method.c_str());
  } else {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    if (p_.method != "GET") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, p_.method.c_str());
  }
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(p_.timeout.count()));

  // The Cookie header for this hop: the jar's for this URL, the any-host cookies, the
  // request's. A Cookie header the caller wrote wins, as in requests.
  curl_slist_free_all(h.headers);
  h.headers = nullptr;
  auto add = [&](const std::string& line) {
    curl_slist* n = curl_slist_append(h.headers, line.c_str());
    if (!n) throw std::bad_alloc();
    h.headers = n;
  };
  for (const auto& [name, value] : p_.headers) {
    h.line.assign(name);
    // "Name;" is how curl sends a header with an empty value.
    if (value.empty()) h.line += ';';
    else h.line.append(": ").append(value);
    add(h.line);
  }
  if (!p_.headers.contains("Cookie")) {
    h.cookie_buf.clear();
    s_.jar.append_cookie_header(p_.url, h.cookie_buf);
    if (!p_.request_cookies.empty() && !h.cookie_buf.empty()) drop_names(h.cookie_buf, p_.request_cookies);
    append_pairs(h.cookie_buf, p_.any_host_cookies);
    append_pairs(h.cookie_buf, p_.request_cookies);
    if (!h.cookie_buf.empty()) {
      h.line.assign("Cookie: ").append(h.cookie_buf);
      add(h.line);
    }
  }
  if (!p_.headers.contains("User-Agent")) {
    h.line.assign("User-Agent: ").append(s_.options.user_agent);
    add(h.line);
  }
  // requests sends neither: no Expect: 100-continue wait, no made-up form Content-Type.
  add("Expect:");
  if (has_body && !p_.headers.contains("Content-Type")) add("Content-Type:");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, h.headers);

  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t n, void* self) {
  return static_cast<Transfer*>(self)->header_line(std::string_view(data, size * n));
}

std::size_t Transfer::header_line(std::string_view line) {
  header_bytes_ += line.size();
  if (header_bytes_ > s_.options.max_header_bytes) {
    headers_over_ = true;
    return 0;
  }
  if (line.starts_with("HTTP/")) {
    // A new status line (after a 1xx, or a proxy's CONNECT answer): the fields so far were not
    // this response's.
    r_.headers.clear();
    auto sp = line.find(' ');
    auto sp2 = sp == std::string_view::npos ? sp : line.find(' ', sp + 1);
    r_.reason = sp2 == std::string_view::npos ? std::string() : std::string(trim(line.substr(sp2 + 1)));
    return line.size();
  }
  const std::string_view field = trim(line);
  if (field.empty()) return line.size();
  if (line.front() == ' ' || line.front() == '\t') {
    // obs-fold (RFC 9112 §5.2): a continuation of the previous field's value.
    r_.headers.append_to_last(field);
    return line.size();
  }
  if (r_.headers.size() >= s_.options.max_header_count) {
    headers_over_ = true;
    return 0;
  }
  const auto colon = field.find(':');
  if (colon == std::string_view::npos || colon == 0) return line.size();  // not a field: ignored
  r_.headers.add(trim(field.substr(0, colon)), trim(field.substr(colon + 1)));
  return line.size();
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t n, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const std::size_t len = size * n;
  if (t->r_.body.size() + len > t->s_.options.max_body_bytes) {
    t->body_over_ = true;
    return 0;
  }
  t->r_.body.append(data, len);
  return len;
}

bool Transfer::retry(std::chrono::milliseconds& delay) {
  const auto& ro = s_.options.retry;
  if (!p_.retry_allowed || retries_ >= ro.max_retries || !s_.take_retry()) return false;
  auto d = ro.backoff * (std::int64_t{1} << std::min(retries_, 20));
  delay = std::min<std::chrono::milliseconds>(d, ro.max_backoff);
  ++retries_;
  return true;
}

void Transfer::fail(Handle& h, CURLcode rc) {
  std::string detail = h.errbuf[0] ? h.errbuf : curl_easy_strerror(rc);
  ErrorKind kind = ErrorKind::other;
  switch (rc) {
    case CURLE_URL_MALFORMAT: kind = ErrorKind::invalid_url; break;
    case CURLE_COULDNT_RESOLVE_HOST: kind = ErrorKind::dns; break;
    case CURLE_COULDNT_RESOLVE_PROXY: kind = ErrorKind::proxy; break;
    case CURLE_COULDNT_CONNECT: kind = ErrorKind::connect_refused; break;
    case CURLE_OPERATION_TIMEDOUT: kind = ErrorKind::timeout; break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED: kind = ErrorKind::tls; break;
    case CURLE_FILESIZE_EXCEEDED: kind = ErrorKind::body_too_large; break;
    // HTTP/0.9 is refused by default: a response without a status line lands here.
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_WEIRD_SERVER_REPLY: kind = ErrorKind::malformed_response; break;
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: kind = ErrorKind::connection_closed; break;
    case CURLE_WRITE_ERROR:
      if (headers_over_) kind = ErrorKind::headers_too_large;
      else if (body_over_) kind = ErrorKind::body_too_large;
      break;
    case CURLE_ABORTED_BY_CALLBACK: kind = ErrorKind::cancelled; break;
    default: break;
  }
  if (headers_over_) {
    kind = ErrorKind::headers_too_large;
    detail = "over " + std::to_string(s_.options.max_header_count) + " fields or " +
             std::to_string(s_.options.max_header_bytes) + " bytes";
  } else if (body_over_ || rc == CURLE_FILESIZE_EXCEEDED) {
    kind = ErrorKind::body_too_large;
    detail = "over " + std::to_string(s_.options.max_body_bytes) + " bytes";
  } else if (kind == ErrorKind::connection_closed && detail.find("header") != std::string::npos &&
             detail.find("large") != std::string::npos) {
    kind = ErrorKind::headers_too_large;  // curl's own bound on the header section
  }
  throw Error(kind, p_.url, detail);
}

Transfer::Step Transfer::finish(Handle& h, CURLcode rc) {
  delay_ = std::chrono::milliseconds{0};
  if (rc != CURLE_OK) {
    if (is_retry_code(rc) && !body_over_ && !headers_over_ && retry(delay_)) return Step::again;
    fail(h, rc);
  }
  long status = 0;
  curl_easy_getinfo(h.easy, CURLINFO_RESPONSE_CODE, &status);
  r_.status = static_cast<int>(status);
  long version = 0;
  curl_easy_getinfo(h.easy, CURLINFO_HTTP_VERSION, &version);
  r_.http_version = version == CURL_HTTP_VERSION_2_0 ? "2"
                    : version == CURL_HTTP_VERSION_3 ? "3"
                    : version == CURL_HTTP_VERSION_1_0 ? "1.0"
                                                       : "1.1";
  curl_off_t total = 0;
  curl_easy_getinfo(h.easy, CURLINFO_TOTAL_TIME_T, &total);
  r_.elapsed = std::chrono::microseconds(total);

  // Every hop's cookies are stored with that hop's URL (§5.7), before anything else happens.
  for (const auto& [name, value] : r_.headers) {
    if (!iequals(name, "Set-Cookie")) continue;
    ResponseCookie c;
    c.set_cookie = value;
    c.status = s_.jar.store(p_.url, value);
    SetCookieView v;
    if (!parse_set_cookie(value, v)) {
      c.name.assign(v.name);
      c.value.assign(v.value);
    }
    r_.cookies.push_back(std::move(c));
  }

  if (is_retry_status(status) && retry(delay_)) return Step::again;

  if (p_.allow_redirects && is_redirect(status)) {
    char* location = nullptr;
    curl_easy_getinfo(h.easy, CURLINFO_REDIRECT_URL, &location);
    if (location) {
      std::string to(location);
      if (hops_ >= s_.options.max_redirects)
        throw Error(ErrorKind::too_many_redirects, p_.url,
                    "more than " + std::to_string(s_.options.max_redirects) + " redirects");
      if (!(to.starts_with("http://") || to.starts_with("https://")))
        throw Error(ErrorKind::invalid_url, p_.url, "redirect to a URL that is not http(s)");
      ++hops_;
      history_.push_back(std::move(r_));
      rebuild_for_redirect(p_, static_cast<int>(status), to);
      return Step::again;
    }
  }
  r_.history = std::move(history_);
  return Step::done;
}

}  // namespace httpstate::client::detail
