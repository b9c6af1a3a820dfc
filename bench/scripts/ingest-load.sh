#!/usr/bin/env bash
# otelservices alone under load, one server for every phase:
#   max-logs, max-metrics  closed loop, as fast as acknowledged (log records/s, metric points/s; stored = rows
#                          written to storage, read from /metrics)
#   steady                 traces at a fixed open-loop rate the server sustains: CPU % and RSS
#   overload               traces offered at 3x that rate for 60 s: the process must stay up, the accounted
#                          memory under its budget, refused requests answered with backpressure, and every
#                          acknowledged span stored (checked through the query API)
# Results (generator reports, 0.5 s samples of CPU, RSS and /metrics, summary.md) go to
# bench/target/ingest-load-<time>/. Figures and commands: docs/BENCHMARKS.md.
#
# Needs: ./mvnw -B -q -DskipTests package, curl, python3, a JDK 17+.
# Usage: bench/scripts/ingest-load.sh [--steady-rate N] [--overload-factor F] [--phase-duration D]
#            [--items N] [--protocol grpc|http] [--memory-limit SIZE]
set -euo pipefail

STEADY_RATE=10000
OVERLOAD_FACTOR=3
PHASE_DURATION=60s
ITEMS=300000
PROTOCOL=grpc
MEMORY_LIMIT=512MiB
SERVER_HEAP=${SERVER_HEAP:-2g}
LOADGEN_HEAP=${LOADGEN_HEAP:-3g}
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:-"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}
OTLP_GRPC_PORT=${OTLP_GRPC_PORT:-14317}
OTLP_HTTP_PORT=${OTLP_HTTP_PORT:-14318}
COLLECTOR_PORT=${COLLECTOR_PORT:-18080}
QUERY_PORT=${QUERY_PORT:-18081}
METRICS_PORT=${METRICS_PORT:-19090}
QUERY_METRICS_PORT=${QUERY_METRICS_PORT:-19091}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --steady-rate) STEADY_RATE=$2; shift 2 ;;
    --overload-factor) OVERLOAD_FACTOR=$2; shift 2 ;;
    --phase-duration) PHASE_DURATION=$2; shift 2 ;;
    --items) ITEMS=$2; shift 2 ;;
    --protocol) PROTOCOL=$2; shift 2 ;;
    --memory-limit) MEMORY_LIMIT=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BENCH_JAR=bench/target/otelservices-bench-0.1.0-SNAPSHOT.jar
