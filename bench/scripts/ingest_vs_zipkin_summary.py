#!/usr/bin/env python3
"""Summarises an ingest-vs-zipkin.sh run: per-round figures, medians, ratios ours/Zipkin, CPU % and peak RSS of
each server during each run (from the 0.5 s samples of /proc/PID/stat and VmRSS), as a Markdown report.

usage: ingest_vs_zipkin_summary.py OUT_DIR OURS_PID ZIPKIN_PID ROUNDS CLK_TCK
"""
import json
import os
import statistics
import sys


def load_samples(path):
    samples = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 4:
                continue
            millis, pid, ticks, rss = parts
            samples.setdefault(pid, []).append((int(millis), int(ticks), int(rss)))
    return samples


def window(samples, pid, start_ms, end_ms, clk_tck):
    """CPU % of one core and peak RSS (MiB) of pid between start_ms and end_ms."""
    inside = [s for s in samples.get(pid, []) if start_ms <= s[0] <= end_ms]
    before = [s for s in samples.get(pid, []) if s[0] < start_ms]
    if before:
        inside.insert(0, before[-1])
    if len(inside) < 2:
        return None, None
    first, last = inside[0], inside[-1]
    seconds = (last[0] - first[0]) / 1000
    cpu = (last[1] - first[1]) / clk_tck / seconds * 100 if seconds > 0 else None
    return cpu, max(s[2] for s in inside) / 1024


def report(out, name):
    path = os.path.join(out, name + ".json")
    with open(path) as f:
        return json.load(f)


