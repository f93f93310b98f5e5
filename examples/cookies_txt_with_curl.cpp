// A jar shared with curl through cookies.txt, as `curl -b cookies.txt -c cookies.txt` and
// Python's http.cookiejar.MozillaCookieJar(path).load()/save() share one. Run between two
// curl calls:
//
//   curl -c cookies.txt http://127.0.0.1:PORT/login       # curl writes what the server set
//   cookies_txt_with_curl cookies.txt http://127.0.0.1:PORT/
//   curl -b cookies.txt http://127.0.0.1:PORT/whoami      # curl sends what we added
//
// Usage: cookies_txt_with_curl FILE URL   loads FILE, prints the Cookie header for URL, adds
//        "theme=dark" as if URL had set it, saves FILE back (Netscape format, atomic replace).
#include <iostream>
#include <string>

#include <httpstate/jar/cookie_jar.hpp>
#include <httpstate/persist/jar_file.hpp>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: cookies_txt_with_curl FILE URL\n";
    return 2;
  }
  const std::string file = argv[1], url = argv[2];
  httpstate::CookieJar jar;
  // MozillaCookieJar.load(ignore_discard=True): curl's session cookies (expiry 0) are kept, as
  // they are between curl calls that share the file; by default a jar file starts a new session.
  httpstate::JarFileOptions options;
  options.load.keep_session_cookies = true;
  auto loaded = httpstate::load_jar_file(file, jar, options);  // bad lines are reported, skipped
  if (!loaded) {
    std::cerr << loaded.error().message() << '\n';
    return 1;
  }
  std::cout << "loaded " << jar.size() << " cookies\n";
  std::cout << "Cookie: " << jar.cookie_header(url) << '\n';
  auto status = jar.store(url, "theme=dark; Path=/; Max-Age=86400");
  std::cout << "theme=dark: " << status.to_string() << '\n';
  auto saved = httpstate::save_jar_file(file, jar, options);  // jar.save(); never after a failed load
  if (!saved) {
    std::cerr << saved.error().message() << '\n';
    return 1;
  }
  std::cout << "saved " << *saved << " cookies\n";
  return 0;
}
