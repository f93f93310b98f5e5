// `httpstate get|post|put|patch|delete|head|options URL ...`: the client layer's Session from
// the command line, with curl's flags and HTTPie's --session (cookies, default headers and auth
// kept between runs in one JSON file per name).
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "httpstate/client/session.hpp"
#include "httpstate/persist/atomic_file.hpp"
#include "httpstate/persist/json_file.hpp"

namespace httpstate::cli {
namespace {

namespace client = httpstate::client;
using nlohmann::json;

// Exit codes, as HTTPie's: 1 a request that could not be made (bad arguments, network), 2 a
// timeout, 4 and 5 a 4xx or 5xx under --check-status, 6 too many redirects.
constexpr int exit_error = 1;
constexpr int exit_timeout = 2;
constexpr int exit_too_many_redirects = 6;

constexpr std::string_view session_format = "httpstate-session";
constexpr int session_version = 1;
// A download shows a progress bar from this size on (curl's transfer info), on a terminal only.
constexpr std::uint64_t progress_bar_from_bytes = std::uint64_t{1} << 20;

struct HttpArgs {
  std::string method;
  std::string url;
  std::vector<std::string> headers;
  std::optional<std::string> data;
  std::optional<std::string> json_body;
  std::vector<std::string> form;
  std::optional<std::string> auth;
  std::optional<std::string> bearer;
  std::vector<std::string> cookies;
  std::optional<std::string> session;
  bool follow = false;
  int max_redirects = 30;
  std::optional<double> timeout;
  bool http2 = false;
  bool insecure = false;
  std::optional<std::string> cacert;
  bool verbose = false;
  bool check_status = false;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 §5.6.2 token characters: what a header name may hold.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("\"(),/:;<=>?@[\\]{}").find(static_cast<char>(c)) != std::string_view::npos) return false;
  }
  return true;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
  return false;
}

std::pair<std::string, std::string> parse_header_arg(const std::string& arg) {
  const auto colon = arg.find(':');
  if (colon == std::string::npos) fail(exit_error, "-H '" + arg + "': expected 'Name: value'");
  const std::string name(trim(std::string_view(arg).substr(0, colon)));
  const std::string value(trim(std::string_view(arg).substr(colon + 1)));
  if (!is_token(name)) fail(exit_error, "-H: '" + name + "' is not a header name (RFC 9110 §5.6.2)");
  if (has_control(value)) fail(exit_error, "-H " + name + ": the value holds a control character");
  return {name, value};
}

std::pair<std::string, std::string> parse_pair(const std::string& flag, std::string_view arg) {
  const auto eq = arg.find('=');
  if (eq == std::string_view::npos || eq == 0) fail(exit_error, flag + " '" + std::string(arg) + "': expected name=value");
  return {std::string(arg.substr(0, eq)), std::string(arg.substr(eq + 1))};
}

// --cookie 'a=1' or 'a=1; b=2', as a Cookie header's pairs (RFC 6265bis §4.2.1).
void parse_cookie_arg(const std::string& arg, client::Pairs& out) {
  std::string_view rest = arg;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    const auto pair = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    if (pair.empty()) continue;
    auto kv = parse_pair("--cookie", pair);
    if (has_control(kv.first) || has_control(kv.second) || kv.first.find_first_of(" \t") != std::string::npos)
      fail(exit_error, "--cookie '" + std::string(pair) + "': not a cookie-pair");
    out.push_back(std::move(kv));
  }
}

// Headers a session does not keep, as HTTPie: they describe one request's body or condition,
// and the cookies live in the jar.
bool kept_in_session(std::string_view name) {
  auto starts = [&](std::string_view p) { return name.size() >= p.size() && client::iequals(name.substr(0, p.size()), p); };
  return !starts("Content-") && !starts("If-") && !client::iequals(name, "Cookie");
}

std::filesystem::path sessions_dir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  // XDG Base Directory: a relative value is invalid and is ignored.
  if (xdg && *xdg == '/') return std::filesystem::path(xdg) / "httpstate" / "sessions";
  const char* home = std::getenv("HOME");
  if (!home || !*home) fail(exit_error, "--session NAME: neither XDG_CONFIG_HOME nor HOME is set; give a path instead");
  return std::filesystem::path(home) / ".config" / "httpstate" / "sessions";
}

