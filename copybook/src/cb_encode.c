/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Request XML -> IMS input message.
 *
 * Each segment starts as a default image (EBCDIC spaces; numeric items
 * zero in their own representation), then the values found in the XML are
 * checked and written.  Elements must follow the record's order (xsd:sequence);
 * an element may repeat up to its OCCURS maximum.  LL (actual segment length),
 * ZZ (zero) and the transaction code are filled in last.  Nothing is written
 * to `out` unless the whole message converts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "imsgw/error.h"
#include "cb_internal.h"

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

static const char R_MALFORMED[] = "CONV-IN-MALFORMED";
static const char R_LIMIT[] = "CONV-IN-LIMIT";
static const char R_UNKNOWN[] = "CONV-IN-UNKNOWN";
static const char R_MISSING[] = "CONV-IN-MISSING";
static const char R_OCCURS[] = "CONV-IN-OCCURS";
static const char R_TOOLONG[] = "CONV-IN-TOO-LONG";
static const char R_CHARSET[] = "CONV-IN-CHARSET";
static const char R_NOTALPHA[] = "CONV-IN-NOT-ALPHA";
static const char R_DIGITS[] = "CONV-IN-DIGITS";

struct ectx {
	const struct igw_cb_conv *cv;
	const struct igw_cb_codepage *cp;
	struct igw_cb_diag *d;
	uint8_t *rec;
	const char *seg;		/* segment xml name, for paths */
	const struct igw_cb_field *pf[IGW_CB_XML_DEPTH_MAX + 1];
	unsigned pi[IGW_CB_XML_DEPTH_MAX + 1];
	unsigned depth;
	unsigned odo_count;
	struct igw_buf text;		/* scratch for split text nodes */
};

static int refuse(struct ectx *c, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct ectx *c, const char *reason, const char *fmt, ...)
{
	if (c->d) {
		va_list ap;
		c->d->reason = reason;
		cb_diag_where(c->d, c->seg ? c->seg : "", c->pf, c->pi, c->depth);
		va_start(ap, fmt);
		vsnprintf(c->d->text, sizeof(c->d->text), fmt, ap);
		va_end(ap);
	}
	return IGW_ECONV;
}

void cb_binary_range(const struct igw_cb_field *f, uint64_t *maxpos,
                     uint64_t *maxneg)
{
	unsigned bits = f->size * 8;
	if (f->is_signed) {
		*maxpos = (UINT64_C(1) << (bits - 1)) - 1;
		*maxneg = UINT64_C(1) << (bits - 1);
	} else {
		*maxpos = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
		*maxneg = 0;
	}
}

static void put_binary(uint8_t *p, unsigned size, uint64_t mag, int neg)
{
	uint64_t v = neg ? ~mag + 1 : mag;
	for (unsigned i = size; i > 0; i--) {
		p[i - 1] = (uint8_t)(v & 0xFF);
		v >>= 8;
	}
}

static void put_zoned(const struct igw_cb_codepage *cp, const struct igw_cb_field *f,
                      uint8_t *p, const struct cb_num *v)
{
	uint8_t *dp = p;
	if (f->sign_separate) {
		uint8_t s = v->neg ? cp->minus : cp->plus;
		if (f->sign_leading) {
			p[0] = s;
			dp = p + 1;
		} else {
			p[f->digits] = s;
		}
	}
	for (unsigned i = 0; i < f->digits; i++)
		dp[i] = cp->digit[v->d[i]];
	if (f->is_signed && !f->sign_separate) {
		unsigned at = f->sign_leading ? 0 : f->digits - 1;
		dp[at] = (uint8_t)((v->neg ? 0xD0 : 0xC0) | v->d[at]);
	}
}

static void put_packed(const struct igw_cb_field *f, uint8_t *p, const struct cb_num *v)
{
	unsigned nib = f->size * 2;	/* nibbles, the last one is the sign */
	unsigned pad = nib - 1 - f->digits;
	memset(p, 0, f->size);
	for (unsigned i = 0; i < f->digits; i++) {
		unsigned k = pad + i;
		p[k / 2] |= (uint8_t)(k % 2 ? v->d[i] : v->d[i] << 4);
	}
	p[f->size - 1] |= (uint8_t)(!f->is_signed ? 0x0F : v->neg ? 0x0D : 0x0C);
}

