// parse_cookie_header on arbitrary bytes: views stay inside the input, pairs are trimmed and
// never empty, and no pair spans a ';'.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"

namespace {

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpstate;
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  const auto pairs = parse_cookie_header(header);
  if (size > limits::max_header_bytes) FUZZ_CHECK(pairs.empty());
  FUZZ_CHECK(pairs.size() <= size / 2 + 1);  // every pair takes at least one byte and a ';'
  const char* last = header.data();
  for (const auto& p : pairs) {
    FUZZ_CHECK(inside(p.name, header) && inside(p.value, header));
    FUZZ_CHECK(!(p.name.empty() && p.value.empty()));
    FUZZ_CHECK(trimmed(p.name) && trimmed(p.value));
    FUZZ_CHECK(p.name.find(';') == std::string_view::npos);
    FUZZ_CHECK(p.value.find(';') == std::string_view::npos);
    FUZZ_CHECK(p.name.find('=') == std::string_view::npos);
    const char* start = p.name.empty() ? p.value.data() : p.name.data();
    FUZZ_CHECK(start >= last);  // in order
    last = start;
    const std::string_view u = unquote(p.value);
    FUZZ_CHECK(u.size() == p.value.size() || u.size() + 2 == p.value.size());
  }
  return 0;
}
