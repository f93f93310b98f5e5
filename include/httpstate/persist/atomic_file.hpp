#pragma once
// Whole-file reads and crash-safe replacement: write a temp file in the same directory, fsync
// it, rename it over the target, fsync the directory. A crash leaves the old file or the new.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace httpstate {

// Not an RFC limit: 3300 cookies (§6.1's total, as Chromium) take about 16 MiB at the most;
// this refuses /dev/zero or a wrong path, not a large jar.
inline constexpr std::size_t max_jar_file_bytes = std::size_t{1} << 30;

// A new file gets mode 0600 (cookies are credentials); an existing one keeps its mode.
std::error_code write_file_atomically(const std::filesystem::path& path, std::string_view contents);

// The whole file into `out`; ENOENT when it does not exist, EFBIG over max_jar_file_bytes.
std::error_code read_whole_file(const std::filesystem::path& path, std::string& out);

}  // namespace httpstate
