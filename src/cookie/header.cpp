#include "ascii.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"

namespace httpstate {

std::vector<CookiePair> parse_cookie_header(std::string_view header) {
  std::vector<CookiePair> pairs;
  // A header past the cap is refused whole, as parse_set_cookie does: no partial view of it.
  if (header.size() > limits::max_header_bytes) return pairs;
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    const std::string_view piece = detail::trim_wsp(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    CookiePair p;
    if (const std::size_t eq = piece.find('='); eq == std::string_view::npos) {
      p.value = piece;
    } else {
      p.name = detail::trim_wsp(piece.substr(0, eq));
      p.value = detail::trim_wsp(piece.substr(eq + 1));
    }
    if (p.name.empty() && p.value.empty()) continue;  // "a=1;; b=2" or a stray "="
    pairs.push_back(p);
  }
  return pairs;
}

std::string_view unquote(std::string_view value) noexcept {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    return value.substr(1, value.size() - 2);
  return value;
}

}  // namespace httpstate
