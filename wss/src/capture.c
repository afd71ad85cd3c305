/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Security tokens read while parsing, instead of being built as a tree.
 *
 * The parser context's SAX handlers are libxml2's own tree builders
 * (xmlSAX2*), wrapped: everything is built as usual except the inside of a
 * wsse:UsernameToken or wsu:Timestamp that is a child of a wsse:Security
 * header block (Envelope/Header/Security/token).  Those few elements are what
 * every UsernameToken request carries, and building, walking and freeing
 * them as nodes cost more than checking them; here each child's namespace,
 * local name, attributes and text go into a bounded per-thread record
 * (struct wss_token) that usernametoken.c and timestamp.c read.  The token
 * element itself is built (its attributes and ID are registered like any
 * other), so the Security header keeps its shape for verify.c, and a
 * UsernameToken anywhere else (in the Body, say) is left untouched.
 *
 * The captured part gets the checks the tree walk gives the rest (parse.c):
 * depth, attributes per element, text length, node count, ID attributes
 * (unusable or duplicated anywhere in the document).  Limits of the record
 * itself are in limits.h (IGW_WSS_TOKEN_*).  Text is what libxml2 delivers:
 * character references, predefined entities and CDATA already decoded;
 * attribute values are decoded by libxml2 (xmlStringLenDecodeEntities) when
 * the parser left a reference in them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/valid.h>
#include "internal.h"

#define XML_NS_XML "http://www.w3.org/XML/1998/namespace"

/* The names the handlers compare, interned in the parser's dictionary:
 * libxml2 passes names and namespace URIs to SAX from it, so equal means
 * the same pointer.  c->n[N_x] is the interned form of name_text[N_x]. */
enum { N_SOAP11, N_SOAP12, N_WSSE, N_WSU, N_XML, N_ENVELOPE, N_HEADER, N_SECURITY, N_UT,
       N_TIMESTAMP, N_ID, N_ASSERTIONID, N_Id, N_id, N_USERNAME, N_PASSWORD, N_NONCE, N_CREATED,
       N_EXPIRES, N_COUNT };
static const char *const name_text[N_COUNT] = {
	WSS_NS_SOAP11, WSS_NS_SOAP12, WSS_NS_WSSE, WSS_NS_WSU, XML_NS_XML, "Envelope", "Header",
	"Security", "UsernameToken", "Timestamp", "ID", "AssertionID", "Id", "id",
	"Username", "Password", "Nonce", "Created", "Expires",
};

struct wss_capture {
	/* kept from parse to parse */
	xmlDictPtr dict;		/* n[] is interned in this dictionary */
	const xmlChar *n[N_COUNT];
	size_t hwm;			/* highest byte of bytes[] written (wipe) */
	/* what a parse leaves for the token checks (counts below) */
	struct wss_token tok[IGW_WSS_TOKENS_MAX];
	struct wss_token spare;		/* children of tokens past the limit */
	struct wss_tattr attr[IGW_WSS_TOKEN_ATTRS_MAX];
	const char *id[IGW_WSS_TOKEN_IDS_MAX];
	char bytes[IGW_WSS_TOKEN_BYTES];
	/* the deferred Header: start tags kept (tag[]), in document order with
	 * the ends (ev[]), to be built by build_deferred() if needed */
	struct saved_tag {
		const xmlChar *local, *prefix, *uri;	/* dictionary strings */
		int nns, nattr;
		const xmlChar *ns[2 * IGW_WSS_ATTRS_MAX];
		const xmlChar *attrs[5 * IGW_WSS_ATTRS_MAX];	/* values in bytes[] */
	} tag[IGW_WSS_DEFER_TAGS];
	struct {
		enum { EV_START, EV_END, EV_TOKEN } kind;
		unsigned tag;
		struct wss_token *tok;
	} ev[2 * IGW_WSS_DEFER_TAGS];
	struct {
		unsigned tag, tok0, ntok;
	} vblock[IGW_WSS_DEFER_TAGS];
	/* ---- from here to the end: one parse's state, zeroed by
	 * wss_capture_begin (PARSE_STATE is its first member) ---- */
	unsigned ntok, nattr, nid, ntag, nev, nvblock;
	size_t used;			/* bytes[] in use */
	int deferring;			/* inside a Header not built (yet) */
	int vheader;			/* the Header ended without being built */
	unsigned env_elems;		/* element children of the Envelope so far */
	unsigned depth;			/* of the open element, root 1 */
	const xmlChar *soap_ns;		/* the root is this SOAP version's Envelope */
	int header_open;		/* the open depth-2 element is its Header */
	int security_open;		/* the open depth-3 element is a wsse:Security */
	struct wss_token *cur;		/* token whose inside is being read */
	unsigned tok_depth;		/* depth of cur's element */
	struct wss_tchild *child;	/* open child of cur (NULL past the limit) */
	int text_open;			/* child's text still being appended */
	size_t run;			/* length of the current text run */
	unsigned nodes;			/* nodes read (the node limit) */
	int doctype, has_pi;
	struct wss_ctx *x;		/* the verification this parse is for */
	int err;			/* first problem found while parsing */
	const char *reason;
	char detail[128];
};
#define PARSE_STATE ntok

