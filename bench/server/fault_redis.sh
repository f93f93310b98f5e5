#!/usr/bin/env bash
# Fault run: Redis restarted in the middle of a wrk load on `httpstate serve --store redis://`.
# Expect 503s (Retry-After) while it is down, no crash, and 200s again once it is back: the
# script prints wrk's summary and the statuses /counter answered each 100 ms around the outage.
# Usage: bench/server/fault_redis.sh [SECONDS=12]
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
secs=${1:-12}
bin=$root/build/release/httpstate
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 300); do
    /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
rport=$(free_port)
start_redis() {
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null &
  redis_pid=$!
  wait_port "$rport"
}
start_redis
sport=$(free_port)
"$bin" serve --listen 127.0.0.1:$sport --threads 8 --store redis://127.0.0.1:$rport/0 --secret-file "$work/secret" \
  >/dev/null 2>"$work/serve.log" &
serve_pid=$!
pids+=($serve_pid)
wait_port "$sport" || exit 1
wrk -t1 -c64 -d"${secs}s" -s "$root/bench/server/wrk_session.lua" "http://127.0.0.1:$sport/counter" >"$work/wrk.txt" &
wrk_pid=$!
# One probe every 100 ms: its status, with the outage from a third to two thirds of the run.
probe() { curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "http://127.0.0.1:$sport/counter"; }
steps=$((secs * 10))
down_at=$((steps / 3)); up_at=$((2 * steps / 3))
line=""
for i in $(seq "$steps"); do
  [ "$i" = "$down_at" ] && { kill -9 "$redis_pid"; wait "$redis_pid" 2>/dev/null; line+=" [redis down]"; }
  [ "$i" = "$up_at" ] && { start_redis; line+=" [redis up]"; }
  line+=" $(probe)"
  sleep 0.1
done
wait "$wrk_pid"
kill -0 "$serve_pid" 2>/dev/null && echo "serve: still running" || echo "serve: DIED"
echo "probes:$line"
grep -E "Requests/sec|Non-2xx|Socket errors|requests in" "$work/wrk.txt"
kill "$redis_pid" 2>/dev/null
