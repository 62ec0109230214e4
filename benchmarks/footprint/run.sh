#!/usr/bin/env bash
# Footprint and cost per cycle, side by side in one run: the NativeAOT daemon, the JIT daemon and ProtonVPN's
# documented loop (natpmpc UDP + natpmpc TCP + curl to qBittorrent per cycle), against miniupnpd and a real
# qbittorrent-nox 4.5.2, each peer in its own network namespace. Prints one table; asserts nothing.
#
#   sudo benchmarks/footprint/run.sh                       # 10 min of 1 scrape/s per daemon, medians of 5 starts
#   sudo MINUTES=3 RUNS=3 CPU_SECONDS=40 benchmarks/footprint/run.sh      # a quicker run
#   sudo SUBJECTS=aot MINUTES=2 benchmarks/footprint/run.sh              # one subject (the loop's CPU is still measured)
#   sudo BINARY=/tmp/x/proton-port-sync benchmarks/footprint/run.sh      # an already published NativeAOT binary
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "footprint: run as root (network namespaces)" >&2; exit 2; }
for tool in miniupnpd natpmpc qbittorrent-nox nft curl cc; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null || { ./scripts/install-deps.sh >/dev/null; break; }
done
export PATH=$PATH:/usr/sbin
work=$(mktemp -d /tmp/pps-footprint.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ -z "${BINARY:-}" ]; then
  ./scripts/publish.sh linux-x64 "$work/aot" >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
  echo "published NativeAOT: $(grep -cE 'warning (IL|AOT)' "$work/publish.log" || true) trim/AOT warning(s)" >&2
  BINARY=$work/aot/proton-port-sync
fi
case " ${SUBJECTS:-aot jit loop floor} " in
  *" jit "*) dotnet build src/ProtonPortSync -c Release -nologo -v quiet -clp:ErrorsOnly -o "$work/jit" >/dev/null ;;
  *) mkdir -p "$work/jit" ;;  # not measured: nothing to build
esac
python3 benchmarks/footprint/bench.py "$BINARY" "$work/jit/proton-port-sync.dll" "$work"
