#!/usr/bin/env python3
"""Plots the churn soak's curve: plot_soak.py soak.csv soak.png (needs python3-matplotlib)."""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rows = list(csv.DictReader(open(sys.argv[1])))
t = [float(r["seconds"]) / 60 for r in rows]
fig, (mem, fds, load) = plt.subplots(3, 1, figsize=(10, 9), sharex=True)


def shade(ax):
    # Background per phase, so the baseline, the churn and the tail are told apart at a glance.
    colors = {"warmup": "#eeeeee", "baseline": "#e3f0ff", "churn": "#fff1dc", "after": "#e6f6e6"}
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i]["phase"] != rows[start]["phase"]:
            end = t[i] if i < len(rows) else t[-1]
            ax.axvspan(t[start], end, color=colors.get(rows[start]["phase"], "white"), lw=0)
            start = i


for ax in (mem, fds, load):
    shade(ax)
mem.plot(t, [float(r["rss_mib"]) for r in rows], label="proxy RSS (MiB)")
mem.plot(t, [float(r["heap_mib"]) for r in rows], label="GC heap after the last GC (MiB)")
mem.plot(t, [float(r["heap_now_mib"]) for r in rows], label="GC heap now, garbage included (MiB)")
mem.plot(t, [float(r["ring_mib"]) for r in rows], label="ring bytes (MiB)")
mem.set_ylabel("MiB")
mem.set_ylim(bottom=0)
mem.legend(loc="lower right")
mem.set_title("GatewayProxy churn soak (phases: warm-up grey, baseline blue, churn orange, after green)")
fds.plot(t, [int(r["fds"]) for r in rows], label="open fds")
fds.plot(t, [int(r["threads"]) for r in rows], label="threads")
fds.legend(loc="upper right")
load.plot(t, [int(r["open_connections"]) for r in rows], label="open client connections")
load.plot(t, [int(r["sessions"]) for r in rows], label="sessions")
load.plot(t, [float(r["load1"]) for r in rows], label="machine load average (1 min)")
load.set_xlabel("minutes")
load.legend(loc="upper right")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=90)
