#include "app.hpp"

#include "routes.hpp"

namespace httpstate::serve {

App::App(const Options& options) {
  add_httpbin_routes(router_);
  add_flask_example(router_);
  if (options.floor) {
    // The benchmark's floor: the same server and router, a fixed body, no session.
    router_.add(http::verb::get, "/counter", [](Exchange& ex) {
      return json_response(ex, http::status::ok, "{\"counter\":1}\n");
    });
  }
  sessions_ = add_session_routes(router_, options, log_, store_name_);
}



}  // namespace httpstate::serve
