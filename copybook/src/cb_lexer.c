/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copybook source -> logical text -> tokens.
 *
 * Fixed format (IBM reference format): columns 1-6 sequence area (ignored),
 * column 7 indicator ('*' or '/' comment, 'D' debugging line treated as a
 * comment, '-' continuation), columns 8-72 text, 73+ ignored.  Free format:
 * the whole line is text.  In both, "*>" starts a comment outside literals
 * and a line whose first non-blank characters are ">>" (compiler directive)
 * is skipped.  AUTO picks free format if any non-blank line has something
 * other than digits or blanks in columns 1-6 or a character in column 7 that
 * is not an indicator.
 *
 * Continuation (fixed format): if the previous line ended inside a literal,
 * the continuation line's first non-blank character must be a quote and the
 * literal resumes after it (the previous line's literal ran to column 72);
 * otherwise the continuation's first non-blank character follows the
 * previous line's last non-blank one directly (a split word).
 */
#include <stdlib.h>
#include <string.h>
#include "imsgw/error.h"
#include "cb_internal.h"

#define FIXED_TEXT_FROM 7u	/* column 8, 0-based */
#define FIXED_TEXT_TO 72u	/* column 72 inclusive, 1-based */

struct sbuild {
	char *text;
	unsigned *line;
	size_t len, cap;
	char inq;	/* quote char of an open literal, 0 if none */
};

static int sb_put(struct sbuild *b, char c, unsigned line)
{
	int rc = IGW_OK;
	if (b->len == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 1024;
		char *t = realloc(b->text, ncap + 1);
		unsigned *l = t ? realloc(b->line, (ncap + 1) * sizeof(*l)) : NULL;
		if (t)
			b->text = t;
		if (l)
			b->line = l;
		if (!t || !l)
			rc = IGW_ENOMEM;
		else
			b->cap = ncap;
	}
	if (rc == IGW_OK) {
		b->text[b->len] = c;
		b->line[b->len] = line;
		b->len++;
	}
	return rc;
}

/* Append text [p, p+n) of one line, stopping at a "*>" comment outside a
 * literal.  Tracks literal state. */
static int sb_line(struct sbuild *b, const char *p, size_t n, unsigned line)
{
	int rc = IGW_OK;
	for (size_t i = 0; i < n && rc == IGW_OK; i++) {
		char c = p[i];
		if (!b->inq && c == '*' && i + 1 < n && p[i + 1] == '>')
			break;
		if (c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0)
			c = ' ';
		if (b->inq) {
			if (c == b->inq)
				b->inq = 0;
		} else if (c == '"' || c == '\'') {
			b->inq = c;
		}
		rc = sb_put(b, c, line);
	}
	return rc;
}

static int blank_line(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

static int looks_free(const char *src, size_t len)
{
	int free_fmt = 0;
	size_t i = 0;
	while (i < len && !free_fmt) {
		size_t e = i;
		while (e < len && src[e] != '\n')
			e++;
		size_t n = e - i;
		const char *p = src + i;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (!blank_line(p, n)) {
			for (size_t c = 0; c < 6 && c < n; c++)
				if (!(p[c] == ' ' || (p[c] >= '0' && p[c] <= '9')))
					free_fmt = 1;
			if (n > 6 && !strchr(" *-/dD", p[6]))
				free_fmt = 1;
		}
		i = e + 1;
	}
	return free_fmt;
}

static int directive_line(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i + 1 < n && p[i] == '>' && p[i + 1] == '>';
}

/* Fixed-format continuation: join line text [p, p+n) to what came before. */
static int sb_continue(struct sbuild *b, const char *p, size_t n, unsigned line,
                       const char *name, struct igw_cb_diag *d)
{
	int rc = IGW_OK;
	size_t i = 0;
	/* drop the newline that ended the previous line */
	if (b->len > 0 && b->text[b->len - 1] == '\n')
		b->len--;
	while (i < n && p[i] == ' ')
		i++;
	if (b->inq) {
		if (i >= n || (p[i] != '"' && p[i] != '\'')) {
			cb_diag_at(d, name, line, "continuation of a literal must start with a quote");
			rc = IGW_EPARSE;
		} else {
			i++;
		}
	} else {
		while (b->len > 0 && b->text[b->len - 1] == ' ')
			b->len--;
	}
	if (rc == IGW_OK)
		rc = sb_line(b, p + i, n - i, line);
	return rc;
}

/* End of a fixed-format line of tn text characters: a literal still open
 * runs to column 72, then the line break. */
static int sb_end_fixed(struct sbuild *b, size_t tn, unsigned line)
{
	int rc = IGW_OK;
	for (size_t k = tn; rc == IGW_OK && b->inq && k < FIXED_TEXT_TO - FIXED_TEXT_FROM; k++)
		rc = sb_put(b, ' ', line);
	if (rc == IGW_OK)
		rc = sb_put(b, '\n', line);
	return rc;
}

int cb_src_build(const char *name, const char *src, size_t len,
                 enum igw_cb_format fmt, struct cb_src *out,
                 struct igw_cb_diag *d)
{
	int rc = IGW_OK;
	struct sbuild b;
	unsigned line = 0;
	size_t i = 0;
	int fixed;

	memset(&b, 0, sizeof(b));
	memset(out, 0, sizeof(*out));
	if (fmt == IGW_CB_FORMAT_AUTO)
		fixed = !looks_free(src, len);
	else
		fixed = fmt == IGW_CB_FORMAT_FIXED;

	while (i < len && rc == IGW_OK) {
		size_t e = i;
		while (e < len && src[e] != '\n')
			e++;
		const char *p = src + i;
		size_t n = e - i;
		line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (fixed) {
			char ind = n > 6 ? p[6] : ' ';
			const char *t = p + (n > FIXED_TEXT_FROM ? FIXED_TEXT_FROM : n);
			size_t tn = n > FIXED_TEXT_TO ? FIXED_TEXT_TO : n;
			tn = tn > FIXED_TEXT_FROM ? tn - FIXED_TEXT_FROM : 0;
			if (ind == '*' || ind == '/' || ind == 'D' || ind == 'd' ||
			    directive_line(t, tn)) {
				/* comment or directive */
			} else if (ind == '-') {
				rc = sb_continue(&b, t, tn, line, name, d);
				if (rc == IGW_OK)
					rc = sb_end_fixed(&b, tn, line);
			} else if (ind != ' ') {
				cb_diag_at(d, name, line, "invalid indicator '%c' in column 7", ind);
				rc = IGW_EPARSE;
			} else if (b.inq) {
				cb_diag_at(d, name, line, "continuation line expected for the open literal");
				rc = IGW_EPARSE;
			} else {
				rc = sb_line(&b, t, tn, line);
				if (rc == IGW_OK)
					rc = sb_end_fixed(&b, tn, line);
			}
		} else {
			if (!(n > 0 && p[0] == '*') && !directive_line(p, n)) {
				rc = sb_line(&b, p, n, line);
				if (rc == IGW_OK)
					rc = sb_put(&b, '\n', line);
			}
		}
		if (!fixed && b.inq && rc == IGW_OK) {
			cb_diag_at(d, name, line, "literal not terminated on its line");
			rc = IGW_EPARSE;
		}
		i = e + 1;
	}
	if (rc == IGW_OK && b.inq) {
		cb_diag_at(d, name, line, "literal not terminated");
		rc = IGW_EPARSE;
	}
	if (rc == IGW_OK)
		rc = sb_put(&b, 0, line);
	if (rc == IGW_OK) {
		out->name = name;
		out->text = b.text;
		out->line = b.line;
		out->len = b.len - 1;
		out->nlines = line;
	} else {
		if (rc == IGW_ENOMEM)
			cb_diag_at(d, name, line, "out of memory");
		free(b.text);
		free(b.line);
	}
	return rc;
}

void cb_src_free(struct cb_src *s)
{
	if (s) {
		free(s->text);
		free(s->line);
		memset(s, 0, sizeof(*s));
	}
}

static int is_space(char c)
{
	return c == ' ' || c == '\n';
}

static int is_word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void tok_set(struct cb_tok *t, const char *p, size_t n)
{
	size_t k = n > CB_TOK_TEXT_MAX ? CB_TOK_TEXT_MAX : n;
	for (size_t i = 0; i < k; i++) {
		char c = p[i];
		t->text[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	t->text[k] = 0;
	t->len = n;
}

/* Separators ',' and ';' followed by a space act as white space. */
static void skip_space(struct cb_lex *lx)
{
	const struct cb_src *s = lx->src;
	while (lx->pos < s->len) {
		char c = s->text[lx->pos];
		if (is_space(c)) {
			lx->pos++;
		} else if ((c == ',' || c == ';') &&
		           (lx->pos + 1 >= s->len || is_space(s->text[lx->pos + 1]))) {
			lx->pos++;
		} else {
			break;
		}
	}
}

int cb_lex_next(struct cb_lex *lx, struct cb_tok *t, struct igw_cb_diag *d)
{
	int rc = IGW_OK;
	const struct cb_src *s = lx->src;
	skip_space(lx);
	memset(t, 0, sizeof(*t));
	if (lx->pos >= s->len) {
		t->kind = CB_TOK_EOF;
		t->line = s->nlines;
		return rc;
	}
	size_t p = lx->pos;
	char c = s->text[p];
	t->line = s->line[p];
	/* literal, possibly with a one-letter prefix (X"..", N"..", Z"..") */
	size_t q = p;
	if ((c == 'X' || c == 'x' || c == 'N' || c == 'n' || c == 'G' ||
	     c == 'g' || c == 'Z' || c == 'z') && p + 1 < s->len &&
	    (s->text[p + 1] == '"' || s->text[p + 1] == '\''))
		q = p + 1;
	if (s->text[q] == '"' || s->text[q] == '\'') {
		char quote = s->text[q];
		size_t e = q + 1;
		for (;;) {
			if (e >= s->len) {
				cb_diag_at(d, s->name, t->line, "unterminated literal");
				rc = IGW_EPARSE;
				break;
			}
			if (s->text[e] == quote) {
				if (e + 1 < s->len && s->text[e + 1] == quote) {
					e += 2;
					continue;
				}
				e++;
				break;
			}
			e++;
		}
		t->kind = CB_TOK_LITERAL;
		tok_set(t, s->text + p, e - p);
		lx->pos = e;
	} else if (c == '.' && (p + 1 >= s->len || is_space(s->text[p + 1]))) {
		t->kind = CB_TOK_PERIOD;
		tok_set(t, ".", 1);
		lx->pos = p + 1;
	} else if (is_word_char(c) || ((c == '+' || c == '-' || c == '.') &&
	           p + 1 < s->len && is_digit(s->text[p + 1]))) {
		size_t e = p + 1;
		while (e < s->len) {
			char x = s->text[e];
			if (is_word_char(x)) {
				e++;
			} else if (x == '.' && e + 1 < s->len && is_digit(s->text[e + 1])) {
				e++;	/* decimal point inside a numeric literal */
			} else {
				break;
			}
		}
		t->kind = CB_TOK_WORD;
		tok_set(t, s->text + p, e - p);
		lx->pos = e;
	} else {
		t->kind = CB_TOK_OTHER;
		tok_set(t, s->text + p, 1);
		lx->pos = p + 1;
	}
	return rc;
}

int cb_lex_pic(struct cb_lex *lx, struct cb_tok *t, struct igw_cb_diag *d)
{
	int rc = IGW_OK;
	const struct cb_src *s = lx->src;
	while (lx->pos < s->len && is_space(s->text[lx->pos]))
		lx->pos++;
	memset(t, 0, sizeof(*t));
	size_t p = lx->pos, e = p;
	t->line = p < s->len ? s->line[p] : (s->len ? s->line[s->len - 1] : 0);
	while (e < s->len && !is_space(s->text[e]))
		e++;
	/* a trailing separator is not part of the picture */
	if (e > p && (s->text[e - 1] == '.' || s->text[e - 1] == ',' ||
	              s->text[e - 1] == ';'))
		e--;
	if (e == p) {
		cb_diag_at(d, s->name, t->line, "PICTURE character-string expected");
		rc = IGW_EPARSE;
	} else {
		t->kind = CB_TOK_WORD;
		tok_set(t, s->text + p, e - p);
		lx->pos = e;
	}
	return rc;
}
