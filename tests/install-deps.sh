#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages of tests/debian-packages.txt that are
# missing (apt-get; through sudo when not root). Does nothing when all are
# there, so it is cheap to run again.
set -eu
cd "$(dirname "$0")/.."
missing=()
while read -r pkg; do
	case "$pkg" in ''|'#'*) continue ;; esac
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$pkg")
done < tests/debian-packages.txt
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing: ${missing[*]}" >&2
$sudo apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
