#include "httpstate/server/session_manager.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <thread>

#include "httpstate/codec/base64.hpp"
#include "httpstate/codec/itsdangerous.hpp"
#include "httpstate/cookie/limits.hpp"
#include "httpstate/cookie/parse.hpp"
#include "httpstate/cookie/set_cookie.hpp"

namespace httpstate::server {
namespace {

namespace its = codec::itsdangerous;

constexpr std::size_t id_bytes = 16;  // 128 bits (OWASP asks for at least 64 bits of entropy)
constexpr std::size_t id_chars = codec::base64_encoded_size(id_bytes, codec::Base64::url_nopad);
constexpr std::string_view host_prefix = "__Host-";  // RFC 6265bis §4.1.3.2

std::string new_id() {
  unsigned char bytes[id_bytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw httpstate::error("session: the CSPRNG failed");
  std::string id(id_chars, '\0');
  codec::base64_encode_to(bytes, sizeof bytes, codec::Base64::url_nopad, id.data());
  return id;
}

// SHA-256 with the digest fetched once and one context per thread: OpenSSL 3 fetches the
// implementation on every one-shot call otherwise.
std::string key_of(std::string_view id) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct Ctx {
    EVP_MD_CTX* c = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(c); }
  };
  thread_local Ctx ctx;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!md || !ctx.c || EVP_DigestInit_ex2(ctx.c, md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.c, id.data(), id.size()) != 1 || EVP_DigestFinal_ex(ctx.c, out, &n) != 1)
    throw httpstate::error("session: SHA-256 failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string key(2 * n, '\0');
  for (unsigned i = 0; i < n; ++i) {
    key[2 * i] = hex[out[i] >> 4];
    key[2 * i + 1] = hex[out[i] & 15];
  }
  return key;
}

bool well_formed_id(std::string_view id) {
  if (id.size() != id_chars) return false;
  // The strict decoder also refuses non-zero spare bits, so one id has one spelling.
  return codec::base64_decode(id, codec::Base64::url_nopad).has_value();
}

}  // namespace

struct SessionManager::Impl {
  SessionConfig cfg;
  std::shared_ptr<SessionStore> store;
  std::string name;
  std::optional<its::Signer> signer;
  bool in_cookie;
  std::int64_t idle, absolute, touch_every;

  Impl(SessionConfig c, std::shared_ptr<SessionStore> s) : cfg(std::move(c)), store(std::move(s)) {
    if (!store) throw httpstate::error("SessionManager: no store");
    in_cookie = store->in_cookie();
    idle = cfg.idle_timeout.count();
    absolute = cfg.absolute_timeout.count();
    if (idle <= 0 || absolute <= 0) throw httpstate::error("SessionManager: timeouts must be positive");
    if (cfg.max_attempts < 1) throw httpstate::error("SessionManager: max_attempts must be at least 1");
    touch_every = std::max<std::int64_t>(1, idle / 10);
    name = cfg.cookie_name;
    if (cfg.host_prefix && cfg.secure && cfg.domain.empty() && cfg.path == "/" && !name.starts_with(host_prefix))
      name = std::string(host_prefix) + name;
    if (!cfg.secrets.empty()) {
      its::SignerOptions o;
      o.salt = "httpstate.session-id";
      o.key_derivation = its::KeyDerivation::hmac;
      o.digest = codec::Digest::sha256;
      signer.emplace(cfg.secrets, o);  // throws on short secrets
    }
    // The configuration's cookie attributes are checked once, here, not on the first commit.
    auto probe = cookie("x", std::nullopt);
    if (!probe) throw httpstate::error("SessionManager: bad cookie settings: " + std::string(to_string(probe.error())));
  }

  std::int64_t now() const { return now_ms(cfg.clock); }

  void log(SessionEvent e, std::string_view handle, std::string_view reason) const {
    if (cfg.on_event) cfg.on_event({e, handle, reason});
  }

  // How long the record may live from now: the idle timeout, capped by the absolute one.
  std::chrono::milliseconds ttl(std::int64_t created, std::int64_t now) const {
    return std::chrono::milliseconds(std::max<std::int64_t>(1, std::min(idle, created + absolute - now)));
  }

  Result<std::string, SetCookieError> cookie(std::string value, std::optional<std::int64_t> max_age) const {
    SetCookie c{.name = name, .value = std::move(value), .domain = cfg.domain, .path = cfg.path,
                .secure = cfg.secure, .http_only = cfg.http_only, .same_site = cfg.same_site};
    c.max_age = max_age;
    return c.to_string();
  }

