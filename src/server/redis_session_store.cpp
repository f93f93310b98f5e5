#include "httpstate/server/redis_session_store.hpp"

#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <charconv>
#include <cstdio>
#include <mutex>
#include <vector>

#include "httpstate/server/errors.hpp"

namespace httpstate::server {
namespace {

// A record: "hs1|" expires (16 digits, Unix ms) "|" version "|" created "|" data. The expiry has
// a fixed width so that touch rewrites it in place (SETRANGE) without moving the data.
constexpr std::string_view magic = "hs1|";
constexpr std::size_t expires_width = 16;

std::string expires_field(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016lld", static_cast<long long>(ms < 0 ? 0 : ms));
  return buf;
}

std::string encode(const SessionRecord& r, std::int64_t expires) {
  std::string v;
  v.reserve(r.data.size() + 64);
  v += magic;
  v += expires_field(expires);
  v += '|';
  v += std::to_string(r.version);
  v += '|';
  v += std::to_string(r.created);
  v += '|';
  v += r.data;
  return v;
}

template <class T>
bool number(std::string_view& s, T& out) {
  const auto bar = s.find('|');
  if (bar == std::string_view::npos || bar == 0) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + bar, out);
  if (ec != std::errc() || p != s.data() + bar) return false;
  s.remove_prefix(bar + 1);
  return true;
}

// version 0: the bytes under our key are not a record we wrote.
SessionRecord decode(std::string_view v) {
  SessionRecord r;
  if (!v.starts_with(magic)) return r;
  v.remove_prefix(magic.size());
  std::int64_t expires = 0, created = 0;
  std::uint64_t version = 0;
  if (!number(v, expires) || !number(v, version) || !number(v, created)) return {};
  r.expires = expires;
  r.version = version;
  r.created = created;
  r.data.assign(v);
  return r;
}

// KEYS[1]; ARGV: value, ttl ms, now ms. SET NX failed: replace the record only if it has expired
// by the store's clock (create-if-absent, where an expired record counts as absent).
constexpr std::string_view create_script = R"(
local head = redis.call('GETRANGE', KEYS[1], 0, 20)
if head ~= '' then
  local e = tonumber(string.sub(head, 5, 20))
  if string.sub(head, 1, 4) ~= 'hs1|' or not e or e > tonumber(ARGV[3]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1)";

// KEYS[1]; ARGV: expected version, value, ttl ms, now ms. 0 saved, 1 conflict, 2 gone.
constexpr std::string_view save_script = R"(
local head = redis.call('GETRANGE', KEYS[1], 0, 63)
if head == '' then return 2 end
if string.sub(head, 1, 4) ~= 'hs1|' then return 1 end
local e = tonumber(string.sub(head, 5, 20))
if not e or e <= tonumber(ARGV[4]) then return 2 end
if string.match(head, '^(%d+)|', 22) ~= ARGV[1] then return 1 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 0)";

// KEYS[1]; ARGV: ttl ms, now ms, new expiry (16 digits). 1 touched, 0 gone.
constexpr std::string_view touch_script = R"(
local head = redis.call('GETRANGE', KEYS[1], 0, 20)
if string.sub(head, 1, 4) ~= 'hs1|' then return 0 end
local e = tonumber(string.sub(head, 5, 20))
if not e or e <= tonumber(ARGV[2]) then return 0 end
redis.call('SETRANGE', KEYS[1], 4, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1)";

std::string sha1_hex(std::string_view s) {
  unsigned char d[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : d) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>(ms.count() % 1000 * 1000)};
}

