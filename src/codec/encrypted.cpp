#include "httpstate/codec/encrypted.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <set>

#include "httpstate/codec/base64.hpp"
#include "httpstate/error.hpp"

namespace httpstate::codec {
namespace {

constexpr std::size_t key_size = 32;  // AES-256
constexpr std::size_t header_size = 2;  // version, key id
constexpr std::size_t expiry_size = 8;
constexpr std::string_view hkdf_info_prefix = "httpstate-encrypted-v1:";

using Key = std::array<unsigned char, key_size>;

// RFC 5869 HKDF-SHA256, no salt (HashLen zero bytes), info = prefix + purpose.
Key derive(std::string_view master, std::string_view purpose) {
  std::string info = std::string(hkdf_info_prefix) + std::string(purpose);
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
  EVP_KDF_free(kdf);
  if (!ctx) throw httpstate::error("OpenSSL HKDF unavailable");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(master.data()), master.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
      OSSL_PARAM_construct_end()};
  Key key;
  const int ok = EVP_KDF_derive(ctx, key.data(), key.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) throw httpstate::error("HKDF failed");
  return key;
}

struct CipherCtx {
  EVP_CIPHER_CTX* p = EVP_CIPHER_CTX_new();
  ~CipherCtx() { EVP_CIPHER_CTX_free(p); }
};

}  // namespace

struct EncryptedCodec::Impl {
  std::vector<std::pair<std::uint8_t, Key>> keys;  // newest last
  EVP_CIPHER* cipher = nullptr;
  ~Impl() {
    EVP_CIPHER_free(cipher);
    for (auto& k : keys) OPENSSL_cleanse(k.second.data(), k.second.size());
  }
  const Key* find(std::uint8_t id) const {
    for (const auto& [kid, key] : keys)
      if (kid == id) return &key;
    return nullptr;
  }
};

EncryptedCodec::EncryptedCodec(std::vector<EncryptionKey> keys, std::string_view purpose)
    : impl_(std::make_unique<Impl>()) {
  std::vector<std::string> secrets;
  std::set<std::uint8_t> ids;
  for (const auto& k : keys) {
    secrets.push_back(k.master_secret);
    if (!ids.insert(k.id).second) throw httpstate::error("two encryption keys share a key id");
  }
  check_secrets(secrets, ShortSecrets::refuse);
  for (const auto& k : keys) impl_->keys.emplace_back(k.id, derive(k.master_secret, purpose));
  impl_->cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (!impl_->cipher) throw httpstate::error("OpenSSL AES-256-GCM unavailable");
}

EncryptedCodec::~EncryptedCodec() = default;
EncryptedCodec::EncryptedCodec(EncryptedCodec&&) noexcept = default;
EncryptedCodec& EncryptedCodec::operator=(EncryptedCodec&&) noexcept = default;