/* Store a checked value into a numeric field. */
static int put_number(struct ectx *c, const struct igw_cb_field *f, uint8_t *p,
                      const struct cb_num *v)
{
	int rc = IGW_OK;
	uint64_t mag, maxpos, maxneg;
	switch (f->type) {
	case IGW_CB_ZONED:
		put_zoned(c->cp, f, p, v);
		break;
	case IGW_CB_PACKED:
		put_packed(f, p, v);
		break;
	case IGW_CB_BINARY:
	case IGW_CB_COMP5:
		if (cb_num_to_u64(v, &mag) != 0) {
			rc = refuse(c, R_DIGITS, "value does not fit %u bytes", f->size);
		} else {
			cb_binary_range(f, &maxpos, &maxneg);
			if (mag > (v->neg ? maxneg : maxpos))
				rc = refuse(c, R_DIGITS, "value does not fit %u bytes", f->size);
			else
				put_binary(p, f->size, mag, v->neg);
		}
		break;
	default:
		rc = IGW_EINTERNAL;
		break;
	}
	return rc;
}

/* Digits to parse into for a numeric field: COMP-5 holds its full binary range. */
static unsigned parse_digits(const struct igw_cb_field *f)
{
	unsigned d = f->digits;
	if (f->type == IGW_CB_COMP5)
		d = f->size == 2 ? 5 : f->size == 4 ? 10 : 20;
	return d;
}

static int put_uint(struct ectx *c, const struct igw_cb_field *f, uint8_t *p, uint64_t v)
{
	struct cb_num n;
	cb_num_from_u64(v, 0, parse_digits(f), &n);
	return put_number(c, f, p, &n);
}

static int encode_number(struct ectx *c, const struct igw_cb_field *f, uint8_t *p,
                         const char *s, size_t n)
{
	struct cb_num v;
	int rc = IGW_OK;
	const char *reason = cb_num_parse(s, n, parse_digits(f), f->scale, f->is_signed, &v);
	if (reason) {
		char shown[40];
		size_t k = n < sizeof(shown) - 1 ? n : sizeof(shown) - 1;
		memcpy(shown, s, k);
		shown[k] = 0;
		rc = refuse(c, reason, "'%s' does not fit PIC %s9(%u)%s%u", shown,
		            f->is_signed ? "S" : "", f->digits - f->scale,
		            f->scale ? "V9" : " scale ", f->scale);
	} else {
		rc = put_number(c, f, p, &v);
	}
	return rc;
}

static int encode_text(struct ectx *c, const struct igw_cb_field *f, uint8_t *p,
                       const char *s, size_t n)
{
	int rc = IGW_OK;
	size_t len = 0;
	if (f->type == IGW_CB_ALPHA)
		for (size_t i = 0; i < n && rc == IGW_OK; i++) {
			char ch = s[i];
			if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == ' '))
				rc = refuse(c, R_NOTALPHA, "PIC A accepts letters and spaces only");
		}
	if (rc == IGW_OK) {
		int r = igw_cb_to_ebcdic(c->cp, s, n, p, f->size, &len);
		if (r == IGW_ECONV)
			rc = refuse(c, R_CHARSET, "character not in code page %s", c->cp->name);
		else if (r == IGW_ELIMIT && !c->cv->allow_truncate)
			rc = refuse(c, R_TOOLONG, "text longer than PIC X(%u)", f->size);
	}
	if (rc == IGW_OK) {
		if (f->justified && len < f->size) {
			memmove(p + (f->size - len), p, len);
			memset(p, c->cp->space, f->size - len);
		} else if (len < f->size) {
			memset(p + len, c->cp->space, f->size - len);
		}
	}
	return rc;
}

/* Default image of a subtree, every occurrence. */
static void fill_defaults(struct ectx *c, const struct igw_cb_field *f, unsigned base)
{
	if (f->role == IGW_CB_ROLE_UNSELECTED)
		return;
	for (unsigned i = 0; i < f->occurs_max; i++) {
		unsigned off = base + f->rel + i * f->size;
		if (f->type == IGW_CB_GROUP) {
			for (const struct igw_cb_field *ch = f->child; ch; ch = ch->next)
				fill_defaults(c, ch, off);
		} else if (f->type >= IGW_CB_ZONED) {
			(void)put_uint(c, f, c->rec + off, 0);
		}
	}
}

