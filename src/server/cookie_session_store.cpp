#include "httpstate/server/cookie_session_store.hpp"

#include <nlohmann/json.hpp>

#include <optional>

#include "httpstate/codec/encrypted.hpp"
#include "httpstate/codec/flask_session.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/error.hpp"
#include "json_depth.hpp"

namespace httpstate::server {
namespace {

namespace flask = codec::flask;

// Our fields inside a Flask session: Flask keeps unknown keys as they are, so a session that a
// Flask app rewrote still says when it began and how long it lives after each signing.
constexpr const char* created_key = "_created";  // Unix ms
constexpr const char* ttl_key = "_ttl";          // ms after the signing time
constexpr std::string_view sealed_name = "httpstate-session";  // the AAD of encrypted records

std::optional<nlohmann::json> parse_object(std::string_view text) {
  if (text.size() > max_record_data_bytes || !detail::json_depth_within(text, max_record_json_depth)) return std::nullopt;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

}  // namespace

struct CookieSessionStore::Impl {
  CookieFormat format;
  std::optional<flask::SessionCodec> flask;
  std::optional<codec::EncryptedCodec> sealed;
};

CookieSessionStore::CookieSessionStore(CookieSessionOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.secrets.empty()) throw httpstate::error("cookie session store: no secret");
  impl_->format = options.format;
  if (options.format == CookieFormat::flask) {
    std::vector<std::string> fallbacks(options.secrets.begin(), options.secrets.end() - 1);
    impl_->flask.emplace(options.secrets.back(), std::move(fallbacks));
  } else {
    std::vector<codec::EncryptionKey> keys;
    for (std::size_t i = 0; i < options.secrets.size(); ++i)
      keys.push_back({static_cast<std::uint8_t>(i + 1), options.secrets[i]});
    impl_->sealed.emplace(std::move(keys), "session");
  }
}

CookieSessionStore::~CookieSessionStore() = default;

std::string CookieSessionStore::seal(const SessionRecord& r, std::int64_t now) const {
  std::string value;
  if (impl_->flask) {
    auto j = parse_object(r.data);
    if (!j) throw httpstate::error("cookie session store: the session data is not a JSON object");
    auto v = flask::from_tagged_json(*j);
    if (!v || !std::holds_alternative<flask::Value::Dict>(v->v))
      throw httpstate::error("cookie session store: the session data has no Flask form");
    auto session = std::get<flask::Value::Dict>(std::move(v->v));
    session[created_key] = flask::Value(std::int64_t{r.created});
    session[ttl_key] = flask::Value(std::int64_t{r.expires - now});
    value = impl_->flask->encode(session, now / 1000);
  } else {
    std::string payload = R"({"v":)" + std::to_string(r.version) + R"(,"c":)" + std::to_string(r.created) +
                          R"(,"e":)" + std::to_string(r.expires) + R"(,"d":)" + r.data + "}";
    // The expiry travels inside the sealed payload, where the manager checks (and logs) it.
    value = impl_->sealed->seal(sealed_name, payload);
  }
  if (value.size() + 64 > limits::max_name_value_bytes)
    throw httpstate::error("cookie session store: the session is too large for a cookie (RFC 6265bis §5.6: 4096 bytes)");
  return value;
}

std::optional<SessionRecord> CookieSessionStore::open(std::string_view value, std::int64_t now) const {
  try {
    SessionRecord r;
    if (impl_->flask) {
      auto d = impl_->flask->decode(value, now / 1000);
      if (!d) return std::nullopt;
      auto& s = d->session;
      const auto ms = d->timestamp * 1000;
      std::int64_t ttl = impl_->flask->options().permanent_lifetime * 1000;  // Flask's own rule
      r.created = ms;
      if (auto it = s.find(created_key); it != s.end()) {
        if (auto* c = std::get_if<std::int64_t>(&it->second.v)) r.created = *c;
        s.erase(it);
      }
      if (auto it = s.find(ttl_key); it != s.end()) {
        if (auto* t = std::get_if<std::int64_t>(&it->second.v)) ttl = *t;
        s.erase(it);
      }
      r.version = 1;
      r.expires = ms + ttl;
      r.data = flask::to_tagged_json(flask::Value(std::move(s))).dump();
      return r;
    }
    auto o = impl_->sealed->open(sealed_name, value, now / 1000);
    if (!o) return std::nullopt;
    auto j = parse_object(o->value);
    if (!j || !(*j)["v"].is_number_unsigned() || !(*j)["c"].is_number_integer() || !(*j)["e"].is_number_integer() ||
        !(*j)["d"].is_object())
      return std::nullopt;
    r.version = (*j)["v"].get<std::uint64_t>();
    r.created = (*j)["c"].get<std::int64_t>();
    r.expires = (*j)["e"].get<std::int64_t>();
    r.data = (*j)["d"].dump();
    return r;
  } catch (const std::exception&) {
    return std::nullopt;  // never throws on a cookie
  }
}

}  // namespace httpstate::server
