#pragma once
// Each layer's commands register themselves on the `httpstate` program; main.cpp only wires.
#include <memory>

#include <CLI/CLI.hpp>

namespace httpstate::cli {

struct JarArgs;  // open_jar.hpp: --jar PATH and friends, options of `httpstate jar`

void add_jar_replay(CLI::App& jar, std::shared_ptr<const JarArgs> file);  // jar_replay.cpp
void add_jar_file_commands(CLI::App& jar, std::shared_ptr<const JarArgs> file);  // jar_file.cpp
void add_codec_commands(CLI::App& app);      // codec.cpp: `sign`, `unsign`, `flask-session`
void add_serve_command(CLI::App& app);       // serve.cpp: `serve` (src/cli/serve/)
void add_http_client_commands(CLI::App& app);  // http_client.cpp: `get`, `post`, ... (the client layer)

// Exit with `code` after printing `message` to stderr (a reason, never a secret).
[[noreturn]] void fail(int code, const std::string& message);

}  // namespace httpstate::cli