static int is_nil(const xmlNode *x)
{
	int nil = 0;
	for (const xmlAttr *a = x->properties; a && !nil; a = a->next)
		if (a->ns && a->ns->href && !strcmp((const char *)a->ns->href, XSI_NS) &&
		    !strcmp((const char *)a->name, "nil") && a->children &&
		    a->children->content &&
		    (!strcmp((const char *)a->children->content, "true") ||
		     !strcmp((const char *)a->children->content, "1")))
			nil = 1;
	return nil;
}

static int only_space(const xmlChar *s)
{
	int ok = 1;
	for (; s && *s && ok; s++)
		ok = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
	return ok;
}

static int encode_value(struct ectx *c, const struct igw_cb_field *f, uint8_t *p,
                        const xmlNode *x)
{
	int rc = IGW_OK;
	const char *s = "";
	size_t n = 0;
	unsigned ntext = 0;
	for (const xmlNode *t = x->children; t && rc == IGW_OK; t = t->next) {
		if (t->type == XML_ELEMENT_NODE)
			rc = refuse(c, R_UNKNOWN, "element <%s> inside a value", t->name);
		else if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
		         t->content) {
			if (ntext == 0) {
				s = (const char *)t->content;
				n = strlen(s);
			} else {
				if (ntext == 1) {
					igw_buf_reset(&c->text);
					rc = igw_buf_append(&c->text, s, n);
				}
				if (rc == IGW_OK)
					rc = igw_buf_append_str(&c->text, (const char *)t->content);
				if (rc != IGW_OK)
					rc = refuse(c, R_LIMIT, "value too large");
			}
			ntext++;
		}
	}
	if (rc == IGW_OK && ntext > 1) {
		s = igw_buf_cstr(&c->text);
		n = c->text.len;
	}
	if (rc == IGW_OK) {
		if (f->type == IGW_CB_ALNUM || f->type == IGW_CB_ALPHA)
			rc = encode_text(c, f, p, s, n);
		else
			rc = encode_number(c, f, p, s, n);
	}
	return rc;
}

static const struct igw_cb_field *next_visible(const struct igw_cb_field *f)
{
	while (f && f->hidden)
		f = f->next;
	return f;
}

static int encode_group(struct ectx *c, const struct igw_cb_field *g, unsigned base,
                        const xmlNode *node)
{
	int rc = IGW_OK;
	const struct igw_cb_field *cur = next_visible(g->child);
	unsigned occ = 0;
	for (const xmlNode *x = node->children; x && rc == IGW_OK; x = x->next) {
		if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) {
			if (!only_space(x->content))
				rc = refuse(c, R_UNKNOWN, "text where elements are expected");
			continue;
		}
		if (x->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)x->name;
		const struct igw_cb_field *f = NULL;
		if (cur && !strcmp(cur->xml_name, name)) {
			if (occ < cur->occurs_max)
				f = cur;
			else
				rc = refuse(c, R_OCCURS, "more than %u <%s> elements", cur->occurs_max,
				            name);
		} else {
			for (f = cur ? next_visible(cur->next) : NULL; f; f = next_visible(f->next))
				if (!strcmp(f->xml_name, name))
					break;
			if (f) {
				cur = f;
				occ = 0;
			} else {
				int known = 0;
				for (f = next_visible(g->child); f && !known; f = next_visible(f->next))
					known = !strcmp(f->xml_name, name);
				f = NULL;
				rc = refuse(c, R_UNKNOWN, known ? "element <%s> out of order"
				                                : "unknown element <%s>", name);
			}
		}
		if (rc != IGW_OK || !f)
			break;
		unsigned idx = occ++;
		unsigned off = base + f->rel + idx * f->size;
		if (f->depending)
			c->odo_count = occ;
		if (c->depth >= IGW_CB_XML_DEPTH_MAX) {
			rc = refuse(c, R_LIMIT, "nesting too deep");
			break;
		}
		c->pf[c->depth] = f;
		c->pi[c->depth] = idx;
		c->depth++;
		if (!is_nil(x)) {
			if (f->type == IGW_CB_GROUP)
				rc = encode_group(c, f, off, x);
			else
				rc = encode_value(c, f, c->rec + off, x);
		}
		if (rc == IGW_OK)
			c->depth--;
	}
	return rc;
}

