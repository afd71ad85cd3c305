#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Open COUNT mutual-TLS connections to 127.0.0.1:PORT, print "ready" once all
handshakes are done, then hold them (idle) for SECONDS and exit.
usage: hold_tls.py PORT COUNT SECONDS CERTDIR"""
import socket, ssl, sys, time

port, count, seconds, certs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
ctx = ssl.create_default_context(cafile=f"{certs}/ca.crt")
ctx.load_cert_chain(f"{certs}/client.crt", f"{certs}/client.key")
held = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    t = ctx.wrap_socket(s, server_hostname="localhost")
    # a full request/response proves the server accepted and serves this one
    t.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
    if not t.recv(12).startswith(b"HTTP/1.1 200"):
        sys.exit("hold_tls: unexpected answer")
    held.append(t)
print("ready", flush=True)
time.sleep(seconds)
