#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Call the demo's IVTNO phone book services with python3-zeep, one per way of
proving who the caller is:

  static      mutual TLS only; IMS sees the bundle's user         /ivtno/static
  ut          WS-Security UsernameToken (PasswordText, RACF)     /ivtno/ut
  passticket  client certificate mapped to USER01 + PassTicket   /ivtno/passticket
  saml20      signed SAML 2.0 sender-vouches, trust one          /ivtno/saml20
  saml11      unsigned SAML 1.1 sender-vouches, allowed attester /ivtno/saml11
  xml         IMS Connect's XML adapter converts (IMS SOAP Gateway style) /ivtno/xml

usage: /usr/bin/python3 deploy/demo-client.py [--url https://localhost:8443]
                                              [--certs certs/dev] [--name LAST1] [WAY...]
SAML assertions are built here and signed with the xmlsec1 command-line tool
by the development SAML signer (certs/dev/saml-signer.*)."""
import argparse, datetime, os, re, subprocess, sys, tempfile, uuid
import requests, zeep
from lxml import etree
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SAML1 = "urn:oasis:names:tc:SAML:1.0:assertion"
SAML2 = "urn:oasis:names:tc:SAML:2.0:assertion"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class AssertionToken:
    """zeep WS-Security plugin: puts a ready SAML assertion in wsse:Security."""

    def __init__(self, assertion_xml):
        self.assertion = etree.fromstring(assertion_xml.encode())

    def apply(self, envelope, headers):
        soap_ns = envelope.nsmap.get("soap-env") or envelope.tag[1:].split("}")[0]
        header = envelope.find("{%s}Header" % soap_ns)
        if header is None:
            header = etree.Element("{%s}Header" % soap_ns)
            envelope.insert(0, header)
        sec = etree.SubElement(header, "{%s}Security" % WSSE, nsmap={"wsse": WSSE})
        sec.append(self.assertion)
        return envelope, headers

    def verify(self, envelope):
        pass


def saml2_assertion(user, audience, issuer="urn:imsgw:demo:idp"):
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    aid = "_" + uuid.uuid4().hex
    return aid, (
        '<saml2:Assertion xmlns:saml2="%s" ID="%s" IssueInstant="%s" Version="2.0">'
        "<saml2:Issuer>%s</saml2:Issuer>"
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        '<ds:Reference URI="#%s"><ds:Transforms>'
        '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/>'
        "</ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo>"
        "</ds:Signature>"
        "<saml2:Subject><saml2:NameID>%s</saml2:NameID>"
        '<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:sender-vouches"/></saml2:Subject>'
        '<saml2:Conditions NotBefore="%s" NotOnOrAfter="%s"><saml2:AudienceRestriction>'
        "<saml2:Audience>%s</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>"
        '<saml2:AuthnStatement AuthnInstant="%s"><saml2:AuthnContext><saml2:AuthnContextClassRef>'
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>"
        "</saml2:AuthnContext></saml2:AuthnStatement></saml2:Assertion>"
    ) % (SAML2, aid, iso(now), issuer, aid, user, iso(now - datetime.timedelta(seconds=30)),
         iso(now + datetime.timedelta(minutes=5)), audience, iso(now))


def saml1_assertion(user, issuer="urn:imsgw:demo:portal"):
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return (
        '<saml:Assertion xmlns:saml="%s" MajorVersion="1" MinorVersion="1" AssertionID="_%s" '
        'Issuer="%s" IssueInstant="%s"><saml:Conditions NotBefore="%s" NotOnOrAfter="%s"/>'
        '<saml:AuthenticationStatement AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:password" '
        'AuthenticationInstant="%s"><saml:Subject><saml:NameIdentifier>%s</saml:NameIdentifier>'
        "<saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:sender-vouches"
        "</saml:ConfirmationMethod></saml:SubjectConfirmation></saml:Subject>"
        "</saml:AuthenticationStatement></saml:Assertion>"
    ) % (SAML1, uuid.uuid4().hex, issuer, iso(now), iso(now - datetime.timedelta(seconds=30)),
         iso(now + datetime.timedelta(minutes=5)), iso(now), user)


def xmlsec_sign(xml, key, cert):
    with tempfile.TemporaryDirectory() as d:
        tmpl, out = os.path.join(d, "t.xml"), os.path.join(d, "s.xml")
        open(tmpl, "w").write(xml)
        subprocess.run(["xmlsec1", "--sign", "--privkey-pem", "%s,%s" % (key, cert),
                        "--id-attr:ID", SAML2 + ":Assertion", "--output", out, tmpl], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return re.sub(r"^<\?xml[^>]*\?>\s*", "", open(out).read())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="https://localhost:8443")
    ap.add_argument("--certs", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "certs", "dev"))
    ap.add_argument("--name", default="LAST1", help="phone book entry to DISPLAY")
    ap.add_argument("ways", nargs="*", default=["static", "ut", "passticket", "saml20", "saml11", "xml"])
    a = ap.parse_args()
    c = os.path.abspath(a.certs)
    s = requests.Session()
    s.trust_env = False            # REQUESTS_CA_BUNDLE would replace the dev CA
    s.verify = os.path.join(c, "ca.crt")
    s.cert = (os.path.join(c, "client.crt"), os.path.join(c, "client.key"))
    failures = 0
    for way in a.ways:
        if way == "ut":
            wsse = UsernameToken("USER01", "PASS01")
        elif way == "saml20":
            aid, xml = saml2_assertion("USER01", "urn:imsgw:ivtno")
            wsse = AssertionToken(xmlsec_sign(xml, os.path.join(c, "saml-signer.key"),
                                              os.path.join(c, "saml-signer.crt")))
        elif way == "saml11":
            wsse = AssertionToken(saml1_assertion("ADMIN01"))
        else:
            wsse = None
        try:
            client = zeep.Client("%s/ivtno/%s?wsdl" % (a.url, way), transport=Transport(session=s), wsse=wsse)
            if way == "xml":    # the XML adapter's converter has its own element names
                r = client.service.IVTNO(ivtnoInputMsg={"inCommand": "DISPLAY", "inLastName": a.name})
                r = {"outMsg": r["outMessage"], "outName1": r["outLastName"], "outName2": r["outFirstName"],
                     "outExtn": r["outExtension"]}
            else:
                r = client.service.IVTNO(inputMsg={"inCmd": "DISPLAY", "inName1": a.name})
            print("%-10s %s: %s %s %s" % (way, r["outMsg"].strip(), r["outName1"].strip(),
                                          r["outName2"].strip(), r["outExtn"].strip()))
        except zeep.exceptions.Fault as f:
            failures += 1
            reason = [d.text for d in f.detail if d.tag.endswith("reason")] if f.detail is not None else []
            print("%-10s FAULT %s %s" % (way, f.message, reason))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