static const struct igw_cb_field *first_leaf(const struct igw_cb_field *rec)
{
	const struct igw_cb_field *f = rec->child;
	while (f && f->child)
		f = f->child;
	return f;
}

/* The elementary item stored after f (NULL at the record end). */
static const struct igw_cb_field *leaf_after(const struct igw_cb_field *f)
{
	const struct igw_cb_field *n = NULL;
	for (const struct igw_cb_field *g = f; g && !n; g = g->parent) {
		n = g->next;
		while (n && n->redefines)
			n = n->next;
	}
	while (n && n->child)
		n = n->child;
	return n;
}

/* LL = segment length, ZZ = 0, transaction code from the service. */
static int fill_prefix(struct ectx *c, const struct igw_cb_field *rec, unsigned len)
{
	int rc = IGW_OK;
	const struct igw_cb_field *ll = first_leaf(rec);
	const struct igw_cb_field *zz = ll ? leaf_after(ll) : NULL;
	const struct igw_cb_field *tc = zz ? leaf_after(zz) : NULL;
	if (ll && ll->role == IGW_CB_ROLE_LL) {
		put_binary(c->rec + ll->offset, 2, len, 0);
		if (zz && zz->role == IGW_CB_ROLE_ZZ)
			put_binary(c->rec + zz->offset, 2, 0, 0);
		if (tc && tc->role == IGW_CB_ROLE_TRANCODE && c->cv->trancode) {
			size_t tl = 0;
			if (igw_cb_to_ebcdic(c->cp, c->cv->trancode, strlen(c->cv->trancode),
			                     c->rec + tc->offset, tc->size, &tl) != IGW_OK) {
				cb_diag_text(c->d, "transaction code '%s' does not fit %s",
				             c->cv->trancode, tc->name);
				rc = IGW_ECONFIG;
			}
		}
	}
	return rc;
}

static int encode_segment(struct ectx *c, const struct igw_cb_field *rec,
                          const xmlNode *x, struct igw_buf *out)
{
	int rc = igw_buf_reserve(out, rec->size);
	unsigned len = rec->size;
	const struct igw_cb_field *odo = igw_cb_record_odo(rec);
	if (rc != IGW_OK)
		return rc;
	c->rec = out->data + out->len;
	c->seg = rec->xml_name;
	c->depth = 0;
	c->odo_count = 0;
	memset(c->rec, c->cp->space, rec->size);
	fill_defaults(c, rec, 0);
	if (x && rec->type == IGW_CB_GROUP)
		rc = encode_group(c, rec, 0, x);
	else if (x && !is_nil(x))
		rc = encode_value(c, rec, c->rec, x);	/* elementary 01 record */
	if (rc == IGW_OK && odo) {
		c->depth = 0;
		c->pf[c->depth] = odo;
		c->pi[c->depth++] = 0;
		if (c->odo_count < odo->occurs_min)
			rc = refuse(c, R_OCCURS, "at least %u elements needed", odo->occurs_min);
		else
			rc = put_uint(c, odo->depending, c->rec + odo->depending->offset,
			              c->odo_count);
		len = odo->offset + c->odo_count * odo->size;
		if (rc == IGW_OK)
			c->depth = 0;
	}
	if (rc == IGW_OK)
		rc = fill_prefix(c, rec, len);
	if (rc == IGW_OK)
		out->len += len;
	else
		memset(c->rec, 0, rec->size);	/* request data beyond len */
	return rc;
}

