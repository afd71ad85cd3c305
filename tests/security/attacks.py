#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile input against real imsgw + imsconnect-sim; after every attack the
gateway must still answer a normal request.
usage: attacks.py IMSGW SIM SOURCE_DIR CERT_DIR"""
import os, re, signal, socket, ssl, subprocess, sys, threading, time

IMSGW, SIM, SRC, CERTS = sys.argv[1:5]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.path.insert(0, os.path.join(SRC, "tests", "unit", "wss"))
from demo_site import DemoSite, Tap, wait_port  # noqa: E402
import gen_fixtures  # noqa: E402  (signed SAML and its tampered copies, made with the xmlsec1 CLI)

tap = Tap()
check = tap.check
site = DemoSite(SRC, CERTS, "imsgw-attacks-")
work, GW, SP = site.work, site.gw_port, site.sim_port
site.write_sim_conf()
site.copy_bundles()
# services on the simulator's misbehaving transactions
for tx in ("FCLOSE", "FTRUNC", "FBADLEN", "FRSM"):
    site.derive_service("ivtno-static.xml", "f-%s.xml" % tx, "F" + tx, "/f/" + tx,
                        subst={'transaction="IVTNO"': 'transaction="%s"' % tx})
# Wrapped-signature attacks: the wss fixture generator signs SAML 2.0
# assertions with the xmlsec1 CLI (dev signer, rogue signer, expired signer)
# and derives the tampered copies from the signed bytes; its assertions name
# AUDIENCE and NameID "alice.evil.example" (the wrapped ones "admin").  A copy
# of the SAML service accepts that audience and maps exactly that NameID to
# USER01 (PassTicket), so the untampered assertion is served and any attack
# that got past the WS-Security checks would show up as a 200.
XSW = os.path.join(work, "xsw")
os.makedirs(XSW)
gen_fixtures.gen_saml(XSW, CERTS)
XSW_NAME = "alice.evil.example"
site.derive_service("ivtno-saml20.xml", "xsw-saml20.xml", "PhoneBookXSW", "/xsw/saml20", subst={
    'audience="urn:imsgw:ivtno"': 'audience="%s"' % gen_fixtures.AUDIENCE,
    '<rule from="saml" racfUser="$user" credential="passticket"/>':
    '<rule from="saml" user="%s" racfUser="USER01" credential="passticket"/>' % XSW_NAME})
site.write_imsgw_conf("log-level info", """connection-timeout 3
request-timeout 3
max-connections 600
per-ip-connections 100
max-body 65536""")

ctx = ssl.create_default_context(cafile=CERTS + "/ca.crt")
ctx.load_cert_chain(CERTS + "/client.crt", CERTS + "/client.key")


def https(path, body=None, headers=None, src="127.0.0.1", timeout=10):
    """One request on a fresh connection; (status, body) or (None, error)."""
    st, _, resp = https_h(path, body, headers, src, timeout)
    return st, resp


def https_h(path, body=None, headers=None, src="127.0.0.1", timeout=10):
    """https() that also returns the response headers (lower-case names):
    (status, headers, body) or (None, {}, error)."""
    try:
        raw = socket.create_connection(("127.0.0.1", GW), timeout, source_address=(src, 0))
        s = ctx.wrap_socket(raw, server_hostname="localhost")
        h = {"Host": "localhost", "Connection": "close"}
        h.update(headers or {})
        if body is not None:
            h.setdefault("Content-Type", "text/xml")
            h["Content-Length"] = str(len(body))
        req = ("%s %s HTTP/1.1\r\n" % ("POST" if body is not None else "GET", path) +
               "".join("%s: %s\r\n" % kv for kv in h.items()) + "\r\n").encode() + (body or b"")
        s.sendall(req)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        hdrs = dict((k.strip().lower(), v.strip()) for k, _, v in (l.partition(":") for l in lines[1:]))
        return int(lines[0].split()[1]), hdrs, rest.decode("utf-8", "replace")
    except Exception as e:
        return None, {}, str(e)


ENV = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="urn:imsgw:ivtno"><s:Body>'
       '<i:IVTNO><i:inputMsg><i:inCmd>DISPLAY</i:inCmd><i:inName1>LAST1</i:inName1></i:inputMsg></i:IVTNO>'
       '</s:Body></s:Envelope>')
SOAP = {"SOAPAction": '"urn:imsgw:ivtno/IVTNO"'}


def serving(src="127.0.0.1"):
    st, body = https("/ivtno/static", ENV.encode(), SOAP, src)
    return st == 200 and "ENTRY WAS DISPLAYED" in body


procs = []
try:
    procs.append(subprocess.Popen([SIM, "-c", work + "/sim.conf"], stdout=open(work + "/sim.log", "w"),
                                  stderr=subprocess.STDOUT))
    wait_port(SP)
    gw = subprocess.Popen([IMSGW, "-c", work + "/imsgw.conf"], stdout=open(work + "/gw.log", "w"),
                          stderr=subprocess.STDOUT)
    procs.append(gw)
    check(wait_port(GW) and serving(), "gateway serves the phone book")

    # XML attacks: each refused with a fault, nothing leaked, still serving
    xxe = ('<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + ENV.replace("LAST1", "&x;"))
    lol = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
           '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
           '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>'
           + ENV.replace("LAST1", "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"))
    deep = ENV.replace("<i:inName1>LAST1</i:inName1>", "<a>" * 5000 + "</a>" * 5000)
    wide = ENV.replace("<i:inName1>LAST1</i:inName1>", '<i:x ' + " ".join('a%d="1"' % i for i in range(5000)) + "/>")
    for name, body in (("XXE", xxe), ("billion laughs", lol), ("5000-deep nesting", deep),
                       ("5000 attributes", wide), ("not XML", "\x00\xff<<<>>>"), ("empty body", "")):
        t0 = time.time()
        st, resp = https("/ivtno/static", body.encode("latin-1"), SOAP)
        check(st in (400, 500) and "root:" not in resp and "aaaaaaaaaa" not in resp and time.time() - t0 < 5,
              "%s: refused with %s in %.2f s" % (name, st, time.time() - t0))
    check(serving(), "still serving after the XML attacks")

    # wrapped signatures and other SAML tampering, through the daemon: each
    # refused with its own reason (header X-Imsgw-Reason, igw:reason and
    # faultstring in the SOAP fault), never served
    IVTNO_BODY = ('<i:IVTNO xmlns:i="urn:imsgw:ivtno"%s><i:inputMsg><i:inCmd>DISPLAY</i:inCmd>'
                  '<i:inName1>LAST1</i:inName1></i:inputMsg></i:IVTNO>')

    def xsw_envelope(name):
        """A generator envelope with its (unsigned) test Body replaced by the IVTNO request."""
        t = open(os.path.join(XSW, name), encoding="utf-8").read()
        u = re.sub(r'<ns0:Inquiry xmlns:ns0="urn:imsgw:test"([^>]*)><ns0:account>12345</ns0:account></ns0:Inquiry>',
                   lambda m: IVTNO_BODY % m.group(1), t)
        assert u != t, name
        return u.encode("utf-8")

    for what, fixture, want in (
            ("NameID changed after signing", "s2_tampered_nameid.xml", "SAML-SIG-INVALID"),
            ("comment inside the signed NameID (C14N truncation)", "s2_comment_nameid.xml", "SAML-NAMEID"),
            ("SignatureValue removed", "s2_no_sigvalue.xml", "SAML-SIG-MALFORMED"),
            ("Signature removed", "s2_sig_removed.xml", "SAML-SIG-REQUIRED"),
            ("XSW: evil assertion, signed one hidden in ds:Object", "s2_xsw_object.xml", "SAML-XSW"),
            ("XSW: evil assertion with the signed ID, signed one in a wrapper header", "s2_xsw_same_id.xml",
             "WSS-DUPLICATE-ID"),
            ("XSW: evil assertion carries the signature, signed one in a wrapper header", "s2_xsw_wrapper.xml",
             "SAML-XSW"),
            ("duplicate ID: the Body claims the assertion's ID", "s2_dup_id.xml", "WSS-DUPLICATE-ID"),
            ("signed assertion plus an unsigned second one", "s2_two_assertions.xml", "WSS-TOKEN-MULTIPLE"),
            ("second Reference in SignedInfo", "s2_two_refs.xml", "SAML-XSW"),
            ("rogue (self-signed) signer", "s2_rogue.xml", "SAML-SIG-UNTRUSTED"),
            ("signer certificate expired", "s2_expired_cert.xml", "SAML-SIG-CERT-EXPIRED")):
        t0 = time.time()
        st, hdrs, resp = https_h("/xsw/saml20", xsw_envelope(fixture), SOAP)
        m = re.search(r"<igw:reason[^>]*>([^<]+)<", resp or "")
        fs = re.search(r"<faultstring[^>]*>([^<]*)<", resp or "")
        got = hdrs.get("x-imsgw-reason")
        check(st == 500 and got == want and m and m.group(1) == want and fs and fs.group(1)
              and "ENTRY WAS DISPLAYED" not in resp and time.time() - t0 < 5,
              "%s: %s %s (faultstring %r) in %.2f s" % (what, st, got, fs.group(1) if fs else None,
                                                        time.time() - t0))
    check(serving(), "still serving after the wrapped-signature attacks")
    st, hdrs, resp = https_h("/xsw/saml20", xsw_envelope("s2_signed_again.xml"), SOAP)
    check(st == 200 and "ENTRY WAS DISPLAYED" in resp,
          "the untampered signed assertion is served on the same service (%s %s)" % (st, hdrs.get("x-imsgw-reason")))

    # oversize bodies
    st, _ = https("/ivtno/static", b"x" * 70000, SOAP)
    check(st == 413, "body over max-body with Content-Length: 413")

    # header sizes: the listener's per-connection memory (connection-memory,
    # default 36 KiB) holds the request head, about 22 KiB of it at the
    # default (docs/CONFIGURATION.md).  16 KiB of headers (a proxy's cookies
    # and tokens) are served; 100 KiB are refused (431, or the connection
    # closed) without hurting anyone else.
    pad = dict(("X-Pad-%02d" % i, "p" * 200) for i in range(80))
    pad.update(SOAP)
    st, body = https("/ivtno/static", ENV.encode(), pad)
    check(st == 200 and "ENTRY WAS DISPLAYED" in body, "16 KiB of request headers: served (%s)" % st)
    huge = dict(("X-Pad-%03d" % i, "p" * 1000) for i in range(100))
    huge.update(SOAP)
    t0 = time.time()
    st, body = https("/ivtno/static", ENV.encode(), huge)
    check(st in (None, 431) and time.time() - t0 < 5,
          "100 KiB of request headers: refused (%s) in %.2f s" % (st, time.time() - t0))
    check(serving(), "still serving after the oversize headers")

    # slow clients: headers at one byte per 0.5 s are cut by connection-timeout (3 s)
    def slow(results):
        try:
            raw = socket.create_connection(("127.0.0.1", GW), 10)
            s = ctx.wrap_socket(raw, server_hostname="localhost")
            t0 = time.time()
            for ch in b"POST /ivtno/static HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 100:
                s.send(bytes([ch]))
                time.sleep(0.5)
            results.append(("finished", time.time() - t0))
        except Exception:
            results.append(("closed", time.time() - t0))
    results = []
    threads = [threading.Thread(target=slow, args=(results,)) for _ in range(20)]
    for t in threads:
        t.start()
    time.sleep(1)
    check(serving(), "served while 20 slow clients trickle headers")
    for t in threads:
        t.join(60)
    check(len(results) == 20 and all(r[0] == "closed" and r[1] < 6 for r in results),
          "slow clients are disconnected (after %.1f s at most)" % max(r[1] for r in results))

    # many idle connections from one address: the per-address limit holds them
    # back; another client address is still served
    idle = []
    for _ in range(400):
        try:
            idle.append(socket.create_connection(("127.0.0.1", GW), 2))
        except OSError:
            break
    time.sleep(0.5)
    check(serving("127.0.0.2"), "with 400 idle connections from 127.0.0.1, a client at 127.0.0.2 is served")
    for s in idle:
        s.close()
    time.sleep(0.5)
    check(serving(), "still serving after the idle connections close")

    # IMS Connect misbehaving: close without reply, half a reply, lying length, forced RSM
    for tx, want in (("FCLOSE", "IMSC-CONNECT"), ("FTRUNC", None), ("FBADLEN", None), ("FRSM", "IMSC-REJECTED")):
        t0 = time.time()
        st, resp = https("/f/%s" % tx, ENV.encode(), SOAP)
        m = re.search(r"<igw:reason[^>]*>([^<]+)<", resp or "")
        reason = m.group(1) if m else None
        ok = st in (500, 502, 503, 504) and reason and reason.startswith(("IMSC-", "GW-"))
        if want:
            ok = ok and reason == want
        check(ok and time.time() - t0 < 8, "IMS Connect %s: fault %s in %.2f s" % (tx, reason, time.time() - t0))
    check(serving(), "still serving after IMS Connect misbehaved")
    check(gw.poll() is None, "imsgw never stopped")
    gw.send_signal(signal.SIGTERM)
    check(gw.wait(15) == 0, "imsgw exits cleanly after the attacks")
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
    if tap.failed:
        for line in open(work + "/gw.log").read().splitlines()[-30:]:
            print("# " + line)
    site.cleanup()
sys.exit(tap.done())
