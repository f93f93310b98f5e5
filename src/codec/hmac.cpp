#include "httpstate/codec/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <memory>

#include "httpstate/error.hpp"

namespace httpstate::codec {
namespace {

// Fetched once: OpenSSL 3 otherwise looks the provider up on every call.
const EVP_MD* fetch(Digest d) {
  static const EVP_MD* const mds[] = {EVP_MD_fetch(nullptr, "SHA1", nullptr),
                                      EVP_MD_fetch(nullptr, "SHA256", nullptr),
                                      EVP_MD_fetch(nullptr, "SHA512", nullptr)};
  const EVP_MD* md = mds[static_cast<int>(d)];
  if (!md) throw httpstate::error("OpenSSL digest unavailable");
  return md;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

// One scratch context per thread, so a keyed HmacKey is shareable across threads.
EVP_MD_CTX* scratch() {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx{EVP_MD_CTX_new()};
  if (!ctx) throw httpstate::error("out of memory");
  return ctx.get();
}

void check(int ok) {
  if (ok != 1) throw httpstate::error("OpenSSL digest failed");
}

}  // namespace

std::string_view to_string(Digest d) noexcept {
  switch (d) {
    case Digest::sha1: return "sha1";
    case Digest::sha256: return "sha256";
    case Digest::sha512: return "sha512";
  }
  return "?";
}

std::optional<Digest> digest_from_string(std::string_view s) noexcept {
  if (s == "sha1") return Digest::sha1;
  if (s == "sha256") return Digest::sha256;
  if (s == "sha512") return Digest::sha512;
  return std::nullopt;
}

std::size_t digest_size(Digest d) noexcept {
  switch (d) {
    case Digest::sha1: return 20;
    case Digest::sha256: return 32;
    case Digest::sha512: return 64;
  }
  return 0;
}

std::string hash(Digest d, std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = scratch();
  check(EVP_DigestInit_ex2(ctx, fetch(d), nullptr));
  for (auto p : parts) check(EVP_DigestUpdate(ctx, p.data(), p.size()));
  std::string out(digest_size(d), '\0');
  check(EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), nullptr));
  return out;
}

HmacKey::HmacKey(Digest d, std::string_view key) : digest_(d) {
  const EVP_MD* md = fetch(d);
  const auto block = static_cast<std::size_t>(EVP_MD_get_block_size(md));
  unsigned char k[128] = {};  // RFC 2104 §2: the key zero-padded to one block
  std::string hashed;
  if (key.size() > block) {  // §2: longer keys are hashed first
    hashed = hash(d, {key});
    key = hashed;
  }
  std::memcpy(k, key.data(), key.size());
  unsigned char pad[128];
  inner_ = EVP_MD_CTX_new();
  outer_ = EVP_MD_CTX_new();
  if (!inner_ || !outer_) {
    EVP_MD_CTX_free(inner_);
    EVP_MD_CTX_free(outer_);
    throw httpstate::error("out of memory");
  }
  for (std::size_t i = 0; i < block; ++i) pad[i] = k[i] ^ 0x36;
  const bool ok_inner = EVP_DigestInit_ex2(inner_, md, nullptr) == 1 && EVP_DigestUpdate(inner_, pad, block) == 1;
  for (std::size_t i = 0; i < block; ++i) pad[i] = k[i] ^ 0x5c;
  const bool ok_outer = EVP_DigestInit_ex2(outer_, md, nullptr) == 1 && EVP_DigestUpdate(outer_, pad, block) == 1;
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(pad, sizeof pad);
  if (!ok_inner || !ok_outer) {
    EVP_MD_CTX_free(inner_);
    EVP_MD_CTX_free(outer_);
    throw httpstate::error("OpenSSL digest failed");
  }
}

HmacKey::HmacKey(const HmacKey& o) : digest_(o.digest_), inner_(EVP_MD_CTX_new()), outer_(EVP_MD_CTX_new()) {
  if (!inner_ || !outer_ || EVP_MD_CTX_copy_ex(inner_, o.inner_) != 1 ||
      EVP_MD_CTX_copy_ex(outer_, o.outer_) != 1) {
    EVP_MD_CTX_free(inner_);
    EVP_MD_CTX_free(outer_);
    throw httpstate::error("OpenSSL digest copy failed");
  }
}

HmacKey::HmacKey(HmacKey&& o) noexcept : digest_(o.digest_), inner_(o.inner_), outer_(o.outer_) {
  o.inner_ = o.outer_ = nullptr;
}

HmacKey& HmacKey::operator=(HmacKey o) noexcept {
  std::swap(digest_, o.digest_);
  std::swap(inner_, o.inner_);
  std::swap(outer_, o.outer_);
  return *this;
}

HmacKey::~HmacKey() {
  EVP_MD_CTX_free(inner_);  // frees and cleanses the keyed states
  EVP_MD_CTX_free(outer_);
}

std::size_t HmacKey::mac(std::initializer_list<std::string_view> parts, unsigned char* out) const {
  EVP_MD_CTX* ctx = scratch();
  unsigned int n = 0;
  check(EVP_MD_CTX_copy_ex(ctx, inner_));
  for (auto p : parts) check(EVP_DigestUpdate(ctx, p.data(), p.size()));
  check(EVP_DigestFinal_ex(ctx, out, &n));
  check(EVP_MD_CTX_copy_ex(ctx, outer_));
  check(EVP_DigestUpdate(ctx, out, n));
  check(EVP_DigestFinal_ex(ctx, out, &n));
  return n;
}

std::string HmacKey::mac(std::string_view data) const {
  std::string out(size(), '\0');
  mac({data}, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace httpstate::codec
