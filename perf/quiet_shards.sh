#!/usr/bin/env bash
# Quiet shards: RSS of the proxy running N simulated shards at a low event rate, sampled over a bounded run.
# usage: perf/quiet_shards.sh PROXY_DLL SHARDS RATE SECONDS PORT
# Prints "seconds,vmrss_kib,ring_memory_bytes" every 10 s (ring bytes from /metrics when the build exports them),
# then stops the proxy. The Simulator runs in the same process (--simulate), one guild per shard; the proxy runs
# from the root of the tree it was built in (it reads that tree's config.json).
set -euo pipefail
dll=$1 shards=$2 rate=$3 seconds=$4 port=$5
(cd "$(dirname "$dll")/../../../../.." && exec dotnet "$dll" --simulate --sim-shards "$shards" --sim-guilds "$shards" --sim-rate "$rate" --port "$port") > /tmp/quiet_shards_$port.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
echo "seconds,vmrss_kib,ring_memory_bytes"
for ((t = 10; t <= seconds; t += 10)); do
  sleep 10
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  ring=$(curl -s --max-time 5 "http://127.0.0.1:$port/metrics" | awk '/^gateway_ring_memory_bytes / {print $2}' || true)
  echo "$t,$rss,${ring:-}"
done
kill -TERM $pid  # SIGINT is ignored by a job started in the background of a script
wait $pid 2>/dev/null || true
