#!/usr/bin/env bash
# HTTP benchmark for portguard: figures, never pass or fail.
#
# Starts the built daemon on a free loopback port with a fresh data directory, creates
# an admin token, drives GET /healthz and an authenticated GET /api/v1/me with wrk, and
# prints requests/s, p50 and p99 for each. Then runs build/bench_store if it exists.
#
#   bench/http.sh                        # defaults: 2 threads, 32 connections, 10 s each
#   BENCH_DURATION=30s BENCH_CONNECTIONS=64 bench/http.sh
#
# Environment: PORTGUARD_BIN (default build/portguard), BENCH_STORE_BIN (default
# build/bench_store), BENCH_THREADS, BENCH_CONNECTIONS, BENCH_DURATION.
# Builds nothing. Exits 0 once it has measured; 1 if it cannot run at all.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${PORTGUARD_BIN:-build/portguard}
STORE_BENCH=${BENCH_STORE_BIN:-build/bench_store}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-10s}

die() { echo "bench/http.sh: $*" >&2; exit 1; }

[ -x "$BIN" ] || die "$BIN not found or not executable (build first, or set PORTGUARD_BIN)"
command -v wrk >/dev/null || die "wrk not installed (apt-get install wrk)"
command -v curl >/dev/null || die "curl not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/portguard-bench.XXXXXX")
pid=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  fi
}

data="$tmp/data"
mkdir -p "$data"
printf '%s\n' "bench-admin-password-$$" >"$tmp/admin.pw"
chmod 600 "$tmp/admin.pw"
"$BIN" init --data "$data" --admin-password-file "$tmp/admin.pw" >"$tmp/init.log" 2>&1 ||
  { cat "$tmp/init.log" >&2; die "portguard init failed"; }
token=$("$BIN" token create --name bench --role admin --data "$data" 2>"$tmp/token.log" | head -n 1) ||
  { cat "$tmp/token.log" >&2; die "portguard token create failed"; }
[ -n "$token" ] || die "portguard token create printed no token"

port=$(free_port)
base="http://127.0.0.1:$port"
"$BIN" serve --data "$data" --listen "127.0.0.1:$port" >"$tmp/daemon.log" 2>&1 &
pid=$!
ready=
for _ in $(seq 100); do
  if curl -fsS -o /dev/null "$base/readyz" 2>/dev/null; then ready=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$ready" ] || { tail -n 20 "$tmp/daemon.log" >&2; die "daemon not ready within 10 s"; }

# Sanity: the authenticated route must answer 200, or the figures measure refusals.
me_status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/me")
[ "$me_status" = 200 ] || echo "note: GET /api/v1/me answered $me_status, not 200" >&2

# run_wrk NAME PATH [wrk args...] -> one table row
rows=()
run_wrk() {
  local name=$1 path=$2
  shift 2
  local out="$tmp/wrk-${#rows[@]}.txt"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$base$path" >"$out" 2>&1 || true
  local rps p50 p99 errs
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  errs=$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
  rows+=("$(printf '%-24s %12s %10s %10s %8s' "$name" "${rps:-?}" "${p50:-?}" "${p99:-?}" "$errs")")
  if [ -z "$rps" ]; then echo "wrk output for $name:" >&2; cat "$out" >&2; fi
}

echo "portguard HTTP benchmark: $BIN, wrk -t$THREADS -c$CONNS -d$DURATION, $(nproc) CPUs"
run_wrk "GET /healthz" /healthz
run_wrk "GET /api/v1/me (bearer)" /api/v1/me -H "Authorization: Bearer $token"

printf '%-24s %12s %10s %10s %8s\n' "request" "requests/s" "p50" "p99" "errors"
printf '%s\n' "${rows[@]}"

if [ -x "$STORE_BENCH" ]; then
  echo
  echo "store benchmark: $STORE_BENCH"
  store_bench=$(realpath "$STORE_BENCH")
  # Run in the temp dir so that whatever it writes is cleaned up with it.
  (cd "$tmp" && TMPDIR="$tmp" "$store_bench") || echo "note: $STORE_BENCH exited $?" >&2
else
  echo
  echo "(no $STORE_BENCH: store benchmark skipped)"
fi
exit 0
