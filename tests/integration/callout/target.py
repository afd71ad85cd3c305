#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The external web service of the callout tests (HTTPS, standard library).

Demands a client certificate from the dev CA; records every request as a
JSON line (path, Authorization, SOAPAction, client certificate CN, SAML
NameID, whether a ds:Signature is present, body).  Behaviour is steered by
files in CONTROL_DIR so the test can change it without a restart:
  quote-fault   /quote answers a SOAP fault (500)
  slow          every answer waits 0.3 s
  heal          /orders accepts messages containing POISON (else 500 fault)
/quote needs basic authentication quote:<QUOTE_PASSWORD>, answers
GetQuoteResponse with price = quantity * 125 EUR (chunked transfer encoding);
/orders accepts events.
usage: target.py PORT CERT_DIR RECORD_FILE CONTROL_DIR QUOTE_PASSWORD"""
import base64, http.server, json, os, re, socketserver, ssl, sys, threading, time

PORT, CERTS, RECORD, CONTROL, QUOTE_PW = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
lock = threading.Lock()
FAULT = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
         '<faultcode>s:Server</faultcode><faultstring>refused</faultstring></s:Fault></s:Body></s:Envelope>')


def ctl(name):
    return os.path.exists(os.path.join(CONTROL, name))


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n).decode("utf-8", "replace")
        cert = self.connection.getpeercert() or {}
        cn = dict(x[0] for x in cert.get("subject", ())).get("commonName")
        m = re.search(r"<(?:\w+:)?NameID[^>]*>([^<]*)</", body) or \
            re.search(r"<(?:\w+:)?NameIdentifier[^>]*>([^<]*)</", body)
        rec = {"path": self.path, "auth": self.headers.get("Authorization"),
               "action": self.headers.get("SOAPAction"), "cn": cn, "body": body,
               "nameid": m.group(1) if m else None,
               "username": (re.search(r"<(?:\w+:)?Username>([^<]*)</", body) or [None, None])[1],
               "digest": "#PasswordDigest" in body, "signed": "SignatureValue" in body,
               "t": time.time()}
        if ctl("slow"):
            time.sleep(0.3)
        status, out = 200, ""
        if self.path in ("/quote", "/quote-alt"):
            want = "Basic " + base64.b64encode(("quote:" + QUOTE_PW).encode()).decode()
            q = re.search(r"<quantity>(\d+)</quantity>", body)
            if self.headers.get("Authorization") != want:
                status, out = 401, "unauthorized"
            elif ctl("quote-fault"):
                status, out = 500, FAULT
            else:
                out = ('<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
                       '<soap:Body><GetQuoteResponse xmlns="urn:imsgw:callout:quote"><quoteReply>'
                       '<price>%d</price><currency>EUR</currency></quoteReply></GetQuoteResponse>'
                       '</soap:Body></soap:Envelope>' % (int(q.group(1)) * 125 if q else 0))
        elif self.path == "/orders":
            if "POISON" in body and not ctl("heal"):
                status, out = 500, FAULT
            else:
                out = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
                       '<soap:Body><OrderEventResponse xmlns="urn:imsgw:callout:orders"/></soap:Body></soap:Envelope>')
        else:
            status, out = 404, "no such service"
        rec["status"] = status
        with lock:
            with open(RECORD, "a") as f:
                f.write(json.dumps(rec) + "\n")
        data = out.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        chunked = self.path.startswith("/quote") and status == 200
        if chunked:	# the quote service answers in chunks of 40 bytes
            self.send_header("Transfer-Encoding", "chunked")
            data = b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + 40]), data[i:i + 40])
                            for i in range(0, len(data), 40)) + b"0\r\n\r\n"
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass	# the client went away (imsgw killed by the test)


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = S(("127.0.0.1", PORT), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERTS + "/server.crt", CERTS + "/server.key")
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.load_verify_locations(CERTS + "/ca.crt")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready", flush=True)
srv.serve_forever()