struct ReplyFree {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

struct Script {
  std::string_view text;
  std::string sha = sha1_hex(text);
};

struct Endpoint {
  std::string host;
  int port = 6379;
  std::string user, password;
  int db = 0;
};

// redis://[user:password@]host[:port][/db], parsed by curl_url() (the project's URL parser).
Endpoint parse_url(const std::string& url) {
  Endpoint e;
  CURLU* u = curl_url();
  auto fail = [&](std::string_view why) {
    curl_url_cleanup(u);
    throw httpstate::error("redis session store: bad URL (" + std::string(why) + "); expected redis://[user:password@]host:port/db");
  };
  if (!u || curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) fail("malformed");
  auto part = [&](CURLUPart p, std::string& out) {
    char* v = nullptr;
    if (curl_url_get(u, p, &v, CURLU_URLDECODE) == CURLUE_OK && v) out = v;
    curl_free(v);
  };
  std::string scheme, port, path;
  part(CURLUPART_SCHEME, scheme);
  if (scheme != "redis") fail("scheme is not redis");
  part(CURLUPART_HOST, e.host);
  if (e.host.empty()) fail("no host");
  if (e.host.size() > 2 && e.host.front() == '[') e.host = e.host.substr(1, e.host.size() - 2);
  part(CURLUPART_PORT, port);
  if (!port.empty()) e.port = std::stoi(port);
  part(CURLUPART_USER, e.user);
  part(CURLUPART_PASSWORD, e.password);
  part(CURLUPART_PATH, path);
  if (path.size() > 1) {
    const auto* b = path.data() + 1;
    const auto [p, ec] = std::from_chars(b, path.data() + path.size(), e.db);
    if (ec != std::errc() || p != path.data() + path.size() || e.db < 0) fail("the path is not a database number");
  }
  curl_url_cleanup(u);
  return e;
}

}  // namespace

struct RedisSessionStore::Impl {
  RedisSessionOptions options;
  Endpoint endpoint;
  Script create{create_script}, save{save_script}, touch{touch_script};
  std::mutex mutex;
  std::vector<redisContext*> idle;

  ~Impl() {
    for (auto* c : idle) redisFree(c);
  }

  std::int64_t now() const { return now_ms(options.clock); }

  [[noreturn]] void unavailable(std::string_view what, const char* detail) const {
    throw StoreUnavailable("redis session store: " + std::string(what) + " " + endpoint.host + ":" +
                           std::to_string(endpoint.port) + ": " + (detail ? detail : "failed"));
  }

  redisContext* connect() {
    redisContext* c = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(options.connect_timeout));
    if (!c || c->err) {
      const std::string why = c ? c->errstr : "out of memory";
      if (c) redisFree(c);
      unavailable("cannot connect to", why.c_str());
    }
    redisSetTimeout(c, to_timeval(options.command_timeout));
    redisEnableKeepAlive(c);
    auto setup = [&](std::vector<std::string> args, const char* what) {
      std::vector<const char*> argv;
      std::vector<std::size_t> lens;
      for (auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
      }
      Reply r(static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())));
      if (!r || r->type == REDIS_REPLY_ERROR) {
        // The server's error text, never the password we sent.
        const std::string why = r ? std::string(r->str, r->len) : (c->errstr[0] ? c->errstr : "no reply");
        redisFree(c);
        unavailable(what, why.c_str());
      }
    };
    if (!endpoint.password.empty()) {
      if (endpoint.user.empty()) setup({"AUTH", endpoint.password}, "AUTH refused by");
      else setup({"AUTH", endpoint.user, endpoint.password}, "AUTH refused by");
    }
    if (endpoint.db != 0) setup({"SELECT", std::to_string(endpoint.db)}, "SELECT refused by");
    return c;
  }

  // A connection from the pool; a broken one is dropped, so the next call reconnects.
  struct Lease {
    Impl& impl;
    redisContext* c;
    bool broken = false;
    ~Lease() {
      if (broken || c->err) {
        redisFree(c);
        return;
      }
      std::lock_guard lock(impl.mutex);
      if (impl.idle.size() < impl.options.max_idle_connections) impl.idle.push_back(c);
      else redisFree(c);
    }

    Reply run(std::initializer_list<std::string_view> args) {
      const char* argv[16];
      std::size_t lens[16];
      int n = 0;
      for (auto a : args) {
        argv[n] = a.data();
        lens[n++] = a.size();
      }
      Reply r(static_cast<redisReply*>(redisCommandArgv(c, n, argv, lens)));
      if (!r) {
        broken = true;
        impl.unavailable("no answer from", c->errstr);
      }
      return r;
    }

    // EVALSHA; after NOSCRIPT (a new or restarted server) the script is loaded and run again.
    long long eval(const Script& s, std::string_view key, std::initializer_list<std::string_view> args) {
      for (int attempt = 0; attempt < 2; ++attempt) {
        const char* argv[16];
        std::size_t lens[16];
        int n = 0;
        for (std::string_view a : {std::string_view("EVALSHA"), std::string_view(s.sha), std::string_view("1"), key}) {
          argv[n] = a.data();
          lens[n++] = a.size();
        }
        for (auto a : args) {
          argv[n] = a.data();
          lens[n++] = a.size();
        }
        Reply r(static_cast<redisReply*>(redisCommandArgv(c, n, argv, lens)));
        if (!r) {
          broken = true;
          impl.unavailable("no answer from", c->errstr);
        }
        if (r->type == REDIS_REPLY_INTEGER) return r->integer;
        if (r->type == REDIS_REPLY_ERROR && std::string_view(r->str, r->len).starts_with("NOSCRIPT") && attempt == 0) {
          Reply loaded = run({"SCRIPT", "LOAD", s.text});
          if (loaded->type == REDIS_REPLY_STRING && std::string_view(loaded->str, loaded->len) == s.sha) continue;
        }
        impl.unavailable("script failed on", r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
      }
      impl.unavailable("script failed on", "NOSCRIPT after SCRIPT LOAD");
    }
  };

  Lease lease() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        auto* c = idle.back();
        idle.pop_back();
        return Lease{*this, c};
      }
    }
    return Lease{*this, connect()};
  }

  std::string key(std::string_view k) const {
    std::string out = options.key_prefix;
    out += k;
    return out;
  }
};

