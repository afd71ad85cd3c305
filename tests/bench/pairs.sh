#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Throughput at two connection counts, compared in pairs (docs/PERFORMANCE.md,
# "64 -> 256 connections, measured in pairs").  One imsconnect-sim + imsgw
# (the demo bundles, as run_bench.sh), then PAIRS pairs of igw-load runs of
# REQUESTS static requests, the two counts alternating in ABBA order so that
# drift cancels; prints every pair and the mean ratio B/A with its 95 %
# interval and the pooled ratio.
#   tests/bench/pairs.sh BUILD_DIR [PAIRS] [REQUESTS]
# Environment: A and B (connection counts, default 64 and 256), plus
# BENCH_SERVER_EXTRA / BENCH_LISTENER_EXTRA / BENCH_THREADS (tests/lib/testlib.sh).
set -euo pipefail
b=$(cd "${1:?usage: pairs.sh BUILD_DIR [PAIRS] [REQUESTS]}" && pwd)
pairs=${2:-20}
req=${3:-60000}
A=${A:-64}
B=${B:-256}
top=$(cd "$(dirname "$0")/../.." && pwd)
certs="$top/certs/dev"
. "$top/tests/lib/testlib.sh"
"$top/certs/gen-dev-certs.sh" --if-missing --quiet
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
bench_site_start "$b" "$top" "$certs" "$work"
L="$b/tests/bench/igw-load --port $GWP --certs $certs --threads 1 --path /ivtno/static --kind none"
$L --connections "$A" --requests 5000 >/dev/null	# warm-up
rps() { $L --connections "$1" --requests "$req" 2>&1 | grep -o 'rps=[0-9]*' | cut -d= -f2; }
echo "# machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $pairs pairs of $req requests, $A and $B connections, ABBA order"
for i in $(seq "$pairs"); do
	if [ $((i % 2)) = 1 ]; then a=$(rps "$A"); c=$(rps "$B"); else c=$(rps "$B"); a=$(rps "$A"); fi
	echo "$a $c" | awk -v A="$A" -v B="$B" '{ printf "c%s %d c%s %d ratio %.3f\n", A, $1, B, $2, $2 / $1 }'
done | tee "$work/pairs.txt"
awk '{ r[NR] = $6; s += $6; a += $2; c += $4 }
     END { m = s / NR; for (i = 1; i <= NR; i++) v += (r[i] - m) ^ 2
           se = NR > 1 ? sqrt(v / (NR - 1)) / sqrt(NR) : 0
           printf "mean ratio %.3f, 95 %% interval %.3f - %.3f, pooled %.3f (%d pairs)\n",
                  m, m - 1.96 * se, m + 1.96 * se, c / a, NR }' "$work/pairs.txt"