def fmt(value, digits=0):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def main():
    out, ours_pid, zipkin_pid, rounds, clk_tck = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    samples = load_samples(os.path.join(out, "samples.txt"))
    rows = []
    for r in range(1, rounds + 1):
        ours = report(out, f"round{r}-ours")
        zipkin = report(out, f"round{r}-zipkin")
        o, z = ours["signals"]["traces"], zipkin["signals"]["traces"]
        o_start, z_start = ours["started_at_epoch_ms"], zipkin["started_at_epoch_ms"]
        o_ack_end = o_start + ours["elapsed_seconds"] * 1000
        stored = ours.get("stored", {})
        o_stored_end = o_start + stored.get("seconds", ours["elapsed_seconds"]) * 1000
        z_end = z_start + zipkin["elapsed_seconds"] * 1000
        o_cpu, o_rss = window(samples, ours_pid, o_start, o_stored_end, clk_tck)
        o_cpu_ack, _ = window(samples, ours_pid, o_start, o_ack_end, clk_tck)
        o_other, _ = window(samples, zipkin_pid, o_start, o_stored_end, clk_tck)
        z_cpu, z_rss = window(samples, zipkin_pid, z_start, z_end, clk_tck)
        z_other, _ = window(samples, ours_pid, z_start, z_end, clk_tck)
        o_seconds = stored.get("seconds", ours["elapsed_seconds"])
        # CPU % of everything else on the machine: all busy ticks minus both servers minus the load generator.
        o_all, _ = window(samples, "all", o_start, o_stored_end, clk_tck)
        z_all, _ = window(samples, "all", z_start, z_end, clk_tck)
        o_gen = ours["generator_cpu_seconds"] / max(ours["elapsed_seconds"], 1e-9) * 100
        z_gen = zipkin["generator_cpu_seconds"] / max(zipkin["elapsed_seconds"], 1e-9) * 100
        rows.append({
            "round": r,
            "spans": o["acknowledged_items"],
            "ours_ack": o["achieved_items_per_s"],
            "ours_stored": stored.get("spans_per_s"),
            "ours_stored_complete": stored.get("complete"),
            "ours_failed": o["failed_requests"], "ours_refused": o["refused"],
            "ours_p50": o["latency_ms"]["p50"], "ours_p99": o["latency_ms"]["p99"],
            "zipkin_spans": z["acknowledged_items"],
            "zipkin_ack": z["achieved_items_per_s"],
            "zipkin_failed": z["failed_requests"], "zipkin_refused": z["refused"],
            "zipkin_p50": z["latency_ms"]["p50"], "zipkin_p99": z["latency_ms"]["p99"],
            "ours_cpu": o_cpu, "ours_cpu_ack": o_cpu_ack, "ours_rss": o_rss, "zipkin_idle_cpu": o_other,
            "zipkin_cpu": z_cpu, "zipkin_rss": z_rss, "ours_idle_cpu": z_other,
            # CPU time per span (microseconds of one core), over the whole run including storing.
            "ours_cpu_us_per_span": (o_cpu / 100 * o_seconds * 1e6 / o["acknowledged_items"]) if o_cpu else None,
            "zipkin_cpu_us_per_span": (z_cpu / 100 * zipkin["elapsed_seconds"] * 1e6 / z["acknowledged_items"])
            if z_cpu else None,
            "others_cpu_during_ours": (o_all - o_cpu - (o_other or 0) - o_gen) if o_all and o_cpu else None,
            "others_cpu_during_zipkin": (z_all - z_cpu - (z_other or 0) - z_gen) if z_all and z_cpu else None,
            "ours_generator_cpu": ours["generator_cpu_seconds"], "zipkin_generator_cpu": zipkin["generator_cpu_seconds"],
        })

    def median(key):
        values = [row[key] for row in rows if row[key] is not None]
        return statistics.median(values) if values else None

    m = {key: median(key) for key in rows[0] if key != "round"}
    ratio_ack = m["ours_ack"] / m["zipkin_ack"] if m["zipkin_ack"] else None
    ratio_stored = m["ours_stored"] / m["zipkin_ack"] if m["zipkin_ack"] and m["ours_stored"] else None

    first = report(out, "round1-ours")
    print(f"## Ingest vs Zipkin: {rounds} rounds of {rows[0]['spans']:,} spans, "
          f"{first['protocol']} for otelservices, batch {first['batch']}, "
          f"{first['workers']} workers x {first['inflight_per_worker']} in flight")
    print()
    print("| round | ours acked spans/s | ours stored spans/s | Zipkin acked spans/s | ours CPU % | Zipkin CPU % "
          "| ours peak RSS MiB | Zipkin peak RSS MiB | ours p50/p99 ms | Zipkin p50/p99 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['round']} | {fmt(row['ours_ack'])} | {fmt(row['ours_stored'])}"
              f"{'' if row['ours_stored_complete'] in (True, None) else ' (incomplete)'} | {fmt(row['zipkin_ack'])} "
              f"| {fmt(row['ours_cpu'])} | {fmt(row['zipkin_cpu'])} | {fmt(row['ours_rss'])} | {fmt(row['zipkin_rss'])} "
              f"| {fmt(row['ours_p50'])}/{fmt(row['ours_p99'])} | {fmt(row['zipkin_p50'])}/{fmt(row['zipkin_p99'])} |")
    print(f"| **median** | **{fmt(m['ours_ack'])}** | **{fmt(m['ours_stored'])}** | **{fmt(m['zipkin_ack'])}** "
          f"| {fmt(m['ours_cpu'])} | {fmt(m['zipkin_cpu'])} | {fmt(m['ours_rss'])} | {fmt(m['zipkin_rss'])} "
          f"| {fmt(m['ours_p50'])}/{fmt(m['ours_p99'])} | {fmt(m['zipkin_p50'])}/{fmt(m['zipkin_p99'])} |")
    print()
    print(f"- ratio ours/Zipkin, acknowledged (durable in our WAL vs accepted by Zipkin): **{fmt(ratio_ack, 2)}**")
    print(f"- ratio ours/Zipkin, stored (queryable in ours vs accepted by Zipkin): **{fmt(ratio_stored, 2)}**")
    print(f"- CPU per span, medians: ours {fmt(m['ours_cpu_us_per_span'], 1)} us, Zipkin "
          f"{fmt(m['zipkin_cpu_us_per_span'], 1)} us (one core; ours includes storing in DuckDB)")
    print(f"- ours CPU % while only acknowledging (to the last ack): {fmt(m['ours_cpu_ack'])}; the idle peer's CPU % "
          f"during the other's run: Zipkin {fmt(m['zipkin_idle_cpu'])}, ours {fmt(m['ours_idle_cpu'])}")
    print(f"- load generator CPU seconds per run (median): against ours {fmt(m['ours_generator_cpu'], 1)}, "
          f"against Zipkin {fmt(m['zipkin_generator_cpu'], 1)}")
    print(f"- CPU % of other processes on the machine (all busy CPU minus both servers and the generator), "
          f"median: during ours {fmt(m['others_cpu_during_ours'])}, during Zipkin {fmt(m['others_cpu_during_zipkin'])}"
          f" (of {os.cpu_count() * 100} %; figures are provisional when this is well above 0)")
    print(f"- refused/failed requests, all rounds: ours {sum(r['ours_refused'] for r in rows)}/"
          f"{sum(r['ours_failed'] for r in rows)}, Zipkin {sum(r['zipkin_refused'] for r in rows)}/"
          f"{sum(r['zipkin_failed'] for r in rows)}")

    fixed_path = os.path.join(out, "fixed-ours.json")
    if os.path.exists(fixed_path):
        fixed = report(out, "fixed-ours")
        t = fixed["signals"]["traces"]
        start = fixed["started_at_epoch_ms"]
        cpu, rss = window(samples, ours_pid, start, start + fixed["elapsed_seconds"] * 1000, clk_tck)
        machine, _ = window(samples, "all", start, start + fixed["elapsed_seconds"] * 1000, clk_tck)
        generator = fixed["generator_cpu_seconds"] / max(fixed["elapsed_seconds"], 1e-9) * 100
        others = machine - cpu - generator if machine and cpu else None
        print()
        print(f"## Fixed rate into otelservices: {fmt(fixed['rate_per_signal'])} spans/s scheduled for "
              f"{fmt(fixed['send_seconds'])} s")
        print()
        print("| offered spans/s | acked spans/s | refused | failed | p50 ms | p99 ms | max ms | CPU % | peak RSS MiB |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        print(f"| {fmt(t['offered_items_per_s'])} | {fmt(t['achieved_items_per_s'])} | {t['refused']} "
              f"| {t['failed_requests']} | {fmt(t['latency_ms']['p50'])} | {fmt(t['latency_ms']['p99'])} "
              f"| {fmt(t['latency_ms']['max'])} | {fmt(cpu)} | {fmt(rss)} |")
        print()
        print(f"- load generator CPU {fmt(generator)} %, other processes about {fmt(others)} % "
              f"(Zipkin idle included)")
    summary = {"rounds": rows, "medians": m, "ratio_acknowledged": ratio_ack, "ratio_stored": ratio_stored}
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
