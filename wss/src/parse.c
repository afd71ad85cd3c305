/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Safe envelope parsing, limits, ID registration and SOAP structure.
 *
 * libxml2 runs without DTD loading, entity substitution or network access; a
 * DOCTYPE stops the parser from its SAX callback before anything in it is
 * processed.  One walk over the tree then enforces depth, attribute, text and
 * node limits and registers every ID-like attribute (ID, AssertionID, Id,
 * wsu:Id, xml:id) as an XML ID, refusing duplicates anywhere: a Reference
 * "#x" can then resolve to one node only.
 */
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/valid.h>
#include "internal.h"

#define XML_NS_XML "http://www.w3.org/XML/1998/namespace"

int wss_is(const xmlNode *n, const char *ns, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->name, local) == 0 &&
	       strcmp((const char *)n->ns->href, ns) == 0;
}

int wss_blank(const char *s)
{
	for (; s && *s; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	}
	return 1;
}

xmlNodePtr wss_next_elem(const xmlNode *n)
{
	xmlNodePtr c = n ? n->next : NULL;
	while (c && c->type != XML_ELEMENT_NODE)
		c = c->next;
	return c;
}

xmlNodePtr wss_first_elem(const xmlNode *parent)
{
	xmlNodePtr c = parent ? parent->children : NULL;
	while (c && c->type != XML_ELEMENT_NODE)
		c = c->next;
	return c;
}

const char *wss_attr(const xmlNode *n, const char *ns, const char *name)
{
	xmlAttrPtr a = xmlHasNsProp(n, (const xmlChar *)name, (const xmlChar *)ns);
	const char *v = NULL;
	if (a && a->type == XML_ATTRIBUTE_NODE) {
		if (!a->children)
			v = "";
		else if (a->children->type == XML_TEXT_NODE && !a->children->next)
			v = (const char *)a->children->content;
	}
	/* xmlHasNsProp with ns NULL also matches only no-namespace attributes */
	if (a && ns == NULL && a->ns != NULL)
		v = NULL;
	return v;
}

int wss_text(const xmlNode *n, size_t max, char **out)
{
	size_t len = 0;
	int rc = IGW_OK;
	*out = NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_TEXT_NODE) {
			rc = IGW_EPARSE;	/* element, comment, PI, entity ref */
			break;
		}
		len += strlen((const char *)c->content);
		if (len > max) {
			rc = IGW_ELIMIT;
			break;
		}
	}
	if (rc == IGW_OK) {
		char *s = malloc(len + 1);
		size_t at = 0;
		if (!s) {
			rc = IGW_ENOMEM;
		} else {
			for (const xmlNode *c = n->children; c; c = c->next) {
				size_t l = strlen((const char *)c->content);
				memcpy(s + at, c->content, l);
				at += l;
			}
			s[at] = '\0';
			*out = s;
		}
	}
	return rc;
}

const char *wss_text_ref(const xmlNode *n)
{
	const char *v = NULL;
	if (!n->children)
		v = "";
	else if (n->children->type == XML_TEXT_NODE && !n->children->next)
		v = (const char *)n->children->content;
	return v;
}

static int is_id_attr(const xmlAttr *a)
{
	const char *name = (const char *)a->name;
	if (!a->ns)
		return strcmp(name, "ID") == 0 || strcmp(name, "AssertionID") == 0 ||
		       strcmp(name, "Id") == 0;
	if (strcmp((const char *)a->ns->href, WSS_NS_WSU) == 0)
		return strcmp(name, "Id") == 0;
	if (strcmp((const char *)a->ns->href, XML_NS_XML) == 0)
		return strcmp(name, "id") == 0;
	return 0;
}

