#include "commands.hpp"

namespace httpstate::cli {

void add_jar_replay(CLI::App& jar) { (void)jar; }

}  // namespace httpstate::cli
