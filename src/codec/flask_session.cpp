#include "httpstate/codec/flask_session.hpp"

#include <chrono>
#include <cstdio>

#include "httpstate/codec/base64.hpp"
#include "json_depth.hpp"
#include "python_json.hpp"

namespace httpstate::codec::flask {
namespace {

using nlohmann::json;

constexpr std::string_view tags[] = {" di", " t", " b", " m", " u", " d"};

bool is_tag(std::string_view key) {
  for (auto t : tags)
    if (key == t) return true;
  return false;
}

json tagged(std::string_view tag, json inner) {
  json o = json::object();
  o[std::string(tag)] = std::move(inner);
  return o;
}

std::string uuid_hex(const Value::Uuid& u) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (auto b : u.bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

// Python's UUID(): 32 hex digits, optionally braced, "urn:uuid:"-prefixed, with hyphens.
std::optional<Value::Uuid> parse_uuid(std::string_view s) {
  if (s.starts_with("urn:")) s.remove_prefix(4);
  if (s.starts_with("uuid:")) s.remove_prefix(5);
  if (s.starts_with('{') && s.ends_with('}') && s.size() >= 2) s = s.substr(1, s.size() - 2);
  Value::Uuid u;
  std::size_t n = 0;
  for (char c : s) {
    if (c == '-') continue;
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else return std::nullopt;
    if (n >= 32) return std::nullopt;
    u.bytes[n / 2] = static_cast<std::uint8_t>(n % 2 ? (u.bytes[n / 2] | v) : (v << 4));
    ++n;
  }
  if (n != 32) return std::nullopt;
  return u;
}

constexpr const char* day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

Failure<Rejection> bad_payload() { return fail(Rejection{Reason::bad_payload}); }

}  // namespace

json to_tagged_json(const Value& value) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Value::List>) {
          json a = json::array();
          for (const auto& e : x) a.push_back(to_tagged_json(e));
          return a;
        } else if constexpr (std::is_same_v<T, Value::Dict>) {
          // TagDict: a one-key dict whose key is a tag would read back as that tag.
          if (x.size() == 1 && is_tag(x.begin()->first)) {
            json inner = json::object();
            inner[x.begin()->first + "__"] = to_tagged_json(x.begin()->second);
            return tagged(" di", std::move(inner));
          }
          json o = json::object();
          for (const auto& [k, v] : x) o[k] = to_tagged_json(v);
          return o;
        } else if constexpr (std::is_same_v<T, Value::Tuple>) {
          json a = json::array();
          for (const auto& e : x.items) a.push_back(to_tagged_json(e));
          return tagged(" t", std::move(a));
        } else if constexpr (std::is_same_v<T, Value::Bytes>) {
          return tagged(" b", base64_encode(x.data, Base64::standard));
        } else if constexpr (std::is_same_v<T, Value::Markup>) {
          return tagged(" m", x.html);
        } else if constexpr (std::is_same_v<T, Value::Uuid>) {
          return tagged(" u", uuid_hex(x));
        } else if constexpr (std::is_same_v<T, Value::DateTime>) {
          return tagged(" d", http_date(x.unix_seconds));
        } else {
          return json(x);
        }
      },
      value.v);
}

// json.loads(..., object_hook=untag): children are untagged before their parent is looked at.
Result<Value, Rejection> from_tagged_json(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return Value(nullptr);
    case json::value_t::boolean: return Value(j.get<bool>());
    case json::value_t::number_integer: return Value(j.get<std::int64_t>());
    case json::value_t::number_unsigned: {
      const auto u = j.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) return bad_payload();  // Python ints beyond 64 bits
      return Value(static_cast<std::int64_t>(u));
    }
    case json::value_t::number_float: return Value(j.get<double>());
    case json::value_t::string: return Value(j.get<std::string>());
    case json::value_t::array: {
      Value::List list;
      list.reserve(j.size());
      for (const auto& e : j) {
        auto v = from_tagged_json(e);
        if (!v) return v;
        list.push_back(std::move(*v));
      }
      return Value(std::move(list));
    }
    case json::value_t::object: break;
    default: return bad_payload();
  }
  Value::Dict dict;
  for (const auto& [k, e] : j.items()) {
    auto v = from_tagged_json(e);
    if (!v) return v;
    dict.emplace(k, std::move(*v));
  }
  if (dict.size() != 1 || !is_tag(dict.begin()->first)) return Value(std::move(dict));
  const std::string& tag = dict.begin()->first;
  Value& inner = dict.begin()->second;
  if (tag == " t") {
    auto* list = std::get_if<Value::List>(&inner.v);
    if (!list) return bad_payload();
    return Value(Value::Tuple{std::move(*list)});
  }
  if (tag == " di") {
    auto* d = std::get_if<Value::Dict>(&inner.v);
    if (!d || d->size() != 1 || d->begin()->first.size() < 2) return bad_payload();
    Value::Dict out;
    const auto& key = d->begin()->first;
    out.emplace(key.substr(0, key.size() - 2), std::move(d->begin()->second));
    return Value(std::move(out));
  }
  auto* s = std::get_if<std::string>(&inner.v);
  if (!s) return bad_payload();
  if (tag == " m") return Value(Value::Markup{std::move(*s)});
  if (tag == " b") {
    auto bytes = base64_decode(*s, Base64::standard);
    if (!bytes) return bad_payload();
    return Value(Value::Bytes{std::move(*bytes)});
  }
  if (tag == " u") {
    auto u = parse_uuid(*s);
    if (!u) return bad_payload();
    return Value(*u);
  }
  auto t = parse_http_date(*s);  // " d"
  if (!t) return bad_payload();
  return Value(Value::DateTime{*t});
}

