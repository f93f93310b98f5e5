// The store/lookup loop of `httpstate jar replay --bench` without the CLI, for profiling the jar
// under callgrind: `bench_jar_replay FILE [REPEAT] [--print]` (--print writes the headers).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "httpstate/jar/cookie_jar.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(x)
#endif

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_jar_replay FILE [REPEAT] [--print]\n";
    return 2;
  }
  int repeat = argc > 2 ? std::atoi(argv[2]) : 1;
  const bool print = argc > 3 && std::string(argv[3]) == "--print";
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  std::vector<std::pair<std::string, std::string>> sets;
  std::vector<std::string> gets;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    std::size_t t1 = line.find('\t');
    if (t1 == std::string_view::npos) continue;
    std::string_view op = line.substr(0, t1), args = line.substr(t1 + 1);
    if (op == "set") {
      std::size_t t2 = args.find('\t');
      sets.emplace_back(std::string(args.substr(0, t2)), std::string(args.substr(t2 + 1)));
    } else if (op == "get") {
      gets.emplace_back(args);
    }
  }
  using clk = std::chrono::steady_clock;
  std::unique_ptr<httpstate::CookieJar> jar;
  double best_set = std::numeric_limits<double>::infinity(), best_get = best_set;
  for (int r = 0; r < repeat; ++r) {
    jar = std::make_unique<httpstate::CookieJar>();  // its own real-time clock, as in `jar replay`
    // Under callgrind: one dump per phase, of the last (warm) run only.
    if (r == repeat - 1) CALLGRIND_ZERO_STATS;
    auto t0 = clk::now();
    for (const auto& [url, header] : sets) jar->store(url, header);
    if (r == repeat - 1) CALLGRIND_DUMP_STATS_AT("store");
    best_set = std::min(best_set, std::chrono::duration<double, std::nano>(clk::now() - t0).count());
  }
  std::string joined;  // as `jar replay --bench`: every header appended to one buffer
  for (int r = 0; r < repeat; ++r) {
    joined.clear();
    if (r == repeat - 1) CALLGRIND_ZERO_STATS;
    auto t0 = clk::now();
    for (std::size_t i = 0; i < gets.size(); ++i) {
      if (i) joined += '\n';
      jar->append_cookie_header(gets[i], joined);
    }
    if (r == repeat - 1) CALLGRIND_DUMP_STATS_AT("lookup");
    best_get = std::min(best_get, std::chrono::duration<double, std::nano>(clk::now() - t0).count());
  }
  if (print) std::cout << joined << '\n';
  std::fprintf(stderr, "set %.1f ns/op, get %.1f ns/op, stored %zu\n", best_set / static_cast<double>(sets.size()),
               best_get / static_cast<double>(gets.size()), jar->size());
}
