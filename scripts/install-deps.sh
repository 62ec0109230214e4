#!/usr/bin/env bash
# Installs, from Debian, the real peers and tools the tests run against. Skips what is already there.
# Never names systemd in the install line: that would upgrade the machine's systemd.
set -euo pipefail

packages=(
  iproute2 nftables iptables procps
  miniupnpd-nftables natpmpc
  qbittorrent-nox transmission-daemon deluged deluge-web
  prometheus dbus python3-dbus nodejs mmdebstrap
  nix-bin
  gcc libc6-dev clang-14 gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  "$(dirname "$0")/trixie-rootfs.sh" >/dev/null # Debian 13 peers: built once, then cached
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root (the integration tests need root for network namespaces)" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# miniupnpd's postinst asks debconf questions and may try to start the service: answer and forbid.
echo 'miniupnpd miniupnpd/start_daemon boolean false' | debconf-set-selections 2>/dev/null || true
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
fi
trap '[ $created_policy -eq 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null

# policy-rc.d stops the services from starting now, but the maintainer scripts still enable them at boot.
# Disable what this run installed (never a service that was there before): the machine boots as it did.
boot_services=(prometheus transmission-daemon deluged deluge-web miniupnpd nix-daemon)
for service in "${boot_services[@]}"; do
  package=$(dpkg-query -S "/lib/systemd/system/$service.service" 2>/dev/null | cut -d: -f1 || true)
  [ -n "$package" ] || package=$(dpkg-query -S "/etc/init.d/$service" 2>/dev/null | cut -d: -f1 || true)
  case " ${missing[*]} " in
    *" $package "*) ;;
    *) continue ;;
  esac
  if [ -e "/lib/systemd/system/$service.service" ]; then
    # Offline (PID 1 need not be systemd): only the [Install] symlinks change.
    systemctl disable "$service.service" "$service.socket" >/dev/null 2>&1 || systemctl disable "$service.service" >/dev/null 2>&1 || true
  fi
  if [ -e "/etc/init.d/$service" ]; then
    update-rc.d "$service" disable >/dev/null 2>&1 || true
  fi
  echo "install-deps: $service installed for the tests; disabled at boot"
done
echo "install-deps: done"
"$(dirname "$0")/trixie-rootfs.sh" >/dev/null # Debian 13 peers: built once, then cached
