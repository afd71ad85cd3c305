#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generated WSDLs against a real SOAP client (python3-zeep).

For each sample WSDL and each binding (SOAP 1.1 and 1.2):
  1. zeep loads the WSDL and serialises a request (client.create_message);
  2. the request wrapper validates against the WSDL's embedded XSD (lxml);
  3. cb_conv turns the wrapper into the IMS record, which must equal bytes
     computed here independently (Python cp037 codec, packed/zoned/binary
     encoders written below);
  4. an IMS reply built here is decoded by cb_conv and the response XML
     validates against the XSD and carries the expected values.
Usage: zeep_wsdl.py CB_CONV SAMPLES_DIR WSDL_DIR
"""
import subprocess
import sys
from decimal import Decimal

from lxml import etree
from zeep import Client

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def cb_conv(tool, *args, data):
    p = subprocess.run([tool, *args], input=data, capture_output=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError("cb_conv %s: %s" % (args, p.stderr.decode()))
    return p.stdout.decode().strip()


def schema_of(wsdl_path):
    doc = etree.parse(wsdl_path)
    sch = doc.find("{%s}types/{%s}schema" % (WSDL, XSD))
    return etree.XMLSchema(sch)


# --- independent encoders (IBM Enterprise COBOL representations) ---
def text(s, n):
    return s.ljust(n).encode("cp037")


def halfword(v):
    return v.to_bytes(2, "big", signed=True)


def packed(value, digits, scale, signed=True):
    q = int(Decimal(value).scaleb(scale).to_integral_value())
    nib = digits + (1 if digits % 2 == 0 else 0)
    s = str(abs(q)).rjust(nib, "0")
    sign = ("D" if q < 0 else "C") if signed else "F"
    return bytes.fromhex(s + sign)


def zoned(value, digits, scale, signed=True):
    q = Decimal(value).scaleb(scale).to_integral_value()
    s = str(abs(int(q))).rjust(digits, "0")
    b = bytearray(0xF0 + int(c) for c in s)
    if signed:
        b[-1] = (0xD0 if q < 0 else 0xC0) | (b[-1] & 0x0F)
    return bytes(b)


def binary(v, size, signed=True):
    return int(v).to_bytes(size, "big", signed=signed)


def body_wrapper(envelope):
    body = [e for e in envelope if etree.QName(e).localname == "Body"][0]
    return body[0]


def ivtno(tool, samples, wsdl_path):
    client = Client(wsdl_path)
    schema = schema_of(wsdl_path)
    for port in ("IVTNOSoap11Port", "IVTNOSoap12Port"):
        svc = client.bind("IVTNO", port)
        env = client.create_message(svc, "IVTNO", inputMsg={
            "inCmd": "ADD", "inName1": "LAST1", "inName2": "FIRST1",
            "inExtn": "8-111-1111", "inZip": "D01/R01"})
        wrapper = body_wrapper(env)
        check(schema.validate(wrapper), "ivtno %s request valid: %s" % (port, schema.error_log))
        rec = cb_conv(tool, "encode", samples + "/ivtno-in.cpy", "", "IBM-037", "IVTNO",
                      data=etree.tostring(wrapper))
        want = (halfword(59) + halfword(0) + text("IVTNO", 10) + text("ADD", 8) +
                text("LAST1", 10) + text("FIRST1", 10) + text("8-111-1111", 10) +
                text("D01/R01", 7))
        check(rec == want.hex().upper(), "ivtno %s record %s != %s" % (port, rec, want.hex()))
    reply = (halfword(93) + halfword(0) + text("ENTRY WAS ADDED", 40) + text("ADD", 8) +
             text("LAST1", 10) + text("FIRST1", 10) + text("8-111-1111", 10) +
             text("D01/R01", 7) + text("0001", 4))
    xml = cb_conv(tool, "decode", samples + "/ivtno-out.cpy", "", "IBM-037", "IVTNOResponse",
                  "urn:imsgw:ivtno", data=reply.hex().encode())
    resp = etree.fromstring(xml.encode())
    check(schema.validate(resp), "ivtno response valid: %s" % schema.error_log)
    ns = {"t": "urn:imsgw:ivtno"}
    check(resp.findtext("t:outputMsg/t:outMsg", namespaces=ns) == "ENTRY WAS ADDED",
          "ivtno response outMsg")


def orders(tool, samples, wsdl_path):
    client = Client(wsdl_path)
    schema = schema_of(wsdl_path)
    req = {
        "rqCustomer": {"rqCustId": 12345678, "rqCustName": "ACME", "rqCustInitials": "ABC",
                       "rqCustType": "W", "rqCustRef": "R1"},
        "rqAmounts": {"rqCreditLimit": Decimal("-1234567.89"), "rqDiscountPct": Decimal("0.125"),
                      "rqBalance": Decimal("42.00"), "rqAdjust": Decimal("-0.50"),
                      "rqTax": Decimal("1.99"), "rqRebate": -7, "rqPriority": 3,
                      "rqBranch": -1, "rqAccount": 123456789012345678, "rqSeq": -32768,
                      "rqCounter": 18446744073709551615, "rqPackedEven": -1234,
                      "rqUnits": 99999},
        "rqDelivery": {"rqDeliveryType": "D", "rqAddress": {
            "rqStreet": "1 MAIN ST", "rqCity": "SPRINGFIELD", "rqPostcode": "12345"}},
        "rqNote": ["FRAGILE", "RING TWICE"],
        "rqSchedule": [{"rqDay": "MON", "rqSlot": [800, 1200]}, {"rqDay": "TUE"}],
        "rqLine": [{"rqItem": "WIDGET", "rqQty": 5, "rqPrice": Decimal("10.50")},
                   {"rqItem": "GADGET", "rqQty": -1, "rqPrice": Decimal("0.99")}],
    }
    for port in ("OrdersSoap11Port", "OrdersSoap12Port"):
        svc = client.bind("Orders", port)
        env = client.create_message(svc, "PlaceOrder", orderRequest=req)
        wrapper = body_wrapper(env)
        check(schema.validate(wrapper), "orders %s request valid: %s" % (port, schema.error_log))
        rec = bytes.fromhex(cb_conv(tool, "encode", samples + "/orders-in.cpy", "", "IBM-037",
                                    "ORDERS", data=etree.tostring(wrapper)))
        check(len(rec) == 263 + 2 * 19, "orders %s length %d" % (port, len(rec)))
        check(rec[0:2] == halfword(len(rec)), "orders LL")
        check(rec[4:12] == text("ORDERS", 8), "orders trancode")
        check(rec[12:20] == zoned(12345678, 8, 0, signed=False), "orders custId")
        check(rec[20:50] == text("ACME", 30), "orders custName")
        check(rec[54:62] == "      R1".encode("cp037"), "orders justified")
        check(rec[62:67] == packed("-1234567.89", 9, 2), "orders creditLimit")
        check(rec[67:69] == packed("0.125", 3, 3, signed=False), "orders discount")
        check(rec[69:80] == zoned("42.00", 11, 2), "orders balance")
        check(rec[99:103] == binary(-1, 4), "orders branch")
        check(rec[103:111] == binary(123456789012345678, 8), "orders account")
        check(rec[111:113] == binary(-32768, 2), "orders seq")
        check(rec[113:121] == binary(18446744073709551615, 8, signed=False), "orders counter")
        check(rec[121:124] == packed(-1234, 4, 0), "orders packedEven")
        check(rec[261:263] == halfword(2), "orders ODO count")
        check(rec[263:275] == text("WIDGET", 12), "orders line 1 item")
        check(rec[275:278] == packed(5, 5, 0), "orders line 1 qty")
        check(rec[278:282] == packed("10.50", 7, 2), "orders line 1 price")
    hdr = (halfword(89) + halfword(0) + text("OK", 2) + text("ORDER ACCEPTED", 60) +
           packed(1234567, 10, 0, signed=False) + packed("123.45", 11, 2) +
           zoned("-19.99", 9, 2) + binary(2, 2, signed=False))
    lines = b"".join(halfword(28) + halfword(0) + zoned(i, 3, 0, signed=False) +
                     text(item, 12) + packed(q, 5, 0) + packed(a, 9, 2) + text(s, 1)
                     for i, item, q, a, s in ((1, "WIDGET", 5, "10.50", "A"),
                                              (2, "GADGET", -1, "-0.99", "B")))
    xml = cb_conv(tool, "decode", samples + "/orders-out.cpy", "ORDER-REPLY-HDR,ORDER-REPLY-LINE*",
                  "IBM-037", "PlaceOrderResponse", "http://example.com/imsgw/orders",
                  data=(hdr + lines).hex().encode())
    resp = etree.fromstring(xml.encode())
    check(schema.validate(resp), "orders response valid: %s" % schema.error_log)
    ns = {"t": "http://example.com/imsgw/orders"}
    check(resp.findtext("t:orderReplyHdr/t:rpTotal", namespaces=ns) == "123.45", "rpTotal")
    check([e.text for e in resp.findall("t:orderReplyLine/t:rlAmount", namespaces=ns)] ==
          ["10.50", "-0.99"], "line amounts list")
    # zeep itself parses the response body with the WSDL's types
    out_el = client.get_element("{http://example.com/imsgw/orders}PlaceOrderResponse")
    obj = out_el.parse(resp, client.wsdl.types)
    check(obj.orderReplyHdr.rpTotal == Decimal("123.45"), "zeep parses rpTotal")
    check(len(obj.orderReplyLine) == 2 and obj.orderReplyLine[1].rlQty == -1,
          "zeep parses the line list")


def main():
    tool, samples, wsdl_dir = sys.argv[1:4]
    ivtno(tool, samples, wsdl_dir + "/ivtno.wsdl")
    orders(tool, samples, wsdl_dir + "/orders.wsdl")
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("zeep: all WSDL checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
