// Log in with a form POST, then read the profile on the same session: the cookie the login set
// is sent back. The Python version:
//
//   s = requests.Session()
//   s.post(base + "/login", data={"username": "alice", "password": "wonderland"})
//   s.get(base + "/profile").json()
//
// Usage: login_profile BASE_URL USER PASSWORD
#include <iostream>
#include <string>

#include <httpstate/client/session.hpp>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: login_profile BASE_URL USER PASSWORD\n";
    return 2;
  }
  const std::string base = argv[1];
  namespace client = httpstate::client;
  try {
    client::Session s;
    const auto login = s.post(base + "/login", {.form = client::Pairs{{"username", argv[2]}, {"password", argv[3]}}});
    std::cout << "login: " << login.status << '\n';
    // What the jar did with each cookie of the login's responses (its redirect, then the last).
    auto report = [](const client::Response& hop) {
      for (const auto& c : hop.cookies) std::cout << "cookie " << c.name << ": " << c.status.to_string() << '\n';
    };
    for (const auto& hop : login.history) report(hop);
    report(login);
    const auto profile = s.get(base + "/profile");
    std::cout << "profile: " << profile.status << ' ' << (profile.status == 200 ? profile.json().value("user", "") : "") << '\n';
    return profile.status == 200 ? 0 : 1;
  } catch (const client::Error& e) {
    std::cerr << "login_profile: " << e.what() << '\n';
    return 1;
  }
}
