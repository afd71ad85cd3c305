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
# WS-Security cost inside imsgw under this load: the time its listener
# threads spent in igw_wss_verify (histogram imsgw_wss_verify_seconds), per
# verification over each run: median (interpolated in its bucket) and mean
wss() { curl -s --cacert "$C/ca.crt" --cert "$C/client.crt" --key "$C/client.key" \
	"https://localhost:$GWP/metrics" | awk -v k="kind=\"$1\"" '
	index($0, k) && /^imsgw_wss_verify_seconds_bucket/ { le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le); L = L " " le; B = B " " $2 }
	index($0, k) && /^imsgw_wss_verify_seconds_sum/ { s = $2 }
	index($0, k) && /^imsgw_wss_verify_seconds_count/ { n = $2 }
	END { printf "%d %.9f|%s|%s\n", n, s, L, B }'; }
in_daemon() {	# KIND BEFORE AFTER
	printf '%s\n%s\n' "$2" "$3" | awk -F'|' -v k="$1" '
	NR == 1 { split($1, h0, " "); split($3, b0, " ") }
	NR == 2 { split($1, h1, " "); nb = split($2, le, " "); split($3, b1, " ")
		n = h1[1] - h0[1]; s = h1[2] - h0[2]
		if (n <= 0) exit
		med = 0; prev_le = 0; prev_c = 0
		for (i = 1; i <= nb; i++) {
			c = b1[i] - b0[i]
			if (c >= n / 2) { hi = (le[i] == "+Inf") ? prev_le : le[i] + 0
				med = prev_le + (hi - prev_le) * (n / 2 - prev_c) / ((c - prev_c) ? (c - prev_c) : 1); break }
			prev_le = le[i] + 0; prev_c = c
		}
		printf "# in imsgw under load: %s %d verifications, median %.2f us (%.0f/s), mean %.2f us\n", k, n, med * 1e6, 1 / med, s / n * 1e6 }'
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
