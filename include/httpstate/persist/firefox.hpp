#pragma once
// Import from Firefox's cookies.sqlite (table moz_cookies), read-only. Host "." prefix marks a
// Domain cookie; expiry in seconds (milliseconds in newer schemas), times in microseconds.
// Cookies of containers and other origin attributes are left out (dropped_foreign); those with
// only a partitionKey come in as partitioned.
#include <filesystem>

#include "httpstate/persist/jar_error.hpp"
#include "httpstate/persist/load_options.hpp"
#include "httpstate/result.hpp"

namespace httpstate {

// Firefox locks a profile it is running with: copy cookies.sqlite (and -wal) first.
Result<LoadedCookies, JarFailure> load_firefox_cookies(const std::filesystem::path& path,
                                                       const LoadOptions& opts = {});

}  // namespace httpstate
