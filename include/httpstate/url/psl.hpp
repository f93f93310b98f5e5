#pragma once
// Public suffixes and registrable domains through libpsl, behind bounded caches (a small one
// per thread, then one shared): libpsl costs ~1.2 us a call and the jar needs the registrable
// domain on every store.
#include <optional>
#include <string>
#include <string_view>

namespace httpstate::url {

// "www.example.co.uk" -> "example.co.uk". For a host that is itself a public suffix, or an
// IP literal, the host itself (so that it still indexes a site of its own).
std::string registrable_domain(std::string_view host);

// The same answer as a view into `host` (the registrable domain is always a suffix of the
// host), so that a cache hit costs no allocation; the jar's store uses it.
std::string_view registrable_domain_view(std::string_view host);

// True when `domain` (canonical, no leading dot) is a public suffix, e.g. "co.uk", "github.io".
bool is_public_suffix(std::string_view domain);

}  // namespace httpstate::url
