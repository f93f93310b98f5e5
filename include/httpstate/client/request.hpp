#pragma once
// What one request asks for. Every field left empty takes the session's default; a field
// given here wins over the default for this request only (session.hpp, merge_request).
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "httpstate/client/headers.hpp"

namespace httpstate::client {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// RFC 7617: "Authorization: Basic base64(user:password)".
struct BasicAuth {
  std::string user;
  std::string password;
};
// RFC 6750 §2.1: "Authorization: Bearer TOKEN".
struct BearerAuth {
  std::string token;
};
struct NoAuth {};
using Auth = std::variant<NoAuth, BasicAuth, BearerAuth>;

struct RequestOptions {
  Headers headers;
  Pairs params;   // appended to the URL's query, URL-encoded
  Pairs cookies;  // sent with this request (every hop of it), not kept by the session
  // The body: at most one of data (raw bytes), form (urlencoded) and json.
  std::optional<std::string> data;
  std::optional<Pairs> form;
  std::optional<nlohmann::json> json;
  std::optional<Auth> auth;
  std::optional<std::chrono::milliseconds> timeout;  // total, per hop
  std::optional<bool> allow_redirects;
  // Retries are opt-in per session; a POST or PATCH is retried only when this says so.
  std::optional<bool> retry_non_idempotent;
};

struct Request {
  std::string method = "GET";
  std::string url;
  RequestOptions options;
};

}  // namespace httpstate::client
