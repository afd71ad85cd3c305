#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The demo's external web service, called by IMS programs through imsgw's
callouts (bundles/callout-samples/): HTTPS with the development server
certificate, a client certificate from the development CA required.
  POST /quote   GetQuote (basic authentication quote:<password file>):
                answers GetQuoteResponse, price = quantity * 125 EUR
  POST /orders  OrderEvent (asynchronous): accepted with 200
Every request is printed as one line (path, client certificate, SAML
subject or UsernameToken user, the request element).
usage: demo-target.py PORT CERT_DIR PASSWORD_FILE"""
import base64, http.server, re, socketserver, ssl, sys

PORT, CERTS, PWFILE = int(sys.argv[1]), sys.argv[2], sys.argv[3]
AUTH = "Basic " + base64.b64encode(("quote:" + open(PWFILE).read().strip()).encode()).decode()


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8", "replace")
        cert = self.connection.getpeercert() or {}
        cn = dict(x[0] for x in cert.get("subject", ())).get("commonName")
        who = re.search(r"<(?:\w+:)?(?:NameID|Username)[^>]*>([^<]*)</", body)
        el = re.search(r"<(?:\w+:)?Body[^>]*>(.*)</(?:\w+:)?Body>", body, re.S)
        print("%s client=%s user=%s body=%s" % (self.path, cn, who.group(1) if who else "-",
                                                 el.group(1)[:200] if el else "-"), flush=True)
        status, out = 200, ""
        if self.path == "/quote":
            q = re.search(r"<quantity>(\d+)</quantity>", body)
            if self.headers.get("Authorization") != AUTH:
                status, out = 401, "unauthorized"
            else:
                out = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                       '<GetQuoteResponse xmlns="urn:imsgw:callout:quote"><quoteReply><price>%d</price>'
                       '<currency>EUR</currency></quoteReply></GetQuoteResponse></soap:Body></soap:Envelope>'
                       % (int(q.group(1)) * 125 if q else 0))
        elif self.path == "/orders":
            out = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                   '<OrderEventResponse xmlns="urn:imsgw:callout:orders"/></soap:Body></soap:Envelope>')
        else:
            status, out = 404, "no such service"
        data = out.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = S(("127.0.0.1", PORT), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERTS + "/server.crt", CERTS + "/server.key")
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.load_verify_locations(CERTS + "/ca.crt")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("demo-target ready on https://localhost:%d" % PORT, flush=True)
srv.serve_forever()
