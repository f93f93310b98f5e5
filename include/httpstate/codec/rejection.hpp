#pragma once
// Why a signed or encrypted value was refused: every codec decoder returns one of these.
#include <cstdint>
#include <string>
#include <string_view>

namespace httpstate::codec {

enum class Reason : std::uint8_t {
  malformed,            // not the shape of the format (separators, fields, base64)
  too_large,            // over max_token_size or max_payload_size
  bad_signature,        // the MAC does not match any key
  timestamp_missing,    // signature ok but no timestamp where one is required
  bad_timestamp,        // the timestamp is not a valid number
  expired,              // older than the allowed age (or in the future); signed_at is set
  past_expiry,          // an encrypted value past the expiry it carries; signed_at is that expiry
  bad_payload,          // signature ok but the payload does not decode (base64, zlib, JSON)
  wrong_name,           // a Tornado value signed for another cookie name
  unknown_key,          // a key version / key id we do not hold
  unsupported_version,  // a format version we do not read
  decryption_failed,    // AES-GCM authentication failed (wrong key, name or tampered)
};

std::string_view to_string(Reason r) noexcept;

struct Rejection {
  Reason reason;
  std::int64_t signed_at = 0;  // Unix seconds: the signing date (expired) or expiry (past_expiry)

  friend bool operator==(const Rejection&, const Rejection&) = default;
};

// "bad signature", "signature expired (signed 2023-11-14T22:13:20Z)": safe to show users.
std::string to_string(const Rejection& r);

// Bounds on untrusted input, so a decoder's work and memory are bounded.
inline constexpr std::size_t max_token_size = 64 * 1024;      // far above a cookie's 4096 (RFC 6265bis §5.6)
inline constexpr std::size_t max_payload_size = 1024 * 1024;  // a zlib bomb stops here
inline constexpr std::size_t max_json_depth = 512;            // below Python's recursion limit

}  // namespace httpstate::codec
