#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# imsgw's command line: --version, --check on good and broken configurations
# (file:line: reason, every problem in one run, exit 1), usage errors (exit 2).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/testlib.sh"
IMSGW=$1
C=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check "--version prints the version" bash -c "'$IMSGW' --version | grep -q '^imsgw [0-9]'"
"$IMSGW" >/dev/null 2>&1; rc=$?
check "no arguments: usage, exit 2" test "$rc" -eq 2

cp "$C/server.key" "$work/server.key"; chmod 600 "$work/server.key"
cat > "$work/good.conf" <<CONF
[listener main]
port 8443
tls-cert $C/server.crt
tls-key server.key
client-ca $C/ca.crt
CONF
check "--check on a good configuration: exit 0" "$IMSGW" -c "$work/good.conf" --check

cat > "$work/bad.conf" <<CONF
# line 1
[server]
log-level chatty
[listener main]
port 99999
tls-cert /nonexistent/server.crt
tls-key server.key
client-cert sometimes
bogus-directive 1
address "unterminated
[listener main]
port 8443
CONF
"$IMSGW" -c "$work/bad.conf" --check > "$work/out" 2>&1; rc=$?
cat "$work/out" | sed 's/^/# /'
check "--check on a broken configuration: exit 1" test "$rc" -eq 1
want() { grep -qF "$work/bad.conf:$1: $2" "$work/out" || { diag "missing: $1: $2"; return 1; }; }
check "reports bad log-level at line 3" want 3 "log-level: 'chatty'"
check "reports port out of range at line 5" want 5 "port: '99999' is not a whole number in 1..65535"
check "reports bad client-cert at line 8" want 8 "client-cert: 'sometimes'"
check "reports unknown directive at line 9" want 9 "unknown directive 'bogus-directive'"
check "reports unterminated quote at line 10" want 10 "unterminated quoted string"
check "reports duplicate listener at line 11" want 11 "listener 'main' already defined at line 4"
check "reports unreadable tls-cert at its line 6" want 6 "tls-cert /nonexistent/server.crt: No such file or directory"
check "bad port is not also reported as missing" bash -c "! grep -q \"'port' is required\" '$work/out'"
check "counts the problems" grep -q "problems found" "$work/out"

chmod 644 "$work/server.key"
"$IMSGW" -c "$work/good.conf" --check > "$work/out" 2>&1; rc=$?
check "world-readable private key is refused" test "$rc" -eq 1
check "... with the reason" grep -q "accessible by group or others" "$work/out"
chmod 600 "$work/server.key"

"$IMSGW" -c "$work/missing.conf" --check > "$work/out" 2>&1; rc=$?
check "missing configuration file: exit 1 with the file name" bash -c "[ $rc -eq 1 ] && grep -q 'missing.conf: cannot read' '$work/out'"

# bundles whose IMS Connect TLS key does not match its certificate
mkdir -p "$work/tlsb"
cat > "$work/tlsb/b.xml" <<XML
<bundle xmlns="urn:imsgw:config:1" name="t"><imsConnect host="h" port="1" datastore="D">
<tls truststore="$C/ca.crt" certificate="$C/imsgw-client.crt" key="$work/server.key"/>
</imsConnect></bundle>
XML
sed "s#^\[listener main\]#[server]\nbundles tlsb\n[listener main]#" "$work/good.conf" > "$work/tls.conf"
"$IMSGW" -c "$work/tls.conf" --check > "$work/out" 2>&1; rc=$?
check "--check loads bundles' TLS material: mismatched key refused (exit 1)" test "$rc" -eq 1
check "... with file:line and the bundle" grep -q "tlsb/b.xml:1: bundle 't': IMS Connect TLS material unusable" "$work/out"

busy=$(free_port)
/usr/bin/python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',$busy)); s.listen(); time.sleep(20)" &
holder=$!
wait_port "$busy"
cat > "$work/inuse.conf" <<CONF
[listener a]
port $busy
tls-cert $C/server.crt
tls-key $work/server.key
client-cert none
CONF
timeout 10 "$IMSGW" -c "$work/inuse.conf" > "$work/out" 2>&1; rc=$?
kill "$holder" 2>/dev/null
check "port in use: start-up failure exit 3" test "$rc" -eq 3
tap_done
