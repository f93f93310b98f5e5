#pragma once
// Shared by the persist tests: a private temp directory, sample cookies, subprocess output.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "httpstate/cookie/cookie.hpp"
#include "httpstate/persist/load_options.hpp"

namespace httpstate::test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "httpstate-persist-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

struct CommandResult {
  int status = -1;  // exit code, or -1 when it did not exit normally
  std::string out;  // stdout (stderr goes to the test's stderr)
};

// Runs `cmd` through /bin/sh; the tests build every command from fixed text and temp paths.
inline CommandResult run(const std::string& cmd) {
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = ::pclose(p);
  if (WIFEXITED(st)) r.status = WEXITSTATUS(st);
  return r;
}

// A child process whose stdout we read; stop() ends exactly that pid.
struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;
};

inline Child spawn(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, ::fdopen(fds[0], "r")};
}

inline void stop(Child& c) {
  if (c.pid > 0) {
    ::kill(c.pid, SIGTERM);
    ::waitpid(c.pid, nullptr, 0);
  }
  if (c.out) std::fclose(c.out);
  c = {};
}

inline int file_mode(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

inline Time at_seconds(std::int64_t s) { return from_unix_seconds(s); }

// A fixed "now" so expiry rules do not depend on the wall clock.
inline const Time test_now = from_unix_seconds(1'800'000'000);

// Load options for the text formats' tests: that fixed now, session cookies kept.
inline LoadOptions keep_all() {
  LoadOptions o;
  o.now = test_now;
  o.keep_session_cookies = true;
  return o;
}

inline Cookie make_cookie(std::string name, std::string value, std::string domain, bool host_only = true,
                          std::string path = "/") {
  Cookie c;
  c.name = std::move(name);
  c.value = std::move(value);
  c.domain = std::move(domain);
  c.host_only = host_only;
  c.path = std::move(path);
  c.expires = test_now + std::chrono::hours(24);
  c.creation = test_now - std::chrono::hours(1) + std::chrono::microseconds(123457);
  c.last_access = test_now - std::chrono::minutes(5) + std::chrono::microseconds(654321);
  return c;
}

// One cookie per field variation: every flag set, every SameSite, session, domain and host.
inline std::vector<Cookie> sample_cookies() {
  std::vector<Cookie> v;
  v.push_back(make_cookie("sid", "abc123", "example.com"));
  auto d = make_cookie("pref", "dark mode=1", "example.com", false, "/app");
  d.secure = true;
  d.same_site = SameSite::lax;
  v.push_back(d);
  auto h = make_cookie("__Host-id", "x", "api.example.org");
  h.secure = true;
  h.http_only = true;
  h.same_site = SameSite::strict;
  v.push_back(h);
  auto n = make_cookie("track", "1", "shop.test", false);
  n.secure = true;
  n.same_site = SameSite::none;
  n.partitioned = true;
  v.push_back(n);
  auto s = make_cookie("session", "temp", "127.0.0.1");
  s.expires.reset();
  v.push_back(s);
  auto e = make_cookie("", "nameless", "example.net");  // a nameless cookie (§5.6 step 4)
  v.push_back(e);
  return v;
}

}  // namespace httpstate::test
