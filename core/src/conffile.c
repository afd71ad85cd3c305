/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "imsgw/conffile.h"
#include "imsgw/error.h"
#include "imsgw/limits.h"

void igw_conf_error(struct igw_conf_errors *e, int line, const char *fmt, ...)
{
	char msg[IGW_CONFIG_LINE_MAX];
	char full[IGW_CONFIG_LINE_MAX + IGW_PATH_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s", e->file, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", e->file, msg);
	if (e->count < IGW_CONFIG_ERRORS_MAX) {
		if (e->sink)
			e->sink(e->ctx, full);
		else
			fprintf(stderr, "%s\n", full);
	}
	e->count++;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Read one word starting at *pp; a quoted word is unescaped in place. */
static int split_word(char **pp, char **word, int lineno, struct igw_conf_errors *e)
{
	char *p = *pp;
	int rc = 0;
	if (*p == '"') {
		char *w = ++p, *o = p;
		while (*p && *p != '"') {
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			*o++ = *p++;
		}
		if (*p != '"') {
			igw_conf_error(e, lineno, "unterminated quoted string");
			rc = -1;
		} else {
			p++;
			if (*p && !is_blank(*p) && *p != '#') {
				igw_conf_error(e, lineno, "text directly after a closing quote");
				rc = -1;
			}
			*o = 0;
			*word = w;
		}
	} else {
		*word = p;
		while (*p && !is_blank(*p) && *p != '#')
			p++;
		if (*p == '#')
			*p = 0;		/* comment right after the word: end of line */
		else if (*p)
			*p++ = 0;
	}
	*pp = p;
	return rc;
}

int igw_conf_split(char *text, int lineno, struct igw_conf_line *out,
                   struct igw_conf_errors *e)
{
	int rc = 0;
	char *p = text;
	memset(out, 0, sizeof(*out));
	out->lineno = lineno;
	while (is_blank(*p))
		p++;
	if (*p == '[') {
		char *end = strchr(p, ']');
		out->is_section = 1;
		if (!end) {
			igw_conf_error(e, lineno, "section header without closing ']'");
			rc = -1;
		} else {
			char *rest = end + 1;
			while (is_blank(*rest))
				rest++;
			if (*rest && *rest != '#') {
				igw_conf_error(e, lineno, "text after section header");
				rc = -1;
			}
			*end = 0;
			p++;
		}
	}
	while (rc == 0 && *p && *p != '#') {
		while (is_blank(*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (out->nwords == IGW_CONF_MAX_WORDS) {
			igw_conf_error(e, lineno, "too many values (at most %d)", IGW_CONF_MAX_WORDS - 1);
			rc = -1;
			break;
		}
		rc = split_word(&p, &out->words[out->nwords], lineno, e);
		if (rc == 0)
			out->nwords++;
	}
	if (rc == 0 && out->is_section && (out->nwords < 1 || out->nwords > 2)) {
		igw_conf_error(e, lineno, "section header must be [section] or [section name]");
		rc = -1;
	}
	return rc;
}

int igw_conf_read_file(const char *path, size_t max, char **out, size_t *len)
{
	int rc = IGW_OK;
	char *data = NULL;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = IGW_EIO;
	} else {
		data = malloc(max + 1);
		if (!data)
			rc = IGW_ENOMEM;
		while (rc == IGW_OK) {
			ssize_t r = read(fd, data + n, max + 1 - n);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				rc = IGW_EIO;
			} else if (r == 0) {
				break;
			} else {
				n += (size_t)r;
				if (n > max)
					rc = IGW_ELIMIT;
			}
		}
		int saved = errno;
		close(fd);
		errno = saved;
	}
	if (rc == IGW_OK) {
		data[n] = 0;
		*out = data;
		if (len)
			*len = n;
	} else {
		free(data);
		*out = NULL;
	}
	return rc;
}

int igw_conf_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	int rc = -1;
	if (s && *s >= '0' && *s <= '9') {
		char *end;
		errno = 0;
		unsigned long v = strtoul(s, &end, 10);
		if (errno == 0 && *end == 0 && v >= min && v <= max) {
			*out = (unsigned)v;
			rc = 0;
		}
	}
	return rc;
}

char *igw_conf_resolve(const char *base_file, const char *path)
{
	char *res = NULL;
	if (path[0] == '/') {
		res = strdup(path);
	} else {
		const char *slash = strrchr(base_file, '/');
		size_t dirlen = slash ? (size_t)(slash - base_file) : 1;
		const char *dir = slash ? base_file : ".";
		size_t n = dirlen + 1 + strlen(path) + 1;
		res = malloc(n);
		if (res)
			snprintf(res, n, "%.*s/%s", (int)dirlen, dir, path);
	}
	return res;
}

int igw_conf_check_secret_file(const char *path, const char **why)
{
	struct stat st;
	int rc = -1;
	if (stat(path, &st) != 0)
		*why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		*why = "not a regular file";
	else if (st.st_mode & (S_IRWXG | S_IRWXO))
		*why = "secret file is accessible by group or others (chmod 600)";
	else
		rc = 0;
	return rc;
}
