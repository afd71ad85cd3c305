#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An external HTTPS web service for the callout tests: demands a client
certificate (dev CA) and records every request (path, Authorization,
SOAPAction, client certificate CN, body, connection id) as a JSON line.
Paths: /ok echoes, /fault answers a SOAP fault with 500, /slow waits 3 s,
/big answers 2 MiB, /auth demands basic alice:secret.
usage: target.py PORT CERT_DIR RECORD_FILE"""
import http.server, json, socketserver, ssl, sys, time

PORT, CERTS, RECORD = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n).decode("utf-8", "replace")
        cert = self.connection.getpeercert() or {}
        cn = dict(x[0] for x in cert.get("subject", ())).get("commonName")
        with open(RECORD, "a") as f:
            f.write(json.dumps({"path": self.path, "auth": self.headers.get("Authorization"),
                                "action": self.headers.get("SOAPAction"), "cn": cn, "body": body,
                                "conn": id(self.connection)}) + "\n")
        status, out = 200, ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
                            '<Pong xmlns="urn:test">%d</Pong></s:Body></s:Envelope>' % len(body))
        if self.path == "/fault":
            status, out = 500, ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
                                '<faultcode>s:Server</faultcode><faultstring>no</faultstring></s:Fault></s:Body></s:Envelope>')
        elif self.path == "/slow":
            time.sleep(3)
        elif self.path == "/big":
            out = "x" * (2 << 20)
        elif self.path == "/auth" and self.headers.get("Authorization") != "Basic YWxpY2U6c2VjcmV0":
            status, out = 401, "unauthorized"
        data = out.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", PORT), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERTS + "/server.crt", CERTS + "/server.key")
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.load_verify_locations(CERTS + "/ca.crt")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready", flush=True)
srv.serve_forever()