std::string dump_tagged(const Value& value) {
  // Flask's app JSON provider inside a request: compact, sort_keys, ensure_ascii.
  std::string out;
  detail::append_python_json(out, to_tagged_json(value), true, true);
  return out;
}

Result<Value, Rejection> load_tagged(std::string_view text) {
  if (!detail::json_depth_within(text, max_json_depth)) return bad_payload();
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return bad_payload();
  return from_tagged_json(j);
}

std::string http_date(std::int64_t t) {
  using namespace std::chrono;
  const sys_seconds tp{seconds{t}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                day_names[weekday{day}.c_encoding()], unsigned(ymd.day()),
                month_names[unsigned(ymd.month()) - 1], int(ymd.year()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

std::optional<std::int64_t> parse_http_date(std::string_view s) {
  using namespace std::chrono;
  // "Tue, 14 Nov 2023 22:13:20 GMT": fixed width (RFC 9110 §5.6.7 IMF-fixdate).
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) -> int {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int month = 0;
  for (int i = 0; i < 12; ++i)
    if (s.substr(8, 3) == month_names[i]) month = i + 1;
  const int d = num(5, 2), y = num(12, 4), hh = num(17, 2), mm = num(20, 2), ss = num(23, 2);
  if (!month || d < 0 || y < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
    return std::nullopt;
  const year_month_day ymd{year{y}, std::chrono::month{unsigned(month)}, day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  const auto tp = sys_days{ymd} + hours{hh} + minutes{mm} + seconds{ss};
  return tp.time_since_epoch().count();
}

bool is_permanent(const Session& session) {
  const auto it = session.find("_permanent");
  return it != session.end() && it->second == Value(true);
}

SessionCodec::SessionCodec(std::string secret_key, std::vector<std::string> fallbacks,
                           CookieOptions options, ShortSecrets short_secrets)
    : options_(std::move(options)),
      signer_(
          [&] {
            // itsdangerous signs with the last key: fallbacks first, SECRET_KEY last (Flask 3.1.1).
            fallbacks.push_back(std::move(secret_key));
            return std::move(fallbacks);
          }(),
          itsdangerous::SignerOptions{"cookie-session", ".", itsdangerous::KeyDerivation::hmac,
                                      Digest::sha1, short_secrets}) {}

std::string SessionCodec::encode(const Session& session, std::int64_t now) const {
  return signer_.sign(itsdangerous::encode_payload(dump_tagged(Value(session))), now);
}

namespace {

Result<Decoded, Rejection> untag_session(std::string_view payload, std::int64_t timestamp) {
  auto json_text = itsdangerous::decode_payload(payload);
  if (!json_text) return fail(json_text.error());
  auto v = load_tagged(*json_text);
  if (!v) return fail(v.error());
  auto* dict = std::get_if<Value::Dict>(&v->v);
  if (!dict) return bad_payload();
  return Decoded{std::move(*dict), timestamp};
}

}  // namespace

Result<Decoded, Rejection> SessionCodec::decode(std::string_view cookie_value, std::int64_t now) const {
  auto r = signer_.unsign(cookie_value, options_.permanent_lifetime, now);
  if (!r) return fail(r.error());
  return untag_session(r->value, r->timestamp);
}

Result<Decoded, Rejection> decode_unverified(std::string_view cookie_value) {
  if (cookie_value.size() > max_token_size) return fail(Rejection{Reason::too_large});
  const auto sig_at = cookie_value.rfind('.');
  if (sig_at == std::string_view::npos) return fail(Rejection{Reason::malformed});
  const auto rest = cookie_value.substr(0, sig_at);
  const auto ts_at = rest.rfind('.');
  if (ts_at == std::string_view::npos) return fail(Rejection{Reason::timestamp_missing});
  const auto ts = itsdangerous::parse_timestamp(rest.substr(ts_at + 1));
  if (!ts) return fail(Rejection{Reason::bad_timestamp});
  return untag_session(rest.substr(0, ts_at), *ts);
}

std::string SessionCodec::set_cookie(const Session& session, std::int64_t now) const {
  // Werkzeug's dump_cookie attribute order: Domain, Expires, Max-Age, Secure, HttpOnly, Path, SameSite.
  std::string out = options_.name + "=";
  std::string expires;
  bool deleting = session.empty();
  if (deleting) {
    expires = "Thu, 01 Jan 1970 00:00:00 GMT";
  } else {
    out += encode(session, now);
    if (is_permanent(session)) expires = http_date(now + options_.permanent_lifetime);
  }
  if (!options_.domain.empty()) out += "; Domain=" + options_.domain;
  if (!expires.empty()) out += "; Expires=" + expires;
  if (deleting) out += "; Max-Age=0";
  if (options_.secure) out += "; Secure";
  if (options_.http_only) out += "; HttpOnly";
  if (!options_.path.empty()) out += "; Path=" + options_.path;
  if (!options_.same_site.empty()) out += "; SameSite=" + options_.same_site;
  return out;
}

}  // namespace httpstate::codec::flask
