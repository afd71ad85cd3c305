/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data description entries -> a tree of nodes per 01 record.
 *
 * Accepted per entry: level (01-49), data-name or FILLER (or none),
 * REDEFINES, PIC/PICTURE, USAGE (DISPLAY, COMP, COMP-4, BINARY, COMP-5,
 * COMP-3, PACKED-DECIMAL), OCCURS n / m TO n DEPENDING ON (with KEY and
 * INDEXED BY phrases ignored), SIGN LEADING/TRAILING [SEPARATE], JUSTIFIED,
 * VALUE (ignored), GLOBAL/EXTERNAL (ignored).  Level 88 entries are skipped;
 * EJECT/SKIPn are ignored.  Refused with file:line: levels 66 and 77, SYNC,
 * BLANK WHEN ZERO, COMP-1/COMP-2/INDEX/POINTER/NATIONAL usages, PIC P, edited
 * pictures, COPY and REPLACE.  Layout rules are applied by cb_layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/error.h"
#include "imsgw/limits.h"
#include "cb_internal.h"

struct parser {
	struct cb_lex lx;
	struct cb_tok tok;	/* current token */
	struct igw_cb_copybook *cb;
	struct igw_cb_diag *d;
	const char *name;
	struct cb_node *stack[50];
	unsigned depth;
};

static int advance(struct parser *ps)
{
	return cb_lex_next(&ps->lx, &ps->tok, ps->d);
}

static int tok_is(const struct parser *ps, const char *w)
{
	return ps->tok.kind == CB_TOK_WORD && strcmp(ps->tok.text, w) == 0;
}

static int is_number(const struct cb_tok *t)
{
	int ok = t->kind == CB_TOK_WORD && t->len > 0 && t->len <= 9;
	for (size_t i = 0; ok && i < t->len; i++)
		ok = t->text[i] >= '0' && t->text[i] <= '9';
	return ok;
}

static const char *const clause_words[] = {
	"REDEFINES", "PIC", "PICTURE", "USAGE", "DISPLAY", "COMP", "COMP-1",
	"COMP-2", "COMP-3", "COMP-4", "COMP-5", "COMPUTATIONAL",
	"COMPUTATIONAL-1", "COMPUTATIONAL-2", "COMPUTATIONAL-3",
	"COMPUTATIONAL-4", "COMPUTATIONAL-5", "BINARY", "PACKED-DECIMAL",
	"INDEX", "POINTER", "FUNCTION-POINTER", "PROCEDURE-POINTER", "NATIONAL",
	"DISPLAY-1", "OCCURS", "SIGN", "LEADING", "TRAILING", "SYNC",
	"SYNCHRONIZED", "JUSTIFIED", "JUST", "BLANK", "VALUE", "VALUES",
	"GLOBAL", "EXTERNAL", "IS", NULL,
};

static int is_clause_word(const struct cb_tok *t)
{
	int found = 0;
	if (t->kind == CB_TOK_WORD)
		for (unsigned i = 0; clause_words[i] && !found; i++)
			found = strcmp(t->text, clause_words[i]) == 0;
	return found;
}

static int refuse(struct parser *ps, unsigned line, const char *what)
{
	cb_diag_at(ps->d, ps->name, line, "unsupported: %s", what);
	return IGW_EUNSUPPORTED;
}

static int bad(struct parser *ps, const char *what)
{
	cb_diag_at(ps->d, ps->name, ps->tok.line, "%s (at '%s')", what,
	           ps->tok.kind == CB_TOK_EOF ? "end of file" : ps->tok.text);
	return IGW_EPARSE;
}

