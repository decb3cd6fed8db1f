# Debian packages by role, and a function that installs the missing ones (sourced, not run).
# shellcheck shell=bash

# A node: iproute2 (`ip`) for addresses, iputils-arping for gratuitous ARP, fping for ping nodes
# (one long-lived process pings them all).
NODE_PACKAGES=(iproute2 iputils-arping fping)
# A development machine also runs the tests: heartbeat is the reference daemon of the interop tests
# and holds Debian's sample files; net-tools gives the `ifconfig` its IPaddr runs; bsdutils gives
# `logger`; socat makes test probes and a syslog socket; nftables (`nft`) drops a share of the
# heartbeat packets inside a node's namespace in the chaos run; pacemaker-cli-utils (crm_verify,
# crm_simulate, offline) and libxml2-utils (xmllint) check what export-cib writes.
TEST_PACKAGES=(heartbeat net-tools bsdutils socat nftables pacemaker-cli-utils libxml2-utils keepalived)

# Runs a command as root: directly when root already, else through sudo.
as_root() {
  if ((EUID == 0)); then "$@"; else sudo "$@"; fi
}

# Installs whichever of the given packages are not installed yet.
install_packages() {
  local package status missing=()
  for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    echo "system packages: all present ($*)"
    return 0
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  echo "system packages: installed ${missing[*]}"
}
