#include "commands.hpp"

namespace httpstate::cli {

void add_jar_file_commands(CLI::App& jar) { (void)jar; }

}  // namespace httpstate::cli
