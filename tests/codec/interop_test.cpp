// Live interop, both ways: 1000 random payloads per format (unicode, nested, compressible, empty)
// with random secrets and salts. The real libraries sign the same payloads (their token must be
// byte-identical to ours) and verify our tokens; we verify theirs.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <random>

#include "httpstate/codec/express.hpp"
#include "httpstate/codec/flask_session.hpp"
#include "httpstate/codec/itsdangerous.hpp"
#include "httpstate/codec/tornado.hpp"
#include "peer.hpp"

namespace httpstate::codec {
namespace {

using nlohmann::json;
using itsdangerous::Json;
constexpr int cases_per_format = 1000;
constexpr std::int64_t ts = 1700000000;

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  std::uint32_t next(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }

  // Mostly ASCII, with controls, quotes, DEL, Latin-1, CJK and astral-plane characters.
  std::string text(std::size_t max_len) {
    std::string s;
    const auto len = next(static_cast<std::uint32_t>(max_len + 1));
    for (std::uint32_t i = 0; i < len; ++i) {
      switch (next(10)) {
        case 0: append_utf8(s, next(32)); break;
        case 1: append_utf8(s, U"\"\\/.|~!\x7f"[next(8)]); break;
        case 2: append_utf8(s, 0xa0 + next(0x160)); break;
        case 3: append_utf8(s, 0x4e00 + next(0x5000)); break;
        case 4: append_utf8(s, 0x1f300 + next(0x300)); break;
        default: append_utf8(s, 0x20 + next(0x5f));
      }
    }
    return s;
  }
  std::string secret() {
    std::string s = text(24);
    while (s.size() < min_secret_size) s += static_cast<char>('a' + next(26));
    return s;
  }
  std::vector<std::string> secrets() {
    std::vector<std::string> v(1 + next(3));
    for (auto& s : v) s = secret();
    return v;
  }
  double number() {
    switch (next(3)) {
      case 0: return std::ldexp(static_cast<double>(next(1000000)), -static_cast<int>(next(20)));
      case 1: return (static_cast<double>(next(1000000)) - 500000.0) / 1000.0;
      default: return std::pow(10.0, static_cast<double>(next(40)) - 20.0) * (1 + next(9));
    }
  }
  Json value(int depth) {
    switch (depth > 0 ? next(8) : next(5)) {
      case 0: return nullptr;
      case 1: return next(2) == 1;
      case 2: return static_cast<std::int64_t>(rng_() >> 1) * (next(2) ? 1 : -1);
      case 3: return number();
      case 4: return text(30);
      case 5: {
        Json a = Json::array();
        for (auto n = next(5); n; --n) a.push_back(value(depth - 1));
        return a;
      }
      default: {
        Json o = Json::object();
        for (auto n = next(5); n; --n) o[text(12)] = value(depth - 1);
        return o;
      }
    }
  }
  // Every tenth empty, every tenth large enough to compress, the rest random and nested.
  Json payload(int i) {
    if (i % 10 == 0) {
      const Json empties[] = {Json::object(), Json::array(), "", 0};
      return empties[(i / 10) % 4];
    }
    if (i % 10 == 1) {
      Json o = Json::object();
      o["big"] = std::string(200 + next(2000), static_cast<char>('a' + next(3)));
      o["text"] = text(200);
      return o;
    }
    return value(4);
  }
  std::string string_payload(int i) {
    if (i % 10 == 0) return "";
    if (i % 10 == 1) return std::string(500 + next(2000), 'z') + text(100);
    return text(120);
  }
  flask::Value flask_value(int depth) {
    using V = flask::Value;
    switch (depth > 0 ? next(13) : next(10)) {
      case 0: return nullptr;
      case 1: return next(2) == 1;
      case 2: return static_cast<std::int64_t>(rng_() % 2000000) - 1000000;
      case 3: return number();
      case 4: return text(20);
      case 5: {
        std::string b(next(40), '\0');
        for (auto& c : b) c = static_cast<char>(next(256));
        return V::Bytes{b};
      }
      case 6: return V::Markup{"<em>" + text(10) + "</em>"};
      case 7: {
        V::Uuid u;
        for (auto& b : u.bytes) b = static_cast<std::uint8_t>(next(256));
        return u;
      }
      case 8: return V::DateTime{static_cast<std::int64_t>(next(4000000000u))};
      case 9: return V::Dict{{std::string(" t"), V(1)}};  // a dict that needs the " di" tag
      case 10: {
        V::Tuple t;
        for (auto n = next(4); n; --n) t.items.push_back(flask_value(depth - 1));
        return t;
      }
      case 11: {
        V::List l;
        for (auto n = next(4); n; --n) l.push_back(flask_value(depth - 1));
        return l;
      }
      default: {
        V::Dict d;
        for (auto n = next(4); n; --n) d[text(10)] = flask_value(depth - 1);
        return d;
      }
    }
  }
  flask::Session session(int i) {
    flask::Session s;
    if (i % 10 == 0) return s;
    const auto n = i % 10 == 1 ? 30u : next(6);
    for (std::uint32_t k = 0; k < n; ++k) s[text(10)] = flask_value(3);
    if (i % 10 == 1) s["big"] = std::string(3000, 'q');
    if (next(3) == 0) s["_permanent"] = true;
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

struct Case {
  json request;
  std::string expected;                                           // the payload, canonical
  std::function<std::optional<std::string>(const std::string&)> load;  // our verifier
};

void check(const std::string& peer_command, const std::string& tag, std::vector<Case>& cases) {
  std::vector<json> requests;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    cases[i].request["id"] = static_cast<int>(i);
    requests.push_back(cases[i].request);
  }
  const auto answers = testing::run_peer(peer_command, tag, requests);
  int failures = 0;
  for (std::size_t i = 0; i < cases.size() && failures < 10; ++i) {
    const auto it = answers.find(static_cast<int>(i));
    if (it == answers.end()) continue;
    const json& a = it->second;
    const json& r = cases[i].request;
    const std::string where = tag + " case " + std::to_string(i) + " request " + r.dump();
    if (a.contains("error")) {
      ADD_FAILURE() << where << ": peer error " << a["error"];
      ++failures;
      continue;
    }
    const auto theirs = a["theirs"].get<std::string>();
    const bool same = theirs == r["ours"].get<std::string>();
    const bool they_read = a["loaded"] == json(cases[i].expected);
    const bool we_read = cases[i].load(theirs) == cases[i].expected;
    EXPECT_TRUE(same) << where << "\n theirs: " << theirs;                       // byte-identical
    EXPECT_TRUE(they_read) << where << "\n they read: " << a["loaded"].dump();  // they read ours
    EXPECT_TRUE(we_read) << where;                                             // we read theirs
    if (!same || !they_read || !we_read) ++failures;
  }
}

std::string random_sep(Gen& g) { return std::string(1, ".|~!:"[g.next(5)]); }

TEST(Interop, ItsdangerousSignersWithPython) {
  Gen g(11);
  std::vector<Case> cases;
  for (int timed = 0; timed < 2; ++timed) {
    for (int i = 0; i < cases_per_format; ++i) {
      itsdangerous::SignerOptions o{g.text(16), random_sep(g), itsdangerous::KeyDerivation(g.next(4)),
                                    Digest(g.next(3))};
      const auto secrets = g.secrets();
      const std::string payload = g.string_payload(i);
      json req = {{"fmt", timed ? "timestamp" : "signer"}, {"secrets", secrets}, {"salt", o.salt},
                  {"sep", o.sep}, {"kd", std::string(to_string(o.key_derivation))},
                  {"digest", std::string(to_string(o.digest))}, {"payload", payload}, {"ts", ts},
                  {"max_age", 1000}};
      if (timed) {
        auto s = std::make_shared<itsdangerous::TimestampSigner>(secrets, o);
        req["ours"] = s->sign(payload, ts);
        cases.push_back({req, payload, [s](const std::string& t) -> std::optional<std::string> {
                           auto r = s->unsign(t, 1000, ts);
                           if (!r) return std::nullopt;
                           return r->value;
                         }});
      } else {
        auto s = std::make_shared<itsdangerous::Signer>(secrets, o);
        req["ours"] = s->sign(payload);
        cases.push_back({req, payload, [s](const std::string& t) -> std::optional<std::string> {
                           auto r = s->unsign(t);
                           if (!r) return std::nullopt;
                           return *r;
                         }});
      }
    }
  }
  check(testing::python + " " HTTPSTATE_CODEC_PEERS "/python_peer.py", "signers", cases);
}

TEST(Interop, ItsdangerousSerializersWithPython) {
  Gen g(12);
  std::vector<Case> cases;
  int compressed = 0;
  for (const char* fmt : {"json", "json_timed", "plain"}) {
    for (int i = 0; i < cases_per_format; ++i) {
      itsdangerous::SerializerOptions o;
      o.salt = g.text(16);
      o.sep = random_sep(g);
      o.key_derivation = itsdangerous::KeyDerivation(g.next(4));
      o.digest = Digest(g.next(3));
      o.url_safe = std::string_view(fmt) != "plain";
      o.timed = std::string_view(fmt) == "json_timed";
      const auto secrets = g.secrets();
      const Json payload = g.payload(i);
      auto s = std::make_shared<itsdangerous::Serializer>(secrets, o);
      const std::string ours = s->dumps(payload, ts);
      if (ours.starts_with('.')) ++compressed;
      json req = {{"fmt", fmt}, {"secrets", secrets}, {"salt", o.salt}, {"sep", o.sep},
                  {"kd", std::string(to_string(o.key_derivation))}, {"digest", std::string(to_string(o.digest))},
                  {"payload", payload.dump()}, {"ts", ts}, {"max_age", 1000}, {"ours", ours}};
      cases.push_back({req, itsdangerous::dump_json(payload, true, false),
                       [s](const std::string& t) -> std::optional<std::string> {
                         auto r = s->loads(t, 1000, ts);
                         if (!r) return std::nullopt;
                         return itsdangerous::dump_json(r->value, true, false);
                       }});
    }
  }
  EXPECT_GT(compressed, 100);  // the zlib rule was exercised
  check(testing::python + " " HTTPSTATE_CODEC_PEERS "/python_peer.py", "serializers", cases);
}

TEST(Interop, FlaskSessionWithPython) {
  Gen g(13);
  std::vector<Case> cases;
  for (int i = 0; i < cases_per_format; ++i) {
    const auto secrets = g.secrets();
    const std::vector<std::string> fallbacks(secrets.begin(), secrets.end() - 1);
    auto codec = std::make_shared<flask::SessionCodec>(secrets.back(), fallbacks);
    const flask::Session session = g.session(i);
    const std::string tagged = flask::dump_tagged(flask::Value(session));
    json req = {{"fmt", "flask"}, {"secrets", secrets}, {"payload", tagged}, {"ts", ts},
                {"ours", codec->encode(session, ts)}};
    cases.push_back({req, tagged, [codec](const std::string& t) -> std::optional<std::string> {
                       auto r = codec->decode(t, ts);
                       if (!r) return std::nullopt;
                       return flask::dump_tagged(flask::Value(r->session));
                     }});
  }
  check(testing::python + " " HTTPSTATE_CODEC_PEERS "/python_peer.py", "flask", cases);
}

TEST(Interop, TornadoWithPython) {
  Gen g(14);
  std::vector<Case> cases;
  for (int version = 1; version <= 2; ++version) {
    for (int i = 0; i < cases_per_format; ++i) {
      const auto secrets = g.secrets();
      std::map<int, std::string> keyed;
      for (std::size_t k = 0; k < secrets.size(); ++k) keyed[static_cast<int>(k)] = secrets[k];
      auto t = std::make_shared<tornado::SignedValues>(keyed, static_cast<int>(secrets.size() - 1));
      std::string name;
      for (auto n = 1 + g.next(10); n; --n) name += static_cast<char>('a' + g.next(26));
      const std::string payload = g.string_payload(i);
      json req = {{"fmt", version == 1 ? "tornado_v1" : "tornado_v2"}, {"secrets", secrets}, {"name", name},
                  {"payload", payload}, {"ts", ts}, {"ours", t->create(name, payload, version, ts)}};
      cases.push_back({req, payload, [t, name](const std::string& v) -> std::optional<std::string> {
                         auto r = t->decode(name, v, 31, ts);
                         if (!r) return std::nullopt;
                         return *r;
                       }});
    }
  }
  check(testing::python + " " HTTPSTATE_CODEC_PEERS "/python_peer.py", "tornado", cases);
}

TEST(Interop, ExpressWithNode) {
  Gen g(15);
  std::vector<Case> cases;
  for (const char* fmt : {"express", "express_session"}) {
    const bool session = std::string_view(fmt) == "express_session";
    for (int i = 0; i < cases_per_format; ++i) {
      const auto secrets = g.secrets();
      auto s = std::make_shared<express::CookieSigner>(secrets);
      const std::string payload = g.string_payload(i);
      json req = {{"fmt", fmt}, {"secrets", secrets}, {"payload", payload},
                  {"ours", session ? s->session_cookie_value(payload) : s->sign(payload)}};
      cases.push_back({req, payload, [s, session](const std::string& t) -> std::optional<std::string> {
                         auto r = session ? s->session_id(t) : s->unsign(t);
                         if (!r) return std::nullopt;
                         return *r;
                       }});
    }
  }
  check(testing::node() + " " HTTPSTATE_CODEC_PEERS "/node_peer.js", "express", cases);
}

}  // namespace
}  // namespace httpstate::codec

