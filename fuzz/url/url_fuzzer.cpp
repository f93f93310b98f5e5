// The fast path must agree with curl_url() on every URL it accepts (DESIGN.md, performance).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "httpstate/url/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fast = httpstate::url::parse(text);
  auto slow = httpstate::url::parse_with_curl(text);
  if (fast.ok() != slow.ok()) std::abort();
  if (fast.ok() && (fast->scheme != slow->scheme || fast->host != slow->host || fast->path != slow->path ||
                    fast->host_kind != slow->host_kind)) {
    std::abort();
  }
  return 0;
}
