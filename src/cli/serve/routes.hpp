#pragma once
// The handlers `httpstate serve` mounts, one file per group.
#include <nlohmann/json_fwd.hpp>

#include "app.hpp"
#include "router.hpp"

namespace httpstate::serve {

// A JSON body with a trailing newline; invalid UTF-8 from the request is replaced, never thrown.
std::string dump(const nlohmann::json& j);

void add_httpbin_routes(Router& r);  // httpbin.cpp
void add_flask_example(Router& r);   // seeds.cpp: GET /, Flask's set_cookie example
// sessions.cpp: /login, /profile, /logout, /session, /counter, /demo on the store the options
// name; names the store in `store_name`. Without httpstate_server (sessions_off.cpp): none.
std::shared_ptr<App::Sessions> add_session_routes(Router& r, const Options& options, AccessLog& log,
                                                  std::string& store_name);

}  // namespace httpstate::serve
