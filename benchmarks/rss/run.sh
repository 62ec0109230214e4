#!/usr/bin/env bash
# RSS of the metrics endpoint under scraping, NativeAOT. Publishes, starts a NAT-PMP answerer on loopback,
# runs each server for DURATION seconds while scraping /metrics every SCRAPE_INTERVAL seconds, and prints RSS
# over time (every SAMPLE_EVERY s) side by side, with the idle RSS before scraping.
#
#   benchmarks/rss/run.sh                     # harness: kestrel (chosen) vs httplistener (rejected), 180 s
#   TARGET=daemon benchmarks/rss/run.sh       # the real `proton-port-sync run` (once wired), kestrel only
#   DURATION=300 SCRAPE_INTERVAL=0.25 benchmarks/rss/run.sh
#
# Everything listens on 127.0.0.1 only; every process it starts it stops by PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-180}
SCRAPE_INTERVAL=${SCRAPE_INTERVAL:-1}
SAMPLE_EVERY=${SAMPLE_EVERY:-15}
IDLE=${IDLE:-10}
TARGET=${TARGET:-harness}
work=$(mktemp -d /tmp/pps-rss.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

publish() { # project outdir
  local log="$work/publish-$(basename "$2").log"
  dotnet publish "$1" -c Release -r linux-x64 -p:PublishAot=true -o "$2" -nologo >"$log" 2>&1 || { cat "$log"; exit 1; }
  local warnings
  warnings=$(grep -cE 'warning (IL|AOT|CS|CA|NU)' "$log" || true)
  echo "published $(basename "$1") NativeAOT: $warnings warning(s), binary $(du -h "$2"/$(basename "$2") 2>/dev/null | cut -f1)"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

python3 benchmarks/rss/natpmp-responder.py >"$work/gw.port" & pids+=($!)
for _ in $(seq 50); do [ -s "$work/gw.port" ] && break; sleep 0.1; done
gw_port=$(cat "$work/gw.port")

if [ "$TARGET" = daemon ]; then
  publish src/ProtonPortSync "$work/proton-port-sync"
  servers=(kestrel)
else
  publish benchmarks/rss/harness "$work/rss-harness"
  servers=(kestrel httplistener)
fi

declare -A series idle
for server in "${servers[@]}"; do
  mport=$(free_port)
  if [ "$TARGET" = daemon ]; then
    "$work/proton-port-sync/proton-port-sync" run --client file --port-file "$work/port-$server" --recovery none \
      --gateway "127.0.0.1:$gw_port" --bind-address 127.0.0.1 --internal-port 0 --metrics-addr "127.0.0.1:$mport" \
      --log-level warning 2>"$work/$server.log" & pid=$!
  else
    "$work/rss-harness/rss-harness" "$server" "$gw_port" "$mport" "$work/port-$server" 2>"$work/$server.log" & pid=$!
  fi
  pids+=($pid)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$mport/metrics" -o /dev/null && break; sleep 0.1; done
  sleep "$IDLE"
  idle[$server]=$(rss_kb "$pid")
  start=$(date +%s); next=0; line="" ; scrapes=0; failures=0
  while :; do
    elapsed=$(( $(date +%s) - start ))
    [ "$elapsed" -ge "$DURATION" ] && break
    if [ "$elapsed" -ge "$next" ]; then line+="$elapsed:$(rss_kb "$pid") "; next=$(( next + SAMPLE_EVERY )); fi
    curl -fs "http://127.0.0.1:$mport/metrics" -o /dev/null || failures=$((failures + 1))
    scrapes=$((scrapes + 1))
    sleep "$SCRAPE_INTERVAL"
  done
  line+="$DURATION:$(rss_kb "$pid")"
  series[$server]="$line"
  grep -q '^proton_port_sync_in_sync 1' <(curl -fs "http://127.0.0.1:$mport/metrics") && sync=in-sync || sync=NOT-in-sync
  echo "$server: $scrapes scrapes, $failures failed, daemon $sync, port file $(cat "$work/port-$server" 2>/dev/null || echo none)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

echo
echo "RSS in MB (VmRSS), scraping /metrics every ${SCRAPE_INTERVAL}s for ${DURATION}s, NativeAOT:"
printf '%-8s' "t(s)"; for s in "${servers[@]}"; do printf '%14s' "$s"; done; echo
printf '%-8s' "idle"; for s in "${servers[@]}"; do printf '%14.1f' "$(echo "${idle[$s]} / 1024" | bc -l)"; done; echo
read -r -a first <<<"${series[${servers[0]}]}"
for i in "${!first[@]}"; do
  printf '%-8s' "${first[$i]%%:*}"
  for s in "${servers[@]}"; do
    read -r -a col <<<"${series[$s]}"
    v=${col[$i]:-}; printf '%14.1f' "$(echo "${v#*:} / 1024" | bc -l)"
  done
  echo
done