/* One walk: limits and IDs. */
static int walk(struct wss_ctx *x)
{
	xmlNodePtr n = xmlDocGetRootElement(x->doc);
	unsigned depth = 1, nodes = 0;
	int rc = IGW_OK;
	while (n && rc == IGW_OK) {
		if (++nodes > IGW_WSS_NODES_MAX) {
			rc = wss_fail(x, IGW_ELIMIT, "WSS-LIMIT", "more than %u nodes", IGW_WSS_NODES_MAX);
			break;
		}
		if (n->type == XML_ELEMENT_NODE) {
			unsigned nattr = 0;
			if (depth > IGW_WSS_DEPTH_MAX) {
				rc = wss_fail(x, IGW_ELIMIT, "WSS-LIMIT", "nesting deeper than %u", IGW_WSS_DEPTH_MAX);
				break;
			}
			for (xmlAttrPtr a = n->properties; a && rc == IGW_OK; a = a->next) {
				if (++nattr > IGW_WSS_ATTRS_MAX) {
					rc = wss_fail(x, IGW_ELIMIT, "WSS-LIMIT", "more than %u attributes on <%s>",
					              IGW_WSS_ATTRS_MAX, (const char *)n->name);
				} else if (is_id_attr(a)) {
					const char *v = wss_attr(n, a->ns ? (const char *)a->ns->href : NULL,
					                         (const char *)a->name);
					xmlAttrPtr have;
					if (!v || !*v || strlen(v) > IGW_WSS_FIELD_MAX) {
						rc = wss_fail(x, IGW_EPARSE, "WSS-PARSE", "unusable ID attribute");
						break;
					}
					have = xmlGetID(x->doc, (const xmlChar *)v);
					if (have && have != a) {
						rc = wss_fail(x, IGW_EPARSE, "WSS-DUPLICATE-ID", "duplicate ID '%.64s'", v);
					} else if (!have && !xmlAddID(NULL, x->doc, (const xmlChar *)v, a)) {
						rc = wss_fail(x, IGW_ENOMEM, "WSS-INTERNAL", "xmlAddID failed");
					}
				}
			}
			for (xmlNsPtr ns = n->nsDef; ns && rc == IGW_OK; ns = ns->next) {
				if (++nattr > IGW_WSS_ATTRS_MAX)
					rc = wss_fail(x, IGW_ELIMIT, "WSS-LIMIT", "too many attributes");
			}
			if (rc != IGW_OK)
				break;
			if (n->children) {
				n = n->children;
				depth++;
				continue;
			}
		} else if (n->type == XML_TEXT_NODE || n->type == XML_COMMENT_NODE ||
		           n->type == XML_PI_NODE) {
			x->has_pi |= n->type == XML_PI_NODE;
			if (n->content && strlen((const char *)n->content) > IGW_WSS_TEXT_MAX) {
				rc = wss_fail(x, IGW_ELIMIT, "WSS-LIMIT", "text longer than %u", IGW_WSS_TEXT_MAX);
				break;
			}
		} else if (n->type == XML_ENTITY_REF_NODE || n->type == XML_DTD_NODE ||
		           n->type == XML_ENTITY_DECL || n->type == XML_XINCLUDE_START) {
			rc = wss_fail(x, IGW_EPARSE, "WSS-DTD", "entity or DTD node");
			break;
		}
		while (n && !n->next && depth > 0) {
			n = n->parent;
			depth--;
			if (n && n->type == XML_DOCUMENT_NODE)
				n = NULL;
		}
		if (n)
			n = n->next;
	}
	return rc;
}

static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;
	(void)name;
	(void)ext;
	(void)sys;
	ctxt->_private = (void *)1;	/* marks "DOCTYPE seen" */
	xmlStopParser(ctxt);
}

static xmlEntityPtr no_entity(void *ctx, const xmlChar *name)
{
	(void)ctx;
	return xmlGetPredefinedEntity(name);
}

static int soap_structure(struct wss_ctx *x);

/*
 * One parser context per thread, reused: xmlCtxtReadMemory resets it and
 * the dictionary of names is shared by successive documents, which saves
 * most of the set-up cost of a small envelope.  The dictionary only grows
 * with distinct names, so the context is replaced once it holds more than
 * WSS_DICT_MAX of them (hostile senders cannot grow it without bound).
 */
#define WSS_DICT_MAX 4096
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t ctxt_key;

