#!/usr/bin/env bash
# A cluster node: the Debian packages the daemon and its agents need, then this package installed
# by npm into PREFIX (default /usr/local), from a packed TARBALL or built from this checkout.
# apt-get and npm install run through sudo unless already root.
set -euo pipefail

usage() {
  echo "usage: install-node.sh [--prefix DIR] [TARBALL]" >&2
  exit 2
}

prefix=/usr/local
tarball=
while (($# > 0)); do
  case $1 in
    --prefix)
      (($# >= 2)) || usage
      prefix=$2
      shift 2
      ;;
    --prefix=*)
      prefix=${1#--prefix=}
      shift
      ;;
    -h | --help)
      echo "usage: install-node.sh [--prefix DIR] [TARBALL]"
      echo "Installs iproute2, iputils-arping and fping, then heartbeat-ts into DIR (/usr/local)."
      exit 0
      ;;
    -*) usage ;;
    *)
      [[ -z $tarball ]] || usage
      tarball=$1
      shift
      ;;
  esac
done

checkout=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/packages.sh
source "$checkout/scripts/packages.sh"
install_packages "${NODE_PACKAGES[@]}"

if [[ -z $tarball ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # Packed outside the checkout, so nothing is left behind in it; prepack builds dist/ first.
  (cd "$checkout" && npm ci --no-audit --no-fund && npm pack --silent --pack-destination "$work")
  tarball=$(echo "$work"/*.tgz)
fi
if [[ ! -f $tarball ]]; then
  echo "install-node: no such package file: $tarball" >&2
  exit 1
fi
tarball=$(realpath "$tarball")
as_root npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error "$tarball"
"$prefix/bin/heartbeat" --version
echo "commands: $prefix/bin/heartbeat, $prefix/bin/cl_status"
echo "package:  $prefix/lib/node_modules/heartbeat-ts (agents in resource.d/, examples in ha.d.example/)"
