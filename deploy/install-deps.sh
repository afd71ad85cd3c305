#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install exactly the Debian packages imsgw needs to build, run its demo and
# run its tests; skip what is already installed.  Idempotent.
#
#   deploy/install-deps.sh            build + demo + tests
#   deploy/install-deps.sh --runtime  only what the daemons need at run time
#   deploy/install-deps.sh --list     print the package list and exit
set -euo pipefail

runtime=(
	libmicrohttpd12 libgnutls30 libxml2 libxmlsec1 libxmlsec1-openssl
	libssl3 libgsoap-2.8.124 openssl ca-certificates
)
build=(
	build-essential cmake pkg-config
	libmicrohttpd-dev libgnutls28-dev libxml2-dev libxmlsec1-dev libssl-dev
	libgsoap-dev gsoap
)
tests=(
	libcmocka-dev curl xmlsec1 python3 python3-zeep python3-xmlsec python3-lxml
	clang libclang-rt-14-dev procps iproute2
)

mode=all
case "${1:-}" in
--runtime) mode=runtime ;;
--list) mode=list ;;
"") ;;
*) echo "install-deps: unknown option $1" >&2; exit 2 ;;
esac

if [ "$mode" = runtime ]; then
	want=("${runtime[@]}")
else
	want=("${runtime[@]}" "${build[@]}" "${tests[@]}")
fi
if [ "$mode" = list ]; then
	printf '%s\n' "${want[@]}"
	exit 0
fi

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps: all ${#want[@]} packages already installed"
	exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
