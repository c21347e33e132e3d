"""Draws the soak's curves (RSS per process, p99 per route, errors, open workflows, Postgres and
Redis sizes) from samples.jsonl with matplotlib. Usage: plot.py samples.jsonl out.png"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

samples = []
with open(sys.argv[1]) as f:
    for line in f:
        row = json.loads(line)
        if "minute" in row:
            samples.append(row)
minutes = [s["minute"] for s in samples]

fig, axes = plt.subplots(2, 3, figsize=(16, 8.5))
fig.suptitle(f"Soak: {len(samples)} minutes (load average {min(s['loadavg1m'] for s in samples)}–{max(s['loadavg1m'] for s in samples)})")

def series(ax, title, ylabel, keys, get):
    for k in keys:
        ax.plot(minutes, [get(s, k) for s in samples], marker=".", label=k)
    ax.set_title(title)
    ax.set_xlabel("minute")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)

procs = sorted({k for s in samples for k in s["rssMb"]})
series(axes[0][0], "RSS per process", "MB", procs, lambda s, k: s["rssMb"].get(k))
routes = sorted({k for s in samples for k in s["routes"]})
series(axes[0][1], "p99 per route", "ms", routes, lambda s, k: s["routes"].get(k, {}).get("p99"))
axes[0][1].set_yscale("log")
series(axes[0][2], "p50 per route", "ms", routes, lambda s, k: s["routes"].get(k, {}).get("p50"))
axes[0][2].set_yscale("log")
series(axes[1][0], "requests and errors per minute", "count", ["requests", "errors"], lambda s, k: s[k])
series(axes[1][1], "open workflows and Redis memory", "count / MB", ["openWorkflows", "redisMb"], lambda s, k: s[k])
tables = sorted({k for s in samples for k in s["postgresMb"]})
series(axes[1][2], "Postgres table sizes", "MB", tables, lambda s, k: s["postgresMb"].get(k))
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=90)
print(f"wrote {sys.argv[2]}")
