#pragma once
// The users `POST /login` accepts: `name:hash` lines of Werkzeug's scrypt format,
// "scrypt:N:r:p$salt$hex" (what werkzeug.security.generate_password_hash writes), checked with
// OpenSSL's scrypt KDF and compared in constant time.
#include <map>
#include <string>
#include <string_view>

namespace httpstate::serve {

class Users {
 public:
  // Throws httpstate::error naming the file and line of a malformed entry.
  void load_file(const std::string& path);
  // Adds `name` with a fresh salt (the --demo user).
  void add(std::string name, std::string_view password);
  // Whether the password is right. An unknown name costs one scrypt too, so timing does not
  // tell which names exist.
  bool verify(std::string_view name, std::string_view password) const;
  bool empty() const noexcept { return users_.empty(); }

  // "scrypt:32768:8:1$salt$hex" for `password` with `salt`.
  static std::string hash(std::string_view password, std::string_view salt, unsigned n = 32768, unsigned r = 8,
                          unsigned p = 1);

 private:
  std::map<std::string, std::string, std::less<>> users_;
};

}  // namespace httpstate::serve
