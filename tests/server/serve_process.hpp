#pragma once
// A real `httpstate serve` for the tests: started on 127.0.0.1 port 0, its port read from the
// line it prints, stopped (SIGTERM, then SIGKILL past a deadline) when destroyed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace httpstate::server::testing {

inline std::string temp_dir(const std::string& tag) {
  std::string t = ::testing::TempDir() + "serve_" + tag + "_" + std::to_string(getpid()) + "_XXXXXX";
  if (!mkdtemp(t.data())) return ::testing::TempDir();
  return t;
}

class ServeProcess {
 public:
  // `args` after "serve"; --listen 127.0.0.1:0 is added.
  explicit ServeProcess(std::vector<std::string> args, const std::string& err_path = "") {
    err_ = err_path.empty() ? ::testing::TempDir() + "serve_err_" + std::to_string(getpid()) + "_" +
                                  std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".log"
                            : err_path;
    args_ = std::move(args);
    start();
  }
  ~ServeProcess() { stop(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool start() {
    int fds[2];
    if (pipe(fds) != 0) return false;
    std::vector<std::string> all = {HTTPSTATE_CLI, "serve", "--listen", "127.0.0.1:0"};
    all.insert(all.end(), args_.begin(), args_.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (posix_spawn(&pid_, HTTPSTATE_CLI, &fa, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    // Read stdout until the "serving http://127.0.0.1:PORT/" line, for at most 60 s.
    port_ = 0;
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (pid_ > 0 && port_ == 0 && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, 1000) <= 0) continue;
      char buf[512];
      const auto n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
      for (const char* scheme : {"http://127.0.0.1:", "https://127.0.0.1:"}) {
        const auto at = out.find(scheme);
        if (at != std::string::npos && out.find('/', at + std::strlen(scheme)) != std::string::npos)
          port_ = std::atoi(out.c_str() + at + std::strlen(scheme));
      }
    }
    stdout_ = out;
    out_fd_ = fds[0];
    return port_ > 0;
  }

  // SIGTERM, then the exit status (or -1 after a 20 s deadline and a SIGKILL).
  int stop() {
    if (pid_ <= 0) return status_;
    kill(pid_, SIGTERM);
    status_ = wait_exit(std::chrono::seconds(20));
    return status_;
  }
  void kill9() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(20));
  }

  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& stdout_text() const { return stdout_; }
  std::string stderr_text() const {
    std::ifstream f(err_);
    return std::string((std::istreambuf_iterator<char>(f)), {});
  }

 private:
  int wait_exit(std::chrono::seconds limit) {
    int st = 0;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      const pid_t r = waitpid(pid_, &st, WNOHANG);
      if (r == pid_) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &st, 0);
        st = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a real exit, bounded
    }
    pid_ = -1;
    if (out_fd_ >= 0) close(out_fd_), out_fd_ = -1;
    if (st == -1) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }

  std::vector<std::string> args_;
  std::string err_, stdout_;
  pid_t pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
  int status_ = -1;
};

// Runs a shell command, returns its exit status and puts its stdout+stderr in `output`.
inline int run_command(const std::string& cmd, std::string& output) {
  output.clear();
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  const int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// A Python client check (peers/serve_clients.py) against `base`.
inline int python_check(const std::string& what, const std::string& base, const std::string& extra,
                        std::string& output) {
  return run_command(std::string("/usr/bin/python3 ") + HTTPSTATE_SERVE_PEERS + "/serve_clients.py " + what + " " +
                         base + " " + extra,
                     output);
}

// A raw TCP client on 127.0.0.1, for requests no HTTP library would send.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) close(fd_), fd_ = -1;
  }
  ~RawClient() {
    if (fd_ >= 0) close(fd_);
  }
  bool connected() const { return fd_ >= 0; }
  bool send(const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      const auto n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Reads until the peer closes or `limit` passes; what arrived.
  std::string read_until_close(std::chrono::seconds limit, bool* closed = nullptr) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    if (closed) *closed = false;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      const auto n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        if (closed) *closed = true;
        break;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
  // Reads until `needle` arrived (or close, or `limit`).
  std::string read_until(const std::string& needle, std::chrono::seconds limit) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (out.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      const auto n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
};

}  // namespace httpstate::server::testing
