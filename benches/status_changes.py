#!/usr/bin/env python3
"""Counts status changes per group x topic in `ktopo lag --watch --json` output.

Usage: ktopo lag --watch --json [...] | timeout 180 ... ; python3 benches/status_changes.py FILE
Reads NDJSON (one report per line) or concatenated pretty-printed reports (older
ktopo), skips the first WARM_UP seconds' reports (env, default 0), and prints, per
row, the number of status changes and the run of statuses seen.
"""
import json
import os
import sys

text = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
dec = json.JSONDecoder()
i, frames = 0, []
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    try:
        doc, i = dec.raw_decode(text, i)
    except json.JSONDecodeError:
        break  # a report cut by the end of the run
    frames.append(doc)
skip = int(os.environ.get("WARM_UP_FRAMES", "0"))
rows = {}
for f in frames[skip:]:
    for g in f.get("groups", []):
        rows.setdefault((g["group"], g["topic"]), []).append(g["status"])
total = 0
for (group, topic), seq in sorted(rows.items()):
    runs = [s for k, s in enumerate(seq) if k == 0 or seq[k - 1] != s]
    changes = len(runs) - 1
    total += changes
    if changes or os.environ.get("ALL"):
        print(f"{changes:3d} changes  {group} on {topic}: {' > '.join(runs)}")
print(f"{len(frames) - skip} reports, {len(rows)} rows, {total} status changes")
