#!/usr/bin/env bash
# End-to-end AIS ingest benchmark: figures, never pass or fail (issue 4's target: at least
# 200 k messages/s with 10 k vessels and 1 k geofences).
#
# build/bench_ais_ingest generates a layout of 1,000 geofences and an NMEA file of
# BENCH_AIS_MESSAGES messages from 10,000 vessels, then runs the daemon's pipeline on it
# (file replay input decoding -> queue -> engine: vessel table, geofences, anomaly rules ->
# batched persistence into a fresh store): messages/s, stored rows, peak RSS.
#
# Environment: BENCH_AIS_BIN (build/bench_ais_ingest), BENCH_AIS_MESSAGES (1000000), TMPDIR
# (where the NMEA file and the store go; about 60 MB and 100 MB for 1 M messages).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_AIS_BIN:-build/bench_ais_ingest}
[ -x "$BIN" ] || { echo "bench/ais_ingest.sh: build first (make build)" >&2; exit 1; }
echo "== AIS ingest end to end (${BENCH_AIS_MESSAGES:-1000000} messages)"
"$BIN" "${BENCH_AIS_MESSAGES:-1000000}" "${TMPDIR:-/tmp}"
