// `httpstate jar replay`: the cookie engine from a shell, and the driver of bench/compare.
// The script format is the benchmark workload's (bench/peers/gen_workload.py), one operation
// a line, tab-separated: set URL SET-COOKIE | get URL | now UNIX_SECONDS.
#include <openssl/evp.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "open_jar.hpp"
#include "httpstate/jar/cookie_jar.hpp"

namespace httpstate::cli {
namespace {

struct Op {
  enum class Kind { set, get, now } kind;
  std::size_t line;
  std::string url;
  std::string header;  // set: the Set-Cookie value
  Time when{};         // now: the clock
};

// Far enough to hold any cookie date, small enough that microseconds fit in 64 bits.
constexpr std::int64_t max_abs_unix_seconds = 9'000'000'000'000;

std::string read_input(const std::string& path) {
  std::ostringstream buf;
  if (path == "-") {
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(2, "cannot read " + path);
  buf << in.rdbuf();
  return buf.str();
}

// Validates the whole script before anything runs, so a bad line applies nothing.
std::vector<Op> parse_script(const std::string& text) {
  std::vector<Op> ops;
  std::size_t line_no = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    ++line_no;
    std::size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;

    auto bad = [&](const std::string& why) { fail(2, "line " + std::to_string(line_no) + ": " + why); };
    std::size_t t1 = line.find('\t');
    std::string_view op = line.substr(0, t1);
    std::string_view args = t1 == std::string_view::npos ? std::string_view{} : line.substr(t1 + 1);
    Op o{Op::Kind::get, line_no, {}, {}, {}};
    if (op == "set") {
      std::size_t t2 = args.find('\t');
      if (t1 == std::string_view::npos || t2 == std::string_view::npos)
        bad("expected set<TAB>URL<TAB>SET-COOKIE");
      o.kind = Op::Kind::set;
      o.url = args.substr(0, t2);
      o.header = args.substr(t2 + 1);  // a Set-Cookie value may itself hold a tab
      if (o.url.empty()) bad("empty URL");
    } else if (op == "get") {
      if (t1 == std::string_view::npos || args.find('\t') != std::string_view::npos)
        bad("expected get<TAB>URL");
      o.url = args;
      if (o.url.empty()) bad("empty URL");
    } else if (op == "now") {
      std::int64_t s = 0;
      auto [end, ec] = std::from_chars(args.data(), args.data() + args.size(), s);
      if (t1 == std::string_view::npos || args.empty() || ec != std::errc{} || end != args.data() + args.size())
        bad("expected now<TAB>UNIX_SECONDS (an integer)");
      if (s > max_abs_unix_seconds || s < -max_abs_unix_seconds) bad("UNIX_SECONDS out of range");
      o.kind = Op::Kind::now;
      o.when = from_unix_seconds(s);
    } else {
      std::string shown(op.substr(0, 40));
      bad("unknown operation '" + shown + "' (expected set, get or now)");
    }
    ops.push_back(std::move(o));
  }
  return ops;
}

// The replay's clock: the last `now` line, or real time until there is one.
struct ScriptClock {
  std::optional<Time> fixed;
  Time operator()() const {
    if (fixed) return *fixed;
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  }
};

void run_plain(const std::vector<Op>& ops, bool explain, CookieJar& jar) {
  ScriptClock clock;
  jar.set_clock([&clock] { return clock(); });
  std::string out;
  for (const Op& o : ops) {
    switch (o.kind) {
      case Op::Kind::now: clock.fixed = o.when; break;
      case Op::Kind::get:
        out += jar.cookie_header(o.url);
        out += '\n';
        break;
      case Op::Kind::set: {
        InclusionStatus st = jar.store(o.url, o.header);
        if (explain && !st.included()) std::cerr << "set " << o.line << ": " << st.to_string() << '\n';
        break;
      }
    }
  }
  // The jar outlives this frame (it may be saved back): leave it a clock that owns its time.
  jar.set_clock([c = clock] { return c(); });
  std::fwrite(out.data(), 1, out.size(), stdout);
}

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) fail(1, "SHA-256 failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

// As bench/peers/*: fill a fresh jar from the set (and now) lines `repeat` times,
// keep the best; then time the get lines `repeat` times on the last jar, keep the best.
void run_bench(const std::vector<Op>& ops, int repeat) {
  using clk = std::chrono::steady_clock;
  std::size_t sets = 0, gets = 0;
  bool clocked = false;
  for (const Op& o : ops) {
    sets += o.kind == Op::Kind::set;
    gets += o.kind == Op::Kind::get;
    clocked |= o.kind == Op::Kind::now;
  }
  ScriptClock clock;
  std::unique_ptr<CookieJar> jar;
  double best_set = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeat; ++r) {
    jar = std::make_unique<CookieJar>();
    clock.fixed.reset();
    // Without `now` lines the jar keeps its own real-time clock, as a program using it would.
    if (clocked) jar->set_clock([&clock] { return clock(); });
    auto t0 = clk::now();
    for (const Op& o : ops) {
      if (o.kind == Op::Kind::set) jar->store(o.url, o.header);
      else if (o.kind == Op::Kind::now) clock.fixed = o.when;
    }
    best_set = std::min(best_set, std::chrono::duration<double, std::nano>(clk::now() - t0).count());
  }
  // Lookups append to one buffer, as a client reusing its request buffer does; the headers
  // joined by '\n' are also what the digest covers.
  std::string joined;
  double best_get = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeat; ++r) {
    joined.clear();
    bool first = true;
    auto t0 = clk::now();
    for (const Op& o : ops) {
      if (o.kind != Op::Kind::get) continue;
      if (!first) joined += '\n';
      first = false;
      jar->append_cookie_header(o.url, joined);
    }
    best_get = std::min(best_get, std::chrono::duration<double, std::nano>(clk::now() - t0).count());
  }
  // The same lookups through cookie_header(), a new string each, reported beside the above.
  std::vector<std::string> headers;
  double best_get_string = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeat; ++r) {
    headers.clear();
    headers.reserve(gets);
    auto t0 = clk::now();
    for (const Op& o : ops)
      if (o.kind == Op::Kind::get) headers.push_back(jar->cookie_header(o.url));
    best_get_string = std::min(best_get_string, std::chrono::duration<double, std::nano>(clk::now() - t0).count());
  }
  std::size_t sent = 0;
  for (const std::string& h : headers) {
    // Counted as the peers count: the pieces of the header split on "; ".
    if (h.empty()) continue;
    ++sent;
    for (std::size_t p = h.find("; "); p != std::string::npos; p = h.find("; ", p + 2)) ++sent;
  }
  nlohmann::ordered_json j = {  // in the peers' field order
      {"impl", "httpstate 0.1.0"},
      {"set_ns_per_op", sets ? best_set / static_cast<double>(sets) : 0.0},
      {"get_ns_per_op", gets ? best_get / static_cast<double>(gets) : 0.0},
      {"stored", jar->size()},
      {"sent", sent},
      {"digest", sha256_hex(joined)},
      {"get_string_ns_per_op", gets ? best_get_string / static_cast<double>(gets) : 0.0},
  };
  std::cout << j.dump() << '\n';
}

}  // namespace

