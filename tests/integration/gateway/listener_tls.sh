#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The HTTPS listener with mutual TLS, as a real process:
#   listener_tls.sh IMSGW_BINARY CERT_DIR
# Good clients get 200; no certificate, an unknown CA, an expired certificate,
# plain HTTP, old TLS and garbage are refused; limits answer 413 or close; the
# daemon keeps serving after every bad input and stops cleanly on SIGTERM.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/testlib.sh"
IMSGW=$1
C=$2
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

P1=$(free_port); P2=$(free_port); P3=$(free_port)
cat > "$work/imsgw.conf" <<CONF
# test configuration: three listeners with different policies
[server]
log-level debug
log-format json

[listener strict]
address 127.0.0.1
port $P1
tls-cert $C/server.crt
tls-key $C/server.key
client-ca $C/ca.crt
client-cert required
max-body 4096

[listener optional]
address 127.0.0.1
port $P2
tls-cert $C/server.crt
tls-key $C/server.key
client-ca $C/ca.crt
client-cert optional

[listener small]
address 127.0.0.1
port $P3
tls-cert $C/server.crt
tls-key $C/server.key
client-ca $C/ca.crt
client-cert required
max-connections 3
per-ip-connections 3
connection-timeout 2
threads 1
CONF
"$IMSGW" -c "$work/imsgw.conf" 2> "$work/log" &
pid=$!
check "daemon starts and listens" wait_port "$P1"
wait_port "$P2"; wait_port "$P3"

CURL=(curl -sS --max-time 10 --cacert "$C/ca.crt")
GOOD=(--cert "$C/client.crt" --key "$C/client.key")
U=https://localhost:$P1

healthy() { # healthy PORT: trusted client gets 200 {"status":"ok"}
	"${CURL[@]}" "${GOOD[@]}" -o "$work/body" -w '%{http_code}' "https://localhost:$1/healthz" \
		> "$work/code" 2>/dev/null && [ "$(cat "$work/code")" = 200 ] &&
		grep -q '"status":"ok"' "$work/body"
}
refused() { # refused ARGS...: curl gets no HTTP response at all
	local code
	code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$@" 2>/dev/null)
	[ "$code" = 000 ]
}
closed() { # closed ARGS...: no final HTTP status (at most "100 Continue")
	local code
	code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$@" 2>/dev/null)
	[ "$code" = 000 ] || [ "$code" = 100 ]
}
status_is() { # status_is CODE ARGS...
	local want=$1 code; shift
	code=$("${CURL[@]}" -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@" 2>/dev/null)
	[ "$code" = "$want" ] || { diag "want $want got $code"; return 1; }
}

check "trusted client certificate: 200" healthy "$P1"
check "response carries X-Request-Id" grep -qi '^x-request-id: [0-9a-f]\{16\}' <("${CURL[@]}" "${GOOD[@]}" -D - -o /dev/null "$U/healthz")
check "TLS 1.2 with trusted client: 200" status_is 200 --tlsv1.2 --tls-max 1.2 "${GOOD[@]}" "$U/healthz"
check "TLS 1.3 with trusted client: 200" status_is 200 --tlsv1.3 "${GOOD[@]}" "$U/healthz"
check "no client certificate: handshake refused" refused "$U/healthz"
check "client certificate from unknown CA: refused" refused --cert "$C/unknown-client.crt" --key "$C/unknown-client.key" "$U/healthz"
check "expired client certificate: refused" refused --cert "$C/expired-client.crt" --key "$C/expired-client.key" "$U/healthz"
check "server certificate used as client certificate (no clientAuth): refused" refused --cert "$C/server.crt" --key "$C/server.key" "$U/healthz"
check_not "TLS 1.1: refused" openssl s_client -connect "127.0.0.1:$P1" -tls1_1 -cert "$C/client.crt" -key "$C/client.key" -CAfile "$C/ca.crt" </dev/null >/dev/null 2>&1
check "plain HTTP to the TLS port: no HTTP answer" refused "http://localhost:$P1/healthz"
check "garbage bytes: connection closed" bash -c "head -c 4096 /dev/urandom | timeout 5 bash -c 'cat > /dev/tcp/127.0.0.1/$P1' ; true"
check "still serving after bad TLS input" healthy "$P1"

check "unknown path: 404" status_is 404 "${GOOD[@]}" "$U/no/such/service"
check "404 names reason GW-NOT-FOUND" grep -qi '^x-imsgw-reason: GW-NOT-FOUND' "$work/headers"
check "404 body is the reason JSON" grep -q '"reason":"GW-NOT-FOUND"' "$work/body"
check "POST /healthz: 405" status_is 405 "${GOOD[@]}" -X POST --data x "$U/healthz"
head -c 5000 /dev/zero > "$work/big"
check "body over max-body with Content-Length: 413" status_is 413 "${GOOD[@]}" --data-binary @"$work/big" "$U/service"
check "body over max-body, chunked: 413" status_is 413 "${GOOD[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$work/big" "$U/service"
head -c $((2 << 20)) /dev/zero > "$work/huge"
check "endless chunked body past the drain cap: connection closed" closed "${GOOD[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$work/huge" "$U/service"
check "body at max-body is accepted (404 from routing, not 413)" status_is 404 "${GOOD[@]}" --data-binary @<(head -c 4096 /dev/zero) "$U/service"
check "still serving after limit violations" healthy "$P1"

# optional client certificate
check "optional: no certificate is accepted" status_is 200 "https://localhost:$P2/healthz"
check "optional: trusted certificate is accepted" healthy "$P2"
check "optional: unknown-CA certificate is still refused" refused --cert "$C/unknown-client.crt" --key "$C/unknown-client.key" "https://localhost:$P2/healthz"
check "optional: expired certificate is still refused" refused --cert "$C/expired-client.crt" --key "$C/expired-client.key" "https://localhost:$P2/healthz"

# connection limit (3) and idle timeout (2 s) on the small listener
/usr/bin/python3 "$here/../../lib/hold_tls.py" "$P3" 3 6 "$C" > "$work/hold" 2>&1 &
holder=$!
for _ in $(seq 1 100); do grep -q ready "$work/hold" && break; sleep 0.05; done
check "three connections held open on the small listener" grep -q ready "$work/hold"
# At the limit MHD stops accepting: a 4th connection waits in the backlog.
check "connection limit: a 4th connection is not served while 3 are open" refused --max-time 1 "${GOOD[@]}" "https://localhost:$P3/healthz"
sleep 2.5	# idle timeout (2 s) closes the held connections
check "idle connections are closed by connection-timeout, service resumes" healthy "$P3"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

check "verified client subject is logged" grep -q 'client=\\"CN=imsgw-dev-client,OU=clients,O=imsgw development\\"' "$work/log"
check "log lines are JSON" bash -c "grep -v '^{' '$work/log' | grep -q . && exit 1 || exit 0"
fds_before=$(fd_count "$pid")
for i in $(seq 1 20); do refused "$U/healthz"; healthy "$P1" >/dev/null; done
fds_after=$(fd_count "$pid")
check "no file descriptor leak over 40 connections ($fds_before -> $fds_after)" test "$fds_after" -le "$((fds_before + 2))"

kill -TERM "$pid"
rc=0
for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
wait "$pid"; rc=$?
pid=""
check "SIGTERM: clean exit 0 (got $rc)" test "$rc" -eq 0
check "SIGTERM: logged stop" grep -q '"msg":"stopped"' "$work/log"
tap_done
