#pragma once
// Loading tests/data (the vendored conformance data) and naming its cases for GoogleTest.
#include <cctype>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace httpstate::test {

inline nlohmann::json load_test_json(const std::string& relative) {
  std::ifstream in(std::string(HTTPSTATE_TEST_DATA_DIR) + "/" + relative);
  if (!in) return nlohmann::json::array();  // the suite then fails on its case count
  auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? nlohmann::json::array() : j;
}

// GoogleTest names allow only [A-Za-z0-9_], and a leading DISABLED_ (as in the IETF suite's
// DISABLED_CHROMIUM0022) would silently skip the case: prefix every name.
inline std::string test_name(std::string s) {
  s = "case_" + s;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

}  // namespace httpstate::test
