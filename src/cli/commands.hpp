#pragma once
// Each layer's commands register themselves on the `httpstate` program; main.cpp only wires.
#include <CLI/CLI.hpp>

namespace httpstate::cli {

void add_jar_replay(CLI::App& jar);          // jar_replay.cpp: `jar replay`
void add_jar_file_commands(CLI::App& jar);   // jar_file.cpp: `jar list/get/set/...`
void add_codec_commands(CLI::App& app);      // codec.cpp: `sign`, `unsign`, `flask-session`

// Exit with `code` after printing `message` to stderr (a reason, never a secret).
[[noreturn]] void fail(int code, const std::string& message);

}  // namespace httpstate::cli
