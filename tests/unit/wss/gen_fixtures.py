#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the igw_wss test fixtures with real third-party tools.

    gen_fixtures.py CERT_DIR OUT_DIR

UsernameToken envelopes come from python3-zeep (its wsse.UsernameToken plugin,
applied by Client.create_message without any server).  SAML 1.1 / 2.0
assertions are signed by the xmlsec1 command-line tool with the dev CA's SAML
signer, the rogue (self-signed) signer, the expired client certificate and an
ECDSA signer issued here by the dev CA; tampered copies are derived from the
signed bytes.  Every time-dependent field is computed from the current time,
so the fixtures are regenerated on every test run.  If CERT_DIR/ca.crt is
missing, certs/gen-dev-certs.sh is run to create CERT_DIR.

Alongside each fixture nothing else is written; facts the tests need (signer
subjects, fingerprints) go to OUT_DIR/meta.txt as KEY=VALUE lines.
"""
import base64
import datetime
import hashlib
import os
import re
import subprocess
import sys

from lxml import etree
import zeep
from zeep.wsse.username import UsernameToken
from zeep.wsse import utils as wsse_utils

NS_WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
NS_WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
NS_S11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS_S12 = "http://www.w3.org/2003/05/soap-envelope"
SAML1 = "urn:oasis:names:tc:SAML:1.0:assertion"
SAML2 = "urn:oasis:names:tc:SAML:2.0:assertion"
AUDIENCE = "urn:imsgw:test:service"
ISSUER = "urn:imsgw:test:idp"
USER = "alice"
PASSWORD = "s3cret-Pa55"

WSDL = """<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  xmlns:tns="urn:imsgw:test" targetNamespace="urn:imsgw:test">
  <types><xsd:schema targetNamespace="urn:imsgw:test" elementFormDefault="qualified">
    <xsd:element name="Inquiry"><xsd:complexType><xsd:sequence>
      <xsd:element name="account" type="xsd:string"/></xsd:sequence></xsd:complexType></xsd:element>
    <xsd:element name="InquiryResponse" type="xsd:string"/>
  </xsd:schema></types>
  <message name="In"><part name="p" element="tns:Inquiry"/></message>
  <message name="Out"><part name="p" element="tns:InquiryResponse"/></message>
  <portType name="PT"><operation name="Inquiry"><input message="tns:In"/><output message="tns:Out"/></operation></portType>
  <binding name="B11" type="tns:PT"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Inquiry"><soap:operation soapAction="urn:inquiry"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation></binding>
  <binding name="B12" type="tns:PT"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Inquiry"><soap12:operation soapAction="urn:inquiry"/><input><soap12:body use="literal"/></input><output><soap12:body use="literal"/></output></operation></binding>
  <service name="S">
    <port name="P11" binding="tns:B11"><soap:address location="https://localhost:8443/inquiry"/></port>
    <port name="P12" binding="tns:B12"><soap12:address location="https://localhost:8443/inquiry"/></port>
  </service>
