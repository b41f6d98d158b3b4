#!/usr/bin/env bash
# AIS decoding benchmark: figures, never pass or fail (issue 4's targets: portguard ais
# decode at >= 10x gpsdecode -j with identical output, >= 10 M sentences/s decode-only on
# one core).
#
# 1. build/bench_ais gen: one file of BENCH_SENTENCES (1 000 000) realistic sentences
#    (mostly types 1/2/3/18, type 5 and 24 in two sentences, some 4, 8, 9, 19, 21, 27; a
#    third with tag blocks).
# 2. portguard ais decode < file and gpsdecode -j < file, each timed (wall and CPU
#    seconds), outputs compared byte for byte (and line counts), the ratio printed.
#    The same with --raw against gpsdecode -u -j.
# 3. build/bench_ais decode: in memory, decode-only sentences/s and decode + JSON (CPU time
#    of one thread, so neighbours on a shared machine count less).
#
# Environment: PORTGUARD_BIN (build/portguard), BENCH_AIS_BIN (build/bench_ais),
# BENCH_SENTENCES (1000000), GPSDECODE (gpsdecode), TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${PORTGUARD_BIN:-build/portguard}
BIN=${BENCH_AIS_BIN:-build/bench_ais}
GPSD=${GPSDECODE:-gpsdecode}
N=${BENCH_SENTENCES:-1000000}
die() { echo "bench/ais.sh: $*" >&2; exit 1; }
[ -x "$PG" ] && [ -x "$BIN" ] || die "build first (make build)"
command -v "$GPSD" >/dev/null || die "gpsdecode not found (Debian gpsd-clients)"
dir=$(mktemp -d "${TMPDIR:-/tmp}/pgbench-ais.XXXXXX")
trap 'rm -rf "$dir"' EXIT

echo "== generate"
"$BIN" gen "$dir/in.nmea" "$N"

# seconds (wall, user+sys) of a command with stdin and stdout files
timed() { # in out cmd...
  local in=$1 out=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$dir/cpu" "$@" < "$in" > "$out" 2>/dev/null
  t1=$(date +%s.%N)
  read -r u s < <(tail -1 "$dir/cpu")
  echo "$(echo "$t1 - $t0" | bc -l) $(echo "$u + $s" | bc -l)"
}

row() { printf '%-30s %10s %10s %12s\n' "$@"; }
for mode in scaled raw; do
  if [ $mode = scaled ]; then pgflags=(); gflags=(-j); else pgflags=(--raw); gflags=(-u -j); fi
  echo
  echo "== $N sentences, $mode: portguard ais decode ${pgflags[*]} vs gpsdecode ${gflags[*]}"
  read -r pw pc < <(timed "$dir/in.nmea" "$dir/pg.json" "$PG" ais decode "${pgflags[@]}")
  read -r gw gc < <(timed "$dir/in.nmea" "$dir/gpsd.json" "$GPSD" "${gflags[@]}")
  row "" "wall s" "cpu s" "sentences/s"
  row "portguard ais decode" "$(printf %.3f "$pw")" "$(printf %.3f "$pc")" "$(printf %.0f "$(echo "$N / $pc" | bc -l)")"
  row "gpsdecode" "$(printf %.3f "$gw")" "$(printf %.3f "$gc")" "$(printf %.0f "$(echo "$N / $gc" | bc -l)")"
  echo "ratio (gpsdecode / portguard): wall $(printf %.1f "$(echo "$gw / $pw" | bc -l)")x, cpu $(printf %.1f "$(echo "$gc / $pc" | bc -l)")x"
  pl=$(wc -l < "$dir/pg.json"); gl=$(wc -l < "$dir/gpsd.json")
  if cmp -s "$dir/pg.json" "$dir/gpsd.json"; then
    echo "output: identical, byte for byte ($pl lines)"
  else
    echo "output: DIFFERS (portguard $pl lines, gpsdecode $gl lines; first difference:)"
    cmp "$dir/pg.json" "$dir/gpsd.json" | head -1 || true
  fi
done

echo
echo "== in memory (bench_ais decode, best of 3)"
"$BIN" decode "$dir/in.nmea" 3
