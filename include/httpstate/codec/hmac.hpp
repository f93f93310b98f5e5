#pragma once
// HMAC keyed once: the ipad/opad states are hashed at construction, each use copies them
// (EVP_MD_CTX_copy_ex), which is several times cheaper than OpenSSL 3's one-shot HMAC().
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace httpstate::codec {

enum class Digest : std::uint8_t { sha1, sha256, sha512 };

std::string_view to_string(Digest d) noexcept;                      // "sha1", "sha256", "sha512"
std::optional<Digest> digest_from_string(std::string_view) noexcept;  // the same names
std::size_t digest_size(Digest d) noexcept;

inline constexpr std::size_t max_digest_size = 64;

// One-shot hash of the concatenated parts (itsdangerous key derivation).
std::string hash(Digest d, std::initializer_list<std::string_view> parts);

class HmacKey {
 public:
  HmacKey(Digest d, std::string_view key);
  HmacKey(const HmacKey&);
  HmacKey(HmacKey&&) noexcept;
  HmacKey& operator=(HmacKey) noexcept;
  ~HmacKey();

  Digest digest() const noexcept { return digest_; }
  std::size_t size() const noexcept { return digest_size(digest_); }

  // MAC of the concatenated parts into out[0..size()); returns size().
  std::size_t mac(std::initializer_list<std::string_view> parts, unsigned char* out) const;
  std::size_t mac(std::string_view data, unsigned char* out) const { return mac({data}, out); }
  std::string mac(std::string_view data) const;

 private:
  Digest digest_;
  evp_md_ctx_st* inner_ = nullptr;  // state after the key ^ ipad block
  evp_md_ctx_st* outer_ = nullptr;  // state after the key ^ opad block
};

// Constant-time equality of two byte strings (CRYPTO_memcmp); lengths are not secret.
bool equal_constant_time(std::string_view a, std::string_view b) noexcept;

}  // namespace httpstate::codec
