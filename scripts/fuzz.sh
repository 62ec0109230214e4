#!/usr/bin/env bash
# Property-based fuzzing with a large budget (CsCheck): the NAT-PMP decoder and client (10^6 random and mutated
# replies per property by default) and every torrent-client adapter's response parser.
#   PPS_FUZZ_ITER          cases per NAT-PMP property (default 1000000)
#   PPS_FUZZ_ADAPTER_ITER  cases per adapter property (default 20000)
#   PPS_FUZZ_SEED          replay the seed a failure printed
# The normal test command runs the same properties with small budgets.
set -euo pipefail
cd "$(dirname "$0")/.."
export PPS_FUZZ_ITER="${PPS_FUZZ_ITER:-1000000}"
export PPS_FUZZ_ADAPTER_ITER="${PPS_FUZZ_ADAPTER_ITER:-20000}"
dotnet build ProtonPortSync.slnx -c Release -nologo -clp:ErrorsOnly
dotnet test tests/ProtonPortSync.NatPmp.Tests -c Release --no-build --filter "FullyQualifiedName~.Fuzz." --logger "console;verbosity=normal"
dotnet test tests/ProtonPortSync.Tests -c Release --no-build --filter "FullyQualifiedName~.Fuzz." --logger "console;verbosity=normal"
