// Tornado signed values, v1 and v2, in their quoted wire form or not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpstate/codec/tornado.hpp"

using namespace httpstate::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tornado::SignedValues single("fuzzing-secret-key");
  static const tornado::SignedValues versions({{0, "fuzzing-secret-old"}, {3, "fuzzing-secret-new"}}, 3);
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)single.decode("user", in, 31, 1700000000);
  (void)versions.decode("user", in, 31, 1700000000, 2);
  const std::string unquoted = tornado::unquote(in);
  if (tornado::unquote(tornado::quote(unquoted)) != unquoted) __builtin_trap();
  // A valid MAC over fuzzed fields reaches the name, age and base64 checks.
  (void)single.decode("user", single.create("user", in, 2, 1700000000), 31, 1700000000);
  return 0;
}
