#!/usr/bin/env bash
# ktopo serve and ktopo lag at ~5,000 groups (TOPICS x 4 groups, 10 partitions each) on tansu,
# next to the official Python AdminClient (peer.py): wall, CPU and peak RSS of one-shot
# snapshots, then a running serve: its round duration, RSS and CPU after 75 s.
# Needs: tansu, pip install confluent-kafka, curl.
# Measured 2026-12-01 (2 cores shared with other builds, load 6-11), 5 alternated runs:
#   ktopo lag   7.1-9.9 s wall, 2.6-3.1 s CPU, 127-128 MB peak RSS
#   peer.py     8.7-12.4 s wall, 5.7-7.0 s CPU, 100 MB
#   ktopo serve 140-178 MB RSS over 10 minutes (peak 182 MB), 27-28 s CPU in its first 100 s (43 s in 80 s before the change)
set -uo pipefail
cd "$(dirname "$0")/../.."
TOPICS=${TOPICS:-1250}; PORT=19292
work=$(mktemp -d)
echo "build $(date +%T)"
cargo build --release -q
BIN=target/release/ktopo
tansu broker --listener-url tcp://127.0.0.1:$PORT --advertised-listener-url tcp://127.0.0.1:$PORT \
  --storage-engine memory://tansu/ --silent >/dev/null 2>&1 & tansu=$!
serve=; trap 'kill $tansu $serve 2>/dev/null; rm -rf "$work"' EXIT
sleep 2
echo "setup $(date +%T)"
python3 benches/tansu/setup.py 127.0.0.1:$PORT "$work" "$TOPICS"
echo "measure $(date +%T)"
for i in 1 2 3; do
  /usr/bin/time -f "ktopo-lag %e s wall %U+%S s cpu %M KB" $BIN lag --samples 1 --json -b 127.0.0.1:$PORT -r $work/registry.yaml > $work/k.json 2>> $work/k.time || true
  /usr/bin/time -f "peer %e s wall %U+%S s cpu %M KB" python3 benches/tansu/peer.py 127.0.0.1:$PORT > $work/p.jsonl 2>> $work/p.time
done
grep -h "wall" $work/k.time $work/p.time
$BIN serve --listen 127.0.0.1:19464 -b 127.0.0.1:$PORT -r $work/registry.yaml --interval 5 2> $work/serve.err & serve=$!
sleep 75
curl -s 127.0.0.1:19464/metrics > $work/m.txt
grep -E "^ktopo_sampler_(duration|groups|partitions|up|errors)" $work/m.txt | head
grep -E "VmHWM|VmRSS" /proc/$serve/status
ps -o pid,etime,time -p $serve
echo "series: $(grep -vc '^#' $work/m.txt)"
echo "done $(date +%T)"
