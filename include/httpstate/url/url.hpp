#pragma once
// The parts of a request URL that cookies care about: scheme, canonical host, path.
// Plain ASCII URLs take a fast path; anything else (IDN, '%', IPv6, userinfo, odd ports)
// goes to libcurl's curl_url(), the reference parser, and the fuzzer keeps both in agreement.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "httpstate/result.hpp"

namespace httpstate::url {

enum class UrlError : std::uint8_t {
  too_long,        // over max_url_bytes
  malformed,       // curl_url() refused it
  no_host,         // e.g. "file:///x" or "http:///"
  bad_idn,         // a non-ASCII host libidn2 cannot convert
};

std::string_view to_string(UrlError e) noexcept;

// Not an RFC limit: browsers cap URLs at 2 MiB (Chromium's url::kMaxURLChars).
inline constexpr std::size_t max_url_bytes = 2 * 1024 * 1024;

enum class HostKind : std::uint8_t { name, ipv4, ipv6 };

struct Url {
  std::string scheme;  // lowercase, e.g. "https"
  std::string host;    // lowercase, punycode (A-labels); IPv6 in brackets: "[::1]"
  std::string path;    // starts with '/', no query or fragment; "/" when empty
  HostKind host_kind = HostKind::name;

  bool is_http() const noexcept { return scheme == "http" || scheme == "https"; }
  // §5.7 / secure contexts: https, plus localhost and loopback as Chromium and curl treat them.
  bool is_secure() const noexcept;
  bool is_ip() const noexcept { return host_kind != HostKind::name; }
};

// The same parts as views, into a Url or into the text parse_view() read.
struct UrlView {
  std::string_view scheme;
  std::string_view host;
  std::string_view path;
  HostKind host_kind = HostKind::name;

  UrlView() = default;
  UrlView(const Url& u) noexcept : scheme(u.scheme), host(u.host), path(u.path), host_kind(u.host_kind) {}

  // Spelled out so it inlines: a string_view == became a compare() call on every lookup.
  bool is_http() const noexcept {
    return (scheme.size() == 4 || (scheme.size() == 5 && scheme[4] == 's')) && std::memcmp(scheme.data(), "http", 4) == 0;
  }
  bool is_secure() const noexcept;  // as Url::is_secure()
  bool is_ip() const noexcept { return host_kind != HostKind::name; }
};

Result<Url, UrlError> parse(std::string_view text);

// The fast path without copies: true when `text` is a URL that parse() would return as is
// (plain ASCII, lowercase host), with `out` viewing `text` (or a literal "/" for an empty
// path). False says nothing about validity: ask parse_into(). The jar's hot paths use it.
bool parse_view(std::string_view text, UrlView& out) noexcept;

// The same answer written into `out`, reusing its strings' capacity: the jar's hot paths keep
// one Url per thread and parse without allocating. nullopt on success, else the reason (and
// `out` is unspecified).
std::optional<UrlError> parse_into(std::string_view text, Url& out);

// The same answer from curl_url() alone, no fast path: what the fuzzer compares against.
Result<Url, UrlError> parse_with_curl(std::string_view text);

// §5.1.4: the directory of the request path ("/a/b" -> "/a", "/a" or "" -> "/").
std::string default_path(std::string_view request_path);
// The same as a view: a prefix of `request_path`, or a literal "/".
std::string_view default_path_view(std::string_view request_path) noexcept;

}  // namespace httpstate::url
