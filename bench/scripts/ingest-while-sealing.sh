#!/usr/bin/env bash
# Stored spans/s with and without sealing running underneath, alternating, a fresh server per run: "open" sends
# spans of the current hour (nothing to seal), "sealed" sends the same spans 3 hours in the past, so that every
# maintenance run (every 10 s here) seals, rolls up and compacts while the load runs, the worst case of sealing.
# Figures and how to read them: docs/BENCHMARKS.md, "Ingest while sealing".
#
# Needs: ./mvnw -B -q -DskipTests package, curl. Usage: bench/scripts/ingest-while-sealing.sh [rounds] [spans]
set -euo pipefail
ROUNDS=${1:-3}
SPANS=${2:-500000}
cd "$(dirname "$0")/../.."
OUT=${OUT:-bench/target/ingest-while-sealing-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
PID=
trap '[[ -n $PID ]] && kill $PID 2>/dev/null; rm -rf "$OUT/data"' EXIT
for round in $(seq "$ROUNDS"); do
  for mode in open sealed; do
    rm -rf "$OUT/data"
    java -Xmx2g -jar server/target/otelservices.jar --data-dir "$OUT/data" --otlp-grpc-port 14317 \
      --otlp-http-port 14318 --collector-http-port 18080 --query-port 18081 --metrics-port 19090 \
      --query-metrics-port 19091 --set storage.maintenance_interval=10s > "$OUT/server-$mode-$round.log" 2>&1 &
    PID=$!
    for _ in $(seq 120); do curl -sf -o /dev/null http://127.0.0.1:18080/ready && break; sleep 0.5; done
    shift=0
    [[ $mode == sealed ]] && shift=3h
    java -Xmx3g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -cp "bench/target/otelservices-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" io.otelservices.bench.LoadGenerator \
      -max -duration 0 -workers 4 -inflight 4 -items "$SPANS" -pool "$SPANS" -id-salt "$round" -time-shift "$shift" \
      -endpoint http://127.0.0.1:14317 -query http://127.0.0.1:18081 > "$OUT/load-$mode-$round.txt" 2>&1 || true
    echo "$mode round $round: $(grep -E '^  stored' "$OUT/load-$mode-$round.txt" || echo 'no result')"
    kill "$PID"
    wait "$PID" 2>/dev/null || true
    PID=
  done
done