static void free_ctxt(void *p)
{
	xmlFreeParserCtxt(p);
}

static void make_key(void)
{
	(void)pthread_key_create(&ctxt_key, free_ctxt);
}

static xmlParserCtxtPtr thread_ctxt(void)
{
	xmlParserCtxtPtr ctxt;
	pthread_once(&key_once, make_key);
	ctxt = pthread_getspecific(ctxt_key);
	if (ctxt && ctxt->dict && xmlDictSize(ctxt->dict) > WSS_DICT_MAX) {
		xmlFreeParserCtxt(ctxt);
		ctxt = NULL;
		pthread_setspecific(ctxt_key, NULL);
	}
	if (!ctxt && (ctxt = xmlNewParserCtxt()) != NULL) {
		/* libxml2's error handlers are per thread: keep this one quiet
		 * too (xmlsec's XPath use reports through them) */
		wss_quiet_thread();
		ctxt->sax->internalSubset = refuse_doctype;
		ctxt->sax->externalSubset = NULL;
		ctxt->sax->getEntity = no_entity;
		ctxt->sax->getParameterEntity = NULL;
		ctxt->sax->entityDecl = NULL;
		ctxt->sax->resolveEntity = NULL;
		if (pthread_setspecific(ctxt_key, ctxt) != 0) {
			xmlFreeParserCtxt(ctxt);
			ctxt = NULL;
		}
	}
	return ctxt;
}

/*
 * 1 if libxml2 will read env as UTF-8 without installing a converter: it
 * starts with '<' (no byte order mark, not UTF-16/UCS-4/EBCDIC) and either
 * has no XML declaration or one whose encoding, if any, is UTF-8 / UTF8
 * (the names xmlParseEncodingDecl accepts without switching).  Anything
 * unusual answers 0.
 */
static int plain_utf8(const char *env, size_t len)
{
	static const char decl[] = "<?xml";
	const size_t dl = sizeof(decl) - 1;
	const char *end = NULL, *enc = NULL;
	int ok = len > 0 && env[0] == '<', has_decl = ok && len >= dl && memcmp(env, decl, dl) == 0;
	if (has_decl) {
		/* the declaration, bounded: "?>" within the first 256 bytes */
		end = memchr(env, '>', len < 256 ? len : 256);
		ok = end && end > env && end[-1] == '?';
	}
	if (has_decl && ok) {
		enc = env;
		while (enc < end && (enc = memchr(enc, 'e', (size_t)(end - enc))) != NULL &&
		       (size_t)(end - enc) >= 8 && memcmp(enc, "encoding", 8) != 0)
			enc++;
		if (!enc || enc >= end || (size_t)(end - enc) < 8)
			enc = NULL;	/* no encoding pseudo-attribute: UTF-8 */
	}
	if (enc) {
		enc += 8;
		while (enc < end && (*enc == ' ' || *enc == '\t' || *enc == '\r' || *enc == '\n'))
			enc++;
		ok = enc < end && *enc == '=';
		for (enc++; ok && enc < end && (*enc == ' ' || *enc == '\t' || *enc == '\r' || *enc == '\n');)
			enc++;
		ok = ok && enc < end && (*enc == '"' || *enc == '\'');
	}
	if (enc && ok) {
		char q = *enc++;
		const char *v = enc;
		while (enc < end && *enc != q)
			enc++;
		ok = enc < end &&
		     (((size_t)(enc - v) == 5 && strncasecmp(v, "UTF-8", 5) == 0) ||
		      ((size_t)(enc - v) == 4 && strncasecmp(v, "UTF8", 4) == 0));
	}
	return ok;
}

