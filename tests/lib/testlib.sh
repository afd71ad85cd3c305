# SPDX-License-Identifier: GPL-2.0-or-later
# Shared shell helpers for integration and security tests.  TAP output:
# each check prints "ok N - text" or "not ok N - text"; tap_done prints the
# plan and the closing "N passed, N failed" line and sets the exit code.
set -u
TAP_N=0
TAP_FAIL=0
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAIL=$((TAP_FAIL + 1)); echo "not ok $TAP_N - $*"; }
# check "text" command...: passes when the command succeeds
check() { local t=$1; shift; if "$@"; then ok "$t"; else not_ok "$t"; fi; }
# check_not "text" command...: passes when the command fails
check_not() { local t=$1; shift; if "$@"; then not_ok "$t"; else ok "$t"; fi; }
tap_done() {
	echo "1..$TAP_N"
	echo "$((TAP_N - TAP_FAIL)) passed, $TAP_FAIL failed"
	[ "$TAP_FAIL" -eq 0 ]
}
diag() { echo "# $*"; }

# A TCP port nothing listens on (bound then released by the kernel's choice).
free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT [TIMEOUT_S]: until something accepts on 127.0.0.1:PORT.
wait_port() {
	local port=$1 t=${2:-10} i=0
	while [ "$i" -lt $((t * 20)) ]; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# Path of a process's open file descriptors count.
fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# demo_site WORK SIM_PORT SOURCE_DIR CERT_DIR: a private copy of the demo
# (WORK/sim.conf, WORK/bundles/) for free ports and absolute paths; the same
# rewriting as tests/lib/demo_site.py.
demo_site() {
	local work=$1 simp=$2 top=$3 c=$4 f
	sed -e "s#^port = [0-9]*#port = $simp#" -e "s#^tls_port = [0-9]*#tls_port = 0#" \
	    -e "s#\.\./certs/dev#$c#g" -e "s#= copybooks/#= $top/simulator/copybooks/#" \
	    "$top/simulator/sim.conf" > "$work/sim.conf"
	mkdir -p "$work/bundles"
	for f in "$top"/bundles/*.xml; do
		sed -e "s#\.\./certs/dev#$c#g" -e "s#\.\./copybook#$top/copybook#g" -e "s#\.\./wsdl/#$top/wsdl/#g" \
		    -e "s#port=\"9999\"#port=\"$simp\"#" "$f" > "$work/bundles/$(basename "$f")"
	done
}

# bench_site_start BUILD TOP CERTS WORK: the demo site (demo_site) on free
# ports SIMP and GWP, with imsconnect-sim and imsgw started for load (warn
# logging, high connection limits, plus any [server] lines in
# BENCH_SERVER_EXTRA and listener lines in BENCH_LISTENER_EXTRA); their pids are appended to the caller's
# pids array and imsgw's is GW_PID.  Fails if imsgw does not listen in 10 s.
bench_site_start() {
	local b=$1 top=$2 c=$3 work=$4
	SIMP=$(free_port); GWP=$(free_port)
	demo_site "$work" "$SIMP" "$top" "$c"
	cat > "$work/imsgw.conf" <<CONF
[server]
log-level warn
bundles bundles
${BENCH_SERVER_EXTRA:-}
[listener main]
port $GWP
tls-cert $c/server.crt
tls-key $c/server.key
client-ca $c/ca.crt
max-connections 4096
per-ip-connections 4096
threads ${BENCH_THREADS:-2}
${BENCH_LISTENER_EXTRA:-}
CONF
	"$b/simulator/imsconnect-sim" -c "$work/sim.conf" > "$work/sim.log" 2>&1 & pids+=($!)
	"$b/gateway/imsgw" -c "$work/imsgw.conf" > "$work/gw.log" 2>&1 & pids+=($!)
	GW_PID=$!
	wait_port "$GWP" 10
}
