/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * WSDL 1.1, document/literal wrapped, from message layouts.
 *
 * Schema rules (elementFormDefault="qualified", everything anonymous and
 * nested so the WSDL stands alone):
 *   request <op>          sequence of segment elements (min/maxOccurs of the spec)
 *   response <op>Response same for the output message
 *   group                 complexType/sequence of its visible children
 *   PIC X(n)              xsd:string maxLength n
 *   PIC A(n)              xsd:string maxLength n, pattern [A-Za-z ]*
 *   numeric, scale 0      xsd:long / xsd:unsignedLong (xsd:integer /
 *                         nonNegativeInteger above 18 digits), totalDigits
 *   numeric, scale > 0    xsd:decimal totalDigits fractionDigits
 *                         (minInclusive 0 when unsigned)
 *   COMP-5, scale 0       xsd:short/int/long (unsigned variants): full range
 *   OCCURS n              maxOccurs n (request: minOccurs 0; response: n)
 *   OCCURS m TO n DEP ON  minOccurs m maxOccurs n
 * Request fields are optional (minOccurs 0; missing means spaces or zero);
 * response fields are always present.
 */
#include <stdio.h>
#include <string.h>
#include "imsgw/error.h"
#include "cb_internal.h"

struct wctx {
	struct igw_buf *out;
	int response;
	unsigned indent;
};

static int ind(struct wctx *w)
{
	int rc = igw_buf_append_byte(w->out, '\n');
	for (unsigned i = 0; i < w->indent && rc == IGW_OK; i++)
		rc = igw_buf_append_str(w->out, "  ");
	return rc;
}

static int esc(struct igw_buf *out, const char *s)
{
	int rc = IGW_OK;
	for (; *s && rc == IGW_OK; s++) {
		switch (*s) {
		case '&': rc = igw_buf_append_str(out, "&amp;"); break;
		case '<': rc = igw_buf_append_str(out, "&lt;"); break;
		case '>': rc = igw_buf_append_str(out, "&gt;"); break;
		case '"': rc = igw_buf_append_str(out, "&quot;"); break;
		default: rc = igw_buf_append_byte(out, (uint8_t)*s); break;
		}
	}
	return rc;
}