</definitions>
"""


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def iso(dt):
    return dt.replace(microsecond=0).isoformat() + "Z"


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def write(out, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- zeep UT
def zeep_envelope(out, wsdl_path, port, wsse):
    client = zeep.Client(wsdl_path, wsse=wsse)
    service = client.bind("S", port)
    env = client.create_message(service, "Inquiry", account="12345")
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def timestamp(created, expires):
    return wsse_utils.WSU.Timestamp(wsse_utils.WSU.Created(iso(created)),
                                    wsse_utils.WSU.Expires(iso(expires)))


def gen_ut(out):
    wsdl = os.path.join(out, "test.wsdl")
    write(out, "test.wsdl", WSDL)
    now = utcnow()
    ts_ok = lambda: timestamp(now, now + datetime.timedelta(minutes=5))
    cases = {
        "ut_text.xml": ("P11", UsernameToken(USER, PASSWORD)),
        "ut_text_ts.xml": ("P11", UsernameToken(USER, PASSWORD, timestamp_token=ts_ok())),
        "ut_digest.xml": ("P11", UsernameToken(USER, PASSWORD, use_digest=True)),
        "ut_digest_ts.xml": ("P11", UsernameToken(USER, PASSWORD, use_digest=True, timestamp_token=ts_ok())),
        "ut_digest_zulu.xml": ("P11", UsernameToken(USER, PASSWORD, use_digest=True, zulu_timestamp=True)),
        "ut_digest_soap12.xml": ("P12", UsernameToken(USER, PASSWORD, use_digest=True)),
        "ut_text_soap12.xml": ("P12", UsernameToken(USER, PASSWORD)),
        "ut_digest_badpw.xml": ("P11", UsernameToken(USER, "not-the-password", use_digest=True)),
        "ut_text_badpw.xml": ("P11", UsernameToken(USER, "not-the-password")),
        "ut_digest_unknown.xml": ("P11", UsernameToken("mallory", PASSWORD, use_digest=True)),
        "ut_digest_old.xml": ("P11", UsernameToken(USER, PASSWORD, use_digest=True,
                                                   created=now - datetime.timedelta(hours=1))),
        "ut_digest_future.xml": ("P11", UsernameToken(USER, PASSWORD, use_digest=True,
                                                      created=now + datetime.timedelta(hours=1))),
        "ut_digest_ts_expired.xml": ("P11", UsernameToken(
            USER, PASSWORD, use_digest=True,
            timestamp_token=timestamp(now - datetime.timedelta(minutes=20),
                                      now - datetime.timedelta(minutes=15)))),
        "ut_digest_ts_future.xml": ("P11", UsernameToken(
            USER, PASSWORD, use_digest=True,
            timestamp_token=timestamp(now + datetime.timedelta(minutes=20),
                                      now + datetime.timedelta(minutes=25)))),
        "ut_noauth.xml": ("P11", UsernameToken(USER)),
    }
    for name, (port, token) in cases.items():
        write(out, name, zeep_envelope(out, wsdl, port, token))
    # PasswordText tokens with a Nonce and/or Created (zeep only adds them to
    # digest tokens): derived from zeep's text envelope with lxml.
    for name, nonce, created in (("ut_text_nonce.xml", True, False), ("ut_text_created.xml", False, True),
                                 ("ut_text_both.xml", True, True)):
        doc = etree.fromstring(open(os.path.join(out, "ut_text.xml"), "rb").read())
        token = doc.find(".//{%s}UsernameToken" % NS_WSSE)
        if nonce:
            n = etree.SubElement(token, "{%s}Nonce" % NS_WSSE, EncodingType=
                                 "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary")
            n.text = base64.b64encode(os.urandom(16)).decode()
        if created:
            c = etree.SubElement(token, "{%s}Created" % NS_WSU)
            c.text = iso(now)
        write(out, name, etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))
    # No Security header at all (zeep without wsse).
    write(out, "plain.xml", zeep_envelope(out, wsdl, "P11", None))
    # Hostile variants derived from zeep's envelope.
    base = open(os.path.join(out, "ut_text.xml"), "rb").read().decode()
    body_start = base.index("?>") + 2
    write(out, "doctype.xml", base[:body_start] +
          '\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + base[body_start:])
    write(out, "xxe.xml", base[:body_start] +
          '\n<!DOCTYPE x SYSTEM "file:///etc/passwd">' + base[body_start:])
    hdr = base.index("<soap-env:Header>") + len("<soap-env:Header>")
    write(out, "must_understand.xml", base[:hdr] +
          '<x:Unknown xmlns:x="urn:unknown" soap-env:mustUnderstand="1">?</x:Unknown>' + base[hdr:])
    write(out, "must_understand_other_actor.xml", base[:hdr] +
          '<x:Unknown xmlns:x="urn:unknown" soap-env:mustUnderstand="1" '
          'soap-env:actor="urn:someone-else">?</x:Unknown>' + base[hdr:])
    sec = re.search(r"<wsse:Security[^>]*>.*?</wsse:Security>", base, re.S).group(0)
    write(out, "two_security.xml", base[:hdr] + sec + base[hdr:])
    deep = "<a>" * 100 + "</a>" * 100
    write(out, "deep.xml", base.replace("<ns0:account>", "<ns0:account>" + deep))
    write(out, "not_soap.xml", '<?xml version="1.0"?><Envelope><Body/></Envelope>')


# ---------------------------------------------------------------- SAML
def saml2(aid, now, nb, noa, method="sender-vouches", audience=AUDIENCE, name="alice.evil.example",
          onetime=False, sig_alg="rsa-sha256", digest="sha256", signed=True, confirmation_data=""):
    cond_extra = "<saml2:OneTimeUse/>" if onetime else ""
    aud = ("<saml2:AudienceRestriction><saml2:Audience>%s</saml2:Audience></saml2:AudienceRestriction>"
           % audience) if audience else ""
    return (
        '<saml2:Assertion xmlns:saml2="%s" ID="%s" IssueInstant="%s" Version="2.0">'
        "<saml2:Issuer>%s</saml2:Issuer>%s"
        "<saml2:Subject><saml2:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified\">%s</saml2:NameID>"
        '<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:%s">%s</saml2:SubjectConfirmation></saml2:Subject>'
        '<saml2:Conditions NotBefore="%s" NotOnOrAfter="%s">%s%s</saml2:Conditions>'
        '<saml2:AuthnStatement AuthnInstant="%s"><saml2:AuthnContext><saml2:AuthnContextClassRef>'
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>"
        "</saml2:AuthnContext></saml2:AuthnStatement>"
        '<saml2:AttributeStatement><saml2:Attribute Name="racfGroup"><saml2:AttributeValue>PAYROLL</saml2:AttributeValue>'
        "</saml2:Attribute></saml2:AttributeStatement>"
        "</saml2:Assertion>"
    ) % (SAML2, aid, iso(now), ISSUER, sig_template(aid, sig_alg, digest) if signed else "", name,
         method, confirmation_data, iso(nb), iso(noa), aud, cond_extra, iso(now))


def saml1(aid, now, nb, noa, method="sender-vouches", name="alice.evil.example", signed=True):
    return (
        '<saml:Assertion xmlns:saml="%s" MajorVersion="1" MinorVersion="1" AssertionID="%s" '
        'Issuer="%s" IssueInstant="%s">'
        '<saml:Conditions NotBefore="%s" NotOnOrAfter="%s"><saml:AudienceRestrictionCondition>'
        "<saml:Audience>%s</saml:Audience></saml:AudienceRestrictionCondition></saml:Conditions>"
        '<saml:AuthenticationStatement AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:password" '
        'AuthenticationInstant="%s"><saml:Subject><saml:NameIdentifier>%s</saml:NameIdentifier>'
        "<saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:%s"
        "</saml:ConfirmationMethod></saml:SubjectConfirmation></saml:Subject></saml:AuthenticationStatement>"
        "%s</saml:Assertion>"
    ) % (SAML1, aid, ISSUER, iso(now), iso(nb), iso(noa), AUDIENCE, iso(now), name, method,
         sig_template(aid, "rsa-sha256", "sha256") if signed else "")


SIG_URIS = {
    "rsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "ecdsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "rsa-sha1": "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    "sha256": "http://www.w3.org/2001/04/xmlenc#sha256",
    "sha1": "http://www.w3.org/2000/09/xmldsig#sha1",
}


def incl_ns(prefixes):
    """ec:InclusiveNamespaces child of an exclusive C14N method/transform."""
    if prefixes is None:
        return ""
    return ('<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="%s"/>'
            % prefixes)


def sig_template(aid, sig_alg, digest, si_prefixes=None, ref_prefixes=None):
    def c14n(tag, prefixes):
        if prefixes is None:
            return '<ds:%s Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' % tag
        return ('<ds:%s Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">%s</ds:%s>'
                % (tag, incl_ns(prefixes), tag))
    return (
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        + c14n("CanonicalizationMethod", si_prefixes) +
        '<ds:SignatureMethod Algorithm="%s"/>'
        '<ds:Reference URI="#%s"><ds:Transforms>'
        '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        + c14n("Transform", ref_prefixes) + '</ds:Transforms>'
        '<ds:DigestMethod Algorithm="%s"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>'
        "<ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"
    ) % (SIG_URIS[sig_alg], aid, SIG_URIS[digest])


def xmlsec_sign(out, xml, version, key, cert):
    tmpl = os.path.join(out, "tmpl.xml")
    signed = os.path.join(out, "signed.xml")
    write(out, "tmpl.xml", xml)
    idattr = ["--id-attr:ID", SAML2 + ":Assertion"] if version == 2 else \
             ["--id-attr:AssertionID", SAML1 + ":Assertion"]
    run(["xmlsec1", "--sign", "--privkey-pem", "%s,%s" % (key, cert)] + idattr +
        ["--output", signed, tmpl])
    data = open(signed, encoding="utf-8").read()
    os.unlink(tmpl)
    os.unlink(signed)
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", data)


def envelope(assertion, extra_header="", body_extra=""):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soap:Envelope xmlns:soap="%s"><soap:Header>%s'
        '<wsse:Security xmlns:wsse="%s" xmlns:wsu="%s" soap:mustUnderstand="1">%s</wsse:Security>'
        "</soap:Header><soap:Body><ns0:Inquiry xmlns:ns0=\"urn:imsgw:test\"%s><ns0:account>12345</ns0:account>"
        "</ns0:Inquiry></soap:Body></soap:Envelope>"
    ) % (NS_S11, extra_header, NS_WSSE, NS_WSU, assertion, body_extra)


def gen_saml(out, certs):
    now = utcnow()
    m = datetime.timedelta(minutes=1)
    dev = (os.path.join(certs, "saml-signer.key"), os.path.join(certs, "saml-signer.crt"))
    rogue = (os.path.join(certs, "rogue-signer.key"), os.path.join(certs, "rogue-signer.crt"))
    expired = (os.path.join(certs, "expired-client.key"), os.path.join(certs, "expired-client.crt"))
    ec = make_ec_signer(out, certs)
    fresh = dict(now=now, nb=now - m, noa=now + 10 * m)
    n = [0]

    def aid():
        n[0] += 1
        return "_a%s%04d" % (hashlib.sha1(os.urandom(8)).hexdigest()[:16], n[0])

    def s2(signer=dev, **kw):
        a = aid()
        args = dict(fresh)
        args.update({k: v for k, v in kw.items() if k in ("now", "nb", "noa")})
        rest = {k: v for k, v in kw.items() if k not in ("now", "nb", "noa")}
        xml = saml2(a, args["now"], args["nb"], args["noa"], **rest)
        if rest.get("signed", True):
            xml = xmlsec_sign(out, xml, 2, *signer)
        return a, xml

    def s1(signer=dev, **kw):
        a = aid()
        xml = saml1(a, fresh["now"], fresh["nb"], fresh["noa"], **kw)
        if kw.get("signed", True):
            xml = xmlsec_sign(out, xml, 1, *signer)
        return a, xml

    a_ok, ok = s2()
    write(out, "s2_signed.xml", envelope(ok))
    write(out, "s2_signed_again.xml", envelope(s2()[1]))
    write(out, "s1_signed.xml", envelope(s1()[1]))
    write(out, "s2_unsigned.xml", envelope(s2(signed=False)[1]))
    write(out, "s1_unsigned.xml", envelope(s1(signed=False)[1]))
    write(out, "s2_rogue.xml", envelope(s2(rogue)[1]))
    write(out, "s2_ec.xml", envelope(s2(ec, sig_alg="ecdsa-sha256")[1]))
    write(out, "s2_expired_cert.xml", envelope(s2(expired)[1]))
    write(out, "s2_sha1.xml", envelope(s2(sig_alg="rsa-sha1", digest="sha1")[1]))
    write(out, "s2_expired.xml", envelope(s2(now=now - 30 * m, nb=now - 31 * m, noa=now - 20 * m)[1]))
    write(out, "s2_notyet.xml", envelope(s2(nb=now + 20 * m, noa=now + 30 * m)[1]))
    write(out, "s2_bearer.xml", envelope(s2(method="bearer")[1]))
    write(out, "s2_hok.xml", envelope(s2(method="holder-of-key")[1]))
    client_b64 = "".join(l for l in open(os.path.join(certs, "client.crt")).read().splitlines()
                         if not l.startswith("-----"))
    write(out, "s2_hok_client.xml", envelope(s2(method="holder-of-key", confirmation_data=(
        '<saml2:SubjectConfirmationData xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:type="saml2:KeyInfoConfirmationDataType"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        "<ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
        "</saml2:SubjectConfirmationData>" % client_b64))[1]))
    write(out, "s2_wrong_audience.xml", envelope(s2(audience="urn:some:other:service")[1]))
    write(out, "s2_onetime.xml", envelope(s2(onetime=True)[1]))
    write(out, "s1_bearer.xml", envelope(s1(method="bearer")[1]))

    # ---- tampered copies of the dev-signed assertion ----
    name = "alice.evil.example"
    assert ok.count(">%s<" % name) == 1
    write(out, "s2_tampered_nameid.xml", envelope(ok.replace(">%s<" % name, ">admin<")))
    # Comment truncation: exclusive C14N drops comments, so the signature still
    # verifies; a reader that takes the first text node would see "alice".
    write(out, "s2_comment_nameid.xml", envelope(ok.replace(">%s<" % name, ">alice<!---->.evil.example<")))
    write(out, "s2_no_sigvalue.xml",
          envelope(re.sub(r"<SignatureValue>.*?</SignatureValue>|<ds:SignatureValue>.*?</ds:SignatureValue>",
                          "", ok, flags=re.S)))
    write(out, "s2_sig_removed.xml", envelope(re.sub(r"<ds:Signature.*</ds:Signature>", "", ok, flags=re.S)))
    sig = re.search(r"<ds:Signature.*</ds:Signature>", ok, re.S).group(0)
    evil_id = aid()
    evil = saml2(evil_id, now, now - m, now + 10 * m, name="admin", signed=False)
    # XSW 1: evil assertion (own ID) carries the original signature, whose
    # Reference still points at the original, hidden inside ds:Object.
    evil_sig_obj = sig.replace("</ds:Signature>", "<ds:Object>%s</ds:Object></ds:Signature>" % ok)
    write(out, "s2_xsw_object.xml", envelope(insert_after_issuer(evil, evil_sig_obj)))
    # XSW 2: evil assertion takes the original ID; original moved to another header.
    evil_same_id = saml2(a_ok, now, now - m, now + 10 * m, name="admin", signed=False)
    write(out, "s2_xsw_same_id.xml",
          envelope(insert_after_issuer(evil_same_id, sig), extra_header='<w:Wrap xmlns:w="urn:w">%s</w:Wrap>' % ok))
    # XSW 3: evil assertion with a new ID carries the original signature;
    # the original sits in another (non mustUnderstand) header.
    write(out, "s2_xsw_wrapper.xml",
          envelope(insert_after_issuer(evil, sig), extra_header='<w:Wrap xmlns:w="urn:w">%s</w:Wrap>' % ok))
    # Duplicate ID: a Body element claims the assertion's ID as its wsu:Id.
    write(out, "s2_dup_id.xml", envelope(ok, body_extra=' wsu:Id="%s" xmlns:wsu="%s"' % (a_ok, NS_WSU)))
    # Two assertions in the Security header.
    write(out, "s2_two_assertions.xml", envelope(ok + saml2(aid(), now, now - m, now + 10 * m, signed=False)))
    # A second Reference added to SignedInfo.
    write(out, "s2_two_refs.xml", envelope(re.sub(r"(<ds:Reference .*?</ds:Reference>)", r"\1\1", ok,
                                                  count=1, flags=re.S)))

    # InclusiveNamespaces PrefixList, the whole envelope signed in place by
    # the xmlsec1 CLI (so that ancestors' declarations are in scope when
    # signing): the Reference transform keeps "xs" (used only inside an
    # attribute value, xsi:type="xs:string") and "wsu" (declared on the
    # Security header), SignedInfo keeps "wsu".  Changing either declaration
    # must break the signature, which only happens if PrefixList is honoured.
    incl_id = aid()
    incl = saml2(incl_id, now, now - m, now + 10 * m, signed=False)
    incl = incl.replace('<saml2:Assertion xmlns:saml2="%s"' % SAML2,
                        '<saml2:Assertion xmlns:saml2="%s" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' % SAML2, 1)
    incl = incl.replace("<saml2:AttributeValue>", '<saml2:AttributeValue xsi:type="xs:string">', 1)
    incl = insert_after_issuer(incl, sig_template(incl_id, "rsa-sha256", "sha256",
                                                  si_prefixes="wsu", ref_prefixes="xs wsu"))
    incl_env = xmlsec_sign(out, envelope(incl), 2, *dev)
    assert 'PrefixList="xs wsu"' in incl_env and 'PrefixList="wsu"' in incl_env
    write(out, "s2_incl_ns.xml", incl_env)
    xs_decl = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"'
    assert incl_env.count(xs_decl) == 1
    write(out, "s2_incl_ns_xs_changed.xml", incl_env.replace(xs_decl, 'xmlns:xs="urn:evil:schema"'))
    wsu_decl = 'xmlns:wsu="%s"' % NS_WSU
    assert incl_env.count(wsu_decl) == 1
    write(out, "s2_incl_ns_wsu_changed.xml", incl_env.replace(wsu_decl, 'xmlns:wsu="urn:evil:wsu"'))

    # Self-check with the xmlsec1 CLI: the comment-truncation copy still
    # carries a valid signature (that is the attack), the changed NameID does not.
    ca = os.path.join(certs, "ca.crt")
    assert xmlsec_verifies(out, "s2_signed.xml", ca)
    assert xmlsec_verifies(out, "s2_comment_nameid.xml", ca)
    assert not xmlsec_verifies(out, "s2_tampered_nameid.xml", ca)
    assert xmlsec_verifies(out, "s2_incl_ns.xml", ca)
    assert not xmlsec_verifies(out, "s2_incl_ns_xs_changed.xml", ca)
    assert not xmlsec_verifies(out, "s2_incl_ns_wsu_changed.xml", ca)

    meta = {
        "ISSUER": ISSUER,
        "AUDIENCE": AUDIENCE,
        "USER": USER,
        "PASSWORD": PASSWORD,
        "SIGNER_SUBJECT": subject(dev[1]),
        "SIGNER_FP": fingerprint(dev[1]),
        "ROGUE_SUBJECT": subject(rogue[1]),
        "CLIENT_SUBJECT": subject(os.path.join(certs, "client.crt")),
        "CLIENT_FP": fingerprint(os.path.join(certs, "client.crt")),
    }
    write(out, "meta.txt", "".join("%s=%s\n" % kv for kv in meta.items()))


def xmlsec_verifies(out, name, ca):
    r = subprocess.run(["xmlsec1", "--verify", "--trusted-pem", ca, "--id-attr:ID", SAML2 + ":Assertion",
                        os.path.join(out, name)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def insert_after_issuer(assertion, sig):
    i = assertion.index("</saml2:Issuer>") + len("</saml2:Issuer>")
    return assertion[:i] + sig + assertion[i:]


def subject(cert):
    out = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-subject", "-nameopt", "RFC2253"],
                         check=True, capture_output=True, text=True).stdout.strip()
    return out.split("=", 1)[1]


def fingerprint(cert):
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"], check=True,
                         capture_output=True).stdout
    return "sha256:" + hashlib.sha256(der).hexdigest()


def make_ec_signer(out, certs):
    key = os.path.join(out, "ec-signer.key")
    crt = os.path.join(out, "ec-signer.crt")
    csr = os.path.join(out, "ec-signer.csr")
    run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
    run(["openssl", "req", "-new", "-key", key, "-subj", "/CN=imsgw-test-ec-signer/O=imsgw development",
         "-out", csr])
    run(["openssl", "x509", "-req", "-in", csr, "-CA", os.path.join(certs, "ca.crt"), "-CAkey",
         os.path.join(certs, "ca.key"), "-CAcreateserial", "-CAserial", os.path.join(out, "ca.srl"),
         "-days", "2", "-sha256", "-out", crt])
    os.unlink(csr)
    return key, crt


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    certs, out = sys.argv[1], sys.argv[2]
    if not os.path.exists(os.path.join(certs, "ca.crt")):
        here = os.path.dirname(os.path.abspath(__file__))
        script = os.path.join(here, "..", "..", "..", "certs", "gen-dev-certs.sh")
        run([script, "--quiet", certs])
    os.makedirs(out, exist_ok=True)
    gen_ut(out)
    gen_saml(out, certs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
