// aiohttp's cookie jar pattern: cookies from a response go into the jar, filter_cookies(url)
// says what goes with the next request, the jar is saved, and a new process restores it and
// sends the cookies again. The Python version:
//
//   jar = aiohttp.CookieJar()
//   jar.update_cookies(resp.cookies, URL("https://shop.example.com/login"))
//   jar.filter_cookies(URL("https://shop.example.com/cart"))
//   jar.save("jar.pickle")
//   # later, another process:
//   jar = aiohttp.CookieJar(); jar.load("jar.pickle")
//   jar.update_cookies({"lang": "en"}, URL("https://shop.example.com/"))
//
// Usage: store_restore_cookies save FILE     the "response", then the jar saved to FILE
//        store_restore_cookies restore FILE  a new process: the jar from FILE, updated, sent
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <httpstate/jar/cookie_jar.hpp>
#include <httpstate/persist/jar_file.hpp>

// The Cookie header a request would carry, from cookies_for (aiohttp's filter_cookies).
static std::string header_of(httpstate::CookieJar& jar, const std::string& url) {
  std::string header;
  for (const auto& c : jar.cookies_for(url)) {
    if (!header.empty()) header += "; ";
    header += c.name + "=" + c.value;
  }
  return header;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: store_restore_cookies save|restore FILE\n";
    return 2;
  }
  const std::string mode = argv[1], file = argv[2];
  httpstate::CookieJar jar;
  if (mode == "save") {
    // The Set-Cookie headers of a login response (resp.cookies in aiohttp).
    for (const char* line : {"sid=31d4d96e; Path=/; Secure; HttpOnly; Max-Age=3600",
                             "cart=3; Path=/cart; Max-Age=3600",
                             "tracker=1; Domain=com"}) {  // a public suffix: refused
      auto status = jar.store("https://shop.example.com/login", line);
      std::cout << line << ": " << status.to_string() << '\n';
    }
    std::cout << "cart: " << header_of(jar, "https://shop.example.com/cart") << '\n';
    auto saved = httpstate::save_jar_file(file, jar);  // the format follows the extension
    if (!saved) {
      std::cerr << saved.error().message() << '\n';
      return 1;
    }
    std::cout << "saved " << *saved << " cookies\n";
    return 0;
  }
  if (mode == "restore") {
    auto loaded = httpstate::load_jar_file(file, jar);
    if (!loaded) {
      std::cerr << loaded.error().message() << '\n';
      return 1;
    }
    // update_cookies({"lang": "en"}, url): stored as if the site had set it.
    std::vector<std::pair<std::string, std::string>> more{{"lang", "en"}};
    jar.update("https://shop.example.com/", more);
    std::cout << "restored " << jar.size() << " cookies\n";
    std::cout << "cart: " << header_of(jar, "https://shop.example.com/cart") << '\n';
    std::cout << "home: " << header_of(jar, "https://shop.example.com/") << '\n';
    std::cout << "http: " << header_of(jar, "http://shop.example.com/cart") << '\n';  // no Secure
    return 0;
  }
  std::cerr << "usage: store_restore_cookies save|restore FILE\n";
  return 2;
}
