#!/usr/bin/env bash
# ktopo lag against a real broker at scale, next to the official client (the peer).
# tansu on 127.0.0.1, TOPICS (default 200) topics x 10 partitions, 4 groups per topic
# (800 groups) with known offsets; each tool runs RUNS (default 5) times; wall time and
# peak RSS from /usr/bin/time; every row checked against the expected offsets.
# Needs: tansu (cargo install tansu --features dynostore), pip install confluent-kafka.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOPICS=${TOPICS:-200}; RUNS=${RUNS:-5}; PORT=${PORT:-19192}
work=$(mktemp -d); trap 'kill $tansu 2>/dev/null; rm -rf "$work"' EXIT
tansu broker --listener-url tcp://127.0.0.1:$PORT --advertised-listener-url tcp://127.0.0.1:$PORT \
  --storage-engine memory://tansu/ --silent >/dev/null 2>&1 & tansu=$!
sleep 2
python3 benches/tansu/setup.py 127.0.0.1:$PORT "$work" "$TOPICS"
cargo build --release -q
for i in $(seq "$RUNS"); do
  /usr/bin/time -f "ktopo %e s %M KB" target/release/ktopo lag --samples 1 --json -b 127.0.0.1:$PORT \
    -r "$work/registry.yaml" > "$work/ktopo.json" 2>> "$work/ktopo.time" || true
  /usr/bin/time -f "peer  %e s %M KB" python3 benches/tansu/peer.py 127.0.0.1:$PORT \
    > "$work/peer.jsonl" 2>> "$work/peer.time"
done
grep -h "^ktopo\|^peer" "$work/ktopo.time" "$work/peer.time"
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
exp = json.load(open(f"{w}/expected.json"))
k = json.load(open(f"{w}/ktopo.json"))
got = {f'{p["group"]}|{p["topic"]}|{p["partition"]}': [p["committed"], p["log_end"]] for p in k["partitions"]}
bad = [key for key, v in exp.items() if got.get(key) != v]
peer = {}
for line in open(f"{w}/peer.jsonl"):
    g, t, p, c, e = json.loads(line)
    peer[f"{g}|{t}|{p}"] = [c, e]
pbad = [key for key, v in exp.items() if peer.get(key) != v]
groups = {g["group"] for g in k["groups"]}
print(f"ktopo: {len(groups)} groups, {len(exp) - len(bad)}/{len(exp)} partitions exact, errors: {k['errors']}")
print(f"peer:  {len(exp) - len(pbad)}/{len(exp)} partitions exact")
sys.exit(1 if bad else 0)
PY
