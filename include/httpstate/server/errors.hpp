#pragma once
// The two failures a session operation reports by exception; the HTTP layer maps them to
// 503 (with Retry-After) and 409. Bad input never throws: it gets a fresh session.
#include "httpstate/error.hpp"

namespace httpstate::server {

// The store did not answer within its timeout (connection refused, I/O error, busy database).
class StoreUnavailable : public httpstate::error {
 public:
  using httpstate::error::error;
};

// commit() lost a race: another request saved or removed the session after this one loaded it.
class SessionConflict : public httpstate::error {
 public:
  using httpstate::error::error;
};

}  // namespace httpstate::server
