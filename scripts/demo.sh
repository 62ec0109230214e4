#!/usr/bin/env bash
# The demo: the real daemon against a built-in ProtonVPN-like NAT-PMP gateway on loopback. No root, no network.
# Extra arguments go to `proton-port-sync demo` (e.g. --duration 30, --change-every 10, --qbt-url http://127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/ProtonPortSync -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet src/ProtonPortSync/bin/Release/net10.0/proton-port-sync.dll demo "$@"
