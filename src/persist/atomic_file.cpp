#include "httpstate/persist/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace httpstate {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

std::error_code write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

std::error_code write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  // Same directory as the target: rename(2) is only atomic within one file system.
  std::string name = path.filename().string();
  name.insert(0, 1, '.');
  name += ".tmp-XXXXXX";
  std::string tmpl = (dir / name).string();
  int fd = ::mkstemp(tmpl.data());  // mode 0600, O_EXCL
  if (fd < 0) return last_error();
  auto cleanup = [&](std::error_code ec) {
    ::close(fd);
    ::unlink(tmpl.c_str());
    return ec;
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && ::fchmod(fd, st.st_mode & 07777) != 0)
    return cleanup(last_error());
  if (auto ec = write_all(fd, contents)) return cleanup(ec);
  if (::fsync(fd) != 0) return cleanup(last_error());
  if (::close(fd) != 0) {
    auto ec = last_error();
    ::unlink(tmpl.c_str());
    return ec;
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    auto ec = last_error();
    ::unlink(tmpl.c_str());
    return ec;
  }
  // The rename itself is only durable once the directory entry is on disk.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return last_error();
  std::error_code ec;
  if (::fsync(dfd) != 0) ec = last_error();
  ::close(dfd);
  return ec;
}

std::error_code read_whole_file(const std::filesystem::path& path, std::string& out) {
  out.clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return last_error();
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {  // bounded: EOF or max_jar_file_bytes
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto ec = last_error();
      ::close(fd);
      return ec;
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_jar_file_bytes) {
      ::close(fd);
      out.clear();
      return {EFBIG, std::generic_category()};
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return {};
}

}  // namespace httpstate
