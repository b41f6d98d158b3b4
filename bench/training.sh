#!/usr/bin/env bash
# Training compliance benchmark: figures, never pass or fail (issue 7: the compliance report
# for 50 k people x 20 courses, seconds and peak memory).
#
# build/bench_training makes a fresh store of BENCH_PEOPLE people (default 50000) and 20
# courses all required of everyone (1 M person-course rows, ~750 k completions), then
# times the summary pass, the streamed CSV export and the PDF report, each with the peak
# RSS (VmHWM) of the process so far.
#
# Environment: BENCH_TRAINING_BIN (build/bench_training), BENCH_PEOPLE (50000), TMPDIR
# (where the store goes; about 150 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_TRAINING_BIN:-build/bench_training}
[ -x "$BIN" ] || { echo "bench/training.sh: build first (make build)" >&2; exit 1; }
echo "== training compliance (${BENCH_PEOPLE:-50000} people x 20 courses)"
"$BIN" "${BENCH_PEOPLE:-50000}" "${TMPDIR:-/tmp}"
