// httpbin's endpoints with httpbin's JSON shapes, so its client examples run against `serve`.
#include <openssl/crypto.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "httpstate/codec/base64.hpp"
#include "routes.hpp"

namespace httpstate::serve {
namespace {

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

// httpbin shows header names as Werkzeug gives them: Title-Case, e.g. "User-Agent".
std::string title_case(std::string_view name) {
  std::string out(name);
  bool up = true;
  for (auto& c : out) {
    if (up && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    else if (!up && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    up = c == '-';
  }
  return out;
}

nlohmann::json headers_json(const Exchange& ex) {
  nlohmann::json h = nlohmann::json::object();
  for (const auto& f : ex.req) {
    auto name = title_case(sv(f.name_string()));
    const auto value = sv(f.value());
    if (auto it = h.find(name); it != h.end())
      *it = it->get<std::string>() + (name == "Cookie" ? "; " : ",") + std::string(value);
    else
      h[name] = std::string(value);
  }
  return h;
}

// Repeated names become lists, as httpbin shows a MultiDict.
nlohmann::json multi_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : pairs) {
    auto it = out.find(k);
    if (it == out.end()) out[k] = v;
    else if (it->is_array()) it->push_back(v);
    else *it = nlohmann::json::array({it->get<std::string>(), v});
  }
  return out;
}

Response redirect(const Exchange& ex, http::status status, std::string_view location) {
  auto res = text_response(ex, status, "text/html; charset=utf-8",
                           "<!doctype html>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n");
  res.set(http::field::location, boost::beast::string_view(location.data(), location.size()));
  return res;
}

Response cookies_view(Exchange& ex) {
  nlohmann::json c = nlohmann::json::object();
  for (const auto& p : ex.cookies)
    if (!p.name.empty() && !c.contains(p.name)) c[std::string(p.name)] = std::string(p.value);
  return json_response(ex, http::status::ok, dump(nlohmann::json{{"cookies", c}}));
}

// httpbin's set_cookie: Werkzeug's defaults, Path=/ and no other attribute.
Response set_cookies(Exchange& ex, const std::vector<std::pair<std::string, std::string>>& pairs) {
  auto res = redirect(ex, http::status::found, "/cookies");
  for (const auto& [k, v] : pairs) {
    SetCookie c{.name = k, .value = v};
    c.http_only = false;
    c.same_site = SameSite::unset;
    c.secure = ex.tls;
    if (auto why = server::set_cookie(res, c))
      return error_response(ex.req.version(), http::status::bad_request,
                            "cookie refused: " + std::string(to_string(*why)));
  }
  return res;
}

Response get_view(Exchange& ex) {
  return json_response(ex, http::status::ok,
                       dump({{"args", multi_json(parse_form(ex.query))},
                             {"headers", headers_json(ex)},
                             {"origin", ex.origin},
                             {"url", ex.url()}}));
}

Response post_view(Exchange& ex) {
  const auto type = sv(ex.req[http::field::content_type]);
  const bool form = type.substr(0, 33) == "application/x-www-form-urlencoded";
  nlohmann::json j = nlohmann::json::parse(ex.req.body(), nullptr, false);
  if (j.is_discarded()) j = nullptr;
  return json_response(ex, http::status::ok,
                       dump({{"args", multi_json(parse_form(ex.query))},
                             {"data", form ? std::string() : ex.req.body()},
                             {"files", nlohmann::json::object()},
                             {"form", form ? multi_json(parse_form(ex.req.body())) : nlohmann::json::object()},
                             {"headers", headers_json(ex)},
                             {"json", j},
                             {"origin", ex.origin},
                             {"url", ex.url()}}));
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Response basic_auth(Exchange& ex) {
  const std::string user = percent_decode(ex.params[0], false);
  const std::string passwd = percent_decode(ex.params[1], false);
  const auto auth = sv(ex.req[http::field::authorization]);
  bool ok = false;
  if (auth.size() > 6 && (auth.substr(0, 6) == "Basic " || auth.substr(0, 6) == "basic ")) {
    if (auto decoded = codec::base64_decode(auth.substr(6), codec::Base64::standard))
      ok = same(*decoded, user + ":" + passwd);
  }
  if (!ok) {
    Response res{http::status::unauthorized, ex.req.version()};
    res.set(http::field::www_authenticate, "Basic realm=\"Fake Realm\"");
    return res;
  }
  return json_response(ex, http::status::ok, dump({{"authenticated", true}, {"user", user}}));
}

bool header_safe(std::string_view v) {
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

std::optional<unsigned> parse_code(std::string_view s) {
  unsigned code = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), code);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return code;
}

Response redirect_to(Exchange& ex) {
  std::string url;
  unsigned status = 302;
  for (const auto& [k, v] : parse_form(ex.query)) {
    if (k == "url") url = v;
    if (k == "status_code") {
      const auto c = parse_code(v);
      // 304 carries no body (RFC 9110 §15.4.5) and redirects nowhere: it keeps the default.
      if (c && *c >= 300 && *c < 400 && *c != 304) status = *c;
    }
  }
  if (url.empty() || !header_safe(url))
    return error_response(ex.req.version(), http::status::bad_request, "redirect-to needs a url without control characters");
  return redirect(ex, static_cast<http::status>(status), url);
}

Response redirect_n(Exchange& ex) {
  const auto n = parse_code(ex.params[0]);
  if (!n || *n == 0 || *n > 100) return error_response(ex.req.version(), http::status::bad_request, "redirect count must be 1-100");
  return redirect(ex, http::status::found, *n == 1 ? std::string("/get") : "/redirect/" + std::to_string(*n - 1));
}

Response status_view(Exchange& ex) {
  const auto code = parse_code(ex.params[0]);
  // 1xx are not final responses (RFC 9110 §15.2): refused rather than sent as one.
  if (!code || *code < 200 || *code > 599)
    return error_response(ex.req.version(), http::status::bad_request, "invalid status code");
  Response res{static_cast<http::status>(*code), ex.req.version()};
  if (*code >= 300 && *code < 400) res.set(http::field::location, "/redirect/1");
  if (*code == 401) res.set(http::field::www_authenticate, "Basic realm=\"Fake Realm\"");
  return res;
}

}  // namespace

std::string dump(const nlohmann::json& j) {
  // Request bytes may be any octets: replace invalid UTF-8 instead of throwing.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void add_httpbin_routes(Router& r) {
  using http::verb;
  r.add(verb::get, "/cookies", cookies_view);
  r.add(verb::get, "/cookies/set", [](Exchange& ex) { return set_cookies(ex, parse_form(ex.query)); });
  r.add(verb::get, "/cookies/set/{name}/{value}", [](Exchange& ex) {
    return set_cookies(ex, {{percent_decode(ex.params[0], false), percent_decode(ex.params[1], false)}});
  });
  r.add(verb::get, "/cookies/delete", [](Exchange& ex) {
    auto res = redirect(ex, http::status::found, "/cookies");
    for (const auto& [k, v] : parse_form(ex.query))
      if (auto why = server::delete_cookie(res, k))
        return error_response(ex.req.version(), http::status::bad_request,
                              "cookie name refused: " + std::string(to_string(*why)));
    return res;
  });
  r.add(verb::get, "/headers", [](Exchange& ex) {
    return json_response(ex, http::status::ok, dump({{"headers", headers_json(ex)}}));
  });
  r.add(verb::get, "/get", get_view);
  r.add(verb::post, "/post", post_view);
  r.add(verb::get, "/basic-auth/{user}/{passwd}", basic_auth);
  for (auto m : {verb::get, verb::post, verb::put, verb::delete_, verb::patch}) {
    r.add(m, "/redirect-to", redirect_to);
    r.add(m, "/status/{code}", status_view);
  }
  r.add(verb::get, "/redirect/{n}", redirect_n);
}

}  // namespace httpstate::serve
