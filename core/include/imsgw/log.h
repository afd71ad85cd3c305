/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging: levels, a request id, plain text or JSON lines.
 *
 * One process-wide logger, configured once at start (igw_log_setup) and then
 * safe to call from any thread: each record is formatted into a bounded local
 * buffer and written with one write(2), so lines never interleave.  Records
 * longer than IGW_LOG_LINE_MAX are cut and marked with "...".
 *
 * Never pass passwords, token secrets or keys to the logger.
 *
 * Text:  2026-11-25T12:00:00.123Z info [req=0123abcd...] message
 * JSON:  {"ts":"...","level":"info","req":"...","msg":"..."}
 */
#ifndef IMSGW_LOG_H
#define IMSGW_LOG_H

#include <stdarg.h>

enum igw_log_level {
	IGW_LOG_ERROR = 0,
	IGW_LOG_WARN = 1,
	IGW_LOG_INFO = 2,
	IGW_LOG_DEBUG = 3,
};

enum igw_log_format {
	IGW_LOG_TEXT = 0,
	IGW_LOG_JSON = 1,
};

/* fd: where records go (2 by default).  Not thread-safe; call before threads. */
void igw_log_setup(int fd, enum igw_log_level level, enum igw_log_format fmt);
enum igw_log_level igw_log_get_level(void);
/* "error", "warn", "info", "debug" -> level; -1 if unknown. */
int igw_log_level_parse(const char *s);
/* "text", "json" -> format; -1 if unknown. */
int igw_log_format_parse(const char *s);

/* reqid may be NULL (no request).  fmt is printf-style. */
void igw_log(enum igw_log_level lvl, const char *reqid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void igw_vlog(enum igw_log_level lvl, const char *reqid, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Format one record into out[outlen] without writing it (used by igw_log and
 * by tests).  Returns the length written (excluding NUL). */
int igw_log_format_record(char *out, unsigned outlen, enum igw_log_format fmt,
                          enum igw_log_level lvl, const char *reqid,
                          const char *msg);

/* Structured records (access logs): an event name and key/value fields.
 * JSON: {"ts":..,"level":..,"req":..,"event":"soap","service":"x","ims_rc":8,...}
 * Text: ... event service="x" ims_rc=8 ...   Values are escaped in both. */
struct igw_log_field {
	const char *key;		/* [a-z_]+ */
	const char *str;		/* string value, or NULL to use num */
	long long num;
};
void igw_log_event(enum igw_log_level lvl, const char *reqid, const char *event,
                   const struct igw_log_field *fields, unsigned n);
/* Format one structured record into out[outlen] (used by igw_log_event and tests). */
int igw_log_format_event(char *out, unsigned outlen, enum igw_log_format fmt,
                         enum igw_log_level lvl, const char *reqid, const char *event,
                         const struct igw_log_field *fields, unsigned n);

/* Fill id[IGW_REQUEST_ID_LEN + 1] with a fresh random hex request id. */
void igw_request_id_new(char *id);

#define igw_log_error(req, ...) igw_log(IGW_LOG_ERROR, req, __VA_ARGS__)
#define igw_log_warn(req, ...)  igw_log(IGW_LOG_WARN, req, __VA_ARGS__)
#define igw_log_info(req, ...)  igw_log(IGW_LOG_INFO, req, __VA_ARGS__)
#define igw_log_debug(req, ...) \
	do { if (igw_log_get_level() >= IGW_LOG_DEBUG) igw_log(IGW_LOG_DEBUG, req, __VA_ARGS__); } while (0)

#endif
