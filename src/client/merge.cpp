#include "merge.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>

namespace httpstate::client::detail {

namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

std::string get_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || !out) return {};
  std::string s(out);
  curl_free(out);
  return s;
}

struct Parts {
  std::string scheme, host, port;
};

std::optional<Parts> parts_of(std::string_view url) {
  UrlHandle u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) return std::nullopt;
  Parts p{get_part(u.get(), CURLUPART_SCHEME), get_part(u.get(), CURLUPART_HOST),
          get_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT)};
  for (auto* s : {&p.scheme, &p.host})
    std::transform(s->begin(), s->end(), s->begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return p;
}

bool http_scheme(std::string_view url) noexcept {
  auto starts = [&](std::string_view prefix) { return url.size() >= prefix.size() && iequals(url.substr(0, prefix.size()), prefix); };
  return starts("http://") || starts("https://");
}

// Names replaced by the request's pairs of the same name, then the request's appended.
Pairs merge_pairs(const Pairs& defaults, const Pairs& request) {
  Pairs out;
  out.reserve(defaults.size() + request.size());
  for (const auto& d : defaults)
    if (std::none_of(request.begin(), request.end(), [&](const auto& r) { return r.first == d.first; })) out.push_back(d);
  out.insert(out.end(), request.begin(), request.end());
  return out;
}

std::string escape(std::string_view s) {
  char* e = curl_easy_escape(nullptr, s.data(), static_cast<int>(s.size()));
  if (!e) throw std::bad_alloc();
  std::string out(e);
  curl_free(e);
  return out;
}

std::string form_encode(const Pairs& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += escape(k);
    out.push_back('=');
    out += escape(v);
  }
  return out;
}

}  // namespace

bool is_idempotent(std::string_view m) noexcept {
  // RFC 9110 §9.2.2.
  return m == "GET" || m == "HEAD" || m == "PUT" || m == "DELETE" || m == "OPTIONS" || m == "TRACE";
}

std::string authorization_value(const Auth& auth) {
  if (const auto* b = std::get_if<BasicAuth>(&auth)) {
    const std::string plain = b->user + ":" + b->password;
    std::string out(4 * ((plain.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
    out.resize(static_cast<std::size_t>(n));
    return "Basic " + out;
  }
  if (const auto* t = std::get_if<BearerAuth>(&auth)) return "Bearer " + t->token;
  return {};
}

Prepared merge_request(const Request& request, const Defaults& defaults, const SessionOptions& options) {
  const RequestOptions& r = request.options;
  Prepared p;
  p.method = request.method;
  std::transform(p.method.begin(), p.method.end(), p.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!http_scheme(request.url)) throw Error(ErrorKind::invalid_url, request.url, "not an http:// or https:// URL");

  // Params: the URL's own query first, then the defaults', then the request's.
  const Pairs params = merge_pairs(defaults.params, r.params);
  if (params.empty()) {
    p.url = request.url;
  } else {
    UrlHandle u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, request.url.c_str(), 0) != CURLUE_OK)
      throw Error(ErrorKind::invalid_url, request.url, "the URL does not parse");
    for (const auto& [k, v] : params) {
      const std::string pair = k + "=" + v;
      if (curl_url_set(u.get(), CURLUPART_QUERY, pair.c_str(), CURLU_APPENDQUERY | CURLU_URLENCODE) != CURLUE_OK)
        throw Error(ErrorKind::invalid_url, request.url, "a query parameter could not be added");
    }
    p.url = get_part(u.get(), CURLUPART_URL);
  }

  p.headers = defaults.headers;
  for (const auto& [name, value] : r.headers) p.headers.erase(name);
  for (const auto& [name, value] : r.headers) p.headers.add(name, value);

  const Auth& auth = r.auth ? *r.auth : defaults.auth;
  if (!std::holds_alternative<NoAuth>(auth)) p.headers.set("Authorization", authorization_value(auth));

  const int bodies = int{r.data.has_value()} + int{r.form.has_value()} + int{r.json.has_value()};
  if (bodies > 1) throw Error(ErrorKind::other, request.url, "more than one of data, form and json");
  if (r.data) {
    p.body = *r.data;
  } else if (r.form) {
    p.body = form_encode(*r.form);
    if (!p.headers.contains("Content-Type")) p.headers.set("Content-Type", "application/x-www-form-urlencoded");
  } else if (r.json) {
    p.body = r.json->dump();
    if (!p.headers.contains("Content-Type")) p.headers.set("Content-Type", "application/json");
  }

  for (const auto& c : defaults.any_host_cookies)
    if (std::none_of(r.cookies.begin(), r.cookies.end(), [&](const auto& rc) { return rc.first == c.first; }))
      p.any_host_cookies.push_back(c);
  p.request_cookies = r.cookies;
  p.timeout = r.timeout ? *r.timeout : options.timeout;
  p.allow_redirects = r.allow_redirects.value_or(options.allow_redirects);
  p.retry_allowed = is_idempotent(p.method) || r.retry_non_idempotent.value_or(false);
  return p;
}

bool should_strip_auth(std::string_view from, std::string_view to) {
  const auto a = parts_of(from);
  const auto b = parts_of(to);
  if (!a || !b) return true;
  if (a->host != b->host) return true;
  // requests keeps credentials on the upgrade http:80 -> https:443 of one host.
  if (a->scheme == "http" && a->port == "80" && b->scheme == "https" && b->port == "443") return false;
  return a->scheme != b->scheme || a->port != b->port;
}

void rebuild_for_redirect(Prepared& p, int status, std::string_view to) {
  const bool to_get = (status == 303 && p.method != "HEAD") || ((status == 301 || status == 302) && p.method == "POST");
  if (to_get) p.method = "GET";
  if (status != 307 && status != 308) {
    p.body.reset();
    for (const char* h : {"Content-Type", "Content-Length", "Transfer-Encoding"}) p.headers.erase(h);
  }
  const auto a = parts_of(p.url);
  const auto b = parts_of(to);
  if (should_strip_auth(p.url, to)) {
    p.headers.erase("Authorization");
    p.headers.erase("Proxy-Authorization");
  }
  // A raw Cookie header was meant for the first host only; the jar's is recomputed per hop.
  if (!a || !b || a->host != b->host) p.headers.erase("Cookie");
  p.url.assign(to);
}

std::string origin_key(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  auto end = url.find_first_of("/?#", scheme + 3);
  std::string key(url.substr(0, end == std::string_view::npos ? url.size() : end));
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key;
}

}  // namespace httpstate::client::detail
