#pragma once
// Real servers for the client tests, on 127.0.0.1 and free ports: a child process started by
// the test, waited for until its port accepts (bounded), and stopped by its pid when the
// fixture goes, even when the test failed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace httpstate::client::test {

inline const std::string python = "/usr/bin/python3";  // Debian's, with httpbin and Flask

// A port nothing listens on right now: bind port 0 and read what the kernel chose.
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

inline bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

inline void pause_ms(int ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  ::nanosleep(&ts, nullptr);
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "httpstate-client-XXXXXX").string();
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

// A child process; its stdout and stderr go to `log`.
class Process {
 public:
  Process() = default;
  Process(const std::vector<std::string>& argv, const std::string& log) { start(argv, log); }
  ~Process() { stop(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void start(const std::vector<std::string>& argv, const std::string& log) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (::posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
  }
  bool running() {
    if (pid_ <= 0) return false;
    return ::waitpid(pid_, nullptr, WNOHANG) == 0;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// Waits until `port` accepts, for at most ~15 s, giving up early when the process died.
inline bool wait_for_port(Process& p, int port) {
  for (int i = 0; i < 300; ++i) {
    if (accepts(port)) return true;
    if (!p.running()) return false;
    pause_ms(50);
  }
  return false;
}

// A server on a free port: `make_argv(port)` gives its command line.
class Server {
 public:
  template <class F>
  explicit Server(F make_argv, const std::string& name = "server") {
    for (int attempt = 0; attempt < 3 && port_ == 0; ++attempt) {
      const int port = free_port();
      log_ = (dir_ / (name + ".log")).string();
      p_.start(make_argv(port), log_);
      if (wait_for_port(p_, port)) port_ = port;
      else p_.stop();
    }
  }
  int port() const { return port_; }
  std::string url(const std::string& path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::string log() const { return slurp(log_); }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  Process p_;
  std::string log_;
  int port_ = 0;
};

// Debian's httpbin, as the requests documentation's examples use it.
inline std::vector<std::string> httpbin_argv(int port) {
  return {python, "-m", "httpbin.core", "--host", "127.0.0.1", "--port", std::to_string(port)};
}

inline std::string peer(const std::string& name) { return std::string(HTTPSTATE_CLIENT_PEERS) + "/" + name; }

}  // namespace httpstate::client::test
