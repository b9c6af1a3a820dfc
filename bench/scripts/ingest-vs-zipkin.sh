#!/usr/bin/env bash
# Side-by-side trace ingest: otelservices (OTLP) against Zipkin 3.6.1 (in-memory storage, Zipkin v2 JSON), the same
# generated spans into each, alternating, several rounds; then a fixed-rate run into otelservices alone.
# Results (JSON per run, process samples, summary.md) go to bench/target/ingest-vs-zipkin-<time>/.
# How to read them and the recorded figures: docs/BENCHMARKS.md, "Ingest vs Zipkin (issue 4)".
#
# Needs: ./mvnw -B -q -DskipTests package (server and bench), curl, python3, a JDK 17+.
# Usage: bench/scripts/ingest-vs-zipkin.sh [--rounds N] [--spans N] [--warmup-spans N] [--protocol grpc|http]
#            [--workers N] [--inflight N] [--batch N] [--fixed-rate N] [--fixed-duration D] [--no-fixed]
set -euo pipefail

ROUNDS=3
SPANS=500000
WARMUP_SPANS=100000
PROTOCOL=grpc
WORKERS=4
INFLIGHT=4
BATCH=512
FIXED_RATE=50000
FIXED_DURATION=60s
FIXED=1
SERVER_HEAP=${SERVER_HEAP:-2g}
ZIPKIN_HEAP=${ZIPKIN_HEAP:-2g}
LOADGEN_HEAP=${LOADGEN_HEAP:-3g}
# The generator shares the cores with the servers: C1 only and the serial collector keep its CPU use low (about
# 10 us of CPU per span sent, measured; with C2 and G1 it takes nearly twice that on short runs).
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:-"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}
ZIPKIN_VERSION=3.6.1
ZIPKIN_PORT=9411
# Our server on its own ports, so that a development server on the defaults does not collide.
OTLP_GRPC_PORT=${OTLP_GRPC_PORT:-14317}
OTLP_HTTP_PORT=${OTLP_HTTP_PORT:-14318}
COLLECTOR_PORT=${COLLECTOR_PORT:-18080}
QUERY_PORT=${QUERY_PORT:-18081}
METRICS_PORT=${METRICS_PORT:-19090}
QUERY_METRICS_PORT=${QUERY_METRICS_PORT:-19091}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --spans) SPANS=$2; shift 2 ;;
    --warmup-spans) WARMUP_SPANS=$2; shift 2 ;;
    --protocol) PROTOCOL=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --inflight) INFLIGHT=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --fixed-rate) FIXED_RATE=$2; shift 2 ;;
    --fixed-duration) FIXED_DURATION=$2; shift 2 ;;
    --no-fixed) FIXED=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BENCH_JAR=bench/target/otelservices-bench-0.1.0-SNAPSHOT.jar
