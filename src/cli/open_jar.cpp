#include "open_jar.hpp"

#include <iostream>

#include "commands.hpp"

namespace httpstate::cli {

std::shared_ptr<const JarArgs> add_jar_file_options(CLI::App& jar) {
  auto a = std::make_shared<JarArgs>();
  jar.add_option("--jar", a->path, "The jar file (.txt cookies.txt, .json, .sqlite/.db)");
  jar.add_option("--format", a->format, "netscape, json, sqlite or firefox (default: from the extension)")
      ->check(CLI::IsMember({"netscape", "json", "sqlite", "firefox"}));
  jar.add_flag("--strict", a->strict, "Refuse a file with any malformed line");
  jar.add_flag("--force", a->force, "Rewrite a text jar even though malformed lines will be lost");
  return a;
}

std::optional<JarFormat> format_arg(const std::string& name, const std::string& path) {
  if (name.empty()) return jar_format_for(path);
  return parse_jar_format(name);
}

OpenJar::OpenJar(const JarArgs& a) : args_(a) {
  auto format = format_arg(a.format, a.path);
  if (a.path.empty()) fail(file_error, "no jar file: give --jar PATH");
  if (!format) fail(file_error, "cannot tell the format of " + a.path + ": use --format");
  if (!a.format.empty()) opts_.format = format;
  // A jar file is edited as it is: its session cookies are the user's, not a new session's.
  opts_.load.keep_session_cookies = true;
  opts_.load.strict = a.strict;
  if (*format == JarFormat::sqlite) {
    auto store = SqliteStore::open(a.path, opts_.sqlite);
    // Not our schema: perhaps Firefox's cookies.sqlite, which load_jar_file recognises.
    if (!store && !(store.error().reason == JarError::foreign_database && !opts_.format))
      fail(file_error, store.error().message());
    if (store) {
      store_ = std::move(*store);
      auto loaded = store_->attach(jar_, opts_.load);
      if (!loaded) fail(file_error, loaded.error().message());
      report(*loaded);
      return;
    }
  }
  auto loaded = load_jar_file(a.path, jar_, opts_);
  if (!loaded) fail(file_error, loaded.error().message());
  report(*loaded);
}

void OpenJar::save() {
  if (store_) {
    if (auto f = store_->flush(); !f) fail(file_error, f.error().message());
    if (store_->failed_writes() != 0) fail(file_error, store_->last_failure().message());
    return;
  }
  if (malformed_ != 0 && !args_.force)
    fail(file_error, "refusing to rewrite " + args_.path + ": " + std::to_string(malformed_) +
                         " malformed line(s) would be lost (fix them, or use --force)");
  auto saved = save_jar_file(args_.path, jar_, opts_);
  if (!saved) fail(file_error, saved.error().message());
}

void OpenJar::report(const LoadedCookies& loaded) {
  malformed_ = loaded.errors.size();
  for (const auto& e : loaded.errors) std::cerr << "httpstate: " << args_.path << ": " << to_string(e) << '\n';
}

}  // namespace httpstate::cli
