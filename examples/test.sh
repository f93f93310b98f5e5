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
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
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

echo "examples: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
