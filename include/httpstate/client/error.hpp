#pragma once
// The one exception of the client: a transfer that failed, with what failed as a kind().
// The message names the URL (without its userinfo) and the cause, never a credential.
#include <cstdint>
#include <string>
#include <string_view>

#include "httpstate/error.hpp"

namespace httpstate::client {

enum class ErrorKind : std::uint8_t {
  invalid_url,          // the URL (or a redirect's Location) could not be parsed, or not http(s)
  dns,                  // the host name did not resolve
  connect_refused,      // nothing listens there (ECONNREFUSED), or the connection failed
  tls,                  // handshake or certificate verification failed
  timeout,              // the connect or total timeout passed
  too_many_redirects,   // more hops than max_redirects
  body_too_large,       // the body passed max_body_bytes
  headers_too_large,    // the header section passed max_header_bytes or max_header_count
  malformed_response,   // not HTTP: a bad status line or header section
  connection_closed,    // the server closed or reset the connection before the body was whole
  proxy,                // the proxy refused or failed
  cancelled,            // the session closed before the request ran
  other,                // any other transport failure (the message says which)
};

std::string_view to_string(ErrorKind k) noexcept;

class Error : public httpstate::error {
 public:
  Error(ErrorKind kind, std::string url, const std::string& detail);

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& url() const noexcept { return url_; }

 private:
  ErrorKind kind_;
  std::string url_;
};

}  // namespace httpstate::client
