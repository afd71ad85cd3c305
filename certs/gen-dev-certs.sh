#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Generate imsgw's development PKI, without prompts.  FOR DEVELOPMENT AND TESTS ONLY.
#
#   certs/gen-dev-certs.sh [--force|--if-missing] [--quiet] [OUTDIR]
#                                                   (default OUTDIR: certs/dev)
#
# Refuses to touch an existing OUTDIR/ca.crt unless --force is given;
# --if-missing exits 0 without doing anything when the set already exists.  Every run
# produces the same set of files with the same subjects, extensions and
# validity rules (keys are fresh random keys, so fingerprints differ).
#
# Files (PEM unless noted; *.p12 are PKCS#12 protected by the password in
# pkcs12.pass, mode 0600):
#   ca.crt ca.key                 development CA ("imsgw Dev CA")
#   server.crt server.key         imsgw HTTPS listener: localhost, 127.0.0.1, ::1
#   client.crt client.key client.p12         trusted client (CN=imsgw-dev-client)
#   unknown-ca.crt unknown-ca.key            a CA nobody trusts
#   unknown-client.crt unknown-client.key    client issued by unknown-ca
#   expired-client.crt expired-client.key    client issued by the dev CA, expired
#   saml-signer.crt saml-signer.key saml-signer.p12   SAML signer issued by the dev CA
#   rogue-signer.crt rogue-signer.key        self-signed "rogue" SAML signer
#   imsconnect-sim.crt imsconnect-sim.key    IMS Connect simulator TLS port (localhost)
#   imsgw-client.crt imsgw-client.key imsgw-client.p12
#                                            imsgw's own client cert toward IMS Connect
#   truststore.p12                           the dev CA as a PKCS#12 truststore
#   pkcs12.pass                              password of every *.p12 here
# and the development secrets the sample bundles name (mode 0600), matching
# the users and PassTicket keys of simulator/sim.conf:
#   ivtno.pw                                 password of RACF user USER01
#   passticket-imsgw.key                  enhanced PassTicket key of application IMSGW
set -euo pipefail

force=0
quiet=0
if_missing=0
out=""
for arg in "$@"; do
	case "$arg" in
	--force) force=1 ;;
	--quiet) quiet=1 ;;
	--if-missing) if_missing=1 ;;
	-h|--help) sed -n '3,27p' "$0"; exit 0 ;;
	-*) echo "gen-dev-certs: unknown option $arg" >&2; exit 2 ;;
	*) out="$arg" ;;
	esac
done
here=$(cd "$(dirname "$0")" && pwd)
out=${out:-$here/dev}

if [ -e "$out/ca.crt" ] && [ "$if_missing" -eq 1 ]; then
	exit 0
fi
if [ -e "$out/ca.crt" ] && [ "$force" -ne 1 ]; then
	echo "gen-dev-certs: $out/ca.crt exists; refusing to overwrite (use --force)" >&2
	exit 1
fi
command -v openssl >/dev/null || { echo "gen-dev-certs: openssl not found (apt-get install openssl)" >&2; exit 1; }

umask 077
final=$out
mkdir -p "$final"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Build the set in a private folder, move it in at the end (ca.crt last), so
# an interrupted run never leaves a half set that --if-missing would accept.
out=$tmp/out
mkdir -p "$out"
log() { [ "$quiet" -eq 1 ] || echo "gen-dev-certs: $*"; }

pass=${IMSGW_DEV_P12_PASS:-imsgw-dev}
printf '%s\n' "$pass" > "$out/pkcs12.pass"

key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

# ca NAME SUBJECT
ca() {
	key "$out/$1.key"
	openssl req -new -x509 -key "$out/$1.key" -subj "$2" -days 3650 -sha256 \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-addext "subjectKeyIdentifier=hash" \
		-out "$out/$1.crt"
}