RedisSessionStore::RedisSessionStore(RedisSessionOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->endpoint = parse_url(options.url);
  impl_->options = std::move(options);
}

RedisSessionStore::~RedisSessionStore() = default;

bool RedisSessionStore::create(std::string_view k, const SessionRecord& r, std::chrono::milliseconds ttl) {
  auto l = impl_->lease();
  const auto now = impl_->now();
  const auto key = impl_->key(k);
  const auto value = encode(r, now + ttl.count());
  const auto px = std::to_string(std::max<std::int64_t>(1, ttl.count()));
  Reply reply = l.run({"SET", key, value, "PX", px, "NX"});
  if (reply->type == REDIS_REPLY_STATUS) return true;  // OK
  if (reply->type == REDIS_REPLY_ERROR) impl_->unavailable("SET failed on", reply->str);
  // Nil: the key exists; it may hold a record expired by our clock but not yet by Redis's.
  return l.eval(impl_->create, key, {value, px, std::to_string(now)}) == 1;
}

std::optional<SessionRecord> RedisSessionStore::load(std::string_view k) {
  auto l = impl_->lease();
  Reply reply = l.run({"GET", impl_->key(k)});
  if (reply->type == REDIS_REPLY_NIL) return std::nullopt;
  if (reply->type == REDIS_REPLY_ERROR) {
    if (std::string_view(reply->str, reply->len).starts_with("WRONGTYPE")) return SessionRecord{};  // not ours
    impl_->unavailable("GET failed on", reply->str);
  }
  if (reply->type != REDIS_REPLY_STRING) return SessionRecord{};
  auto r = decode(std::string_view(reply->str, reply->len));
  if (r.version != 0 && r.expires <= impl_->now()) return std::nullopt;
  return r;
}

SaveResult RedisSessionStore::save(std::string_view k, const SessionRecord& r, std::uint64_t expected_version,
                                   std::chrono::milliseconds ttl) {
  auto l = impl_->lease();
  const auto now = impl_->now();
  const auto rc = l.eval(impl_->save, impl_->key(k),
                         {std::to_string(expected_version), encode(r, now + ttl.count()),
                          std::to_string(std::max<std::int64_t>(1, ttl.count())), std::to_string(now)});
  return rc == 0 ? SaveResult::saved : rc == 1 ? SaveResult::conflict : SaveResult::gone;
}

bool RedisSessionStore::touch(std::string_view k, std::chrono::milliseconds ttl) {
  auto l = impl_->lease();
  const auto now = impl_->now();
  return l.eval(impl_->touch, impl_->key(k),
                {std::to_string(std::max<std::int64_t>(1, ttl.count())), std::to_string(now),
                 expires_field(now + ttl.count())}) == 1;
}

void RedisSessionStore::destroy(std::string_view k) {
  auto l = impl_->lease();
  Reply reply = l.run({"DEL", impl_->key(k)});
  if (reply->type == REDIS_REPLY_ERROR) impl_->unavailable("DEL failed on", reply->str);
}

std::size_t RedisSessionStore::sweep() { return 0; }

}  // namespace httpstate::server
