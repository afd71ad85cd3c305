#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Concurrency regression: imsgw + imsconnect-sim with the demo bundles under
# igw-load (64 connections) for every kind of identity; no request may fail
# and imsgw must survive and stop cleanly.
#   load_smoke.sh BUILD_DIR SOURCE_DIR CERT_DIR
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/testlib.sh"
b=$1; top=$2; C=$3
work=$(mktemp -d)
trap 'kill $sp $gp 2>/dev/null; rm -rf "$work"' EXIT
SIMP=$(free_port); GWP=$(free_port)
demo_site "$work" "$SIMP" "$top" "$C"
# this test is about races, not the overload policy: under sanitizers on a busy
# machine a request may wait longer than the demo's 1 s for a pool connection
sed -i 's/waitMs="1000"/waitMs="15000"/' "$work/bundles/ivtno.xml"
printf '[server]\nlog-level warn\nbundles bundles\n[listener main]\nport %s\ntls-cert %s/server.crt\ntls-key %s/server.key\nclient-ca %s/ca.crt\n' \
	"$GWP" "$C" "$C" "$C" > "$work/imsgw.conf"
"$b/simulator/imsconnect-sim" -c "$work/sim.conf" > "$work/sim.log" 2>&1 & sp=$!
"$b/gateway/imsgw" -c "$work/imsgw.conf" > "$work/gw.log" 2>&1 & gp=$!
wait_port "$SIMP"
check "imsgw starts" wait_port "$GWP"
for spec in "none /ivtno/static 4000" "ut /ivtno/ut 2000" "none /ivtno/passticket 2000" "saml20 /ivtno/saml20 2000"; do
	set -- $spec
	out=$("$b/tests/bench/igw-load" --port "$GWP" --certs "$C" --kind "$1" --path "$2" \
		--connections 64 --requests "$3" 2>&1)
	diag "$out"
	check "$1 $2: 64 connections, $3 requests, no error" grep -q "errors=0 " <<< "$out"
done
check "imsgw still running" kill -0 "$gp"
kill -TERM "$gp"; wait "$gp"; rc=$?
check "imsgw stops cleanly after the load (exit $rc)" test "$rc" -eq 0
tap_done
