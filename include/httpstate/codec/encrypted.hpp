#pragma once
// Encrypted cookie values: AES-256-GCM, our default for confidential data. docs/encrypted-values.md
// is the normative description, so that other languages can read and write them.
//
// @par Format
//   token = b64url( 0x01 | key_id | nonce[12] | ciphertext | tag[16] ), no padding
//   key   = HKDF-SHA256(ikm = master secret, salt = "", info = "httpstate-encrypted-v1:" purpose)
//   AAD   = 0x01 | key_id | cookie name;   plaintext = expires (u64 BE, 0 = never) | value
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpstate/codec/rejection.hpp"
#include "httpstate/codec/secret.hpp"
#include "httpstate/result.hpp"

namespace httpstate::codec {

inline constexpr std::uint8_t encrypted_format_version = 1;
inline constexpr std::size_t gcm_nonce_size = 12;  // NIST SP 800-38D §8.2: 96-bit IVs
inline constexpr std::size_t gcm_tag_size = 16;

struct EncryptionKey {
  std::uint8_t id;            // written into every token: rotation picks the key by it
  std::string master_secret;  // at least min_secret_size bytes (32 recommended)
};

struct Opened {
  std::string value;
  std::optional<std::int64_t> expires;  // Unix seconds
  std::uint8_t key_id;
};

class EncryptedCodec {
 public:
  // keys: oldest..newest; the newest encrypts, any opens. purpose separates the key of one use
  // (say "session") from another. Throws httpstate::error on bad configuration.
  EncryptedCodec(std::vector<EncryptionKey> keys, std::string_view purpose);
  ~EncryptedCodec();
  EncryptedCodec(EncryptedCodec&&) noexcept;
  EncryptedCodec& operator=(EncryptedCodec&&) noexcept;

  // Throws httpstate::error if value and name exceed max_token_size / 2, or the CSPRNG or cipher fails.
  std::string seal(std::string_view name, std::string_view value,
                   std::optional<std::int64_t> expires = std::nullopt) const;
  Result<Opened, Rejection> open(std::string_view name, std::string_view token,
                                 std::int64_t now = unix_now()) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace httpstate::codec
