#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Callouts end to end with real processes: imsconnect-sim runs its
CALLSYNC (ICAL) and CALLASYN (ISRT ALTPCB) programs, imsgw pulls the
requests with RESUME TPIPE and calls a real HTTPS web service (target.py)
that demands a client certificate and basic authentication and records what
it receives.
usage: test_callout.py IMSGW IMSCONNECT_SIM IMSCONNECT_CALL SOURCE_DIR CERT_DIR"""
import base64, json, os, re, signal, ssl, subprocess, sys, time, urllib.request

IMSGW, SIM, CALL, SRC, CERTS = sys.argv[1:6]
sys.path.insert(0, SRC + "/tests/lib")
from demo_site import DemoSite, Tap, free_port, wait_port

t = Tap()
site = DemoSite(SRC, CERTS, "imsgw-callout-")
W = site.work
TPORT = free_port()
RECORD = os.path.join(W, "record.jsonl")
CONTROL = os.path.join(W, "control")
DEAD = os.path.join(W, "dead")
os.makedirs(CONTROL)
os.makedirs(DEAD, mode=0o700)
QUOTE_PW = "Qu0te-secret"
procs = {}


def secret(name, text):
    p = os.path.join(W, name)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, text.encode())
    os.close(fd)
    return p


def start_target():
    p = subprocess.Popen(["/usr/bin/python3", SRC + "/tests/integration/callout/target.py", str(TPORT),
                          CERTS, RECORD, CONTROL, QUOTE_PW], stdout=subprocess.PIPE, text=True)
    p.stdout.readline()
    procs["target"] = p


def stop_target():
    procs["target"].kill()
    procs["target"].wait()


def start_gw():
    procs["gw"] = subprocess.Popen([IMSGW, "-c", site.conf], stdout=open(site.log("gw.log"), "a"),
                                   stderr=subprocess.STDOUT)
    return wait_port(site.gw_port)


def records(path=None):
    out = []
    if os.path.exists(RECORD):
        for line in open(RECORD):
            r = json.loads(line)
            if path is None or r["path"] == path:
                out.append(r)
    return out


def call(trancode, text, timeout_ms=15000):
    r = subprocess.run([CALL, "--port", str(site.sim_port), "--datastore", "IMS1", "--user", "USER01",
                        "--password-file", CERTS + "/ivtno.pw", "--timeout", str(timeout_ms), "--no-hex",
                        "send", trancode, text], capture_output=True, text=True, timeout=60)
    return r.stdout + r.stderr


def wait_for(cond, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


def metrics():
    ctx = ssl.create_default_context(cafile=CERTS + "/ca.crt")
    ctx.load_cert_chain(CERTS + "/client.crt", CERTS + "/client.key")
    with urllib.request.urlopen("https://localhost:%d/metrics" % site.gw_port, context=ctx, timeout=10) as r:
        return r.read().decode()


def order_ids(path="/orders", status=200):
    ids = []
    for r in records(path):
        m = re.search(r"<orderId>([^<]*)</orderId>", r["body"])
        if m and r["status"] == status:
            ids.append(m.group(1))
    return ids


# ---- the site: the demo's sim.conf and ivtno bundle, plus two callouts
site.write_sim_conf()
site.copy_bundles()
for f in os.listdir(site.bundles):
    if f != "ivtno.xml":
        os.unlink(os.path.join(site.bundles, f))
secret("quote.pw", QUOTE_PW + "\n")
secret("orders-ut.pw", "0rders-UT-secret\n")
# a PEM keystore: imsgw's client key and certificate in one private file
secret("imsgw-client.pem", open(CERTS + "/imsgw-client.key").read() + open(CERTS + "/imsgw-client.crt").read())
site.put_bundle("quote.xml", """<?xml version="1.0"?>
<callout xmlns="urn:imsgw:config:1" name="quote" bundle="ivtno" namespace="urn:imsgw:callout:quote">
  <tpipe name="SYNTPIPE" kinds="sync" workers="2" pollTimerMs="1000" errorPollMs="500"/>
  <message operation="GetQuote">
    <request copybook="%(src)s/copybook/samples/quote-req.cpy"/>
    <response copybook="%(src)s/copybook/samples/quote-resp.cpy"/>
  </message>
  <target url="https://localhost:%(port)d/quote" soapAction="urn:imsgw:callout:quote/GetQuote" timeoutMs="3000"
          endpointOverride="https://localhost:%(port)d/quote">
    <basicAuth user="quote" passwordFile="%(w)s/quote.pw"/>
    <tls keystore="%(certs)s/imsgw-client.p12" keystorePasswordFile="%(certs)s/pkcs12.pass"
         truststore="%(certs)s/ca.crt"/>
    <wsSecurity token="saml20" subject="message" issuer="urn:imsgw:test"
                signingKey="%(certs)s/saml-signer.key" signingCertificate="%(certs)s/saml-signer.crt"/>
  </target>
