#!/usr/bin/env bash
# Runs one fuzz harness under AFL++ for a bounded time and prints a summary read from fuzzer_stats.
#
#   fuzz/run.sh <target> [seconds] [outdir]
#
#   target   frame-reader | handshake | envelope | zlib-stream | zstd-stream   (`--list` prints them)
#   seconds  wall-clock duration, passed to afl-fuzz -V (default 1800 = 30 minutes)
#   outdir   work folder, outside the repo by default: /tmp/gatewayproxy-fuzz/<target>
#            (bin/ = published + instrumented harness, findings/ = AFL++ output)
#
# Environment: NICE (default 10) = nice level of afl-fuzz and the harness; AFL_TIMEOUT_MS (default 10000) = per-run
# timeout (-t; .NET is slow to warm up on a loaded box); RESUME=1 continues an existing findings/ folder.
#
# What it does: installs Debian's afl++ if afl-fuzz is missing and the dotnet tool SharpFuzz.CommandLine 2.3.0
# (--tool-path under outdir, no global install); publishes fuzz/GatewayProxy.Fuzz; instruments
# GatewayProxy.Protocol.dll with sharpfuzz; runs afl-fuzz on fuzz/corpus/<target> with SharpFuzz's in-process
# fork server (`dotnet GatewayProxy.Fuzz.dll <target>`), with fuzz/dictionaries/<target>.dict when there is one. A crash found is an input in findings/default/crashes/:
# replay it with `dotnet <outdir>/bin/GatewayProxy.Fuzz.dll <target> --replay <file>`, minimize it, and add it to
# fuzz/regressions/<target>/ (tests/Fuzz/CorpusReplayTests.cs replays those in CI).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
targets="frame-reader handshake envelope zlib-stream zstd-stream"
target="${1:-}"
if [[ "$target" == "--list" || -z "$target" ]]; then
  echo "usage: fuzz/run.sh <target> [seconds] [outdir]; targets: $targets" >&2
  [[ "$target" == "--list" ]] && exit 0 || exit 2
fi
[[ " $targets " == *" $target "* ]] || { echo "unknown target '$target' (one of: $targets)" >&2; exit 2; }
seconds="${2:-1800}"
out="${3:-/tmp/gatewayproxy-fuzz/$target}"
nice_level="${NICE:-10}"
timeout_ms="${AFL_TIMEOUT_MS:-10000}"
mkdir -p "$out"

if ! command -v afl-fuzz >/dev/null; then
  echo "== installing afl++ (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi

tools="$out/tools"
if [[ ! -x "$tools/sharpfuzz" ]]; then
  echo "== installing SharpFuzz.CommandLine 2.3.0 into $tools"
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

bin="$out/bin"
publish() {
  echo "== publishing the harness into $bin"
  rm -rf "$bin"
  # Two campaigns started together would build the same obj/ folder at once (and one got an uninstrumented DLL): serialize.
  # A `dotnet build` of the fuzz project running meanwhile (outside this lock) can do the same: avoid it.
  (
    flock 9
    dotnet publish "$repo/fuzz/GatewayProxy.Fuzz/GatewayProxy.Fuzz.csproj" -c Release -o "$bin" -v quiet -nologo >/dev/null
  ) 9>/tmp/gatewayproxy-fuzz-publish.lock
  echo "== instrumenting GatewayProxy.Protocol.dll"
  "$tools/sharpfuzz" "$bin/GatewayProxy.Protocol.dll"
}
publish

findings="$out/findings"
if [[ "${RESUME:-0}" != "1" ]]; then
  rm -rf "$findings"
fi
export AFL_SKIP_BIN_CHECK=1                    # the target is `dotnet`; coverage comes from the instrumented DLL
export AFL_SKIP_CPUFREQ=1                      # containers cannot read or set the CPU governor
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 # core_pattern is the host's, not ours
export AFL_NO_AFFINITY=1                       # the box is shared: do not pin a core
export AFL_NO_UI=1                             # plain status lines, fit for a log
export AFL_FORKSRV_INIT_TMOUT=60000            # .NET start-up under load can take seconds
[[ "${RESUME:-0}" == "1" ]] && export AFL_AUTORESUME=1

echo "== afl-fuzz $target for ${seconds}s (nice $nice_level), findings in $findings"
start=$(date +%s)
dictionary=()
[[ -f "$repo/fuzz/dictionaries/$target.dict" ]] && dictionary=(-x "$repo/fuzz/dictionaries/$target.dict")
fuzz() {
  nice -n "$nice_level" afl-fuzz -i "$repo/fuzz/corpus/$target" -o "$findings" "${dictionary[@]}" -V "$seconds" -t "$timeout_ms" -m none \
    -- dotnet "$bin/GatewayProxy.Fuzz.dll" "$target" > "$out/afl.log" 2>&1
}
if ! fuzz; then
  # Seen twice when another build of the fuzz project ran during the publish: publish and instrument again, once.
  if grep -q "No instrumentation detected" "$out/afl.log" && [[ "${RESUME:-0}" != "1" ]]; then
    echo "== afl-fuzz saw no instrumentation: publishing again"
    rm -rf "$findings"
    publish
    start=$(date +%s)
    fuzz || { echo "afl-fuzz failed; last lines of $out/afl.log:" >&2; tail -30 "$out/afl.log" >&2; exit 1; }
  else
    echo "afl-fuzz failed; last lines of $out/afl.log:" >&2; tail -30 "$out/afl.log" >&2; exit 1
  fi
fi
wall=$(( $(date +%s) - start ))

stats="$findings/default/fuzzer_stats"
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)
echo "== summary ($target)"
# edges = map entries hit; the map is 64 Ki wide but only GatewayProxy.Protocol.dll is instrumented, so the bitmap % stays small.
echo "| target | wall s | execs | execs/s | corpus (found) | edges | bitmap | stability | crashes | hangs |"
echo "|---|---|---|---|---|---|---|---|---|---|"
echo "| $target | $wall | $(stat execs_done) | $(stat execs_per_sec) | $(stat corpus_count) ($(stat corpus_found)) | $(stat edges_found) | $(stat bitmap_cvg) | $(stat stability) | $crashes | $hangs |"
if [[ "${crashes:-0}" != "0" ]]; then
  echo "crashes: $findings/default/crashes (replay: dotnet $bin/GatewayProxy.Fuzz.dll $target --replay <file>)"
fi
