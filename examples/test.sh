#!/usr/bin/env bash
# Builds examples/ against an installed httpstate, as a user's project would (find_package with
# CMAKE_PREFIX_PATH=PREFIX, nothing from the source tree), runs every example and checks what it
# prints, and its tokens and files against the real peers: Python's itsdangerous and curl.
# Usage: examples/test.sh PREFIX [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(cd "${1:?usage: examples/test.sh PREFIX [BUILD_DIR]}" && pwd)
work=$(mktemp -d)
server_pid=
httpbin_pid=
login_pid=
pids=()  # more servers the examples started
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  [ -z "$httpbin_pid" ] || kill "$httpbin_pid" 2>/dev/null || true
  [ -z "$login_pid" ] || kill "$login_pid" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
build=${2:-$work/build}
python=/usr/bin/python3  # Debian's, with itsdangerous; never the python3 first on PATH
fails=0 passes=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    passes=$((passes + 1))
  else
    fails=$((fails + 1))
    printf 'examples: FAILED %s\n  expected: %s\n  actual:   %s\n' "$1" "$2" "$3" >&2
  fi
}

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; exit 1; }
cmake --build "$build" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
cd "$work"

# itsdangerous_serializer: our token loads in Python, Python's token loads in ours.
secret=example-secret-0123456789
token=$("$build/itsdangerous_serializer" "$secret")
check "Python's URLSafeSerializer loads our token" "{'user': 'alice', 'id': 5}" \
  "$("$python" -c 'import itsdangerous, sys; print(itsdangerous.URLSafeSerializer(sys.argv[1]).loads(sys.argv[2]))' "$secret" "$token")"
py_token=$("$python" -c 'import itsdangerous, sys; print(itsdangerous.URLSafeSerializer(sys.argv[1]).dumps({"user": "bob", "n": [1, 2]}))' "$secret")
check "we load Python's token" '{"user":"bob","n":[1,2]}' "$("$build/itsdangerous_serializer" "$secret" "$py_token")"
check "a changed token is refused" "rejected: bad signature|1" \
  "$("$build/itsdangerous_serializer" "$secret" "${token%?}x" 2>&1 >/dev/null)|$("$build/itsdangerous_serializer" "$secret" "${token%?}x" >/dev/null 2>&1; echo $?)"

# store_restore_cookies: save in one process, restore in another, for each file format.
for f in jar.json jar.txt jar.sqlite; do
  out=$("$build/store_restore_cookies" save "$f")
  check "save $f: refusal" "tracker=1; Domain=com: rejected: Domain=com is a public suffix" "$(sed -n 3p <<<"$out")"
  check "save $f: filter_cookies" "cart: cart=3; sid=31d4d96e" "$(sed -n 4p <<<"$out")"
  out=$("$build/store_restore_cookies" restore "$f")
  check "restore $f" "restored 3 cookies|cart: cart=3; sid=31d4d96e; lang=en|home: sid=31d4d96e; lang=en|http: cart=3; lang=en" \
    "$(paste -sd'|' <<<"$out")"
done

# cookies_txt_with_curl: curl writes cookies.txt, we read and extend it, curl sends it back.
exec {server_out}< <(exec "$python" "$here/../tests/persist/cookie_server.py")
server_pid=$!
read -r -t 20 -u "$server_out" port || { echo "examples: the cookie server did not start" >&2; exit 1; }
base=http://127.0.0.1:$port
curl -sf -c cookies.txt "$base/set" >/dev/null
out=$("$build/cookies_txt_with_curl" cookies.txt "$base/")
# cookie_server.py sets sid (a session cookie), pref (Domain=localhost: refused by curl from
# 127.0.0.1), tok (HttpOnly) and sec (Secure: loopback is a secure context). Sorted: the order
# among cookies of one path is creation order, which curl's file does not keep.
sorted_pairs() { tr -d '\n' | sed 's/^Cookie: //' | tr ';' '\n' | sed 's/^ //' | sort | paste -sd';' | sed 's/;/; /g'; }
check "the jar reads curl's cookies.txt" "sec=1; sid=abc123; tok=s3cr3t" "$(sed -n 2p <<<"$out" | sorted_pairs)"
check "a cookie added to curl's file" "theme=dark: stored" "$(sed -n 3p <<<"$out")"
check "curl sends the file we saved" "sec=1; sid=abc123; theme=dark; tok=s3cr3t" \
  "$(curl -sf -b cookies.txt "$base/echo" | sorted_pairs)"

