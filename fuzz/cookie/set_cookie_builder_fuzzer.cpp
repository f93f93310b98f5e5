// Whatever SetCookie::to_string accepts, parse_set_cookie reads back as the same cookie.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "check.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"
#include "httpstate/cookie/set_cookie.hpp"

namespace {

std::string lower_without_dot(std::string d) {
  if (!d.empty() && d.front() == '.') d.erase(0, 1);
  for (char& c : d)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpstate;
  using namespace std::chrono;
  FuzzedDataProvider in(data, size);
  SetCookie c;
  c.name = in.ConsumeRandomLengthString(64);
  c.value = in.ConsumeRandomLengthString(256);
  if (in.ConsumeBool()) c.expires = Time{microseconds{in.ConsumeIntegral<std::int64_t>()}};
  if (in.ConsumeBool()) c.max_age = in.ConsumeIntegral<std::int64_t>();
  c.domain = in.ConsumeRandomLengthString(64);
  c.path = in.ConsumeRandomLengthString(64);
  c.secure = in.ConsumeBool();
  c.http_only = in.ConsumeBool();
  c.same_site = static_cast<SameSite>(in.ConsumeIntegralInRange<int>(0, 3));
  c.partitioned = in.ConsumeBool();

  const auto line = c.to_string();
  if (!line.ok()) return 0;
  const auto p = parse_set_cookie(*line);
  FUZZ_CHECK(p.ok());
  FUZZ_CHECK(p->name == c.name && p->value == c.value);
  if (c.expires) FUZZ_CHECK(p->expires == floor<seconds>(*c.expires));
  else FUZZ_CHECK(!p->expires);
  if (c.max_age) {
    const auto cap = limits::max_lifetime.count();
    FUZZ_CHECK(p->max_age == std::clamp<std::int64_t>(*c.max_age, -cap, cap));
  } else {
    FUZZ_CHECK(!p->max_age);
  }
  if (c.domain.empty()) FUZZ_CHECK(!p->domain);
  else FUZZ_CHECK(p->domain == lower_without_dot(c.domain));
  if (c.path.empty()) FUZZ_CHECK(!p->path);
  else FUZZ_CHECK(p->path == c.path);
  FUZZ_CHECK(p->secure == c.secure && p->http_only == c.http_only);
  FUZZ_CHECK(p->same_site == c.same_site && p->partitioned == c.partitioned);
  return 0;
}
