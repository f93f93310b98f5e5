#!/usr/bin/env bash
# Installs what is missing, builds the release `httpstate`, and shows sessions on the wire
# (`httpstate serve` on its SQLite default, driven by the `httpstate` client with a named
# session, restarted), then the cookie engine at work on a SQLite jar (the embedded default),
# then the signed-value codecs.
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
serve_pid=
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
jar=demo.sqlite

# Starts `httpstate serve --demo` on a free loopback port (the SQLite store and the secret file
# are the defaults, in this folder) and waits for the line that names its address.
start_serve() {
  rm -f serve.out
  "$bin" serve --demo --listen 127.0.0.1:0 --threads 2 >serve.out 2>>serve.log &
  serve_pid=$!
  for _ in $(seq 100); do
    base=$(sed -n 's|.*serving \(http://127.0.0.1:[0-9]*\)/.*|\1|p' serve.out)
    [ -n "$base" ] && break
    sleep 0.1
  done
  sed 's/^/  /' serve.out
}
stop_serve() { kill -TERM "$serve_pid"; wait "$serve_pid" || true; serve_pid=; }
# The client's named session lives in $XDG_CONFIG_HOME/httpstate/sessions/: this folder here.
req() {
  printf '\n$ httpstate %s --session demo\n' "$*"
  XDG_CONFIG_HOME="$work" no_proxy='*' hs "$@" --session demo 2>&1 || true
  echo
}

echo "== httpstate serve: sessions in SQLite, logins that survive a restart =="
echo "\$ httpstate serve --demo   # alice / wonderland; store sqlite:./httpstate-sessions.db"
start_serve
req post "$base/login" --form username=alice --form password=wonderland
req get "$base/profile"
req get "$base/counter"
req get "$base/counter"
printf '\n# the session cookie the client keeps (HttpOnly, SameSite=Lax; the server stores only its SHA-256),\n'
printf '# in the session file, mode 0600, as a JSON jar:\n'
grep -E '"(name|http_only|same_site|domain)"' "$work/httpstate/sessions/demo.json" | sed 's/^ */  /' || true
printf '\n# restart the server: SIGTERM drains it, a new process opens the same SQLite file\n'
stop_serve
start_serve
req get "$base/profile"
req get "$base/counter"
req post "$base/logout"
req get "$base/profile" --check-status
stop_serve
printf '\n# the access log (stderr): routes and session events, never a cookie or an id\n'
sed 's/^/  /' serve.log
echo

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
