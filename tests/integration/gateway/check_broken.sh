#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# imsgw --check over the broken configurations kept in tests/data/broken:
# each case is a bundles folder and an "expect" file of lines
# "FILE:LINE: TEXT" that --check must print (exit 1).
#   check_broken.sh IMSGW CERT_DIR DATA_DIR
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/testlib.sh"
IMSGW=$1
C=$2
DATA=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for case in "$DATA"/*/; do
	name=$(basename "$case")
	cat > "$work/imsgw.conf" <<CONF
[server]
bundles ${case}bundles
[listener main]
port 8443
tls-cert $C/server.crt
tls-key $C/server.key
client-ca $C/ca.crt
CONF
	"$IMSGW" -c "$work/imsgw.conf" --check > "$work/out" 2>&1
	rc=$?
	check "$name: --check exits 1" test "$rc" -eq 1
	while IFS= read -r want; do
		file=${want%%:*}
		rest=${want#*:}
		if grep -qF "${case}bundles/$file:$rest" "$work/out"; then
			ok "$name: reports $want"
		else
			not_ok "$name: reports $want"
			sed 's/^/#   got: /' "$work/out"
		fi
	done < "$case/expect"
done
tap_done