ZIPKIN_JAR=bench/target/zipkin-server-${ZIPKIN_VERSION}-exec.jar
OUT=${OUT:-bench/target/ingest-vs-zipkin-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

die() { echo "ingest-vs-zipkin: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

[[ -f $BENCH_JAR ]] || die "$BENCH_JAR missing: run ./mvnw -B -q -DskipTests package first"
[[ -f server/target/otelservices.jar ]] || die "server/target/otelservices.jar missing: run ./mvnw -B -q -DskipTests package first"
command -v python3 >/dev/null || die "python3 is needed for the summary"

# (a) Zipkin's exec jar from Maven Central, cached in bench/target/ and checked against its published SHA-1.
if [[ ! -f $ZIPKIN_JAR ]]; then
  url=https://repo.maven.apache.org/maven2/io/zipkin/zipkin-server/${ZIPKIN_VERSION}/zipkin-server-${ZIPKIN_VERSION}-exec.jar
  log "downloading $url"
  curl -fsSL -o "$ZIPKIN_JAR.part" "$url" || die "cannot download $url"
  expected=$(curl -fsSL "$url.sha1" | cut -c1-40) || die "cannot download $url.sha1"
  actual=$(sha1sum "$ZIPKIN_JAR.part" | cut -c1-40)
  [[ $expected == "$actual" ]] || die "SHA-1 of $url is $actual (expected: $expected)"
  mv "$ZIPKIN_JAR.part" "$ZIPKIN_JAR"
fi

for port in $ZIPKIN_PORT $OTLP_GRPC_PORT $OTLP_HTTP_PORT $COLLECTOR_PORT $QUERY_PORT $METRICS_PORT $QUERY_METRICS_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    die "port $port is busy (another Zipkin or otelservices?); stop it or change the *_PORT variables"
  fi
done

# Our server from a copy, so that a rebuild by someone else during the run does not change it underneath.
mkdir -p "$OUT/server"
cp server/target/otelservices.jar "$OUT/server/"
cp -r server/target/lib "$OUT/server/"

PIDS=()
SAMPLER_PID=
cleanup() {
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$OUT/data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

{ echo "# before"; date -u; uptime; nproc; top -bn1 | head -20; git -C "$ROOT" log -1 --format='commit %H %s'; java -version 2>&1; } \
    > "$OUT/machine.txt"

# (b) Zipkin, in-memory storage (its default limit of 500,000 spans kept; older ones are evicted).
log "starting Zipkin $ZIPKIN_VERSION on :$ZIPKIN_PORT"
STORAGE_TYPE=mem java -Xmx$ZIPKIN_HEAP -jar "$ZIPKIN_JAR" '--armeria.ports[0].ip=127.0.0.1' \
    "--armeria.ports[0].port=$ZIPKIN_PORT" '--armeria.ports[0].protocols[0]=http' > "$OUT/zipkin.log" 2>&1 &
ZIPKIN_PID=$!
PIDS+=("$ZIPKIN_PID")

# (c) otelservices on a fresh data directory.
log "starting otelservices (gRPC :$OTLP_GRPC_PORT, HTTP :$OTLP_HTTP_PORT, query :$QUERY_PORT)"
rm -rf "$OUT/data"
java -Xmx$SERVER_HEAP -jar "$OUT/server/otelservices.jar" --data-dir "$OUT/data" \
    --otlp-grpc-port "$OTLP_GRPC_PORT" --otlp-http-port "$OTLP_HTTP_PORT" --collector-http-port "$COLLECTOR_PORT" \
    --query-port "$QUERY_PORT" --metrics-port "$METRICS_PORT" --query-metrics-port "$QUERY_METRICS_PORT" \
    > "$OUT/otelservices.log" 2>&1 &
OURS_PID=$!
PIDS+=("$OURS_PID")

wait_for() { # name pid url
  for _ in $(seq 120); do
    kill -0 "$2" 2>/dev/null || die "$1 exited at start; see $OUT/$1.log"
    curl -sf -o /dev/null "$3" && return 0
    sleep 0.5
  done
  die "$1 did not answer $3 within 60 s; see $OUT/$1.log"
}
wait_for zipkin "$ZIPKIN_PID" "http://127.0.0.1:$ZIPKIN_PORT/health"
wait_for otelservices "$OURS_PID" \
    "http://127.0.0.1:$QUERY_PORT/api/v1/services/stats?start_time=2020-01-01T00:00:00Z&end_time=2030-01-01T00:00:00Z"

# CPU time (ticks) and resident memory of both servers every 0.5 s, for the per-run CPU % and peak RSS.
sample() {
  local tick
  while true; do
    tick=$(date +%s%3N)
    # The whole machine's busy ticks (all CPUs), to tell how much else was running.
    echo "$tick all $(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat) 0"
    for pid in "$OURS_PID" "$ZIPKIN_PID"; do
      if [[ -r /proc/$pid/stat ]]; then
        echo "$tick $pid $(awk '{print $14 + $15}' /proc/$pid/stat) $(awk '/^VmRSS/{print $2}' /proc/$pid/status)"
      fi
    done
    sleep 0.5
  done
}
sample > "$OUT/samples.txt" &
SAMPLER_PID=$!

loadgen() { # report-name, then LoadGenerator flags
  local name=$1
  shift
  # shellcheck disable=SC2086
  java -Xmx$LOADGEN_HEAP $LOADGEN_JAVA_OPTS -cp "$BENCH_JAR:bench/target/lib/*" io.otelservices.bench.LoadGenerator "$@" \
      -report "$OUT/$name.json" > "$OUT/$name.txt" 2>&1 || true
  grep -E '^  (traces|stored|generator)' "$OUT/$name.txt" | sed "s/^/  $name:/" || true
  [[ -s $OUT/$name.json ]] || die "load generator wrote no report for $name; see $OUT/$name.txt"
}

OURS_ENDPOINT=http://127.0.0.1:$([[ $PROTOCOL == grpc ]] && echo "$OTLP_GRPC_PORT" || echo "$OTLP_HTTP_PORT")
COMMON=(-max -duration 0 -workers "$WORKERS" -inflight "$INFLIGHT" -batch "$BATCH" -seed 42)

# (d) Max-throughput rounds, the same spans into each (same seed; round r salts the trace ids with r).
if [[ $WARMUP_SPANS -gt 0 ]]; then
  log "warm-up: $WARMUP_SPANS spans into each (not counted)"
  loadgen warmup-ours "${COMMON[@]}" -items "$WARMUP_SPANS" -pool "$WARMUP_SPANS" -id-salt 1000 \
      -protocol "$PROTOCOL" -endpoint "$OURS_ENDPOINT" -query "http://127.0.0.1:$QUERY_PORT"
  loadgen warmup-zipkin "${COMMON[@]}" -items "$WARMUP_SPANS" -pool "$WARMUP_SPANS" -id-salt 1000 \
      -target zipkin -endpoint "http://127.0.0.1:$ZIPKIN_PORT"
fi
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS: $SPANS spans into otelservices ($PROTOCOL), then the same into Zipkin"
  loadgen "round$round-ours" "${COMMON[@]}" -items "$SPANS" -pool "$SPANS" -id-salt "$round" \
      -protocol "$PROTOCOL" -endpoint "$OURS_ENDPOINT" -query "http://127.0.0.1:$QUERY_PORT"
  loadgen "round$round-zipkin" "${COMMON[@]}" -items "$SPANS" -pool "$SPANS" -id-salt "$round" \
      -target zipkin -endpoint "http://127.0.0.1:$ZIPKIN_PORT"
done

# A fixed open-loop rate into otelservices alone: CPU and memory at a steady offered load.
if [[ $FIXED -eq 1 ]]; then
  log "fixed rate: $FIXED_RATE spans/s for $FIXED_DURATION into otelservices"
  loadgen fixed-ours -rate "$FIXED_RATE" -duration "$FIXED_DURATION" -workers "$WORKERS" -inflight "$INFLIGHT" \
      -batch "$BATCH" -seed 42 -pool "$SPANS" -id-salt 2000 -protocol "$PROTOCOL" -endpoint "$OURS_ENDPOINT"
fi

kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
{
  echo "# after"; date -u; uptime; top -bn1 | head -20
  echo "# peak RSS over each process's life (VmHWM)"
  echo "otelservices $(awk '/^VmHWM/{print $2, $3}' /proc/$OURS_PID/status)"
  echo "zipkin $(awk '/^VmHWM/{print $2, $3}' /proc/$ZIPKIN_PID/status)"
  echo "# otelservices data directory"
  du -sh "$OUT/data"
} >> "$OUT/machine.txt"

python3 "$ROOT/bench/scripts/ingest_vs_zipkin_summary.py" "$OUT" "$OURS_PID" "$ZIPKIN_PID" "$ROUNDS" \
    "$(getconf CLK_TCK)" | tee "$OUT/summary.md"
log "results in $OUT"