# The client examples need a server: Debian's httpbin on a free loopback port, waited for
# until it answers (at most ~20 s).
if [ -x "$build/requests_session" ]; then
  hb_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$python" -m httpbin.core --host 127.0.0.1 --port "$hb_port" >"$work/httpbin.log" 2>&1 &
  httpbin_pid=$!
  hb=http://127.0.0.1:$hb_port
  for _ in $(seq 200); do
    curl -sf --noproxy '*' -o /dev/null "$hb/get" && break
    kill -0 "$httpbin_pid" 2>/dev/null || break
    sleep 0.1
  done
  curl -sf --noproxy '*' -o /dev/null "$hb/get" || { cat "$work/httpbin.log" >&2; echo "examples: httpbin did not start" >&2; exit 1; }
fi

# requests_session: requests' Session examples, line for line.
if [ -x "$build/requests_session" ]; then
  out=$(no_proxy='*' "$build/requests_session" "$hb")
  check "requests_session" \
    'cookies: {"sessioncookie":"123456789"}|headers: x-test=true x-test2=true|session headers: 1|per-call cookie: {"from-my":"browser","sessioncookie":"123456789"}|next call: {"sessioncookie":"123456789"}|session cookie: {"cookie":"1234","from-my":"browser","sessioncookie":"123456789"}|basic-auth: 200 true' \
    "$(paste -sd'|' <<<"$out")"
fi

# login_profile: the Flask login app of the client tests; the form POST, then the profile.
if [ -x "$build/login_profile" ]; then
  exec {login_out}< <(exec "$python" "$here/../tests/client/peers/login_app.py" 2>"$work/login_app.log")
  login_pid=$!
  read -r -t 20 -u "$login_out" login_port || { echo "examples: the login app did not start" >&2; exit 1; }
  out=$(no_proxy='*' "$build/login_profile" "http://127.0.0.1:$login_port" alice wonderland)
  check "login_profile" "login: 200|cookie session: stored|profile: 200 alice" "$(paste -sd'|' <<<"$out")"
  out=$(no_proxy='*' "$build/login_profile" "http://127.0.0.1:$login_port" alice wrong || true)
  check "login_profile with a wrong password" "login: 401|profile: 401 " "$(paste -sd'|' <<<"$out")"
fi

# aiohttp_store_restore: 50 requests with 16 in flight, the jar saved; a second run restores it.
if [ -x "$build/aiohttp_store_restore" ]; then
  for f in async.json async.txt async.sqlite; do
    out=$(no_proxy='*' "$build/aiohttp_store_restore" save "$f" "$hb")
    check "aiohttp save $f" "responses: 50 of 50 ok|jar: 50 cookies" "$(paste -sd'|' <<<"$out")"
    out=$(no_proxy='*' "$build/aiohttp_store_restore" restore "$f" "$hb")
    check "aiohttp restore $f" "restored: 50 cookies|server saw: 50 cookies, k0=0 k49=49" "$(paste -sd'|' <<<"$out")"
  done
fi

