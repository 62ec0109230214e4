#!/usr/bin/env bash
# Publishes the one self-contained NativeAOT executable (warnings are errors):
#   scripts/publish.sh [linux-x64|linux-arm64] [output directory]
# linux-arm64 is cross-linked with clang-14 against Debian's aarch64 cross toolchain (installed by install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${1:-linux-x64}
out=${2:-artifacts/publish/$rid}
extra=()
case "$rid" in
  linux-x64) ;;
  linux-arm64) extra=(-p:CppCompilerAndLinker=clang-14 -p:LinkerFlavor=bfd) ;;
  *) echo "publish.sh: unsupported runtime '$rid' (linux-x64 or linux-arm64)" >&2; exit 2 ;;
esac
dotnet publish src/ProtonPortSync -c Release -r "$rid" -p:PublishAot=true -warnaserror -nologo -o "$out" "${extra[@]}"
echo "published $out/proton-port-sync ($(($(stat -c %s "$out/proton-port-sync") / 1024)) KiB)"
