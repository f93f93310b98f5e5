#include "httpstate/url/url.hpp"

#include <curl/curl.h>
#include <idn2.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The fast path classifies a block of bytes at a time into bit masks (bit j: byte j of the
// block): 16 with SSE2, else 8 with SWAR arithmetic on a 64-bit word (HTTPSTATE_URL_NO_SSE2
// builds that one on x86 too, to fuzz it).
using Mask = std::uint32_t;
#if defined(__SSE2__) && !defined(HTTPSTATE_URL_NO_SSE2)
constexpr std::size_t block_bytes = 16;
using Block = __m128i;

Block load_block(const char* p) noexcept { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
Mask lanes(__m128i m) noexcept { return static_cast<Mask>(_mm_movemask_epi8(m)); }
__m128i splat(int c) noexcept { return _mm_set1_epi8(static_cast<char>(c)); }
// x - lo wraps the range [lo, hi] to the bottom of the signed bytes: one compare tests it.
__m128i in_range(__m128i x, int lo, int hi) noexcept {
  return _mm_cmplt_epi8(_mm_add_epi8(x, splat(0x80 - lo)), splat(-128 + hi - lo + 1));
}
__m128i equal(__m128i x, int c) noexcept { return _mm_cmpeq_epi8(x, splat(c)); }
// Spaces, controls, DEL and non-ASCII (negative as signed bytes).
__m128i control_or_high(__m128i x) noexcept { return _mm_or_si128(_mm_cmplt_epi8(x, splat(0x21)), equal(x, 0x7f)); }

Mask host_chars(Block x) noexcept {
  return lanes(_mm_or_si128(_mm_or_si128(in_range(x, 'a', 'z'), in_range(x, '0', '9')), in_range(x, '-', '.')));
}
Mask dots(Block x) noexcept { return lanes(equal(x, '.')); }
Mask path_plain(Block x) noexcept {
  const __m128i a = _mm_or_si128(control_or_high(x), _mm_or_si128(equal(x, '%'), equal(x, '\\')));
  const __m128i b = _mm_or_si128(_mm_or_si128(equal(x, '?'), equal(x, '#')), equal(x, '.'));
  return ~lanes(_mm_or_si128(a, b)) & 0xffff;
}
Mask query_ok(Block x) noexcept { return ~lanes(control_or_high(x)) & 0xffff; }
#else
constexpr std::size_t block_bytes = 8;
using Block = std::uint64_t;

// SWAR on 7-bit bytes (the high bit cleared, tested on its own), where an add never carries
// into the next byte; each test answers in the high bit of every byte.
constexpr std::uint64_t byte_ones = 0x0101010101010101ULL;
constexpr std::uint64_t byte_highs = 0x8080808080808080ULL;

Block load_block(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}
// The high bits gathered into one bit a byte by a multiply whose partial products never meet.
Mask lanes(std::uint64_t m) noexcept { return static_cast<Mask>((((m & byte_highs) >> 7) * 0x0102040810204080ULL) >> 56); }
constexpr std::uint64_t splat(unsigned c) noexcept { return byte_ones * c; }
std::uint64_t in_range(std::uint64_t x, unsigned lo, unsigned hi) noexcept {
  const std::uint64_t v = x & ~byte_highs;
  return (v + splat(0x80 - lo)) & ~(v + splat(0x7f - hi)) & ~x;
}
std::uint64_t equal(std::uint64_t x, unsigned c) noexcept {
  return ~(((x & ~byte_highs) ^ splat(c)) + splat(0x7f)) & ~x;
}
std::uint64_t control_or_high(std::uint64_t x) noexcept { return ~in_range(x, 0x21, 0x7e); }

Mask host_chars(Block x) noexcept { return lanes(in_range(x, 'a', 'z') | in_range(x, '0', '9') | in_range(x, '-', '.')); }
Mask dots(Block x) noexcept { return lanes(equal(x, '.')); }
Mask path_plain(Block x) noexcept {
  return lanes(~(control_or_high(x) | equal(x, '%') | equal(x, '\\') | equal(x, '?') | equal(x, '#') | equal(x, '.')));
}
Mask query_ok(Block x) noexcept { return lanes(in_range(x, 0x21, 0x7e)); }
#endif

// The input from p + i as a block whose masks are shifted right by `skip`. A short tail is
// reloaded from the input's last bytes (or a zero-padded copy of a short input) so that
// nothing is read outside [p, p + n); either way the lanes past the end come out 0, a stop.
struct Window {
  Block block;
  unsigned skip;
};
Window window_at(const char* p, std::size_t i, std::size_t n) noexcept {
  if (n - i >= block_bytes) return {load_block(p + i), 0};
  if (n >= block_bytes) return {load_block(p + n - block_bytes), static_cast<unsigned>(i + block_bytes - n)};
  char tail[block_bytes] = {};
  std::memcpy(tail, p + i, n - i);
  return {load_block(tail), 0};
}

constexpr Mask all_lanes = (Mask{1} << block_bytes) - 1;

// The index of the first lane set in a nonzero mask.
std::size_t first_lane(Mask m) noexcept { return static_cast<std::size_t>(std::countr_zero(m)); }

// Where the parts of a URL accepted by the fast path lie in its text.
struct FastParts {
  bool https = false;
  bool upper = false;  // the host has uppercase letters to fold
  std::size_t host_begin = 0, host_end = 0, path_begin = 0, path_end = 0;
};

// Accepts only what curl_url() would return unchanged, lowercased; anything else is false and
// goes to curl. The fuzzer (fuzz/url/) checks that the two agree wherever this accepts. One
// pass, a block of bytes a step, no allocation.
// Inlined: the call and the FastParts round trip through memory were a sixth of parse_view.
[[gnu::always_inline]] inline bool scan_fast(std::string_view s, FastParts& parts) noexcept {
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
  std::size_t label_begin = i;  // just past the last dot
  bool upper = false;
  while (i < n) {
    const Window w = window_at(p, i, n);
    const Mask stop = ~(host_chars(w.block) >> w.skip) & all_lanes;
    const Mask run_dots = (dots(w.block) >> w.skip) & (stop ^ (stop - 1));  // those before the first stop
    // Empty labels (a leading dot, ".."): curl normalises or refuses them.
    if ((run_dots & (run_dots << 1)) != 0 || ((run_dots & 1) != 0 && i == label_begin)) return false;
    if (run_dots != 0) label_begin = i + static_cast<std::size_t>(std::bit_width(run_dots));
    if (stop == 0) {
      i += block_bytes;
      continue;
    }
    i += first_lane(stop);
    if (i >= n) {
      i = n;
      break;
    }
    const char c = p[i];
    if (c >= 'A' && c <= 'Z') {
      upper = true;
      ++i;
    } else if (c == '/' || c == '?' || c == '#' || c == ':') {
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
  while (i < n) {
    const Window w = window_at(p, i, n);
    const Mask special = ~(path_plain(w.block) >> w.skip) & all_lanes;
    if (special == 0) {
      i += block_bytes;
      continue;
    }
    i += first_lane(special);
    if (i >= n) {
      i = n;
      break;
    }
    const char c = p[i];
    if (c == '?' || c == '#') break;
    // Dot segments ("/.") are removed by curl (RFC 3986 §5.2.4).
    if (c != '.' || p[i - 1] == '/') return false;
    ++i;
  }
  const std::size_t path_end = i;
  for (; i < n; i += block_bytes) {
    const Window w = window_at(p, i, n);
    const Mask bad = ~(query_ok(w.block) >> w.skip) & all_lanes;
    if (bad != 0) {
      if (i + first_lane(bad) < n) return false;
      break;
    }
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
  // Not substr(): the bounds are known good, and its checks cost a tenth of the call.
  out.host = std::string_view(text.data() + f.host_begin, f.host_end - f.host_begin);
  out.path = f.path_end == f.path_begin ? std::string_view("/")
                                        : std::string_view(text.data() + f.path_begin, f.path_end - f.path_begin);
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
