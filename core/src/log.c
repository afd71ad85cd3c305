/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <sys/random.h>
#include "imsgw/log.h"
#include "imsgw/limits.h"

static int log_fd = 2;
static enum igw_log_level log_level = IGW_LOG_INFO;
static enum igw_log_format log_fmt = IGW_LOG_TEXT;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void igw_log_setup(int fd, enum igw_log_level level, enum igw_log_format fmt)
{
	log_fd = fd;
	log_level = level;
	log_fmt = fmt;
}

enum igw_log_level igw_log_get_level(void) { return log_level; }

int igw_log_level_parse(const char *s)
{
	int lvl = -1;
	for (int i = 0; i < 4 && s; i++)
		if (strcasecmp(s, level_names[i]) == 0)
			lvl = i;
	return lvl;
}

int igw_log_format_parse(const char *s)
{
	int f = -1;
	if (s && strcasecmp(s, "text") == 0)
		f = IGW_LOG_TEXT;
	else if (s && strcasecmp(s, "json") == 0)
		f = IGW_LOG_JSON;
	return f;
}

/* Bounded appender: keeps pos <= cap-1, remembers truncation. */
struct sink { char *p; unsigned cap, pos; int cut; };

static void put(struct sink *s, const char *str, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (s->pos + 1 >= s->cap) {
			s->cut = 1;
			break;
		}
		s->p[s->pos++] = str[i];
	}
}

static void puts_(struct sink *s, const char *str) { put(s, str, (unsigned)strlen(str)); }

/* Escape text: JSON rules in JSON mode; in text mode, control characters are
 * escaped too so that a message can never forge a second log line. */
static void put_escaped(struct sink *s, const char *str)
{
	char tmp[8];
	for (const unsigned char *c = (const unsigned char *)str; *c; c++) {
		if (*c == '"' || *c == '\\') {
			tmp[0] = '\\'; tmp[1] = (char)*c;
			put(s, tmp, 2);
		} else if (*c == '\n') {
			put(s, "\\n", 2);
		} else if (*c == '\r') {
			put(s, "\\r", 2);
		} else if (*c == '\t') {
			put(s, "\\t", 2);
		} else if (*c < 0x20 || *c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", *c);
			put(s, tmp, 6);
		} else {
			put(s, (const char *)c, 1);
		}
		if (s->cut)
			break;
	}
}

static void put_text(struct sink *s, const char *str)
{
	char tmp[8];
	for (const unsigned char *c = (const unsigned char *)str; *c && !s->cut; c++) {
		if (*c < 0x20 || *c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", *c);
			put(s, tmp, 4);
		} else {
			put(s, (const char *)c, 1);
		}
	}
}

static void timestamp(char *out, size_t n)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec, (ts.tv_nsec / 1000000) % 1000);
}

static void put_field_value(struct sink *s, const struct igw_log_field *f)
{
	char num[32];
	if (f->str) {
		puts_(s, "\"");
		put_escaped(s, f->str);
		puts_(s, "\"");
	} else {
		snprintf(num, sizeof(num), "%lld", f->num);
		puts_(s, num);
	}
}

/* One record: a free-text message (event NULL) or an event with fields.
 * Bounded by outlen; a cut record ends with "..." and stays well-formed. */
