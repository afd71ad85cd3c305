#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The outbound (callout) HTTP client, gSOAP over mutual TLS, against a real
HTTPS service.  usage: test_outbound.py IGW_POST CERT_DIR"""
import re, json, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib"))
from demo_site import Tap, free_port, wait_port  # noqa: E402

POST, C = sys.argv[1], sys.argv[2]
tap = Tap()
work = tempfile.mkdtemp(prefix="imsgw-outbound-")
rec = work + "/record"
port = free_port()
keystore = work + "/client.pem"
open(keystore, "w").write(open(C + "/imsgw-client.key").read() + open(C + "/imsgw-client.crt").read())
os.chmod(keystore, 0o600)
srv = subprocess.Popen(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "target.py"),
                        str(port), C, rec], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
srv.stdout.readline()
base = "https://localhost:%d" % port


def post(path, ks=keystore, ts=C + "/ca.crt", user="-", pw="-", timeout=2000, count=1, url=None, extra=()):
    r = subprocess.run([POST, url or base + path, ks or "-", ts or "-", user, pw, str(timeout), str(count)] + list(extra),
                       capture_output=True, text=True, timeout=60)
    if "Sanitizer" in r.stderr or r.returncode not in (0, 1):
        SANITIZER.append(r.stderr[-2000:])
    return r.stdout


SANITIZER = []


def records():
    return [json.loads(l) for l in open(rec)] if os.path.exists(rec) else []


try:
    out = post("/ok", user="alice", pw="secret", count=3)
    r = records()
    tap.check(out.count("status=200") == 3, "three posts over mutual TLS: 200 each")
    tap.check(len(r) == 3 and all(x["cn"] == "imsgw" for x in r), "the target saw imsgw's client certificate")
    tap.check(all(x["auth"] == "Basic YWxpY2U6c2VjcmV0" for x in r), "HTTP basic authentication sent")
    tap.check(all(x["action"] == '"urn:test/Ping"' and "<p:Ping" in x["body"] for x in r), "SOAPAction and envelope arrive intact")
    tap.check(len({x["conn"] for x in r}) == 1, "keep-alive: one connection for three posts")
    tap.check("<Pong" in out, "the response body is returned")
    tap.check("status=401" in post("/auth"), "no credentials: the target's 401 is reported")
    tap.check("status=500" in post("/fault") and "faultstring" in post("/fault"), "SOAP fault: status 500 with the body")
    tap.check("error=IGW_ETLS" in post("/ok", ts=C + "/unknown-ca.crt"), "target certificate from an unknown CA: IGW_ETLS")
    tap.check("error=IGW_ETLS" in post("/ok", url="https://127.0.0.2:%d/ok" % port) or
              "error=IGW_ECONNECT" in post("/ok", url="https://127.0.0.2:%d/ok" % port),
              "wrong host: refused")
    n0 = len(records())
    out = post("/ok", ks=None)
    tap.check("error=" in out and len(records()) == n0, "no client certificate: the target refuses, nothing delivered")
    out = post("/slow", timeout=1000)
    # the post's own time as igw-post measured it (process start-up under a
    # sanitizer on a loaded machine is not the client's timeout)
    m = re.search(r"error=IGW_ETIMEOUT ms=(\d+)", out)
    el = int(m.group(1)) / 1000.0 if m else 99
    tap.check(m is not None and 0.9 <= el < 2.5, "slow target: IGW_ETIMEOUT after the 1 s timeout (%.2f s, %s)" % (el, out.split()[0]))
    dead = free_port()
    t0 = time.time()
    out = post("/ok", url="https://localhost:%d/ok" % dead)
    tap.check("error=IGW_ECONNECT" in out and time.time() - t0 < 2, "dead target: IGW_ECONNECT at once")
    tap.check("error=IGW_ELIMIT" in post("/big", extra=["65536"]), "response over the limit: IGW_ELIMIT")
    tap.check(not SANITIZER, "no sanitizer report, no crash" + ("" if not SANITIZER else ": " + SANITIZER[0][:300]))
finally:
    srv.kill()
sys.exit(tap.done())
