// Built when the server layer (httpstate_server) is absent: serve has no session routes.
#include "routes.hpp"

namespace httpstate::serve {

struct App::Sessions {};

std::shared_ptr<App::Sessions> add_session_routes(Router&, const Options&, AccessLog&, std::string& store_name) {
  store_name = "none (built without httpstate_server)";
  return nullptr;
}

}  // namespace httpstate::serve