// A name is a file under sessions_dir(); anything with a '/' (or ending in .json) is a path.
std::filesystem::path session_path(const std::string& arg) {
  if (arg.find('/') != std::string::npos || arg.ends_with(".json")) return arg;
  if (arg.empty() || arg.front() == '.' || arg.size() > 100 ||
      arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != std::string::npos)
    fail(exit_error, "--session '" + arg + "': a name is letters, digits, '_', '-' and '.' (not first); or give a path");
  return sessions_dir() / (arg + ".json");
}

// The session file: {"format": "httpstate-session", "version": 1, "headers": [[name, value]...],
// "auth": {"type": "basic"|"bearer", ...}, "cookies": <a JSON jar, docs/jar-files.md>}.
struct SavedSession {
  client::Headers headers;
  client::Auth auth;
};

SavedSession load_session(const std::filesystem::path& path, CookieJar& jar) {
  SavedSession s;
  std::string text;
  if (auto ec = read_whole_file(path, text)) {
    if (ec == std::errc::no_such_file_or_directory) return s;  // a new session
    fail(exit_error, "session " + path.string() + ": " + ec.message());
  }
  const auto where = "session " + path.string() + ": ";
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) fail(exit_error, where + "not JSON");
  if (doc.value("format", "") != session_format) fail(exit_error, where + "not an httpstate session file (\"format\" is not \"httpstate-session\")");
  if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"].get<int>() > session_version)
    fail(exit_error, where + "\"version\" is missing or newer than " + std::to_string(session_version));
  if (doc.contains("headers")) {
    const auto& h = doc["headers"];
    if (!h.is_array()) fail(exit_error, where + "\"headers\" is not an array");
    for (std::size_t i = 0; i < h.size(); ++i) {
      const auto& f = h[i];
      if (!f.is_array() || f.size() != 2 || !f[0].is_string() || !f[1].is_string())
        fail(exit_error, where + "headers[" + std::to_string(i) + "] is not [name, value]");
      const auto name = f[0].get<std::string>();
      const auto value = f[1].get<std::string>();
      if (!is_token(name) || has_control(value)) fail(exit_error, where + "headers[" + std::to_string(i) + "] is not a valid header field");
      s.headers.add(name, value);
    }
  }
  if (doc.contains("auth") && !doc["auth"].is_null()) {
    const auto& a = doc["auth"];
    const auto type = a.is_object() ? a.value("type", "") : "";
    auto str = [&](const char* k) -> std::string {
      if (!a.contains(k) || !a[k].is_string()) fail(exit_error, where + "auth." + k + " is missing or not a string");
      return a[k].get<std::string>();
    };
    if (type == "basic") s.auth = client::BasicAuth{str("username"), str("password")};
    else if (type == "bearer") s.auth = client::BearerAuth{str("token")};
    else fail(exit_error, where + "auth.type is not \"basic\" or \"bearer\"");
  }
  if (doc.contains("cookies")) {
    LoadOptions opts;
    opts.keep_session_cookies = true;  // a named session is one session, as HTTPie's
    auto loaded = parse_json_jar(doc["cookies"].dump(), opts);
    if (!loaded) fail(exit_error, where + "cookies: " + loaded.error().message());
    for (const auto& e : loaded->errors) std::cerr << "httpstate: " << where << "cookies: skipped " << to_string(e) << '\n';
    for (auto& c : loaded->cookies) jar.insert(std::move(c));
  }
  return s;
}

