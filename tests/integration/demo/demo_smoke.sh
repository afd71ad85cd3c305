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
bash "$src/deploy/demo.sh" stop > /dev/null
check "demo.sh stop stops both" bash -c "! bash '$src/deploy/demo.sh' status | grep -q running"
tap_done
