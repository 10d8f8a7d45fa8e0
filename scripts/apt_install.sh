#!/usr/bin/env bash
# Install the given Debian packages if they are missing (idempotent; refreshes the index only when needed).
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/zhifa-apt.log 2>&1 || {
  $SUDO apt-get update -q >>/tmp/zhifa-apt.log 2>&1
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/zhifa-apt.log 2>&1 || { tail -n 30 /tmp/zhifa-apt.log; exit 1; }
}
