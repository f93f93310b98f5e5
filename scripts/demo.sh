#!/usr/bin/env bash
# Installs what is missing, builds the release `httpstate`, and shows the cookie engine at work
# on a SQLite jar (the embedded default), then the signed-value codecs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null

bin="$PWD/build/release/httpstate"
hs() { "$bin" "$@"; }
# Echo the command as a user would type it, then run it (a refusal is part of the show).
show() {
  local out="\$ httpstate" a
  for a in "$@"; do
    case "$a" in *[\ \;\'\"]*) out+=" '$a'" ;; *) out+=" $a" ;; esac
  done
  printf '\n%s\n' "$out"
  hs "$@" 2>&1 || true
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
jar=demo.sqlite

echo "== A jar file: every change is written through to SQLite =="
show jar --jar "$jar" set https://shop.example.co.uk/cart 'sid=31d4d96e; Secure; HttpOnly; SameSite=Lax; Max-Age=3600'
show jar --jar "$jar" set https://shop.example.co.uk/ 'theme=dark; Domain=example.co.uk; Path=/'
show jar --jar "$jar" set https://shop.example.co.uk/ 'tracker=1; Domain=co.uk'
show jar --jar "$jar" set http://shop.example.co.uk/ '__Host-id=7; Path=/'
show jar --jar "$jar" list
show jar --jar "$jar" get https://shop.example.co.uk/cart/items
show jar --jar "$jar" get http://www.example.co.uk/
show jar --jar "$jar" export cookies.txt
printf '\n$ cat cookies.txt   # curl -b / -c reads and writes this file\n'
cat cookies.txt

echo
echo "== jar replay: a scripted browser session, with the reason for every refusal =="
script=session.tsv
printf 'now\t1800000000\n' >"$script"
printf 'set\thttps://example.com/login\tsession=abc; Path=/; Secure; HttpOnly\n' >>"$script"
printf 'set\thttps://example.com/\tprefs=compact; Max-Age=60\n' >>"$script"
printf 'set\thttp://example.com/\tsession=evil\n' >>"$script"
printf 'set\thttps://example.com/\tbad=1; SameSite=None\n' >>"$script"
printf 'get\thttps://example.com/account\n' >>"$script"
printf 'now\t1800000120\n' >>"$script"
printf 'get\thttps://example.com/account\n' >>"$script"
printf '\n$ cat session.tsv\n'
cat "$script"
show jar replay --explain "$script"

echo
echo "== Signed values that Flask, itsdangerous, Tornado and Express accept =="
printf 'demo-secret-0123456789abcdef\n' >secret
show sign --format itsdangerous-json --secret-file secret '{"user":"alice","id":5}'
token=$(hs sign --format itsdangerous-json --secret-file secret '{"user":"alice","id":5}')
show unsign --format itsdangerous-json --secret-file secret "$token"
echo
echo "# one character changed:"
show unsign --format itsdangerous-json --secret-file secret "${token%?}A"