struct wss_capture *wss_capture_new(void)
{
	return calloc(1, sizeof(struct wss_capture));
}

void wss_capture_free(struct wss_capture *c)
{
	if (c) {
		wss_capture_wipe(c);
		free(c);
	}
}

void wss_capture_wipe(struct wss_capture *c)
{
	if (c && c->hwm) {
		igw_secure_zero(c->bytes, c->hwm);
		c->hwm = 0;
	}
}

void wss_capture_forget_names(struct wss_capture *c)
{
	if (c)
		c->dict = NULL;
}

int wss_capture_doctype(const struct wss_capture *c)
{
	return c->doctype;
}

static void cap_fail(struct wss_capture *c, int err, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void cap_fail(struct wss_capture *c, int err, const char *reason, const char *fmt, ...)
{
	va_list ap;
	if (!c->err) {
		c->err = err;
		c->reason = reason;
		va_start(ap, fmt);
		vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
		va_end(ap);
	}
}

/* One more node (built or not): the envelope's node limit. */
static void count_node(struct wss_capture *c)
{
	if (++c->nodes > IGW_WSS_NODES_MAX)
		cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "more than %u nodes", IGW_WSS_NODES_MAX);
}

/* One more text run of len bytes (text, a comment, a PI's data). */
static void text_run(struct wss_capture *c, size_t len)
{
	if (c->run == 0)
		count_node(c);
	c->run += len;
	if (c->run > IGW_WSS_TEXT_MAX)
		cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "text longer than %u", IGW_WSS_TEXT_MAX);
}

/* Copy n bytes and a NUL into bytes[]; NULL when there is no room. */
static const char *keep(struct wss_capture *c, const char *s, size_t n)
{
	char *d = NULL;
	if (n < sizeof(c->bytes) - c->used) {
		d = c->bytes + c->used;
		memcpy(d, s, n);
		d[n] = '\0';
		c->used += n + 1;
		if (c->used > c->hwm)
			c->hwm = c->used;
	}
	return d;
}

/* The wss_tname of a local name (a dictionary string). */
static enum wss_tname name_class(const struct wss_capture *c, const xmlChar *local)
{
	enum wss_tname n = WSS_TN_OTHER;
	if (local == c->n[N_USERNAME])
		n = WSS_TN_USERNAME;
	else if (local == c->n[N_PASSWORD])
		n = WSS_TN_PASSWORD;
	else if (local == c->n[N_NONCE])
		n = WSS_TN_NONCE;
	else if (local == c->n[N_CREATED])
		n = WSS_TN_CREATED;
	else if (local == c->n[N_EXPIRES])
		n = WSS_TN_EXPIRES;
	return n;
}

