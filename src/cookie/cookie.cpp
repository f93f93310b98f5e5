#include "httpstate/cookie/cookie.hpp"

namespace httpstate {

std::string_view to_string(SameSite s) noexcept {
  switch (s) {
    case SameSite::none: return "None";
    case SameSite::lax: return "Lax";
    case SameSite::strict: return "Strict";
    case SameSite::unset: break;
  }
  return "";
}

}  // namespace httpstate
