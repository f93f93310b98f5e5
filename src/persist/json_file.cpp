#include "httpstate/persist/json_file.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "entry_check.hpp"

namespace httpstate {
namespace {

using nlohmann::json;
using persist_detail::canonical_domain;

// Seconds since the epoch as a JSON number: an integer when whole, else with the microseconds
// as a fraction (a double holds them exactly enough to round back, see docs/jar-files.md).
template <class J>
J seconds_of(Time t) {
  auto us = t.time_since_epoch().count();
  if (us % 1'000'000 == 0) return us / 1'000'000;
  return static_cast<double>(us) / 1e6;
}

// Year 9999, as the Netscape loader caps it: Time holds far more, a cookie needs less.
constexpr double max_seconds = 253402300799.0;

std::optional<Time> time_of(const json& j) {
  double s = 0;
  if (j.is_number_integer()) {
    auto i = j.get<std::int64_t>();
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(max_seconds))
      i = static_cast<std::int64_t>(max_seconds);
    return from_unix_seconds(std::clamp<std::int64_t>(i, -static_cast<std::int64_t>(max_seconds),
                                                     static_cast<std::int64_t>(max_seconds)));
  }
  if (!j.is_number_float()) return std::nullopt;
  s = j.get<double>();
  if (!std::isfinite(s)) return std::nullopt;
  s = std::clamp(s, -max_seconds, max_seconds);
  return Time{std::chrono::microseconds{std::llround(s * 1e6)}};
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 0;
    if (n == 0 || i + n >= s.size()) return false;
    std::uint32_t cp = c & (0x3f >> n);
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 (RFC 3629 §3).
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
      return false;
    i += n + 1;
  }
  return true;
}

// Bytes that are not UTF-8 travel as Latin-1 code points ("encoding": "latin1"): lossless,
// and Python gets the bytes back with .encode("latin-1").
std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

std::optional<std::string> utf8_to_latin1(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += s[i];
    } else if ((c == 0xc2 || c == 0xc3) && i + 1 < s.size()) {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(s[++i]) & 0x3f));
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<SameSite> same_site_of(const json& j) {
  if (j.is_null()) return SameSite::unset;
  if (!j.is_string()) return std::nullopt;
  const auto& s = j.get_ref<const std::string&>();
  if (s == "None") return SameSite::none;
  if (s == "Lax") return SameSite::lax;
  if (s == "Strict") return SameSite::strict;
  return std::nullopt;
}

std::optional<EntryError> read_entry(const json& e, Time now, Cookie& c) {
  if (!e.is_object()) return EntryError::not_an_object;
  bool latin1 = false;
  if (auto it = e.find("encoding"); it != e.end()) {
    if (!it->is_string()) return EntryError::wrong_type;
    if (it->get_ref<const std::string&>() == "latin1") latin1 = true;
    else if (it->get_ref<const std::string&>() != "utf-8") return EntryError::wrong_type;
  }
  for (auto [key, out] : {std::pair{"name", &c.name}, {"value", &c.value}, {"domain", &c.domain},
                          {"path", &c.path}}) {
    auto it = e.find(key);
    if (it == e.end()) return EntryError::missing_field;
    if (!it->is_string()) return EntryError::wrong_type;
    *out = it->get<std::string>();
    if (latin1 && out != &c.domain) {
      auto bytes = utf8_to_latin1(*out);
      if (!bytes) return EntryError::bad_name_value;
      *out = std::move(*bytes);
    }
  }
  if (c.domain.starts_with('.')) c.domain.erase(0, 1);  // tolerate a cookies.txt habit
  if (!canonical_domain(c.domain)) return EntryError::bad_domain;
  for (auto [key, out] : {std::pair{"host_only", &c.host_only}, {"secure", &c.secure},
                          {"http_only", &c.http_only}, {"partitioned", &c.partitioned}}) {
    auto it = e.find(key);
    if (it == e.end()) continue;
    if (!it->is_boolean()) return EntryError::bad_flag;
    *out = it->get<bool>();
  }
  if (auto it = e.find("same_site"); it != e.end()) {
    auto ss = same_site_of(*it);
    if (!ss) return EntryError::bad_same_site;
    c.same_site = *ss;
  }
  if (auto it = e.find("expires"); it != e.end() && !it->is_null()) {
    c.expires = time_of(*it);
    if (!c.expires) return EntryError::bad_expiry;
  }
  c.creation = now;
  if (auto it = e.find("creation"); it != e.end()) {
    auto t = time_of(*it);
    if (!t) return EntryError::wrong_type;
    c.creation = *t;
  }
  c.last_access = c.creation;
  if (auto it = e.find("last_access"); it != e.end()) {
    auto t = time_of(*it);
    if (!t) return EntryError::wrong_type;
    c.last_access = *t;
  }
  return persist_detail::check_fields(c);
}

}  // namespace