static enum wss_tns ns_class(const struct wss_capture *c, const xmlChar *uri)
{
	enum wss_tns ns = WSS_TNS_NONE;
	if (uri == c->n[N_WSSE])
		ns = WSS_TNS_WSSE;
	else if (uri == c->n[N_WSU])
		ns = WSS_TNS_WSU;
	else if (uri)
		ns = WSS_TNS_OTHER;
	return ns;
}

/* The ID-like attributes of parse.c's walk: ID, AssertionID, Id, wsu:Id, xml:id. */
static int is_id(const struct wss_capture *c, const xmlChar *local, const xmlChar *uri)
{
	int id = 0;
	if (!uri)
		id = local == c->n[N_ID] || local == c->n[N_ASSERTIONID] || local == c->n[N_Id];
	else if (uri == c->n[N_WSU])
		id = local == c->n[N_Id];
	else if (uri == c->n[N_XML])
		id = local == c->n[N_id];
	return id;
}

/* Close the open child's text: what follows is not appended to it. */
static void seal(struct wss_capture *c)
{
	if (c->text_open) {
		c->used += c->child->text_len + 1;
		if (c->used > c->hwm)
			c->hwm = c->used;
		c->text_open = 0;
	}
}

/* Something other than text inside the open child (or deeper). */
static void not_text(struct wss_capture *c)
{
	if (c->child && c->depth > c->tok_depth) {
		c->child->mixed = 1;
		seal(c);
	}
}

static void append_text(struct wss_capture *c, const xmlChar *s, int len)
{
	struct wss_tchild *ch = c->child;
	size_t n = (size_t)len;
	if (!c->text_open || ch->mixed || ch->long_text) {
		;
	} else if (ch->text_len + n > IGW_WSS_FIELD_MAX ||
	           c->used + ch->text_len + n + 1 > sizeof(c->bytes)) {
		ch->long_text = 1;
		seal(c);
	} else {
		char *d = c->bytes + c->used + ch->text_len;
		memcpy(d, s, n);
		d[n] = '\0';
		ch->text_len += n;
		if (c->used + ch->text_len + 1 > c->hwm)
			c->hwm = c->used + ch->text_len + 1;
	}
}

/* An attribute value as the tree would hold it.  libxml2 leaves "&#38;" in
 * the value it passes to SAX when entities are not substituted (the tree
 * builder decodes it); xmlStringLenDecodeEntities decodes it here too. */
static const char *keep_value(struct wss_capture *c, xmlParserCtxtPtr ctxt, const xmlChar *v,
                              const xmlChar *end)
{
	const char *kept = NULL;
	size_t n = (size_t)(end - v);
	if (!memchr(v, '&', n)) {
		kept = keep(c, (const char *)v, n);
	} else {
		xmlChar *dec = xmlStringLenDecodeEntities(ctxt, v, (int)n, XML_SUBSTITUTE_REF, 0, 0, 0);
		if (dec) {
			kept = keep(c, (const char *)dec, strlen((const char *)dec));
			xmlFree(dec);
		}
	}
	return kept;
}

/* Attributes of a captured element: limits, IDs, and (for a token child,
 * `ch` non-NULL) the attributes themselves. */
