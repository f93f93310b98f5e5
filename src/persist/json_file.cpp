#include "httpstate/persist/json_file.hpp"

#include <algorithm>
#include <array>
#include <climits>
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
constexpr double exact_micros_below = 4294967296.0;

// One scalar of a cookie entry, as the SAX parser saw it; `nested` for an object or array.
struct Scalar {
  enum class Kind : std::uint8_t { absent, null, boolean, integer, unsigned_integer, floating, string, nested };
  Kind kind = Kind::absent;
  bool b = false;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
  std::string s;
};

std::optional<Time> time_of(const Scalar& j) {
  constexpr auto max = static_cast<std::int64_t>(max_seconds);
  switch (j.kind) {
    case Scalar::Kind::integer: return from_unix_seconds(std::clamp<std::int64_t>(j.i, -max, max));
    case Scalar::Kind::unsigned_integer:
      return from_unix_seconds(j.u > static_cast<std::uint64_t>(max) ? max : static_cast<std::int64_t>(j.u));
    case Scalar::Kind::floating: {
      if (!std::isfinite(j.d)) return std::nullopt;
      const double d = std::clamp(j.d, -max_seconds, max_seconds);
      // Below 2^32 s (year 2106) a double's error stays under half a microsecond through a
      // save and a load; beyond it the fraction would drift, so only whole seconds are kept.
      if (std::abs(d) >= exact_micros_below) return from_unix_seconds(std::llround(d));
      return Time{std::chrono::microseconds{std::llround(d * 1e6)}};
    }
    default: return std::nullopt;
  }
}