void add_jar_replay(CLI::App& jar, std::shared_ptr<const JarArgs> file) {
  struct Args {
    std::string file;
    bool explain = false;
    bool bench = false;
    int repeat = 5;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = jar.add_subcommand("replay", "Replay a tab-separated script of set/get/now lines against a fresh jar, or --jar PATH");
  cmd->footer(
      "Script lines (tab-separated):\n"
      "  set<TAB>URL<TAB>SET-COOKIE   a response from URL carried this Set-Cookie value\n"
      "  get<TAB>URL                  print the Cookie header for URL (an empty line if none)\n"
      "  now<TAB>UNIX_SECONDS         set the jar's clock (real time until the first one)\n"
      "The whole script is checked before anything runs. With --bench the set and now lines fill\n"
      "the jar, then the get lines are timed, as bench/peers do.");
  cmd->add_option("file", args->file, "The script, or - for standard input")->required();
  cmd->add_flag("--explain", args->explain, "Write `set <line>: <reason>` to stderr for each rejected set");
  auto* bench = cmd->add_flag("--bench", args->bench, "Print only one JSON line of timings and a digest");
  cmd->add_option("--repeat", args->repeat, "With --bench: runs to take the best of")
      ->needs(bench)
      ->check(CLI::Range(1, 1000));
  cmd->callback([args, file] {
    std::vector<Op> ops = parse_script(read_input(args->file));
    if (args->bench) {
      if (!file->path.empty()) fail(2, "--bench starts from an empty jar: drop --jar");
      run_bench(ops, args->repeat);
    } else if (!file->path.empty()) {
      OpenJar opened(*file);  // start from the jar file, save it back at the end
      run_plain(ops, args->explain, opened.jar());
      opened.save();
    } else {
      CookieJar fresh;
      run_plain(ops, args->explain, fresh);
    }
  });
  // `jar replay --jar PATH FILE` reads as well as `jar --jar PATH replay FILE`.
  cmd->fallthrough();
}

}  // namespace httpstate::cli
