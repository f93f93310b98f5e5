// aiohttp's ClientSession pattern: many requests in flight on one cookie jar, the jar saved at
// the end, and restored by the next run. The Python version:
//
//   async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=16)) as s:
//       await asyncio.gather(*(s.get(f"{base}/cookies/set?k{i}={i}") for i in range(50)))
//       s.cookie_jar.save("jar.pickle")
//   # the next run:
//   jar = aiohttp.CookieJar(); jar.load("jar.pickle")
//   async with aiohttp.ClientSession(cookie_jar=jar) as s: await s.get(f"{base}/cookies")
//
// Usage: aiohttp_store_restore save JAR BASE_URL     50 requests, 16 in flight, jar saved
//        aiohttp_store_restore restore JAR BASE_URL  the jar restored, sent to /cookies
#include <iostream>
#include <string>
#include <vector>

#include <httpstate/client/session.hpp>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: aiohttp_store_restore save|restore JAR BASE_URL\n";
    return 2;
  }
  const std::string mode = argv[1], jar = argv[2], base = argv[3];
  namespace client = httpstate::client;
  try {
    // The jar file is loaded when the session opens and saved when it closes (SQLite: written
    // through; cookies.txt and JSON: saved atomically).
    client::Session s(client::SessionOptions{.jar_file = jar, .max_in_flight = 16});
    if (mode == "save") {
      std::vector<client::Request> requests;
      for (int i = 0; i < 50; ++i)
        requests.push_back({"GET", base + "/cookies/set?k" + std::to_string(i) + "=" + std::to_string(i), {}});
      auto futures = s.send_all(std::move(requests));
      const auto responses = client::wait_all(futures);
      int ok = 0;
      for (const auto& r : responses) ok += r.status == 200;
      std::cout << "responses: " << ok << " of " << responses.size() << " ok\n";
      std::cout << "jar: " << s.cookies().size() << " cookies\n";
    } else if (mode == "restore") {
      std::cout << "restored: " << s.cookies().size() << " cookies\n";
      const auto seen = s.get(base + "/cookies").json()["cookies"];
      std::cout << "server saw: " << seen.size() << " cookies, k0=" << seen.value("k0", "") << " k49=" << seen.value("k49", "") << '\n';
    } else {
      std::cerr << "aiohttp_store_restore: the mode is save or restore\n";
      return 2;
    }
  } catch (const httpstate::error& e) {
    std::cerr << "aiohttp_store_restore: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
