/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Line tokenizer for imsgw's hand-edited configuration files, and the error
 * collector that turns problems into "file:line: reason".
 *
 * A line is: blank | "# comment" | "[section]" | "[section name]" |
 * "key value..." where values are separated by blanks and may be double-quoted
 * ("a b" is one value; \" and \\ escape inside quotes).  A '#' outside quotes
 * starts a comment.
 */
#ifndef IMSGW_CONFFILE_H
#define IMSGW_CONFFILE_H

#include <stddef.h>

#define IGW_CONF_MAX_WORDS 8

struct igw_conf_line {
	int lineno;
	int is_section;			/* [section name] */
	unsigned nwords;		/* key + values, or section + name */
	char *words[IGW_CONF_MAX_WORDS];
};

struct igw_conf_errors {
	const char *file;
	unsigned count;
	void (*sink)(void *ctx, const char *message);
	void *ctx;
};

/* Report "file:line: reason" (line 0: "file: reason").  Stops calling the sink
 * after IGW_CONFIG_ERRORS_MAX messages but keeps counting. */
void igw_conf_error(struct igw_conf_errors *e, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Split one line (modified in place: words point into it).  Returns 0, or -1
 * after reporting a syntax error through e. */
int igw_conf_split(char *text, int lineno, struct igw_conf_line *out,
                   struct igw_conf_errors *e);

/* Read a whole file (at most max bytes) into a NUL-terminated malloc'd string.
 * Returns IGW_OK, IGW_EIO (errno kept) or IGW_ELIMIT. */
int igw_conf_read_file(const char *path, size_t max, char **out, size_t *len);

/* Parse an unsigned decimal in [min, max]; returns 0 or -1. */
int igw_conf_uint(const char *s, unsigned min, unsigned max, unsigned *out);

/* Resolve path against the directory of base_file unless it is absolute.
 * Returns a malloc'd string or NULL on allocation failure. */
char *igw_conf_resolve(const char *base_file, const char *path);

/* Check that a secret file (private key, password) is a regular file that is
 * not readable or writable by group or others.  0 or -1 with *why set. */
int igw_conf_check_secret_file(const char *path, const char **why);

#endif
