#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The imsgw demo: install what is missing, build, make dev certificates, and
# start the IMS Connect simulator and the gateway in the background, with the
# sample bundles (bundles/) exposing the IVTNO phone book six ways, plus the
# callout samples (bundles/callout-samples/) with a demo web service
# (deploy/demo-target.py) that the simulator's CALLSYNC / CALLASYN programs
# call through imsgw.
#
#   deploy/demo.sh            install + build + start, print how to reach it
#   deploy/demo.sh stop       stop what the demo started
#   deploy/demo.sh status     show whether it runs
#
# Environment: IMSGW_DEMO_NO_INSTALL=1 skips the package step;
# IMSGW_DEMO_RUN (default run/) holds pid files and logs;
# IMSGW_DEMO_BUILD (default build/demo) is the build tree;
# IMSGW_DEMO_PREBUILT=1 uses the binaries already in IMSGW_DEMO_BUILD (tests).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
run=${IMSGW_DEMO_RUN:-$top/run}
bdir=${IMSGW_DEMO_BUILD:-$top/build/demo}
conf=$top/deploy/imsgw.conf

stop() {
	local p
	for name in imsgw demo-target imsconnect-sim; do
		if [ -f "$run/$name.pid" ]; then
			p=$(cat "$run/$name.pid")
			if kill "$p" 2>/dev/null; then
				for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
				echo "demo: stopped $name (pid $p)"
			fi
			rm -f "$run/$name.pid"
		fi
	done
}

running() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

case "${1:-start}" in
stop) stop; exit 0 ;;
status)
	for n in imsgw demo-target imsconnect-sim; do
		if running "$n"; then echo "$n: running (pid $(cat "$run/$n.pid"))"; else echo "$n: stopped"; fi
	done
	exit 0 ;;
start) ;;
*) echo "usage: deploy/demo.sh [start|stop|status]" >&2; exit 2 ;;
esac

[ "${IMSGW_DEMO_NO_INSTALL:-0}" = 1 ] || deploy/install-deps.sh
certs/gen-dev-certs.sh --if-missing
if [ "${IMSGW_DEMO_PREBUILT:-0}" != 1 ]; then
	cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMSGW_TESTS=OFF >/dev/null
	cmake --build "$bdir" -j"$(nproc)" --target imsgw imsconnect-sim imsconnect-call
fi
mkdir -p "$run"
stop >/dev/null

# wait_up NAME PORT: until NAME accepts on 127.0.0.1:PORT (or dies)
wait_up() {
	for _ in $(seq 1 200); do
		(exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
		running "$1" || break
		sleep 0.05
	done
	echo "demo: $1 failed to start; its log:" >&2
	cat "$run/$1.log" >&2
	stop >/dev/null
	exit 1
}

# port_free PORT NAME: refuse to start over something already listening
port_free() {
	if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
		echo "demo: port $1 ($2) is already in use; stop whatever listens there" \
		     "(another demo: deploy/demo.sh stop)" >&2
		exit 1
	fi
}

sim_conf=$top/simulator/sim.conf
sim_port=$(sed -n 's/^port[[:space:]]*=[[:space:]]*\([0-9]\+\).*/\1/p' "$sim_conf" | head -1)
port=$(sed -n 's/^port[[:space:]]\+\([0-9]\+\).*/\1/p' "$conf" | head -1)
port_free "$sim_port" imsconnect-sim
port_free "$port" imsgw
"$bdir/simulator/imsconnect-sim" -c "$sim_conf" >"$run/imsconnect-sim.log" 2>&1 &
echo $! > "$run/imsconnect-sim.pid"
wait_up imsconnect-sim "$sim_port"

# The demo's own bundles folder: bundles/*.xml and the callout samples, with
# absolute paths, the demo target's password and a private dead-letter folder.
target_port=8444
port_free "$target_port" demo-target
umask 077
mkdir -p "$run/bundles" "$run/dead-letters"
rm -f "$run/bundles/"*.xml
[ -s "$run/quote.pw" ] || openssl rand -hex 12 > "$run/quote.pw"
for f in bundles/*.xml; do
	sed -e "s#\.\./#$top/#g" "$f" > "$run/bundles/$(basename "$f")"
done
for f in bundles/callout-samples/*.xml; do
	sed -e "s#\.\./\.\./certs/dev/quote\.pw#$run/quote.pw#" -e "s#\.\./\.\./#$top/#g" \
	    -e "s#/var/lib/imsgw/dead#$run/dead-letters#" "$f" > "$run/bundles/callout-$(basename "$f")"
done
sed -e "s#^bundles .*#bundles $run/bundles#" -e "s#\.\./#$top/#g" "$conf" > "$run/imsgw.conf"
umask 022
conf=$run/imsgw.conf
/usr/bin/python3 "$top/deploy/demo-target.py" "$target_port" "$top/certs/dev" "$run/quote.pw" \
	>"$run/demo-target.log" 2>&1 &
echo $! > "$run/demo-target.pid"
wait_up demo-target "$target_port"

"$bdir/gateway/imsgw" -c "$conf" --check
"$bdir/gateway/imsgw" -c "$conf" >"$run/imsgw.log" 2>&1 &
echo $! > "$run/imsgw.pid"
wait_up imsgw "$port"

C=$top/certs/dev
CURL="curl --cacert $C/ca.crt --cert $C/client.crt --key $C/client.key"
cat <<MSG

imsgw demo is running; logs in $run/
  imsconnect-sim   127.0.0.1:$sim_port (IMS Connect + OTMA + RACF, IVTNO phone book)   pid $(cat "$run/imsconnect-sim.pid")
  imsgw            https://localhost:$port/  (mutual TLS: client certificate required) pid $(cat "$run/imsgw.pid")

  Call the phone book every way (static credentials, UsernameToken, PassTicket,
  signed SAML 2.0, unsigned SAML 1.1 with an allowed attester, XML adapter), with python3-zeep:
      /usr/bin/python3 deploy/demo-client.py

  demo-target      https://localhost:$target_port/ (the external web service of the callouts)     pid $(cat "$run/demo-target.pid")

  Callouts: an IMS program calls the demo web service through imsgw (synchronous ICAL,
  signed SAML naming the IMS user; asynchronous, at least once):
      $bdir/imsconnect/imsconnect-call --datastore IMS1 --user USER01 --password-file certs/dev/ivtno.pw \\
          send CALLSYNC 'WIDGET    0005'          # -> CALLOUT RESPONSE: 0000625EUR
      $bdir/imsconnect/imsconnect-call --datastore IMS1 --user USER01 --password-file certs/dev/ivtno.pw \\
          send CALLASYN 'ORDER0001 WIDGET    0005'   # -> delivered, see $run/demo-target.log
      $bdir/gateway/imsgw -c $run/imsgw.conf --dead-letters

  WSDL             $CURL 'https://localhost:$port/ivtno/static?wsdl'
  health, metrics  $CURL https://localhost:$port/healthz
                   $CURL https://localhost:$port/metrics
  reload bundles   kill -HUP \$(cat $run/imsgw.pid)
  stop             deploy/demo.sh stop
MSG