static int add_node(struct parser *ps, struct cb_node **out)
{
	int rc = IGW_OK;
	struct igw_cb_copybook *cb = ps->cb;
	*out = NULL;
	if (cb->nnodes >= IGW_CB_FIELDS_MAX) {
		cb_diag_at(ps->d, ps->name, ps->tok.line, "more than %u data entries",
		           IGW_CB_FIELDS_MAX);
		rc = IGW_ELIMIT;
	} else if (cb->nnodes == cb->capnodes) {
		unsigned ncap = cb->capnodes ? cb->capnodes * 2 : 64;
		struct cb_node **n = realloc(cb->nodes, ncap * sizeof(*n));
		if (!n)
			rc = IGW_ENOMEM;
		else {
			cb->nodes = n;
			cb->capnodes = ncap;
		}
	}
	if (rc == IGW_OK) {
		struct cb_node *nd = calloc(1, sizeof(*nd));
		if (!nd)
			rc = IGW_ENOMEM;
		else {
			cb->nodes[cb->nnodes++] = nd;
			*out = nd;
		}
	}
	return rc;
}

static int add_record(struct parser *ps, struct cb_node *nd)
{
	int rc = IGW_OK;
	struct igw_cb_copybook *cb = ps->cb;
	if (cb->nrecs == cb->caprecs) {
		unsigned ncap = cb->caprecs ? cb->caprecs * 2 : 8;
		struct cb_node **n = realloc(cb->recs, ncap * sizeof(*n));
		if (!n)
			rc = IGW_ENOMEM;
		else {
			cb->recs = n;
			cb->caprecs = ncap;
		}
	}
	if (rc == IGW_OK)
		cb->recs[cb->nrecs++] = nd;
	return rc;
}

/* PICTURE string: S9(5)V99, X(10), A(3), 9999 ... */
static int parse_pic(struct parser *ps, struct cb_node *nd, const struct cb_tok *t)
{
	int rc = IGW_OK;
	unsigned nx = 0, na = 0, n9 = 0, frac = 0;
	int has_s = 0, has_v = 0;
	const char *p = t->text;
	if (t->len > CB_TOK_TEXT_MAX)
		return refuse(ps, t->line, "PICTURE string longer than 64 characters");
	for (size_t i = 0; p[i] && rc == IGW_OK; i++) {
		char c = p[i];
		unsigned rep = 1;
		if (p[i + 1] == '(') {
			size_t j = i + 2;
			unsigned long v = 0;
			while (p[j] >= '0' && p[j] <= '9' && v <= IGW_CB_RECORD_MAX)
				v = v * 10 + (unsigned long)(p[j++] - '0');
			if (p[j] != ')' || j == i + 2 || v == 0 || v > IGW_CB_RECORD_MAX) {
				cb_diag_at(ps->d, ps->name, t->line,
				           "bad repetition count in PICTURE %s", p);
				rc = IGW_EPARSE;
				break;
			}
			rep = (unsigned)v;
			i = j;
		}
		switch (c) {
		case 'X': nx += rep; break;
		case 'A': na += rep; break;
		case '9':
			n9 += rep;
			if (has_v)
				frac += rep;
			break;
		case 'S':
			if (i != 0 || rep != 1 || has_s) {
				cb_diag_at(ps->d, ps->name, t->line,
				           "S must be the first character of PICTURE %s", p);
				rc = IGW_EPARSE;
			}
			has_s = 1;
			break;
		case 'V':
			if (has_v || rep != 1) {
				cb_diag_at(ps->d, ps->name, t->line, "more than one V in PICTURE %s", p);
				rc = IGW_EPARSE;
			}
			has_v = 1;
			break;
		case 'P':
			rc = refuse(ps, t->line, "PICTURE P (decimal scaling positions)");
			break;
		case 'N': case 'G':
			rc = refuse(ps, t->line, "PICTURE N/G (national and DBCS data)");
			break;
		case 'Z': case '*': case '+': case '-': case ',': case '.':
		case 'B': case '0': case '/': case '$': case 'C': case 'D': case 'E':
			rc = refuse(ps, t->line, "edited PICTURE (numeric-edited or alphanumeric-edited)");
			break;
		default:
			cb_diag_at(ps->d, ps->name, t->line, "invalid PICTURE %s", p);
			rc = IGW_EPARSE;
			break;
		}
	}
	if (rc == IGW_OK) {
		if (nx + na > 0) {
			if (has_s || has_v) {
				cb_diag_at(ps->d, ps->name, t->line,
				           "S or V in alphanumeric PICTURE %s", p);
				rc = IGW_EPARSE;
			} else {
				nd->pic = (nx == 0 && n9 == 0) ? CB_PIC_ALPHA : CB_PIC_ALNUM;
				nd->pic_len = nx + na + n9;
			}
		} else if (n9 == 0) {
			cb_diag_at(ps->d, ps->name, t->line, "PICTURE %s has no digits", p);
			rc = IGW_EPARSE;
		} else if (n9 > IGW_CB_DIGITS_MAX) {
			cb_diag_at(ps->d, ps->name, t->line,
			           "PICTURE %s has more than %u digits", p, IGW_CB_DIGITS_MAX);
			rc = IGW_EUNSUPPORTED;
		} else {
			nd->pic = CB_PIC_NUMERIC;
			nd->f.digits = n9;
			nd->f.scale = frac;
			nd->f.is_signed = has_s ? 1u : 0u;
		}
	}
	if (rc == IGW_OK && nd->pic_len > IGW_CB_RECORD_MAX) {
		cb_diag_at(ps->d, ps->name, t->line, "PICTURE %s longer than %u", p,
		           IGW_CB_RECORD_MAX);
		rc = IGW_ELIMIT;
	}
	return rc;
}

