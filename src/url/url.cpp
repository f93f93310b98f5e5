#include "httpstate/url/url.hpp"

#include <curl/curl.h>
#include <idn2.h>

#include <algorithm>
#include <memory>
#include <optional>

namespace httpstate::url {
namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

void lowercase(std::string& s) noexcept {
  for (char& c : s) c = lower(c);
}

bool all_ascii(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_ipv4(std::string_view host) noexcept {
  return !host.empty() &&
         std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// Accepts only what curl_url() would return unchanged, lowercased; anything else is nullopt and
// goes to curl. The fuzzer (fuzz/url/) checks that the two agree wherever this accepts.
std::optional<Url> parse_fast(std::string_view s) {
  Url u;
  if (s.starts_with("https://")) {
    u.scheme = "https";
    s.remove_prefix(8);
  } else if (s.starts_with("http://")) {
    u.scheme = "http";
    s.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  std::size_t host_end = 0;
  for (; host_end < s.size(); ++host_end) {
    char c = s[host_end];
    if (c == '/' || c == '?' || c == '#') break;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.';
    if (!ok) {
      if (c != ':') return std::nullopt;  // userinfo, IPv6, '%', '_', non-ASCII: curl decides
      break;
    }
  }
  std::string_view host = s.substr(0, host_end);
  // Empty labels, a trailing dot, or a last label that may be a number (IPv4 forms such as
  // "0x7f.1" that curl normalises).
  if (host.empty() || host.front() == '.' || host.back() == '.' || host.find("..") != host.npos) return std::nullopt;
  std::size_t last_dot = host.rfind('.');
  std::string_view last_label = last_dot == host.npos ? host : host.substr(last_dot + 1);
  char first = last_label.front();
  if ((first >= '0' && first <= '9') || first == '-' || last_label.back() == '-') {
    return std::nullopt;
  }
  std::size_t pos = host_end;
  if (pos < s.size() && s[pos] == ':') {
    std::size_t digits = 0;
    unsigned port = 0;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && digits < 5; ++pos, ++digits) {
      port = port * 10 + static_cast<unsigned>(s[pos] - '0');
    }
    if (digits == 0 || port == 0 || port > 65535) return std::nullopt;
    if (pos < s.size() && s[pos] != '/' && s[pos] != '?' && s[pos] != '#') return std::nullopt;
  }
  std::size_t path_end = pos;
  for (; path_end < s.size(); ++path_end) {
    char c = s[path_end];
    if (c == '?' || c == '#') break;
    // Spaces, controls, '%', '\\' and non-ASCII are curl's to encode, reject or normalise.
    if (c <= ' ' || c >= 0x7f || c == '%' || c == '\\') return std::nullopt;
  }
  std::string_view path = s.substr(pos, path_end - pos);
  // Dot segments are removed by curl (RFC 3986 §5.2.4).
  if (path.find("/.") != path.npos) return std::nullopt;
  for (std::size_t i = path_end; i < s.size(); ++i) {
    char c = s[i];
    if (c <= ' ' || c >= 0x7f) return std::nullopt;
  }
  u.host.assign(host);
  lowercase(u.host);
  u.path = path.empty() ? std::string("/") : std::string(path);
  return u;
}

struct CurlUrlDeleter {
  void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};

struct CurlFree {
  void operator()(char* p) const noexcept { curl_free(p); }
};
using CurlString = std::unique_ptr<char, CurlFree>;

CurlString get_part(CURLU* u, CURLUPart part, unsigned flags) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK) return CurlString{};
  return CurlString{out};
}

// UTS #46 non-transitional first, as curl and browsers do, then transitional for old names.
std::optional<std::string> to_ascii_host(const std::string& host) {
  char* out = nullptr;
  int rc = idn2_to_ascii_8z(host.c_str(), &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) rc = idn2_to_ascii_8z(host.c_str(), &out, IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
  if (rc != IDN2_OK) return std::nullopt;
  std::string ascii(out);
  idn2_free(out);
  return ascii;
}

}  // namespace

std::string_view to_string(UrlError e) noexcept {
  switch (e) {
    case UrlError::too_long: return "URL is too long";
    case UrlError::malformed: return "malformed URL";
    case UrlError::no_host: return "URL has no host";
    case UrlError::bad_idn: return "host is not a valid internationalized domain name";
  }
  return "invalid URL";
}

bool Url::is_secure() const noexcept {
  if (scheme == "https" || scheme == "wss") return true;
  // Chromium's IsLocalhost and curl treat loopback as a secure context.
  if (host == "localhost" || host.ends_with(".localhost") || host == "[::1]") return true;
  return host_kind == HostKind::ipv4 && host.starts_with("127.");
}

Result<Url, UrlError> parse_with_curl(std::string_view text) {
  if (text.size() > max_url_bytes) return fail(UrlError::too_long);
  if (text.find('\0') != text.npos) return fail(UrlError::malformed);
  std::unique_ptr<CURLU, CurlUrlDeleter> handle(curl_url());
  if (!handle) return fail(UrlError::malformed);
  std::string z(text);
  if (curl_url_set(handle.get(), CURLUPART_URL, z.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return fail(UrlError::malformed);
  }
  CurlString scheme = get_part(handle.get(), CURLUPART_SCHEME, 0);
  CurlString host = get_part(handle.get(), CURLUPART_HOST, CURLU_URLDECODE);
  CurlString path = get_part(handle.get(), CURLUPART_PATH, 0);
  if (!scheme) return fail(UrlError::malformed);
  if (!host || !*host.get()) return fail(UrlError::no_host);

  Url u;
  u.scheme = scheme.get();
  lowercase(u.scheme);
  u.host = host.get();
  if (!all_ascii(u.host)) {
    // Not CURLU_PUNYCODE: it depends on the process locale (DESIGN.md, pitfalls).
    auto ascii = to_ascii_host(u.host);
    if (!ascii) return fail(UrlError::bad_idn);
    u.host = std::move(*ascii);
  }
  lowercase(u.host);
  if (u.host.front() == '[') {
    u.host_kind = HostKind::ipv6;
  } else if (is_ipv4(u.host)) {
    u.host_kind = HostKind::ipv4;
  }
  u.path = (path && *path.get()) ? path.get() : "/";
  return u;
}

Result<Url, UrlError> parse(std::string_view text) {
  if (auto fast = parse_fast(text)) return std::move(*fast);
  return parse_with_curl(text);
}

std::string default_path(std::string_view request_path) {
  // §5.1.4 steps 2-4.
  if (request_path.empty() || request_path.front() != '/') return "/";
  std::size_t slash = request_path.rfind('/');
  if (slash == 0) return "/";
  return std::string(request_path.substr(0, slash));
}

}  // namespace httpstate::url
