// Flask session cookies: verified and unverified decoding, and Flask's tagged JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpstate/codec/flask_session.hpp"

using namespace httpstate::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const flask::SessionCodec codec("fuzzing-secret-key");
  static const itsdangerous::TimestampSigner signer(
      "fuzzing-secret-key", itsdangerous::SignerOptions{"cookie-session", ".", itsdangerous::KeyDerivation::hmac,
                                                        Digest::sha1});
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)codec.decode(in, 1700000000);
  (void)flask::decode_unverified(in);
  (void)flask::parse_http_date(in);
  if (auto v = flask::load_tagged(in)) {
    // What we read, we can write, and read back.
    const std::string again = flask::dump_tagged(*v);
    if (!flask::load_tagged(again)) __builtin_trap();
  }
  (void)codec.decode(signer.sign(itsdangerous::encode_payload(in), 1700000000), 1700000000);
  return 0;
}
