/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IMS output message -> response XML.
 *
 * Segments are split by their LL; the first message spec takes one segment
 * each, the last takes the rest (within its min..max).  A segment's length
 * must be the record's (for an ODO record: fixed part + count x entry, the
 * count read from the ODO object).  Every visible value is checked:
 *   zoned   digit nibbles 0-9 with zone F; the sign nibble C/D/F when signed
 *           (F only when unsigned); a separate sign is '+' or '-'
 *   packed  digit nibbles 0-9, a pad nibble of 0, sign C/D/F (F or C when
 *           unsigned)
 *   binary  COMP/BINARY: |value| < 10^digits; COMP-5: any value
 *   text    trailing spaces and NULs removed (leading too when JUSTIFIED);
 *           every byte must map to a character XML 1.0 allows
 * Nothing is appended to `out` unless the whole message converts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "imsgw/error.h"
#include "cb_internal.h"

static const char R_LENGTH[] = "CONV-OUT-LENGTH";
static const char R_SEGMENTS[] = "CONV-OUT-SEGMENTS";
static const char R_ODO[] = "CONV-OUT-ODO";
static const char R_ZONED[] = "CONV-OUT-ZONED";
static const char R_PACKED[] = "CONV-OUT-PACKED";
static const char R_DIGITS[] = "CONV-OUT-DIGITS";
static const char R_CHARSET[] = "CONV-OUT-CHARSET";

struct dctx {
	const struct igw_cb_codepage *cp;
	struct igw_cb_diag *d;
	struct igw_buf *out;
	const uint8_t *rec;
	const char *seg;
	unsigned segno;
	const struct igw_cb_field *pf[IGW_CB_XML_DEPTH_MAX + 1];
	unsigned pi[IGW_CB_XML_DEPTH_MAX + 1];
	unsigned depth;
	int raw;	/* text without XML escaping (igw_cb_field_get) */
};

static int refuse(struct dctx *c, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct dctx *c, const char *reason, const char *fmt, ...)
{
	if (c->d) {
		va_list ap;
		char seghead[IGW_CB_PATH_MAX];
		c->d->reason = reason;
		snprintf(seghead, sizeof(seghead), "%s[%u]", c->seg ? c->seg : "", c->segno);
		cb_diag_where(c->d, seghead, c->pf, c->pi, c->depth);
		va_start(ap, fmt);
		vsnprintf(c->d->text, sizeof(c->d->text), fmt, ap);
		va_end(ap);
	}
	return IGW_ECONV;
}

static uint64_t get_be(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v = v << 8 | p[i];
	return v;
}

