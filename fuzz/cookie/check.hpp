#pragma once
// The fuzzers' shared checks. A failed invariant must crash the fuzzer, in every build type
// (assert may be compiled out).
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(cond)                                                          \
  do {                                                                            \
    if (!(cond)) {                                                                \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                               \
    }                                                                             \
  } while (0)

// No leading or trailing SP or HTAB (§5.6 steps 5 and 6 trim them from names and values).
inline bool trimmed(std::string_view s) {
  return s.empty() || (s.front() != ' ' && s.front() != '\t' && s.back() != ' ' && s.back() != '\t');
}
