#pragma once
// The whole session in the cookie: no server state. Either Flask's session format (the codec
// layer's flask::SessionCodec: a Flask app and this service with one SECRET_KEY share logins)
// or AES-256-GCM (codec::EncryptedCodec: the data is confidential too).
//
// What this store cannot do, by its nature: compare-and-swap (two concurrent requests each send
// a cookie and the browser keeps the last, so transact never sees a conflict), and revoking a
// copied cookie before its idle expiry (invalidate only asks the browser to delete it).
#include <memory>
#include <string>
#include <vector>

#include "httpstate/server/session_store.hpp"

namespace httpstate::server {

enum class CookieFormat : std::uint8_t { flask, encrypted };

struct CookieSessionOptions {
  CookieFormat format = CookieFormat::encrypted;
  std::vector<std::string> secrets;  // oldest..newest; the newest seals, any opens
};

class CookieSessionStore final : public SessionStore {
 public:
  // Throws httpstate::error without secrets or with one too short.
  explicit CookieSessionStore(CookieSessionOptions options);
  ~CookieSessionStore() override;

  // The keyed operations keep nothing: the manager calls seal and open instead.
  bool create(std::string_view, const SessionRecord&, std::chrono::milliseconds) override { return true; }
  std::optional<SessionRecord> load(std::string_view) override { return std::nullopt; }
  SaveResult save(std::string_view, const SessionRecord&, std::uint64_t, std::chrono::milliseconds) override {
    return SaveResult::saved;
  }
  bool touch(std::string_view, std::chrono::milliseconds) override { return true; }
  void destroy(std::string_view) override {}
  std::size_t sweep() override { return 0; }

  bool in_cookie() const noexcept override { return true; }
  // Throws httpstate::error when the sealed value exceeds a cookie's 4096 bytes (RFC 6265bis §5.6).
  std::string seal(const SessionRecord& record, std::int64_t now_ms) const override;
  std::optional<SessionRecord> open(std::string_view cookie_value, std::int64_t now_ms) const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace httpstate::server