bool valid_utf8(std::string_view s) {
  // Nearly every cookie is ASCII: one branch-free pass that vectorises settles it.
  unsigned high = 0;
  for (char ch : s) high |= static_cast<unsigned char>(ch);
  if (high < 0x80) return true;
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

std::optional<SameSite> same_site_of(const Scalar& j) {
  if (j.kind == Scalar::Kind::null) return SameSite::unset;
  if (j.kind != Scalar::Kind::string) return std::nullopt;
  if (j.s == "None") return SameSite::none;
  if (j.s == "Lax") return SameSite::lax;
  if (j.s == "Strict") return SameSite::strict;
  return std::nullopt;
}

// The keys of a cookie entry (docs/jar-files.md); any other key is ignored.
enum Field : std::uint8_t { f_name, f_value, f_domain, f_path, f_host_only, f_secure, f_http_only,
                            f_partitioned, f_same_site, f_expires, f_creation, f_last_access,
                            f_encoding, field_count };
constexpr std::array<std::string_view, field_count> field_names = {
    "name", "value", "domain", "path", "host_only", "secure", "http_only", "partitioned",
    "same_site", "expires", "creation", "last_access", "encoding"};

using Entry = std::array<Scalar, field_count>;

std::optional<EntryError> read_entry(Entry& e, Time now, Cookie& c) {
  using K = Scalar::Kind;
  bool latin1 = false;
  if (const auto& enc = e[f_encoding]; enc.kind != K::absent) {
    if (enc.kind != K::string) return EntryError::wrong_type;
    if (enc.s == "latin1") latin1 = true;
    else if (enc.s != "utf-8") return EntryError::wrong_type;
  }
  for (auto [key, out] : {std::pair{f_name, &c.name}, {f_value, &c.value}, {f_domain, &c.domain},
                          {f_path, &c.path}}) {
    if (e[key].kind == K::absent) return EntryError::missing_field;
    if (e[key].kind != K::string) return EntryError::wrong_type;
    *out = std::move(e[key].s);
    if (latin1 && out != &c.domain) {
      auto bytes = utf8_to_latin1(*out);
      if (!bytes) return EntryError::bad_name_value;
      *out = std::move(*bytes);
    }
  }
  if (c.domain.starts_with('.')) c.domain.erase(0, 1);  // tolerate a cookies.txt habit
  if (!canonical_domain(c.domain)) return EntryError::bad_domain;
  for (auto [key, out] : {std::pair{f_host_only, &c.host_only}, {f_secure, &c.secure},
                          {f_http_only, &c.http_only}, {f_partitioned, &c.partitioned}}) {
    if (e[key].kind == K::absent) continue;
    if (e[key].kind != K::boolean) return EntryError::bad_flag;
    *out = e[key].b;
  }
  if (e[f_same_site].kind != K::absent) {
    auto ss = same_site_of(e[f_same_site]);
    if (!ss) return EntryError::bad_same_site;
    c.same_site = *ss;
  }
  if (e[f_expires].kind != K::absent && e[f_expires].kind != K::null) {
    c.expires = time_of(e[f_expires]);
    if (!c.expires) return EntryError::bad_expiry;
  }
  c.creation = now;
  if (e[f_creation].kind != K::absent) {
    auto t = time_of(e[f_creation]);
    if (!t) return EntryError::wrong_type;
    c.creation = *t;
  }
  c.last_access = c.creation;
  if (e[f_last_access].kind != K::absent) {
    auto t = time_of(e[f_last_access]);
    if (!t) return EntryError::wrong_type;
    c.last_access = *t;
  }
  return persist_detail::check_fields(c);
}

// nlohmann's SAX interface: cookies are built as the parser reads, with no document tree (a
// tree of 100k entries costs more to build and free than the parse itself).
class JarReader : public nlohmann::json_sax<json> {
 public:
  JarReader(const LoadOptions& opts, Time now) : opts_(opts), now_(now) {}

  bool null() override { return scalar([](Scalar& s) { s.kind = Scalar::Kind::null; }); }
  bool boolean(bool v) override {
    return scalar([v](Scalar& s) { s.kind = Scalar::Kind::boolean; s.b = v; });
  }
  bool number_integer(number_integer_t v) override {
    scalar([v](Scalar& s) { s.kind = Scalar::Kind::integer; s.i = v; });
    if (depth_ == 1 && top_key_ == "version") version_ = v;
    return true;
  }
  bool number_unsigned(number_unsigned_t v) override {
    scalar([v](Scalar& s) { s.kind = Scalar::Kind::unsigned_integer; s.u = v; });
    if (depth_ == 1 && top_key_ == "version")
      version_ = v > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(v);
    return true;
  }
  bool number_float(number_float_t v, const string_t&) override {
    return scalar([v](Scalar& s) { s.kind = Scalar::Kind::floating; s.d = v; });
  }
  bool string(string_t& v) override {
    const bool is_format = v == json_jar_format;
    scalar([&v](Scalar& s) { s.kind = Scalar::Kind::string; s.s = std::move(v); });
    if (depth_ == 1 && top_key_ == "format") format_ok_ = is_format;
    return true;
  }
  bool binary(binary_t&) override { return scalar([](Scalar& s) { s.kind = Scalar::Kind::nested; }); }

  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    if (depth_ == 1) {
      top_key_ = std::move(k);
    } else if (depth_ == 3 && in_cookies_) {
      field_ = field_count;
      for (std::size_t i = 0; i < field_names.size(); ++i)
        if (k == field_names[i]) field_ = static_cast<Field>(i);
    }
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    invalid_ = true;
    return false;
  }

  Result<LoadedCookies, JarFailure> finish() {
    if (invalid_) return fail(JarFailure{JarError::not_a_jar, "invalid JSON"});
    if (!top_is_object_) return fail(JarFailure{JarError::not_a_jar, "not a JSON object"});
    if (!format_ok_) return fail(JarFailure{JarError::not_a_jar, "\"format\" is not \"httpstate-cookie-jar\""});
    if (version_ < 1) return fail(JarFailure{JarError::not_a_jar, "\"version\" is not a positive integer"});
    if (version_ > json_jar_version)
      return fail(JarFailure{JarError::unsupported_version, "version " + std::to_string(version_)});
    if (!cookies_seen_) return fail(JarFailure{JarError::not_a_jar, "\"cookies\" is not an array"});
    if (opts_.strict && !out_.errors.empty())
      return fail(JarFailure{JarError::malformed_entry, "entry " + std::to_string(out_.errors[0].line) + ": " +
                                                            std::string(to_string(out_.errors[0].reason))});
    return std::move(out_);
  }

 private:
  // A top-level member is replaced by a later one of the same key, as in a document tree.
  void reset_member() {
    if (top_key_ == "format") format_ok_ = false;
    if (top_key_ == "version") version_ = 0;
    if (top_key_ == "cookies") cookies_seen_ = false;
  }

  // A value at depth 1 (top-level member), 2 (an entry of "cookies") or 3 (a field).
  template <class F>
  bool scalar(F set) {
    if (depth_ == 0) return true;  // a bare scalar document: top_is_object_ stays false
    if (depth_ == 1) reset_member();
    if (depth_ == 2 && in_cookies_) {
      ++index_;
      entry_done(EntryError::not_an_object);
    }
    if (depth_ == 3 && in_cookies_ && entry_is_object_ && field_ != field_count) set(entry_[field_]);
    return true;
  }

  bool open(bool object) {
    if (depth_ == 0) top_is_object_ = object;
    if (depth_ == 1) {
      reset_member();
      if (top_key_ == "cookies") {
        in_cookies_ = !object;
        cookies_seen_ = !object;
        if (!object) {  // a later "cookies" replaces an earlier one
          out_ = LoadedCookies{};
          index_ = 0;
        }
      }
    }
    if (depth_ == 2 && in_cookies_) {
      entry_is_object_ = object;
      entry_ = Entry{};
      ++index_;
    }
    if (depth_ == 3 && in_cookies_ && entry_is_object_ && field_ != field_count)
      entry_[field_].kind = Scalar::Kind::nested;
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (depth_ == 2 && in_cookies_) {
      if (!entry_is_object_) {
        entry_done(EntryError::not_an_object);
      } else {
        Cookie c;
        auto err = read_entry(entry_, now_, c);
        if (err) entry_done(*err);
        else if (persist_detail::keep_after_load(c, opts_, now_, out_)) out_.cookies.push_back(std::move(c));
      }
    }
    if (depth_ == 1 && in_cookies_) in_cookies_ = false;
    return true;
  }

  void entry_done(EntryError err) { out_.errors.push_back({index_, err}); }

  const LoadOptions& opts_;
  Time now_;
  LoadedCookies out_;
  std::size_t depth_ = 0;
  std::string top_key_;
  bool top_is_object_ = false;
  bool format_ok_ = false;
  std::int64_t version_ = 0;
  bool in_cookies_ = false;
  bool cookies_seen_ = false;
  bool entry_is_object_ = false;
  std::size_t index_ = 0;
  Field field_ = field_count;
  Entry entry_;
  bool invalid_ = false;
};

}  // namespace