  std::string set_cookie(const Session& s, std::int64_t now) const {
    std::string value;
    if (in_cookie) {
      value = store->seal(SessionRecord{s.raw_, s.version_, s.created_, s.expires_}, now);
    } else {
      value = signer ? signer->sign(s.id_) : s.id_;
    }
    std::optional<std::int64_t> max_age;
    if (cfg.persistent) max_age = std::max<std::int64_t>(1, (s.expires_ - now + 999) / 1000);
    auto line = cookie(std::move(value), max_age);
    if (!line) throw httpstate::error("session: cannot build Set-Cookie: " + std::string(to_string(line.error())));
    return std::move(*line);
  }

  std::string expiring_cookie() const {
    SetCookie c{.name = name, .value = "", .expires = from_unix_seconds(0), .max_age = 0,
                .domain = cfg.domain, .path = cfg.path, .secure = cfg.secure, .http_only = cfg.http_only,
                .same_site = cfg.same_site};
    return std::move(*c.to_string());
  }

  // Adopt the session a cookie value names, or log why not. Throws only StoreUnavailable.
  bool resolve(std::string_view value, Session& s, std::int64_t now) const {
    std::optional<SessionRecord> rec;
    std::string id, key;
    if (in_cookie) {
      if (value.size() > limits::max_name_value_bytes) {
        log(SessionEvent::refused, "-", "oversized session cookie");
        return false;
      }
      rec = store->open(value, now);
      if (!rec) {
        log(SessionEvent::refused, key_of(value).substr(0, 8), "not a session cookie of ours");
        return false;
      }
    } else {
      if (value.size() > max_id_cookie_bytes) {
        log(SessionEvent::refused, "-", "oversized session cookie");
        return false;
      }
      if (signer) {
        auto r = signer->unsign(value);
        if (!r) {
          log(SessionEvent::refused, "-", codec::to_string(r.error().reason));
          return false;
        }
        id = std::move(*r);
      } else {
        id = value;
      }
      if (!well_formed_id(id)) {
        log(SessionEvent::refused, "-", "malformed id");
        return false;
      }
      key = key_of(id);
      rec = store->load(key);
      if (!rec) {
        // A signed id was ours once: it expired (or was removed). An unsigned one may be forged.
        if (signer) log(SessionEvent::expired, std::string_view(key).substr(0, 8), "expired or removed");
        else log(SessionEvent::refused, std::string_view(key).substr(0, 8), "unknown or expired id");
        return false;
      }
      if (rec->version == 0 || rec->created <= 0) {
        log(SessionEvent::refused, std::string_view(key).substr(0, 8), "record is not ours");
        return false;
      }
    }
    const std::string_view handle = key.empty() ? std::string_view("-") : std::string_view(key).substr(0, 8);
    if (rec->created + absolute <= now || rec->expires <= now) {
      if (!in_cookie) store->destroy(key);
      log(SessionEvent::expired, handle, rec->created + absolute <= now ? "absolute timeout" : "idle timeout");
      return false;
    }
    s.id_ = std::move(id);
    s.key_ = std::move(key);
    s.raw_ = std::move(rec->data);
    s.version_ = rec->version;
    s.created_ = rec->created;
    s.expires_ = rec->expires;
    s.stored_ = true;
    return true;
  }

  // Stores a session that has no record yet under a fresh id.
  void create(Session& s, std::string text, std::int64_t created, std::int64_t now) const {
    const auto t = ttl(created, now);
    s.raw_ = std::move(text);
    s.version_ = 1;
    s.created_ = created;
    s.expires_ = now + t.count();
    if (!in_cookie) {
      SessionRecord rec{s.raw_, 1, created, s.expires_};
      // A collision of 128 random bits does not happen; the loop only keeps create's contract.
      for (int tries = 0;; ++tries) {
        std::string id = new_id(), key = key_of(id);
        if (store->create(key, rec, t)) {
          s.id_ = std::move(id);
          s.key_ = std::move(key);
          break;
        }
        if (tries == 3) throw httpstate::error("session: could not create a session id");
      }
    }
    s.stored_ = true;
    s.cookie_due_ = true;
    s.expire_cookie_ = false;
  }

  // The record under s.key_ was not ours: drop it; the session starts over without an id.
  void forget(Session& s) const {
    if (!in_cookie && !s.key_.empty()) store->destroy(s.key_);
    s.id_.clear();
    s.key_.clear();
    s.raw_.clear();
    s.version_ = 0;
    s.created_ = 0;
    s.expires_ = 0;
    s.stored_ = false;
    s.corrupt_ = false;
    s.expire_cookie_ = true;
  }
};

SessionManager::SessionManager(SessionConfig config, std::shared_ptr<SessionStore> store)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(store))) {}
SessionManager::~SessionManager() = default;

const std::string& SessionManager::cookie_name() const noexcept { return impl_->name; }
const SessionConfig& SessionManager::config() const noexcept { return impl_->cfg; }
SessionStore& SessionManager::store() const noexcept { return *impl_->store; }

