#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Soak test of docs/PERFORMANCE.md: imsconnect-sim + imsgw (the demo bundles)
# on free ports, a rate-limited mix of /ivtno/static, /ivtno/ut and
# /ivtno/saml20 requests at about 70 % of the peak measured just before (or
# at RATE requests/s), imsgw's RSS and open file descriptors sampled every
# 30 s into a CSV.
#   tests/bench/soak.sh BUILD_DIR MINUTES [RATE]
# Environment: MIX=A,B,C (weights of static,ut,saml20; default 2,2,1),
# CONNECTIONS (default 32), THREADS (igw-load threads, default 1),
# SAMPLE_S (default 30), OUT (CSV path; default soak-YYYYmmdd-HHMMSS.csv in
# the current folder).  Exit status 0 only with zero errors.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR MINUTES [RATE]" >&2; exit 2; }
b=$(cd "$1" && pwd)
minutes=$2
rate=${3:-}
mix=${MIX:-2,2,1}
conns=${CONNECTIONS:-32}
lthreads=${THREADS:-1}
sample=${SAMPLE_S:-30}
out=${OUT:-$PWD/soak-$(date +%Y%m%d-%H%M%S).csv}
C=$top/certs/dev
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. "$top/tests/lib/testlib.sh"
bench_site_start "$b" "$top" "$C" "$work" || { echo "imsgw did not start:"; cat "$work/gw.log"; exit 1; }
gw=$GW_PID
L="$b/tests/bench/igw-load --port $GWP --certs $C --kind mix --mix $mix --connections $conns"

echo "# machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
$L --requests 3000 > /dev/null || true		# warm the pools and caches
if [ -z "$rate" ]; then
	peak_line=$($L --requests 15000)
	echo "# peak: $peak_line"
	peak=$(sed -n 's/.* rps=\([0-9]*\).*/\1/p' <<< "$peak_line")
	rate=$((peak * 70 / 100))
fi
secs=$((minutes * 60))
echo "# soak: mix $mix (static,ut,saml20), $conns connections, $rate requests/s for $minutes min"
echo "# command: igw-load --kind mix --mix $mix --connections $conns --threads $lthreads --rate $rate --duration $secs"
$L --threads "$lthreads" --rate "$rate" --duration "$secs" --progress "$sample" \
	> "$work/load.out" 2> "$work/load.err" & loader=$!
pids+=($loader)
echo "elapsed_s,rss_kb,fds,threads,requests,errors,interval_rps,load1" > "$out"
t0=$(date +%s)
sample_once() {
	local now rss fds thr prog
	now=$(( $(date +%s) - t0 ))
	rss=$(awk '/VmRSS/{print $2}' "/proc/$gw/status")
	thr=$(awk '/Threads/{print $2}' "/proc/$gw/status")
	fds=$(fd_count "$gw")
	prog=$(tail -1 "$work/load.err" 2>/dev/null | sed -n 's/.*done=\([0-9]*\) errors=\([0-9]*\) rps=\([0-9]*\).*/\1,\2,\3/p')
	echo "$now,$rss,$fds,$thr,${prog:-0,0,0},$(cut -d' ' -f1 /proc/loadavg)" >> "$out"
}
sample_once
while kill -0 "$loader" 2>/dev/null; do
	for _ in $(seq 1 "$sample"); do
		kill -0 "$loader" 2>/dev/null || break
		sleep 1
	done
	kill -0 "$gw" 2>/dev/null || { echo "imsgw died"; tail -20 "$work/gw.log"; exit 1; }
	sample_once
done
wait "$loader" || true
sleep 2
sample_once
result=$(cat "$work/load.out")
echo "# result: $result"
errors=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<< "$result")
awk -F, -v out="$out" 'NR == 2 { r0 = $2; f0 = $3 } NR > 1 { if ($2 > m) m = $2; r1 = $2; f1 = $3; n++ }
	END { printf "samples %d (%s)\nRSS kB first %d last %d max %d\nfds first %d last %d\n", n, out, r0, r1, m, f0, f1 }' "$out"
grep -v '^t=' "$work/load.err" || true
echo "errors ${errors:-unknown}"
[ "${errors:-1}" = 0 ]
