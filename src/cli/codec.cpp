// `httpstate sign`, `unsign` and `flask-session decode`: the codec layer from a shell.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "httpstate/codec/encrypted.hpp"
#include "httpstate/codec/express.hpp"
#include "httpstate/codec/flask_session.hpp"
#include "httpstate/codec/itsdangerous.hpp"
#include "httpstate/codec/tornado.hpp"
#include "httpstate/error.hpp"

namespace httpstate::cli {
namespace {

namespace codec = httpstate::codec;
namespace its = httpstate::codec::itsdangerous;

constexpr int exit_rejected = 1;  // unsign: the token was refused (the reason is on stderr)
constexpr int exit_usage = 2;     // bad options, unreadable secrets, refused configuration

const std::vector<std::string> formats = {"itsdangerous", "itsdangerous-timed", "itsdangerous-json",
                                          "itsdangerous-json-timed", "flask-session", "tornado",
                                          "express", "encrypted"};

struct Options {
  std::string format;
  std::vector<std::string> secret_files;
  std::vector<std::string> secrets;
  std::vector<std::string> secret_envs;
  bool allow_short = false;
  std::string salt;
  std::string key_derivation;
  std::string digest;
  std::string name;
  std::string purpose = "cookie";
  std::optional<std::int64_t> max_age;
  std::optional<std::int64_t> max_age_days;
  std::optional<int> key_version;
  int tornado_version = 2;
  bool express_session = false;
  std::string input;
};

// Secrets in order, oldest first: every line of each --secret-file, then each --secret-env,
// then each --secret. The last one is the newest and signs.
std::vector<std::string> load_secrets(const Options& o, bool required) {
  std::vector<std::string> out;
  for (const auto& path : o.secret_files) {
    std::ifstream f(path, std::ios::binary);
    if (!f) fail(exit_usage, "cannot read secret file " + path);
    std::string line;
    while (std::getline(f, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) out.push_back(line);
    }
  }
  for (const auto& var : o.secret_envs) {
    const char* v = std::getenv(var.c_str());
    if (!v || !*v) fail(exit_usage, "environment variable " + var + " is not set");
    out.emplace_back(v);
  }
  out.insert(out.end(), o.secrets.begin(), o.secrets.end());
  if (required && out.empty()) fail(exit_usage, "no secret: pass --secret-file, --secret or --secret-env");
  return out;
}

std::string read_input(const std::string& arg) {
  if (arg != "-") return arg;
  std::string s((std::istreambuf_iterator<char>(std::cin)), {});
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

codec::ShortSecrets short_policy(const Options& o) {
  return o.allow_short ? codec::ShortSecrets::allow_for_compatibility : codec::ShortSecrets::refuse;
}

its::SignerOptions signer_options(const Options& o, std::string default_salt) {
  its::SignerOptions s;
  s.salt = o.salt.empty() ? std::move(default_salt) : o.salt;
  if (!o.key_derivation.empty()) {
    auto k = its::key_derivation_from_string(o.key_derivation);
    if (!k) fail(exit_usage, "unknown key derivation " + o.key_derivation + " (django-concat, concat, hmac, none)");
    s.key_derivation = *k;
  }
  if (!o.digest.empty()) {
    auto d = codec::digest_from_string(o.digest);
    if (!d) fail(exit_usage, "unknown digest " + o.digest + " (sha1, sha256, sha512)");
    s.digest = *d;
  }
  s.short_secrets = short_policy(o);
  return s;
}

its::Serializer serializer(const Options& o, const std::vector<std::string>& secrets, bool timed) {
  const auto s = signer_options(o, "itsdangerous");
  its::SerializerOptions so{s.salt, s.sep, s.key_derivation, s.digest, s.short_secrets, true, timed};
  return its::Serializer(secrets, so);
}

void require_name(const Options& o) {
  if (o.name.empty()) fail(exit_usage, "--format " + o.format + " needs --name (the cookie name)");
}

codec::tornado::SignedValues tornado_codec(const Options& o, const std::vector<std::string>& secrets) {
  std::map<int, std::string> keyed;
  for (std::size_t i = 0; i < secrets.size(); ++i) keyed[static_cast<int>(i)] = secrets[i];
  const int sign_version = o.key_version.value_or(static_cast<int>(secrets.size()) - 1);
  if (!keyed.contains(sign_version)) fail(exit_usage, "no secret for --key-version " + std::to_string(sign_version));
  return codec::tornado::SignedValues(keyed, sign_version, short_policy(o));
}

codec::EncryptedCodec encrypted_codec(const Options& o, const std::vector<std::string>& secrets) {
  if (secrets.size() > 256) fail(exit_usage, "at most 256 encryption keys");
  std::vector<codec::EncryptionKey> keys;
  for (std::size_t i = 0; i < secrets.size(); ++i) keys.push_back({static_cast<std::uint8_t>(i), secrets[i]});
  return codec::EncryptedCodec(std::move(keys), o.purpose);
}

its::Json parse_json_input(const std::string& text) {
  auto j = its::parse_json(text);
  if (!j) fail(exit_usage, "the value is not JSON");
  return std::move(*j);
}

std::string sign(const Options& o) {
  const auto secrets = load_secrets(o, true);
  const std::string value = read_input(o.input);
  const std::string& f = o.format;
  if (f == "itsdangerous") return its::Signer(secrets, signer_options(o, "itsdangerous.Signer")).sign(value);
  if (f == "itsdangerous-timed")
    return its::TimestampSigner(secrets, signer_options(o, "itsdangerous.Signer")).sign(value);
  if (f == "itsdangerous-json" || f == "itsdangerous-json-timed")
    return serializer(o, secrets, f == "itsdangerous-json-timed").dumps(parse_json_input(value));
  if (f == "flask-session") {
    auto v = codec::flask::from_tagged_json(nlohmann::json(parse_json_input(value)));
    auto* session = v ? std::get_if<codec::flask::Session>(&v->v) : nullptr;
    if (!session) fail(exit_usage, "a Flask session is a JSON object (Flask's tagged JSON)");
    const std::vector<std::string> fallbacks(secrets.begin(), secrets.end() - 1);
    return codec::flask::SessionCodec(secrets.back(), fallbacks, {}, short_policy(o)).encode(*session);
  }
  if (f == "tornado") {
    require_name(o);
    if (o.tornado_version != 1 && o.tornado_version != 2) fail(exit_usage, "--tornado-version is 1 or 2");
    return tornado_codec(o, secrets).create(o.name, value, o.tornado_version);
  }
  if (f == "express") {
    // express signs with its FIRST secret; ours is the newest, given last.
    const codec::express::CookieSigner s(std::vector<std::string>(secrets.rbegin(), secrets.rend()), short_policy(o));
    return o.express_session ? s.session_cookie_value(value) : s.sign(value);
  }
  require_name(o);  // encrypted
  std::optional<std::int64_t> expires;
  if (o.max_age) expires = codec::unix_now() + *o.max_age;
  return encrypted_codec(o, secrets).seal(o.name, value, expires);
}

template <class T>
T accept(Result<T, codec::Rejection> r) {
  if (!r) fail(exit_rejected, to_string(r.error()));
  return std::move(*r);
}

std::string unsign(const Options& o) {
  const auto secrets = load_secrets(o, true);
  const std::string token = read_input(o.input);
  const std::string& f = o.format;
  if (o.max_age_days && f != "tornado") fail(exit_usage, "--max-age-days is for --format tornado");
  if (f == "itsdangerous") return accept(its::Signer(secrets, signer_options(o, "itsdangerous.Signer")).unsign(token));
  if (f == "itsdangerous-timed")
    return accept(its::TimestampSigner(secrets, signer_options(o, "itsdangerous.Signer")).unsign(token, o.max_age)).value;
  if (f == "itsdangerous-json" || f == "itsdangerous-json-timed")
    return its::dump_json(accept(serializer(o, secrets, f == "itsdangerous-json-timed").loads(token, o.max_age)).value,
                          true, false);
  if (f == "flask-session") {
    codec::flask::CookieOptions c;
    if (o.max_age) c.permanent_lifetime = *o.max_age;
    const std::vector<std::string> fallbacks(secrets.begin(), secrets.end() - 1);
    const codec::flask::SessionCodec s(secrets.back(), fallbacks, c, short_policy(o));
    return codec::flask::dump_tagged(codec::flask::Value(accept(s.decode(token)).session));
  }
  if (f == "tornado") {
    require_name(o);
    if (o.max_age) fail(exit_usage, "Tornado counts age in days: use --max-age-days");
    return accept(tornado_codec(o, secrets).decode(o.name, token, o.max_age_days.value_or(31)));
  }
  if (f == "express") {
    const codec::express::CookieSigner s(std::vector<std::string>(secrets.rbegin(), secrets.rend()), short_policy(o));
    const bool session = token.starts_with("s:") || token.starts_with("s%3A") || token.starts_with("s%3a");
    return accept(session ? s.session_id(token) : s.unsign(token));
  }
  require_name(o);  // encrypted: the expiry is inside the value
  return accept(encrypted_codec(o, secrets).open(o.name, token)).value;
}

std::string flask_decode(const Options& o) {
  std::string cookie = read_input(o.input);
  if (cookie.starts_with("session=")) cookie.erase(0, 8);
  const auto secrets = load_secrets(o, false);
  codec::flask::Decoded d;
  if (secrets.empty()) {
    d = accept(codec::flask::decode_unverified(cookie));
  } else {
    codec::flask::CookieOptions c;
    if (o.max_age) c.permanent_lifetime = *o.max_age;
    const std::vector<std::string> fallbacks(secrets.begin(), secrets.end() - 1);
    d = accept(codec::flask::SessionCodec(secrets.back(), fallbacks, c, short_policy(o)).decode(cookie));
  }
  nlohmann::ordered_json out;
  out["verified"] = !secrets.empty();
  out["signed"] = codec::format_iso8601(d.timestamp);
  out["session"] = codec::flask::to_tagged_json(codec::flask::Value(std::move(d.session)));
  return out.dump(2, ' ', true);
}

void add_secret_options(CLI::App* cmd, Options& o) {
  cmd->add_option("--secret-file", o.secret_files, "File with one secret per line, oldest first")
      ->check(CLI::ExistingFile);
  cmd->add_option("--secret", o.secrets, "A secret (repeat for rotation, newest last); prefer --secret-file");
  cmd->add_option("--secret-env", o.secret_envs, "Environment variable holding a secret");
  cmd->add_flag("--allow-short-secret", o.allow_short,
                "Accept secrets under 16 bytes, to stay compatible with an existing deployment");
  cmd->add_option("--max-age", o.max_age, "Maximum age in seconds (timed formats; expiry for encrypted)");
}

void add_format_options(CLI::App* cmd, Options& o) {
  cmd->add_option("--format,-f", o.format, "Token format")->required()->check(CLI::IsMember(formats));
  add_secret_options(cmd, o);
  cmd->add_option("--salt", o.salt, "itsdangerous salt");
  cmd->add_option("--key-derivation", o.key_derivation, "itsdangerous: django-concat, concat, hmac or none");
  cmd->add_option("--digest", o.digest, "itsdangerous: sha1, sha256 or sha512");
  cmd->add_option("--name", o.name, "Cookie name (tornado, encrypted)");
  cmd->add_option("--purpose", o.purpose, "Key purpose for encrypted values (HKDF info)");
}

// Runs a command body, turning refused configuration (httpstate::error) into a usage failure.
void run(const std::function<std::string()>& body) {
  std::string out;
  try {
    out = body();
  } catch (const httpstate::error& e) {
    fail(exit_usage, e.what());
  }
  std::cout << out << '\n';
}

}  // namespace

void add_codec_commands(CLI::App& app) {
  auto o = std::make_shared<Options>();

  auto* sign_cmd = app.add_subcommand("sign", "Sign (or encrypt) a value in a cookie format");
  add_format_options(sign_cmd, *o);
  sign_cmd->add_option("--key-version", o->key_version, "tornado: key version that signs (default: newest)");
  sign_cmd->add_option("--tornado-version", o->tornado_version, "tornado: signed value format 1 or 2");
  sign_cmd->add_flag("--session", o->express_session, "express: the express-session cookie value (s:..., URL-encoded)");
  sign_cmd->add_option("value", o->input, "The value, or - for stdin")->required();
  sign_cmd->callback([o] { run([o] { return sign(*o); }); });

  auto* unsign_cmd = app.add_subcommand("unsign", "Verify a token and print its payload");
  add_format_options(unsign_cmd, *o);
  unsign_cmd->add_option("--max-age-days", o->max_age_days, "tornado: maximum age in days (default 31)");
  unsign_cmd->add_option("token", o->input, "The token, or - for stdin")->required();
  unsign_cmd->callback([o] { run([o] { return unsign(*o); }); });

  auto* flask = app.add_subcommand("flask-session", "Flask session cookies");
  flask->require_subcommand(1);
  auto* decode = flask->add_subcommand("decode", "Show a session cookie's payload (unverified without a secret)");
  add_secret_options(decode, *o);
  decode->add_option("cookie", o->input, "The cookie value (or session=...), or - for stdin")->required();
  decode->callback([o] { run([o] { return flask_decode(*o); }); });
}

}  // namespace httpstate::cli
