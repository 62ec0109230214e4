#!/usr/bin/env bash
# Writes src/ProtonPortSync/method-order.txt, the order in which the NativeAOT build places the daemon's methods
# (benchmarks/footprint/README.md, round 4). It publishes the binary, puts a uprobe on each of its managed functions
# and runs it, then lists the functions that ran: first those of the footprint rig's daemon (real qBittorrent 4.5.2
# and miniupnpd, renewal every second, /metrics scraped, SIGTERM), then those only the NativeAOT end-to-end and
# doctor tests reach (recovery, hooks, port files, HTTPS, demo, doctor). Run it again when the footprint run shows
# the binary's resident pages growing, or when `scripts/test.sh` says the binary no longer follows the file.
#
#   sudo benchmarks/footprint/method-order.sh            # ~15 min (the probes slow the daemon ~30×)
#   sudo E2E=0 benchmarks/footprint/method-order.sh      # the rig only (~4 min)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "method-order: run as root (uprobes, network namespaces)" >&2; exit 2; }
[ -w /sys/kernel/tracing/uprobe_events ] || { echo "method-order: needs tracefs at /sys/kernel/tracing with uprobes" >&2; exit 2; }
work=$(mktemp -d /tmp/pps-method-order.XXXXXX)
group=ppsorder$$
cleanup() { python3 benchmarks/footprint/method_order.py remove "$group" || true; rm -rf "$work"; }
trap cleanup EXIT

./scripts/publish.sh linux-x64 "$work/aot" > "$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
binary=$work/aot/proton-port-sync
dbg=$work/aot/proton-port-sync.dbg

python3 benchmarks/footprint/method_order.py probe "$binary" "$dbg" "$group"
SUBJECTS=aot MINUTES=1 RUNS=2 CPU_SECONDS=10 LOOP_CYCLES=1 BINARY=$binary benchmarks/footprint/run.sh \
  > "$work/rig.out" 2> "$work/rig.err" || { tail -n 20 "$work/rig.err"; exit 1; }
grep -E 'scrapes|start → listening' "$work/rig.err" >&2
python3 benchmarks/footprint/method_order.py read "$group" "$work/rig.hits"
hits=("$work/rig.hits")

if [ "${E2E:-1}" = 1 ]; then
  dotnet build tests/ProtonPortSync.IntegrationTests -c Release -nologo -v quiet -clp:ErrorsOnly
  python3 benchmarks/footprint/method_order.py probe "$binary" "$dbg" "$group"
  # Slowed by the probes, tests that time the daemon may fail; what counts here is which code ran.
  PPS_DAEMON=$binary timeout 1800 dotnet test tests/ProtonPortSync.IntegrationTests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~EndToEnd|FullyQualifiedName~Doctor" --results-directory "$work/e2e" > "$work/e2e.log" 2>&1 || true
  grep -E '^(Passed|Failed)!' "$work/e2e.log" >&2 || true
  python3 benchmarks/footprint/method_order.py read "$group" "$work/e2e.hits"
  hits+=("$work/e2e.hits")
fi

python3 benchmarks/footprint/method_order.py write "$dbg" src/ProtonPortSync/method-order.txt "${hits[@]}"
echo "wrote src/ProtonPortSync/method-order.txt; publish again to use it"
