#include "httpstate/codec/rejection.hpp"

#include "httpstate/codec/secret.hpp"

namespace httpstate::codec {

std::string_view to_string(Reason r) noexcept {
  switch (r) {
    case Reason::malformed: return "malformed token";
    case Reason::too_large: return "token too large";
    case Reason::bad_signature: return "bad signature";
    case Reason::timestamp_missing: return "timestamp missing";
    case Reason::bad_timestamp: return "bad timestamp";
    case Reason::expired: return "signature expired";
    case Reason::past_expiry: return "expired";
    case Reason::bad_payload: return "bad payload";
    case Reason::wrong_name: return "signed for another cookie name";
    case Reason::unknown_key: return "unknown key version";
    case Reason::unsupported_version: return "unsupported format version";
    case Reason::decryption_failed: return "decryption failed";
  }
  return "rejected";
}

std::string to_string(const Rejection& r) {
  std::string out(to_string(r.reason));
  if (r.reason == Reason::expired) out += " (signed " + format_iso8601(r.signed_at) + ")";
  if (r.reason == Reason::past_expiry) out += " (at " + format_iso8601(r.signed_at) + ")";
  return out;
}

}  // namespace httpstate::codec
