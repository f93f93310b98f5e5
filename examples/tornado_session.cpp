// Tornado's session example, without HTTP: settings with a secret, a session cookie name and an
// expiry of 7200 s; GET greets the session's username or "Guest", POST sets it. Each run is one
// request: the Cookie header comes in as an argument, the Set-Cookie goes out on stdout, and the
// sessions live in a SQLite file, so successive runs are successive requests.
// Usage: tornado_session DB SECRET_FILE GET [COOKIE_HEADER]
//        tornado_session DB SECRET_FILE POST NAME [COOKIE_HEADER]
#include <httpstate/server/session_manager.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

namespace hs = httpstate::server;

int main(int argc, char** argv) {
  const std::string method = argc > 3 ? argv[3] : "";
  if (argc < 4 || (method != "GET" && method != "POST") || (method == "POST" && argc < 5)) {
    std::cerr << "usage: tornado_session DB SECRET_FILE GET [COOKIE_HEADER]\n"
                 "       tornado_session DB SECRET_FILE POST NAME [COOKIE_HEADER]\n";
    return 2;
  }
  std::string secret;
  std::getline(std::ifstream(argv[2]), secret);
  // Tornado's settings: cookie_secret, the session cookie's name, and its expiry.
  hs::SessionConfig settings{.cookie_name = "session", .idle_timeout = std::chrono::seconds(7200),
                             .absolute_timeout = std::chrono::seconds(7200), .secrets = {secret}};
  settings.on_event = [](const hs::SessionLogEntry& e) {  // a handle, never the id
    std::cerr << "session " << e.session << ": " << to_string(e.event) << (e.reason.empty() ? "" : ": ")
              << e.reason << "\n";
  };
  try {
    hs::SessionManager mgr(settings, std::make_shared<hs::SqliteSessionStore>(argv[1]));
    const std::string cookie_header = argc > (method == "POST" ? 5 : 4) ? argv[method == "POST" ? 5 : 4] : "";
    hs::Session s = mgr.load(cookie_header);  // bad or foreign cookies give a fresh session
    if (method == "POST") {
      mgr.rotate_id(s);  // a privilege change: a new id for the same data
      s.data()["username"] = argv[4];
      std::cout << "saved\n";
    } else {
      const auto& data = std::as_const(s).data();
      const auto name = data.find("username");
      std::cout << "Hello, " << (name != data.end() && name->is_string() ? name->get<std::string>() : "Guest") << "\n";
    }
    if (auto set_cookie = mgr.commit(s)) std::cout << "Set-Cookie: " << *set_cookie << "\n";
  } catch (const hs::StoreUnavailable& e) {
    std::cerr << "503: " << e.what() << "\n";
    return 1;
  }
}
