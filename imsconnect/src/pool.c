/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Thread-safe pool of persistent connections to one endpoint. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imsgw/clock.h"
#include "imsgw/error.h"
#include "imsgw/limits.h"
#include "imsgw/log.h"
#include "conn.h"

struct imsc_pool {
	struct imsc_endpoint ep;	/* strings point to the copies below */
	char *host, *ca, *cert, *key, *sni;
	SSL_CTX *ctx;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct imsc_conn **idle;	/* stack, most recently used on top  */
	unsigned nidle;
	unsigned total;			/* idle + checked out + being opened */
	unsigned max;
	int64_t next_try;		/* back-off: no connect before this  */
	struct imsc_pool_stats st;
};

static int dup_str(const char *s, char **out)
{
	int rc = 0;
	*out = NULL;
	if (s) {
		*out = strdup(s);
		rc = *out ? 0 : IGW_ENOMEM;
	}
	return rc;
}

static void pool_destroy(struct imsc_pool *p)
{
	for (unsigned i = 0; i < p->nidle; i++)
		imsc_conn_close(p->idle[i]);
	free(p->idle);
	SSL_CTX_free(p->ctx);
	free(p->host);
	free(p->ca);
	free(p->cert);
	free(p->key);
	free(p->sni);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

int imsc_pool_new(const struct imsc_endpoint *ep, struct imsc_pool **out)
{
	int rc = 0;
	struct imsc_pool *p = calloc(1, sizeof(*p));
	*out = NULL;
	if (p == NULL)
		return IGW_ENOMEM;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	p->ep = *ep;
	p->max = ep->pool_max ? ep->pool_max : IGW_IMSC_POOL_DEFAULT;
	if (ep->host == NULL || p->max > IGW_IMSC_POOL_MAX)
		rc = IGW_EINVAL;
	if (rc == 0)
		rc = dup_str(ep->host, &p->host);
	if (rc == 0)
		rc = dup_str(ep->tls.ca_file, &p->ca);
	if (rc == 0)
		rc = dup_str(ep->tls.cert_file, &p->cert);
	if (rc == 0)
		rc = dup_str(ep->tls.key_file, &p->key);
	if (rc == 0)
		rc = dup_str(ep->tls.server_name, &p->sni);
	p->ep.host = p->host;
	p->ep.tls.ca_file = p->ca;
	p->ep.tls.cert_file = p->cert;
	p->ep.tls.key_file = p->key;
	p->ep.tls.server_name = p->sni;
	if (rc == 0) {
		p->idle = calloc(p->max, sizeof(*p->idle));
		rc = p->idle ? 0 : IGW_ENOMEM;
	}
	if (rc == 0)
		rc = imsc_tls_ctx_new(&p->ep.tls, &p->ctx);
	if (rc == 0) {	/* reject a bad client ID prefix now, not per connection */
		char probe[IMSC_NAME_BUF];
		rc = imsc_clientid_generate(p->ep.clientid_prefix, probe);
	}
	if (rc == 0)
		*out = p;
	else
		pool_destroy(p);
	return rc;
}

static struct timespec to_timespec(int64_t mono_ms)
{
	struct timespec ts;
	ts.tv_sec = (time_t)(mono_ms / 1000);
	ts.tv_nsec = (long)(mono_ms % 1000) * 1000000L;
	return ts;
}

/* Wait on the condition until the absolute monotonic time; 1 on timeout. */
static int wait_until(struct imsc_pool *p, int64_t when)
{
	struct timespec ts = to_timespec(when);
	return pthread_cond_timedwait(&p->cv, &p->mu, &ts) == ETIMEDOUT;
}

static int64_t backoff_ms(unsigned streak)
{
	int64_t ms = IGW_IMSC_BACKOFF_MS_MIN;
	for (unsigned i = 1; i < streak && ms < IGW_IMSC_BACKOFF_MS_MAX; i++)
		ms *= 2;
	return ms > IGW_IMSC_BACKOFF_MS_MAX ? IGW_IMSC_BACKOFF_MS_MAX : ms;
}

int imsc_pool_checkout(struct imsc_pool *p, int64_t deadline, struct imsc_conn **out)
{
	int rc = 1;	/* 1: keep looking */
	struct imsc_conn *c = NULL;
	*out = NULL;
	pthread_mutex_lock(&p->mu);
	while (rc == 1) {
		int64_t now = igw_mono_ms();
		if (p->nidle > 0) {
			c = p->idle[--p->nidle];
			p->st.idle = p->nidle;
			pthread_mutex_unlock(&p->mu);
			bool stale = p->ep.idle_ping_ms && now - c->last_used > p->ep.idle_ping_ms;
			if (!stale || imsc_ping(c, deadline) == 0) {
				rc = 0;
				pthread_mutex_lock(&p->mu);
			} else {
				igw_log_info(NULL, "imsconnect: idle connection %s failed PING, dropped",
					     c->clientid);
				imsc_conn_close(c);
				c = NULL;
				pthread_mutex_lock(&p->mu);
				p->total--;
				p->st.pings_failed++;
			}
		} else if (p->total < p->max) {
			if (now < p->next_try) {
				if (p->next_try >= deadline)
					rc = IGW_ECONNECT;	/* backing off past the deadline */
				else
					wait_until(p, p->next_try);
				continue;
			}
			p->total++;
			pthread_mutex_unlock(&p->mu);
			int r = imsc_conn_open_ctx(&p->ep, p->ctx, NULL, deadline, &c);
			pthread_mutex_lock(&p->mu);
			if (r == 0) {
				p->st.opened++;
				p->st.fail_streak = 0;
				p->next_try = 0;
				rc = 0;
			} else {
				p->total--;
				p->st.failed++;
				p->st.fail_streak++;
				p->next_try = igw_mono_ms() + backoff_ms(p->st.fail_streak);
				pthread_cond_broadcast(&p->cv);
				rc = r;
			}
		} else if (now >= deadline) {
			rc = IGW_EOVERLOAD;
		} else {
			wait_until(p, deadline);
		}
	}
	if (rc == 0)
		p->st.busy = p->total - p->nidle;
	pthread_mutex_unlock(&p->mu);
	*out = rc == 0 ? c : NULL;
	return rc;
}

void imsc_pool_checkin(struct imsc_pool *p, struct imsc_conn *c)
{
	if (c == NULL)
		return;
	bool keep = imsc_conn_reusable(c) != 0;
	if (!keep)
		imsc_conn_close(c);
	pthread_mutex_lock(&p->mu);
	if (keep && p->nidle < p->max) {
		p->idle[p->nidle++] = c;
	} else {
		if (keep)
			imsc_conn_close(c);	/* cannot happen: total <= max */
		p->total--;
	}
	p->st.idle = p->nidle;
	p->st.busy = p->total - p->nidle;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

int imsc_pool_sendrecv(struct imsc_pool *p, struct imsc_irm *irm,
                       const struct imsc_seg *segs, size_t nseg, int64_t deadline,
                       struct imsc_result *res)
{
	struct imsc_conn *c = NULL;
	int rc = imsc_pool_checkout(p, deadline, &c);
	if (rc == 0) {
		rc = imsc_sendrecv(c, irm, segs, nseg, deadline, res);
		imsc_pool_checkin(p, c);
	}
	return rc;
}

void imsc_pool_stats(struct imsc_pool *p, struct imsc_pool_stats *st)
{
	pthread_mutex_lock(&p->mu);
	*st = p->st;
	st->idle = p->nidle;
	st->busy = p->total - p->nidle;
	pthread_mutex_unlock(&p->mu);
}

void imsc_pool_free(struct imsc_pool *p)
{
	if (p) {
		pthread_mutex_lock(&p->mu);
		if (p->total != p->nidle)
			igw_log_error(NULL, "imsconnect: pool freed with %u connections checked out",
				      p->total - p->nidle);
		pthread_mutex_unlock(&p->mu);
		pool_destroy(p);
	}
}