void save_session(const std::filesystem::path& path, const SavedSession& s, CookieJar& jar) {
  json doc;
  doc["format"] = session_format;
  doc["version"] = session_version;
  doc["headers"] = json::array();
  for (const auto& [name, value] : s.headers) doc["headers"].push_back({name, value});
  if (auto* b = std::get_if<client::BasicAuth>(&s.auth)) doc["auth"] = {{"type", "basic"}, {"username", b->user}, {"password", b->password}};
  else if (auto* t = std::get_if<client::BearerAuth>(&s.auth)) doc["auth"] = {{"type", "bearer"}, {"token", t->token}};
  else doc["auth"] = nullptr;
  const auto cookies = jar.all();
  doc["cookies"] = json::parse(format_json_jar(cookies));
  std::error_code ec;
  if (path.has_parent_path()) {
    const auto dir = path.parent_path();
    if (!std::filesystem::exists(dir, ec)) {
      std::filesystem::create_directories(dir, ec);
      // Credentials live here: only the user reads the folder.
      if (!ec) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
    if (ec) fail(exit_error, "session " + path.string() + ": " + ec.message());
  }
  if (auto werr = write_file_atomically(path, doc.dump(2) + "\n")) fail(exit_error, "session " + path.string() + ": " + werr.message());
  // Cookies and auth are credentials: 0600 even when the file was made by someone else's umask.
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
}

bool stdout_is_piped() {
  struct stat st {};
  return ::fstat(1, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

// A one-line bar on stderr, drawn only from progress_bar_from_bytes on; cleared when done.
class ProgressBar {
 public:
  void update(std::uint64_t received, std::uint64_t expected) {
    std::lock_guard lock(mu_);
    if (received < progress_bar_from_bytes && expected < progress_bar_from_bytes) return;
    drawn_ = true;
    char line[128];
    if (expected > 0) {
      const int pct = static_cast<int>(received * 100 / expected);
      const int width = 30, filled = pct * width / 100;
      std::snprintf(line, sizeof line, "\r[%-*.*s] %3d%% %llu/%llu KiB", width, filled, "##############################", pct,
                    static_cast<unsigned long long>(received >> 10), static_cast<unsigned long long>(expected >> 10));
    } else {
      std::snprintf(line, sizeof line, "\r%llu KiB", static_cast<unsigned long long>(received >> 10));
    }
    std::fputs(line, stderr);
    std::fflush(stderr);
  }
  void clear() {
    std::lock_guard lock(mu_);
    if (drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }

 private:
  std::mutex mu_;
  bool drawn_ = false;
};

bool is_json(const client::Headers& h) {
  const auto ct = h.get("Content-Type");
  if (!ct) return false;
  std::string v(*ct);
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto semi = v.find(';');
  v = std::string(trim(v.substr(0, semi)));
  return v == "application/json" || v.ends_with("+json");
}

void print_head(const client::Response& r) {
  std::string out = "HTTP/" + (r.http_version.empty() ? std::string("1.1") : r.http_version) + " " + std::to_string(r.status);
  if (!r.reason.empty()) out += " " + r.reason;
  out += "\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\n";
  out += "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void print_body(const client::Response& r, bool pretty) {
  if (pretty && is_json(r.headers)) {
    const json doc = json::parse(r.body, nullptr, false);
    if (!doc.is_discarded()) {
      const auto text = doc.dump(4) + "\n";
      std::fwrite(text.data(), 1, text.size(), stdout);
      return;
    }
  }
  std::fwrite(r.body.data(), 1, r.body.size(), stdout);
  if (pretty && !r.body.empty() && r.body.back() != '\n') std::fputc('\n', stdout);
}

// curl's request head ("GET / HTTP/1.1\r\nHost: ...\r\n\r\n") without the CRs, and with the
// credentials of Authorization and Proxy-Authorization hidden: -v output ends up in logs.
std::string printable_head(std::string_view head) {
  std::string out;
  out.reserve(head.size());
  while (!head.empty()) {
    const auto nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view{} : head.substr(nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const auto colon = line.find(':');
    const auto name = line.substr(0, colon == std::string_view::npos ? 0 : colon);
    if (client::iequals(name, "Authorization") || client::iequals(name, "Proxy-Authorization")) {
      const auto value = trim(line.substr(colon + 1));
      out.append(name).append(": ").append(value.substr(0, value.find(' '))).append(" <hidden>\n");
    } else {
      out.append(line).append("\n");
    }
  }
  return out;
}

// An already expired Set-Cookie is how a server deletes a cookie (a logout): what it meant, not
// a refusal worth a line (§5.7 step 25).
bool is_deletion(const InclusionStatus& s) {
  if (!s.has(Exclusion::expired_on_arrival)) return false;
  for (int e = 0; e <= static_cast<int>(Exclusion::expired); ++e)
    if (e != static_cast<int>(Exclusion::expired_on_arrival) && s.has(static_cast<Exclusion>(e))) return false;
  return true;
}

void report_cookies(const client::Response& r) {
  for (const auto& c : r.cookies) {
    if (c.stored() || is_deletion(c.status)) continue;
    // The name only: a cookie's value may be a credential.
    std::cerr << "httpstate: Set-Cookie " << (c.name.empty() ? std::string("(unparsed)") : "'" + c.name + "'") << " from " << r.url
              << " " << c.status.to_string() << '\n';
  }
}

void run(const HttpArgs& a) {
  client::RequestOptions req;
  SavedSession saved;
  client::SessionOptions so;
  so.jar = std::make_shared<CookieJar>();
  std::optional<std::filesystem::path> session_file;
  if (a.session) {
    session_file = session_path(*a.session);
    saved = load_session(*session_file, *so.jar);
  }

  for (const auto& h : a.headers) {
    auto [name, value] = parse_header_arg(h);
    req.headers.set(name, value);
    if (session_file && kept_in_session(name)) saved.headers.set(name, value);
  }
  if (a.data) {
    req.data = *a.data;
    // curl's -d: a urlencoded form unless told otherwise.
    if (!req.headers.contains("Content-Type")) req.headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  if (a.json_body) {
    auto doc = json::parse(*a.json_body, nullptr, false);
    if (doc.is_discarded()) fail(exit_error, "--json: not valid JSON");
    req.json = std::move(doc);
  }
  if (!a.form.empty()) {
    client::Pairs form;
    for (const auto& f : a.form) form.push_back(parse_pair("--form", f));
    req.form = std::move(form);
  }
  if (a.auth) {
    const auto colon = a.auth->find(':');
    // Never echo the argument: it holds the password.
    if (colon == std::string::npos) fail(exit_error, "--auth: expected user:password");
    saved.auth = client::BasicAuth{a.auth->substr(0, colon), a.auth->substr(colon + 1)};
  }
  if (a.bearer) {
    if (a.bearer->empty() || has_control(*a.bearer)) fail(exit_error, "--bearer: the token is empty or holds a control character");
    saved.auth = client::BearerAuth{*a.bearer};
  }
  for (const auto& c : a.cookies) parse_cookie_arg(c, req.cookies);

  so.headers = saved.headers;
  so.auth = saved.auth;
  so.allow_redirects = a.follow;
  if (a.max_redirects < 0) fail(exit_error, "--max-redirects: must be 0 or more");
  so.max_redirects = a.max_redirects;
  if (a.timeout) {
    if (!(*a.timeout > 0) || *a.timeout > 86400.0 * 365) fail(exit_error, "--timeout: seconds, more than 0");
    so.timeout = std::chrono::milliseconds(static_cast<long long>(*a.timeout * 1000));
    if (so.timeout < so.connect_timeout) so.connect_timeout = so.timeout;
  }
  so.http2 = a.http2;
  so.verify = !a.insecure;
  if (a.cacert) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*a.cacert, ec)) fail(exit_error, "--cacert " + *a.cacert + ": no such file");
    so.ca_file = *a.cacert;
  }

  std::vector<std::string> sent;  // -v: each hop's request head
  std::mutex sent_mu;
  if (a.verbose) {
    so.on_request_head = [&](std::string_view head) {
      std::lock_guard lock(sent_mu);
      sent.push_back(printable_head(head));
    };
  }
  auto bar = std::make_shared<ProgressBar>();
  if (::isatty(2) && !stdout_is_piped()) so.on_progress = [bar](std::uint64_t got, std::uint64_t total) { bar->update(got, total); };

  client::Response r;
  {
    std::optional<client::Session> s;
    try {
      s.emplace(std::move(so));
    } catch (const httpstate::error& e) {
      fail(exit_error, e.what());
    }
    try {
      r = s->send({a.method, a.url, std::move(req)});
    } catch (const client::Error& e) {
      bar->clear();
      if (a.verbose)
        for (const auto& head : sent) std::fwrite(head.data(), 1, head.size(), stdout);
      std::fflush(stdout);
      const int code = e.kind() == client::ErrorKind::timeout             ? exit_timeout
                       : e.kind() == client::ErrorKind::too_many_redirects ? exit_too_many_redirects
                                                                           : exit_error;
      fail(code, e.what());
    }
    bar->clear();
    if (session_file) save_session(*session_file, saved, s->cookies());
  }

  const bool terminal = ::isatty(1);
  if (a.verbose) {
    // Each hop: what we sent, what came back.
    std::vector<const client::Response*> hops;
    for (const auto& h : r.history) hops.push_back(&h);
    hops.push_back(&r);
    for (std::size_t i = 0; i < hops.size(); ++i) {
      if (i < sent.size()) {
        std::fwrite(sent[i].data(), 1, sent[i].size(), stdout);
        if (i == 0 && a.data) std::fwrite(a.data->data(), 1, a.data->size(), stdout), std::fputs("\n\n", stdout);
        if (i == 0 && a.json_body) std::fputs((json::parse(*a.json_body).dump() + "\n\n").c_str(), stdout);
      }
      print_head(*hops[i]);
      if (hops[i] != &r) {
        print_body(*hops[i], terminal);
        if (!hops[i]->body.empty()) std::fputc('\n', stdout);
      }
    }
  } else {
    print_head(r);
  }
  print_body(r, terminal);
  std::fflush(stdout);

  for (const auto& h : r.history) report_cookies(h);
  report_cookies(r);

  if (a.check_status && r.status >= 400 && r.status < 600) {
    // HTTPie's habit: the status class is the exit code.
    fail(r.status / 100, "HTTP " + std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason) + " (--check-status)");
  }
}

void add_method(CLI::App& app, const std::string& name, const std::string& method) {
  auto a = std::make_shared<HttpArgs>();
  a->method = method;
  auto* c = app.add_subcommand(name, "Send a " + method + " request and print the response (status, headers, body)");
  c->add_option("url", a->url, "The URL (http or https)")->required();
  c->add_option("-H,--header", a->headers, "A request header, 'Name: value' (repeatable)");
  auto* data = c->add_option("-d,--data", a->data, "The request body, sent as is (a urlencoded form unless -H sets Content-Type)");
  auto* js = c->add_option("--json", a->json_body, "A JSON request body (Content-Type: application/json)");
  auto* form = c->add_option("--form", a->form, "A form field k=v, urlencoded (repeatable)");
  data->excludes(js)->excludes(form);
  js->excludes(form);
  auto* auth = c->add_option("--auth", a->auth, "Basic auth, user:password");
  auto* bearer = c->add_option("--bearer", a->bearer, "Bearer auth: the token");
  auth->excludes(bearer);
  c->add_option("--cookie", a->cookies, "A cookie k=v for this request only, not saved (repeatable)");
  c->add_option("--session", a->session,
                "A named session (in $XDG_CONFIG_HOME/httpstate/sessions/) or a path: cookies, headers and auth kept between runs");
  c->add_flag("--follow", a->follow, "Follow redirects (off by default, as curl)");
  c->add_option("--max-redirects", a->max_redirects, "At most this many redirects with --follow (default 30)");
  c->add_option("--timeout", a->timeout, "Seconds the whole request may take, per hop");
  c->add_flag("--http2", a->http2, "Use HTTP/2 over TLS when the server offers it");
  auto* insecure = c->add_flag("--insecure", a->insecure, "Do not verify the server's TLS certificate");
  auto* cacert = c->add_option("--cacert", a->cacert, "Verify TLS with the CA certificates in this PEM file");
  insecure->excludes(cacert);
  c->add_flag("-v,--verbose", a->verbose, "Also print the request (each hop's, with --follow)");
  c->add_flag("--check-status", a->check_status, "Exit with 4 or 5 on a 4xx or 5xx response");
  c->callback([a] { run(*a); });
}

}  // namespace

void add_http_client_commands(CLI::App& app) {
  for (const char* m : {"get", "post", "put", "patch", "delete", "head", "options"}) {
    std::string method = m;
    for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    add_method(app, m, method);
  }
}

}  // namespace httpstate::cli