</callout>
""" % {"src": SRC, "port": TPORT, "w": W, "certs": CERTS})
site.put_bundle("orders.xml", """<?xml version="1.0"?>
<callout xmlns="urn:imsgw:config:1" name="orders" bundle="ivtno" namespace="urn:imsgw:callout:orders">
  <tpipe name="ASYTPIPE" kinds="async" resume="auto" workers="2" pollTimerMs="1000" errorPollMs="500"/>
  <message operation="OrderEvent">
    <request copybook="%(src)s/copybook/samples/order-event.cpy"/>
  </message>
  <target url="https://localhost:%(port)d/orders" timeoutMs="3000">
    <tls keystore="%(w)s/imsgw-client.pem" truststore="%(certs)s/ca.crt"/>
    <wsSecurity token="usernameTokenDigest" subject="service" passwordFile="%(w)s/orders-ut.pw"/>
  </target>
  <async maxAttempts="3" backoffMs="200" backoffMaxMs="800" deadLetterDir="%(dead)s"/>
</callout>
""" % {"src": SRC, "port": TPORT, "w": W, "certs": CERTS, "dead": DEAD})
site.conf = site.write_imsgw_conf(server_extra="log-level info")

rc = 1
try:
    chk = subprocess.run([IMSGW, "-c", site.conf, "--check"], capture_output=True, text=True)
    t.check(chk.returncode == 0 and "2 callouts" in chk.stdout, "--check accepts the callout files: "
            + (chk.stdout + chk.stderr).strip()[-300:])
    procs["sim"] = subprocess.Popen([SIM, "-c", os.path.join(W, "sim.conf")],
                                    stdout=open(site.log("sim.log"), "w"), stderr=subprocess.STDOUT)
    wait_port(site.sim_port)
    start_target()
    t.check(start_gw(), "imsgw starts with the callout pollers")

    # ---- synchronous: ICAL -> imsgw -> HTTPS target -> answer to the program
    t0 = time.time()
    out = call("CALLSYNC", "WIDGET    0005")
    t.check("CALLOUT RESPONSE: 0000625EUR" in out, "the IMS program receives the converted answer (%.2f s): %s"
            % (time.time() - t0, out.strip().splitlines()[1:2]))
    q = records("/quote")
    r = q[-1] if q else {}
    t.check(r.get("auth") == "Basic " + base64.b64encode(("quote:" + QUOTE_PW).encode()).decode(),
            "the target got the basic authentication header")
    t.check(r.get("cn") == "imsgw", "the target saw imsgw's client certificate (PKCS#12 keystore): %s" % r.get("cn"))
    t.check("<item>WIDGET</item>" in r.get("body", "") and "<quantity>5</quantity>" in r.get("body", ""),
            "the SOAP request carries the converted ICAL data")
    t.check(r.get("action") in ('"urn:imsgw:callout:quote/GetQuote"', "urn:imsgw:callout:quote/GetQuote"),
            "the SOAPAction is the configured one: %s" % r.get("action"))
    t.check(r.get("nameid") == "USER01" and r.get("signed"),
            "the signed SAML 2.0 assertion's subject is the IMS user of the ICAL: %s" % r.get("nameid"))

    # ---- ICAL control data: <DFSENDPOINTURL> within the allowed prefixes
    out = call("CALLURL", "https://localhost:%d/quote-alt WIDGET    0007" % TPORT)
    alt = records("/quote-alt")
    t.check("CALLOUT RESPONSE: 0000875EUR" in out and len(alt) == 1 and "<quantity>7</quantity>" in alt[0]["body"],
            "an ICAL with control data <DFSENDPOINTURL> is sent to that endpoint")
    n0 = len(records())
    out = call("CALLURL", "https://127.0.0.1:%d/quote WIDGET    0001" % TPORT)
    t.check("CALLOUT ERROR RSN=1015" in out and len(records()) == n0,
            "an endpoint outside endpointOverride is refused (status 1015), nothing sent")

    # ---- synchronous failures reach the program with IMS SOAP Gateway's codes
    open(os.path.join(CONTROL, "quote-fault"), "w").close()
    out = call("CALLSYNC", "WIDGET    0001")
    t.check("CALLOUT ERROR RSN=1002" in out, "a SOAP fault gives status 1002: %s" % out.strip().splitlines()[1:2])
    os.unlink(os.path.join(CONTROL, "quote-fault"))
    stop_target()
    t0 = time.time()
    out = call("CALLSYNC", "WIDGET    0002")
    el = time.time() - t0
    t.check("CALLOUT ERROR RSN=1009" in out and el < 8,
            "a dead target gives status 1009 before the ICAL timeout (%.2f s): %s" % (el, out.strip().splitlines()[1:2]))

    # ---- asynchronous while the target is down: all delivered once it returns
    for i in range(10):
        call("CALLASYN", "DOWN%04d  GADGET    %04d" % (i, i + 1))
    time.sleep(2.5)
    m = metrics()
    naks = int(re.search(r"imsgw_callout_naks_total (\d+)", m).group(1))
    t.check(naks >= 1 and not order_ids(), "target down: messages NAKed back to IMS (%d NAKs), none lost" % naks)
    start_target()
    want = ["DOWN%04d" % i for i in range(10)]
    ok = wait_for(lambda: set(want) <= set(order_ids()), 30)
    got = order_ids()
    t.check(ok, "all 10 async messages delivered after the target returned (%d deliveries, %d duplicates)"
            % (len(got), len(got) - len(set(got))))
    r = records("/orders")[-1]
    t.check(r["cn"] == "imsgw" and r["auth"] is None, "the orders target saw the PEM keystore's certificate")
    t.check(r["username"] == "USER01" and r["digest"] and "0rders-UT-secret" not in r["body"],
            "async requests carry a UsernameToken (PasswordDigest) for the bundle user: %s" % r["username"])

    # ---- SIGKILL in the middle of a batch: none lost (at least once)
    open(os.path.join(CONTROL, "slow"), "w").close()
    before = len(order_ids())
    for i in range(20):
        call("CALLASYN", "KILL%04d  GIZMO     %04d" % (i, i + 1))
    wait_for(lambda: len([x for x in order_ids() if x.startswith("KILL")]) >= 3, 20)
    procs["gw"].send_signal(signal.SIGKILL)
    procs["gw"].wait()
    mid = len([x for x in order_ids() if x.startswith("KILL")])
    os.unlink(os.path.join(CONTROL, "slow"))
    t.check(start_gw(), "imsgw restarted after SIGKILL (%d of 20 delivered before the kill)" % mid)
    want = ["KILL%04d" % i for i in range(20)]
    ok = wait_for(lambda: set(want) <= set(order_ids()), 40)
    kills = [x for x in order_ids() if x.startswith("KILL")]
    t.check(ok, "all 20 delivered across the SIGKILL (%d deliveries, %d duplicates)"
            % (len(kills), len(kills) - len(set(kills))))
    print("# SIGKILL batch: 20 messages, %d deliveries, %d duplicates" % (len(kills), len(kills) - len(set(kills))))

    # ---- dead letter after maxAttempts, listed, re-driven
    call("CALLASYN", "POISON01  BAD       0001")
    ok = wait_for(lambda: len([f for f in os.listdir(DEAD) if f.endswith(".dl")]) == 1, 20)
    fails = [r for r in records("/orders") if "POISON01" in r["body"]]
    t.check(ok and len(fails) == 3, "a message failing 3 times goes to the dead-letter folder (%d attempts)"
            % len(fails))
    dl = [f for f in os.listdir(DEAD) if f.endswith(".dl")]
    mode = os.stat(os.path.join(DEAD, dl[0])).st_mode & 0o777 if dl else 0
    t.check(mode == 0o600, "the dead letter is private (mode %o)" % mode)
    ls = subprocess.run([IMSGW, "-c", site.conf, "--dead-letters"], capture_output=True, text=True)
    t.check(ls.returncode == 0 and "orders\tASYTPIPE\t3\tCO-SOAP-FAULT" in ls.stdout,
            "--dead-letters lists it: %s" % ls.stdout.strip().splitlines()[-1:])
    bad = subprocess.run([IMSGW, "-c", site.conf, "--redrive", "all"], capture_output=True, text=True)
    t.check(bad.returncode == 1 and len(os.listdir(DEAD)) == 1, "a re-drive that fails keeps the dead letter")
    open(os.path.join(CONTROL, "heal"), "w").close()
    rd = subprocess.run([IMSGW, "-c", site.conf, "--redrive", "all"], capture_output=True, text=True)
    t.check(rd.returncode == 0 and not os.listdir(DEAD) and "POISON01" in order_ids(),
            "--redrive delivers it and removes the file: %s" % rd.stdout.strip().splitlines()[-1:])

    # ---- two imsgw instances serve the same tpipe: each message delivered by one of them
    conf2 = os.path.join(W, "imsgw2.conf")
    open(conf2, "w").write(open(site.conf).read().replace("port %d" % site.gw_port, "port %d" % free_port()))
    gw2 = subprocess.Popen([IMSGW, "-c", conf2], stdout=open(site.log("gw2.log"), "w"), stderr=subprocess.STDOUT)
    procs["gw2"] = gw2
    time.sleep(1.0)
    for i in range(30):
        call("CALLASYN", "TWIN%04d  WIDGET    %04d" % (i, i + 1))
    want = ["TWIN%04d" % i for i in range(30)]
    ok = wait_for(lambda: set(want) <= set(order_ids()), 30)
    twins = [x for x in order_ids() if x.startswith("TWIN")]
    time.sleep(0.5)
    by2 = open(site.log("gw2.log")).read().count('outcome="CO-OK"')
    gw2.send_signal(signal.SIGTERM)
    gw2.wait(timeout=15)
    t.check(ok and len(twins) == 30, "two instances on one tpipe: 30 messages, %d deliveries "
            "(%d by the second instance)" % (len(twins), by2))

    # ---- the target flapping: down and up while messages arrive; none lost, no fd growth
    gwpid = procs["gw"].pid
    fds0 = len(os.listdir("/proc/%d/fd" % gwpid))
    up = True
    for i in range(40):
        if i % 5 == 4:
            stop_target() if up else start_target()
            up = not up
        call("CALLASYN", "FLAP%04d  WIDGET    %04d" % (i, i + 1))
    if not up:
        start_target()
    want = ["FLAP%04d" % i for i in range(40)]
    ok = wait_for(lambda: set(want) <= set(order_ids()), 60)
    flaps = [x for x in order_ids() if x.startswith("FLAP")]
    time.sleep(1.5)
    fds1 = len(os.listdir("/proc/%d/fd" % gwpid))
    t.check(ok, "target flapping 8 times: all 40 messages delivered (%d deliveries, %d duplicates)"
            % (len(flaps), len(flaps) - len(set(flaps))))
    t.check(fds1 <= fds0 + 4 and procs["gw"].poll() is None,
            "no file descriptors leaked by the failing calls (%d before, %d after)" % (fds0, fds1))

    # ---- reload keeps serving; metrics
    procs["gw"].send_signal(signal.SIGHUP)
    time.sleep(0.5)
    out = call("CALLSYNC", "WIDGET    0010")
    t.check("CALLOUT RESPONSE: 0001250EUR" in out, "after a reload the callouts still work")
    # every RESUME TPIPE option, changed by a reload
    for sync_mode, async_mode in (("auto", "single"), ("noauto", "singleWait"), ("single", "noauto")):
        for f, mode in (("quote.xml", sync_mode), ("orders.xml", async_mode)):
            txt = re.sub(r'resume="\w+" ', "", site.bundle(f))
            site.put_bundle(f, txt.replace("<tpipe ", '<tpipe resume="%s" ' % mode))
        procs["gw"].send_signal(signal.SIGHUP)
        time.sleep(2.5)		# the old sessions end after their RESUME TPIPE timer
        out = call("CALLSYNC", "WIDGET    0003")
        tag = "M%s" % sync_mode[:3].upper()
        for i in range(3):
            call("CALLASYN", "%s%04d  WIDGET    0001" % (tag, i))
        ok = wait_for(lambda: {"%s%04d" % (tag, i) for i in range(3)} <= set(order_ids()), 20)
        t.check("CALLOUT RESPONSE: 0000375EUR" in out and ok,
                "after a reload: sync with resume=%s and async with resume=%s work" % (sync_mode, async_mode))
    # IMS Connect's XML adapter converts instead of imsgw's copybooks
    txt = site.bundle("quote.xml")
    txt = re.sub(r'<request copybook="[^"]+"/>\s*<response copybook="[^"]+"/>',
                 '<xmlAdapter converter="QUOTEX"/>', txt)
    site.put_bundle("quote.xml", txt)
    procs["gw"].send_signal(signal.SIGHUP)
    time.sleep(2.5)
    n0 = len(records("/quote"))
    out = call("CALLSYNC", "GADGET    0004")
    q = records("/quote")
    body = q[-1]["body"] if len(q) > n0 else ""
    t.check("CALLOUT RESPONSE: 0000500EUR" in out and "<item>GADGET</item>" in body and
            q[-1]["nameid"] == "USER01",
            "XML-adapter callout: IMS Connect converts both ways, imsgw carries the XML: %s"
            % out.strip().splitlines()[1:2])
    m = metrics()
    t.check('imsgw_callout_total{callout="quote",tpipe="SYNTPIPE",outcome="CO-OK"}' in m and
            'outcome="CO-SOAP-FAULT"' in m and "imsgw_callout_dead_letters_total 1" in m,
            "metrics count callouts by outcome and dead letters")
    log = open(site.log("gw.log")).read()
    t.check(re.search(r'callout callout="quote" tpipe="SYNTPIPE" kind="sync" target="[^"]+" '
                      r'outcome="CO-OK" status=0 http=200 ms=\d+ attempt=1 action="response"', log) is not None,
            "one log line per callout (tpipe, target, outcome, status, latency, attempt)")
    t.check(QUOTE_PW not in log and "0rders-UT-secret" not in log, "passwords are never logged")
    # ---- graceful stop
    procs["gw"].send_signal(signal.SIGTERM)
    t.check(procs["gw"].wait(timeout=15) == 0, "SIGTERM stops the pollers and exits 0")
    rc = t.done()
finally:
    for p in procs.values():
        if p.poll() is None:
            p.kill()
            p.wait()
    if rc == 0:
        site.cleanup()
    else:
        print("# work folder kept: " + W)
sys.exit(rc)
