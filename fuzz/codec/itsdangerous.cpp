// itsdangerous tokens: the signers, the serializers, and (through a signed copy of the input)
// the payload decoder behind a valid signature: base64, zlib, JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpstate/codec/itsdangerous.hpp"

using namespace httpstate::codec::itsdangerous;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TimestampSigner timed("fuzzing-secret-key", SignerOptions{});
  static const Serializer json("fuzzing-secret-key", url_safe("salt", true));
  static const Serializer plain("fuzzing-secret-key", SerializerOptions{});
  static const Signer raw("fuzzing-secret-key", SignerOptions{"salt", ".", KeyDerivation::django_concat,
                                                              httpstate::codec::Digest::sha1});
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)timed.unsign(in, 100, 1700000000);
  (void)json.loads(in, 100, 1700000000);
  (void)plain.loads(in);
  (void)parse_timestamp(in);
  if (auto p = decode_payload(in)) (void)parse_json(*p);
  // Behind a valid signature: the payload decoding and JSON parsing are reached.
  (void)json.loads(timed.sign(in, 1700000000), 100, 1700000000);
  (void)plain.loads(raw.sign(in));
  return 0;
}
