#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults under load: while 16 clients call the gateway, IMS Connect (the
# simulator) is killed with SIGKILL and restarted, and the configuration is
# reloaded every half second.  Requests during the outage fail fast with a
# fault; nothing hangs; afterwards every request succeeds again, and the
# gateway's file descriptors and memory are back where they were.
#   fault_load.sh BUILD_DIR SOURCE_DIR CERT_DIR
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/testlib.sh"
b=$1; top=$2; C=$3
work=$(mktemp -d)
sp=""; gp=""
# Under ASan freed memory waits in a quarantine (256 MB by default) before it
# is reused, so RSS says nothing about growth: keep the quarantine small for
# this measurement (leaks are LeakSanitizer's job at exit).  No effect on an
# ordinary build.
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=8"
trap 'kill -9 $sp 2>/dev/null; kill $gp 2>/dev/null; rm -rf "$work"' EXIT
SIMP=$(free_port); GWP=$(free_port)
demo_site "$work" "$SIMP" "$top" "$C"
sed -i 's/waitMs="1000"/waitMs="15000"/' "$work/bundles/ivtno.xml"	# slow sanitizer builds
printf '[server]\nlog-level warn\nbundles bundles\n[listener main]\nport %s\ntls-cert %s/server.crt\ntls-key %s/server.key\nclient-ca %s/ca.crt\n' \
	"$GWP" "$C" "$C" "$C" > "$work/imsgw.conf"
start_sim() { "$b/simulator/imsconnect-sim" -c "$work/sim.conf" >> "$work/sim.log" 2>&1 & sp=$!; wait_port "$SIMP"; }
start_sim
"$b/gateway/imsgw" -c "$work/imsgw.conf" > "$work/gw.log" 2>&1 & gp=$!
check "imsgw starts" wait_port "$GWP"
L=("$b/tests/bench/igw-load" --port "$GWP" --certs "$C" --path /ivtno/static --kind none)
# warm-up wide enough to wake every worker thread (32): each one's first
# request allocates its per-thread parser state, and under ASan a thread's
# first allocations also set up its allocator cache (several MB); that
# one-time ramp is not growth
"${L[@]}" --connections 64 --requests 20000 > "$work/warm" 2>&1
check "warm-up: no error" grep -q "errors=0 " "$work/warm"
sleep 0.5
fd0=$(fd_count "$gp"); rss0=$(awk '/VmRSS/{print $2}' "/proc/$gp/status")

"${L[@]}" --connections 16 --requests 30000 > "$work/load" 2>&1 & lp=$!
sleep 1
kill -9 "$sp"; wait "$sp" 2>/dev/null
for i in 1 2 3; do kill -HUP "$gp"; sleep 0.5; done
start_sim
for i in 1 2 3 4; do kill -HUP "$gp"; sleep 0.5; done
t0=$(date +%s)
wait "$lp"
diag "$(cat "$work/load")"
check "the load run finished (nothing hung)" grep -q "requests=30000" "$work/load"
check "imsgw survived the outage and 7 reloads" kill -0 "$gp"
"${L[@]}" --connections 16 --requests 3000 > "$work/after" 2>&1
diag "$(cat "$work/after")"
check "after IMS Connect is back: every request succeeds" grep -q "errors=0 " "$work/after"
sleep 1
fd1=$(fd_count "$gp"); rss1=$(awk '/VmRSS/{print $2}' "/proc/$gp/status")
check "file descriptors back to normal ($fd0 -> $fd1)" test "$fd1" -le "$((fd0 + 4))"
check "memory did not grow without bound (RSS $rss0 kB -> $rss1 kB)" test "$rss1" -le "$((rss0 + 30000))"
kill -TERM "$gp"; wait "$gp"; rc=$?; gp=""
check "imsgw stops cleanly (exit $rc)" test "$rc" -eq 0
tap_done
