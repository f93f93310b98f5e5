// `httpstate serve`: the flags, then serve::run (src/cli/serve/).
#include "commands.hpp"
#include "httpstate/error.hpp"
#include "serve/options.hpp"

namespace httpstate::cli {

void add_serve_command(CLI::App& app) {
  auto opts = std::make_shared<serve::Options>();
  auto* cmd = app.add_subcommand("serve", "Serve httpbin's cookie endpoints and the session demo over HTTP/1.1");
  cmd->add_option("--listen", opts->listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  cmd->add_option("--store", opts->store, "memory | sqlite:PATH | redis://[user:pass@]HOST:PORT/DB | cookie")
      ->capture_default_str();
  cmd->add_option("--secret-file", opts->secret_file,
                  "the sessions' secret; without it ./httpstate-secret is used, created 0600 if absent");
  cmd->add_option("--threads", opts->threads, "worker threads (default: one per core)");
  cmd->add_option("--cookie-name", opts->cookie_name, "the session cookie's name")->capture_default_str();
  cmd->add_option("--idle-timeout", opts->idle_timeout, "seconds a session lives unused")->capture_default_str();
  cmd->add_option("--absolute-timeout", opts->absolute_timeout, "seconds a session lives at most")->capture_default_str();
  cmd->add_option("--tls-cert", opts->tls_cert, "PEM certificate chain: serve HTTPS (cookies Secure, __Host-)");
  cmd->add_option("--tls-key", opts->tls_key, "PEM private key of --tls-cert");
  cmd->add_option("--users-file", opts->users_file, "name:scrypt-hash lines (Werkzeug's scrypt:N:r:p$salt$hex)");
  cmd->add_flag("--demo", opts->demo, "add the user alice with the password wonderland");
  cmd->add_option("--max-connections", opts->max_connections, "connections over this get 503")->capture_default_str();
  cmd->add_option("--header-timeout", opts->header_timeout, "seconds a client has to send a request's headers")
      ->capture_default_str();
  cmd->add_flag("--floor", opts->floor, "benchmarks: /counter answers a fixed body without a session");
  cmd->callback([opts] {
    try {
      const int rc = serve::run(*opts);
      if (rc != 0) fail(rc, "");
    } catch (const httpstate::error& e) {
      fail(2, e.what());
    }
  });
}

}  // namespace httpstate::cli
