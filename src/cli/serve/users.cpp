#include "users.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <charconv>
#include <optional>
#include <fstream>
#include <vector>

#include "httpstate/error.hpp"

namespace httpstate::serve {
namespace {

// Werkzeug's scrypt output: 64 bytes, hex.
constexpr std::size_t derived_bytes = 64;
// Refuse cost parameters that would take minutes or gigabytes per login (a hostile file).
constexpr unsigned max_log2_n = 20;

struct Parsed {
  unsigned n = 0, r = 0, p = 0;
  std::string salt, hex;
};

bool parse_uint(std::string_view s, unsigned& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::optional<Parsed> parse_hash(std::string_view h) {
  const auto d1 = h.find('$');
  const auto d2 = h.find('$', d1 == std::string_view::npos ? d1 : d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos) return std::nullopt;
  const auto method = h.substr(0, d1);
  Parsed p;
  p.salt = std::string(h.substr(d1 + 1, d2 - d1 - 1));
  p.hex = std::string(h.substr(d2 + 1));
  if (method.substr(0, 7) != "scrypt:") return std::nullopt;
  auto rest = method.substr(7);
  const auto c1 = rest.find(':'), c2 = rest.rfind(':');
  if (c1 == std::string_view::npos || c1 == c2) return std::nullopt;
  if (!parse_uint(rest.substr(0, c1), p.n) || !parse_uint(rest.substr(c1 + 1, c2 - c1 - 1), p.r) ||
      !parse_uint(rest.substr(c2 + 1), p.p))
    return std::nullopt;
  if (p.n < 2 || (p.n & (p.n - 1)) != 0 || p.n > (1u << max_log2_n) || p.r == 0 || p.r > 32 || p.p == 0 || p.p > 16)
    return std::nullopt;
  if (p.hex.size() != 2 * derived_bytes) return std::nullopt;
  return p;
}

std::string scrypt_hex(std::string_view password, std::string_view salt, unsigned n, unsigned r, unsigned p) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  EVP_KDF_CTX* ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
  EVP_KDF_free(kdf);
  if (!ctx) throw error("scrypt is not available in this OpenSSL");
  std::uint64_t N = n;
  std::uint32_t R = r, P = p;
  std::uint64_t maxmem = 132ull * n * r * p + (1u << 20);  // Werkzeug's bound, plus slack
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()), password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &N),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &R),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &P),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end()};
  unsigned char out[derived_bytes];
  const int ok = EVP_KDF_derive(ctx, out, sizeof out, params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) throw error("scrypt failed");
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : out) {
    hex.push_back(digits[c >> 4]);
    hex.push_back(digits[c & 15]);
  }
  OPENSSL_cleanse(out, sizeof out);
  return hex;
}

}  // namespace

std::string Users::hash(std::string_view password, std::string_view salt, unsigned n, unsigned r, unsigned p) {
  return "scrypt:" + std::to_string(n) + ":" + std::to_string(r) + ":" + std::to_string(p) + "$" + std::string(salt) +
         "$" + scrypt_hex(password, salt, n, r, p);
}

void Users::load_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw error("--users-file " + path + ": cannot be read");
  std::string line;
  int number = 0;
  while (std::getline(f, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    const std::string where = "--users-file " + path + " line " + std::to_string(number);
    if (colon == 0 || colon == std::string::npos) throw error(where + ": expected name:hash");
    const std::string hash = line.substr(colon + 1);
    if (!parse_hash(hash)) throw error(where + ": not a scrypt:N:r:p$salt$hex hash (N a power of 2 up to 2^20)");
    users_[line.substr(0, colon)] = hash;
  }
}

void Users::add(std::string name, std::string_view password) {
  unsigned char raw[12];
  if (RAND_bytes(raw, sizeof raw) != 1) throw error("RAND_bytes failed");
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string salt;
  for (unsigned char c : raw) salt.push_back(alphabet[c % 62]);
  users_[std::move(name)] = hash(password, salt);
}

bool Users::verify(std::string_view name, std::string_view password) const {
  static const std::string dummy = "scrypt:32768:8:1$saltsaltsalt$" + std::string(2 * derived_bytes, '0');
  const auto it = users_.find(name);
  const bool known = it != users_.end();
  const auto parsed = parse_hash(known ? it->second : dummy);
  if (!parsed) return false;
  const auto got = scrypt_hex(password, parsed->salt, parsed->n, parsed->r, parsed->p);
  const bool same = got.size() == parsed->hex.size() && CRYPTO_memcmp(got.data(), parsed->hex.data(), got.size()) == 0;
  return known && same;
}

}  // namespace httpstate::serve