Session SessionManager::load(std::string_view cookie_header) const {
  const auto& m = *impl_;
  Session s;
  if (m.cfg.on_event) s.on_event_ = &m.cfg.on_event;
  try {
    if (cookie_header.size() > limits::max_header_bytes) {
      m.log(SessionEvent::refused, "-", "oversized Cookie header");
      return s;
    }
    // Most requests without our cookie stop here, before any parse.
    if (cookie_header.find(m.name) == std::string_view::npos) return s;
    const auto now = m.now();
    std::size_t seen = 0;
    for (const auto& pair : parse_cookie_header(cookie_header)) {
      if (pair.name != m.name) continue;
      if (++seen > max_session_cookie_candidates) {
        m.log(SessionEvent::refused, "-", "too many session cookies");
        break;
      }
      if (m.resolve(unquote(pair.value), s, now)) return s;
    }
    // The client holds only cookies we refused: the next commit deletes them.
    if (seen) s.expire_cookie_ = true;
  } catch (const StoreUnavailable&) {
    throw;
  } catch (const std::exception&) {
    m.log(SessionEvent::refused, "-", "internal error while loading");
    Session fresh;
    fresh.on_event_ = s.on_event_;
    return fresh;
  }
  return s;
}

std::optional<std::string> SessionManager::commit(Session& s) const {
  const auto& m = *impl_;
  const auto now = m.now();
  std::string text;
  bool changed = false;
  if (s.corrupt_) m.forget(s);
  if (s.written_ && s.data_) {
    text = s.data_->dump();
    changed = text != s.raw_;
  }
  if (!s.stored_) {
    // Never written (or written empty): nothing is stored and no cookie is sent.
    if (!changed || s.data_->empty()) {
      if (s.expire_cookie_) {
        s.expire_cookie_ = false;
        return m.expiring_cookie();
      }
      return std::nullopt;
    }
    m.create(s, std::move(text), now, now);
    m.log(SessionEvent::created, s.handle(), "");
  } else if (changed) {
    const auto t = m.ttl(s.created_, now);
    if (!m.in_cookie) {
      SessionRecord rec{text, s.version_ + 1, s.created_, now + t.count()};
      switch (m.store->save(s.key_, rec, s.version_, t)) {
        case SaveResult::saved: break;
        case SaveResult::conflict: throw SessionConflict("session: another request saved this session first");
        case SaveResult::gone: throw SessionConflict("session: another request removed this session");
      }
    }
    s.raw_ = std::move(text);
    s.version_ += 1;
    s.expires_ = now + t.count();
    if (m.cfg.persistent || m.in_cookie) s.cookie_due_ = true;
  } else if (now - (s.expires_ - m.idle) >= m.touch_every && s.expires_ < s.created_ + m.absolute) {
    // Unchanged: extend the idle expiry, at most once per tenth of the idle timeout.
    const auto t = m.ttl(s.created_, now);
    if (m.in_cookie || m.store->touch(s.key_, t)) {
      s.expires_ = now + t.count();
      if (m.cfg.persistent || m.in_cookie) s.cookie_due_ = true;
    }
  }
  if (!s.cookie_due_) return std::nullopt;
  s.cookie_due_ = false;
  return m.set_cookie(s, now);
}

void SessionManager::rotate_id(Session& s) const {
  const auto& m = *impl_;
  if (s.corrupt_) m.forget(s);
  if (!s.stored_) return;  // nothing stored: the first commit issues a fresh id anyway
  const auto now = m.now();
  const std::string old_key = s.key_;
  std::string text = (s.written_ && s.data_) ? s.data_->dump() : s.raw_;
  m.create(s, std::move(text), s.created_, now);
  if (!m.in_cookie) m.store->destroy(old_key);
  const std::string reason = "from " + old_key.substr(0, 8);
  m.log(SessionEvent::rotated, s.handle(), m.in_cookie ? std::string_view() : std::string_view(reason));
}

std::string SessionManager::invalidate(Session& s) const {
  const auto& m = *impl_;
  if (s.stored_) {
    if (!m.in_cookie) m.store->destroy(s.key_);
    m.log(SessionEvent::invalidated, s.handle(), "");
  }
  const auto* on_event = s.on_event_;
  s = Session();
  s.on_event_ = on_event;
  s.expire_cookie_ = true;
  return m.expiring_cookie();
}

std::optional<std::string> SessionManager::transact(std::string_view cookie_header,
                                                    const std::function<void(Session&)>& handler) const {
  for (int attempt = 1;; ++attempt) {
    Session s = load(cookie_header);
    handler(s);
    try {
      return commit(s);
    } catch (const SessionConflict&) {
      if (attempt >= impl_->cfg.max_attempts) throw;
      std::this_thread::yield();  // let the winner finish before we reload
    }
  }
}

}  // namespace httpstate::server
