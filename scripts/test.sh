#!/usr/bin/env bash
# The one command that runs every test: installs the real peers from Debian, builds (warnings are errors),
# runs unit and integration tests, and ends with the totals on a line of their own: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build ProtonPortSync.slnx -c Release -nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" || status=1
done

# The shipped artefact: one NativeAOT executable, published with zero warnings, must pass the same end-to-end
# rig (daemon, probe) as the framework-dependent build.
echo "== NativeAOT publish (linux-x64)"
aot=artifacts/aot
extra_passed=0; extra_failed=0
if ./scripts/publish.sh linux-x64 "$aot" > artifacts/aot-publish.log 2>&1; then
  tail -n 1 artifacts/aot-publish.log
  PPS_DAEMON="$PWD/$aot/proton-port-sync" dotnet test tests/ProtonPortSync.IntegrationTests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~EndToEnd|FullyQualifiedName~Doctor" --logger "trx;LogFileName=aot-end-to-end.trx" \
    --results-directory "$results" || status=1
  extra_passed=$((extra_passed + 1))
  # The code layout: the methods listed in src/ProtonPortSync/method-order.txt open the binary's managed code.
  if python3 benchmarks/footprint/method_order.py check "$aot/proton-port-sync.dbg" src/ProtonPortSync/method-order.txt; then
    extra_passed=$((extra_passed + 1))
  else
    echo "FAILED: the NativeAOT binary does not follow src/ProtonPortSync/method-order.txt"
    extra_failed=$((extra_failed + 1))
  fi
else
  cat artifacts/aot-publish.log
  echo "FAILED: NativeAOT publish for linux-x64"
  extra_failed=$((extra_failed + 1))
fi

# linux-arm64: cross-linked, then the demo run under qemu-aarch64 (it must map, write and read back a port).
echo "== NativeAOT publish (linux-arm64) + demo under qemu-aarch64"
if ./scripts/publish.sh linux-arm64 artifacts/aot-arm64 > artifacts/aot-arm64-publish.log 2>&1 \
  && { timeout 60 qemu-aarch64 -L /usr/aarch64-linux-gnu artifacts/aot-arm64/proton-port-sync demo --duration 3 \
         --port-file artifacts/aot-arm64/demo.port > artifacts/aot-arm64-demo.log 2>&1; \
       grep -q "set to [0-9]* and read back" artifacts/aot-arm64-demo.log; }; then
  tail -n 1 artifacts/aot-arm64-publish.log
  # The demo removes its port file when it stops (the mapping is deleted), so the port is taken from its output.
  echo "linux-arm64 binary ran the demo under qemu: $(grep -m 1 'set to [0-9]* and read back' artifacts/aot-arm64-demo.log)"
  extra_passed=$((extra_passed + 1))
else
  tail -n 20 artifacts/aot-arm64-publish.log artifacts/aot-arm64-demo.log 2>/dev/null
  echo "FAILED: linux-arm64 NativeAOT publish or its demo under qemu"
  extra_failed=$((extra_failed + 1))
fi

passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  total=$((total + $(get total)))
done

if [ "$total" -eq 0 ]; then
  echo "no tests ran"
  status=1
fi
# Name each failed test and the first lines of its message, so a log that keeps only its tail still says what broke.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  python3 - "$trx" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for result in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if result.get("outcome") != "Failed":
        continue
    message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip().splitlines()
    print("FAILED:", result.get("testName"), "(" + sys.argv[1].rsplit("/", 1)[-1] + ")")
    for line in message[:6]:
        print("   ", line[:300])
PY
done
# The publish checks above (linux-x64 with its code layout, linux-arm64) count as one test each.
passed=$((passed + extra_passed)); failed=$((failed + extra_failed))
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