static void read_attrs(struct wss_capture *c, xmlParserCtxtPtr ctxt, struct wss_tchild *ch,
                       int nattr, const xmlChar **a)
{
	for (int i = 0; i < nattr && !c->err; i++, a += 5) {
		const xmlChar *local = a[0], *uri = a[2];
		int id = is_id(c, local, uri);
		const char *v = NULL;
		if (id || ch)
			v = keep_value(c, ctxt, a[3], a[4]);
		if ((id || ch) && !v) {
			cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "security token larger than %u bytes",
			         IGW_WSS_TOKEN_BYTES);
		} else if (id && (!*v || strlen(v) > IGW_WSS_FIELD_MAX)) {
			cap_fail(c, IGW_EPARSE, "WSS-PARSE", "unusable ID attribute");
		} else if (id && c->nid == IGW_WSS_TOKEN_IDS_MAX) {
			cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "more than %u IDs in security tokens",
			         IGW_WSS_TOKEN_IDS_MAX);
		} else if (id) {
			c->id[c->nid++] = v;
		}
		if (ch && !c->err && c->nattr == IGW_WSS_TOKEN_ATTRS_MAX) {
			cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "more than %u attributes in security tokens",
			         IGW_WSS_TOKEN_ATTRS_MAX);
		} else if (ch && !c->err) {
			struct wss_tattr *t = &c->attr[c->nattr++];
			t->ns = ns_class(c, uri);
			t->name = keep(c, (const char *)local, strlen((const char *)local));
			t->value = v;
			ch->nattr++;
			if (!t->name)
				cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "security token larger than %u bytes",
				         IGW_WSS_TOKEN_BYTES);
		}
	}
}

/* Limits of any element (c->depth already counts it). */
static void element_limits(struct wss_capture *c, const xmlChar *local, int nns, int nattr)
{
	count_node(c);
	if (c->depth > IGW_WSS_DEPTH_MAX)
		cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "nesting deeper than %u", IGW_WSS_DEPTH_MAX);
	else if ((unsigned)nattr + (unsigned)nns > IGW_WSS_ATTRS_MAX)
		cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "more than %u attributes on <%.64s>",
		         IGW_WSS_ATTRS_MAX, (const char *)local);
}

/* The ID attributes of an element just built: recorded with the verification
 * (wss_id_add) with the value the tree holds, which must be one text. */
static void tree_ids(struct wss_capture *c, xmlNodePtr n, int nattr, const xmlChar **attrs)
{
	for (int i = 0; i < nattr && !c->err; i++) {
		const xmlChar *local = attrs[5 * i], *uri = attrs[5 * i + 2];
		xmlAttrPtr a;
		const char *v = NULL;
		if (!is_id(c, local, uri))
			continue;
		a = xmlHasNsProp(n, local, uri);
		if (a && a->type == XML_ATTRIBUTE_NODE)
			v = !a->children ? "" : a->children->type == XML_TEXT_NODE && !a->children->next ?
			    (const char *)a->children->content : NULL;
		if (!v || !*v || strlen(v) > IGW_WSS_FIELD_MAX)
			cap_fail(c, IGW_EPARSE, "WSS-PARSE", "unusable ID attribute");
		else if (wss_id_add(c->x, v, a) != IGW_OK)
			cap_fail(c, IGW_ENOMEM, "WSS-INTERNAL", "out of memory");
	}
}

/* An element inside the token being read (c->depth already counts it). */
static void capture_element(struct wss_capture *c, xmlParserCtxtPtr ctxt, const xmlChar *local,
                            const xmlChar *uri, int nns, int nattr, const xmlChar **attrs)
{
	struct wss_token *t = c->cur;
	struct wss_tchild *ch = NULL;
	element_limits(c, local, nns, nattr);
	if (c->depth > c->tok_depth + 1) {
		not_text(c);	/* an element inside a child */
		read_attrs(c, ctxt, NULL, nattr, attrs);
		return;
	}
	seal(c);
	c->child = NULL;
	if (t->nchild == IGW_WSS_TOKEN_CHILDREN_MAX) {
		t->overflow = 1;
		read_attrs(c, ctxt, NULL, nattr, attrs);
		return;
	}
	ch = &t->child[t->nchild++];
	memset(ch, 0, sizeof(*ch));
	ch->ns = ns_class(c, uri);
	ch->name = name_class(c, local);
	ch->local = keep(c, (const char *)local, strlen((const char *)local));
	ch->attr0 = c->nattr;
	if (!ch->local) {
		ch->local = "";
		cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "security token larger than %u bytes",
		         IGW_WSS_TOKEN_BYTES);
	}
	read_attrs(c, ctxt, ch, nattr, attrs);
	c->child = ch;
	if (c->used < sizeof(c->bytes)) {
		ch->text = c->bytes + c->used;
		c->bytes[c->used] = '\0';
		if (c->used + 1 > c->hwm)
			c->hwm = c->used + 1;
		c->text_open = 1;
	} else {
		ch->long_text = 1;
	}
}

