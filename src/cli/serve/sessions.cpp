// The session routes: login, profile, logout, session, counter and the browser demo, on the
// Beast adapter over a SessionManager and the store --store names.
#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "httpstate/error.hpp"
#include "httpstate/server/beast.hpp"
#include "httpstate/server/memory_store.hpp"
#ifdef HTTPSTATE_SERVE_COOKIE_STORE
#include "httpstate/server/cookie_session_store.hpp"
#endif
#include "httpstate/server/redis_session_store.hpp"
#include "httpstate/server/sqlite_session_store.hpp"
#include "routes.hpp"
#include "users.hpp"

namespace httpstate::serve {

struct App::Sessions {
  std::unique_ptr<server::SessionManager> mgr;
  Users users;
};

namespace {

using server::SessionManager;

// The manager's log events of the request this thread is handling, for its access log line.
thread_local std::string* current_events = nullptr;

struct EventScope {
  explicit EventScope(Exchange& ex) { current_events = &ex.session_event; }
  ~EventScope() { current_events = nullptr; }
};

std::string read_or_create_secret(const std::string& flag_path) {
  const std::string path = flag_path.empty() ? "./httpstate-secret" : flag_path;
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    unsigned char raw[32];
    if (RAND_bytes(raw, sizeof raw) != 1) throw error("RAND_bytes failed");
    std::string hex;
    for (unsigned char c : raw) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) throw error("cannot create the secret file " + path);
    const std::string line = hex + "\n";
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!ok) throw error("cannot write the secret file " + path);
    std::cout << "httpstate: created the secret file " << path << " (mode 0600)" << std::endl;
    return hex;
  }
  std::string secret((std::istreambuf_iterator<char>(f)), {});
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

std::shared_ptr<server::SessionStore> open_store(const std::string& spec, const std::string& secret) {
  if (spec == "memory") return std::make_shared<server::MemorySessionStore>();
  if (spec.rfind("sqlite:", 0) == 0 && spec.size() > 7)
    return std::make_shared<server::SqliteSessionStore>(spec.substr(7));
  if (spec.rfind("redis://", 0) == 0) return std::make_shared<server::RedisSessionStore>(server::RedisSessionOptions{.url = spec});
#ifdef HTTPSTATE_SERVE_COOKIE_STORE
  // The whole session in the cookie, sealed with AES-256-GCM under the server's secret.
  if (spec == "cookie")
    return std::make_shared<server::CookieSessionStore>(
        server::CookieSessionOptions{.format = server::CookieFormat::encrypted, .secrets = {secret}});
#else
  (void)secret;
  if (spec == "cookie") throw error("--store cookie: the cookie store is not in this build of the server layer yet");
#endif
  throw error("--store " + spec + ": expected memory, sqlite:PATH, redis://HOST:PORT/DB or cookie");
}

// Store failures become 503 with Retry-After and a reason; a conflict transact gave up on, 409.
Handler guarded(std::function<Response(Exchange&)> h) {
  return [h = std::move(h)](Exchange& ex) {
    EventScope scope(ex);
    try {
      return h(ex);
    } catch (const server::StoreUnavailable& e) {
      auto res = json_response(ex, http::status::service_unavailable,
                               dump({{"error", "session store unavailable"}, {"reason", e.what()}}));
      res.set(http::field::retry_after, "1");
      return res;
    } catch (const server::SessionConflict&) {
      return json_response(ex, http::status::conflict,
                           dump({{"error", "session conflict: concurrent requests kept changing this session"}}));
    }
  };
}

// POST /login's username and password, from a form or a JSON object.
std::pair<std::string, std::string> credentials(const Exchange& ex) {
  std::string user, password;
  const auto type = ex.req[http::field::content_type];
  if (type.starts_with("application/json")) {
    const auto j = nlohmann::json::parse(ex.req.body(), nullptr, false);
    if (j.is_object()) {
      if (j.contains("username") && j["username"].is_string()) user = j["username"].get<std::string>();
      if (j.contains("password") && j["password"].is_string()) password = j["password"].get<std::string>();
    }
  } else {
    for (const auto& [k, v] : parse_form(ex.req.body())) {
      if (k == "username") user = v;
      if (k == "password") password = v;
    }
  }
  return {user, password};
}

