/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include "imsgw/core.h"
#include "xmlconf.h"

/* libxml2 structured errors -> "file:line: reason" */
static void xml_error(void *ctx, xmlErrorPtr err)
{
	struct igw_conf_errors *e = ctx;
	if (err) {
		char msg[IGW_CONFIG_LINE_MAX];
		snprintf(msg, sizeof(msg), "%s", err->message ? err->message : "XML error");
		size_t n = strlen(msg);
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = 0;
		igw_conf_error(e, err->line, "%s", msg);
	}
}

/* SAX internalSubset hook: a DOCTYPE stops the parse before any of it is
 * used (no DTD, no entity declarations ever reach the tree). */
struct dtd_seen { int seen; int line; };

static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr pc = ctx;
	struct dtd_seen *d = pc->_private;
	(void)name; (void)ext; (void)sys;
	d->seen = 1;
	d->line = pc->input ? pc->input->line : 0;
	xmlStopParser(pc);
}

xmlSchemaPtr igw_xml_schema_compile(const char *xsd, size_t len, struct igw_conf_errors *e)
{
	xmlSchemaPtr schema = NULL;
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(xsd, (int)len);
	if (!pc) {
		igw_conf_error(e, 0, "cannot compile the built-in schema");
	} else {
		xmlSchemaSetParserStructuredErrors(pc, xml_error, e);
		schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
		if (!schema)
			igw_conf_error(e, 0, "built-in schema does not compile");
	}
	return schema;
}

xmlDocPtr igw_xml_load(const char *path, xmlSchemaPtr schema, struct igw_conf_errors *e)
{
	xmlDocPtr doc = NULL;
	char *text = NULL;
	size_t len = 0;
	const char *saved = e->file;
	unsigned before = e->count;
	int rc;

	e->file = path;
	rc = igw_conf_read_file(path, IGW_CONFIG_FILE_MAX, &text, &len);
	if (rc == IGW_ELIMIT) {
		igw_conf_error(e, 0, "larger than %u bytes", IGW_CONFIG_FILE_MAX);
	} else if (rc != IGW_OK) {
		igw_conf_error(e, 0, "cannot read: %s", strerror(errno));
	} else {
		xmlParserCtxtPtr pc = xmlNewParserCtxt();
		if (!pc) {
			igw_conf_error(e, 0, "out of memory");
		} else {
			struct dtd_seen dtd = { 0, 0 };
			pc->_private = &dtd;
			pc->sax->internalSubset = refuse_doctype;
			xmlSetStructuredErrorFunc(e, xml_error);
			/* no NOENT (no entity substitution), no DTDLOAD, no network */
			doc = xmlCtxtReadMemory(pc, text, (int)len, path, NULL,
			                        XML_PARSE_NONET | XML_PARSE_NOCDATA);
			xmlSetStructuredErrorFunc(NULL, NULL);
			xmlFreeParserCtxt(pc);
			if (dtd.seen) {
				igw_conf_error(e, dtd.line, "DOCTYPE is not allowed");
				xmlFreeDoc(doc);
				doc = NULL;
			} else if (doc && doc->intSubset) {
				igw_conf_error(e, 0, "DOCTYPE is not allowed");
				xmlFreeDoc(doc);
				doc = NULL;
			} else if (!doc && e->count == before) {
				igw_conf_error(e, 0, "not well-formed XML");
			}
		}
	}
	if (doc && schema) {
		xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
		if (!vc) {
			igw_conf_error(e, 0, "out of memory");
		} else {
			xmlSchemaSetValidStructuredErrors(vc, xml_error, e);
			xmlSchemaValidateDoc(vc, doc);
			xmlSchemaFreeValidCtxt(vc);
		}
		if (e->count != before) {
			xmlFreeDoc(doc);
			doc = NULL;
		}
	}
	free(text);
	e->file = saved;
	return doc;
}

char *igw_xml_attr(xmlNodePtr n, const char *name)
{
	return n ? (char *)xmlGetProp(n, (const xmlChar *)name) : NULL;
}

unsigned igw_xml_attr_uint(xmlNodePtr n, const char *name, unsigned dflt)
{
	char *v = igw_xml_attr(n, name);
	unsigned r = dflt;
	if (v) {
		r = (unsigned)strtoul(v, NULL, 10);
		xmlFree(v);
	}
	return r;
}

int igw_xml_attr_bool(xmlNodePtr n, const char *name, int dflt)
{
	char *v = igw_xml_attr(n, name);
	int r = dflt;
	if (v) {
		r = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
		xmlFree(v);
	}
	return r;
}

int igw_xml_attr_is(xmlNodePtr n, const char *name, const char *value)
{
	char *v = igw_xml_attr(n, name);
	int eq = v && strcmp(v, value) == 0;
	xmlFree(v);
	return eq;
}

char *igw_xml_attr_dup(xmlNodePtr n, const char *name, const char *dflt)
{
	char *v = igw_xml_attr(n, name);
	char *r = v ? strdup(v) : (dflt ? strdup(dflt) : NULL);
	xmlFree(v);
	return r;
}

char *igw_xml_attr_path(xmlNodePtr n, const char *name, const char *file)
{
	char *v = igw_xml_attr(n, name), *r = NULL;
	if (v) {
		r = igw_conf_resolve(file, v);
		xmlFree(v);
	}
	return r;
}

xmlNodePtr igw_xml_child(xmlNodePtr n, const char *name)
{
	xmlNodePtr c = n ? n->children : NULL;
	while (c && !(c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0))
		c = c->next;
	return c;
}

int igw_xml_line(xmlNodePtr n)
{
	long l = n ? xmlGetLineNo(n) : 0;
	return l > 0 ? (int)l : 0;
}