static void begin_token(struct wss_capture *c, xmlNodePtr node, int is_ut)
{
	struct wss_token *t = &c->spare;
	if (c->ntok == IGW_WSS_TOKENS_MAX)
		cap_fail(c, IGW_ELIMIT, "WSS-LIMIT", "more than %u UsernameToken/Timestamp elements",
		         IGW_WSS_TOKENS_MAX);
	else
		t = &c->tok[c->ntok++];
	t->node = node;
	t->is_ut = is_ut;
	t->nchild = 0;
	t->overflow = 0;
	c->cur = t;
	c->tok_depth = c->depth;
	c->child = NULL;
	c->text_open = 0;
}

/* ---- the deferred Header ---- */

/*
 * Keep a start tag of the Header, a Security block or a token to build it
 * later; 0 (nothing kept) when there is no room or the tag is unusual, and
 * the caller builds it now instead.  Names and namespace URIs are the
 * dictionary's; attribute values are copied.  A tag with an ID attribute
 * is built at once (IDs are registered by the tree walk).
 */
static int save_tag(struct wss_capture *c, const xmlChar *local, const xmlChar *prefix,
                    const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndef,
                    const xmlChar **attrs, unsigned *out)
{
	struct saved_tag *t = &c->tag[c->ntag];
	size_t used = c->used;
	int ok = c->ntag < IGW_WSS_DEFER_TAGS && c->nev < 2 * IGW_WSS_DEFER_TAGS && ndef == 0 &&
	         (unsigned)nns + (unsigned)nattr <= IGW_WSS_ATTRS_MAX;
	for (int i = 0; ok && i < 2 * nns; i++)
		t->ns[i] = ns[i];
	for (int i = 0; ok && i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;
		const char *v = keep(c, (const char *)a[3], (size_t)(a[4] - a[3]));
		t->attrs[5 * i] = a[0];
		t->attrs[5 * i + 1] = a[1];
		t->attrs[5 * i + 2] = a[2];
		t->attrs[5 * i + 3] = (const xmlChar *)v;
		t->attrs[5 * i + 4] = v ? (const xmlChar *)v + (a[4] - a[3]) : NULL;
		/* a value with a reference left in it, or an ID: build it now,
		 * the tree builder and the walk know what to do */
		ok = v && !memchr(v, '&', (size_t)(a[4] - a[3])) && !is_id(c, a[0], a[2]);
	}
	if (ok) {
		t->local = local;
		t->prefix = prefix;
		t->uri = uri;
		t->nns = nns;
		t->nattr = nattr;
		*out = c->ntag++;
		count_node(c);
	} else {
		c->used = used;
	}
	return ok;
}

static void start_saved(xmlParserCtxtPtr ctxt, struct saved_tag *t)
{
	xmlSAX2StartElementNs(ctxt, t->local, t->prefix, t->uri, t->nns, t->ns, t->nattr, 0, t->attrs);
}

/* Something other than Security blocks of tokens in the Header: build what
 * was kept, in order, so that the tree is what it would have been (minus
 * whitespace and comments between the blocks, which nothing reads). */