static int set_usage(struct parser *ps, struct cb_node *nd)
{
	int rc = IGW_OK;
	const char *w = ps->tok.text;
	enum cb_usage u = CB_USAGE_NONE;
	if (strcmp(w, "DISPLAY") == 0)
		u = CB_USAGE_DISPLAY;
	else if (!strcmp(w, "COMP") || !strcmp(w, "COMPUTATIONAL") ||
	         !strcmp(w, "COMP-4") || !strcmp(w, "COMPUTATIONAL-4") ||
	         !strcmp(w, "BINARY"))
		u = CB_USAGE_BINARY;
	else if (!strcmp(w, "COMP-5") || !strcmp(w, "COMPUTATIONAL-5"))
		u = CB_USAGE_COMP5;
	else if (!strcmp(w, "COMP-3") || !strcmp(w, "COMPUTATIONAL-3") ||
	         !strcmp(w, "PACKED-DECIMAL"))
		u = CB_USAGE_PACKED;
	else if (!strcmp(w, "COMP-1") || !strcmp(w, "COMPUTATIONAL-1") ||
	         !strcmp(w, "COMP-2") || !strcmp(w, "COMPUTATIONAL-2"))
		rc = refuse(ps, ps->tok.line, "USAGE COMP-1/COMP-2 (floating point)");
	else if (!strcmp(w, "INDEX") || !strcmp(w, "POINTER") ||
	         !strcmp(w, "FUNCTION-POINTER") || !strcmp(w, "PROCEDURE-POINTER"))
		rc = refuse(ps, ps->tok.line, "USAGE INDEX/POINTER");
	else if (!strcmp(w, "NATIONAL") || !strcmp(w, "DISPLAY-1"))
		rc = refuse(ps, ps->tok.line, "USAGE NATIONAL/DISPLAY-1 (DBCS)");
	else
		rc = bad(ps, "USAGE expected");
	if (rc == IGW_OK) {
		if (nd->usage != CB_USAGE_NONE && nd->usage != u)
			rc = bad(ps, "conflicting USAGE clauses");
		nd->usage = u;
		rc = rc == IGW_OK ? advance(ps) : rc;
	}
	return rc;
}

static int take_name(struct parser *ps, char *dst, const char *what)
{
	int rc = IGW_OK;
	if (ps->tok.kind != CB_TOK_WORD || is_number(&ps->tok)) {
		char m[64];
		snprintf(m, sizeof(m), "%s expected", what);
		rc = bad(ps, m);
	} else if (ps->tok.len > IGW_CB_NAME_MAX) {
		cb_diag_at(ps->d, ps->name, ps->tok.line,
		           "name longer than %u characters", IGW_CB_NAME_MAX);
		rc = IGW_EPARSE;
	} else {
		memcpy(dst, ps->tok.text, ps->tok.len + 1);
		rc = advance(ps);
	}
	return rc;
}