#include "httpstate/codec/encrypted.hpp"

namespace httpstate::codec {
namespace {

// docs/encrypted-values.md is implementable: an independent Python implementation of it
// (peers/encrypted_peer.py, on `cryptography`) opens ours and seals what we open. Tokens differ
// (random nonces), so both directions are checked by value.
TEST(Interop, EncryptedWithTheDocumentedPythonImplementation) {
  Gen g(16);
  std::vector<json> requests;
  std::vector<std::shared_ptr<EncryptedCodec>> codecs;
  std::vector<std::string> values, names;
  for (int i = 0; i < cases_per_format; ++i) {
    std::vector<EncryptionKey> keys;
    json jkeys = json::object();
    const auto secrets = g.secrets();
    for (std::size_t k = 0; k < secrets.size(); ++k) {
      const auto id = static_cast<std::uint8_t>(10 * k + g.next(10));
      keys.push_back({id, secrets[k]});
      jkeys[std::to_string(id)] = secrets[k];
    }
    const std::string purpose = g.text(10), name = g.text(8), value = g.string_payload(i);
    auto codec = std::make_shared<EncryptedCodec>(keys, purpose);
    const std::optional<std::int64_t> expires = i % 2 ? std::optional<std::int64_t>(ts + 100) : std::nullopt;
    requests.push_back({{"id", i}, {"keys", jkeys}, {"newest", keys.back().id}, {"purpose", purpose},
                        {"name", name}, {"value", value}, {"now", ts}, {"ours", codec->seal(name, value, expires)}});
    if (expires) requests.back()["expires"] = *expires;
    codecs.push_back(codec);
    values.push_back(value);
    names.push_back(name);
  }
  const auto answers = testing::run_peer(testing::python + " " HTTPSTATE_CODEC_PEERS "/encrypted_peer.py", "encrypted", requests);
  int failures = 0;
  for (int i = 0; i < cases_per_format && failures < 10; ++i) {
    const auto it = answers.find(i);
    if (it == answers.end()) continue;
    const bool they_read = it->second["loaded"] == json(values[i]);
    const auto ours = codecs[i]->open(names[i], it->second["theirs"].get<std::string>(), ts);
    const bool we_read = ours && ours->value == values[i];
    const bool expired_later = !(i % 2) || !codecs[i]->open(names[i], it->second["theirs"].get<std::string>(), ts + 100);
    EXPECT_TRUE(they_read) << "case " << i;
    EXPECT_TRUE(we_read) << "case " << i;
    EXPECT_TRUE(expired_later) << "case " << i;
    if (!they_read || !we_read || !expired_later) ++failures;
  }
}

}  // namespace
}  // namespace httpstate::codec
