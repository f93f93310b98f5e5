#pragma once
// Hard limits on cookie input, each from RFC 6265bis (draft-ietf-httpbis-rfc6265bis).
#include <chrono>
#include <cstddef>

namespace httpstate::limits {

// §5.6 step 5 / §6.1: name plus value longer than this aborts the whole Set-Cookie line.
inline constexpr std::size_t max_name_value_bytes = 4096;
// §5.6 step 6 / §6.1: an attribute value longer than this makes the attribute ignored.
inline constexpr std::size_t max_attribute_value_bytes = 1024;
// §5.5 / §5.6.1 / §5.6.2: Expires and Max-Age are capped at 400 days from now.
inline constexpr std::chrono::seconds max_lifetime{400LL * 24 * 60 * 60};
// §6.1 asks for at least 50 per domain; Chromium keeps 180 per registrable domain.
inline constexpr std::size_t max_cookies_per_site = 180;
// §6.1 asks for at least 3000 in total; Chromium keeps 3300.
inline constexpr std::size_t max_cookies_total = 3300;
// Chromium's purge slack: when a limit is exceeded, purge down to limit - slack.
inline constexpr std::size_t purge_slack_per_site = 30;
inline constexpr std::size_t purge_slack_total = 300;
// CHIPS, as Chromium's CookieMonster (net/cookies/cookie_monster.cc,
// kPerPartitionDomainMaxCookies and kPerPartitionDomainMaxCookieBytes): each registrable domain
// keeps at most 180 cookies and 10 KiB of names and values in each partition; past either, the
// least recently accessed go (no slack) until both hold.
inline constexpr std::size_t max_cookies_per_partition_site = 180;
inline constexpr std::size_t max_cookie_bytes_per_partition_site = 10240;
// Not a Chromium limit: a partition key is scheme://host, and a host has at most 253 bytes.
inline constexpr std::size_t max_partition_key_bytes = 512;
// Not an RFC limit: a Set-Cookie or Cookie header larger than this is refused up front, so a
// hostile 1 MiB header costs a length check, not a parse (Chromium caps lines similarly).
inline constexpr std::size_t max_header_bytes = 8192 * 4;

}  // namespace httpstate::limits
