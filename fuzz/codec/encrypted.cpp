// AES-256-GCM encrypted values: whatever the input, open() refuses it or returns what seal() took.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpstate/codec/encrypted.hpp"

using namespace httpstate::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const EncryptedCodec codec({{1, "fuzzing-master-secret-0123456789"}, {2, "fuzzing-master-secret-abcdefghij"}},
                                    "fuzz");
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)codec.open("sid", in, 1700000000);
  if (size > max_token_size / 4) return 0;  // seal() refuses what could not fit a token
  const auto back = codec.open("sid", codec.seal("sid", in, 1700000100), 1700000000);
  if (!back || back->value != in) __builtin_trap();
  return 0;
}
