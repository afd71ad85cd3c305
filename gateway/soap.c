/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include "imsgw/core.h"
#include "wss/wss.h"
#include "soap.h"

xmlNodePtr igw_soap_first_element(xmlNodePtr n)
{
	xmlNodePtr c = n ? n->children : NULL;
	while (c && c->type != XML_ELEMENT_NODE)
		c = c->next;
	return c;
}

const char *igw_soap_content_type(int version)
{
	return version == 12 ? "application/soap+xml; charset=utf-8" : "text/xml; charset=utf-8";
}

void igw_soap_response(struct igw_http_response *resp, int version, const char *body_xml,
                       size_t len)
{
	const char *ns = version == 12 ? IGW_SOAP12_NS : IGW_SOAP11_NS;
	resp->status = 200;
	resp->content_type = igw_soap_content_type(version);
	igw_buf_reset(&resp->body);
	igw_buf_printf(&resp->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	               "<soapenv:Envelope xmlns:soapenv=\"%s\"><soapenv:Body>", ns);
	igw_buf_append(&resp->body, body_xml, len);
	igw_buf_append_str(&resp->body, "</soapenv:Body></soapenv:Envelope>\n");
}

void igw_soap_fault(struct igw_http_response *resp, int version, const char *reason,
                    const char *reqid)
{
	const struct igw_reason *r = igw_reason_find(reason);
	if (!r)
		r = igw_reason_find("GW-INTERNAL");
	const char *wsse = igw_wss_fault_code(r->code);
	int client = r->fault == IGW_FAULT_CLIENT;
	struct igw_buf *b = &resp->body;

	resp->status = r->http_status == 503 ? 503 : 500;
	resp->content_type = igw_soap_content_type(version);
	resp->reason = r->code;
	igw_buf_reset(b);
	/* codes and texts are fixed ASCII without markup characters; reqid is hex */
	if (version == 12) {
		igw_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		               "<env:Envelope xmlns:env=\"%s\"><env:Body><env:Fault>"
		               "<env:Code><env:Value>env:%s</env:Value>", IGW_SOAP12_NS,
		               client ? "Sender" : "Receiver");
		if (wsse)
			igw_buf_printf(b, "<env:Subcode><env:Value xmlns:wsse=\"http://docs.oasis-open.org/"
			               "wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\">%s"
			               "</env:Value></env:Subcode>", wsse);
		igw_buf_printf(b, "</env:Code><env:Reason><env:Text xml:lang=\"en\">%s</env:Text>"
		               "</env:Reason><env:Detail><igw:reason xmlns:igw=\"%s\">%s</igw:reason>"
		               "<igw:request xmlns:igw=\"%s\">%s</igw:request></env:Detail>"
		               "</env:Fault></env:Body></env:Envelope>\n",
		               r->text, IGW_FAULT_NS, r->code, IGW_FAULT_NS, reqid ? reqid : "");
	} else {
		igw_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		               "<soapenv:Envelope xmlns:soapenv=\"%s\"><soapenv:Body><soapenv:Fault>",
		               IGW_SOAP11_NS);
		if (wsse)
			igw_buf_printf(b, "<faultcode xmlns:wsse=\"http://docs.oasis-open.org/wss/2004/01/"
			               "oasis-200401-wss-wssecurity-secext-1.0.xsd\">%s</faultcode>", wsse);
		else
			igw_buf_printf(b, "<faultcode>soapenv:%s</faultcode>", client ? "Client" : "Server");
		igw_buf_printf(b, "<faultstring>%s</faultstring><detail><igw:reason xmlns:igw=\"%s\">%s"
		               "</igw:reason><igw:request xmlns:igw=\"%s\">%s</igw:request></detail>"
		               "</soapenv:Fault></soapenv:Body></soapenv:Envelope>\n",
		               r->text, IGW_FAULT_NS, r->code, IGW_FAULT_NS, reqid ? reqid : "");
	}
}
