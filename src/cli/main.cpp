#include <iostream>

#include "commands.hpp"
#include "httpstate/version.hpp"
#include "open_jar.hpp"

namespace httpstate::cli {

void fail(int code, const std::string& message) {
  throw CLI::RuntimeError(message, code);
}

}  // namespace httpstate::cli

int main(int argc, char** argv) {
  CLI::App app{"httpstate: HTTP cookies and sessions from the command line", "httpstate"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "httpstate " + std::string(httpstate::version));

  auto* jar = app.add_subcommand("jar", "Work with cookie jars");
  jar->require_subcommand(1);
  auto jar_file = httpstate::cli::add_jar_file_options(*jar);
  httpstate::cli::add_jar_replay(*jar, jar_file);
  httpstate::cli::add_jar_file_commands(*jar, jar_file);
  httpstate::cli::add_codec_commands(app);
  httpstate::cli::add_serve_command(app);
  httpstate::cli::add_http_client_commands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    // Commands report their own failures: print the reason once, keep the exit code.
    if (*e.what()) std::cerr << "httpstate: " << e.what() << '\n';
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
