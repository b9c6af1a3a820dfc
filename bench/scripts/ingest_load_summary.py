#!/usr/bin/env python3
"""Summarises an ingest-load.sh run as Markdown: per phase the acknowledged and stored rates, CPU % of one core,
peak RSS, peak accounted memory against the budget, refused and failed requests, and (traces) whether every
acknowledged span became queryable.

usage: ingest_load_summary.py OUT_DIR CLK_TCK
"""
import json
import os
import sys


def samples(out):
    rows = []
    with open(os.path.join(out, "samples.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 6:
                rows.append(tuple(int(p) for p in parts))  # ms, ticks, rss KiB, memory used, limit, rows written
    return rows


def phases(out):
    marks = {}
    with open(os.path.join(out, "phases.txt")) as f:
        for line in f:
            name, ms = line.split()
            marks[name] = int(ms)
    return [(n, marks[n], marks[n + "-end"]) for n in marks if not n.endswith("-end") and n + "-end" in marks]


def stored_until(rows, start, end):
    """When storage finished what the phase sent: the first sample after end whose row count stays flat."""
    after = [r for r in rows if r[0] >= end]
    for previous, current in zip(after, after[1:]):
        if current[5] == previous[5] and current[3] == 0:
            return previous[0]
    return after[-1][0] if after else end


def main():
    out, clk_tck = sys.argv[1], int(sys.argv[2])
    rows = samples(out)
    print("| phase | offered items/s | acknowledged items/s | rows stored/s | refused | failed | CPU % "
          "(of one core) | peak RSS MiB | peak accounted memory / budget MiB | acknowledged spans queryable |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, start, end in phases(out):
        report = json.load(open(os.path.join(out, name + ".json")))
        signal = next(iter(report["signals"].values()))
        inside = [r for r in rows if start <= r[0] <= end]
        if len(inside) < 2:
            continue
        first, last = inside[0], inside[-1]
        seconds = (last[0] - first[0]) / 1000
        cpu = (last[1] - first[1]) / clk_tck / seconds * 100
        done = stored_until(rows, start, end)
        written = [r for r in rows if start <= r[0] <= done]
        stored_rate = (written[-1][5] - written[0][5]) / ((written[-1][0] - written[0][0]) / 1000)
        rss = max(r[2] for r in inside) / 1024
        memory = max(r[3] for r in inside) / 2**20
        limit = max(r[4] for r in inside) / 2**20
        check = "n/a"
        if "stored" in report:
            s = report["stored"]
            check = f"{s.get('spans', 0):,} of {s.get('acknowledged_spans', 0):,}"
        print(f"| {name} | {signal['offered_items_per_s']:,.0f} | {signal['achieved_items_per_s']:,.0f} | "
              f"{stored_rate:,.0f} | {signal['refused']:,} | {signal['failed_requests']:,} | {cpu:.0f} | "
              f"{rss:,.0f} | {memory:,.0f} / {limit:,.0f} | {check} |")
    with open(os.path.join(out, "machine.txt")) as f:
        for line in f:
            if line.startswith("peak RSS"):
                print(f"\n- {line.strip()}")


if __name__ == "__main__":
    main()
