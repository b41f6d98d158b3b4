#!/usr/bin/env bash
# Sensor ingestion benchmark: figures, never pass or fail (issue 5's targets: >= 20 k
# events/s, alarm latency p99 < 100 ms, none lost).
#
# Starts a real mosquitto and `portguard serve` (MQTT enabled) on free loopback ports with
# a fresh store and one sensor, then runs build/bench_sensors twice:
#   1. throughput: BENCH_N messages (default 50000) published as fast as the broker takes
#      them (QoS 1); events/s from the first publish to the last event on the SSE stream;
#   2. latency: BENCH_LAT_N messages (default 10000) at BENCH_RATE/s (default 2000):
#      publish -> committed -> SSE event, p50 and p99;
#   3. the store side alone, in-process (no broker, no HTTP): messages parsed and committed
#      through sensors_ingest_tx in batches of 128.
# The stream is topic "sensors", plus "alarms" when this build serves the alarms module.
#
# Environment: PORTGUARD_BIN (build/portguard), BENCH_SENSORS_BIN (build/bench_sensors),
# MOSQUITTO_BIN (/usr/sbin/mosquitto), TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${PORTGUARD_BIN:-build/portguard}
BENCH=${BENCH_SENSORS_BIN:-build/bench_sensors}
MOSQ=${MOSQUITTO_BIN:-/usr/sbin/mosquitto}
die() { echo "bench/sensors.sh: $*" >&2; exit 1; }
[ -x "$PG" ] && [ -x "$BENCH" ] || die "build first (cmake --build build)"
[ -x "$MOSQ" ] || die "no mosquitto at $MOSQ"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DIR=$(mktemp -d "${TMPDIR:-/tmp}/portguard-bench-sensors-XXXXXX")
MQ_PID= PG_PID=
cleanup() {
  [ -n "$PG_PID" ] && kill "$PG_PID" 2>/dev/null && wait "$PG_PID" 2>/dev/null || true
  [ -n "$MQ_PID" ] && kill "$MQ_PID" 2>/dev/null && wait "$MQ_PID" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

MQ_PORT=$(free_port)
HTTP_PORT=$(free_port)
cat > "$DIR/mosquitto.conf" <<CONF
listener $MQ_PORT 127.0.0.1
allow_anonymous true
max_queued_messages 0
max_inflight_messages 1000
CONF
"$MOSQ" -c "$DIR/mosquitto.conf" > "$DIR/mosquitto.log" 2>&1 &
MQ_PID=$!
printf '[mqtt]\nenabled = 1\nport = %s\nclient_id = portguard-bench\n' "$MQ_PORT" > "$DIR/portguard.ini"
printf 'bench-admin-password\n' > "$DIR/pw"
"$PG" init --data "$DIR/data" --admin-password-file "$DIR/pw" > /dev/null
TOKEN=$("$PG" token create --data "$DIR/data" --name bench --role admin)
"$PG" serve --data "$DIR/data" --config "$DIR/portguard.ini" --listen "127.0.0.1:$HTTP_PORT" \
  --log-level warn > "$DIR/portguard.log" 2>&1 &
PG_PID=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/readyz" > /dev/null && break
  sleep 0.05
done
curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  "http://127.0.0.1:$HTTP_PORT/api/v1/sensors" -d '{"name":"bench-fence","kind":"fence_intrusion"}' > /dev/null \
  || die "cannot create the sensor: $(cat "$DIR/portguard.log")"
TOPICS=sensors
if curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/api/v1/openapi.json" 2>/dev/null | grep -q '/api/v1/alarms'; then
  TOPICS=sensors,alarms
fi
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "== throughput: ${BENCH_N:-50000} messages, QoS 1, as fast as possible (stream: $TOPICS)"
C0=$(cpu_ticks "$PG_PID"); M0=$(cpu_ticks "$MQ_PID")
"$BENCH" "$HTTP_PORT" "$TOKEN" "$MQ_PORT" bench-fence "${BENCH_N:-50000}" 0 "$TOPICS"
C1=$(cpu_ticks "$PG_PID"); M1=$(cpu_ticks "$MQ_PID")
HZ=$(getconf CLK_TCK)
awk -v c=$((C1 - C0)) -v m=$((M1 - M0)) -v hz="$HZ" -v n="${BENCH_N:-50000}" 'BEGIN {
  printf "CPU: portguard %.2f s (%.1f us per event: %.0f events/s per core), mosquitto %.2f s; load %s\n",
    c / hz, 1e6 * c / hz / n, n / (c / hz), m / hz, "'"$(cut -d' ' -f1-3 /proc/loadavg)"'" }'
echo
echo "== latency: ${BENCH_LAT_N:-10000} messages at ${BENCH_RATE:-2000}/s (stream: $TOPICS)"
"$BENCH" "$HTTP_PORT" "$TOKEN" "$MQ_PORT" bench-fence "${BENCH_LAT_N:-10000}" "${BENCH_RATE:-2000}" "$TOPICS"
echo
echo "== the store side alone (in-process, ${BENCH_N:-50000} messages)"
mkdir -p "$DIR/inproc"
"$BENCH" store "$DIR/inproc" "${BENCH_N:-50000}"
echo
curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | grep -E '^portguard_sensor_messages_total\{source="mqtt",result="accepted"\}|^portguard_store_(commits|writes)_total|^portguard_store_batch_max' || true
