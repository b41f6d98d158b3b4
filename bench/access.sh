#!/usr/bin/env bash
# Access decision benchmark: figures, never pass or fail.
#
# 1. In-process (build/bench_access): the pure engine's decisions/s, and decide + persist
#    with 1, 8 and 32 callers (every decision committed before the call returns).
# 2. Over HTTP: a daemon on a store with 50 k people, 200 readers and 100 groups; wrk
#    POSTs /api/v1/access/decide at growing concurrency; decisions/s and p50/p99, every
#    decision persisted before the reply. The issue's target: p99 <= 10 ms at 5 k/s.
#
# Environment: PORTGUARD_BIN (build/portguard), BENCH_ACCESS_BIN (build/bench_access),
# BENCH_DURATION (10s), BENCH_SECONDS (in-process seconds per case, 3).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${PORTGUARD_BIN:-build/portguard}
ABIN=${BENCH_ACCESS_BIN:-build/bench_access}
DURATION=${BENCH_DURATION:-10s}
die() { echo "bench/access.sh: $*" >&2; exit 1; }
[ -x "$BIN" ] && [ -x "$ABIN" ] || die "build first (make build)"
command -v wrk >/dev/null || die "wrk not installed"

echo "== in-process"
"$ABIN" "${BENCH_SECONDS:-3}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/portguard-bench-access.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
token=$("$ABIN" seed "$tmp/data")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN" serve --data "$tmp/data" --listen "127.0.0.1:$port" --log-level warn 2>"$tmp/daemon.log" &
pid=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
# the first decision loads the 50 k snapshot
curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"reader_id":1,"credential":"B0000001"}' "http://127.0.0.1:$port/api/v1/access/decide" >/dev/null

echo
echo "== over HTTP (wrk on loopback, $DURATION each; every decision persisted before the reply)"
printf '%-12s %12s %10s %10s\n' connections decisions/s p50 p99
for c in 2 4 8 16 32 64; do
  line=$(BENCH_TOKEN=$token wrk -t2 -c"$c" -d"$DURATION" -s bench/access_decide.lua \
    "http://127.0.0.1:$port" | grep '^RESULT') || true
  rps=$(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' <<<"$line")
  p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  printf '%-12s %12s %8s ms %8s ms\n' "$c" "$rps" "$p50" "$p99"
done
rows=$(sqlite3 "$tmp/data/portguard.db" 'SELECT count(*) FROM decisions' 2>/dev/null || echo '?')
echo "decisions stored: $rows"
