#pragma once
// What a request got back. After redirects, `history` holds every intermediate response
// (oldest first) and the rest of the fields describe the last one.
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "httpstate/client/headers.hpp"
#include "httpstate/jar/inclusion_status.hpp"

namespace httpstate::client {

// One Set-Cookie of this response and what the jar did with it: "stored", "replaced", or
// "rejected: <reason>". No Python client says why a cookie was dropped.
struct ResponseCookie {
  std::string name;        // as the line named it ("" when the line did not parse)
  std::string value;
  std::string set_cookie;  // the header's value
  InclusionStatus status;

  bool stored() const noexcept { return status.included(); }
};

struct Response {
  int status = 0;
  std::string reason;        // the status line's reason phrase (HTTP/1.x only)
  std::string http_version;  // "1.1", "2"
  Headers headers;
  std::string body;
  std::string url;  // the URL this response came from (the last hop's)
  std::vector<Response> history;
  std::vector<ResponseCookie> cookies;
  std::chrono::microseconds elapsed{0};  // this hop, request sent to body received

  bool ok() const noexcept { return status >= 200 && status < 400; }
  const std::string& text() const noexcept { return body; }
  // The body parsed as JSON; throws Error (malformed_response) when it is not JSON.
  nlohmann::json json() const;
};

}  // namespace httpstate::client
