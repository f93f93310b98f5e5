#pragma once
// HTTP header fields in order, names compared case-insensitively (RFC 9110 §5.1), as requests'
// CaseInsensitiveDict but keeping repeated fields (Set-Cookie) as they came.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httpstate::client {

// ASCII case-insensitive equality, for header names.
bool iequals(std::string_view a, std::string_view b) noexcept;

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields);

  // Replaces every field of that name (appends when none).
  void set(std::string_view name, std::string_view value);
  void add(std::string_view name, std::string_view value);
  // The first field of that name.
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  std::size_t erase(std::string_view name);
  // obs-fold (RFC 9112 §5.2): a continuation line joins the last field's value.
  void append_to_last(std::string_view more);
  void clear() noexcept { fields_.clear(); }

  std::size_t size() const noexcept { return fields_.size(); }
  bool empty() const noexcept { return fields_.empty(); }
  auto begin() const noexcept { return fields_.begin(); }
  auto end() const noexcept { return fields_.end(); }
  const std::vector<Field>& fields() const noexcept { return fields_; }

 private:
  std::vector<Field> fields_;
};

}  // namespace httpstate::client
