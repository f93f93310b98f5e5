// requests' Session examples (the "Advanced Usage" page), against httpbin. The Python version:
//
//   s = requests.Session()
//   s.get("https://httpbin.org/cookies/set/sessioncookie/123456789")
//   s.get("https://httpbin.org/cookies")              # {"cookies": {"sessioncookie": "123456789"}}
//   s.auth = ("user", "pass"); s.headers.update({"x-test": "true"})
//   s.get("https://httpbin.org/headers", headers={"x-test2": "true"})   # both headers sent
//   s.get("https://httpbin.org/cookies", cookies={"from-my": "browser"}) # this call only
//   s.cookies.set("cookie", "1234")                  # sent on every later call
//
// Usage: requests_session BASE_URL   (an httpbin, e.g. http://127.0.0.1:8080)
#include <iostream>
#include <string>

#include <httpstate/client/session.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: requests_session BASE_URL\n";
    return 2;
  }
  const std::string base = argv[1];
  namespace client = httpstate::client;
  try {
    client::Session s;
    // The redirect to /cookies is followed; the cookie is stored on the way.
    s.get(base + "/cookies/set/sessioncookie/123456789");
    std::cout << "cookies: " << s.get(base + "/cookies").json()["cookies"].dump() << '\n';

    s.set_auth(client::BasicAuth{"user", "pass"});
    s.headers().set("x-test", "true");
    auto headers = s.get(base + "/headers", {.headers = {{"x-test2", "true"}}}).json()["headers"];
    std::cout << "headers: x-test=" << headers.value("X-Test", "") << " x-test2=" << headers.value("X-Test2", "") << '\n';
    std::cout << "session headers: " << s.headers().size() << '\n';  // only x-test is kept

    std::cout << "per-call cookie: " << s.get(base + "/cookies", {.cookies = {{"from-my", "browser"}}}).json()["cookies"].dump() << '\n';
    std::cout << "next call: " << s.get(base + "/cookies").json()["cookies"].dump() << '\n';

    s.set_cookie("cookie", "1234");  // no domain: sent to every host, as requests does
    std::cout << "session cookie: " << s.get(base + "/cookies", {.cookies = {{"from-my", "browser"}}}).json()["cookies"].dump() << '\n';

    const auto auth = s.get(base + "/basic-auth/user/pass");
    std::cout << "basic-auth: " << auth.status << ' ' << auth.json()["authenticated"].dump() << '\n';
  } catch (const client::Error& e) {
    std::cerr << "requests_session: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
