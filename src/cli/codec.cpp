#include "commands.hpp"

namespace httpstate::cli {

void add_codec_commands(CLI::App& app) { (void)app; }

}  // namespace httpstate::cli
