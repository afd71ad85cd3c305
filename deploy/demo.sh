#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The imsgw demo: install what is missing, build, make dev certificates, and
# start the gateway (and the IMS Connect simulator) in the background.
#
#   deploy/demo.sh            install + build + start, print how to reach it
#   deploy/demo.sh stop       stop what the demo started
#   deploy/demo.sh status     show whether it runs
#
# Environment: IMSGW_DEMO_NO_INSTALL=1 skips the package step;
# IMSGW_DEMO_RUN (default run/) holds pid files and logs;
# IMSGW_DEMO_BUILD (default build/demo) is the build tree.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
run=${IMSGW_DEMO_RUN:-$top/run}
bdir=${IMSGW_DEMO_BUILD:-$top/build/demo}
conf=$top/deploy/imsgw.conf

stop() {
	local p
	for name in imsgw imsconnect-sim; do
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
	for n in imsgw imsconnect-sim; do
		if running "$n"; then echo "$n: running (pid $(cat "$run/$n.pid"))"; else echo "$n: stopped"; fi
	done
	exit 0 ;;
start) ;;
*) echo "usage: deploy/demo.sh [start|stop|status]" >&2; exit 2 ;;
esac

[ "${IMSGW_DEMO_NO_INSTALL:-0}" = 1 ] || deploy/install-deps.sh
certs/gen-dev-certs.sh --if-missing
cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMSGW_TESTS=OFF >/dev/null
cmake --build "$bdir" -j"$(nproc)" --target imsgw
mkdir -p "$run"
stop >/dev/null

"$bdir/gateway/imsgw" -c "$conf" --check
"$bdir/gateway/imsgw" -c "$conf" >"$run/imsgw.log" 2>&1 &
echo $! > "$run/imsgw.pid"
port=$(sed -n 's/^port[[:space:]]\+\([0-9]\+\).*/\1/p' "$conf" | head -1)
for _ in $(seq 1 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	running imsgw || break
	sleep 0.05
done
if ! running imsgw; then
	echo "demo: imsgw failed to start; its log:" >&2
	cat "$run/imsgw.log" >&2
	exit 1
fi
C=$top/certs/dev
cat <<MSG

imsgw demo is running (pid $(cat "$run/imsgw.pid")); log: $run/imsgw.log
  HTTPS listener   https://localhost:$port/  (mutual TLS: client certificate required)
  health check     curl --cacert $C/ca.crt --cert $C/client.crt --key $C/client.key https://localhost:$port/healthz
  refused          curl --cacert $C/ca.crt https://localhost:$port/healthz     (no client certificate)
  stop             deploy/demo.sh stop
MSG