static int parse_uint(struct parser *ps, unsigned *v)
{
	int rc = IGW_OK;
	if (!is_number(&ps->tok)) {
		rc = bad(ps, "integer expected");
	} else {
		unsigned long x = strtoul(ps->tok.text, NULL, 10);
		if (x > IGW_CB_OCCURS_MAX) {
			cb_diag_at(ps->d, ps->name, ps->tok.line, "OCCURS count %lu above %u",
			           x, IGW_CB_OCCURS_MAX);
			rc = IGW_ELIMIT;
		} else {
			*v = (unsigned)x;
			rc = advance(ps);
		}
	}
	return rc;
}

static int parse_occurs(struct parser *ps, struct cb_node *nd)
{
	int rc = IGW_OK;
	unsigned a = 0, b = 0;
	if (nd->has_occurs)
		return bad(ps, "more than one OCCURS clause");
	nd->has_occurs = 1;
	rc = advance(ps);
	if (rc == IGW_OK)
		rc = parse_uint(ps, &a);
	b = a;
	if (rc == IGW_OK && tok_is(ps, "TO")) {
		rc = advance(ps);
		if (rc == IGW_OK)
			rc = parse_uint(ps, &b);
	}
	if (rc == IGW_OK && tok_is(ps, "TIMES"))
		rc = advance(ps);
	if (rc == IGW_OK && tok_is(ps, "DEPENDING")) {
		rc = advance(ps);
		if (rc == IGW_OK && tok_is(ps, "ON"))
			rc = advance(ps);
		if (rc == IGW_OK)
			rc = take_name(ps, nd->dep_name, "DEPENDING ON data-name");
	}
	/* ASCENDING/DESCENDING KEY IS names, INDEXED BY names: no layout effect */
	while (rc == IGW_OK && (tok_is(ps, "ASCENDING") || tok_is(ps, "DESCENDING") ||
	                        tok_is(ps, "INDEXED"))) {
		rc = advance(ps);
		while (rc == IGW_OK && (tok_is(ps, "KEY") || tok_is(ps, "IS") || tok_is(ps, "BY")))
			rc = advance(ps);
		while (rc == IGW_OK && ps->tok.kind == CB_TOK_WORD &&
		       !is_clause_word(&ps->tok) && !tok_is(ps, "ASCENDING") &&
		       !tok_is(ps, "DESCENDING") && !tok_is(ps, "INDEXED"))
			rc = advance(ps);
	}
	if (rc == IGW_OK) {
		if (nd->dep_name[0] == 0 && a != b)
			rc = bad(ps, "OCCURS m TO n needs DEPENDING ON");
		else if (b == 0)
			rc = bad(ps, "OCCURS maximum must be at least 1");
		else if (a > b)
			rc = bad(ps, "OCCURS minimum above maximum");
		nd->f.occurs_min = nd->dep_name[0] ? a : b;
		nd->f.occurs_max = b;
	}
	return rc;
}

static int parse_sign(struct parser *ps, struct cb_node *nd)
{
	int rc = IGW_OK;
	if (tok_is(ps, "SIGN")) {
		rc = advance(ps);
		if (rc == IGW_OK && tok_is(ps, "IS"))
			rc = advance(ps);
	}
	if (rc == IGW_OK) {
		if (tok_is(ps, "LEADING"))
			nd->f.sign_leading = 1;
		else if (!tok_is(ps, "TRAILING"))
			rc = bad(ps, "LEADING or TRAILING expected");
	}
	if (rc == IGW_OK) {
		nd->sign_clause = 1;
		rc = advance(ps);
	}
	if (rc == IGW_OK && tok_is(ps, "SEPARATE")) {
		nd->f.sign_separate = 1;
		rc = advance(ps);
		if (rc == IGW_OK && tok_is(ps, "CHARACTER"))
			rc = advance(ps);
	}
	return rc;
}

/* VALUE clause: skipped up to the next clause or the period. */
static int skip_value(struct parser *ps)
{
	int rc = advance(ps);
	while (rc == IGW_OK && ps->tok.kind != CB_TOK_PERIOD &&
	       ps->tok.kind != CB_TOK_EOF &&
	       !(is_clause_word(&ps->tok) && !tok_is(ps, "IS")))
		rc = advance(ps);
	return rc;
}