static int format_any(char *out, unsigned outlen, enum igw_log_format fmt,
                      enum igw_log_level lvl, const char *reqid, const char *msg,
                      const char *event, const struct igw_log_field *fields, unsigned n)
{
	static const char mark[] = "...";
	char ts[64];
	struct sink s = { out, outlen, 0, 0 };
	/* Reserve room for the cut marker and closing text. */
	unsigned reserve = (unsigned)sizeof(mark) + 4;
	int json = fmt == IGW_LOG_JSON;
	int ret = 0;

	if (outlen >= reserve + 16) {
		const char *lname = (unsigned)lvl < 4 ? level_names[lvl] : "info";
		timestamp(ts, sizeof(ts));
		s.cap = outlen - reserve;
		if (json) {
			puts_(&s, "{\"ts\":\""); puts_(&s, ts);
			puts_(&s, "\",\"level\":\""); puts_(&s, lname); puts_(&s, "\"");
			if (reqid) {
				puts_(&s, ",\"req\":\""); put_escaped(&s, reqid); puts_(&s, "\"");
			}
		} else {
			puts_(&s, ts); puts_(&s, " "); puts_(&s, lname);
			if (reqid) {
				puts_(&s, " [req="); put_text(&s, reqid); puts_(&s, "]");
			}
		}
		if (event) {
			if (json) {
				puts_(&s, ",\"event\":\""); put_escaped(&s, event); puts_(&s, "\"");
			} else {
				puts_(&s, " "); put_text(&s, event);
			}
			for (unsigned i = 0; i < n && !s.cut; i++) {
				puts_(&s, json ? ",\"" : " ");
				puts_(&s, fields[i].key);
				puts_(&s, json ? "\":" : "=");
				put_field_value(&s, &fields[i]);
			}
		} else if (json) {
			puts_(&s, ",\"msg\":\""); put_escaped(&s, msg);
		} else {
			puts_(&s, " "); put_text(&s, msg);
		}
		s.cap = outlen;
		if (s.cut) {
			s.cut = 0;
			puts_(&s, mark);
		}
		if (json)
			puts_(&s, event ? "}" : "\"}");
		puts_(&s, "\n");
		out[s.pos] = 0;
		ret = (int)s.pos;
	} else if (outlen > 0) {
		out[0] = 0;
	}
	return ret;
}

int igw_log_format_record(char *out, unsigned outlen, enum igw_log_format fmt,
                          enum igw_log_level lvl, const char *reqid, const char *msg)
{
	return format_any(out, outlen, fmt, lvl, reqid, msg, NULL, NULL, 0);
}

int igw_log_format_event(char *out, unsigned outlen, enum igw_log_format fmt,
                         enum igw_log_level lvl, const char *reqid, const char *event,
                         const struct igw_log_field *fields, unsigned n)
{
	return format_any(out, outlen, fmt, lvl, reqid, NULL, event, fields, n);
}

static void write_all(const char *p, int len)
{
	while (len > 0) {
		ssize_t w = write(log_fd, p, (size_t)len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w;
		len -= (int)w;
	}
}

void igw_log_event(enum igw_log_level lvl, const char *reqid, const char *event,
                   const struct igw_log_field *fields, unsigned n)
{
	char line[IGW_LOG_LINE_MAX + 128];
	if (lvl <= log_level)
		write_all(line, igw_log_format_event(line, sizeof(line), log_fmt, lvl, reqid, event,
		                                     fields, n));
}

void igw_vlog(enum igw_log_level lvl, const char *reqid, const char *fmt, va_list ap)
{
	char msg[IGW_LOG_LINE_MAX];
	char line[IGW_LOG_LINE_MAX + 128];
	if (lvl <= log_level) {
		int n = vsnprintf(msg, sizeof(msg), fmt, ap);
		if (n >= (int)sizeof(msg))
			memcpy(msg + sizeof(msg) - 4, "...", 4);
		write_all(line, igw_log_format_record(line, sizeof(line), log_fmt, lvl, reqid, msg));
	}
}

void igw_log(enum igw_log_level lvl, const char *reqid, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	igw_vlog(lvl, reqid, fmt, ap);
	va_end(ap);
}

/* Random bytes for request ids, drawn from the kernel 32 ids at a time (a
 * system call per request showed up in the daemon's profile); per thread,
 * so no lock.  The ids stay unpredictable and unique. */
#define RID_BYTES (IGW_REQUEST_ID_LEN / 2)
static _Thread_local unsigned char rid_pool[RID_BYTES * 32];
static _Thread_local size_t rid_left;

void igw_request_id_new(char *id)
{
	static const char hex[] = "0123456789abcdef";
	if (rid_left < RID_BYTES) {
		size_t got = 0;
		while (got < sizeof(rid_pool)) {
			ssize_t n = getrandom(rid_pool + got, sizeof(rid_pool) - got, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		for (size_t i = got; i < sizeof(rid_pool); i++)	/* no entropy: as before */
			rid_pool[i] = (unsigned char)(i * 37u);
		rid_left = sizeof(rid_pool);
	}
	const unsigned char *rnd = rid_pool + sizeof(rid_pool) - rid_left;
	for (size_t i = 0; i < RID_BYTES; i++) {
		id[2 * i] = hex[rnd[i] >> 4];
		id[2 * i + 1] = hex[rnd[i] & 15];
	}
	rid_left -= RID_BYTES;
	id[IGW_REQUEST_ID_LEN] = 0;
}