OUT=${OUT:-bench/target/ingest-load-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

die() { echo "ingest-load: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

[[ -f $BENCH_JAR ]] || die "$BENCH_JAR missing: run ./mvnw -B -q -DskipTests package first"
[[ -f server/target/otelservices.jar ]] || die "server/target/otelservices.jar missing: run ./mvnw -B -q -DskipTests package first"
for port in $OTLP_GRPC_PORT $OTLP_HTTP_PORT $COLLECTOR_PORT $QUERY_PORT $METRICS_PORT $QUERY_METRICS_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then die "port $port is busy; stop it or change the *_PORT variables"; fi
done

mkdir -p "$OUT/server"
cp server/target/otelservices.jar "$OUT/server/"
cp -r server/target/lib "$OUT/server/"

SERVER_PID=
SAMPLER_PID=
cleanup() {
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$OUT/data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

{ date -u; uptime; nproc; git -C "$ROOT" log -1 --format='commit %H %s'; java -version 2>&1; } > "$OUT/machine.txt"

log "starting otelservices (memory budget $MEMORY_LIMIT, heap $SERVER_HEAP)"
java -Xmx$SERVER_HEAP -jar "$OUT/server/otelservices.jar" --data-dir "$OUT/data" \
    --otlp-grpc-port "$OTLP_GRPC_PORT" --otlp-http-port "$OTLP_HTTP_PORT" --collector-http-port "$COLLECTOR_PORT" \
    --query-port "$QUERY_PORT" --metrics-port "$METRICS_PORT" --query-metrics-port "$QUERY_METRICS_PORT" \
    --set "ingest.memory_limit=$MEMORY_LIMIT" > "$OUT/otelservices.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 120); do
  kill -0 "$SERVER_PID" 2>/dev/null || die "otelservices exited at start; see $OUT/otelservices.log"
  curl -sf -o /dev/null "http://127.0.0.1:$COLLECTOR_PORT/ready" && break
  sleep 0.5
done

# Every 0.5 s: process CPU ticks, RSS, and the ingest gauges that the overload phase checks.
sample() {
  local tick metrics
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    tick=$(date +%s%3N)
    metrics=$(curl -s --max-time 1 "http://127.0.0.1:$METRICS_PORT/metrics" \
        | awk '/^otel_ingest_memory_used_bytes /{u=$2} /^otel_ingest_memory_limit_bytes /{l=$2}
               /^otel_storage_writes_total\{.*status="ok"/{w+=$2} END{printf "%.0f %.0f %.0f", u, l, w}')
    echo "$tick $(awk '{print $14 + $15}' /proc/$SERVER_PID/stat) $(awk '/^VmRSS/{print $2}' /proc/$SERVER_PID/status) $metrics"
    sleep 0.5
  done
}
sample > "$OUT/samples.txt" &
SAMPLER_PID=$!

ENDPOINT=http://127.0.0.1:$([[ $PROTOCOL == grpc ]] && echo "$OTLP_GRPC_PORT" || echo "$OTLP_HTTP_PORT")
phase() { # name, then LoadGenerator flags
  local name=$1
  shift
  echo "$name $(date +%s%3N)" >> "$OUT/phases.txt"
  # shellcheck disable=SC2086
  java -Xmx$LOADGEN_HEAP $LOADGEN_JAVA_OPTS -cp "$BENCH_JAR:bench/target/lib/*" io.otelservices.bench.LoadGenerator \
      -protocol "$PROTOCOL" -endpoint "$ENDPOINT" -seed 42 "$@" -report "$OUT/$name.json" > "$OUT/$name.txt" 2>&1 || true
  echo "$name-end $(date +%s%3N)" >> "$OUT/phases.txt"
  grep -E '^  (traces|logs|metrics|stored)' "$OUT/$name.txt" | sed "s/^/  $name:/" || true
  [[ -s $OUT/$name.json ]] || die "load generator wrote no report for $name; see $OUT/$name.txt"
}
# Rows of earlier phases still waiting for storage would be charged to the next one.
drain() {
  local before after
  for _ in $(seq 600); do
    before=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics" | awk '/^otel_ingest_memory_used_bytes /{print $2}')
    [[ ${before%.*} == 0 ]] && return 0
    sleep 1
  done
  after=$before
  log "storage still busy after 10 min (memory used $after)"
}

log "max-logs: $ITEMS log records"
phase max-logs -signals logs -max -duration 0 -items "$ITEMS" -pool "$ITEMS" -workers 4 -inflight 4
drain
log "max-metrics: $ITEMS metric points"
phase max-metrics -signals metrics -max -duration 0 -items "$ITEMS" -pool "$ITEMS" -workers 4 -inflight 4
drain
log "steady: $STEADY_RATE spans/s for $PHASE_DURATION"
phase steady -signals traces -rate "$STEADY_RATE" -duration "$PHASE_DURATION" -workers 4 -inflight 4 -id-salt 1 \
    -query "http://127.0.0.1:$QUERY_PORT"
drain
OVERLOAD_RATE=$(python3 -c "print(int($STEADY_RATE * $OVERLOAD_FACTOR))")
log "overload: $OVERLOAD_RATE spans/s for $PHASE_DURATION"
phase overload -signals traces -rate "$OVERLOAD_RATE" -duration "$PHASE_DURATION" -workers 8 -inflight 4 -id-salt 2 \
    -max-attempts 1 -query "http://127.0.0.1:$QUERY_PORT"

kill -0 "$SERVER_PID" 2>/dev/null || die "otelservices is not running after the overload phase"
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
echo "peak RSS (VmHWM): $(awk '/^VmHWM/{print $2, $3}' /proc/$SERVER_PID/status)" >> "$OUT/machine.txt"
python3 "$ROOT/bench/scripts/ingest_load_summary.py" "$OUT" "$(getconf CLK_TCK)" | tee "$OUT/summary.md"
log "results in $OUT"