static int skip_to_period(struct parser *ps)
{
	int rc = IGW_OK;
	while (rc == IGW_OK && ps->tok.kind != CB_TOK_PERIOD && ps->tok.kind != CB_TOK_EOF)
		rc = advance(ps);
	if (rc == IGW_OK && ps->tok.kind == CB_TOK_PERIOD)
		rc = advance(ps);
	return rc;
}

static int parse_clauses(struct parser *ps, struct cb_node *nd)
{
	int rc = IGW_OK;
	while (rc == IGW_OK && ps->tok.kind != CB_TOK_PERIOD && ps->tok.kind != CB_TOK_EOF) {
		unsigned line = ps->tok.line;
		if (tok_is(ps, "REDEFINES")) {
			if (nd->redef_name[0]) {
				rc = bad(ps, "more than one REDEFINES");
			} else {
				rc = advance(ps);
				if (rc == IGW_OK)
					rc = take_name(ps, nd->redef_name, "REDEFINES data-name");
			}
		} else if (tok_is(ps, "PIC") || tok_is(ps, "PICTURE")) {
			struct cb_tok pt;
			if (nd->pic != CB_PIC_NONE)
				rc = bad(ps, "more than one PICTURE clause");
			/* "IS" may precede the string; peek without consuming the picture */
			if (rc == IGW_OK) {
				rc = cb_lex_pic(&ps->lx, &pt, ps->d);
				if (rc == IGW_OK && strcmp(pt.text, "IS") == 0)
					rc = cb_lex_pic(&ps->lx, &pt, ps->d);
			}
			if (rc == IGW_OK)
				rc = parse_pic(ps, nd, &pt);
			if (rc == IGW_OK)
				rc = advance(ps);
		} else if (tok_is(ps, "USAGE")) {
			rc = advance(ps);
			if (rc == IGW_OK && tok_is(ps, "IS"))
				rc = advance(ps);
			if (rc == IGW_OK)
				rc = set_usage(ps, nd);
		} else if (tok_is(ps, "DISPLAY") || !strncmp(ps->tok.text, "COMP", 4) ||
		           tok_is(ps, "BINARY") || tok_is(ps, "PACKED-DECIMAL") ||
		           tok_is(ps, "INDEX") || tok_is(ps, "POINTER") ||
		           tok_is(ps, "NATIONAL") || tok_is(ps, "DISPLAY-1") ||
		           tok_is(ps, "FUNCTION-POINTER") || tok_is(ps, "PROCEDURE-POINTER")) {
			rc = set_usage(ps, nd);
		} else if (tok_is(ps, "OCCURS")) {
			rc = parse_occurs(ps, nd);
		} else if (tok_is(ps, "SIGN") || tok_is(ps, "LEADING") || tok_is(ps, "TRAILING")) {
			rc = parse_sign(ps, nd);
		} else if (tok_is(ps, "SYNC") || tok_is(ps, "SYNCHRONIZED")) {
			rc = refuse(ps, line, "SYNCHRONIZED (slack bytes are not computed; remove SYNC "
			            "or add explicit FILLER)");
		} else if (tok_is(ps, "BLANK")) {
			rc = refuse(ps, line, "BLANK WHEN ZERO");
		} else if (tok_is(ps, "JUSTIFIED") || tok_is(ps, "JUST")) {
			nd->f.justified = 1;
			rc = advance(ps);
			if (rc == IGW_OK && tok_is(ps, "RIGHT"))
				rc = advance(ps);
		} else if (tok_is(ps, "VALUE") || tok_is(ps, "VALUES")) {
			rc = skip_value(ps);
		} else if (tok_is(ps, "GLOBAL") || tok_is(ps, "EXTERNAL") || tok_is(ps, "IS")) {
			rc = advance(ps);
		} else if (tok_is(ps, "RENAMES")) {
			rc = refuse(ps, line, "RENAMES");
		} else if (ps->tok.kind == CB_TOK_WORD && is_number(&ps->tok)) {
			rc = bad(ps, "period missing before the next entry");
		} else {
			rc = bad(ps, "unexpected word in data description entry");
		}
	}
	if (rc == IGW_OK && ps->tok.kind == CB_TOK_PERIOD)
		rc = advance(ps);
	return rc;
}