std::string EncryptedCodec::seal(std::string_view name, std::string_view value,
                                 std::optional<std::int64_t> expires) const {
  // open() refuses tokens over max_token_size: sealing a value that could not be opened is a bug.
  if (value.size() + name.size() > max_token_size / 2) throw httpstate::error("value too large to encrypt into a cookie");
  const auto& [key_id, key] = impl_->keys.back();
  const unsigned char header[header_size] = {encrypted_format_version, key_id};
  // 0 means "no expiry"; an expiry at or before the epoch is stored as already past.
  const std::uint64_t exp = expires ? static_cast<std::uint64_t>(std::max<std::int64_t>(*expires, 1)) : 0;
  unsigned char exp_be[expiry_size];
  for (int i = 0; i < 8; ++i) exp_be[i] = static_cast<unsigned char>(exp >> (56 - 8 * i));

  std::string raw(header_size + gcm_nonce_size + expiry_size + value.size() + gcm_tag_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  std::memcpy(out, header, header_size);
  unsigned char* nonce = out + header_size;
  if (RAND_bytes(nonce, gcm_nonce_size) != 1) throw httpstate::error("CSPRNG failure");
  unsigned char* ct = nonce + gcm_nonce_size;

  CipherCtx ctx;
  int n = 0;
  bool ok = ctx.p && EVP_EncryptInit_ex2(ctx.p, impl_->cipher, key.data(), nonce, nullptr) == 1 &&
            EVP_EncryptUpdate(ctx.p, nullptr, &n, header, header_size) == 1 &&
            EVP_EncryptUpdate(ctx.p, nullptr, &n, reinterpret_cast<const unsigned char*>(name.data()),
                              static_cast<int>(name.size())) == 1 &&
            EVP_EncryptUpdate(ctx.p, ct, &n, exp_be, expiry_size) == 1;
  int m = 0;
  ok = ok && EVP_EncryptUpdate(ctx.p, ct + n, &m, reinterpret_cast<const unsigned char*>(value.data()),
                               static_cast<int>(value.size())) == 1;
  int f = 0;
  ok = ok && EVP_EncryptFinal_ex(ctx.p, ct + n + m, &f) == 1 &&
       EVP_CIPHER_CTX_ctrl(ctx.p, EVP_CTRL_GCM_GET_TAG, gcm_tag_size, ct + expiry_size + value.size()) == 1;
  if (!ok) throw httpstate::error("AES-GCM encryption failed");
  return base64_encode(raw, Base64::url_nopad);
}

Result<Opened, Rejection> EncryptedCodec::open(std::string_view name, std::string_view token,
                                               std::int64_t now) const {
  if (token.size() > max_token_size) return fail(Rejection{Reason::too_large});
  const auto raw = base64_decode(token, Base64::url_nopad);
  constexpr std::size_t min_size = header_size + gcm_nonce_size + expiry_size + gcm_tag_size;
  if (!raw || raw->size() < min_size) return fail(Rejection{Reason::malformed});
  const auto* in = reinterpret_cast<const unsigned char*>(raw->data());
  if (in[0] != encrypted_format_version) return fail(Rejection{Reason::unsupported_version});
  const Key* key = impl_->find(in[1]);
  if (!key) return fail(Rejection{Reason::unknown_key});
  const unsigned char* nonce = in + header_size;
  const unsigned char* ct = nonce + gcm_nonce_size;
  const std::size_t ct_size = raw->size() - header_size - gcm_nonce_size - gcm_tag_size;
  std::string plain(ct_size, '\0');
  auto* pt = reinterpret_cast<unsigned char*>(plain.data());

  CipherCtx ctx;
  int n = 0, f = 0;
  const bool ok =
      ctx.p && EVP_DecryptInit_ex2(ctx.p, impl_->cipher, key->data(), nonce, nullptr) == 1 &&
      EVP_DecryptUpdate(ctx.p, nullptr, &n, in, header_size) == 1 &&
      EVP_DecryptUpdate(ctx.p, nullptr, &n, reinterpret_cast<const unsigned char*>(name.data()),
                        static_cast<int>(name.size())) == 1 &&
      EVP_DecryptUpdate(ctx.p, pt, &n, ct, static_cast<int>(ct_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.p, EVP_CTRL_GCM_SET_TAG, gcm_tag_size,
                          const_cast<unsigned char*>(ct + ct_size)) == 1 &&
      EVP_DecryptFinal_ex(ctx.p, pt + n, &f) == 1;
  if (!ok) return fail(Rejection{Reason::decryption_failed});

  std::uint64_t exp = 0;
  for (std::size_t i = 0; i < expiry_size; ++i) exp = (exp << 8) | pt[i];
  Opened out{plain.substr(expiry_size), std::nullopt, in[1]};
  if (exp) {
    if (exp > static_cast<std::uint64_t>(INT64_MAX)) return fail(Rejection{Reason::bad_payload});
    out.expires = static_cast<std::int64_t>(exp);
    if (*out.expires <= now) return fail(Rejection{Reason::past_expiry, *out.expires});
  }
  return out;
}

}  // namespace httpstate::codec
