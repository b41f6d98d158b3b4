#!/usr/bin/env bash
# Manifest import benchmark: figures, never pass or fail (issue 6's targets: a 1 M-line
# manifest imported and scored in under 5 s and 500 MB).
#
# 1. build/bench_inspect: generates two CSV manifests of BENCH_LINES container lines, then
#    reads, checks, scores and writes each into one fresh store (the first with every
#    party new, the second with the parties known): seconds, lines/s, peak RSS (VmHWM).
# 2. build/bench_iso6346, if built: ISO 6346 validations per second.
#
# Environment: BENCH_INSPECT_BIN (build/bench_inspect), BENCH_ISO6346_BIN
# (build/bench_iso6346), BENCH_LINES (1000000), TMPDIR (where the manifests and the store
# go; about 2.5 GB for 1 M lines).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_INSPECT_BIN:-build/bench_inspect}
ISO=${BENCH_ISO6346_BIN:-build/bench_iso6346}
die() { echo "bench/inspect.sh: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "build first (make build)"

echo "== manifest import (${BENCH_LINES:-1000000} lines, one commit each)"
"$BIN" "${BENCH_LINES:-1000000}" "${TMPDIR:-/tmp}"
if [ -x "$ISO" ]; then
  echo
  echo "== ISO 6346 container numbers"
  "$ISO"
fi
