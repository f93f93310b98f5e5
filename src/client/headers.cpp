#include "httpstate/client/headers.hpp"

#include <algorithm>

namespace httpstate::client {

namespace {
char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

Headers::Headers(std::initializer_list<Field> fields) {
  for (const auto& f : fields) set(f.first, f.second);
}

void Headers::set(std::string_view name, std::string_view value) {
  auto it = std::find_if(fields_.begin(), fields_.end(), [&](const Field& f) { return iequals(f.first, name); });
  if (it == fields_.end()) {
    fields_.emplace_back(std::string(name), std::string(value));
    return;
  }
  it->second.assign(value);
  // Drop later fields of the same name, keeping the first's position.
  fields_.erase(std::remove_if(it + 1, fields_.end(), [&](const Field& f) { return iequals(f.first, name); }),
                fields_.end());
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& f : fields_)
    if (iequals(f.first, name)) return std::string_view(f.second);
  return std::nullopt;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& f : fields_)
    if (iequals(f.first, name)) out.emplace_back(f.second);
  return out;
}

std::size_t Headers::erase(std::string_view name) {
  const auto n = fields_.size();
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(), [&](const Field& f) { return iequals(f.first, name); }),
                fields_.end());
  return n - fields_.size();
}

void Headers::append_to_last(std::string_view more) {
  if (fields_.empty()) return;
  fields_.back().second.append(" ").append(more);
}

}  // namespace httpstate::client
