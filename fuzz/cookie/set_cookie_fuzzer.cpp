// parse_set_cookie on arbitrary bytes: never crashes, and what it accepts obeys §5.6.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"

namespace {

// A byte loop of its own: the oracle for the library's vectorised has_forbidden_ctl.
bool naive_has_ctl(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x08 || (c >= 0x0A && c <= 0x1F) || c == 0x7F) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpstate;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  FUZZ_CHECK(has_forbidden_ctl(line) == naive_has_ctl(line));
  const auto r = parse_set_cookie(line);
  if (!r.ok()) {
    FUZZ_CHECK(!to_string(r.error()).empty());
    return 0;
  }
  FUZZ_CHECK(size <= limits::max_header_bytes);
  FUZZ_CHECK(!naive_has_ctl(line));
  const ParsedSetCookie& c = *r;
  FUZZ_CHECK(!(c.name.empty() && c.value.empty()));
  FUZZ_CHECK(c.name.size() + c.value.size() <= limits::max_name_value_bytes);
  FUZZ_CHECK(trimmed(c.name) && trimmed(c.value));
  FUZZ_CHECK(c.name.find(';') == std::string::npos && c.value.find(';') == std::string::npos);
  FUZZ_CHECK(c.name.find('=') == std::string::npos);
  if (c.domain) {
    FUZZ_CHECK(!c.domain->empty() && c.domain->size() <= limits::max_attribute_value_bytes);
    for (const char ch : *c.domain) FUZZ_CHECK(!(ch >= 'A' && ch <= 'Z') && ch != ';');
  }
  if (c.path) FUZZ_CHECK(!c.path->empty() && c.path->front() == '/' && trimmed(*c.path));
  if (c.max_age) {
    const auto cap = limits::max_lifetime.count();
    FUZZ_CHECK(*c.max_age >= -cap && *c.max_age <= cap);
  }
  return 0;
}