/* Read a numeric field into v.  Returns NULL or the reason it is invalid. */
static const char *get_number(const struct igw_cb_codepage *cp,
                              const struct igw_cb_field *f, const uint8_t *p,
                              struct cb_num *v, char *why, size_t whylen)
{
	const char *reason = NULL;
	memset(v, 0, sizeof(*v));
	v->ndig = f->digits;
	if (f->type == IGW_CB_ZONED) {
		const uint8_t *dp = p;
		if (f->sign_separate) {
			uint8_t s = f->sign_leading ? p[0] : p[f->digits];
			if (f->sign_leading)
				dp = p + 1;
			if (s == cp->minus)
				v->neg = 1;
			else if (s != cp->plus) {
				reason = R_ZONED;
				snprintf(why, whylen, "sign byte X'%02X' is neither + nor -", s);
			}
		}
		unsigned sat = f->is_signed && !f->sign_separate ?
		               (f->sign_leading ? 0 : f->digits - 1) : f->digits;
		for (unsigned i = 0; i < f->digits && !reason; i++) {
			unsigned zone = dp[i] >> 4, dig = dp[i] & 0x0F;
			if (dig > 9) {
				reason = R_ZONED;
			} else if (i == sat) {
				if (zone == 0xD)
					v->neg = 1;
				else if (zone != 0xC && zone != 0xF)
					reason = R_ZONED;
			} else if (zone != 0xF) {
				reason = R_ZONED;
			}
			if (reason)
				snprintf(why, whylen, "byte X'%02X' at digit %u is not a valid zoned digit",
				         dp[i], i + 1);
			v->d[i] = (uint8_t)dig;
		}
	} else if (f->type == IGW_CB_PACKED) {
		unsigned nib = f->size * 2, pad = nib - 1 - f->digits;
		for (unsigned k = 0; k < nib - 1 && !reason; k++) {
			unsigned x = k % 2 ? p[k / 2] & 0x0F : p[k / 2] >> 4;
			if (x > 9 || (k < pad && x != 0)) {
				reason = R_PACKED;
				snprintf(why, whylen, "nibble %u is X'%X'", k + 1, x);
			} else if (k >= pad) {
				v->d[k - pad] = (uint8_t)x;
			}
		}
		unsigned s = p[f->size - 1] & 0x0F;
		if (!reason) {
			if (s == 0xD && f->is_signed)
				v->neg = 1;
			else if (!(s == 0xF || s == 0xC)) {
				reason = R_PACKED;
				snprintf(why, whylen, "sign nibble X'%X'%s", s,
				         f->is_signed ? "" : " in an unsigned field");
			}
		}
	} else {
		uint64_t raw = get_be(p, f->size), mag;
		int neg = 0;
		unsigned bits = f->size * 8;
		if (f->is_signed && (raw >> (bits - 1)) & 1) {
			neg = 1;
			mag = (~raw + 1) & (bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1);
		} else {
			mag = raw;
		}
		if (f->type == IGW_CB_BINARY) {
			uint64_t lim = 1;
			for (unsigned i = 0; i < f->digits; i++)
				lim *= 10;
			if (mag >= lim) {
				reason = R_DIGITS;
				snprintf(why, whylen, "binary value %s%llu has more than %u digits",
				         neg ? "-" : "", (unsigned long long)mag, f->digits);
			}
			cb_num_from_u64(mag, neg, f->digits, v);
		} else {
			cb_num_from_u64(mag, neg, 20, v);
		}
	}
	return reason;
}

static int put_text(struct dctx *c, const struct igw_cb_field *f, const uint8_t *p)
{
	int rc = IGW_OK;
	const struct igw_cb_codepage *cp = c->cp;
	size_t b = 0, e = f->size, need = 0;
	while (e > b && (p[e - 1] == cp->space || p[e - 1] == 0))
		e--;
	if (f->justified)
		while (b < e && p[b] == cp->space)
			b++;
	for (size_t i = b; i < e && rc == IGW_OK; i++) {
		uint8_t x = p[i];
		if (!cp->xml_ok[x])
			rc = refuse(c, R_CHARSET, "byte X'%02X' at offset %zu is not a character "
			            "XML can carry", x, i);
		else
			need += 6;
	}
	if (rc == IGW_OK)
		rc = igw_buf_reserve(c->out, need);
	for (size_t i = b; i < e && rc == IGW_OK; i++) {
		uint8_t x = p[i];
		uint32_t u = cp->e2u[x];
		const char *ent = c->raw ? NULL : u == '&' ? "&amp;" : u == '<' ? "&lt;" :
		                  u == '>' ? "&gt;" : u == '\r' ? "&#13;" : NULL;
		uint8_t *o = c->out->data + c->out->len;
		if (ent) {
			size_t l = strlen(ent);
			memcpy(o, ent, l);
			c->out->len += l;
		} else {
			memcpy(o, cp->u8[x], cp->u8len[x]);
			c->out->len += cp->u8len[x];
		}
	}
	if (rc == IGW_OK && c->out->data)
		c->out->data[c->out->len] = 0;
	return rc;
}

static int put_value(struct dctx *c, const struct igw_cb_field *f, const uint8_t *p)
{
	int rc = IGW_OK;
	if (f->type == IGW_CB_ALNUM || f->type == IGW_CB_ALPHA) {
		rc = put_text(c, f, p);
	} else {
		struct cb_num v;
		char why[IGW_CB_DIAG_TEXT_MAX];
		const char *reason = get_number(c->cp, f, p, &v, why, sizeof(why));
		if (reason)
			rc = refuse(c, reason, "%s", why);
		else
			rc = cb_num_format(&v, f->scale, c->out);
	}
	return rc;
}

