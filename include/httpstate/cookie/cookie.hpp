#pragma once
// The cookie model of RFC 6265bis §5.7: what a jar stores after the storage model ran.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace httpstate {

// Microseconds since the Unix epoch, UTC: fine enough to order creation times (§5.8.3 step 2).
using Time = std::chrono::sys_time<std::chrono::microseconds>;

inline Time from_unix_seconds(std::int64_t s) { return Time{std::chrono::seconds{s}}; }
inline std::int64_t to_unix_seconds(Time t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

// §5.6.7: unset ("Default") is distinct from an explicit None.
enum class SameSite : std::uint8_t { unset, none, lax, strict };

std::string_view to_string(SameSite s) noexcept;  // "", "None", "Lax", "Strict"

struct Cookie {
  std::string name;
  std::string value;
  std::string domain;  // canonical (lowercase, punycode) host or domain, no leading dot
  std::string path;
  std::optional<Time> expires;  // nullopt: a session cookie (persistent-flag false)
  Time creation{};
  Time last_access{};
  bool host_only = true;
  bool secure = false;
  bool http_only = false;
  bool partitioned = false;  // CHIPS: kept apart by the top-level site it was set under
  // CHIPS: that top-level site, as scheme://registrable-domain ("https://example.com"), for a
  // partitioned cookie; empty for any other. Part of the cookie's identity.
  std::string partition_key;
  SameSite same_site = SameSite::unset;

  bool persistent() const noexcept { return expires.has_value(); }
  bool expired(Time now) const noexcept { return expires && *expires <= now; }
  // §5.7 step 22: the identity that makes one cookie replace another.
  bool same_identity(const Cookie& o) const noexcept {
    return name == o.name && domain == o.domain && path == o.path && host_only == o.host_only &&
           partition_key == o.partition_key;
  }
};

}  // namespace httpstate
