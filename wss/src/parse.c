/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Safe envelope parsing, limits, ID registration and SOAP structure.
 *
 * libxml2 runs without DTD loading, entity substitution or network access; a
 * DOCTYPE stops the parser from its SAX callback before anything in it is
 * processed.  The SAX handlers (capture.c) wrap libxml2's tree builder: they
 * enforce depth, attribute, text and node limits as the document is read,
 * record every ID-like attribute (ID, AssertionID, Id, wsu:Id, xml:id), and
 * read the inside of UsernameToken and Timestamp tokens instead of building
 * it.  The IDs are then sorted and a value used twice anywhere is refused:
 * a Reference "#x" can resolve to one node only (wss_id_find).
 */
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include "internal.h"

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

static int soap_structure(struct wss_ctx *x);

int wss_id_add(struct wss_ctx *x, const char *v, xmlAttrPtr a)
{
	int rc = IGW_OK;
	if (!x->ids) {
		x->ids = x->id_inline;
		x->ids_cap = sizeof(x->id_inline) / sizeof(x->id_inline[0]);
	}
	if (x->nids == x->ids_cap) {
		size_t cap = x->ids_cap * 2;
		struct wss_id *n = x->ids == x->id_inline ? malloc(cap * sizeof(*n)) :
		                   realloc(x->ids, cap * sizeof(*n));
		if (!n) {
			rc = IGW_ENOMEM;
		} else {
			if (x->ids == x->id_inline)
				memcpy(n, x->id_inline, sizeof(x->id_inline));
			x->ids = n;
			x->ids_cap = cap;
		}
	}
	if (rc == IGW_OK) {
		x->ids[x->nids].v = v;
		x->ids[x->nids++].a = a;
	}
	return rc;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wss_id *)a)->v, ((const struct wss_id *)b)->v);
}

/* Sort the IDs; a value used twice anywhere is refused. */
static int ids_check(struct wss_ctx *x)
{
	int rc = IGW_OK;
	if (x->nids > 1)
		qsort(x->ids, x->nids, sizeof(*x->ids), id_cmp);
	for (size_t i = 1; i < x->nids && rc == IGW_OK; i++) {
		if (strcmp(x->ids[i - 1].v, x->ids[i].v) == 0)
			rc = wss_fail(x, IGW_EPARSE, "WSS-DUPLICATE-ID", "duplicate ID '%.64s'", x->ids[i].v);
	}
	return rc;
}

xmlAttrPtr wss_id_find(const struct wss_ctx *x, const char *v)
{
	struct wss_id key = { v, NULL };
	const struct wss_id *hit = x->nids ? bsearch(&key, x->ids, x->nids, sizeof(key), id_cmp) : NULL;
	return hit ? hit->a : NULL;
}

void wss_ids_free(struct wss_ctx *x)
{
	if (x->ids && x->ids != x->id_inline)
		free(x->ids);
	x->ids = NULL;
	x->nids = x->ids_cap = 0;
}

/*
 * One push parser context per thread, reused with its capture (capture.c):
 * xmlCtxtResetPush keeps the dictionary of names, shared by successive
 * documents, which saves most of the set-up cost of a small envelope.  The
 * push parser reads the whole envelope as one final chunk and detects and
 * converts any encoding itself (byte order mark, XML declaration).  The
 * dictionary only grows with distinct names, so the context is replaced
 * once it holds more than WSS_DICT_MAX of them (hostile senders cannot grow
 * it without bound).
 */
#define WSS_DICT_MAX 4096

struct wss_thread {
	xmlParserCtxtPtr ctxt;
	struct wss_capture *cap;
};

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_key;

static void free_thread(void *p)
{
	struct wss_thread *t = p;
	if (t) {
		if (t->ctxt)
			xmlFreeParserCtxt(t->ctxt);
		wss_capture_free(t->cap);
		free(t);
	}
}

static void make_key(void)
{
	(void)pthread_key_create(&thread_key, free_thread);
}

static xmlParserCtxtPtr new_ctxt(void)
{
	xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, NULL);
	if (ctxt)
		wss_capture_install(ctxt);
	return ctxt;
}

