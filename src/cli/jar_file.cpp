// `httpstate jar --jar PATH list|get|set|delete|clear|purge|import|export`: a jar file from a
// shell. The format follows the extension or --format; SQLite jars are written through.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "open_jar.hpp"
#include "httpstate/cookie/date.hpp"
#include "httpstate/jar/cookie_jar.hpp"
#include "httpstate/persist/jar_file.hpp"
#include "httpstate/persist/json_file.hpp"
#include "httpstate/persist/sqlite_store.hpp"

namespace httpstate::cli {
namespace {

std::string flags_of(const Cookie& c) {
  std::string f;
  auto add = [&f](std::string_view s) {
    if (!f.empty()) f += ',';
    f += s;
  };
  if (!c.host_only) add("subdomains");
  if (c.secure) add("Secure");
  if (c.http_only) add("HttpOnly");
  if (c.same_site != SameSite::unset) add("SameSite=" + std::string(to_string(c.same_site)));
  if (c.partitioned) add("Partitioned");
  return f;
}

void print_table(const std::vector<Cookie>& cookies) {
  const bool tty = ::isatty(STDOUT_FILENO);
  // On a terminal a long value is cut so one cookie stays one line; piped output is whole.
  constexpr std::size_t max_value_on_terminal = 40;
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"DOMAIN", "PATH", "NAME", "VALUE", "EXPIRES", "FLAGS"});
  for (const auto& c : cookies) {
    std::string value = c.value;
    if (tty && value.size() > max_value_on_terminal) value = value.substr(0, max_value_on_terminal - 3) + "...";
    rows.push_back({c.domain, c.path, c.name, value, c.expires ? format_http_date(*c.expires) : "session",
                    flags_of(c)});
  }
  std::array<std::size_t, 6> width{};
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << '\n';
  }
}

}  // namespace