/* "<name>" or "</name>" without printf */
static int put_tag(struct igw_buf *out, const char *name, int close)
{
	size_t n = strlen(name);
	int rc = igw_buf_reserve(out, n + 3);
	if (rc == IGW_OK) {
		uint8_t *o = out->data + out->len;
		*o++ = '<';
		if (close)
			*o++ = '/';
		memcpy(o, name, n);
		o[n] = '>';
		out->len += n + 2 + (close ? 1u : 0u);
		out->data[out->len] = 0;
	}
	return rc;
}

static int decode_group(struct dctx *c, const struct igw_cb_field *g, unsigned base,
                        unsigned odo_count)
{
	int rc = IGW_OK;
	for (const struct igw_cb_field *f = g->child; f && rc == IGW_OK; f = f->next) {
		if (f->hidden)
			continue;
		unsigned n = f->depending ? odo_count : f->occurs_max;
		for (unsigned i = 0; i < n && rc == IGW_OK; i++) {
			unsigned off = base + f->rel + i * f->size;
			if (c->depth >= IGW_CB_XML_DEPTH_MAX)
				return IGW_EINTERNAL;
			c->pf[c->depth] = f;
			c->pi[c->depth] = i;
			c->depth++;
			rc = put_tag(c->out, f->xml_name, 0);
			if (rc == IGW_OK) {
				if (f->type == IGW_CB_GROUP)
					rc = decode_group(c, f, off, odo_count);
				else
					rc = put_value(c, f, c->rec + off);
			}
			if (rc == IGW_OK)
				rc = put_tag(c->out, f->xml_name, 1);
			if (rc == IGW_OK)
				c->depth--;
		}
	}
	return rc;
}

static int decode_segment(struct dctx *c, const struct igw_cb_field *rec,
                          const uint8_t *p, size_t n)
{
	int rc = IGW_OK;
	const struct igw_cb_field *odo = igw_cb_record_odo(rec);
	size_t want = rec->size;
	unsigned count = 0;
	c->rec = p;
	c->seg = rec->xml_name;
	c->depth = 0;
	if (odo) {
		const struct igw_cb_field *obj = odo->depending;
		if (n < odo->offset) {
			rc = refuse(c, R_LENGTH, "segment is %zu bytes, at least %u needed", n,
			            odo->offset);
		} else {
			struct cb_num v;
			char why[IGW_CB_DIAG_TEXT_MAX];
			uint64_t m = 0;
			c->pf[0] = obj;
			c->pi[0] = 0;
			c->depth = 1;
			const char *reason = get_number(c->cp, obj, p + obj->offset, &v, why,
			                                sizeof(why));
			if (reason)
				rc = refuse(c, reason, "%s", why);
			else if (cb_num_to_u64(&v, &m) != 0 || v.neg || m < odo->occurs_min ||
			         m > odo->occurs_max)
				rc = refuse(c, R_ODO, "count %s%llu outside %u..%u", v.neg ? "-" : "",
				            (unsigned long long)m, odo->occurs_min, odo->occurs_max);
			else {
				count = (unsigned)m;
				want = odo->offset + (size_t)count * odo->size;
				c->depth = 0;
			}
		}
	}
	if (rc == IGW_OK && n != want)
		rc = refuse(c, R_LENGTH, "segment is %zu bytes, the layout needs %zu", n, want);
	if (rc == IGW_OK)
		rc = put_tag(c->out, rec->xml_name, 0);
	if (rc == IGW_OK)
		rc = rec->type == IGW_CB_GROUP ? decode_group(c, rec, 0, count) :
		     put_value(c, rec, p);	/* elementary 01 record */
	if (rc == IGW_OK)
		rc = put_tag(c->out, rec->xml_name, 1);
	return rc;
}

static int has_ll(const struct igw_cb_field *rec)
{
	const struct igw_cb_field *f = rec->child;
	while (f && f->child)
		f = f->child;
	return f && f->role == IGW_CB_ROLE_LL;
}

