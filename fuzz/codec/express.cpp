// Express cookie-signature values and express-session cookies (URL-encoded).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpstate/codec/express.hpp"

using namespace httpstate::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const express::CookieSigner signer(std::vector<std::string>{"fuzzing-secret-new", "fuzzing-secret-old"});
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)signer.unsign(in);
  (void)signer.session_id(in);
  if (auto d = express::decode_uri_component(in)) {
    if (express::decode_uri_component(express::encode_uri_component(*d)) != *d) __builtin_trap();
  }
  auto back = signer.session_id(signer.session_cookie_value(in));
  if (express::decode_uri_component(express::encode_uri_component(std::string(in))) && (!back || *back != in))
    __builtin_trap();
  return 0;
}
