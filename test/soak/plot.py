"""Draws the soak's curves (RSS and live V8 heap per process, p99/p50 per route, errors, open
workflows and the order pipeline, Temporal's Go heap and cache, Postgres and Redis sizes) from
samples.jsonl with matplotlib. Usage: plot.py samples.jsonl out.png"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

samples = []
verdict = None
with open(sys.argv[1]) as f:
    for line in f:
        row = json.loads(line)
        if "minute" in row:
            samples.append(row)
        elif "verdict" in row:
            verdict = row["verdict"]
minutes = [s["minute"] for s in samples]

fig, axes = plt.subplots(3, 3, figsize=(17, 12))
loads = [s["loadavg1m"] for s in samples]
title = f"Soak: {len(samples)} minutes (load average {min(loads)}–{max(loads)})"
if verdict:
    title += f" — {'PASS' if verdict['pass'] else 'FAIL'}"
    if "steady" in verdict:
        title += f", open workflows {'flat' if verdict['steady']['flat'] else 'NOT flat'}"
fig.suptitle(title)


def series(ax, title, ylabel, keys, get, log=False):
    for k in keys:
        ax.plot(minutes, [get(s, k) for s in samples], marker=".", label=k)
    ax.set_title(title)
    ax.set_xlabel("minute")
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)


procs = sorted({k for s in samples for k in s["rssMb"]})
series(axes[0][0], "RSS per process", "MB", procs, lambda s, k: s["rssMb"].get(k), log=True)
heaps = sorted({k for s in samples for k in s.get("heapMb", {})})
series(
    axes[0][1],
    "V8 heap after major GC (all threads)",
    "MB",
    heaps,
    lambda s, k: s.get("heapMb", {}).get(k, {}).get("heapAfterGcMb"),
)
# Temporal: its memory (MB, left) against how full its mutable-state cache is (entries, right).
ax = axes[0][2]
ax.plot(minutes, [s["rssMb"].get("temporal") for s in samples], marker=".", label="RSS MB")
ax.plot(minutes, [(s.get("temporal") or {}).get("goHeapMb") for s in samples], marker=".", label="Go heap MB")
ax.set_title("Temporal dev server: memory vs mutable-state cache")
ax.set_xlabel("minute")
ax.set_ylabel("MB")
ax.grid(alpha=0.3)
twin = ax.twinx()
twin.plot(
    minutes,
    [(s.get("temporal") or {}).get("mutableStateCacheEntries") for s in samples],
    color="tab:green",
    linestyle="--",
    label="cache entries (right)",
)
twin.set_ylabel("entries")
handles = ax.get_legend_handles_labels()
twin_handles = twin.get_legend_handles_labels()
ax.legend(handles[0] + twin_handles[0], handles[1] + twin_handles[1], fontsize=7)
routes = sorted({k for s in samples for k in s["routes"]})
series(axes[1][0], "p99 per route", "ms", routes, lambda s, k: s["routes"].get(k, {}).get("p99"), log=True)
series(axes[1][1], "p50 per route", "ms", routes, lambda s, k: s["routes"].get(k, {}).get("p50"), log=True)
series(axes[1][2], "requests and errors per minute", "count", ["requests", "errors"], lambda s, k: s[k])
series(
    axes[2][0],
    "orders per minute (accepted, delivered, cancelled) and in flight",
    "orders",
    ["accepted", "delivered", "cancelled", "inFlight"],
    lambda s, k: (s.get("pipeline") or {}).get(k),
)
series(axes[2][1], "open workflows and Redis memory", "count / MB", ["openWorkflows", "redisMb"], lambda s, k: s[k])
tables = sorted({k for s in samples for k in s["postgresMb"]})
series(axes[2][2], "Postgres table sizes", "MB", tables, lambda s, k: s["postgresMb"].get(k))
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=80)
print(f"wrote {sys.argv[2]}")