static struct wss_thread *thread_state(void)
{
	struct wss_thread *t;
	pthread_once(&key_once, make_key);
	t = pthread_getspecific(thread_key);
	if (t && t->ctxt && t->ctxt->dict && xmlDictSize(t->ctxt->dict) > WSS_DICT_MAX) {
		xmlFreeParserCtxt(t->ctxt);
		t->ctxt = new_ctxt();
		/* the new dictionary may well sit where the old one did: the
		 * capture must intern its names again, not trust the address */
		wss_capture_forget_names(t->cap);
	}
	if (!t && (t = calloc(1, sizeof(*t))) != NULL) {
		/* libxml2's error handlers are per thread: keep this one quiet
		 * too (xmlsec's XPath use reports through them) */
		wss_quiet_thread();
		t->ctxt = new_ctxt();
		t->cap = wss_capture_new();
		if (pthread_setspecific(thread_key, t) != 0) {
			free_thread(t);
			t = NULL;
		}
	}
	return t && t->ctxt && t->cap ? t : NULL;
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
 * Parse in place: when the caller guarantees a NUL byte after the envelope
 * (igw_wss_request.env_terminated; the gateway's request bodies are), the
 * envelope holds no other NUL and is plain UTF-8 (no converter needed),
 * libxml2 reads it straight from the caller's memory (xmlCtxtReadDoc: an
 * input stream over a NUL-terminated string).  The push parser instead
 * copies the envelope into an input buffer of 2 x xmlDefaultBufferSize bytes
 * allocated per document; an allocation that size makes glibc consolidate
 * the chunks the previous document's tree freed, which cost a signed-SAML
 * verification about a tenth of its time.  Returns 1 if it parsed (result
 * in ctxt->myDoc, ctxt->wellFormed), 0 if the push parser must be used.
 */
static int parse_in_place(xmlParserCtxtPtr ctxt, struct wss_capture *cap, struct wss_ctx *x,
                          const char *env, size_t len, int opts)
{
	xmlDocPtr doc;
	if (len > INT_MAX || memchr(env, 0, len) || !plain_utf8(env, len) ||
	    wss_capture_begin(cap, ctxt, x) != IGW_OK)
		return 0;
	/* resets the context (not its SAX handlers or _private), reads,
	 * returns the document if well-formed and frees it otherwise */
	doc = xmlCtxtReadDoc(ctxt, (const xmlChar *)env, NULL, NULL, opts);
	ctxt->myDoc = doc;
	return 1;
}

/* The push parser, for any input: the first 4 bytes (given to the reset:
 * how libxml2's push parser detects the encoding) are parsed with the rest.
 * Without a reset context or the capture's names nothing is parsed (no
 * tree: WSS-PARSE). */
static void push_parse(xmlParserCtxtPtr ctxt, struct wss_capture *cap, struct wss_ctx *x,
                       const char *env, size_t len, int opts)
{
	int first = len < 4 ? (int)len : 4;
	if (xmlCtxtResetPush(ctxt, env, first, NULL, NULL) == 0) {
		(void)xmlCtxtUseOptions(ctxt, opts);
		if (wss_capture_begin(cap, ctxt, x) == IGW_OK)
			(void)xmlParseChunk(ctxt, env + first, (int)len - first, 1);
	}
}

int wss_parse(struct wss_ctx *x, const void *env, size_t len)
{
	struct wss_thread *t = NULL;
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
	} else if (!(t = thread_state())) {
		rc = wss_fail(x, IGW_ENOMEM, "WSS-INTERNAL", "no parser context");
	} else {
		ctxt = t->ctxt;
		x->cap = t->cap;
		if (!(x->req && x->req->env_terminated && parse_in_place(ctxt, t->cap, x, env, len, opts)))
			push_parse(ctxt, t->cap, x, env, len, opts);
		x->doc = ctxt->myDoc;
		ctxt->myDoc = NULL;
		x->r->doc = x->doc;
		if (wss_capture_doctype(t->cap))
			rc = wss_fail(x, IGW_EPARSE, "WSS-DTD", "DOCTYPE refused");
		else if (!x->doc || !ctxt->wellFormed)
			rc = wss_fail(x, IGW_EPARSE, "WSS-PARSE", "not well-formed XML");
		else if (x->doc->intSubset || x->doc->extSubset)
			rc = wss_fail(x, IGW_EPARSE, "WSS-DTD", "DTD present");
		if (rc != IGW_OK) {	/* no partial tree is handed on */
			xmlFreeDoc(x->doc);
			x->doc = x->r->doc = NULL;
		}
	}
	if (rc == IGW_OK)
		rc = wss_capture_check(x);
	if (rc == IGW_OK)
		rc = ids_check(x);
	if (rc == IGW_OK)
		rc = soap_structure(x);
	return rc;
}