static void build_deferred(struct wss_capture *c, xmlParserCtxtPtr ctxt)
{
	for (unsigned i = 0; i < c->nev; i++) {
		struct saved_tag *t = &c->tag[c->ev[i].tag];
		if (c->ev[i].kind == EV_START || c->ev[i].kind == EV_TOKEN)
			start_saved(ctxt, t);
		if (c->ev[i].kind == EV_TOKEN && ctxt->node && ctxt->node->name == t->local)
			c->ev[i].tok->node = ctxt->node;
		if (c->ev[i].kind == EV_END || c->ev[i].kind == EV_TOKEN)
			xmlSAX2EndElementNs(ctxt, t->local, t->prefix, t->uri);
	}
	c->nev = 0;
	c->nvblock = 0;
	c->deferring = 0;
}

/* A start tag at depth 2-4 inside the deferred Header: 1 if kept. */
static int defer_start(struct wss_capture *c, xmlParserCtxtPtr ctxt, unsigned d,
                       const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                       const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
	unsigned tag = 0;
	int is_ut = uri == c->n[N_WSSE] && local == c->n[N_UT];
	int kept = 0;
	if (d == 3 && uri == c->n[N_WSSE] && local == c->n[N_SECURITY] && c->nvblock < IGW_WSS_DEFER_TAGS &&
	    save_tag(c, local, prefix, uri, nns, ns, nattr, ndef, attrs, &tag)) {
		c->ev[c->nev].kind = EV_START;
		c->ev[c->nev++].tag = tag;
		c->vblock[c->nvblock].tag = tag;
		c->vblock[c->nvblock].tok0 = c->ntok;
		c->vblock[c->nvblock++].ntok = 0;
		c->security_open = 1;
		kept = 1;
	} else if (d == 4 && (is_ut || (uri == c->n[N_WSU] && local == c->n[N_TIMESTAMP])) &&
	           c->ntok < IGW_WSS_TOKENS_MAX &&
	           save_tag(c, local, prefix, uri, nns, ns, nattr, ndef, attrs, &tag)) {
		begin_token(c, NULL, is_ut);
		c->ev[c->nev].kind = EV_TOKEN;
		c->ev[c->nev].tag = tag;
		c->ev[c->nev++].tok = c->cur;
		c->vblock[c->nvblock - 1].ntok++;
		kept = 1;
	}
	if (!kept)
		build_deferred(c, ctxt);
	return kept;
}

/* ---- SAX handlers ---- */

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct wss_capture *c = ctxt->_private;
	unsigned d = ++c->depth, tag = 0;
	c->run = 0;
	if (c->cur) {
		capture_element(c, ctxt, local, uri, nns, nattr, attrs);
		return;
	}
	if (c->deferring && defer_start(c, ctxt, d, local, prefix, uri, nns, ns, nattr, ndef, attrs))
		return;
	if (d == 1) {
		c->soap_ns = local != c->n[N_ENVELOPE] ? NULL :
		             uri == c->n[N_SOAP11] ? c->n[N_SOAP11] : uri == c->n[N_SOAP12] ? c->n[N_SOAP12] : NULL;
	} else if (d == 2) {
		c->header_open = c->soap_ns && uri == c->soap_ns && local == c->n[N_HEADER];
		/* only the Header in its place (the first child) is deferred */
		if (c->header_open && ++c->env_elems == 1 &&
		    save_tag(c, local, prefix, uri, nns, ns, nattr, ndef, attrs, &tag)) {
			c->ev[c->nev].kind = EV_START;
			c->ev[c->nev++].tag = tag;
			c->deferring = 1;
			return;
		}
		c->env_elems += !c->header_open;
	} else if (d == 3 && !c->deferring) {
		c->security_open = c->header_open && uri == c->n[N_WSSE] && local == c->n[N_SECURITY];
	}
	element_limits(c, local, nns, nattr);
	xmlSAX2StartElementNs(ctx, local, prefix, uri, nns, ns, nattr, ndef, attrs);
	if (nattr && ctxt->node && ctxt->node->name == local)
		tree_ids(c, ctxt->node, nattr, attrs);
	if (d == 4 && c->security_open && ctxt->node && ctxt->node->name == local &&
	    ((uri == c->n[N_WSSE] && local == c->n[N_UT]) || (uri == c->n[N_WSU] && local == c->n[N_TIMESTAMP])))
		begin_token(c, ctxt->node, uri == c->n[N_WSSE]);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct wss_capture *c = ctxt->_private;
	int built = 1;
	c->run = 0;
	if (c->cur && c->depth > c->tok_depth) {
		if (c->depth == c->tok_depth + 1) {
			seal(c);
			c->child = NULL;
		}
		built = 0;
	} else if (c->cur) {
		built = c->cur->node != NULL;	/* a kept token was logged whole */
		c->cur = NULL;	/* the token element itself ends */
	} else if (c->deferring) {	/* a kept Security block or the Header */
		c->ev[c->nev].kind = EV_END;
		c->ev[c->nev++].tag = c->depth == 2 ? c->ev[0].tag : c->vblock[c->nvblock - 1].tag;
		c->deferring = c->depth != 2;
		c->vheader = c->depth == 2;
		built = 0;
	}
	c->depth--;
	if (built)
		xmlSAX2EndElementNs(ctx, local, prefix, uri);
}

