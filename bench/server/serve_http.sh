#!/usr/bin/env bash
# `httpstate serve` /counter against express-session and Flask, in one run, on loopback:
#   wrk -t1 -c64 -d${SECONDS_PER_RUN}s -s bench/server/wrk_session.lua URL/counter
# for each server, RUNS times (the median is reported), with 1000 sessions (SESSIONS).
# Needs build/release/httpstate, wrk, redis-server, node with build/node/node_modules
# (express, express-session, redis, connect-redis), gunicorn, python3-flask-session.
# Usage: bench/server/serve_http.sh [SECONDS_PER_RUN=10] [RUNS=3] [only NAME...]
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
secs=${1:-10}
runs=${2:-3}
shift 2 2>/dev/null || true
only=" $* "
bin=$root/build/release/httpstate
export SESSIONS=${SESSIONS:-1000}
export NODE_PATH=$root/build/node/node_modules
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {  # the port accepts within 30 s
  for _ in $(seq 300); do
    /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "port $1 never opened" >&2; return 1
}
rss_kb() {  # resident set of a process and its children, KiB
  local total=0 p
  for p in $1 $(pgrep -P "$1"); do
    total=$((total + $(awk '/VmRSS/ {print $2}' /proc/$p/status 2>/dev/null || echo 0)))
  done
  echo $total
}

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null &
pids+=($!)
wait_port "$redis_port" || exit 1
redis_url=redis://127.0.0.1:$redis_port/0

# The Redis store blocks its thread for each round trip: more threads than cores keep the cores
# busy meanwhile (REDIS_THREADS, default 8). SQLite is CPU-bound here: 2 threads measured best.
redis_threads=${REDIS_THREADS:-8}
sqlite_threads=${SQLITE_THREADS:-2}
# name|command (PORT is replaced); started fresh for every run so each starts from 0 sessions.
servers=(
  "floor|$bin serve --listen 127.0.0.1:PORT --threads 2 --store memory --floor --secret-file $work/secret"
  "httpstate-memory|$bin serve --listen 127.0.0.1:PORT --threads 2 --store memory --secret-file $work/secret"
  "httpstate-sqlite|$bin serve --listen 127.0.0.1:PORT --threads $sqlite_threads --store sqlite:$work/sessions-RUN.db --secret-file $work/secret"
  "httpstate-redis|$bin serve --listen 127.0.0.1:PORT --threads $redis_threads --store $redis_url --secret-file $work/secret"
  "express-memory|node $root/bench/server/express_counter.js PORT memory"
  "express-redis|node $root/bench/server/express_counter.js PORT $redis_url"
  "flask-cookie|env HS_STORE=cookie gunicorn -w 2 -b 127.0.0.1:PORT --chdir $root/bench/server flask_counter:app"
  "flask-redis|env HS_STORE=$redis_url gunicorn -w 2 -b 127.0.0.1:PORT --chdir $root/bench/server flask_counter:app"
)

printf '%-18s %10s %9s %9s %8s %8s\n' server req/s p50 p99 non2xx rss_MiB
for entry in "${servers[@]}"; do
  name=${entry%%|*}
  [[ "$only" != "  " && "$only" != *" $name "* ]] && continue
  results=()
  for run in $(seq "$runs"); do
    port=$(free_port)
    cmd=${entry#*|}
    cmd=${cmd//PORT/$port}
    cmd=${cmd//RUN/$run}
    $cmd >/dev/null 2>&1 &
    pid=$!
    wait_port "$port" || { kill $pid; continue; }
    out=$(wrk -t1 -c64 -d"${secs}s" --latency -s "$root/bench/server/wrk_session.lua" "http://127.0.0.1:$port/counter")
    rss=$(rss_kb $pid)
    kill $pid 2>/dev/null; wait $pid 2>/dev/null
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    errs=$(awk '/Socket errors/ {print $0}' <<<"$out")
    results+=("$rps $p50 $p99 ${bad:-0} $((rss / 1024)) ${errs:+!}")
    [[ -n "$errs" ]] && echo "  $name run $run: $errs" >&2
  done
  # The median run by requests/s.
  med=$(printf '%s\n' "${results[@]}" | sort -n -k1 | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
  read -r rps p50 p99 bad rss _ <<<"$med"
  printf '%-18s %10s %9s %9s %8s %8s   (runs: %s)\n' "$name" "$rps" "$p50" "$p99" "$bad" "$rss" \
    "$(printf '%s\n' "${results[@]}" | awk '{printf "%s ", $1}')"
done
