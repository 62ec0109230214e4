#!/usr/bin/env bash
# Start-up plus one NAT-PMP round trip, side by side: `proton-port-sync probe` as the NativeAOT binary, the same
# probe on the JIT, and Debian's natpmpc (the tool the shell-loop scripts use). Each runs in a fresh network
# namespace with only lo, against a loopback NAT-PMP answerer on 127.0.0.1:5351.
#   sudo benchmarks/startup/run.sh            (RUNS=30 by default)
# probe does 3 exchanges (public address, UDP, TCP); natpmpc -a does 2 (public address, one mapping).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-30}
command -v hyperfine >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --no-upgrade hyperfine >/dev/null
command -v natpmpc >/dev/null || ./scripts/install-deps.sh >/dev/null

ns="pps-bench-$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
work=$(mktemp -d)
responder=""
cleanup() {
  [ -n "$responder" ] && kill "$responder" 2>/dev/null || true
  ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

./scripts/publish.sh linux-x64 "$work/aot" >/dev/null
dotnet build src/ProtonPortSync -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
jit=src/ProtonPortSync/bin/Release/net10.0/proton-port-sync.dll

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" python3 benchmarks/rss/natpmp-responder.py 5351 > "$work/port" &
responder=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done

args="probe --gateway 127.0.0.1 --bind-address 127.0.0.1 --internal-port 1"
echo "binary: $(($(stat -c %s "$work/aot/proton-port-sync") / 1024)) KiB NativeAOT"
ip netns exec "$ns" hyperfine -N --warmup 3 --runs "$RUNS" \
  -n "proton-port-sync probe (NativeAOT)" "$work/aot/proton-port-sync $args" \
  -n "proton-port-sync probe (JIT)" "dotnet $jit $args" \
  -n "natpmpc -a 1 0 udp 60" "natpmpc -g 127.0.0.1 -a 1 0 udp 60"