/* Text, a comment or a PI directly in the deferred Header or a Security
 * block: whitespace and comments are dropped (nothing reads them there),
 * anything else makes the Header be built, so that it is judged as before. */
static int deferred_text(struct wss_capture *c, xmlParserCtxtPtr ctxt, const xmlChar *s, int len)
{
	int blank = 1;
	for (int i = 0; s && i < len && blank; i++)
		blank = s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
	if (!blank)
		build_deferred(c, ctxt);
	return blank;
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct wss_capture *c = ctxt->_private;
	if (!c->cur) {
		if (!c->deferring || !deferred_text(c, ctxt, s, len)) {
			text_run(c, (size_t)len);
			xmlSAX2Characters(ctx, s, len);
		}
		return;
	}
	text_run(c, (size_t)len);
	if (c->child && c->depth == c->tok_depth + 1)
		append_text(c, s, len);
}

static void on_comment(void *ctx, const xmlChar *value)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct wss_capture *c = ctxt->_private;
	c->run = 0;
	if (c->deferring && !c->cur)
		return;	/* dropped: nothing reads a comment there */
	text_run(c, strlen((const char *)value));
	c->run = 0;
	if (!c->cur)
		xmlSAX2Comment(ctx, value);
	else
		not_text(c);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct wss_capture *c = ctxt->_private;
	c->has_pi = 1;
	c->run = 0;
	text_run(c, data ? strlen((const char *)data) : 0);
	c->run = 0;
	if (!c->cur) {
		if (c->deferring)
			build_deferred(c, ctxt);
		xmlSAX2ProcessingInstruction(ctx, target, data);
	} else {
		not_text(c);
	}
}

static void on_reference(void *ctx, const xmlChar *name)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct wss_capture *c = ctxt->_private;
	(void)name;
	/* only a declared entity makes one, and a DTD never gets that far */
	cap_fail(c, IGW_EPARSE, "WSS-DTD", "entity reference");
	xmlStopParser(ctxt);
}

/* A DOCTYPE stops the parser before anything in it is processed. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct wss_capture *c = ctxt->_private;
	(void)name;
	(void)ext;
	(void)sys;
	c->doctype = 1;
	xmlStopParser(ctxt);
}

static xmlEntityPtr no_entity(void *ctx, const xmlChar *name)
{
	(void)ctx;
	return xmlGetPredefinedEntity(name);
}

void wss_capture_install(xmlParserCtxtPtr ctxt)
{
	xmlSAXHandlerPtr h = ctxt->sax;
	h->internalSubset = on_doctype;
	h->externalSubset = NULL;
	h->getEntity = no_entity;
	h->getParameterEntity = NULL;
	h->entityDecl = NULL;
	h->resolveEntity = NULL;
	h->startElementNs = on_start;
	h->endElementNs = on_end;
	h->characters = on_text;
	/* the same function, so libxml2 never calls whitespace "ignorable" */
	h->ignorableWhitespace = on_text;
	h->comment = on_comment;
	h->processingInstruction = on_pi;
	h->reference = on_reference;
}

