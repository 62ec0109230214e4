#!/usr/bin/env bash
# The demo: the real daemon against a built-in ProtonVPN-like NAT-PMP gateway on loopback. No root, no network.
# Extra arguments go to `proton-port-sync demo` (e.g. --duration 30, --change-every 10, --qbt-url http://127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
dll=src/ProtonPortSync/bin/Release/net10.0/proton-port-sync.dll

# Build only when a source is newer than the last build: a warm run starts at once.
newer=$(find src global.json Directory.Build.props Directory.Packages.props \( -name bin -o -name obj \) -prune -o -type f -newer "$dll" -print -quit 2>/dev/null || true)
if [ ! -e "$dll" ] || [ -n "$newer" ]; then
  if ! command -v dotnet >/dev/null; then
    echo "demo: the .NET 10 SDK is not installed (no 'dotnet' on PATH); see README.md, section 'From zero'." >&2
    exit 1
  fi
  echo "demo: building the daemon (the first build restores packages and takes about a minute)..." >&2
  if ! log=$(dotnet build src/ProtonPortSync -c Release -nologo -v quiet -clp:ErrorsOnly 2>&1); then
    printf '%s\n' "$log" >&2
    echo "demo: the build failed (errors above); nothing was started." >&2
    exit 1
  fi
fi
exec dotnet "$dll" demo "$@"
