#include "httpstate/client/response.hpp"

#include "httpstate/client/error.hpp"

namespace httpstate::client {

nlohmann::json Response::json() const {
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Error(ErrorKind::malformed_response, url, "the body is not JSON");
  return j;
}

}  // namespace httpstate::client