static int ncname(const char *s)
{
	int ok = s && ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_');
	for (const char *p = s; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		     (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.';
	return ok;
}

static int occurs_attrs(struct wctx *w, const struct igw_cb_field *f)
{
	unsigned mn, mx = f->occurs_max;
	if (f->depending)
		mn = f->occurs_min;
	else if (w->response)
		mn = f->occurs_max;
	else
		mn = 0;
	int rc = IGW_OK;
	if (mn != 1)
		rc = igw_buf_printf(w->out, " minOccurs=\"%u\"", mn);
	if (rc == IGW_OK && mx != 1)
		rc = igw_buf_printf(w->out, " maxOccurs=\"%u\"", mx);
	return rc;
}

static int simple_type(struct wctx *w, const struct igw_cb_field *f)
{
	int rc = IGW_OK;
	struct igw_buf *o = w->out;
	const char *base;
	if (f->type == IGW_CB_ALNUM || f->type == IGW_CB_ALPHA) {
		rc = igw_buf_printf(o, "<xsd:simpleType><xsd:restriction base=\"xsd:string\">"
		                    "<xsd:maxLength value=\"%u\"/>%s</xsd:restriction>"
		                    "</xsd:simpleType>", f->size,
		                    f->type == IGW_CB_ALPHA ?
		                    "<xsd:pattern value=\"[A-Za-z ]*\"/>" : "");
	} else if (f->type == IGW_CB_COMP5 && f->scale == 0) {
		if (f->size == 2)
			base = f->is_signed ? "xsd:short" : "xsd:unsignedShort";
		else if (f->size == 4)
			base = f->is_signed ? "xsd:int" : "xsd:unsignedInt";
		else
			base = f->is_signed ? "xsd:long" : "xsd:unsignedLong";
		rc = igw_buf_printf(o, "<xsd:simpleType><xsd:restriction base=\"%s\"/>"
		                    "</xsd:simpleType>", base);
	} else {
		unsigned digits = f->digits;
		if (f->type == IGW_CB_COMP5)
			digits = f->size == 2 ? 5 : f->size == 4 ? 10 : 20;
		if (f->scale > 0)
			base = "xsd:decimal";
		else if (digits <= 18)
			base = f->is_signed ? "xsd:long" : "xsd:unsignedLong";
		else
			base = f->is_signed ? "xsd:integer" : "xsd:nonNegativeInteger";
		rc = igw_buf_printf(o, "<xsd:simpleType><xsd:restriction base=\"%s\">"
		                    "<xsd:totalDigits value=\"%u\"/>", base, digits);
		if (rc == IGW_OK && f->scale > 0)
			rc = igw_buf_printf(o, "<xsd:fractionDigits value=\"%u\"/>%s", f->scale,
			                    f->is_signed ? "" : "<xsd:minInclusive value=\"0\"/>");
		if (rc == IGW_OK)
			rc = igw_buf_append_str(o, "</xsd:restriction></xsd:simpleType>");
	}
	return rc;
}

static int element(struct wctx *w, const struct igw_cb_field *f);

static int sequence(struct wctx *w, const struct igw_cb_field *g)
{
	int rc = igw_buf_append_str(w->out, "<xsd:complexType><xsd:sequence>");
	w->indent++;
	for (const struct igw_cb_field *ch = g->child; ch && rc == IGW_OK; ch = ch->next)
		if (!ch->hidden)
			rc = element(w, ch);
	w->indent--;
	if (rc == IGW_OK)
		rc = ind(w);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(w->out, "</xsd:sequence></xsd:complexType>");
	return rc;
}

static int element(struct wctx *w, const struct igw_cb_field *f)
{
	int rc = ind(w);
	if (rc == IGW_OK)
		rc = igw_buf_printf(w->out, "<xsd:element name=\"%s\"", f->xml_name);
	if (rc == IGW_OK) {
		if (f->occurs_max == 1 && !f->depending && f->type != IGW_CB_GROUP &&
		    !w->response)
			rc = igw_buf_append_str(w->out, " minOccurs=\"0\"");
		else
			rc = occurs_attrs(w, f);
	}
	if (rc == IGW_OK)
		rc = igw_buf_append_str(w->out, ">");
	if (rc == IGW_OK) {
		w->indent++;
		if (f->type == IGW_CB_GROUP) {
			rc = sequence(w, f);
		} else {
			rc = ind(w);
			if (rc == IGW_OK)
				rc = simple_type(w, f);
		}
		w->indent--;
	}
	if (rc == IGW_OK)
		rc = ind(w);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(w->out, "</xsd:element>");
	return rc;
}

static int wrapper(struct wctx *w, const char *name, const char *suffix,
                   const struct igw_cb_msg *m)
{
	int rc = ind(w);
	if (rc == IGW_OK)
		rc = igw_buf_printf(w->out, "<xsd:element name=\"%s%s\">", name, suffix);
	w->indent++;
	if (rc == IGW_OK)
		rc = ind(w);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(w->out, "<xsd:complexType><xsd:sequence>");
	w->indent++;
	for (unsigned i = 0; i < m->nseg && rc == IGW_OK; i++) {
		const struct igw_cb_segspec *s = &m->seg[i];
		rc = ind(w);
		if (rc == IGW_OK)
			rc = igw_buf_printf(w->out, "<xsd:element name=\"%s\"", s->rec->xml_name);
		if (rc == IGW_OK && s->min != 1)
			rc = igw_buf_printf(w->out, " minOccurs=\"%u\"", s->min);
		if (rc == IGW_OK && s->max != 1)
			rc = igw_buf_printf(w->out, " maxOccurs=\"%u\"", s->max);
		if (rc == IGW_OK)
			rc = igw_buf_append_str(w->out, ">");
		w->indent++;
		if (rc == IGW_OK)
			rc = ind(w);
		if (rc == IGW_OK)
			rc = s->rec->type == IGW_CB_GROUP ? sequence(w, s->rec) :
			     simple_type(w, s->rec);
		w->indent--;
		if (rc == IGW_OK)
			rc = ind(w);
		if (rc == IGW_OK)
			rc = igw_buf_append_str(w->out, "</xsd:element>");
	}
	w->indent--;
	if (rc == IGW_OK)
		rc = ind(w);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(w->out, "</xsd:sequence></xsd:complexType>");
	w->indent--;
	if (rc == IGW_OK)
		rc = ind(w);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(w->out, "</xsd:element>");
	return rc;
}

static int binding(struct igw_buf *o, const struct igw_cb_wsdl_spec *sp,
                   const char *pfx, const char *label, const char *action_base)
{
	int rc = igw_buf_printf(o, "\n  <wsdl:binding name=\"%s%sBinding\" type=\"tns:%sPortType\">"
	                        "\n    <%s:binding style=\"document\" "
	                        "transport=\"http://schemas.xmlsoap.org/soap/http\"/>",
	                        sp->service, label, sp->service, pfx);
	for (unsigned i = 0; i < sp->nops && rc == IGW_OK; i++) {
		const struct igw_cb_operation *op = &sp->ops[i];
		rc = igw_buf_printf(o, "\n    <wsdl:operation name=\"%s\">"
		                    "\n      <%s:operation soapAction=\"", op->name, pfx);
		if (rc == IGW_OK)
			rc = esc(o, action_base);
		if (rc == IGW_OK)
			rc = igw_buf_printf(o, "/%s\" style=\"document\"/>"
			                    "\n      <wsdl:input><%s:body use=\"literal\"/></wsdl:input>",
			                    op->name, pfx);
		if (rc == IGW_OK && op->out)	/* one-way operations have no output */
			rc = igw_buf_printf(o, "\n      <wsdl:output><%s:body use=\"literal\"/></wsdl:output>",
			                    pfx);
		if (rc == IGW_OK)
			rc = igw_buf_append_str(o, "\n    </wsdl:operation>");
	}
	if (rc == IGW_OK)
		rc = igw_buf_append_str(o, "\n  </wsdl:binding>");
	return rc;
}

int igw_cb_wsdl_write(const struct igw_cb_wsdl_spec *sp, struct igw_buf *out,
                      struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	struct wctx w;
	char base[IGW_PATH_MAX];
	cb_diag_clear(diag);
	if (!sp || !sp->ns || !*sp->ns || !sp->endpoint || !ncname(sp->service) ||
	    sp->nops == 0 || sp->nops > IGW_CB_OPERATIONS_MAX) {
		cb_diag_text(diag, "service name (NCName), namespace, endpoint and 1-%u "
		             "operations are required", IGW_CB_OPERATIONS_MAX);
		return IGW_EINVAL;
	}
	for (unsigned i = 0; i < sp->nops; i++) {
		if (!ncname(sp->ops[i].name) || !sp->ops[i].in) {
			cb_diag_text(diag, "operation %u: name must be an NCName and the input "
			             "message is required", i + 1);
			return IGW_EINVAL;
		}
		for (unsigned k = 0; k < sp->nops; k++) {
			size_t n = strlen(sp->ops[k].name);
			if (k < i && !strcmp(sp->ops[k].name, sp->ops[i].name)) {
				cb_diag_text(diag, "operation %s listed twice", sp->ops[i].name);
				return IGW_EINVAL;
			}
			/* "X" and "XResponse" would both declare element XResponse */
			if (!strncmp(sp->ops[i].name, sp->ops[k].name, n) &&
			    !strcmp(sp->ops[i].name + n, "Response")) {
				cb_diag_text(diag, "operation %s clashes with %sResponse",
				             sp->ops[i].name, sp->ops[k].name);
				return IGW_EINVAL;
			}
		}
	}
	snprintf(base, sizeof(base), "%s", sp->ns);
	if (base[0] && base[strlen(base) - 1] == '/')
		base[strlen(base) - 1] = 0;
	memset(&w, 0, sizeof(w));
	w.out = out;
	rc = igw_buf_append_str(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                        "<wsdl:definitions name=\"");
	if (rc == IGW_OK)
		rc = igw_buf_printf(out, "%s\" targetNamespace=\"", sp->service);
	if (rc == IGW_OK)
		rc = esc(out, sp->ns);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(out, "\"\n    xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\""
		                        "\n    xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\""
		                        "\n    xmlns:soap12=\"http://schemas.xmlsoap.org/wsdl/soap12/\""
		                        "\n    xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
		                        "\n    xmlns:tns=\"");
	if (rc == IGW_OK)
		rc = esc(out, sp->ns);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(out, "\">\n  <wsdl:documentation>Generated by imsgw-wsdl "
		                        "from COBOL copybooks.");
	for (unsigned i = 0; i < sp->nops && rc == IGW_OK; i++) {
		rc = igw_buf_printf(out, " Operation %s", sp->ops[i].name);
		if (rc == IGW_OK && sp->ops[i].trancode) {
			rc = igw_buf_append_str(out, ": IMS transaction ");
			if (rc == IGW_OK)
				rc = esc(out, sp->ops[i].trancode);
		}
		if (rc == IGW_OK)
			rc = igw_buf_append_str(out, ".");
	}
	if (rc == IGW_OK)
		rc = igw_buf_append_str(out, "</wsdl:documentation>\n  <wsdl:types>"
		                        "\n    <xsd:schema elementFormDefault=\"qualified\" "
		                        "targetNamespace=\"");
	if (rc == IGW_OK)
		rc = esc(out, sp->ns);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(out, "\">");
	w.indent = 3;
	for (unsigned i = 0; i < sp->nops && rc == IGW_OK; i++) {
		w.response = 0;
		rc = wrapper(&w, sp->ops[i].name, "", sp->ops[i].in);
		w.response = 1;
		if (rc == IGW_OK && sp->ops[i].out)
			rc = wrapper(&w, sp->ops[i].name, "Response", sp->ops[i].out);
	}
	if (rc == IGW_OK)
		rc = igw_buf_append_str(out, "\n    </xsd:schema>\n  </wsdl:types>");
	for (unsigned i = 0; i < sp->nops && rc == IGW_OK; i++) {
		const char *n = sp->ops[i].name;
		rc = igw_buf_printf(out, "\n  <wsdl:message name=\"%sRequest\">"
		                    "<wsdl:part name=\"parameters\" element=\"tns:%s\"/></wsdl:message>",
		                    n, n);
		if (rc == IGW_OK && sp->ops[i].out)
			rc = igw_buf_printf(out, "\n  <wsdl:message name=\"%sResponse\">"
			                    "<wsdl:part name=\"parameters\" element=\"tns:%sResponse\"/>"
			                    "</wsdl:message>", n, n);
	}
	if (rc == IGW_OK)
		rc = igw_buf_printf(out, "\n  <wsdl:portType name=\"%sPortType\">", sp->service);
	for (unsigned i = 0; i < sp->nops && rc == IGW_OK; i++) {
		const char *n = sp->ops[i].name;
		rc = igw_buf_printf(out, "\n    <wsdl:operation name=\"%s\">"
		                    "<wsdl:input message=\"tns:%sRequest\"/>", n, n);
		if (rc == IGW_OK && sp->ops[i].out)
			rc = igw_buf_printf(out, "<wsdl:output message=\"tns:%sResponse\"/>", n);
		if (rc == IGW_OK)
			rc = igw_buf_append_str(out, "</wsdl:operation>");
	}
	if (rc == IGW_OK)
		rc = igw_buf_append_str(out, "\n  </wsdl:portType>");
	if (rc == IGW_OK)
		rc = binding(out, sp, "soap", "Soap11", base);
	if (rc == IGW_OK)
		rc = binding(out, sp, "soap12", "Soap12", base);
	if (rc == IGW_OK)
		rc = igw_buf_printf(out, "\n  <wsdl:service name=\"%s\">"
		                    "\n    <wsdl:port name=\"%sSoap11Port\" binding=\"tns:%sSoap11Binding\">"
		                    "<soap:address location=\"", sp->service, sp->service, sp->service);
	if (rc == IGW_OK)
		rc = esc(out, sp->endpoint);
	if (rc == IGW_OK)
		rc = igw_buf_printf(out, "\"/></wsdl:port>"
		                    "\n    <wsdl:port name=\"%sSoap12Port\" binding=\"tns:%sSoap12Binding\">"
		                    "<soap12:address location=\"", sp->service, sp->service);
	if (rc == IGW_OK)
		rc = esc(out, sp->endpoint);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(out, "\"/></wsdl:port>\n  </wsdl:service>\n</wsdl:definitions>\n");
	if (rc != IGW_OK)
		cb_diag_text(diag, "WSDL output: %s", igw_strerror(rc));
	return rc;
}
