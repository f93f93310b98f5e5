#pragma once
// Checks shared by the file loaders: what a canonical Cookie field may hold.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"
#include "httpstate/persist/load_options.hpp"

namespace httpstate::persist_detail {

// A host name is at most 253 octets (RFC 1035 §2.3.4); 255 leaves room for "[v6]".
inline constexpr std::size_t max_domain_bytes = 255;

// Lowercases in place; false when the domain cannot be a canonical host (url layer output).
// What the url layer produces: LDH labels (and '_', seen in the wild) in lowercase punycode,
// or an IPv6 literal in brackets ("[::1]"). Anything else cannot be a cookie's domain.
inline bool canonical_domain(std::string& d) {
  // One leading dot was the Domain marker; another, or an empty label, is no host.
  if (d.empty() || d.size() > max_domain_bytes || d.front() == '.' || d.find("..") != std::string::npos)
    return false;
  for (char& ch : d)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  auto is = [](std::string_view s, auto pred) { return std::all_of(s.begin(), s.end(), pred); };
  if (d.size() > 2 && d.front() == '[' && d.back() == ']')
    return is(std::string_view(d).substr(1, d.size() - 2),
              [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.'; });
  return is(d, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '_';
  });
}

inline std::optional<EntryError> check_fields(const Cookie& c) {
  if (has_forbidden_ctl(c.name) || has_forbidden_ctl(c.value) || c.name.find('\t') != std::string::npos ||
      c.name.size() + c.value.size() > limits::max_name_value_bytes)
    return EntryError::bad_name_value;
  if (c.path.empty() || c.path[0] != '/' || has_forbidden_ctl(c.path) ||
      c.path.size() > limits::max_attribute_value_bytes)
    return EntryError::bad_path;
  return std::nullopt;
}

// Expired: dropped always. Session: dropped unless kept. True when `c` stays.
inline bool keep_after_load(const Cookie& c, const LoadOptions& opts, Time now, LoadedCookies& out) {
  if (c.expired(now)) {
    ++out.dropped_expired;
    return false;
  }
  if (!c.persistent() && !opts.keep_session_cookies) {
    ++out.dropped_session;
    return false;
  }
  return true;
}

inline Time now_or(const LoadOptions& opts) {
  if (opts.now) return *opts.now;
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// Stable file order: by domain, host-only, path, name. One compare() per field, not != then <.
inline bool file_order(const Cookie* a, const Cookie* b) {
  if (int r = a->domain.compare(b->domain)) return r < 0;
  if (a->host_only != b->host_only) return a->host_only;
  if (int r = a->path.compare(b->path)) return r < 0;
  return a->name < b->name;
}

}  // namespace httpstate::persist_detail
