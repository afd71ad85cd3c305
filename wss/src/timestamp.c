/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xsd:dateTime and wsu:Timestamp. */
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>
#include "internal.h"

static int digits(const char *s, int n, int *v)
{
	int r = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		r = r * 10 + (s[i] - '0');
	}
	*v = r;
	return 0;
}

/*
 * Seconds since the epoch of a proleptic Gregorian UTC date and time, the
 * value timegm() gives, and 0 where timegm() would normalise the date into
 * another day (so that its tm_mday differed): a day past the end of its
 * month, or 23:59:60 (a leap second rolls into the next day).  Other :60
 * seconds count as the next minute, as timegm() does.  Integer arithmetic
 * (days from civil) instead of timegm(), which converts back and forth
 * through glibc's time zone code (about 600 instructions a call, 1 % of a
 * UsernameToken verification).
 */
static int utc_seconds(int Y, int M, int D, int h, int m, int sec, int64_t *t)
{
	static const unsigned char mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
	int ok = D <= mdays[M - 1] + (M == 2 && leap) && !(h == 23 && m == 59 && sec == 60);
	if (ok) {
		/* March-based year: the leap day is the last day of the year */
		int64_t y = M <= 2 ? Y - 1 : Y, era = y / 400, yoe = y - era * 400;
		int64_t doy = (153 * (M > 2 ? M - 3 : M + 9) + 2) / 5 + D - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		int64_t days = era * 146097 + doe - 719468;
		*t = days * 86400 + h * 3600 + m * 60 + sec;
	}
	return ok;
}

int wss_parse_datetime(const char *s, int64_t *ms)
{
	int Y, M, D, h, m, sec, frac_ms = 0, off = 0;
	const char *p;
	int64_t t = 0;
	/* Leading/trailing whitespace is collapsed by xsd; tolerate it. */
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (strlen(s) < 20 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) ||
	    s[7] != '-' || digits(s + 8, 2, &D) || s[10] != 'T' || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &m) || s[16] != ':' || digits(s + 17, 2, &sec))
		return IGW_EPARSE;
	if (Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
		return IGW_EPARSE;
	p = s + 19;
	if (*p == '.') {
		int n = 0, scale = 100;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (n < 3)
				frac_ms += (*p - '0') * scale;
			scale /= 10;
			n++;
			p++;
		}
		if (n == 0 || n > 12)
			return IGW_EPARSE;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 14 || om > 59)
			return IGW_EPARSE;
		off = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return IGW_EPARSE;	/* a time zone is required */
	}
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p)
		return IGW_EPARSE;
	if (!utc_seconds(Y, M, D, h, m, sec, &t))
		return IGW_EPARSE;	/* an invalid date */
	*ms = (t - off) * 1000 + frac_ms;
	return IGW_OK;
}

void wss_format_datetime(int64_t ms, char out[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char tmp[96];
	gmtime_r(&t, &tm);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	memcpy(out, tmp, 31);
	out[31] = '\0';
}

int wss_timestamp(struct wss_ctx *x, const struct wss_token *t)
{
	const struct igw_wss_policy_conf *c = &x->p->c;
	const struct wss_tchild *created = NULL, *expires = NULL;
	int64_t cr = 0, ex = 0;
	int rc = t ? IGW_OK : wss_fail(x, IGW_EINTERNAL, "WSS-INTERNAL", "Timestamp not read");
	const char *txt = NULL;
	for (unsigned i = 0; t && i < t->nchild && rc == IGW_OK; i++) {
		const struct wss_tchild *e = &t->child[i];
		int wsu = e->ns == WSS_TNS_WSU;
		if (wsu && e->name == WSS_TN_CREATED && !created && !expires)
			created = e;
		else if (wsu && e->name == WSS_TN_EXPIRES && created && !expires)
			expires = e;
		else
			rc = wss_fail(x, IGW_EPARSE, "WSS-TS-MALFORMED", "unexpected <%.64s> in Timestamp",
			              e->local);
	}
	if (rc == IGW_OK && t->overflow)	/* never judged on part of it */
		rc = wss_fail(x, IGW_EPARSE, "WSS-TS-MALFORMED", "too many elements in Timestamp");
	if (rc == IGW_OK && !created)
		rc = wss_fail(x, IGW_EPARSE, "WSS-TS-MALFORMED", "Timestamp without Created");
	if (rc == IGW_OK && (wss_tchild_text(created, 64, &txt) || wss_parse_datetime(txt, &cr)))
		rc = wss_fail(x, IGW_EPARSE, "WSS-TS-MALFORMED", "bad Created");
	if (rc == IGW_OK && expires && (wss_tchild_text(expires, 64, &txt) || wss_parse_datetime(txt, &ex)))
		rc = wss_fail(x, IGW_EPARSE, "WSS-TS-MALFORMED", "bad Expires");
	if (rc == IGW_OK && expires && ex < cr)
		rc = wss_fail(x, IGW_EPARSE, "WSS-TS-MALFORMED", "Expires before Created");
	if (rc == IGW_OK && cr > x->now_ms + (int64_t)c->ts_future_skew_s * 1000)
		rc = wss_fail(x, IGW_EEXPIRED, "WSS-TS-FUTURE", "Timestamp Created %lld ms ahead",
		              (long long)(cr - x->now_ms));
	if (rc == IGW_OK && expires && x->now_ms >= ex + (int64_t)c->ts_past_skew_s * 1000)
		rc = wss_fail(x, IGW_EEXPIRED, "WSS-TS-EXPIRED", "Timestamp expired %lld ms ago",
		              (long long)(x->now_ms - ex));
	if (rc == IGW_OK && c->ts_max_ttl_s) {
		int64_t ttl = (int64_t)c->ts_max_ttl_s * 1000;
		if ((expires && ex - cr > ttl) ||
		    (!expires && x->now_ms > cr + ttl + (int64_t)c->ts_past_skew_s * 1000))
			rc = wss_fail(x, IGW_EEXPIRED, "WSS-TS-EXPIRED", "Timestamp older than the allowed TTL");
	}
	return rc;
}