int wss_capture_begin(struct wss_capture *c, xmlParserCtxtPtr ctxt, struct wss_ctx *x)
{
	int rc = IGW_OK;
	wss_capture_wipe(c);
	if (!c->dict || c->dict != ctxt->dict) {	/* a new parser context: names again */
		c->dict = ctxt->dict;
		for (int i = 0; i < N_COUNT && rc == IGW_OK; i++) {
			c->n[i] = c->dict ? xmlDictLookup(c->dict, (const xmlChar *)name_text[i], -1) : NULL;
			if (!c->n[i]) {
				c->dict = NULL;
				rc = IGW_ENOMEM;
			}
		}
	}
	memset(&c->PARSE_STATE, 0, sizeof(*c) - offsetof(struct wss_capture, PARSE_STATE));
	c->x = x;
	ctxt->_private = c;
	return rc;
}

int wss_capture_check(struct wss_ctx *x)
{
	const struct wss_capture *c = x->cap;
	int rc = IGW_OK;
	x->has_pi |= c->has_pi;
	if (c->err)
		rc = wss_fail(x, c->err, c->reason, "%s", c->detail);
	for (unsigned i = 0; rc == IGW_OK && i < c->nid; i++) {
		if (wss_id_add(x, c->id[i], NULL) != IGW_OK)	/* checked with the tree's */
			rc = wss_fail(x, IGW_ENOMEM, "WSS-INTERNAL", "out of memory");
	}
	return rc;
}

const struct wss_token *wss_token_of(const struct wss_ctx *x, const xmlNode *n)
{
	const struct wss_token *t = NULL;
	for (unsigned i = 0; x->cap && n && i < x->cap->ntok && !t; i++) {
		if (x->cap->tok[i].node == n)
			t = &x->cap->tok[i];
	}
	return t;
}

const char *wss_tchild_attr(const struct wss_ctx *x, const struct wss_tchild *ch, enum wss_tns ns,
                            const char *name)
{
	const char *v = NULL;
	for (unsigned i = ch->attr0; i < ch->attr0 + ch->nattr && !v; i++) {
		const struct wss_tattr *a = &x->cap->attr[i];
		if (a->ns == ns && strcmp(a->name, name) == 0)
			v = a->value;
	}
	return v;
}

int wss_tchild_text(const struct wss_tchild *ch, size_t max, const char **out)
{
	int rc = IGW_OK;
	*out = NULL;
	if (ch->mixed)
		rc = IGW_EPARSE;
	else if (ch->long_text || !ch->text || ch->text_len > max)
		rc = IGW_ELIMIT;
	else
		*out = ch->text;
	return rc;
}

int wss_vheader(const struct wss_ctx *x)
{
	return x->cap && x->cap->vheader ? (int)x->cap->nvblock : -1;
}

const char *wss_vblock_attr(const struct wss_ctx *x, unsigned block, const char *ns,
                            const char *name)
{
	const struct wss_capture *c = x->cap;
	const struct saved_tag *t = &c->tag[c->vblock[block].tag];
	const char *v = NULL;
	for (int i = 0; i < t->nattr && !v; i++) {
		const xmlChar *const *a = t->attrs + 5 * i;
		if (strcmp((const char *)a[0], name) == 0 &&
		    (ns ? a[2] && strcmp((const char *)a[2], ns) == 0 : !a[2]))
			v = (const char *)a[3];
	}
	return v;
}

const struct wss_token *wss_vblock_token(const struct wss_ctx *x, unsigned block, unsigned i)
{
	const struct wss_capture *c = x->cap;
	return i < c->vblock[block].ntok ? &c->tok[c->vblock[block].tok0 + i] : NULL;
}
