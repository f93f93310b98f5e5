#pragma once
// JSON spelled exactly as Python's json.dumps spells it, for byte-identical tokens: nlohmann
// writes floats differently (1e15 as 1e+15, and not always Python's rounding).
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace httpstate::codec::detail {

// float.__repr__: the shortest round-tripping digits (std::to_chars is shortest and correctly
// rounded, like Python's dtoa mode 0), exponent form when decpt <= -4 or decpt > 16.
inline void append_python_float(std::string& out, double d) {
  if (std::isnan(d)) { out += "NaN"; return; }
  if (std::isinf(d)) { out += d < 0 ? "-Infinity" : "Infinity"; return; }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));  // "-1.2345e+01"
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const auto e_at = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_at))
    if (c != '.') digits += c;
  const int exp10 = std::atoi(std::string(sci.substr(e_at + 1)).c_str());
  const int decpt = exp10 + 1;  // digits are 0.d1d2... x 10^decpt
  const int n = static_cast<int>(digits.size());
  if (decpt <= -4 || decpt > 16) {
    out += digits[0];
    if (n > 1) out.append(".").append(digits, 1);
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
    out += e;
  } else if (decpt <= 0) {
    out.append("0.").append(static_cast<std::size_t>(-decpt), '0').append(digits);
  } else if (decpt >= n) {
    out.append(digits).append(static_cast<std::size_t>(decpt - n), '0').append(".0");
  } else {
    out.append(digits, 0, static_cast<std::size_t>(decpt)).append(".").append(digits, static_cast<std::size_t>(decpt));
  }
}

// json.dumps(value, separators=compact ? (",", ":") : (", ", ": "), ensure_ascii=ascii), keys in
// the container's order (sorted for nlohmann::json, insertion order for ordered_json).
template <class Json>
void append_python_json(std::string& out, const Json& j, bool compact, bool ascii) {
  const char* item_sep = compact ? "," : ", ";
  const char* key_sep = compact ? ":" : ": ";
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : j.items()) {
        if (!first) out += item_sep;
        first = false;
        out += Json(k).dump(-1, ' ', ascii);
        out += key_sep;
        append_python_json(out, v, compact, ascii);
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j) {
        if (!first) out += item_sep;
        first = false;
        append_python_json(out, v, compact, ascii);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::number_float:
      append_python_float(out, j.template get<double>());
      return;
    default:
      out += j.dump(-1, ' ', ascii);
  }
}

}  // namespace httpstate::codec::detail
