#!/usr/bin/env bash
# Installs the Debian packages the daemon, its agents and the tests use (needs root).
set -euo pipefail

# iproute2: `ip` for addresses and namespaces; iputils-arping: gratuitous ARP; fping: the echoes
# to ping nodes (one long-lived process for all of them);
# heartbeat: the reference daemon for interop tests and its sample configuration files;
# net-tools: `ifconfig`, which the real node's IPaddr (resource-agents) runs in the interop tests;
# bsdutils: `logger` for syslog; socat: test probes and a syslog socket for tests.
packages=(iproute2 iputils-arping fping heartbeat net-tools bsdutils socat)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "system packages: all present (${packages[*]})"
  exit 0
fi
if ((EUID != 0)); then
  echo "install-system-packages: run as root to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "system packages: installed ${missing[*]}"