// Logs in with fetch, reads the profile, shows document.cookie, logs out, reads the profile
// again; each step writes its result into the page, so a --dump-dom of it is the test's record.
const char demo_page[] = R"html(<!doctype html>
<html><head><meta charset="utf-8"><title>httpstate session demo</title></head>
<body>
<h1>httpstate session demo</h1>
<ol id="log"></ol>
<p id="done"></p>
<script>
function say(id, text) {
  const li = document.createElement("li");
  li.id = id;
  li.textContent = id + ": " + text;
  document.getElementById("log").appendChild(li);
}
async function step(id, path, options) {
  const r = await fetch(path, Object.assign({credentials: "same-origin"}, options || {}));
  const body = await r.text();
  say(id, r.status + " " + body.trim());
  return r.status;
}
(async () => {
  try {
    await step("login", "/login", {method: "POST", headers: {"Content-Type": "application/json"},
                                   body: JSON.stringify({username: "alice", password: "wonderland"})});
    await step("profile", "/profile");
    say("document-cookie", JSON.stringify(document.cookie));
    await step("logout", "/logout", {method: "POST"});
    await step("profile-after-logout", "/profile");
    document.getElementById("done").textContent = "done";
  } catch (e) {
    document.getElementById("done").textContent = "failed: " + e;
  }
})();
</script>
</body></html>
)html";

}  // namespace

std::shared_ptr<App::Sessions> add_session_routes(Router& r, const Options& o, AccessLog& log, std::string& store_name) {
  (void)log;
  auto s = std::make_shared<App::Sessions>();
  if (!o.users_file.empty()) s->users.load_file(o.users_file);
  if (o.demo) s->users.add("alice", "wonderland");
  server::SessionConfig cfg{.cookie_name = o.cookie_name, .idle_timeout = std::chrono::seconds(o.idle_timeout),
                            .absolute_timeout = std::chrono::seconds(o.absolute_timeout)};
  const std::string secret = read_or_create_secret(o.secret_file);
  cfg.secrets.push_back(secret);
  cfg.secure = !o.tls_cert.empty();
  cfg.on_event = [](const server::SessionLogEntry& e) {
    if (!current_events) return;
    if (!current_events->empty()) current_events->push_back('+');
    current_events->append(server::to_string(e.event));
  };
  s->mgr = std::make_unique<SessionManager>(std::move(cfg), open_store(o.store, secret));
  store_name = o.store;
  const SessionManager& mgr = *s->mgr;
  const Users& users = s->users;

  r.add(http::verb::post, "/login", guarded([&mgr, &users](Exchange& ex) {
          const auto [user, password] = credentials(ex);
          if (user.empty() || !users.verify(user, password))
            return json_response(ex, http::status::unauthorized, dump({{"error", "wrong username or password"}}));
          auto session = server::load(mgr, ex.req);
          mgr.rotate_id(session);  // a new id at login: a fixated one is worth nothing
          session.data()["user"] = user;
          auto res = json_response(ex, http::status::ok, dump({{"user", user}}));
          server::commit(mgr, session, res);
          return res;
        }));
  r.add(http::verb::get, "/profile", guarded([&mgr](Exchange& ex) {
          auto session = server::load(mgr, ex.req);
          const auto& data = std::as_const(session).data();
          Response res = data.contains("user")
                             ? json_response(ex, http::status::ok, dump({{"user", data["user"]}}))
                             : json_response(ex, http::status::unauthorized, dump({{"error", "not logged in"}}));
          server::commit(mgr, session, res);
          return res;
        }));
  r.add(http::verb::post, "/logout", guarded([&mgr](Exchange& ex) {
          auto session = server::load(mgr, ex.req);
          auto res = json_response(ex, http::status::ok, dump({{"logged_out", true}}));
          server::logout(mgr, session, res);
          return res;
        }));
  r.add(http::verb::get, "/session", guarded([&mgr](Exchange& ex) {
          auto session = server::load(mgr, ex.req);
          auto res = json_response(ex, http::status::ok, dump(std::as_const(session).data()));
          server::commit(mgr, session, res);
          return res;
        }));
  r.add(http::verb::get, "/counter", guarded([&mgr](Exchange& ex) {
          std::int64_t n = 0;
          const auto cookie = ex.cookies.header();
          auto set = mgr.transact(cookie, [&n](server::Session& session) {
            auto& data = session.data();
            const auto it = data.find("counter");
            n = (it != data.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0) + 1;
            data["counter"] = n;
          });
          auto res = json_response(ex, http::status::ok, "{\"counter\":" + std::to_string(n) + "}\n");
          if (set) {
            res.insert(http::field::set_cookie, *set);
            server::mark_session_response(res);
          }
          return res;
        }));
  r.add(http::verb::get, "/demo", [](Exchange& ex) {
    auto res = text_response(ex, http::status::ok, "text/html; charset=utf-8", demo_page);
    res.set(http::field::cache_control, "no-store");
    return res;
  });
  return s;
}

}  // namespace httpstate::serve
