#!/usr/bin/env bash
# Regenerates nix/deps.json (the nugetDeps of flake.nix) from the NuGet cache after a restore.
#
#   scripts/update-nix-deps.sh            restore the solution, then rewrite nix/deps.json
#   scripts/update-nix-deps.sh --check    no restore: exit 1 (and print a diff) if nix/deps.json is stale
#
# For every library of type "package" in every obj/project.assets.json it emits
# {pname, version, hash = "sha512-" + <base64 in <id>.<version>.nupkg.sha512>}: the hash of the whole
# .nupkg file, which is what Nix fetches from nuget.org (the assets file's own sha512 is NuGet's content
# hash, which leaves out the package signature, so it is not usable). Packages without a .sha512 come
# from the SDK's own packs and are skipped. Output is sorted by lower-case id, then version.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

command -v jq >/dev/null || { echo "jq is required (apt-get install jq)" >&2; exit 2; }

if [ "$mode" = write ]; then
  dotnet restore ProtonPortSync.slnx -nologo >&2
fi

mapfile -t assets < <(find src tests -path '*/obj/project.assets.json' -type f | sort)
if [ "${#assets[@]}" -eq 0 ]; then
  echo "no obj/project.assets.json found: run 'dotnet restore ProtonPortSync.slnx' first" >&2
  exit 2
fi

entries=$(mktemp)
trap 'rm -f "$entries"' EXIT
for a in "${assets[@]}"; do
  cache=$(jq -r '.project.restore.packagesPath // empty' "$a")
  cache=${cache:-${NUGET_PACKAGES:-$HOME/.nuget/packages}}
  jq -r '.libraries | to_entries[] | select(.value.type == "package") | .key' "$a" |
    while IFS=/ read -r id version; do
      lower=$(printf '%s' "$id" | tr '[:upper:]' '[:lower:]')
      lv=$(printf '%s' "$version" | tr '[:upper:]' '[:lower:]')
      sha="$cache/$lower/$lv/$lower.$lv.nupkg.sha512"
      if [ ! -f "$sha" ]; then
        echo "skip $id $version: no $sha (an SDK pack)" >&2
        continue
      fi
      jq -n --arg p "$id" --arg v "$version" --arg h "sha512-$(tr -d '\n' <"$sha")" \
        '{pname: $p, version: $v, hash: $h}'
    done
done >"$entries"

generated=$(jq -s 'unique_by([(.pname | ascii_downcase), .version]) | sort_by((.pname | ascii_downcase), .version)' "$entries")

if [ "$mode" = check ]; then
  if ! diff -u nix/deps.json <(printf '%s\n' "$generated"); then
    echo "nix/deps.json is stale: run scripts/update-nix-deps.sh and commit the result" >&2
    exit 1
  fi
  echo "nix/deps.json is up to date (${#assets[@]} assets files)"
else
  printf '%s\n' "$generated" >nix/deps.json
  echo "wrote nix/deps.json ($(jq length nix/deps.json) packages)" >&2
fi
