#pragma once
// The exception for I/O that cannot go on; untrusted input never throws (see result.hpp).
#include <stdexcept>

namespace httpstate {

class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace httpstate