# leaf NAME SUBJECT ISSUER EXT-FILE-CONTENT [DAYS | "expired"]
leaf() {
	local name=$1 subj=$2 issuer=$3 ext=$4 days=${5:-825}
	key "$out/$name.key"
	openssl req -new -key "$out/$name.key" -subj "$subj" -out "$tmp/$name.csr"
	printf '%s\n' "$ext" > "$tmp/$name.ext"
	if [ "$days" = expired ]; then
		# A certificate whose validity ended yesterday: sign through 'openssl ca'
		# with explicit dates.
		mkdir -p "$tmp/ca-$name"
		: > "$tmp/ca-$name/index.txt"
		cat > "$tmp/ca-$name/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $tmp/ca-$name/index.txt
new_certs_dir = $tmp/ca-$name
serial = $tmp/ca-$name/serial
default_md = sha256
policy = p
copy_extensions = none
unique_subject = no
[p]
commonName = supplied
CNF
		openssl rand -hex 16 > "$tmp/ca-$name/serial"
		openssl ca -batch -config "$tmp/ca-$name/ca.cnf" -cert "$out/$issuer.crt" \
			-keyfile "$out/$issuer.key" -in "$tmp/$name.csr" -out "$out/$name.crt" \
			-startdate 20200101000000Z -enddate "$(date -u -d yesterday +%Y%m%d000000Z)" \
			-extfile "$tmp/$name.ext" -notext 2>/dev/null
	else
		openssl x509 -req -in "$tmp/$name.csr" -CA "$out/$issuer.crt" -CAkey "$out/$issuer.key" \
			-CAcreateserial -CAserial "$tmp/$issuer.srl" -days "$days" -sha256 \
			-extfile "$tmp/$name.ext" -out "$out/$name.crt" 2>/dev/null
	fi
}

p12() {	# p12 NAME: key + cert + CA chain
	openssl pkcs12 -export -inkey "$out/$1.key" -in "$out/$1.crt" -certfile "$out/ca.crt" \
		-name "$1" -passout "file:$out/pkcs12.pass" -out "$out/$1.p12"
}

server_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
client_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
signer_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation"

log "development CA"
ca ca "/O=imsgw development/CN=imsgw Dev CA"
log "listener and simulator server certificates"
leaf server "/O=imsgw development/CN=localhost" ca "$server_ext"
leaf imsconnect-sim "/O=imsgw development/CN=imsconnect-sim" ca "$server_ext"
log "client certificates (trusted, unknown CA, expired)"
leaf client "/O=imsgw development/OU=clients/CN=imsgw-dev-client" ca "$client_ext"
leaf imsgw-client "/O=imsgw development/OU=gateway/CN=imsgw" ca "$client_ext"
ca unknown-ca "/O=Nobody Trusts Me/CN=Unknown CA"
leaf unknown-client "/O=Nobody Trusts Me/CN=unknown-client" unknown-ca "$client_ext"
leaf expired-client "/O=imsgw development/OU=clients/CN=expired-client" ca "$client_ext" expired
log "SAML signers (CA-issued and self-signed rogue)"
leaf saml-signer "/O=imsgw development/OU=saml/CN=imsgw-dev-saml-signer" ca "$signer_ext"
key "$out/rogue-signer.key"
openssl req -new -x509 -key "$out/rogue-signer.key" -subj "/O=Rogue/CN=rogue-saml-signer" \
	-days 825 -sha256 -addext "keyUsage=critical,digitalSignature" -out "$out/rogue-signer.crt"
log "PKCS#12 keystores and truststore"
p12 client
p12 saml-signer
p12 imsgw-client
openssl pkcs12 -export -nokeys -in "$out/ca.crt" -passout "file:$out/pkcs12.pass" \
	-jdktrust anyExtendedKeyUsage -out "$out/truststore.p12" 2>/dev/null \
	|| openssl pkcs12 -export -nokeys -in "$out/ca.crt" -passout "file:$out/pkcs12.pass" \
		-out "$out/truststore.p12"

log "development secrets for the sample bundles"
printf 'PASS01\n' > "$out/ivtno.pw"
# the reference's published test key, also in simulator/sim.conf: not a secret
printf '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F\n' \
	> "$out/passticket-imsgw.key"

chmod 600 "$out"/*.key "$out"/*.p12 "$out/pkcs12.pass" "$out/ivtno.pw"
chmod 644 "$out"/*.crt
# sanity: every issued certificate verifies against its CA (expired one aside)
for c in server imsconnect-sim client imsgw-client saml-signer; do
	openssl verify -CAfile "$out/ca.crt" "$out/$c.crt" >/dev/null
done
openssl verify -CAfile "$out/unknown-ca.crt" "$out/unknown-client.crt" >/dev/null
if openssl verify -CAfile "$out/ca.crt" "$out/expired-client.crt" >/dev/null 2>&1; then
	echo "gen-dev-certs: expired-client.crt is not expired" >&2
	exit 1
fi
for f in "$out"/*; do
	[ "$(basename "$f")" = ca.crt ] || mv -f "$f" "$final/"
done
mv -f "$out/ca.crt" "$final/ca.crt"
log "done: $final"