int igw_cb_encode_node(const struct igw_cb_msg *msg,
                       const struct igw_cb_conv *cv, const xmlNode *wrapper,
                       struct igw_buf *out, struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	struct ectx c;
	unsigned count[IGW_CB_MSG_SPECS_MAX];
	unsigned cur = 0;
	size_t start = out->len;

	cb_diag_clear(diag);
	if (!msg || !cv || !cv->cp || !wrapper || msg->nseg == 0)
		return IGW_EINVAL;
	memset(&c, 0, sizeof(c));
	memset(count, 0, sizeof(count));
	c.cv = cv;
	c.cp = cv->cp;
	c.d = diag;
	rc = igw_buf_init(&c.text, IGW_CB_XML_IN_MAX);
	for (const xmlNode *x = wrapper->children; x && rc == IGW_OK; x = x->next) {
		if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) {
			if (!only_space(x->content))
				rc = refuse(&c, R_UNKNOWN, "text where segments are expected");
			continue;
		}
		if (x->type != XML_ELEMENT_NODE)
			continue;
		unsigned k = cur;
		while (k < msg->nseg && strcmp(msg->seg[k].rec->xml_name, (const char *)x->name))
			k++;
		if (k == msg->nseg) {
			rc = refuse(&c, R_UNKNOWN, "unknown or misplaced segment <%s>", x->name);
		} else if (count[k] == msg->seg[k].max) {
			c.seg = msg->seg[k].rec->xml_name;
			rc = refuse(&c, R_OCCURS, "more than %u <%s> segments", msg->seg[k].max,
			            x->name);
		} else {
			for (unsigned j = cur; j < k && rc == IGW_OK; j++)
				if (count[j] < msg->seg[j].min) {
					c.seg = msg->seg[j].rec->xml_name;
					rc = refuse(&c, R_MISSING, "segment <%s> missing",
					            msg->seg[j].rec->xml_name);
				}
			cur = k;
			count[k]++;
			if (rc == IGW_OK && out->len - start + msg->seg[k].rec->size > IGW_CB_MESSAGE_MAX)
				rc = refuse(&c, R_LIMIT, "message larger than %u bytes", IGW_CB_MESSAGE_MAX);
			if (rc == IGW_OK)
				rc = encode_segment(&c, msg->seg[k].rec, x, out);
		}
	}
	for (unsigned j = cur; j < msg->nseg && rc == IGW_OK; j++)
		if (count[j] < msg->seg[j].min) {
			c.seg = msg->seg[j].rec->xml_name;
			c.depth = 0;
			rc = refuse(&c, R_MISSING, "segment <%s> missing", msg->seg[j].rec->xml_name);
		}
	if (rc == IGW_ELIMIT || rc == IGW_ENOMEM)
		cb_diag_text(diag, "output buffer: %s", rc == IGW_ELIMIT ? "limit" : "no memory");
	if (rc != IGW_OK) {
		if (out->data)
			memset(out->data + start, 0, out->len - start);
		out->len = start;
		if (out->data)
			out->data[start] = 0;
	}
	igw_buf_free(&c.text);
	return rc;
}

static int has_doctype(const char *xml, size_t len)
{
	static const char pat[] = "<!DOCTYPE";
	size_t m = sizeof(pat) - 1;
	int hit = 0;
	for (size_t i = 0; i + m <= len && !hit; i++)
		hit = xml[i] == '<' && memcmp(xml + i, pat, m) == 0;
	return hit;
}

