#!/usr/bin/env bash
# Builds, once, a Debian 13 ("trixie") root file system holding today's torrent clients, and prints its path.
# The integration tests run those clients from it (chroot inside a fresh network namespace); Debian 12 cannot
# install them. The tree is cached under $PPS_ROOTFS_CACHE (default /var/cache/proton-port-sync), keyed by the
# suite and package list, so it is rebuilt only when they change. Concurrent callers wait on one lock.
# The mirror is the Debian archive apt already uses here (read from /etc/apt/sources.list.d/), or $PPS_TRIXIE_MIRROR.
# Fails loudly (exit 1, message on stderr) when mmdebstrap or the archive is unavailable: the tests must not skip.
set -euo pipefail

suite=trixie
packages=(qbittorrent-nox transmission-daemon deluged deluge-web)
cache=${PPS_ROOTFS_CACHE:-/var/cache/proton-port-sync}

fail() { echo "trixie-rootfs: $*" >&2; exit 1; }

key=$(printf '%s\n' "v1" "$suite" "${packages[@]}" | sha256sum | cut -c1-16)
tree="$cache/$suite-rootfs-$key"

if [ -f "$tree/.pps-complete" ]; then
  echo "$tree"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || fail "building $tree needs root (mmdebstrap in root mode); run scripts/install-deps.sh as root"
command -v mmdebstrap >/dev/null || fail "mmdebstrap is not installed; run scripts/install-deps.sh (apt-get install mmdebstrap)"

mirror=${PPS_TRIXIE_MIRROR:-}
if [ -z "$mirror" ]; then
  # The first Debian archive URI (not the security archive) in a deb822 .sources or one-line .list file.
  mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)
fi
[ -n "$mirror" ] || fail "no Debian archive URI found in /etc/apt/sources.list.d/; set PPS_TRIXIE_MIRROR=http://deb.debian.org/debian"

mkdir -p "$cache"
exec 9>"$cache/$suite-rootfs.lock"
flock -w 900 9 || fail "waited 900 s for $cache/$suite-rootfs.lock held by another build"

if [ -f "$tree/.pps-complete" ]; then
  echo "$tree"
  exit 0
fi

work=$(mktemp -d "$cache/.$suite-rootfs-build.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
echo "trixie-rootfs: building $tree from $mirror (${packages[*]}); this takes minutes" >&2
include=$(IFS=,; echo "${packages[*]}")
if ! mmdebstrap --quiet --variant=apt --include="$include" "$suite" "$work/root" "$mirror" >"$work/log" 2>&1; then
  tail -n 30 "$work/log" >&2
  fail "mmdebstrap failed for $suite from $mirror (is the archive reachable?); log above"
fi
for bin in qbittorrent-nox transmission-daemon deluged deluge-web; do
  [ -x "$work/root/usr/bin/$bin" ] || fail "the built tree has no /usr/bin/$bin"
done
chroot "$work/root" dpkg-query -W "${packages[@]}" > "$work/root/.pps-versions"
touch "$work/root/.pps-complete"
rm -rf --one-file-system "$tree"
mv "$work/root" "$tree"

# Trees of older package lists: remove those nothing has mounted (a running test may still use one).
for old in "$cache/$suite-rootfs-"*; do
  [ "$old" = "$tree" ] && continue
  grep -q " $old" /proc/mounts || rm -rf --one-file-system "$old"
done
echo "trixie-rootfs: built $(tr '\n' ' ' < "$tree/.pps-versions")" >&2
echo "$tree"
