#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#   demo_smoke.sh SOURCE_DIR BUILD_DIR
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/testlib.sh"
src=$1
run=$(mktemp -d)
export IMSGW_DEMO_NO_INSTALL=1 IMSGW_DEMO_PREBUILT=1 IMSGW_DEMO_BUILD=$2 IMSGW_DEMO_RUN=$run
trap 'bash "$src/deploy/demo.sh" stop >/dev/null 2>&1; rm -rf "$run"' EXIT
bash "$src/deploy/demo.sh" > "$run/out" 2>&1
rc=$?
sed 's/^/# /' "$run/out" | tail -15
check "deploy/demo.sh starts the simulator and the gateway" test "$rc" -eq 0
check "it prints how to call the services" grep -q "deploy/demo-client.py" "$run/out"
/usr/bin/python3 "$src/deploy/demo-client.py" --certs "$src/certs/dev" > "$run/client" 2>&1
rc=$?
sed 's/^/# /' "$run/client"
check "the demo client reaches the phone book six ways" test "$rc" -eq 0
check "... every answer is the IVTNO entry" test "$(grep -c 'ENTRY WAS DISPLAYED: LAST1' "$run/client")" -eq 6
# callouts: the simulator's programs call the demo web service through imsgw
call="$2/imsconnect/imsconnect-call --datastore IMS1 --user USER01 --password-file $src/certs/dev/ivtno.pw --no-hex"
out=$($call send CALLSYNC 'WIDGET    0005' 2>&1)
echo "$out" | sed 's/^/# /' | head -3
check "a synchronous callout: the program gets the demo service's answer" \
	grep -q "CALLOUT RESPONSE: 0000625EUR" <<< "$out"
$call send CALLASYN 'ORDER0001 WIDGET    0005' > /dev/null 2>&1
for _ in $(seq 1 100); do grep -q "/orders" "$run/demo-target.log" && break; sleep 0.1; done
check "an asynchronous callout reaches the demo service" grep -q "/orders client=imsgw" "$run/demo-target.log"
check "the synchronous one carried the IMS user in its SAML assertion" \
	grep -q "/quote client=imsgw user=USER01" "$run/demo-target.log"
bash "$src/deploy/demo.sh" stop > /dev/null
check "demo.sh stop stops all three" bash -c "! bash '$src/deploy/demo.sh' status | grep -q running"
tap_done