Result<LoadedCookies, JarFailure> parse_json_jar(std::string_view text, const LoadOptions& opts) {
  JarReader reader(opts, persist_detail::now_or(opts));
  // No exceptions: a syntax error reaches JarReader::parse_error, which stops the parse.
  json::sax_parse(text.begin(), text.end(), &reader);
  return reader.finish();
}

std::string format_json_jar(std::span<const Cookie> cookies) {
  std::vector<const Cookie*> order;
  order.reserve(cookies.size());
  for (const auto& c : cookies) order.push_back(&c);
  if (!std::is_sorted(order.begin(), order.end(), persist_detail::file_order))
    std::sort(order.begin(), order.end(), persist_detail::file_order);
  // ordered_json: the keys in the documented order, so a diff of two jars reads well.
  using ojson = nlohmann::ordered_json;
  // The document is framed here and each cookie dumped on its own line: one small tree at a
  // time instead of one of the whole jar, and a diff of two jars shows whole cookies.
  std::string out = "{\n\t\"format\": " + ojson(json_jar_format).dump() +
                    ",\n\t\"version\": " + std::to_string(json_jar_version) + ",\n\t\"cookies\": [";
  std::size_t bytes = 0;
  for (const Cookie* c : order) bytes += c->name.size() + c->value.size() + c->domain.size() + c->path.size();
  out.reserve(out.size() + bytes + order.size() * 240 + 8);
  // One entry object, refilled per cookie: its keys and string buffers are allocated once
  // instead of a tree built and freed per cookie (which cost more than the dump itself).
  ojson entry = {{"name", ""},         {"value", ""},     {"domain", ""},    {"host_only", false},
                 {"path", ""},         {"secure", false}, {"http_only", false}, {"same_site", nullptr},
                 {"partitioned", false}, {"expires", nullptr}, {"creation", 0}, {"last_access", 0}};
  std::array<ojson*, 12> v{};
  {
    std::size_t i = 0;
    for (auto& [key, value] : entry.items()) v[i++] = &value;
  }
  // One serializer appending to `out` for the whole jar (what dump() builds per call).
  nlohmann::detail::serializer<ojson> writer(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
                                             ojson::error_handler_t::replace);
  auto set_text = [](ojson& j, std::string_view s) { j.get_ref<std::string&>().assign(s); };
  bool first = true;
  for (const Cookie* c : order) {
    out += first ? "\n\t\t" : ",\n\t\t";
    first = false;
    bool latin1 = !valid_utf8(c->name) || !valid_utf8(c->value) || !valid_utf8(c->path);
    if (latin1) {  // rare: a fresh object with the extra "encoding" key
      ojson e = entry;
      e["name"] = latin1_to_utf8(c->name);
      e["value"] = latin1_to_utf8(c->value);
      e["path"] = latin1_to_utf8(c->path);
      e["domain"] = c->domain;
      e["host_only"] = c->host_only;
      e["secure"] = c->secure;
      e["http_only"] = c->http_only;
      e["same_site"] = c->same_site == SameSite::unset ? ojson(nullptr) : ojson(to_string(c->same_site));
      e["partitioned"] = c->partitioned;
      e["expires"] = c->expires ? seconds_of<ojson>(*c->expires) : ojson(nullptr);
      e["creation"] = seconds_of<ojson>(c->creation);
      e["last_access"] = seconds_of<ojson>(c->last_access);
      e["encoding"] = "latin1";
      writer.dump(e, false, false, 0);
      continue;
    }
    set_text(*v[0], c->name);
    set_text(*v[1], c->value);
    set_text(*v[2], c->domain);
    *v[3] = c->host_only;
    set_text(*v[4], c->path);
    *v[5] = c->secure;
    *v[6] = c->http_only;
    if (c->same_site == SameSite::unset) *v[7] = nullptr;
    else if (v[7]->is_string()) set_text(*v[7], to_string(c->same_site));
    else *v[7] = std::string(to_string(c->same_site));
    *v[8] = c->partitioned;
    *v[9] = c->expires ? seconds_of<ojson>(*c->expires) : ojson(nullptr);
    *v[10] = seconds_of<ojson>(c->creation);
    *v[11] = seconds_of<ojson>(c->last_access);
    // Domains are checked ASCII on load; replace keeps a hand-made bad domain from throwing.
    writer.dump(entry, false, false, 0);
  }
  out += first ? "]\n}\n" : "\n\t]\n}\n";
  return out;
}

}  // namespace httpstate
