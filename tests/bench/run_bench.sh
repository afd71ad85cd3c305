#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The benchmark matrix of docs/PERFORMANCE.md: imsconnect-sim + imsgw (the demo
# bundles) on this machine, igw-load as the client.
#   tests/bench/run_bench.sh BUILD_DIR [REQUESTS]
# igw-load drives all connections from LOADGEN_THREADS threads (default 1:
# on a 2-core machine shared with imsgw and the simulator, one is best).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$(cd "$1" && pwd)
req=${2:-20000}
C=$top/certs/dev
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. "$top/tests/lib/testlib.sh"
bench_site_start "$b" "$top" "$C" "$work" || { echo "imsgw did not start:"; cat "$work/gw.log"; exit 1; }
gw=$GW_PID
L="$b/tests/bench/igw-load --port $GWP --certs $C --threads ${LOADGEN_THREADS:-1}"

echo "# machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# baseline: the same IVTNO DISPLAY straight to imsconnect-sim (imsconnect-call bench)"
ivtno=$(printf '%-10s%-8s%-10s%-10s%-10s%-7s' IVTNO DISPLAY LAST1 '' '' '')
for n in 1 8; do
	"$b/imsconnect/imsconnect-call" --port "$SIMP" --datastore IMS1 --user USER01 \
		--password-file "$C/ivtno.pw" bench --connections $n --count "$req" IVTNO "$ivtno" 2>&1 | tail -1
done
$L --path /ivtno/static --kind none --connections 64 --requests 2000 > /dev/null   # warm the pools
for n in 1 8 64 256; do
	$L --path /ivtno/static --kind none --connections $n --requests "$req"
done
# WS-Security cost inside imsgw under this load: CPU time its serving threads
# spent verifying (imsgw_wss_verify_cpu_seconds_total) per verification
wss() { curl -s --cacert "$C/ca.crt" --cert "$C/client.crt" --key "$C/client.key" \
	"https://localhost:$GWP/metrics" | awk -v k="kind=\"$1\"" \
	'index($0, k) && /^imsgw_wss_verifications_total/ {n=$2} index($0, k) && /^imsgw_wss_verify_cpu/ {s=$2} END {printf "%d %.9f\n", n, s}'; }
in_daemon() {	# KIND BEFORE AFTER
	echo "$2 $3" | awk -v k="$1" '{n=$3-$1; s=$4-$2; if (n > 0) printf "# in imsgw under load: %s %d verifications, %.2f us CPU each (%.0f/s per core)\n", k, n, s/n*1e6, n/s}'
}
w0=$(wss usernametoken)
$L --path /ivtno/ut --kind ut --connections 64 --requests "$req"
in_daemon usernametoken "$w0" "$(wss usernametoken)"
w0=$(wss saml)
$L --path /ivtno/saml20 --kind saml20 --connections 64 --requests "$req"
in_daemon saml "$w0" "$(wss saml)"
echo "# load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
rss0=$(awk '/VmRSS/{print $2}' /proc/$gw/status)
mkfifo "$work/hold"
$L --idle 1000 < "$work/hold" > "$work/idle.out" & holder=$!
exec 7>"$work/hold"
for _ in $(seq 1 200); do grep -q ready "$work/idle.out" 2>/dev/null && break; sleep 0.1; done
sleep 1
rss1=$(awk '/VmRSS/{print $2}' /proc/$gw/status)
echo "idle connections: $(cat "$work/idle.out"); imsgw RSS ${rss0} kB before, ${rss1} kB with them"
exec 7>&-
wait "$holder" || true
