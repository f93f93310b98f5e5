// Micro-benchmarks of the cookie/ layer: Set-Cookie and Cookie header parsing, cookie-dates,
// and the Set-Cookie builder. Results go in docs/benchmarks.md (cookie section).
#include <benchmark/benchmark.h>

#include <string>

#include "httpstate/cookie/date.hpp"
#include "httpstate/cookie/parse.hpp"
#include "httpstate/cookie/set_cookie.hpp"

namespace httpstate {
namespace {

void parse_line(benchmark::State& state, const std::string& line, bool expect_ok) {
  for (auto _ : state) {
    auto r = parse_set_cookie(line);
    benchmark::DoNotOptimize(r);
    if (r.ok() != expect_ok) state.SkipWithError("unexpected parse result");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}

void BM_ParseSetCookie_Typical(benchmark::State& state) {
  // 107 bytes: a session id, an Expires date and the usual flags.
  parse_line(state,
             "session_id=8f14e45fceea167a5a36dedd4bea2543; Expires=Wed, 09 Jun 2027 10:18:14 GMT; "
             "Path=/; Secure; HttpOnly",
             true);
}
BENCHMARK(BM_ParseSetCookie_Typical);

void BM_ParseSetCookie_ChromiumNasty(benchmark::State& state) {
  parse_line(state, "A  = \"b=;\\\"\"  ;secure;;; samesite=none", true);
}
BENCHMARK(BM_ParseSetCookie_ChromiumNasty);

void BM_ParseSetCookie_4KBValue(benchmark::State& state) {
  parse_line(state, "big=" + std::string(4000, 'v') + "; Path=/; Secure", true);
}
BENCHMARK(BM_ParseSetCookie_4KBValue);

void BM_ParseSetCookie_1MiBRefused(benchmark::State& state) {
  parse_line(state, "a=" + std::string(1 << 20, 'b'), false);
}
BENCHMARK(BM_ParseSetCookie_1MiBRefused);

void BM_ParseSetCookie_EqualsThenNulRefused(benchmark::State& state) {
  parse_line(state, "a" + std::string(21651, '=') + std::string(1, '\0'), false);
}
BENCHMARK(BM_ParseSetCookie_EqualsThenNulRefused);

void BM_ParseCookieDate(benchmark::State& state, const char* date, bool expect_ok) {
  const std::string s = date;
  for (auto _ : state) {
    auto t = parse_cookie_date(s);
    benchmark::DoNotOptimize(t);
    if (t.has_value() != expect_ok) state.SkipWithError("unexpected date result");
  }
}
BENCHMARK_CAPTURE(BM_ParseCookieDate, rfc1123, "Sun, 06 Nov 1994 08:49:37 GMT", true);
BENCHMARK_CAPTURE(BM_ParseCookieDate, rfc850, "Sunday, 06-Nov-94 08:49:37 GMT", true);
BENCHMARK_CAPTURE(BM_ParseCookieDate, asctime, "Sun Nov  6 08:49:37 1994", true);
BENCHMARK_CAPTURE(BM_ParseCookieDate, odd_separators, "Thu, 19/Apr\\2007 16:00:00 GMT", true);
BENCHMARK_CAPTURE(BM_ParseCookieDate, odd_order, "15-Sat, Apr 21:01:22 GMT 17", true);
BENCHMARK_CAPTURE(BM_ParseCookieDate, not_a_date, "IAintNoDateFool", false);

void BM_FormatHttpDate(benchmark::State& state) {
  const Time t = from_unix_seconds(784111777);
  for (auto _ : state) {
    auto s = format_http_date(t);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_FormatHttpDate);

void BM_ParseCookieHeader(benchmark::State& state) {
  std::string header;
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    if (i) header += "; ";
    header += "cookie" + std::to_string(i) + "=value" + std::to_string(i * 7919);
  }
  for (auto _ : state) {
    auto pairs = parse_cookie_header(header);
    benchmark::DoNotOptimize(pairs);
    if (pairs.size() != static_cast<std::size_t>(state.range(0))) state.SkipWithError("pair count");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseCookieHeader)->Arg(1)->Arg(10)->Arg(100);

void BM_SetCookieToString(benchmark::State& state) {
  const SetCookie c{.name = "session_id",
                    .value = "8f14e45fceea167a5a36dedd4bea2543",
                    .expires = from_unix_seconds(1812190694),
                    .domain = "example.com",
                    .secure = true};
  for (auto _ : state) {
    auto line = c.to_string();
    benchmark::DoNotOptimize(line);
    if (!line.ok()) state.SkipWithError("builder refused");
  }
}
BENCHMARK(BM_SetCookieToString);

}  // namespace
}  // namespace httpstate

BENCHMARK_MAIN();
