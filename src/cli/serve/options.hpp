#pragma once
// The flags of `httpstate serve`, spelled as the command line spells them.
#include <cstdint>
#include <string>

namespace httpstate::serve {

struct Options {
  std::string listen = "127.0.0.1:8080";
  std::string store = "sqlite:./httpstate-sessions.db";  // memory | sqlite:PATH | redis://... | cookie
  std::string secret_file;                               // empty: ./httpstate-secret, created 0600
  unsigned threads = 0;                                  // 0: one per core
  std::string cookie_name = "sid";
  std::int64_t idle_timeout = 30 * 60;                   // seconds
  std::int64_t absolute_timeout = 12 * 60 * 60;          // seconds
  std::string tls_cert, tls_key;
  std::string users_file;
  bool demo = false;
  std::size_t max_connections = 10000;
  std::int64_t header_timeout = 10;                      // seconds to send a request's headers
  bool floor = false;                                    // bench: /counter answers a fixed body
};

// Runs until SIGTERM or SIGINT, then drains the requests in flight; returns the exit status.
// Configuration errors throw httpstate::error with a message naming what was wrong.
int run(const Options& options);

}  // namespace httpstate::serve