static int link_node(struct parser *ps, struct cb_node *nd, unsigned line)
{
	int rc = IGW_OK;
	unsigned level = nd->f.level;
	if (level == 1) {
		ps->depth = 0;
		ps->stack[ps->depth++] = nd;
		rc = add_record(ps, nd);
	} else if (ps->depth == 0) {
		cb_diag_at(ps->d, ps->name, line, "level %02u entry before any 01 record", level);
		rc = IGW_EPARSE;
	} else {
		int popped = 0;
		while (ps->depth > 0 && ps->stack[ps->depth - 1]->f.level > level) {
			ps->depth--;
			popped = 1;
		}
		if (ps->depth > 0 && ps->stack[ps->depth - 1]->f.level == level) {
			ps->depth--;	/* sibling */
		} else if (popped) {
			cb_diag_at(ps->d, ps->name, line,
			           "level %02u does not match any enclosing level", level);
			rc = IGW_EPARSE;
		}
		if (rc == IGW_OK && ps->depth == 0) {
			cb_diag_at(ps->d, ps->name, line, "level %02u outside any 01 record", level);
			rc = IGW_EPARSE;
		}
		if (rc == IGW_OK) {
			struct cb_node *par = ps->stack[ps->depth - 1];
			if (par->pic != CB_PIC_NONE) {
				cb_diag_at(ps->d, ps->name, line,
				           "%s has a PICTURE but is followed by a subordinate entry",
				           par->f.name);
				rc = IGW_EPARSE;
			} else {
				nd->parent = par;
				nd->f.parent = &par->f;
				if (par->last) {
					par->last->next = nd;
					par->last->f.next = &nd->f;
				} else {
					par->child = nd;
					par->f.child = &nd->f;
				}
				par->last = nd;
				ps->stack[ps->depth++] = nd;
			}
		}
	}
	return rc;
}

static int parse_entry(struct parser *ps)
{
	int rc = IGW_OK;
	unsigned line = ps->tok.line;
	unsigned long level;
	struct cb_node *nd = NULL;

	if (tok_is(ps, "EJECT") || tok_is(ps, "SKIP1") || tok_is(ps, "SKIP2") ||
	    tok_is(ps, "SKIP3")) {
		rc = advance(ps);
		if (rc == IGW_OK && ps->tok.kind == CB_TOK_PERIOD)
			rc = advance(ps);
		return rc;
	}
	if (tok_is(ps, "COPY"))
		return refuse(ps, line, "COPY statement inside a copybook (expand it first)");
	if (tok_is(ps, "REPLACE"))
		return refuse(ps, line, "REPLACE statement");
	if (!is_number(&ps->tok))
		return bad(ps, "level number expected");
	level = strtoul(ps->tok.text, NULL, 10);
	if (level == 88) {
		if (ps->depth == 0)
			return bad(ps, "level 88 entry before any 01 record");
		return skip_to_period(ps);	/* condition name: no storage */
	}
	if (level == 66)
		return refuse(ps, line, "level 66 (RENAMES)");
	if (level == 77)
		return refuse(ps, line, "level 77 (use an 01 record)");
	if (level < 1 || level > 49)
		return bad(ps, "level number must be 01-49, 66, 77 or 88");

	rc = add_node(ps, &nd);
	if (rc == IGW_OK) {
		nd->f.level = (unsigned)level;
		nd->f.line = line;
		nd->f.occurs_min = nd->f.occurs_max = 1;
		rc = advance(ps);
	}
	if (rc == IGW_OK) {
		if (ps->tok.kind == CB_TOK_WORD && !is_clause_word(&ps->tok) &&
		    !is_number(&ps->tok)) {
			if (tok_is(ps, "FILLER")) {
				nd->is_filler = 1;
				strcpy(nd->f.name, "FILLER");
				rc = advance(ps);
			} else {
				rc = take_name(ps, nd->f.name, "data-name");
			}
		} else {
			nd->is_filler = 1;
			strcpy(nd->f.name, "FILLER");
		}
	}
	if (rc == IGW_OK)
		rc = link_node(ps, nd, line);
	if (rc == IGW_OK)
		rc = parse_clauses(ps, nd);
	return rc;
}

