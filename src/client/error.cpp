#include "httpstate/client/error.hpp"

namespace httpstate::client {

namespace {
// The URL without "user:password@", so a message never carries a credential.
std::string redact(std::string url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto start = scheme + 3;
  const auto end = url.find_first_of("/?#", start);
  const auto at = url.rfind('@', end == std::string::npos ? url.size() : end);
  if (at != std::string::npos && at >= start) url.erase(start, at + 1 - start);
  return url;
}
}  // namespace

std::string_view to_string(ErrorKind k) noexcept {
  switch (k) {
    case ErrorKind::invalid_url: return "invalid URL";
    case ErrorKind::dns: return "could not resolve host";
    case ErrorKind::connect_refused: return "connection refused";
    case ErrorKind::tls: return "TLS failure";
    case ErrorKind::timeout: return "timed out";
    case ErrorKind::too_many_redirects: return "too many redirects";
    case ErrorKind::body_too_large: return "body too large";
    case ErrorKind::headers_too_large: return "headers too large";
    case ErrorKind::malformed_response: return "malformed response";
    case ErrorKind::connection_closed: return "connection closed";
    case ErrorKind::proxy: return "proxy failure";
    case ErrorKind::cancelled: return "cancelled";
    case ErrorKind::other: return "transfer failed";
  }
  return "transfer failed";
}

Error::Error(ErrorKind kind, std::string url, const std::string& detail)
    : httpstate::error(std::string(to_string(kind)) + ": " + redact(url) + (detail.empty() ? "" : ": " + detail)),
      kind_(kind),
      url_(redact(std::move(url))) {}

}  // namespace httpstate::client
