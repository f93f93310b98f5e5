// Sign and verify of a 100-byte value, beside bare OpenSSL HMACs over the same bytes, so the
// cost of our own code is visible. bench/codec/compare runs the Python and node peers too.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "httpstate/codec/express.hpp"
#include "httpstate/codec/flask_session.hpp"
#include "httpstate/codec/itsdangerous.hpp"

namespace {

using namespace httpstate::codec;

// The same 100 bytes and secret as bench/codec/compare gives the peers.
const std::string payload =
    "user=alice;id=8c1f0e2a-77d4-4b39-9d51-2f6a0c4e9b13;roles=admin,dev;theme=dark;lang=en-GB;exp=1700";
const std::string secret = "benchmark-secret-key-0123456789";
const std::string json_payload = R"({"user":"alice","id":1234,"roles":["admin","dev"],"theme":"dark","lang":"en-GB"})";

void BareHmacOneShot(benchmark::State& state, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  for (auto _ : state) {
    HMAC(md, secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(payload.data()),
         payload.size(), out, &n);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * payload.size()));
}
BENCHMARK_CAPTURE(BareHmacOneShot, sha1, EVP_sha1());
BENCHMARK_CAPTURE(BareHmacOneShot, sha256, EVP_sha256());

// The "bare HMAC" bar: ipad/opad states hashed once, copied per use (EVP_MD_CTX_copy_ex).
void BareHmacPrecomputed(benchmark::State& state, const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  const int block = EVP_MD_get_block_size(md);
  unsigned char k[128] = {}, pad[128];
  std::copy(secret.begin(), secret.end(), k);
  EVP_MD_CTX* inner = EVP_MD_CTX_new();
  EVP_MD_CTX* outer = EVP_MD_CTX_new();
  EVP_MD_CTX* work = EVP_MD_CTX_new();
  for (int i = 0; i < block; ++i) pad[i] = k[i] ^ 0x36;
  EVP_DigestInit_ex2(inner, md, nullptr);
  EVP_DigestUpdate(inner, pad, block);
  for (int i = 0; i < block; ++i) pad[i] = k[i] ^ 0x5c;
  EVP_DigestInit_ex2(outer, md, nullptr);
  EVP_DigestUpdate(outer, pad, block);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  for (auto _ : state) {
    EVP_MD_CTX_copy_ex(work, inner);
    EVP_DigestUpdate(work, payload.data(), payload.size());
    EVP_DigestFinal_ex(work, out, &n);
    EVP_MD_CTX_copy_ex(work, outer);
    EVP_DigestUpdate(work, out, n);
    EVP_DigestFinal_ex(work, out, &n);
    benchmark::DoNotOptimize(out);
  }
  EVP_MD_CTX_free(work);
  EVP_MD_CTX_free(outer);
  EVP_MD_CTX_free(inner);
  EVP_MD_free(md);
}
BENCHMARK_CAPTURE(BareHmacPrecomputed, sha1, "SHA1");
BENCHMARK_CAPTURE(BareHmacPrecomputed, sha256, "SHA256");

void ItsdangerousSign(benchmark::State& state) {
  const itsdangerous::Signer s(secret);
  for (auto _ : state) benchmark::DoNotOptimize(s.sign(payload));
}
BENCHMARK(ItsdangerousSign);

void ItsdangerousVerify(benchmark::State& state) {
  const itsdangerous::Signer s(secret);
  const std::string token = s.sign(payload);
  for (auto _ : state) benchmark::DoNotOptimize(s.unsign(token));
}
BENCHMARK(ItsdangerousVerify);

void UrlSafeTimedDumps(benchmark::State& state) {
  const itsdangerous::Serializer s(secret, itsdangerous::url_safe("itsdangerous", true));
  const auto value = itsdangerous::Json::parse(json_payload);
  for (auto _ : state) benchmark::DoNotOptimize(s.dumps(value, 1700000000));
}
BENCHMARK(UrlSafeTimedDumps);

void UrlSafeTimedLoads(benchmark::State& state) {
  const itsdangerous::Serializer s(secret, itsdangerous::url_safe("itsdangerous", true));
  const std::string token = s.dumps(itsdangerous::Json::parse(json_payload), 1700000000);
  for (auto _ : state) benchmark::DoNotOptimize(s.loads(token, 1000, 1700000000));
}
BENCHMARK(UrlSafeTimedLoads);

void ExpressSign(benchmark::State& state) {
  const express::CookieSigner s(secret);
  for (auto _ : state) benchmark::DoNotOptimize(s.sign(payload));
}
BENCHMARK(ExpressSign);

void ExpressVerify(benchmark::State& state) {
  const express::CookieSigner s(secret);
  const std::string token = s.sign(payload);
  for (auto _ : state) benchmark::DoNotOptimize(s.unsign(token));
}
BENCHMARK(ExpressVerify);

void FlaskSessionDecode(benchmark::State& state) {
  const flask::SessionCodec codec(secret);
  const std::string cookie = codec.encode({{"user", "alice"}, {"id", 1234}, {"roles", flask::Value::Tuple{{"admin", "dev"}}}},
                                          1700000000);
  for (auto _ : state) benchmark::DoNotOptimize(codec.decode(cookie, 1700000000));
}
BENCHMARK(FlaskSessionDecode);

}  // namespace

BENCHMARK_MAIN();
