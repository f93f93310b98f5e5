#!/usr/bin/env bash
# SessionManager load + modify + commit against each store used bare, in one run, N runs
# (default 5); prints each run's figures and the medians with the ratio manager / bare.
# Starts its own redis-server on a free loopback port (--save ''), stopped on exit.
# Usage: bench/server/sessions.sh [RUNS=5]   (after cmake --build --preset release --target bench_sessions)
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
runs=${1:-5}
bin=$root/build/release/bench/server/bench_sessions
[ -x "$bin" ] || { echo "build it first: cmake --build --preset release --target bench_sessions" >&2; exit 1; }
work=$(mktemp -d)
redis_pid=
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null &
redis_pid=$!
for _ in $(seq 100); do
  redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping | grep -q PONG || { echo "redis-server did not start" >&2; exit 1; }
for r in $(seq "$runs"); do
  TMPDIR=$work HTTPSTATE_BENCH_REDIS_PORT=$port "$bin" --benchmark_min_time=0.5 \
    --benchmark_format=csv 2>/dev/null | grep '^"BM_' >"$work/run$r.csv"
  redis-cli -h 127.0.0.1 -p "$port" flushall >/dev/null
done
/usr/bin/python3 - "$work" "$runs" <<'PY'
import csv, glob, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
ns = {}
for f in sorted(glob.glob(f"{work}/run*.csv")):
    for row in csv.reader(open(f)):
        name, real = row[0], float(row[2])   # name, iterations, real_time (ns), ...
        ns.setdefault(name, []).append(real)
print(f"medians of {runs} runs, ns per load+modify+commit (wall time per operation per thread count)")
print(f"{'store':8} {'threads':>7} {'manager':>10} {'bare':>10} {'ratio':>6}")
for store in ("memory", "sqlite", "redis", "cookie"):
    for t in (1, 2):
        m = ns.get(f"BM_manager_{store}/real_time/threads:{t}")
        b = ns.get(f"BM_bare_{store}/real_time/threads:{t}")
        if not m or not b:
            print(f"{store:8} {t:>7} {'-':>10} {'-':>10}")
            continue
        mm, bb = statistics.median(m), statistics.median(b)
        print(f"{store:8} {t:>7} {mm:>10.0f} {bb:>10.0f} {mm / bb:>6.2f}")
PY
