#include "httpstate/server/session.hpp"

#include "json_depth.hpp"

namespace httpstate::server {

void Session::parse() const {
  if (data_) return;
  if (!stored_ && raw_.empty()) {
    data_ = nlohmann::json::object();
    return;
  }
  nlohmann::json j;
  if (raw_.size() <= max_record_data_bytes && detail::json_depth_within(raw_, max_record_json_depth))
    j = nlohmann::json::parse(raw_, nullptr, false);
  if (j.is_object()) {
    data_ = std::move(j);
    return;
  }
  // Garbage under our key: the caller gets a fresh session and commit replaces the record.
  data_ = nlohmann::json::object();
  corrupt_ = true;
  if (on_event_ && *on_event_) (*on_event_)({SessionEvent::refused, handle(), "record is not a JSON object"});
}

nlohmann::json& Session::data() {
  parse();
  written_ = true;
  return *data_;
}

const nlohmann::json& Session::data() const {
  parse();
  return *data_;
}

}  // namespace httpstate::server
