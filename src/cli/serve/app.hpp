#pragma once
// What `httpstate serve` serves, without the sockets: the router, the session manager and the
// access log, built from the options. server.cpp feeds it requests.
#include <memory>
#include <string>

#include "access_log.hpp"
#include "options.hpp"
#include "router.hpp"

namespace httpstate::serve {

class App {
 public:
  explicit App(const Options& options);  // throws httpstate::error on a bad flag or file

  Response handle(Exchange& ex) const { return router_.handle(ex); }
  AccessLog& log() { return log_; }
  const std::string& store_name() const { return store_name_; }

  struct Sessions;  // sessions.cpp: the manager and the users, when built with httpstate_server

 private:
  AccessLog log_;
  Router router_;
  std::string store_name_ = "none";
  std::shared_ptr<Sessions> sessions_;  // shared: its type is complete only in sessions.cpp
};

}  // namespace httpstate::serve
