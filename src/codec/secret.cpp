#include "httpstate/codec/secret.hpp"

#include <chrono>
#include <cstdio>

#include "httpstate/error.hpp"

namespace httpstate::codec {

void check_secrets(std::span<const std::string> secrets, ShortSecrets policy) {
  if (secrets.empty()) throw httpstate::error("no secret given");
  for (const auto& s : secrets) {
    if (s.empty()) throw httpstate::error("a secret is empty");
    if (s.size() < min_secret_size && policy == ShortSecrets::refuse)
      throw httpstate::error("a secret is shorter than 16 bytes; use a longer one, or allow short "
                             "secrets explicitly to stay compatible with an existing deployment");
  }
}

std::int64_t unix_now() noexcept {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_iso8601(std::int64_t t) {
  using namespace std::chrono;
  constexpr std::int64_t max_4_digit_year = 253402300799;  // 9999-12-31T23:59:59Z
  if (t < 0 || t > max_4_digit_year) {
    std::string out = "@";
    out += std::to_string(t);
    return out;
  }
  const sys_seconds tp{seconds{t}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

}  // namespace httpstate::codec