Result<LoadedCookies, JarFailure> parse_json_jar(std::string_view text, const LoadOptions& opts) {
  // No exceptions: a parse error comes back as a discarded value.
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail(JarFailure{JarError::not_a_jar, "invalid JSON"});
  if (!doc.is_object()) return fail(JarFailure{JarError::not_a_jar, "not a JSON object"});
  auto fmt = doc.find("format");
  if (fmt == doc.end() || !fmt->is_string() || fmt->get_ref<const std::string&>() != json_jar_format)
    return fail(JarFailure{JarError::not_a_jar, "\"format\" is not \"httpstate-cookie-jar\""});
  auto ver = doc.find("version");
  if (ver == doc.end() || !ver->is_number_integer() || ver->get<std::int64_t>() < 1)
    return fail(JarFailure{JarError::not_a_jar, "\"version\" is not a positive integer"});
  if (ver->get<std::int64_t>() > json_jar_version)
    return fail(JarFailure{JarError::unsupported_version,
                           "version " + std::to_string(ver->get<std::int64_t>())});
  auto list = doc.find("cookies");
  if (list == doc.end() || !list->is_array())
    return fail(JarFailure{JarError::not_a_jar, "\"cookies\" is not an array"});

  const Time now = persist_detail::now_or(opts);
  LoadedCookies out;
  out.cookies.reserve(list->size());
  std::size_t index = 0;
  for (const auto& e : *list) {
    ++index;
    Cookie c;
    if (auto err = read_entry(e, now, c)) {
      if (opts.strict)
        return fail(JarFailure{JarError::malformed_entry,
                               "entry " + std::to_string(index) + ": " + std::string(to_string(*err))});
      out.errors.push_back({index, *err});
      continue;
    }
    if (persist_detail::keep_after_load(c, opts, now, out)) out.cookies.push_back(std::move(c));
  }
  return out;
}

std::string format_json_jar(std::span<const Cookie> cookies) {
  std::vector<const Cookie*> order;
  order.reserve(cookies.size());
  for (const auto& c : cookies) order.push_back(&c);
  std::sort(order.begin(), order.end(), persist_detail::file_order);
  // ordered_json: the keys in the documented order, so a diff of two jars reads well.
  using ojson = nlohmann::ordered_json;
  ojson list = ojson::array();
  for (const Cookie* c : order) {
    bool latin1 = !valid_utf8(c->name) || !valid_utf8(c->value) || !valid_utf8(c->path);
    auto text = [latin1](const std::string& s) { return latin1 ? latin1_to_utf8(s) : s; };
    ojson e = {
        {"name", text(c->name)},
        {"value", text(c->value)},
        {"domain", c->domain},
        {"host_only", c->host_only},
        {"path", text(c->path)},
        {"secure", c->secure},
        {"http_only", c->http_only},
        {"same_site", c->same_site == SameSite::unset ? ojson(nullptr) : ojson(to_string(c->same_site))},
        {"partitioned", c->partitioned},
        {"expires", c->expires ? seconds_of<ojson>(*c->expires) : ojson(nullptr)},
        {"creation", seconds_of<ojson>(c->creation)},
        {"last_access", seconds_of<ojson>(c->last_access)},
    };
    if (latin1) e["encoding"] = "latin1";
    list.push_back(std::move(e));
  }
  ojson doc = {{"format", json_jar_format}, {"version", json_jar_version}, {"cookies", std::move(list)}};
  // Domains are checked ASCII on load; replace keeps a hand-made bad domain from throwing.
  return doc.dump(1, '\t', false, ojson::error_handler_t::replace) + '\n';
}

}  // namespace httpstate