/* ---- SOAP structure and header targeting ---- */

/* A header block is for us with no actor/role, the "next" one, SOAP 1.2's
 * ultimateReceiver, or the policy's actor. */
static int targeted_at_us(struct wss_ctx *x, const char *role)
{
	int soap12 = x->r->soap_version == 12;	/* set with x->soap_ns */
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

static int must_understand(struct wss_ctx *x, const char *v, int *mu)
{
	int soap12 = x->r->soap_version == 12;	/* set with x->soap_ns */
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

static int understood(struct wss_ctx *x, const char *ns, const char *name)
{
	const char *const *u = x->p->c.understood_headers;
	int yes = 0;
	for (; u && *u && !yes; u++) {
		size_t nl = strlen(ns);
		const char *s = *u;
		yes = s[0] == '{' && strncmp(s + 1, ns, nl) == 0 && s[1 + nl] == '}' &&
		      strcmp(s + 2 + nl, name) == 0;
	}
	return yes;
}

/* One header block ({ns}name with its mustUnderstand and actor/role
 * values): *ours = 1 if it is a wsse:Security block targeted at us. */
static int header_block(struct wss_ctx *x, const char *ns, const char *name, const char *mu_value,
                        const char *role, int *ours)
{
	int mu = 0, rc = must_understand(x, mu_value, &mu);
	*ours = 0;
	if (rc != IGW_OK || !targeted_at_us(x, role))
		return rc;
	if (strcmp(ns, WSS_NS_WSSE) == 0 && strcmp(name, "Security") == 0) {
		if (x->security || x->vsec >= 0)
			rc = wss_fail(x, IGW_EPARSE, "WSS-SECURITY-MULTIPLE",
			              "more than one Security header for us");
		*ours = 1;
	} else if (mu && !understood(x, ns, name)) {
		rc = wss_fail(x, IGW_EPROTO, "WSS-MUST-UNDERSTAND",
		              "mustUnderstand header {%.128s}%.64s not processed", ns, name);
	}
	return rc;
}

static int soap_structure(struct wss_ctx *x)
{
	xmlNodePtr root = xmlDocGetRootElement(x->doc), c;
	int rc = IGW_OK, vblocks = wss_vheader(x), soap12;
	const char *role_attr;
	if (wss_is(root, WSS_NS_SOAP11, "Envelope")) {
		x->soap_ns = WSS_NS_SOAP11;
		x->r->soap_version = 11;
	} else if (wss_is(root, WSS_NS_SOAP12, "Envelope")) {
		x->soap_ns = WSS_NS_SOAP12;
		x->r->soap_version = 12;
	} else {
		return wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "root is not a SOAP Envelope");
	}
	soap12 = x->r->soap_version == 12;
	role_attr = soap12 ? "role" : "actor";
	x->envelope = root;
	/* children: [Header] Body, nothing else but whitespace; a Header that
	 * was read but not built (vblocks >= 0) was the first child */
	for (c = root->children; c && rc == IGW_OK; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			if (!wss_blank((const char *)c->content))
				rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "text in Envelope");
		} else if (c->type == XML_COMMENT_NODE) {
			continue;
		} else if (c->type != XML_ELEMENT_NODE) {
			rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "PI or other node in Envelope");
		} else if (wss_is(c, x->soap_ns, "Header") && !x->header && !x->body && vblocks < 0) {
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
		int ours = 0;
		if (!c->ns) {
			rc = wss_fail(x, IGW_EPARSE, "WSS-SOAP-STRUCTURE", "unqualified header block");
			break;
		}
		rc = header_block(x, (const char *)c->ns->href, (const char *)c->name,
		                  wss_attr(c, x->soap_ns, "mustUnderstand"), wss_attr(c, x->soap_ns, role_attr),
		                  &ours);
		if (ours)
			x->security = c;
	}
	for (int i = 0; i < vblocks && rc == IGW_OK; i++) {
		int ours = 0;
		rc = header_block(x, WSS_NS_WSSE, "Security",
		                  wss_vblock_attr(x, (unsigned)i, x->soap_ns, "mustUnderstand"),
		                  wss_vblock_attr(x, (unsigned)i, x->soap_ns, role_attr), &ours);
		if (ours)
			x->vsec = i;
	}
	return rc;
}
