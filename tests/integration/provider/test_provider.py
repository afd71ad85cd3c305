#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Provider path end to end: imsgw + imsconnect-sim as real processes, zeep as
the SOAP client.  usage: test_provider.py IMSGW SIM SOURCE_DIR CERT_DIR
Prints TAP lines and "N passed, N failed"."""
import concurrent.futures, os, re, signal, subprocess, sys, time
import importlib.util, datetime, json
import requests, zeep
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

IMSGW, SIM, SRC, CERTS = sys.argv[1:5]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib"))
from demo_site import DemoSite, Tap, wait_port  # noqa: E402

tap = Tap()
check = tap.check
site = DemoSite(SRC, CERTS, "imsgw-provider-")
work, GW, SIMP = site.work, site.gw_port, site.sim_port
sim_conf = site.write_sim_conf()
# the installation's exit honours IRM_RES1 bit 1 as "trusted user"
sim_text = open(sim_conf).read().replace("trusted_user_flag = 0 ", "trusted_user_flag = 1 ")
open(sim_conf, "w").write(sim_text)
site.copy_bundles()          # the sample bundles and services, pointed at this simulator
# a bundle with a short execution deadline and a service on the SLOW transaction
site.put_bundle("slow.xml", site.bundle("ivtno.xml").replace('name="ivtno"', 'name="slowims"')
                .replace('executionMs="5000"', 'executionMs="1000"'))
site.derive_service("ivtno-static.xml", "slow-service.xml", "Slow", "/slow",
                    subst={'bundle="ivtno"': 'bundle="slowims"', 'transaction="IVTNO"': 'transaction="SLOW"'})
# a bundle whose PassTicket key is wrong, and a service using it
open(work + "/wrong.key", "w").write("11" * 64 + "\n")
os.chmod(work + "/wrong.key", 0o600)
site.put_bundle("badkey.xml", site.bundle("ivtno.xml").replace('name="ivtno"', 'name="badkey"')
                .replace(CERTS + "/passticket-imsgw.key", work + "/wrong.key"))
site.derive_service("ivtno-passticket.xml", "badkey-service.xml", "BadKey", "/badkey",
                    subst={'bundle="ivtno"': 'bundle="badkey"'})
# trusted-user indicator: a bundle that marks mapped users as trusted
site.put_bundle("trusted.xml", site.bundle("ivtno.xml").replace('name="ivtno"', 'name="trustb"')
                .replace('clientIdPrefix="IGW"', 'clientIdPrefix="IGW" trustedUserFlag="1"'))
for user, path in (("USER01", "/trusted"), ("USER02", "/trusted2")):
    site.derive_service("ivtno-passticket.xml", "t-%s.xml" % user, "Trusted" + user, path,
                        subst={'bundle="ivtno"': 'bundle="trustb"', 'racfUser="USER01" credential="passticket"':
                               'racfUser="%s" credential="trusted"' % user})
# a one-way operation (send-only with ACK, HTTP 202)
site.put_bundle("oneway.xml", '''<?xml version="1.0"?>
<service xmlns="urn:imsgw:config:1" name="OneWay" bundle="ivtno" path="/oneway" namespace="urn:imsgw:ivtno">
  <operation name="IVTNOAsync" transaction="IVTNO" oneWay="true">
    <input copybook="%s/copybook/samples/ivtno-in.cpy" segments="INPUT-MSG"/>
  </operation>
  <identity><rule from="certificate" credential="bundle"/></identity>
</service>
''' % SRC)
# a UsernameToken service with the sample custom authentication module
# (denies USER02): a module may wait, so such a service verifies on a worker
# rather than on the listener thread
MODULE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(IMSGW))), "wss",
                      "igw_wss_sample_module.so")
site.derive_service("ivtno-ut.xml", "ut-module.xml", "PhoneBookUTModule", "/utmod",
                    subst={'created="optional"/>': 'created="optional"/>\n    <module path="%s" arg="USER02"/>'
                           % MODULE})
# an XML-adapter service whose converter IMS Connect does not know
site.derive_service("ivtno-xmladapter.xml", "xml-bad.xml", "XmlBad", "/xmlbad",
                    subst={'converter="IVTNOX"': 'converter="NOSUCH"'})
site.write_imsgw_conf("log-level info\nlog-format json\n"
                      'admin-subject "CN=imsgw-dev-client,OU=clients,O=imsgw development"', "threads 1")

procs = {}


def start_sim():
    procs["sim"] = subprocess.Popen([SIM, "-c", work + "/sim.conf"], stdout=open(work + "/sim.log", "a"),
                                    stderr=subprocess.STDOUT)
    return wait_port(SIMP)


def stop(name):
    p = procs.pop(name, None)
    if p:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


try:
    check(start_sim(), "imsconnect-sim starts")
    procs["gw"] = subprocess.Popen([IMSGW, "-c", work + "/imsgw.conf"], stdout=open(work + "/gw.log", "w"),
                                   stderr=subprocess.STDOUT)
    check(wait_port(GW), "imsgw starts with the sample bundles")

    session = requests.Session()
    session.trust_env = False          # REQUESTS_CA_BUNDLE would override verify
    session.verify = CERTS + "/ca.crt"
    session.cert = (CERTS + "/client.crt", CERTS + "/client.key")
    base = "https://localhost:%d" % GW

    def client(path, wsse=None):
        return zeep.Client(base + path + "?wsdl", transport=Transport(session=session), wsse=wsse)

    def fault_reason(f):
        return [d.text for d in f.detail if d.tag.endswith("reason")][0] if f.detail is not None else None

    # WSDL
    w = session.get(base + "/ivtno/static?wsdl")
    check(w.status_code == 200 and 'location="%s/ivtno/static"' % base in w.text,
          "GET ?wsdl serves the WSDL with soap:address of the URL used")

    # phone book through per-service identity (mutual TLS, bundle credentials)
    st = client("/ivtno/static")
    r = st.service.IVTNO(inputMsg={"inCmd": "ADD", "inName1": "ZEEPTEST", "inName2": "ALICE",
                                   "inExtn": "8-555-0001", "inZip": "D99/R99"})
    check(r["outMsg"].startswith("ENTRY WAS ADDED"), "static: ADD")
    r = st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "ZEEPTEST"})
    check(r["outName2"] == "ALICE" and r["outExtn"] == "8-555-0001", "static: DISPLAY returns the added entry")
    r = st.service.IVTNO(inputMsg={"inCmd": "UPDATE", "inName1": "ZEEPTEST", "inName2": "ALICE",
                                   "inExtn": "8-555-0002", "inZip": "D99/R99"})
    check(r["outMsg"].startswith("ENTRY WAS UPDATED"), "static: UPDATE")
    r = st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "ZEEPTEST"})
    check(r["outExtn"] == "8-555-0002", "static: DISPLAY shows the update")
    r = st.service.IVTNO(inputMsg={"inCmd": "DELETE", "inName1": "ZEEPTEST"})
    check(r["outMsg"].startswith("ENTRY WAS DELETED"), "static: DELETE")
    r = st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "ZEEPTEST"})
    check("NOT FOUND" in r["outMsg"].upper() or "NO ENTRY" in r["outMsg"].upper(),
          "static: DISPLAY after DELETE: not found (%s)" % r["outMsg"].strip())

    # conversion refusal: a name longer than PIC X(10)
    try:
        st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "X" * 11})
        check(False, "too-long field is refused")
    except zeep.exceptions.Fault as f:
        check(fault_reason(f) == "CONV-IN-TOO-LONG", "too-long field: fault CONV-IN-TOO-LONG")

    # per-message identity: UsernameToken PasswordText checked by RACF in the simulator
    def ut_call(user, pw, path="/ivtno/ut"):
        try:
            r = client(path, UsernameToken(user, pw)).service.IVTNO(
                inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
            return r["outMsg"].strip()
        except zeep.exceptions.Fault as f:
            return fault_reason(f)

    check(ut_call("USER01", "PASS01") == "ENTRY WAS DISPLAYED", "UsernameToken: good password")
    check(ut_call("USER01", "WRONG") == "IMSC-SECURITY", "UsernameToken: wrong password -> IMSC-SECURITY")
    check(ut_call("REVOKED1", "PASS03") == "IMSC-SECURITY", "UsernameToken: revoked user -> IMSC-SECURITY")
    got = ut_call("USER02", "PASS02")
    check(got == "IMSC-SECURITY", "UsernameToken: user not authorized for IVTNO under OTMA FULL -> IMSC-SECURITY (%s)" % got)
    check(ut_call("bad user!", "x") == "GW-IDENTITY-INVALID", "UsernameToken: a user that is no RACF id -> GW-IDENTITY-INVALID")
    got = ut_call("USER01", "PASS01", "/utmod")
    check(got == "ENTRY WAS DISPLAYED", "custom module service (verified on a worker): allowed user served (%s)" % got)
    got = ut_call("USER02", "PASS02", "/utmod")
    check(got == "WSS-MODULE-DENIED", "custom module service: denied user -> WSS-MODULE-DENIED (%s)" % got)
    got = ut_call("USER01", "WRONG", "/utmod")
    check(got == "IMSC-SECURITY", "custom module service: wrong password still reaches RACF -> IMSC-SECURITY (%s)" % got)
    # no token at all on the UT service
    try:
        client("/ivtno/ut").service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
        check(False, "no token refused")
    except zeep.exceptions.Fault as f:
        check(fault_reason(f) in ("WSS-TOKEN-MISSING", "WSS-SECURITY-MISSING"),
              "UsernameToken service without a token -> %s" % fault_reason(f))

    # SAML: the demo client's assertion builders (deploy/demo-client.py)
    spec = importlib.util.spec_from_file_location("democlient", SRC + "/deploy/demo-client.py")
    dc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dc)

    def saml_call(path, token, sess=None):
        try:
            cl = zeep.Client(base + path + "?wsdl", transport=Transport(session=sess or session), wsse=token)
            return cl.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})["outMsg"].strip()
        except zeep.exceptions.Fault as f:
            return fault_reason(f)

    def signed20(user, key="saml-signer", shift=0):
        aid, xml = dc.saml2_assertion(user, "urn:imsgw:ivtno")
        if shift:
            old = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=shift)
            xml = re.sub(r'NotOnOrAfter="[^"]+"', 'NotOnOrAfter="%s"' % dc.iso(old), xml)
            xml = re.sub(r'NotBefore="[^"]+"', 'NotBefore="%s"' % dc.iso(old - datetime.timedelta(minutes=10)), xml)
        return dc.AssertionToken(dc.xmlsec_sign(xml, CERTS + "/%s.key" % key, CERTS + "/%s.crt" % key))

    check(saml_call("/ivtno/saml20", signed20("USER01")) == "ENTRY WAS DISPLAYED",
          "SAML 2.0 signed by the trusted signer, NameID -> PassTicket: accepted by RACF")
    check(saml_call("/ivtno/saml20", signed20("USER01", shift=-600)) == "SAML-EXPIRED", "expired SAML 2.0 assertion -> SAML-EXPIRED")
    check(saml_call("/ivtno/saml20", signed20("USER01", key="rogue-signer")) == "SAML-SIG-UNTRUSTED",
          "SAML 2.0 signed by a rogue signer -> SAML-SIG-UNTRUSTED")
    check(saml_call("/ivtno/saml20", signed20("USER02")) == "IMSC-SECURITY",
          "SAML 2.0 for a user not authorized for IVTNO is refused by IMS")
    check(saml_call("/ivtno/saml11", dc.AssertionToken(dc.saml1_assertion("ADMIN01"))) == "ENTRY WAS DISPLAYED",
          "SAML 1.1 unsigned from the allowed attester: accepted")
    other = requests.Session()
    other.trust_env = False
    other.verify = CERTS + "/ca.crt"
    other.cert = (CERTS + "/imsgw-client.crt", CERTS + "/imsgw-client.key")
    check(saml_call("/ivtno/saml11", dc.AssertionToken(dc.saml1_assertion("ADMIN01")), other) == "SAML-SV-NO-ATTESTER",
          "SAML 1.1 unsigned from another TLS client -> SAML-SV-NO-ATTESTER")
    try:
        r = client("/ivtno/passticket").service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
        check(r["outMsg"].startswith("ENTRY WAS DISPLAYED"), "certificate -> USER01 with a PassTicket: accepted by RACF")
    except zeep.exceptions.Fault as f:
        check(False, "certificate -> PassTicket: %s" % fault_reason(f))
    try:
        client("/badkey").service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
        check(False, "PassTicket with a wrong key refused")
    except zeep.exceptions.Fault as f:
        check(fault_reason(f) == "IMSC-SECURITY", "PassTicket made with a wrong key -> IMSC-SECURITY")

    # the phone book's four commands through every demo service (each way of identity)
    tokens = {
        "/ivtno/static": lambda: None,
        "/ivtno/ut": lambda: UsernameToken("USER01", "PASS01"),
        "/ivtno/passticket": lambda: None,
        "/ivtno/saml20": lambda: signed20("USER01"),
        "/ivtno/saml11": lambda: dc.AssertionToken(dc.saml1_assertion("ADMIN01")),
    }
    for path, tok in tokens.items():
        name = "CRUD" + path.split("/")[-1][:6].upper()
        def op(cmd, **kw):
            cl = zeep.Client(base + path + "?wsdl", transport=Transport(session=session), wsse=tok())
            return cl.service.IVTNO(inputMsg=dict(inCmd=cmd, inName1=name, **kw))
        try:
            ok = op("ADD", inName2="BOB", inExtn="8-1", inZip="Z1")["outMsg"].startswith("ENTRY WAS ADDED")
            ok &= op("DISPLAY")["outExtn"].strip() == "8-1"
            ok &= op("UPDATE", inName2="BOB", inExtn="8-2", inZip="Z1")["outMsg"].startswith("ENTRY WAS UPDATED")
            ok &= op("DISPLAY")["outExtn"].strip() == "8-2"
            ok &= op("DELETE")["outMsg"].startswith("ENTRY WAS DELETED")
            ok &= "NOT FOUND" in op("DISPLAY")["outMsg"]
            check(ok, "%s: ADD, DISPLAY, UPDATE, DISPLAY, DELETE, DISPLAY" % path)
        except zeep.exceptions.Fault as f:
            check(False, "%s: phone book commands: %s" % (path, fault_reason(f)))

    # trusted user: no password or PassTicket; IMS Connect skips RACF, OTMA still checks
    try:
        r = client("/trusted").service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
        check(r["outMsg"].startswith("ENTRY WAS DISPLAYED"), "trusted-user indicator: accepted without a password")
    except zeep.exceptions.Fault as f:
        check(False, "trusted-user indicator: %s" % fault_reason(f))
    try:
        client("/trusted2").service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
        check(False, "trusted USER02 still refused by OTMA")
    except zeep.exceptions.Fault as f:
        check(fault_reason(f) == "IMSC-SECURITY", "trusted user not authorized for IVTNO: OTMA still refuses (IMSC-SECURITY)")

    # one-way operation: 202 once IMS Connect accepted the message, IMS runs it
    w = session.get(base + "/oneway?wsdl").text
    check("<wsdl:output" not in w and "IVTNOAsyncResponse" not in w, "one-way operation: WSDL without output")
    try:
        oc_ = zeep.Client(base + "/oneway?wsdl", transport=Transport(session=session))
        res1 = oc_.service.IVTNOAsync(inputMsg={"inCmd": "ADD", "inName1": "ONEWAY", "inName2": "X",
                                                 "inExtn": "8-9", "inZip": "Z9"})
        ok = res1 is None
    except Exception as e:
        ok = False
        print("# one-way: %s" % e)
    raw = session.post(base + "/oneway", data='<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
                       '<i:IVTNOAsync xmlns:i="urn:imsgw:ivtno"><i:inputMsg><i:inCmd>ADD</i:inCmd><i:inName1>ONEWAY2</i:inName1>'
                       '</i:inputMsg></i:IVTNOAsync></s:Body></s:Envelope>', headers={"Content-Type": "text/xml"})
    check(ok and raw.status_code == 202 and raw.content == b"", "one-way operation: HTTP 202 with no body")
    time.sleep(0.3)
    r = st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "ONEWAY"})
    check(r["outExtn"].strip() == "8-9", "... and IMS ran it (the entry is in the phone book)")

    # XML-adapter mode: IMS Connect converts the request element's XML
    try:
        xc = zeep.Client(base + "/ivtno/xml?wsdl", transport=Transport(session=session))
        r = xc.service.IVTNO(ivtnoInputMsg={"inCommand": "DISPLAY", "inLastName": "LAST4"})
        check(r["outMessage"].strip() == "ENTRY WAS DISPLAYED" and r["outFirstName"].strip() == "FIRST4",
              "XML-adapter operation: the adapter's answer reaches zeep")
    except zeep.exceptions.Fault as f:
        check(False, "XML-adapter operation: %s" % fault_reason(f))
    xml_env = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
               '<i:IVTNO xmlns:i="urn:imsgw:ivtno"><i:ivtnoInputMsg><i:inCommand>DISPLAY</i:inCommand>'
               '<i:inLastName>LAST1</i:inLastName></i:ivtnoInputMsg></i:IVTNO></s:Body></s:Envelope>')
    r = session.post(base + "/xmlbad", data=xml_env, headers={"Content-Type": "text/xml", "SOAPAction": '"urn:imsgw:ivtno/IVTNO"'})
    check(r.status_code == 500 and "IMSC-XML-ADAPTER" in r.text, "XML adapter error (unknown converter) -> IMSC-XML-ADAPTER")
    w = session.get(base + "/xmlbad?wsdl")
    check(w.status_code == 200 and 'location="%s/xmlbad"' % base in w.text and "8443" not in w.text,
          "XML-adapter service serves its own WSDL, soap:address set to the URL used")

    # replayed UsernameToken (same Nonce twice)
    env = open(work + "/replay.xml", "w")
    nonce = "cmVwbGF5LXRlc3Qtbm9uY2UtMDAx"
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    body = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="urn:imsgw:ivtno">'
            '<s:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" '
            'xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">'
            '<wsse:UsernameToken><wsse:Username>USER01</wsse:Username>'
            '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">PASS01</wsse:Password>'
            '<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">%s</wsse:Nonce>'
            '<wsu:Created>%s</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>'
            '<s:Body><i:IVTNO><i:inputMsg><i:inCmd>DISPLAY</i:inCmd><i:inName1>LAST1</i:inName1></i:inputMsg></i:IVTNO></s:Body></s:Envelope>') % (nonce, created)
    hdr = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"urn:imsgw:ivtno/IVTNO"'}
    r1 = session.post(base + "/ivtno/ut", data=body, headers=hdr)
    r2 = session.post(base + "/ivtno/ut", data=body, headers=hdr)
    check(r1.status_code == 200 and "ENTRY WAS DISPLAYED" in r1.text, "UsernameToken with Nonce: first use accepted")
    check(r2.status_code == 500 and "WSS-UT-NONCE-REPLAY" in r2.text, "UsernameToken with Nonce: replay refused")

    # HTTP-layer refusals before SOAP
    r = session.post(base + "/ivtno/static", data="x", headers={"Content-Type": "application/json"})
    check(r.status_code == 415, "non-SOAP content type: 415")
    r = session.put(base + "/ivtno/static", data=body, headers=hdr)
    check(r.status_code == 405, "PUT: 405")
    plain = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="urn:imsgw:ivtno"><s:Body>'
             '<i:NOPE><i:inputMsg><i:inCmd>DISPLAY</i:inCmd></i:inputMsg></i:NOPE></s:Body></s:Envelope>')
    r = session.post(base + "/ivtno/static", data=plain, headers={"Content-Type": "text/xml"})
    check(r.status_code == 500 and "GW-OPERATION" in r.text, "unknown operation: fault GW-OPERATION")
    r = session.post(base + "/ivtno/static", data='<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
                     headers={"Content-Type": "text/xml"})
    check(r.status_code in (400, 500) and "root:" not in r.text, "XXE attempt refused, nothing leaked")

    # SOAP 1.2 by hand
    env12 = ('<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:i="urn:imsgw:ivtno"><e:Body>'
             '<i:IVTNO><i:inputMsg><i:inCmd>DISPLAY</i:inCmd><i:inName1>LAST1</i:inName1></i:inputMsg></i:IVTNO></e:Body></e:Envelope>')
    r = session.post(base + "/ivtno/static", data=env12,
                     headers={"Content-Type": 'application/soap+xml; charset=utf-8; action="urn:imsgw:ivtno/IVTNO"'})
    tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    r0 = session.post(base + "/ivtno/static", data=env12, headers={"traceparent": tp,
                      "Content-Type": 'application/soap+xml; charset=utf-8; action="urn:imsgw:ivtno/IVTNO"'})
    wsa = env12.replace("<e:Body>", '<e:Header><a:MessageID xmlns:a="http://www.w3.org/2005/08/addressing">'
                        'urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da</a:MessageID></e:Header><e:Body>')
    r1 = session.post(base + "/ivtno/static", data=wsa,
                      headers={"Content-Type": 'application/soap+xml; charset=utf-8; action="urn:imsgw:ivtno/IVTNO"'})
    time.sleep(0.1)
    glog = open(work + "/gw.log").read()
    events = [json.loads(l) for l in glog.splitlines() if l.startswith("{") and '"event":"soap"' in l]
    traces = [e["trace"] for e in events]
    check(r0.status_code == 200 and r1.status_code == 200 and "4bf92f3577b34da6a3ce929d0e0e4736" in traces
          and "urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da" in traces,
          "traceparent and WS-Addressing MessageID appear in the request log")
    e = [e for e in events if e["service"] == "PhoneBookUT" and e["reason"] == "IMSC-SECURITY"][0]
    check(e["identity"] == "USER01" and e["racf_user"] == "USER01" and e["credential"] == "token"
          and e["outcome"] == "fault" and e["ims_rc"] == 8 and e["ims_rsn"] == 40
          and isinstance(e["latency_ms"], int) and "req" in e,
          "JSON request log line: service, identity, RACF user, credential, outcome, reason, IMS RC/RSN, latency")
    check(r.status_code == 200 and "application/soap+xml" in r.headers.get("Content-Type", "")
          and "http://www.w3.org/2003/05/soap-envelope" in r.text and "ENTRY WAS DISPLAYED" in r.text,
          "SOAP 1.2 request gets a SOAP 1.2 response")

    # 100 concurrent clients: every answer is the caller's own
    names = ["LAST%d" % (i % 5 + 1) for i in range(100)]
    def one(i):
        c = client("/ivtno/static")
        return c.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": names[i]})["outName1"].strip()
    with concurrent.futures.ThreadPoolExecutor(max_workers=100) as ex:
        answers = list(ex.map(one, range(100)))
    check(answers == names, "100 concurrent clients get their own, uncrossed answers")

    # deadline: the SLOW transaction (3 s) against a 1 s execution deadline
    t0 = time.time()
    try:
        client("/slow").service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
        check(False, "timeout fault")
    except zeep.exceptions.Fault as f:
        el = time.time() - t0
        check(fault_reason(f) == "IMSC-TIMEOUT" and el < 2.5, "slow transaction: IMSC-TIMEOUT within the deadline (%.2f s)" % el)

    # a slow transaction does not hold other clients up (one listener thread)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
        slow_calls = [ex.submit(lambda: session.post(base + "/slow", data=env12.replace("LAST1", "SLOW"),
                      headers={"Content-Type": 'application/soap+xml; action="urn:imsgw:ivtno/IVTNO"'}))
                      for _ in range(2)]
        time.sleep(0.2)
        t0 = time.time()
        r = st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST2"})
        el = time.time() - t0
        h = session.get(base + "/healthz")
        check(r["outName1"].strip() == "LAST2" and el < 0.5 and h.status_code == 200,
              "while 2 slow transactions wait on IMS, other requests are served (%.3f s)" % el)
        for f in slow_calls:
            f.result()

    # hot reload under load: SIGHUP and POST /admin/reload while clients call
    stop_load = False
    results = []
    def load_loop():
        c = client("/ivtno/static")
        while not stop_load:
            try:
                r = c.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST3"})
                results.append(r["outName1"].strip() == "LAST3")
            except Exception as e:
                results.append(False)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
        futs = [ex.submit(load_loop) for _ in range(8)]
        admin_ok = True
        for i in range(10):
            time.sleep(0.25)
            if i % 2:
                procs["gw"].send_signal(signal.SIGHUP)
            else:
                admin_ok &= session.post(base + "/admin/reload").status_code == 200
        stop_load = True
        for f in futs:
            f.result()
    check(admin_ok, "POST /admin/reload by the admin certificate: 200")
    check(len(results) > 50 and all(results),
          "%d requests during 10 reloads: %d failed" % (len(results), results.count(False)))
    other = requests.Session()
    other.trust_env = False
    other.verify = CERTS + "/ca.crt"
    other.cert = (CERTS + "/imsgw-client.crt", CERTS + "/imsgw-client.key")
    check(other.post(base + "/admin/reload").status_code == 403, "POST /admin/reload by another certificate: 403")
    # a broken file: reload refused, the running configuration keeps serving
    open(work + "/bundles/zz-broken.xml", "w").write('<service xmlns="urn:imsgw:config:1" name="X"/>\n')
    r = session.post(base + "/admin/reload")
    check(r.status_code == 422, "reload with a broken file is refused (422)")
    check("zz-broken.xml:1:" in open(work + "/gw.log").read(), "the broken file is reported as file:line")
    r = st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
    check(r["outMsg"].startswith("ENTRY WAS DISPLAYED"), "the old configuration still serves")
    # a new service appears with a reload
    os.remove(work + "/bundles/zz-broken.xml")
    svc = open(work + "/bundles/ivtno-static.xml").read()
    svc = svc.replace('name="PhoneBookStatic"', 'name="Added"').replace('path="/ivtno/static"', 'path="/added"')
    open(work + "/bundles/added.xml", "w").write(svc)
    check(session.get(base + "/added?wsdl").status_code == 404, "new service unknown before reload")
    procs["gw"].send_signal(signal.SIGHUP)
    ok = False
    for _ in range(40):
        time.sleep(0.1)
        if session.get(base + "/added?wsdl").status_code == 200:
            ok = True
            break
    check(ok, "after SIGHUP the new service answers")
    r3 = session.post(base + "/ivtno/ut", data=body, headers=hdr)
    check(r3.status_code == 500 and "WSS-UT-NONCE-REPLAY" in r3.text, "a nonce seen before a reload is still refused after it")

    # IMS Connect down: a fast fault, then recovery without restarting imsgw
    stop("sim")
    t0 = time.time()
    try:
        st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})
        check(False, "IMS Connect down: fault")
    except zeep.exceptions.Fault as f:
        el = time.time() - t0
        check(fault_reason(f) in ("IMSC-CONNECT", "IMSC-TIMEOUT", "GW-OVERLOADED") and el < 3,
              "IMS Connect down: fault %s in %.2f s" % (fault_reason(f), el))
    check(start_sim(), "imsconnect-sim restarted")
    ok = False
    for _ in range(60):
        try:
            ok = st.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": "LAST1"})["outMsg"].startswith("ENTRY WAS DISPLAYED")
            break
        except zeep.exceptions.Fault:
            time.sleep(0.5)
    check(ok, "service recovers when IMS Connect is back, imsgw not restarted")
    check(procs["gw"].poll() is None, "imsgw still running")
    m = session.get(base + "/metrics").text
    check('imsgw_soap_requests_total{service="PhoneBookStatic",reason="GW-OK"}' in m
          and 'imsgw_soap_requests_total{service="PhoneBookUT",reason="IMSC-SECURITY"} 3' in m
          and 'imsgw_reloads_total{result="ok"}' in m and 'imsgw_reloads_total{result="failed"} 1' in m
          and 'imsgw_imsconnect_connections{bundle="ivtno",state="idle"}' in m
          and 'imsgw_soap_request_duration_seconds_count{service="Slow"}' in m,
          "GET /metrics: requests by service and reason, latency, reloads, pools")
    wss_n = {k: float(v) for k, v in re.findall(r'imsgw_wss_verifications_total\{kind="(\w+)"\} (\d+)', m)}
    wss_sum = {k: float(v) for k, v in re.findall(r'imsgw_wss_verify_seconds_sum\{kind="(\w+)"\} ([0-9.]+)', m)}
    wss_cnt = {k: float(v) for k, v in re.findall(r'imsgw_wss_verify_seconds_count\{kind="(\w+)"\} (\d+)', m)}
    buckets = {}
    for k, le, v in re.findall(r'imsgw_wss_verify_seconds_bucket\{kind="(\w+)",le="([^"]+)"\} (\d+)', m):
        buckets.setdefault(k, []).append((float("inf") if le == "+Inf" else float(le), int(v)))
    hist_ok = all(len(b) == 25 and [v for _, v in b] == sorted(v for _, v in b)
                  and [le for le, _ in b] == sorted(le for le, _ in b) and b[-1][1] == wss_n.get(k)
                  for k, b in buckets.items()) and len(buckets) == 5
    check(wss_n.get("usernametoken", 0) >= 1 and wss_n.get("saml", 0) >= 1 and wss_n.get("rejected", 0) >= 1
          and wss_cnt == wss_n and hist_ok
          and 0 < wss_sum.get("usernametoken", 0) < wss_n["usernametoken"] * 0.01
          and 0 < wss_sum.get("saml", 0) < wss_n["saml"] * 0.05,
          "GET /metrics: WS-Security verifications and their time by kind, histogram consistent (%s)" % wss_n)
    log = open(work + "/gw.log").read()
    check("PASS01" not in log and "WRONG" not in log, "no password in the gateway log")
finally:
    stop("gw")
    stop("sim")
    if tap.failed:
        for f in ("gw.log", "sim.log"):
            print("# ---- %s (tail)" % f)
            for line in open(work + "/" + f).read().splitlines()[-40:]:
                print("# " + line)
    site.cleanup()

sys.exit(tap.done())
