#include "router.hpp"

#include <curl/curl.h>

#include <nlohmann/json.hpp>

namespace httpstate::serve {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto end = path.find('/', i);
    const auto stop = end == std::string_view::npos ? path.size() : end;
    out.push_back(path.substr(i, stop - i));
    i = stop;
  }
  return out;
}

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

Exchange::Exchange(const Request& r, bool secure, std::string peer)
    : req(r), cookies(r), tls(secure), origin(std::move(peer)) {
  const std::string_view target = sv(r.target());
  const auto q = target.find('?');
  path = target.substr(0, q);
  if (q != std::string_view::npos) query = target.substr(q + 1);
}

std::string Exchange::url() const {
  std::string out = tls ? "https://" : "http://";
  out.append(sv(req[http::field::host]));
  out.append(sv(req.target()));
  return out;
}

void Router::add(http::verb method, std::string pattern, Handler handler) {
  Route r{method, pattern, {}, std::move(handler)};
  for (auto s : split_path(pattern)) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

Response Router::handle(Exchange& ex) const {
  const auto segments = split_path(ex.path);
  // A trailing slash names another resource ("/get/" is not "/get"), as Flask's routes do.
  const bool trailing = ex.path.size() > 1 && ex.path.back() == '/';
  std::string allow;
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size() || trailing) continue;
    std::vector<std::string_view> params;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      const auto& want = r.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}')
        params.push_back(segments[i]);
      else
        match = want == segments[i];
    }
    if (!match) continue;
    const bool head_as_get = ex.req.method() == http::verb::head && r.method == http::verb::get;
    if (r.method != ex.req.method() && !head_as_get) {
      if (!allow.empty()) allow += ", ";
      allow += std::string(sv(http::to_string(r.method)));
      continue;
    }
    ex.params = std::move(params);
    ex.route = r.pattern;
    return r.handler(ex);
  }
  if (!allow.empty()) {
    auto res = error_response(ex.req.version(), http::status::method_not_allowed, "method not allowed");
    res.set(http::field::allow, allow);
    return res;
  }
  return error_response(ex.req.version(), http::status::not_found, "not found");
}

Response json_response(const Exchange& ex, http::status status, std::string body) {
  return text_response(ex, status, "application/json", std::move(body));
}

Response text_response(const Exchange& ex, http::status status, std::string_view content_type, std::string body) {
  Response res{status, ex.req.version()};
  res.set(http::field::content_type, boost::beast::string_view(content_type.data(), content_type.size()));
  res.body() = std::move(body);
  return res;
}

Response error_response(unsigned version, http::status status, std::string_view why) {
  Response res{status, version};
  res.set(http::field::content_type, "application/json");
  res.body() = nlohmann::json{{"error", why}}.dump() + "\n";
  return res;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string in(text);
  if (plus_is_space)
    for (auto& c : in)
      if (c == '+') c = ' ';
  if (in.find('%') == std::string::npos) return in;
  // libcurl's decoder; it keeps a '%' without two hex digits as written, as Werkzeug does.
  int n = 0;
  char* out = curl_easy_unescape(nullptr, in.data(), static_cast<int>(in.size()), &n);
  if (!out) return in;
  std::string decoded(out, static_cast<std::size_t>(n));
  curl_free(out);
  return decoded;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while (i <= text.size()) {
    auto end = text.find('&', i);
    if (end == std::string_view::npos) end = text.size();
    const auto part = text.substr(i, end - i);
    if (!part.empty()) {
      const auto eq = part.find('=');
      if (eq == std::string_view::npos)
        out.emplace_back(percent_decode(part, true), "");
      else
        out.emplace_back(percent_decode(part.substr(0, eq), true), percent_decode(part.substr(eq + 1), true));
    }
    i = end + 1;
  }
  return out;
}

}  // namespace httpstate::serve
