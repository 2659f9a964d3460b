#!/usr/bin/env bash
# Installs the real BitTorrent clients of the client tests (test/clients/*.clients-spec.ts) from
# Debian's packages, if missing: libtorrent-rasterbar for Debian's python3 (python3-libtorrent)
# and aria2. Idempotent; needs root (or sudo). Exits non-zero when a package cannot be installed.
set -euo pipefail
PACKAGES="python3-libtorrent aria2"
missing=""
for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -z "$missing" ]; then
  echo "BitTorrent clients already installed:$(printf ' %s' $PACKAGES)"
else
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  echo "apt-get install$missing"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
/usr/bin/python3 -c 'import libtorrent; print("libtorrent", libtorrent.__version__)'
aria2c --version | head -n 1