void add_jar_file_commands(CLI::App& jar, std::shared_ptr<const JarArgs> a) {
  auto* list = jar.add_subcommand("list", "List the cookies (a table, or --json)");
  auto url = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  list->add_option("--url", *url, "Only the cookies that go with a request to URL");
  list->add_flag("--json", *as_json, "JSON in the jar file schema (docs/jar-files.md)");
  list->callback([a, url, as_json] {
    OpenJar j(*a);
    LookupOptions look;
    look.update_access_time = false;  // listing is not a request
    auto cookies = url->empty() ? j.jar().all() : j.jar().cookies_for(*url, look);
    if (*as_json) std::cout << format_json_jar(cookies);
    else print_table(cookies);
  });

  auto* get = jar.add_subcommand("get", "Print the Cookie header for a request to URL");
  auto get_url = std::make_shared<std::string>();
  get->add_option("url", *get_url, "Request URL")->required();
  get->callback([a, get_url] {
    OpenJar j(*a);
    std::cout << j.jar().cookie_header(*get_url) << '\n';
    if (j.store()) j.save();  // SQLite: the access times, batched
  });

  auto* set = jar.add_subcommand("set", "Store a Set-Cookie line as if URL had sent it");
  auto set_url = std::make_shared<std::string>();
  auto line = std::make_shared<std::string>();
  set->add_option("url", *set_url, "Response URL")->required();
  set->add_option("set-cookie", *line, "The Set-Cookie header value")->required();
  set->callback([a, set_url, line] {
    OpenJar j(*a);
    auto status = j.jar().store(*set_url, *line);
    if (!status.included()) fail(refused, status.to_string());
    j.save();
    std::cout << status.to_string() << '\n';
  });

  auto* del = jar.add_subcommand("delete", "Delete the cookie NAME of a domain (and path)");
  auto name = std::make_shared<std::string>();
  auto domain = std::make_shared<std::string>();
  auto path = std::make_shared<std::string>();
  del->add_option("name", *name, "Cookie name")->required();
  del->add_option("--domain", *domain, "Its domain, without a leading dot")->required();
  del->add_option("--path", *path, "Its path (default: any)");
  del->callback([a, name, domain, path] {
    OpenJar j(*a);
    std::string d = *domain;
    if (d.starts_with('.')) d.erase(0, 1);
    std::size_t n = j.jar().remove_if([&](const Cookie& c) {
      return c.name == *name && c.domain == d && (path->empty() || c.path == *path);
    });
    if (n == 0) fail(refused, "no cookie " + *name + " for " + d);
    j.save();
    std::cout << "deleted " << n << '\n';
  });

  auto* clear = jar.add_subcommand("clear", "Delete every cookie, or those of --domain and its subdomains");
  auto clear_domain = std::make_shared<std::string>();
  clear->add_option("--domain", *clear_domain, "Only this domain and its subdomains");
  clear->callback([a, clear_domain] {
    OpenJar j(*a);
    std::size_t n = clear_domain->empty() ? j.jar().clear() : j.jar().clear_domain(*clear_domain);
    j.save();
    std::cout << "deleted " << n << '\n';
  });

  auto* purge = jar.add_subcommand("purge", "Drop expired cookies (and session ones with --session)");
  auto session = std::make_shared<bool>(false);
  purge->add_flag("--session", *session, "Drop session cookies too (a browser restart)");
  purge->callback([a, session] {
    OpenJar j(*a);
    // Loading already left the expired ones out; the rewrite (or the delete) drops them.
    std::size_t n = j.jar().purge_expired();
    if (*session) n += j.jar().clear_session_cookies();
    if (j.store()) {
      auto gone = j.store()->delete_expired(j.jar().now(), *session);
      if (!gone) fail(file_error, gone.error().message());
      n = std::max(n, *gone);
    }
    j.save();
    std::cout << "purged " << n << '\n';
  });

  auto* import = jar.add_subcommand("import", "Add the cookies of FILE (any format, Firefox too)");
  auto in_file = std::make_shared<std::string>();
  auto in_format = std::make_shared<std::string>();
  import->add_option("file", *in_file, "The file to import")->required();
  import->add_option("--from", *in_format, "Its format (default: from the extension)")
      ->check(CLI::IsMember({"netscape", "json", "sqlite", "firefox"}));
  import->callback([a, in_file, in_format] {
    JarFileOptions from;
    // Unset, the extension decides, and a .sqlite with moz_cookies is read as Firefox's.
    if (!in_format->empty()) from.format = parse_jar_format(*in_format);
    else if (!jar_format_for(*in_file)) fail(file_error, "cannot tell the format of " + *in_file + ": use --from");
    from.load.keep_session_cookies = true;
    from.load.strict = a->strict;
    from.sqlite.read_only = true;
    auto loaded = read_jar_file(*in_file, from);
    if (!loaded) fail(file_error, loaded.error().message());
    if (!loaded->existed) fail(file_error, *in_file + ": no such file");
    for (const auto& e : loaded->errors) std::cerr << "httpstate: " << *in_file << ": " << to_string(e) << '\n';
    OpenJar j(*a);
    for (auto& c : loaded->cookies) j.jar().insert(std::move(c));
    j.save();
    std::cout << "imported " << loaded->cookies.size() << '\n';
  });

  auto* exp = jar.add_subcommand("export", "Write the jar to FILE (format from its extension or --to)");
  auto out_file = std::make_shared<std::string>();
  auto out_format = std::make_shared<std::string>();
  exp->add_option("file", *out_file, "The file to write (replaced atomically)")->required();
  exp->add_option("--to", *out_format, "Its format (default: from the extension)")
      ->check(CLI::IsMember({"netscape", "json", "sqlite"}));
  exp->callback([a, out_file, out_format] {
    OpenJar j(*a);
    JarFileOptions to;
    to.format = format_arg(*out_format, *out_file);
    if (!to.format) fail(file_error, "cannot tell the format of " + *out_file + ": use --to");
    auto n = save_jar_file(*out_file, j.jar(), to);
    if (!n) fail(file_error, n.error().message());
    std::cout << "exported " << *n << '\n';
  });

  // `jar list --jar PATH` reads as well as `jar --jar PATH list`.
  for (auto* sub : {list, get, set, del, clear, purge, import, exp}) sub->fallthrough();
}

}  // namespace httpstate::cli