int igw_cb_encode_xml(const struct igw_cb_msg *msg,
                      const struct igw_cb_conv *cv, const char *xml,
                      size_t len, struct igw_buf *out,
                      struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	xmlParserCtxtPtr ctx = NULL;
	xmlDocPtr doc = NULL;
	const xmlNode *root = NULL;
	cb_diag_clear(diag);
	if (!xml)
		return IGW_EINVAL;
	if (len > IGW_CB_XML_IN_MAX || len > (size_t)INT32_MAX) {
		rc = IGW_ECONV;
		if (diag) {
			diag->reason = R_LIMIT;
			snprintf(diag->text, sizeof(diag->text), "XML larger than %u bytes",
			         IGW_CB_XML_IN_MAX);
		}
	} else if (has_doctype(xml, len)) {
		rc = IGW_ECONV;
		if (diag) {
			diag->reason = R_MALFORMED;
			snprintf(diag->text, sizeof(diag->text), "DTD not allowed");
		}
	}
	if (rc == IGW_OK) {
		ctx = xmlNewParserCtxt();
		if (!ctx)
			rc = IGW_ENOMEM;
	}
	if (rc == IGW_OK) {
		/* UTF-8 forced: no encoding switch driven by the input */
		doc = xmlCtxtReadMemory(ctx, xml, (int)len, NULL, "UTF-8",
		                        XML_PARSE_NONET | XML_PARSE_NOERROR |
		                        XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
		root = doc ? xmlDocGetRootElement(doc) : NULL;
		if (!doc || !root || doc->intSubset || doc->extSubset) {
			rc = IGW_ECONV;
			if (diag) {
				diag->reason = R_MALFORMED;
				snprintf(diag->text, sizeof(diag->text), "XML not well-formed");
			}
		}
	}
	if (rc == IGW_OK)
		rc = igw_cb_encode_node(msg, cv, root, out, diag);
	if (doc)
		xmlFreeDoc(doc);
	if (ctx)
		xmlFreeParserCtxt(ctx);
	return rc;
}

int igw_cb_field_set(const struct igw_cb_codepage *cp, const struct igw_cb_field *f,
                     uint8_t *rec, size_t reclen, unsigned off, const char *text,
                     size_t n, int allow_truncate, struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	struct ectx c;
	struct igw_cb_conv cv;
	uint8_t tmp[IGW_CB_RECORD_MAX];
	cb_diag_clear(diag);
	if (!cp || !f || !rec || !text || f->type == IGW_CB_GROUP || off > reclen ||
	    f->size > reclen - off)
		return IGW_EINVAL;
	memset(&c, 0, sizeof(c));
	memset(&cv, 0, sizeof(cv));
	cv.cp = cp;
	cv.allow_truncate = allow_truncate ? 1u : 0u;
	c.cv = &cv;
	c.cp = cp;
	c.d = diag;
	c.seg = "";
	c.pf[0] = f;
	c.depth = 1;
	/* convert into a copy so that a refused value leaves the record as it was */
	memcpy(tmp, rec + off, f->size);
	if (f->type == IGW_CB_ALNUM || f->type == IGW_CB_ALPHA)
		rc = encode_text(&c, f, tmp, text, n);
	else
		rc = encode_number(&c, f, tmp, text, n);
	if (rc == IGW_OK)
		memcpy(rec + off, tmp, f->size);
	return rc;
}

int igw_cb_record_init(const struct igw_cb_codepage *cp, const struct igw_cb_field *rec,
                       uint8_t *buf, size_t buflen)
{
	int rc = IGW_OK;
	struct ectx c;
	if (!cp || !rec || !buf || buflen < rec->size) {
		rc = IGW_EINVAL;
	} else {
		memset(&c, 0, sizeof(c));
		c.cp = cp;
		c.rec = buf;
		memset(buf, cp->space, rec->size);
		fill_defaults(&c, rec, 0);
	}
	return rc;
}

int igw_cb_conv_check(const struct igw_cb_msg *msg, const struct igw_cb_conv *cv,
                      struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	uint8_t tmp[IGW_CB_RECORD_MAX];
	cb_diag_clear(diag);
	if (!msg || !cv || !cv->cp)
		return IGW_EINVAL;
	for (unsigned i = 0; i < msg->nseg && rc == IGW_OK; i++) {
		const struct igw_cb_field *ll = first_leaf(msg->seg[i].rec);
		const struct igw_cb_field *zz = ll ? leaf_after(ll) : NULL;
		const struct igw_cb_field *tc = zz ? leaf_after(zz) : NULL;
		size_t n = 0;
		if (ll && ll->role == IGW_CB_ROLE_LL && zz && zz->role == IGW_CB_ROLE_ZZ && tc &&
		    tc->role == IGW_CB_ROLE_TRANCODE && cv->trancode &&
		    igw_cb_to_ebcdic(cv->cp, cv->trancode, strlen(cv->trancode), tmp, tc->size,
		                     &n) != IGW_OK) {
			cb_diag_text(diag, "transaction code '%s' does not fit %s PIC X(%u) in %s",
			             cv->trancode, tc->name, tc->size, cv->cp->name);
			rc = IGW_ECONFIG;
		}
	}
	return rc;
}
