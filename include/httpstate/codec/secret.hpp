#pragma once
// Secret lists and the minimum secret size: configuration, not untrusted input, so these throw.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace httpstate::codec {

// 128 bits: below this an HMAC key is guessable offline from one token.
inline constexpr std::size_t min_secret_size = 16;

// Short secrets exist in deployed systems (and in the formats' own vectors), so reading or
// writing them is possible, but only when asked for by name.
enum class ShortSecrets : std::uint8_t { refuse, allow_for_compatibility };

// Throws httpstate::error (never quoting the secret) on an empty list, an empty secret, or one
// shorter than min_secret_size unless `policy` allows it.
void check_secrets(std::span<const std::string> secrets, ShortSecrets policy);

// Current Unix time in seconds (system clock): the default `now` of every codec.
std::int64_t unix_now() noexcept;

// 2023-11-14T22:13:20Z; out-of-range years print as "@<seconds>".
std::string format_iso8601(std::int64_t unix_seconds);

}  // namespace httpstate::codec
