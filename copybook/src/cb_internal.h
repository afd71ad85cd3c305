/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals shared by the copybook sources.  Not installed. */
#ifndef IMSGW_CB_INTERNAL_H
#define IMSGW_CB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "copybook/copybook.h"

/* ---- diagnostics (cb_diag.c) ---- */
/* Write the field path of a conversion refusal into d->where: head, then one
 * "/name" or "/name[i]" (1-based, for OCCURS) per level of pf/pi[0..depth). */
void cb_diag_where(struct igw_cb_diag *d, const char *head,
                   const struct igw_cb_field *const *pf, const unsigned *pi, unsigned depth);
void cb_diag_clear(struct igw_cb_diag *d);
/* Parse diagnosis: where = "name:line". */
void cb_diag_at(struct igw_cb_diag *d, const char *name, unsigned line,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Free-form diagnosis (configuration errors). */
void cb_diag_text(struct igw_cb_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- logical source (cb_lexer.c) ----
 * The copybook with sequence/indicator areas, comments and continuations
 * removed: text[len] with line[i] the source line of text[i]. */
struct cb_src {
	const char *name;
	char *text;
	unsigned *line;
	size_t len;
	unsigned nlines;	/* physical lines */
};

int cb_src_build(const char *name, const char *src, size_t len,
                 enum igw_cb_format fmt, struct cb_src *out,
                 struct igw_cb_diag *d);
void cb_src_free(struct cb_src *s);

enum cb_tok_kind {
	CB_TOK_EOF = 0,
	CB_TOK_WORD,	/* COBOL word or number (upper-cased copy in text) */
	CB_TOK_LITERAL,	/* quoted literal (content not kept) */
	CB_TOK_PERIOD,	/* separator period */
	CB_TOK_OTHER,	/* any other single character */
};

#define CB_TOK_TEXT_MAX 64u

struct cb_tok {
	enum cb_tok_kind kind;
	unsigned line;
	char text[CB_TOK_TEXT_MAX + 1];	/* upper case, cut at CB_TOK_TEXT_MAX */
	size_t len;			/* full length in the source */
};

struct cb_lex {
	const struct cb_src *src;
	size_t pos;
};

/* Next token.  IGW_EPARSE for an unterminated literal. */
int cb_lex_next(struct cb_lex *lx, struct cb_tok *t, struct igw_cb_diag *d);
/* Next picture character-string (up to white space; a final '.', ',' or ';'
 * is left as a separator).  IGW_EPARSE if none. */
int cb_lex_pic(struct cb_lex *lx, struct cb_tok *t, struct igw_cb_diag *d);

/* ---- parse tree (cb_parse.c, cb_layout.c) ---- */
enum cb_usage {
	CB_USAGE_NONE = 0,
	CB_USAGE_DISPLAY,
	CB_USAGE_BINARY,	/* COMP, COMP-4, BINARY */
	CB_USAGE_COMP5,
	CB_USAGE_PACKED,
};

enum cb_pic_kind { CB_PIC_NONE = 0, CB_PIC_ALNUM, CB_PIC_ALPHA, CB_PIC_NUMERIC };

struct cb_node {
	struct igw_cb_field f;	/* first: a field pointer is a node pointer */
	enum cb_usage usage;
	enum cb_pic_kind pic;
	unsigned pic_len;	/* characters (alphanumeric) */
	unsigned sign_clause : 1;	/* SIGN clause present */
	unsigned is_filler : 1;
	unsigned has_occurs : 1;
	unsigned selected : 1;		/* listed in parse opts select */
	char redef_name[IGW_CB_NAME_MAX + 1];
	char dep_name[IGW_CB_NAME_MAX + 1];
	struct cb_node *parent;
	struct cb_node *child;
	struct cb_node *last;
	struct cb_node *next;
};

struct igw_cb_copybook {
	struct cb_node **nodes;		/* every node, for freeing */
	unsigned nnodes, capnodes;
	struct cb_node **recs;		/* 01 records */
	unsigned nrecs, caprecs;
	char name[IGW_CB_PATH_MAX];
};

static inline struct cb_node *cb_node_of(const struct igw_cb_field *f)
{
	return (struct cb_node *)(uintptr_t)f;
}

/* Lay out every record: types, sizes, offsets, roles, xml names.  Returns
 * IGW_EUNSUPPORTED / IGW_EPARSE / IGW_ECONFIG with d filled. */
int cb_layout(struct igw_cb_copybook *cb, const struct igw_cb_parse_opts *o,
              struct igw_cb_diag *d);

/* Case-insensitive equality of COBOL names. */
int cb_name_eq(const char *a, const char *b);

/* ---- code page (cb_codepage.c) ---- */
struct igw_cb_codepage {
	char name[32];
	uint32_t e2u[256];	/* EBCDIC byte -> code point, UINT32_MAX none */
	int16_t u2e_latin[256];	/* code point < 256 -> byte, -1 none */
	uint8_t xml_ok[256];	/* byte decodes to a character XML allows */
	uint8_t u8[256][4];	/* UTF-8 of each byte's character */
	uint8_t u8len[256];
	uint8_t space, plus, minus, period;
	uint8_t digit[10];
};

/* ---- numbers (cb_number.c) ---- */
/* A decimal value as `ndig` digits (0..9 each, most significant first) with
 * an implied scale, and a sign. */
struct cb_num {
	int neg;
	unsigned ndig;
	uint8_t d[IGW_CB_DIGITS_MAX + 2];
};

/* Parse XML text (xs:decimal lexical form, surrounding white space allowed)
 * into exactly `digits` digits with `scale` of them after the point.
 * Returns NULL or a static reason code (CONV-IN-NOT-NUMERIC, CONV-IN-DIGITS,
 * CONV-IN-SIGN). */
const char *cb_num_parse(const char *s, size_t n, unsigned digits,
                         unsigned scale, int is_signed, struct cb_num *out);
/* Append the canonical text of a value to out (no leading zeros, exactly
 * `scale` fraction digits, "-" for negatives, never "-0"). */
int cb_num_format(const struct cb_num *v, unsigned scale, struct igw_buf *out);
/* Convert between digit form and a 64-bit magnitude.  cb_num_to_u64 returns
 * -1 on overflow. */
int cb_num_to_u64(const struct cb_num *v, uint64_t *mag);
void cb_num_from_u64(uint64_t mag, int neg, unsigned ndig, struct cb_num *v);

/* Field-level codecs (cb_encode.c / cb_decode.c). */
/* Binary field capacity: max magnitude for signed positive/negative/unsigned. */
void cb_binary_range(const struct igw_cb_field *f, uint64_t *maxpos,
                     uint64_t *maxneg);

#endif
