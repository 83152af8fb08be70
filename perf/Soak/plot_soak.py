#!/usr/bin/env python3
"""Plots the soak's memory curve: plot_soak.py soak.csv soak.png (needs python3-matplotlib)."""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rows = list(csv.DictReader(open(sys.argv[1])))
t = [float(r["seconds"]) / 60 for r in rows]
fig, (mem, load) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
mem.plot(t, [float(r["working_set_mib"]) for r in rows], label="working set (MiB)")
mem.plot(t, [float(r["live_heap_mib"]) for r in rows], label="live GC heap after a full GC (MiB)")
mem.set_ylabel("MiB")
mem.set_ylim(bottom=0)
mem.legend(loc="lower right")
mem.set_title("GatewayProxy soak: memory under steady events + client churn")
load.plot(t, [int(r["connections"]) for r in rows], label="open client connections")
load.plot(t, [int(r["sessions"]) for r in rows], label="sessions")
load.set_xlabel("minutes")
load.legend(loc="upper right")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=90)