static int parse_all(struct parser *ps)
{
	int rc = advance(ps);
	while (rc == IGW_OK && ps->tok.kind != CB_TOK_EOF) {
		if (ps->tok.kind == CB_TOK_PERIOD)
			rc = advance(ps);	/* stray separator */
		else
			rc = parse_entry(ps);
	}
	if (rc == IGW_OK && ps->cb->nrecs == 0) {
		cb_diag_at(ps->d, ps->name, ps->tok.line, "no 01 record in the copybook");
		rc = IGW_EPARSE;
	}
	return rc;
}

void igw_cb_copybook_free(struct igw_cb_copybook *cb)
{
	if (cb) {
		for (unsigned i = 0; i < cb->nnodes; i++)
			free(cb->nodes[i]);
		free(cb->nodes);
		free(cb->recs);
		free(cb);
	}
}

int igw_cb_parse_mem(const char *name, const char *src, size_t len,
                     const struct igw_cb_parse_opts *opts,
                     struct igw_cb_copybook **out, struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	struct igw_cb_parse_opts dflt;
	struct cb_src s;
	struct parser ps;
	struct igw_cb_copybook *cb = NULL;

	memset(&dflt, 0, sizeof(dflt));
	memset(&s, 0, sizeof(s));
	cb_diag_clear(diag);
	if (!opts)
		opts = &dflt;
	if (!name)
		name = "copybook";
	*out = NULL;
	if (!src && len > 0) {
		rc = IGW_EINVAL;
	} else if (len > IGW_CB_SOURCE_MAX) {
		cb_diag_at(diag, name, 0, "copybook larger than %u bytes", IGW_CB_SOURCE_MAX);
		rc = IGW_ELIMIT;
	}
	if (rc == IGW_OK)
		rc = cb_src_build(name, src ? src : "", len, opts->format, &s, diag);
	if (rc == IGW_OK) {
		cb = calloc(1, sizeof(*cb));
		if (!cb)
			rc = IGW_ENOMEM;
	}
	if (rc == IGW_OK) {
		snprintf(cb->name, sizeof(cb->name), "%s", name);
		memset(&ps, 0, sizeof(ps));
		ps.lx.src = &s;
		ps.cb = cb;
		ps.d = diag;
		ps.name = cb->name;
		rc = parse_all(&ps);
	}
	if (rc == IGW_OK)
		rc = cb_layout(cb, opts, diag);
	if (rc == IGW_ENOMEM)
		cb_diag_at(diag, name, 0, "out of memory");
	if (rc == IGW_OK) {
		*out = cb;
	} else {
		igw_cb_copybook_free(cb);
	}
	cb_src_free(&s);
	return rc;
}

int igw_cb_parse_file(const char *path, const struct igw_cb_parse_opts *opts,
                      struct igw_cb_copybook **out, struct igw_cb_diag *diag)
{
	int rc = IGW_OK;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = fopen(path, "rb");
	cb_diag_clear(diag);
	*out = NULL;
	if (!f) {
		cb_diag_at(diag, path, 0, "cannot open the copybook");
		rc = IGW_ENOTFOUND;
	} else {
		buf = malloc(IGW_CB_SOURCE_MAX + 1);
		if (!buf) {
			rc = IGW_ENOMEM;
		} else {
			n = fread(buf, 1, IGW_CB_SOURCE_MAX + 1, f);
			if (ferror(f)) {
				cb_diag_at(diag, path, 0, "read error");
				rc = IGW_EIO;
			} else if (n > IGW_CB_SOURCE_MAX) {
				cb_diag_at(diag, path, 0, "copybook larger than %u bytes",
				           IGW_CB_SOURCE_MAX);
				rc = IGW_ELIMIT;
			}
		}
		fclose(f);
	}
	if (rc == IGW_OK)
		rc = igw_cb_parse_mem(path, buf, n, opts, out, diag);
	free(buf);
	return rc;
}
