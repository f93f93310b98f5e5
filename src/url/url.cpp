#include "httpstate/url/url.hpp"

#include <curl/curl.h>
#include <idn2.h>

#include <algorithm>
#include <array>
#include <cstring>
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

// Character classes of the fast path's single scan over the host.
enum : std::uint8_t { host_char = 1, upper_char = 2, dot_char = 4, host_end_char = 8 };
constexpr std::array<std::uint8_t, 256> host_classes = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = host_char;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = host_char;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = upper_char;
  t['-'] = host_char;
  t['.'] = dot_char;
  t['/'] = t['?'] = t['#'] = t[':'] = host_end_char;
  return t;
}();

// And over the path: spaces, controls, '%', '\\' and non-ASCII are curl's to encode, reject
// or normalise; '?' and '#' end it; '.' needs a look at the byte before.
enum : std::uint8_t { path_plain = 0, path_stop = 1, path_bad = 2, path_dot = 3 };
constexpr std::array<std::uint8_t, 256> path_classes = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    if (c <= ' ' || c >= 0x7f || c == '%' || c == '\\') t[static_cast<std::size_t>(c)] = path_bad;
  t['?'] = t['#'] = path_stop;
  t['.'] = path_dot;
  return t;
}();

// Where the parts of a URL accepted by the fast path lie in its text.
struct FastParts {
  bool https = false;
  bool upper = false;  // the host has uppercase letters to fold
  std::size_t host_begin = 0, host_end = 0, path_begin = 0, path_end = 0;
};

// Accepts only what curl_url() would return unchanged, lowercased; anything else is false and
// goes to curl. The fuzzer (fuzz/url/) checks that the two agree wherever this accepts. One
// pass, no allocation.
bool scan_fast(std::string_view s, FastParts& parts) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i;
  bool https;
  if (n >= 8 && std::memcmp(p, "https://", 8) == 0) {
    https = true;
    i = 8;
  } else if (n >= 7 && std::memcmp(p, "http://", 7) == 0) {
    https = false;
    i = 7;
  } else {
    return false;
  }
  const std::size_t host_begin = i;
  std::size_t label_begin = i;
  bool upper = false;
  for (;;) {
    while (i < n && host_classes[static_cast<unsigned char>(p[i])] == host_char) ++i;
    if (i == n) break;
    const std::uint8_t k = host_classes[static_cast<unsigned char>(p[i])];
    if (k == dot_char) {
      // Empty labels (a leading dot, ".."): curl normalises or refuses them.
      if (i == label_begin) return false;
      label_begin = ++i;
    } else if (k == upper_char) {
      upper = true;
      ++i;
    } else if (k == host_end_char) {
      break;
    } else {
      return false;  // userinfo, IPv6, '%', '_', non-ASCII: curl decides
    }
  }
  // An empty host or a trailing dot, or a last label that may be a number (IPv4 forms such as
  // "0x7f.1" that curl normalises), or one that starts or ends with '-'.
  if (i == label_begin) return false;
  const char first = p[label_begin];
  if ((first >= '0' && first <= '9') || first == '-' || p[i - 1] == '-') return false;
  const std::size_t host_end = i;
  if (i < n && p[i] == ':') {
    std::size_t digits = 0;
    unsigned port = 0;
    for (++i; i < n && p[i] >= '0' && p[i] <= '9' && digits < 5; ++i, ++digits) {
      port = port * 10 + static_cast<unsigned>(p[i] - '0');
    }
    if (digits == 0 || port == 0 || port > 65535) return false;
    if (i < n && p[i] != '/' && p[i] != '?' && p[i] != '#') return false;
  }
  const std::size_t path_begin = i;
  for (; i < n; ++i) {
    while (i < n && path_classes[static_cast<unsigned char>(p[i])] == path_plain) ++i;
    if (i == n) break;
    const std::uint8_t k = path_classes[static_cast<unsigned char>(p[i])];
    if (k == path_stop) break;
    // Dot segments ("/.") are removed by curl (RFC 3986 §5.2.4).
    if (k == path_bad || p[i - 1] == '/') return false;
  }
  const std::size_t path_end = i;
  for (; i < n; ++i) {
    const char c = p[i];
    if (c <= ' ' || c >= 0x7f) return false;
  }
  parts.https = https;
  parts.upper = upper;
  parts.host_begin = host_begin;
  parts.host_end = host_end;
  parts.path_begin = path_begin;
  parts.path_end = path_end;
  return true;
}

// scan_fast, then the parts written into `u` (untouched when false).
bool parse_fast(std::string_view s, Url& u) {
  FastParts f;
  if (!scan_fast(s, f)) return false;
  const char* p = s.data();
  // clear() + append(): the cheapest way to refill a string that usually has the capacity.
  const std::string_view scheme = f.https ? std::string_view("https") : std::string_view("http");
  if (u.scheme != scheme) u.scheme.assign(scheme);
  u.host.clear();
  u.host.append(p + f.host_begin, f.host_end - f.host_begin);
  if (f.upper) lowercase(u.host);
  u.path.clear();
  if (f.path_end == f.path_begin) u.path.push_back('/');
  else u.path.append(p + f.path_begin, f.path_end - f.path_begin);
  u.host_kind = HostKind::name;
  return true;
}

// Chromium's IsLocalhost and curl treat loopback as a secure context.
bool secure_context(std::string_view scheme, std::string_view host, HostKind kind) noexcept {
  if (scheme == "https" || scheme == "wss") return true;
  if (host == "localhost" || host.ends_with(".localhost") || host == "[::1]") return true;
  return kind == HostKind::ipv4 && host.starts_with("127.");
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

bool Url::is_secure() const noexcept { return secure_context(scheme, host, host_kind); }

bool UrlView::is_secure() const noexcept { return secure_context(scheme, host, host_kind); }

bool parse_view(std::string_view text, UrlView& out) noexcept {
  FastParts f;
  if (!scan_fast(text, f) || f.upper) return false;
  out.scheme = f.https ? std::string_view("https") : std::string_view("http");
  out.host = text.substr(f.host_begin, f.host_end - f.host_begin);
  out.path = f.path_end == f.path_begin ? std::string_view("/") : text.substr(f.path_begin, f.path_end - f.path_begin);
  out.host_kind = HostKind::name;
  return true;
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
  Url u;
  if (parse_fast(text, u)) return u;
  return parse_with_curl(text);
}

std::optional<UrlError> parse_into(std::string_view text, Url& out) {
  if (parse_fast(text, out)) return std::nullopt;
  auto slow = parse_with_curl(text);
  if (!slow) return slow.error();
  out = std::move(*slow);
  return std::nullopt;
}

std::string_view default_path_view(std::string_view request_path) noexcept {
  // §5.1.4 steps 2-4.
  if (request_path.empty() || request_path.front() != '/') return "/";
  std::size_t slash = request_path.rfind('/');
  if (slash == 0) return "/";
  return request_path.substr(0, slash);
}

std::string default_path(std::string_view request_path) { return std::string(default_path_view(request_path)); }

}  // namespace httpstate::url
