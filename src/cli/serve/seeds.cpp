// Flask's cookie example (request.cookies.get / resp.set_cookie) on the adapter.
#include "routes.hpp"

namespace httpstate::serve {

void add_flask_example(Router& r) {
  r.add(http::verb::get, "/", [](Exchange& ex) {
    if (auto v = ex.cookies.get("my_cookie"))
      return text_response(ex, http::status::ok, "text/plain; charset=utf-8",
                           "my_cookie is " + std::string(*v) + "\n");
    auto res = text_response(ex, http::status::ok, "text/plain; charset=utf-8",
                             "my_cookie was not set; setting it to my_value\n");
    server::set_cookie(res, SetCookie{.name = "my_cookie", .value = "my_value"});
    return res;
  });
}

}  // namespace httpstate::serve
