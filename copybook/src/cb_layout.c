/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Storage allocation as IBM Enterprise COBOL does it, without SYNC (refused
 * by the parser, so there are no slack bytes):
 *   PIC X(n)/A(n)                 n bytes
 *   PIC [S]9(n) DISPLAY           n bytes, +1 with SIGN ... SEPARATE
 *   PIC [S]9(n) COMP/COMP-4/BINARY/COMP-5
 *                                 2 bytes (n 1-4), 4 (5-9), 8 (10-18)
 *   PIC [S]9(n) COMP-3            n/2 + 1 bytes
 *   group                         sum of its children (x OCCURS)
 *   REDEFINES                     same offset as the redefined item, must
 *                                 not be larger (except at level 01)
 * USAGE and SIGN on a group apply to its numeric children.  OCCURS DEPENDING
 * ON: one per record, not nested in another OCCURS, not under a REDEFINES,
 * and the table is the last item of the record (IBM's "complex ODO" is
 * refused); its object is an integer field that precedes it outside any table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/error.h"
#include "cb_internal.h"

struct lctx {
	struct igw_cb_copybook *cb;
	const struct igw_cb_parse_opts *o;
	struct igw_cb_diag *d;
	struct cb_node *odo;	/* ODO table of the current record */
};

static int fail(struct lctx *c, const struct cb_node *nd, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct lctx *c, const struct cb_node *nd, int rc, const char *fmt, ...)
{
	char m[IGW_CB_DIAG_TEXT_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	cb_diag_at(c->d, c->cb->name, nd->f.line, "%s: %s", nd->f.name, m);
	return rc;
}

static unsigned binary_size(unsigned digits)
{
	return digits <= 4 ? 2u : digits <= 9 ? 4u : 8u;
}

static int lay_elementary(struct lctx *c, struct cb_node *nd, enum cb_usage usage,
                          const struct cb_node *sign_from)
{
	int rc = IGW_OK;
	struct igw_cb_field *f = &nd->f;
	if (nd->pic == CB_PIC_NONE) {
		rc = fail(c, nd, IGW_EPARSE, "%selementary item without PICTURE", "");
	} else if (nd->pic == CB_PIC_ALNUM || nd->pic == CB_PIC_ALPHA) {
		if (usage != CB_USAGE_NONE && usage != CB_USAGE_DISPLAY)
			rc = fail(c, nd, IGW_EPARSE, "%snon-DISPLAY USAGE on alphanumeric PICTURE", "");
		else if (nd->sign_clause)
			rc = fail(c, nd, IGW_EPARSE, "%sSIGN clause on alphanumeric item", "");
		f->type = nd->pic == CB_PIC_ALPHA ? IGW_CB_ALPHA : IGW_CB_ALNUM;
		f->size = nd->pic_len;
	} else {
		if (f->justified)
			rc = fail(c, nd, IGW_EPARSE, "%sJUSTIFIED on a numeric item", "");
		if (rc == IGW_OK && nd->sign_clause &&
		    (!f->is_signed || (usage != CB_USAGE_NONE && usage != CB_USAGE_DISPLAY)))
			rc = fail(c, nd, IGW_EPARSE, "%sSIGN clause needs a signed USAGE DISPLAY item", "");
		if (rc == IGW_OK && !nd->sign_clause && sign_from && f->is_signed &&
		    (usage == CB_USAGE_NONE || usage == CB_USAGE_DISPLAY)) {
			f->sign_leading = sign_from->f.sign_leading;
			f->sign_separate = sign_from->f.sign_separate;
		}
		switch (usage) {
		case CB_USAGE_NONE:
		case CB_USAGE_DISPLAY:
			f->type = IGW_CB_ZONED;
			f->size = f->digits + (f->sign_separate ? 1u : 0u);
			break;
		case CB_USAGE_BINARY:
		case CB_USAGE_COMP5:
			f->type = usage == CB_USAGE_BINARY ? IGW_CB_BINARY : IGW_CB_COMP5;
			if (f->digits > IGW_CB_BINARY_DIGITS_MAX)
				rc = fail(c, nd, IGW_EUNSUPPORTED,
				          "unsupported: binary item with more than 18 digits%s", "");
			f->size = binary_size(f->digits);
			break;
		case CB_USAGE_PACKED:
			f->type = IGW_CB_PACKED;
			f->size = f->digits / 2 + 1;
			break;
		}
	}
	return rc;
}

static struct cb_node *redef_target(struct cb_node *par, struct cb_node *ch)
{
	struct cb_node *prev = NULL, *t;
	for (t = par ? par->child : NULL; t && t != ch; t = t->next)
		prev = t;
	/* skip earlier redefinitions of the same item */
	while (prev && prev->f.redefines)
		prev = cb_node_of(prev->f.redefines);
	if (prev && !cb_name_eq(prev->f.name, ch->redef_name))
		prev = NULL;
	return prev;
}

static int lay(struct lctx *c, struct cb_node *nd, enum cb_usage usage_in,
               const struct cb_node *sign_from, unsigned odepth)
{
	int rc = IGW_OK;
	enum cb_usage usage = nd->usage != CB_USAGE_NONE ? nd->usage : usage_in;
	if (nd->has_occurs) {
		if (nd->f.level == 1)
			return fail(c, nd, IGW_EPARSE, "%sOCCURS at level 01", "");
		if (++odepth > IGW_CB_OCCURS_DEPTH_MAX)
			return fail(c, nd, IGW_ELIMIT, "%sOCCURS nested too deeply", "");
		if (nd->dep_name[0]) {
			if (odepth > 1)
				return fail(c, nd, IGW_EUNSUPPORTED,
				            "unsupported: %sOCCURS DEPENDING ON inside another OCCURS", "");
			if (c->odo)
				return fail(c, nd, IGW_EUNSUPPORTED,
				            "unsupported: %smore than one OCCURS DEPENDING ON in a record", "");
			c->odo = nd;
		}
	}
	if (nd->child) {
		unsigned long run = 0;
		if (nd->sign_clause)
			sign_from = nd;
		if (nd->f.justified)
			return fail(c, nd, IGW_EPARSE, "%sJUSTIFIED on a group", "");
		for (struct cb_node *ch = nd->child; ch && rc == IGW_OK; ch = ch->next) {
			rc = lay(c, ch, usage, sign_from, odepth);
			if (rc != IGW_OK)
				break;
			unsigned long total = (unsigned long)ch->f.size * ch->f.occurs_max;
			if (ch->redef_name[0]) {
				struct cb_node *t = redef_target(nd, ch);
				if (!t) {
					rc = fail(c, ch, IGW_EPARSE,
					          "REDEFINES %s must name the preceding item of the same level",
					          ch->redef_name);
				} else if (total > (unsigned long)t->f.size * t->f.occurs_max) {
					rc = fail(c, ch, IGW_EUNSUPPORTED,
					          "unsupported: REDEFINES item larger than %s", t->f.name);
				} else if (ch->has_occurs && ch->dep_name[0]) {
					rc = fail(c, ch, IGW_EUNSUPPORTED,
					          "unsupported: %sREDEFINES with OCCURS DEPENDING ON", "");
				} else {
					ch->f.redefines = &t->f;
					ch->f.rel = t->f.rel;
				}
			} else {
				ch->f.rel = (unsigned)run;
				run += total;
				if (run > IGW_CB_RECORD_MAX)
					rc = fail(c, ch, IGW_ELIMIT, "%srecord longer than 32767 bytes", "");
			}
		}
		if (rc == IGW_OK) {
			nd->f.type = IGW_CB_GROUP;
			nd->f.size = (unsigned)run;
			if (run == 0)
				rc = fail(c, nd, IGW_EPARSE, "%sgroup without storage", "");
		}
	} else {
		rc = lay_elementary(c, nd, usage, sign_from);
	}
	if (rc == IGW_OK && (unsigned long)nd->f.size * nd->f.occurs_max > IGW_CB_RECORD_MAX)
		rc = fail(c, nd, IGW_ELIMIT, "%sitem longer than 32767 bytes", "");
	return rc;
}

static void set_offsets(struct cb_node *nd, unsigned base)
{
	nd->f.offset = base + nd->f.rel;
	for (struct cb_node *ch = nd->child; ch; ch = ch->next)
		set_offsets(ch, nd->f.offset);
}

static struct cb_node *find_node(struct cb_node *nd, const char *name)
{
	struct cb_node *hit = NULL;
	if (!nd->is_filler && cb_name_eq(nd->f.name, name))
		hit = nd;
	for (struct cb_node *ch = nd->child; ch && !hit; ch = ch->next)
		hit = find_node(ch, name);
	return hit;
}

static int in_table(const struct cb_node *nd)
{
	int in = 0;
	for (; nd && !in; nd = nd->parent)
		in = nd->has_occurs;
	return in;
}

static unsigned pow10u(unsigned n)
{
	unsigned v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

static int check_odo(struct lctx *c, struct cb_node *rec)
{
	int rc = IGW_OK;
	struct cb_node *t = c->odo, *obj;
	if (!t)
		return rc;
	for (struct cb_node *x = t; x != rec && rc == IGW_OK; x = x->parent) {
		if (x->next)
			rc = fail(c, t, IGW_EUNSUPPORTED, "unsupported: %sitems after an OCCURS "
			          "DEPENDING ON table (complex ODO)", "");
		else if (x != t && x->f.redefines)
			rc = fail(c, t, IGW_EUNSUPPORTED,
			          "unsupported: %sOCCURS DEPENDING ON under a REDEFINES", "");
	}
	if (rc == IGW_OK) {
		obj = find_node(rec, t->dep_name);
		if (!obj)
			rc = fail(c, t, IGW_EPARSE, "DEPENDING ON %s: no such item in the record",
			          t->dep_name);
		else if (obj->f.type == IGW_CB_GROUP || obj->pic != CB_PIC_NUMERIC ||
		         obj->f.scale != 0)
			rc = fail(c, t, IGW_EPARSE, "DEPENDING ON %s: not an integer item", t->dep_name);
		else if (in_table(obj))
			rc = fail(c, t, IGW_EUNSUPPORTED,
			          "unsupported: DEPENDING ON %s inside a table", t->dep_name);
		else if (obj->f.digits < 9 && t->f.occurs_max >= pow10u(obj->f.digits))
			rc = fail(c, t, IGW_EPARSE, "DEPENDING ON %s: too few digits for %u",
			          t->dep_name, t->f.occurs_max);
		else if (obj->f.offset + obj->f.size > t->f.offset)
			rc = fail(c, t, IGW_EUNSUPPORTED,
			          "unsupported: DEPENDING ON %s does not precede the table", t->dep_name);
		else {
			t->f.depending = &obj->f;
			obj->f.role = IGW_CB_ROLE_ODO_COUNT;
		}
	}
	return rc;
}

/* Depth-first: the first elementary item in storage order after `after`. */
static struct cb_node *next_leaf(struct cb_node *nd)
{
	while (nd && nd->child)
		nd = nd->child;
	return nd;
}

static struct cb_node *leaf_after(struct cb_node *leaf, struct cb_node *rec)
{
	struct cb_node *x = leaf;
	while (x && x != rec && !x->next)
		x = x->parent;
	if (!x || x == rec)
		return NULL;
	x = x->next;
	while (x && x->f.redefines)
		x = x->next;
	return x ? next_leaf(x) : NULL;
}

static int name_ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	int ok = 0;
	if (n == s)
		ok = cb_name_eq(name, suffix);
	else if (n > s && (name[n - s - 1] == '-' || name[n - s - 1] == '_'))
		ok = cb_name_eq(name + n - s, suffix);
	return ok;
}

static int is_halfword(const struct cb_node *nd)
{
	return nd && (nd->f.type == IGW_CB_BINARY || nd->f.type == IGW_CB_COMP5) &&
	       nd->f.size == 2 && nd->f.scale == 0 && !in_table(nd);
}

static void find_prefix(struct lctx *c, struct cb_node *rec)
{
	struct cb_node *ll = next_leaf(rec), *zz, *tc;
	if (!rec->child || !is_halfword(ll) || ll->f.offset != 0 || !name_ends(ll->f.name, "LL"))
		return;
	ll->f.role = IGW_CB_ROLE_LL;
	zz = leaf_after(ll, rec);
	if (!is_halfword(zz) || zz->f.offset != 2 || !name_ends(zz->f.name, "ZZ"))
		return;
	zz->f.role = IGW_CB_ROLE_ZZ;
	tc = leaf_after(zz, rec);
	if (tc && tc->f.type == IGW_CB_ALNUM && tc->f.offset == 4 && !in_table(tc)) {
		int hit;
		if (c->o->trancode_field)
			hit = cb_name_eq(tc->f.name, c->o->trancode_field);
		else
			hit = name_ends(tc->f.name, "TRCD") || name_ends(tc->f.name, "TRANCODE") ||
			      name_ends(tc->f.name, "TRAN-CODE") || name_ends(tc->f.name, "TRANCD");
		if (hit)
			tc->f.role = IGW_CB_ROLE_TRANCODE;
	}
}

static int mark_selected(struct lctx *c)
{
	int rc = IGW_OK;
	for (unsigned i = 0; c->o->select && c->o->select[i]; i++)
		for (unsigned k = 0; k < c->cb->nnodes; k++) {
			struct cb_node *nd = c->cb->nodes[k];
			if (!nd->is_filler && nd->f.level > 1 &&
			    cb_name_eq(nd->f.name, c->o->select[i]))
				nd->selected = 1;
		}
	/* one visible member per redefinition set; redefining entries follow the
	 * redefined one directly (redef_target enforces it) */
	for (unsigned k = 0; k < c->cb->nnodes && rc == IGW_OK; k++) {
		struct cb_node *nd = c->cb->nodes[k], *m;
		unsigned nsel = nd->selected;
		if (nd->f.level == 1 || nd->f.redefines || !nd->next ||
		    nd->next->f.redefines != &nd->f)
			continue;
		for (m = nd->next; m && m->f.redefines == &nd->f; m = m->next)
			nsel += m->selected;
		if (nsel > 1)
			rc = fail(c, nd, IGW_ECONFIG, "more than one REDEFINES alternative of %s selected",
			          nd->f.name);
		if (nsel == 1 && !nd->selected)
			nd->f.role = IGW_CB_ROLE_UNSELECTED;
		for (m = nd->next; m && m->f.redefines == &nd->f; m = m->next)
			if (nsel == 0 || !m->selected)
				m->f.role = IGW_CB_ROLE_UNSELECTED;
	}
	return rc;
}

int igw_cb_xml_name(const char *cobol, char *out)
{
	int rc = IGW_OK;
	size_t o = 0;
	int up = 0;
	if (!cobol || !*cobol) {
		rc = IGW_EINVAL;
		out[0] = 0;
	} else {
		if (cobol[0] >= '0' && cobol[0] <= '9')
			out[o++] = '_';
		for (const char *p = cobol; *p && o < IGW_CB_XML_NAME_MAX; p++) {
			char ch = *p;
			if (ch == '-' || ch == '_') {
				up = o > 0 && !(o == 1 && out[0] == '_');
				continue;
			}
			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			if (up && ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			up = 0;
			out[o++] = ch;
		}
		out[o] = 0;
	}
	return rc;
}

static int cmp_xml(const void *a, const void *b)
{
	const struct cb_node *x = *(const struct cb_node *const *)a;
	const struct cb_node *y = *(const struct cb_node *const *)b;
	return strcmp(x->f.xml_name, y->f.xml_name);
}

static int finish(struct lctx *c, struct cb_node *nd, int hidden)
{
	int rc = IGW_OK;
	unsigned n = 0;
	if (nd->is_filler && nd->f.role == IGW_CB_ROLE_DATA)
		nd->f.role = IGW_CB_ROLE_FILLER;
	hidden = hidden || nd->f.role != IGW_CB_ROLE_DATA;
	nd->f.hidden = hidden ? 1u : 0u;
	igw_cb_xml_name(nd->f.name, nd->f.xml_name);
	for (struct cb_node *ch = nd->child; ch && rc == IGW_OK; ch = ch->next) {
		rc = finish(c, ch, hidden);
		n++;
	}
	if (rc == IGW_OK && n > 1 && !hidden) {
		struct cb_node **v = malloc(n * sizeof(*v));
		unsigned k = 0;
		if (!v)
			return IGW_ENOMEM;
		for (struct cb_node *ch = nd->child; ch; ch = ch->next)
			if (!ch->f.hidden)
				v[k++] = ch;
		qsort(v, k, sizeof(*v), cmp_xml);
		for (unsigned i = 1; i < k && rc == IGW_OK; i++)
			if (strcmp(v[i - 1]->f.xml_name, v[i]->f.xml_name) == 0)
				rc = fail(c, v[i], IGW_EPARSE,
				          "XML name %s is also used by a sibling", v[i]->f.xml_name);
		free(v);
	}
	return rc;
}

int cb_layout(struct igw_cb_copybook *cb, const struct igw_cb_parse_opts *o,
              struct igw_cb_diag *d)
{
	int rc = IGW_OK;
	struct lctx c;
	memset(&c, 0, sizeof(c));
	c.cb = cb;
	c.o = o;
	c.d = d;
	for (unsigned i = 0; i < cb->nrecs && rc == IGW_OK; i++) {
		struct cb_node *rec = cb->recs[i];
		c.odo = NULL;
		if (rec->redef_name[0]) {
			for (unsigned k = 0; k < i; k++)
				if (cb_name_eq(cb->recs[k]->f.name, rec->redef_name))
					rec->f.redefines = &cb->recs[k]->f;
			if (!rec->f.redefines)
				rc = fail(&c, rec, IGW_EPARSE, "REDEFINES %s: no such 01 record",
				          rec->redef_name);
		}
		if (rc == IGW_OK)
			rc = lay(&c, rec, CB_USAGE_NONE, NULL, 0);
		if (rc == IGW_OK) {
			set_offsets(rec, 0);
			rc = check_odo(&c, rec);
		}
		if (rc == IGW_OK)
			find_prefix(&c, rec);
	}
	if (rc == IGW_OK)
		rc = mark_selected(&c);
	for (unsigned i = 0; i < cb->nrecs && rc == IGW_OK; i++)
		rc = finish(&c, cb->recs[i], 0);
	return rc;
}

/* ---- accessors ---- */

unsigned igw_cb_record_count(const struct igw_cb_copybook *cb)
{
	return cb ? cb->nrecs : 0;
}

const struct igw_cb_field *igw_cb_record_at(const struct igw_cb_copybook *cb,
                                            unsigned i)
{
	return cb && i < cb->nrecs ? &cb->recs[i]->f : NULL;
}

const struct igw_cb_field *igw_cb_record(const struct igw_cb_copybook *cb,
                                         const char *name)
{
	const struct igw_cb_field *hit = NULL;
	for (unsigned i = 0; cb && name && i < cb->nrecs && !hit; i++)
		if (cb_name_eq(cb->recs[i]->f.name, name))
			hit = &cb->recs[i]->f;
	return hit;
}

const struct igw_cb_field *igw_cb_find(const struct igw_cb_field *rec,
                                       const char *name)
{
	struct cb_node *hit = rec && name ? find_node(cb_node_of(rec), name) : NULL;
	return hit ? &hit->f : NULL;
}

const struct igw_cb_field *igw_cb_record_odo(const struct igw_cb_field *rec)
{
	const struct igw_cb_field *f = rec;
	/* the ODO table is the last item: follow last children */
	while (f && !f->depending) {
		const struct igw_cb_field *last = f->child;
		while (last && last->next)
			last = last->next;
		f = last;
	}
	return f;
}

unsigned igw_cb_record_min_size(const struct igw_cb_field *rec)
{
	const struct igw_cb_field *t = igw_cb_record_odo(rec);
	return t ? t->offset : rec->size;
}

static const char *type_name(enum igw_cb_type t)
{
	static const char *const n[] = { "group", "alnum", "alpha", "zoned",
	                                 "binary", "comp-5", "packed" };
	return n[t];
}

static int dump(const struct igw_cb_field *f, struct igw_buf *out)
{
	int rc = igw_buf_printf(out, "%*s%02u %-30s %-6s off=%-5u size=%-5u",
	                        (int)(f->level == 1 ? 0 : 2), "", f->level, f->name,
	                        type_name(f->type), f->offset, f->size);
	if (rc == IGW_OK && f->type >= IGW_CB_ZONED)
		rc = igw_buf_printf(out, " digits=%u scale=%u%s%s%s", f->digits, f->scale,
		                    f->is_signed ? " signed" : "",
		                    f->sign_leading ? " leading" : "",
		                    f->sign_separate ? " separate" : "");
	if (rc == IGW_OK && (f->occurs_max != 1 || f->depending))
		rc = igw_buf_printf(out, " occurs=%u..%u%s%s", f->occurs_min, f->occurs_max,
		                    f->depending ? " depending=" : "",
		                    f->depending ? f->depending->name : "");
	if (rc == IGW_OK && f->redefines)
		rc = igw_buf_printf(out, " redefines=%s", f->redefines->name);
	if (rc == IGW_OK && !f->hidden)
		rc = igw_buf_printf(out, " xml=%s", f->xml_name);
	if (rc == IGW_OK && f->role != IGW_CB_ROLE_DATA) {
		static const char *const r[] = { "data", "filler", "LL", "ZZ", "trancode",
		                                 "odo-count", "unselected" };
		rc = igw_buf_printf(out, " role=%s", r[f->role]);
	}
	if (rc == IGW_OK)
		rc = igw_buf_append_byte(out, '\n');
	for (const struct igw_cb_field *ch = f->child; ch && rc == IGW_OK; ch = ch->next)
		rc = dump(ch, out);
	return rc;
}

int igw_cb_dump(const struct igw_cb_field *rec, struct igw_buf *out)
{
	return rec ? dump(rec, out) : IGW_EINVAL;
}

/* ---- messages ---- */

int igw_cb_msg_build(const struct igw_cb_copybook *cb, const char *spec,
                     struct igw_cb_msg *msg, struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	memset(msg, 0, sizeof(*msg));
	cb_diag_clear(diag);
	if (!spec || !*spec) {
		for (unsigned i = 0; i < cb->nrecs && rc == IGW_OK; i++) {
			if (cb->recs[i]->f.redefines)
				continue;
			if (msg->nseg == IGW_CB_MSG_SPECS_MAX) {
				cb_diag_text(diag, "more than %u records", IGW_CB_MSG_SPECS_MAX);
				rc = IGW_ECONFIG;
			} else {
				msg->seg[msg->nseg].rec = &cb->recs[i]->f;
				msg->seg[msg->nseg].min = msg->seg[msg->nseg].max = 1;
				msg->nseg++;
			}
		}
	} else {
		const char *p = spec;
		while (*p && rc == IGW_OK) {
			char name[IGW_CB_NAME_MAX + 1];
			size_t n = 0;
			unsigned mn = 1, mx = 1;
			while (*p == ' ' || *p == ',')
				p++;
			while (*p && *p != ',' && *p != '*' && *p != '+' && *p != '{' && *p != ' ') {
				if (n < IGW_CB_NAME_MAX)
					name[n++] = *p;
				p++;
			}
			name[n] = 0;
			if (*p == '*') {
				mn = 0;
				mx = IGW_CB_SEGMENTS_MAX;
				p++;
			} else if (*p == '+') {
				mx = IGW_CB_SEGMENTS_MAX;
				p++;
			} else if (*p == '{') {
				char *e;
				unsigned long a = strtoul(p + 1, &e, 10), b;
				if (*e != ',') {
					rc = IGW_ECONFIG;
				} else {
					b = strtoul(e + 1, &e, 10);
					if (*e != '}' || a > b || b == 0 || b > IGW_CB_SEGMENTS_MAX)
						rc = IGW_ECONFIG;
					mn = (unsigned)a;
					mx = (unsigned)b;
					p = e + 1;
				}
				if (rc != IGW_OK)
					cb_diag_text(diag, "bad repetition in segment spec '%s'", spec);
			}
			if (rc == IGW_OK && n == 0 && *p) {
				cb_diag_text(diag, "bad segment spec '%s'", spec);
				rc = IGW_ECONFIG;
			}
			if (rc == IGW_OK && n > 0) {
				const struct igw_cb_field *r = igw_cb_record(cb, name);
				if (!r) {
					cb_diag_text(diag, "no 01 record %s in %s", name, cb->name);
					rc = IGW_ECONFIG;
				} else if (msg->nseg == IGW_CB_MSG_SPECS_MAX) {
					cb_diag_text(diag, "more than %u records", IGW_CB_MSG_SPECS_MAX);
					rc = IGW_ECONFIG;
				} else {
					msg->seg[msg->nseg].rec = r;
					msg->seg[msg->nseg].min = mn;
					msg->seg[msg->nseg].max = mx;
					msg->nseg++;
				}
			}
		}
	}
	if (rc == IGW_OK && msg->nseg == 0) {
		cb_diag_text(diag, "message without segments");
		rc = IGW_ECONFIG;
	}
	for (unsigned i = 0; i < msg->nseg && rc == IGW_OK; i++) {
		const struct igw_cb_field *r = msg->seg[i].rec;
		const struct igw_cb_field *ll = r->child;
		while (ll && ll->child)
			ll = ll->child;
		int has_ll = ll && ll->role == IGW_CB_ROLE_LL;
		if (i + 1 < msg->nseg && (msg->seg[i].min != 1 || msg->seg[i].max != 1)) {
			cb_diag_text(diag, "only the last segment may repeat (%s)", r->name);
			rc = IGW_ECONFIG;
		} else if ((msg->nseg > 1 || msg->seg[i].max > 1) && !has_ll) {
			cb_diag_text(diag, "%s: a multi-segment message needs an LL field in every "
			             "record", r->name);
			rc = IGW_ECONFIG;
		}
		for (unsigned k = 0; k < i && rc == IGW_OK; k++)
			if (strcmp(msg->seg[k].rec->xml_name, r->xml_name) == 0) {
				cb_diag_text(diag, "record %s used twice in one message", r->name);
				rc = IGW_ECONFIG;
			}
	}
	return rc;
}
