#!/usr/bin/env bash
# A development machine: every Debian package the daemon and the tests use, then the npm
# dependencies of this checkout. apt-get runs through sudo unless already root.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/packages.sh
source scripts/packages.sh
install_packages "${NODE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
npm ci --no-audit --no-fund