# tornado_session: one request per run (Cookie header in, Set-Cookie out), sessions in SQLite.
if [ -x "$build/tornado_session" ]; then
  echo tornado-example-secret-0123456789 >tornado.secret
  ts() { "$build/tornado_session" tornado.db tornado.secret "$@" 2>>tornado.log; }
  check "tornado_session: a new visitor is a Guest, and gets no cookie" "Hello, Guest" "$(ts GET)"
  out=$(ts POST alice)
  cookie=$(sed -n 's/^Set-Cookie: \([^;]*\).*/\1/p' <<<"$out")
  check "tornado_session: POST saves and sends the session cookie" "saved|session=" "$(sed -n 1p <<<"$out")|${cookie%%=*}="
  check "tornado_session: the cookie is HttpOnly and SameSite=Lax" "HttpOnly|SameSite=Lax" \
    "$(grep -o HttpOnly <<<"$out")|$(grep -o 'SameSite=Lax' <<<"$out")"
  check "tornado_session: GET greets the session's user" "Hello, alice" "$(ts GET "theme=dark; $cookie" | head -1)"
  value=${cookie#session=}
  [ "${value:0:1}" = A ] && swap=B || swap=A
  out=$(ts GET "session=$swap${value:1}")
  check "tornado_session: a tampered cookie is a Guest, and is deleted" "Hello, Guest|Max-Age=0" \
    "$(head -1 <<<"$out")|$(grep -o 'Max-Age=0' <<<"$out")"
  check "tornado_session: the refusal is logged by handle, not id" "session -: refused: bad signature" "$(tail -1 tornado.log)"
fi

# The Beast examples: started on a free port (they print it), checked with curl.
start_example() {  # start_example NAME ARGS...: sets port
  local fd
  exec {fd}< <(exec "$build/$1" "${@:2}")
  pids+=($!)
  read -r -t 20 -u "$fd" line || { echo "examples: $1 did not start" >&2; exit 1; }
  port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' <<<"$line")
  [ -n "$port" ] || { echo "examples: $1 printed '$line'" >&2; exit 1; }
}
get() { curl -s --noproxy '*' --max-time 10 "$@"; }

# flask_set_cookie: the first GET sets my_cookie, the second shows it.
if [ -x "$build/flask_set_cookie" ]; then
  start_example flask_set_cookie 0
  out=$(get -i -c flask.jar "http://127.0.0.1:$port/" | tr -d '\r')
  check "flask_set_cookie: without my_cookie it sets it" "my_cookie was not set; setting it to my_value" "$(tail -1 <<<"$out")"
  check "flask_set_cookie: the Set-Cookie line" "set-cookie: my_cookie=my_value; Path=/; HttpOnly; SameSite=Lax" \
    "$(grep -i '^set-cookie:' <<<"$out" | sed 's/^[Ss]et-[Cc]ookie/set-cookie/')"
  check "flask_set_cookie: with it, it shows the value" "my_cookie is my_value" "$(get -b flask.jar "http://127.0.0.1:$port/")"
fi

# tornado_session_server: Guest, POST name=alice, then the greeting, through curl's cookie jar.
if [ -x "$build/tornado_session_server" ]; then
  echo tornado-example-secret-0123456789 >tornado-server.secret
  start_example tornado_session_server tornado-server.secret 0
  base=http://127.0.0.1:$port/
  check "tornado_session_server: a new visitor is a Guest" "Hello, Guest" "$(get -c tornado.jar "$base")"
  out=$(get -i -c tornado.jar -d name=alice "$base" | tr -d '\r')
  check "tornado_session_server: POST saves" "saved" "$(tail -1 <<<"$out")"
  check "tornado_session_server: the session response is not cached" "Cache-Control: no-store|Vary: Cookie" \
    "$(grep -i '^cache-control:' <<<"$out" | sed 's/^[^:]*/Cache-Control/')|$(grep -i '^vary:' <<<"$out" | sed 's/^[^:]*/Vary/')"
  check "tornado_session_server: the cookie is HttpOnly" "HttpOnly" "$(grep -i '^set-cookie: session=' <<<"$out" | grep -o HttpOnly)"
  check "tornado_session_server: GET greets the session's user" "Hello, alice" "$(get -b tornado.jar "$base")"
  check "tornado_session_server: a forged cookie is a Guest" "Hello, Guest" \
    "$(get -H 'Cookie: session=AAAAAAAAAAAAAAAAAAAAAA.AAAAAA.AAAA' "$base")"
fi

echo "examples: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
