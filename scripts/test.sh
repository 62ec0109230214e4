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
echo "== NativeAOT publish"
aot=artifacts/aot
rm -rf "$aot"
if dotnet publish src/ProtonPortSync -c Release -r linux-x64 -p:PublishAot=true -o "$aot" -nologo -warnaserror > artifacts/aot-publish.log 2>&1; then
  size=$(stat -c %s "$aot/proton-port-sync")
  echo "published $aot/proton-port-sync ($((size / 1024)) KiB), no warnings"
  PPS_DAEMON="$PWD/$aot/proton-port-sync" dotnet test tests/ProtonPortSync.IntegrationTests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~EndToEnd" --logger "trx;LogFileName=aot-end-to-end.trx" \
    --results-directory "$results" || status=1
else
  cat artifacts/aot-publish.log
  echo "NativeAOT publish failed"
  status=1; aot_failed=1
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
[ "$failed" -gt 0 ] && status=1
[ "${aot_failed:-0}" -eq 1 ] && failed=$((failed + 1))
echo "$passed passed, $failed failed"
exit $status