/*
 * xmlCtxtReadMemory, minus a per-call cost: libxml2 2.9 gives a memory input
 * a no-op read callback, so every GROW in the last INPUT_CHUNK (250) bytes
 * of the document goes through xmlParserInputBufferGrow and buffer
 * re-allocation.  The whole envelope is copied into the input buffer when it
 * is created, so for plain UTF-8 input (no converter: the only SOAP we see
 * in practice) there is nothing left to read and the callback is dropped.
 * Input that may switch encoding (BOM, non-UTF-8 declaration) would need the
 * callback to convert the raw bytes incrementally: it is parsed by
 * xmlCtxtReadMemory exactly as before, and so is any document for which a
 * converter shows up after all (the fast result is discarded).  Returns the
 * document only if well-formed, like xmlCtxtReadMemory.
 */
static xmlDocPtr read_fast(xmlParserCtxtPtr ctxt, const char *env, int len, int opts)
{
	xmlParserInputBufferPtr ib = NULL;
	xmlParserInputPtr in = NULL;
	xmlDocPtr doc = NULL;
	int redo = 1;
	if (plain_utf8(env, (size_t)len)) {
		xmlCtxtReset(ctxt);
		(void)xmlCtxtUseOptions(ctxt, opts);
		ib = xmlParserInputBufferCreateMem(env, len, XML_CHAR_ENCODING_NONE);
	}
	if (ib) {
		ib->readcallback = NULL;	/* everything is in ib->buffer */
		in = xmlNewIOInputStream(ctxt, ib, XML_CHAR_ENCODING_NONE);
		if (!in)
			xmlFreeParserInputBuffer(ib);
	}
	/* inputPush frees the stream itself when it fails */
	if (in && inputPush(ctxt, in) >= 0) {
		(void)xmlParseDocument(ctxt);
		doc = ctxt->myDoc;
		ctxt->myDoc = NULL;
		/* ib may be gone (xmlStopParser frees it): look through ctxt */
		redo = !ctxt->_private && ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder;
		if (redo || !ctxt->wellFormed) {
			xmlFreeDoc(doc);
			doc = NULL;
		}
	}
	if (redo) {
		ctxt->_private = NULL;
		doc = xmlCtxtReadMemory(ctxt, env, len, NULL, NULL, opts);
	}
	return doc;
}

int wss_parse(struct wss_ctx *x, const void *env, size_t len)
{
	xmlParserCtxtPtr ctxt = NULL;
	int rc = IGW_OK;
	/* NONET: no network; no NOENT (entities are not substituted); no
	 * DTDLOAD/DTDATTR/DTDVALID; COMPACT: small text nodes inline (the
	 * tree is only read). */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                 XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
	if (len == 0 || len > IGW_WSS_ENVELOPE_MAX) {
		rc = wss_fail(x, IGW_ELIMIT, len ? "WSS-LIMIT" : "WSS-PARSE",
		              "envelope of %zu bytes", len);
	} else if (!(ctxt = thread_ctxt())) {
		rc = wss_fail(x, IGW_ENOMEM, "WSS-INTERNAL", "no parser context");
	} else {
		ctxt->_private = NULL;
		x->doc = read_fast(ctxt, env, (int)len, opts);
		x->r->doc = x->doc;
		if (ctxt->_private)
			rc = wss_fail(x, IGW_EPARSE, "WSS-DTD", "DOCTYPE refused");
		else if (!x->doc || !ctxt->wellFormed)
			rc = wss_fail(x, IGW_EPARSE, "WSS-PARSE", "not well-formed XML");
		else if (x->doc->intSubset || x->doc->extSubset)
			rc = wss_fail(x, IGW_EPARSE, "WSS-DTD", "DTD present");
		ctxt->_private = NULL;
		if (ctxt->myDoc && ctxt->myDoc != x->doc)
			xmlFreeDoc(ctxt->myDoc);
		ctxt->myDoc = NULL;
	}
	if (rc == IGW_OK)
		rc = walk(x);
	if (rc == IGW_OK)
		rc = soap_structure(x);
	return rc;
}

/* ---- SOAP structure and header targeting ---- */

