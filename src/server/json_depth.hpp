#pragma once
// Bounds on a store record's data before it is parsed, so a record we did not write cannot make
// the recursive dump() run deep or the parse run long.
#include <cstddef>
#include <string_view>

#include "../codec/json_depth.hpp"

namespace httpstate::server {

inline constexpr std::size_t max_record_data_bytes = 1024 * 1024;
inline constexpr std::size_t max_record_json_depth = 512;  // the codec layer's max_json_depth

namespace detail {

// The codec layer's depth count (server sits above codec, so it reuses it).
using codec::detail::json_depth_within;

}  // namespace detail
}  // namespace httpstate::server
