#!/usr/bin/env bash
# Memory over a long `ktopo lag --watch` session with 2,000 declared groups: tansu on
# 127.0.0.1 with TOPICS (default 500) topics x 10 partitions and 4 groups per topic,
# live traffic and commits (benches/tansu/traffic.py), ktopo sampling every INTERVAL
# (default 1) seconds for SECONDS (default 600). Prints ktopo's RSS every 30 s.
# Needs: tansu, pip install confluent-kafka.
set -euo pipefail
cd "$(dirname "$0")/.."
TOPICS=${TOPICS:-500}; SECONDS_=${SECONDS_:-600}; INTERVAL=${INTERVAL:-1}; PORT=${PORT:-19292}
work=$(mktemp -d); tansu=; traffic=; ktopo=
cleanup() { kill ${tansu:-} ${traffic:-} ${ktopo:-} 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
tansu broker --listener-url tcp://127.0.0.1:$PORT --advertised-listener-url tcp://127.0.0.1:$PORT \
  --storage-engine memory://tansu/ --silent >/dev/null 2>&1 & tansu=$!
sleep 2
python3 benches/tansu/setup.py 127.0.0.1:$PORT "$work" "$TOPICS"
cargo build --release -q
python3 benches/tansu/traffic.py 127.0.0.1:$PORT "$TOPICS" 50 "$SECONDS_" & traffic=$!
target/release/ktopo lag --watch --json --interval "$INTERVAL" -b 127.0.0.1:$PORT -r "$work/registry.yaml" \
  > /dev/null 2> "$work/ktopo.err" & ktopo=$!
for t in $(seq 0 30 "$SECONDS_"); do
  rss=$(awk '/VmRSS/ {print $2}' /proc/$ktopo/status)
  thr=$(awk '/Threads/ {print $2}' /proc/$ktopo/status)
  echo "t=${t}s rss=${rss} KB threads=${thr}"
  sleep 30
done
echo "ktopo stderr: $(head -c 300 "$work/ktopo.err")"
