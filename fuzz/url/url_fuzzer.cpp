// The fast paths must agree with curl_url() on every URL they accept (DESIGN.md, performance):
// parse (fast path, else curl), parse_into (the same, reusing a Url) and parse_view (views).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "httpstate/url/url.hpp"

namespace {

template <class A, class B>
bool same(const A& a, const B& b) {
  return a.scheme == b.scheme && a.host == b.host && a.path == b.path && a.host_kind == b.host_kind;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fast = httpstate::url::parse(text);
  auto slow = httpstate::url::parse_with_curl(text);
  if (fast.ok() != slow.ok()) std::abort();
  if (fast.ok() && !same(*fast, *slow)) std::abort();

  // Reused storage must not leak a previous answer into this one.
  static httpstate::url::Url reused;
  auto err = httpstate::url::parse_into(text, reused);
  if (err.has_value() == fast.ok()) std::abort();
  if (!err && !same(reused, *fast)) std::abort();

  httpstate::url::UrlView view;
  if (httpstate::url::parse_view(text, view) && (!fast.ok() || !same(view, *fast))) std::abort();
  return 0;
}