static int put_attr_escaped(struct igw_buf *out, const char *s)
{
	int rc = IGW_OK;
	for (; *s && rc == IGW_OK; s++) {
		switch (*s) {
		case '&': rc = igw_buf_append_str(out, "&amp;"); break;
		case '<': rc = igw_buf_append_str(out, "&lt;"); break;
		case '"': rc = igw_buf_append_str(out, "&quot;"); break;
		default: rc = igw_buf_append_byte(out, (uint8_t)*s); break;
		}
	}
	return rc;
}

int igw_cb_decode(const struct igw_cb_msg *msg, const struct igw_cb_conv *cv,
                  const char *wrapper, const uint8_t *data, size_t len,
                  struct igw_buf *out, struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	struct dctx c;
	size_t start = out->len, pos = 0;
	unsigned segno = 0;

	cb_diag_clear(diag);
	if (!msg || !cv || !cv->cp || !wrapper || !*wrapper || (!data && len) ||
	    msg->nseg == 0)
		return IGW_EINVAL;
	memset(&c, 0, sizeof(c));
	c.cp = cv->cp;
	c.d = diag;
	c.out = out;
	rc = igw_buf_printf(out, "<%s", wrapper);
	if (rc == IGW_OK && cv->ns) {
		rc = igw_buf_append_str(out, " xmlns=\"");
		if (rc == IGW_OK)
			rc = put_attr_escaped(out, cv->ns);
		if (rc == IGW_OK)
			rc = igw_buf_append_byte(out, '"');
	}
	if (rc == IGW_OK)
		rc = igw_buf_append_byte(out, '>');
	for (unsigned k = 0; k < msg->nseg && rc == IGW_OK; k++) {
		const struct igw_cb_field *rec = msg->seg[k].rec;
		unsigned count = 0;
		int ll = has_ll(rec);
		c.seg = rec->xml_name;
		while (rc == IGW_OK && pos < len && count < msg->seg[k].max) {
			size_t n = len - pos;
			c.segno = count + 1;
			c.depth = 0;
			if (++segno > IGW_CB_SEGMENTS_MAX) {
				rc = refuse(&c, R_SEGMENTS, "more than %u segments", IGW_CB_SEGMENTS_MAX);
				break;
			}
			if (ll) {
				n = len - pos < 4 ? 0 : (size_t)get_be(data + pos, 2);
				if (n < 4 || n > len - pos) {
					rc = refuse(&c, R_LENGTH, "segment LL %zu with %zu bytes left", n,
					            len - pos);
					break;
				}
			}
			rc = decode_segment(&c, rec, data + pos, n);
			pos += n;
			count++;
		}
		if (rc == IGW_OK && count < msg->seg[k].min) {
			c.segno = count + 1;
			c.depth = 0;
			rc = refuse(&c, R_SEGMENTS, "segment %s missing", rec->name);
		}
	}
	if (rc == IGW_OK && pos < len) {
		c.seg = "";
		c.segno = segno + 1;
		c.depth = 0;
		rc = refuse(&c, R_SEGMENTS, "%zu bytes after the last expected segment", len - pos);
	}
	if (rc == IGW_OK)
		rc = igw_buf_printf(out, "</%s>", wrapper);
	if (rc != IGW_OK) {
		if (rc == IGW_ELIMIT && diag)
			snprintf(diag->text, sizeof(diag->text), "response XML larger than the buffer");
		if (out->data) {
			memset(out->data + start, 0, out->len - start);
			out->data[start] = 0;
		}
		out->len = start;
	}
	return rc;
}

int igw_cb_field_get(const struct igw_cb_codepage *cp, const struct igw_cb_field *f,
                     const uint8_t *rec, size_t reclen, unsigned off,
                     struct igw_buf *out, struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	struct dctx c;
	size_t start = out->len;
	cb_diag_clear(diag);
	if (!cp || !f || !rec || f->type == IGW_CB_GROUP || off > reclen ||
	    f->size > reclen - off)
		return IGW_EINVAL;
	memset(&c, 0, sizeof(c));
	c.cp = cp;
	c.d = diag;
	c.out = out;
	c.raw = 1;
	c.seg = "";
	c.pf[0] = f;
	c.depth = 1;
	rc = put_value(&c, f, rec + off);
	if (rc != IGW_OK) {
		out->len = start;
		if (out->data)
			out->data[start] = 0;
	}
	return rc;
}