static int targeted_at_us(struct wss_ctx *x, xmlNodePtr h)
{
	int soap12 = strcmp(x->soap_ns, WSS_NS_SOAP12) == 0;
	const char *role = wss_attr(h, x->soap_ns, soap12 ? "role" : "actor");
	int us = 0;
	if (!role || !*role)
		us = 1;
	else if (!soap12 && strcmp(role, "http://schemas.xmlsoap.org/soap/actor/next") == 0)
		us = 1;
	else if (soap12 && (strcmp(role, "http://www.w3.org/2003/05/soap-envelope/role/next") == 0 ||
	                    strcmp(role, "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver") == 0))
		us = 1;
	else if (x->p->c.actor && strcmp(role, x->p->c.actor) == 0)
		us = 1;
	return us;
}

static int must_understand(struct wss_ctx *x, xmlNodePtr h, int *mu)
{
	const char *v = wss_attr(h, x->soap_ns, "mustUnderstand");
	int soap12 = strcmp(x->soap_ns, WSS_NS_SOAP12) == 0;
	int rc = IGW_OK;
	*mu = 0;
	if (v) {
		if (strcmp(v, "1") == 0 || (soap12 && strcmp(v, "true") == 0))
			*mu = 1;
		else if (strcmp(v, "0") == 0 || (soap12 && strcmp(v, "false") == 0))
			*mu = 0;
		else
			rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "bad mustUnderstand '%.16s'", v);
	}
	return rc;
}

static int understood(struct wss_ctx *x, xmlNodePtr h)
{
	const char *const *u = x->p->c.understood_headers;
	const char *ns = h->ns ? (const char *)h->ns->href : "";
	int yes = 0;
	for (; u && *u && !yes; u++) {
		size_t nl = strlen(ns);
		const char *s = *u;
		yes = s[0] == '{' && strncmp(s + 1, ns, nl) == 0 && s[1 + nl] == '}' &&
		      strcmp(s + 2 + nl, (const char *)h->name) == 0;
	}
	return yes;
}

static int soap_structure(struct wss_ctx *x)
{
	xmlNodePtr root = xmlDocGetRootElement(x->doc), c;
	int rc = IGW_OK;
	if (wss_is(root, WSS_NS_SOAP11, "Envelope")) {
		x->soap_ns = WSS_NS_SOAP11;
		x->r->soap_version = 11;
	} else if (wss_is(root, WSS_NS_SOAP12, "Envelope")) {
		x->soap_ns = WSS_NS_SOAP12;
		x->r->soap_version = 12;
	} else {
		return wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "root is not a SOAP Envelope");
	}
	x->envelope = root;
	/* children: [Header] Body, nothing else but whitespace */
	for (c = root->children; c && rc == IGW_OK; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			if (!wss_blank((const char *)c->content))
				rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "text in Envelope");
		} else if (c->type == XML_COMMENT_NODE) {
			continue;
		} else if (c->type != XML_ELEMENT_NODE) {
			rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "PI or other node in Envelope");
		} else if (wss_is(c, x->soap_ns, "Header") && !x->header && !x->body) {
			x->header = c;
		} else if (wss_is(c, x->soap_ns, "Body") && !x->body) {
			x->body = c;
		} else {
			rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "unexpected <%.64s> in Envelope",
			              (const char *)c->name);
		}
	}
	if (rc == IGW_OK && !x->body)
		rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "no Body");
	x->r->body = x->body;
	for (c = wss_first_elem(x->header); c && rc == IGW_OK; c = wss_next_elem(c)) {
		int mu = 0;
		if (!c->ns) {
			rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "unqualified header block");
			break;
		}
		rc = must_understand(x, c, &mu);
		if (rc != IGW_OK || !targeted_at_us(x, c))
			continue;
		if (wss_is(c, WSS_NS_WSSE, "Security")) {
			if (x->security)
				rc = wss_fail(x, IGW_EPARSE, "WSS-SECURITY-MULTIPLE",
				              "more than one Security header for us");
			x->security = c;
		} else if (mu && !understood(x, c)) {
			rc = wss_fail(x, IGW_EPROTO, "WSS-MUST-UNDERSTAND",
			              "mustUnderstand header {%.128s}%.64s not processed",
			              (const char *)c->ns->href, (const char *)c->name);
		}
	}
	return rc;
}
