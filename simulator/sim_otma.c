/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Simulated OTMA: tpipes, hold queues, client-ID sessions, ICAL correlation. */
#define _GNU_SOURCE 1		/* POLLRDHUP */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "imsgw/core.h"
#include "sim_otma.h"

int sim_world_init(struct sim_world *w, const struct sim_config *cfg)
{
	int rc = IGW_OK;
	pthread_condattr_t ca;
	memset(w, 0, sizeof(*w));
	w->cfg = cfg;
	w->next_msg_id = 1;
	w->next_awe = 1;
	for (unsigned i = 0; i < cfg->nds; i++)
		w->ds_up[i] = cfg->ds[i].up;
	for (unsigned i = 0; i < cfg->ntxn; i++)
		w->hooks[i] = (struct sim_txn_hooks){ .fault = cfg->txn[i].fault,
		                                      .force_rc = cfg->txn[i].force_rc,
		                                      .force_rsn = cfg->txn[i].force_rsn,
		                                      .delay_ms = cfg->txn[i].delay_ms };
	if (pthread_mutex_init(&w->mu, NULL) != 0)
		rc = IGW_ENOMEM;
	if (rc == IGW_OK && pthread_condattr_init(&ca) == 0) {
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		if (pthread_cond_init(&w->cv, &ca) != 0)
			rc = IGW_ENOMEM;
		pthread_condattr_destroy(&ca);
	}
	return rc;
}

void sim_world_destroy(struct sim_world *w)
{
	struct sim_tpipe *t = w->tpipes;
	while (t) {
		struct sim_tpipe *tn = t->next;
		for (struct sim_msg *m = t->head; m;) {
			struct sim_msg *mn = m->next;
			sim_msg_free(m);
			m = mn;
		}
		free(t);
		t = tn;
	}
	w->tpipes = NULL;
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
}

void sim_world_stop(struct sim_world *w)
{
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	for (struct sim_session *s = w->sessions; s; s = s->next)
		if (s->fd >= 0)
			shutdown(s->fd, SHUT_RDWR);
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void sim_world_wait_locked(struct sim_world *w, int64_t deadline, int64_t max_ms)
{
	int64_t now = igw_mono_ms();
	int64_t until = now + max_ms;
	if (deadline >= 0 && deadline < until)
		until = deadline;
	if (until > now) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t ns = (int64_t)ts.tv_nsec + (until - now) * 1000000;
		ts.tv_sec += (time_t)(ns / 1000000000);
		ts.tv_nsec = (long)(ns % 1000000000);
		pthread_cond_timedwait(&w->cv, &w->mu, &ts);
	}
}

/* ---- runtime state ---- */

bool sim_world_ds_up(struct sim_world *w, const struct sim_datastore *d)
{
	size_t i = (size_t)(d - w->cfg->ds);
	pthread_mutex_lock(&w->mu);
	bool up = i < w->cfg->nds ? w->ds_up[i] : false;
	pthread_mutex_unlock(&w->mu);
	return up;
}

void sim_world_txn_hooks(struct sim_world *w, const struct sim_txn *t,
                         struct sim_txn_hooks *out)
{
	size_t i = (size_t)(t - w->cfg->txn);
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&w->mu);
	if (i < w->cfg->ntxn)
		*out = w->hooks[i];
	pthread_mutex_unlock(&w->mu);
}

int sim_world_set_ds(struct sim_world *w, const char *id, bool up)
{
	int rc = IGW_ENOTFOUND;
	pthread_mutex_lock(&w->mu);
	for (unsigned i = 0; i < w->cfg->nds; i++)
		if (!strcmp(w->cfg->ds[i].id, id)) {
			w->ds_up[i] = up;
			rc = IGW_OK;
		}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

int sim_world_set_hooks(struct sim_world *w, const char *tran,
                        const struct sim_txn_hooks *h)
{
	int rc = IGW_ENOTFOUND;
	pthread_mutex_lock(&w->mu);
	for (unsigned i = 0; i < w->cfg->ntxn; i++)
		if (!strcmp(w->cfg->txn[i].name, tran)) {
			w->hooks[i] = *h;
			rc = IGW_OK;
		}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

/* ---- messages ---- */

struct sim_msg *sim_msg_new(struct sim_world *w, const void *body, size_t len)
{
	struct sim_msg *m = calloc(1, sizeof(*m));
	if (m && len > 0) {
		m->body = malloc(len);
		if (!m->body) {
			free(m);
			m = NULL;
		} else {
			memcpy(m->body, body, len);
			m->body_len = len;
		}
	}
	if (m) {
		pthread_mutex_lock(&w->mu);
		m->id = w->next_msg_id++;
		pthread_mutex_unlock(&w->mu);
	}
	return m;
}

void sim_msg_free(struct sim_msg *m)
{
	if (m) {
		if (m->body) {
			igw_secure_zero(m->body, m->body_len);
			free(m->body);
		}
		free(m->ctl);
		free(m);
	}
}

static struct sim_tpipe *tpipe_find(struct sim_world *w, const char *name, bool create)
{
	struct sim_tpipe *t = w->tpipes;
	while (t && strcmp(t->name, name) != 0)
		t = t->next;
	if (!t && create && w->ntpipes < IGW_SIM_TPIPES_MAX) {
		t = calloc(1, sizeof(*t));
		if (t) {
			snprintf(t->name, sizeof(t->name), "%s", name);
			t->next = w->tpipes;
			w->tpipes = t;
			w->ntpipes++;
		}
	}
	return t;
}

int sim_otma_enqueue_locked(struct sim_world *w, const char *tpipe, struct sim_msg *m,
                            bool front)
{
	int rc = IGW_OK;
	struct sim_tpipe *t = tpipe_find(w, tpipe, true);
	if (!t || t->depth >= IGW_SIM_HOLDQ_DEPTH_MAX) {
		igw_log_warn(NULL, "hold queue %s full or tpipe table full: message %llu discarded",
		             tpipe, (unsigned long long)m->id);
		sim_msg_free(m);
		rc = IGW_ELIMIT;
	} else if (front) {
		m->next = t->head;
		t->head = m;
		if (!t->tail)
			t->tail = m;
		t->depth++;
	} else {
		m->next = NULL;
		if (t->tail)
			t->tail->next = m;
		else
			t->head = m;
		t->tail = m;
		t->depth++;
	}
	if (rc == IGW_OK)
		pthread_cond_broadcast(&w->cv);
	return rc;
}

int sim_otma_enqueue(struct sim_world *w, const char *tpipe, struct sim_msg *m, bool front)
{
	pthread_mutex_lock(&w->mu);
	int rc = sim_otma_enqueue_locked(w, tpipe, m, front);
	pthread_mutex_unlock(&w->mu);
	return rc;
}

static bool eligible(const struct sim_msg *m, enum sim_take what)
{
	return what == SIM_TAKE_BOTH || (what == SIM_TAKE_SYNC) == m->sync_callout;
}

struct sim_msg *sim_otma_take_locked(struct sim_world *w, const char *tpipe,
                                     enum sim_take what)
{
	struct sim_msg *m = NULL;
	struct sim_tpipe *t = tpipe_find(w, tpipe, false);
	if (t) {
		struct sim_msg *prev = NULL;
		for (m = t->head; m && !eligible(m, what); m = m->next)
			prev = m;
		if (m) {
			if (prev)
				prev->next = m->next;
			else
				t->head = m->next;
			if (t->tail == m)
				t->tail = prev;
			m->next = NULL;
			t->depth--;
		}
	}
	return m;
}

unsigned sim_otma_depth_locked(struct sim_world *w, const char *tpipe, enum sim_take what)
{
	unsigned n = 0;
	struct sim_tpipe *t = tpipe_find(w, tpipe, false);
	for (struct sim_msg *m = t ? t->head : NULL; m; m = m->next)
		if (eligible(m, what))
			n++;
	return n;
}

unsigned sim_otma_depth(struct sim_world *w, const char *tpipe, enum sim_take what)
{
	pthread_mutex_lock(&w->mu);
	unsigned n = sim_otma_depth_locked(w, tpipe, what);
	pthread_mutex_unlock(&w->mu);
	return n;
}

void sim_otma_drop_sync_locked(struct sim_world *w, const uint8_t tok[IMSC_CORTKN_LEN])
{
	for (struct sim_tpipe *t = w->tpipes; t; t = t->next) {
		struct sim_msg *prev = NULL;
		for (struct sim_msg *m = t->head; m; prev = m, m = m->next) {
			if (m->sync_callout && !memcmp(m->cortkn, tok, IMSC_CORTKN_LEN)) {
				if (prev)
					prev->next = m->next;
				else
					t->head = m->next;
				if (t->tail == m)
					t->tail = prev;
				t->depth--;
				sim_msg_free(m);
				return;
			}
		}
	}
}

/* ---- sessions ---- */

void sim_session_add(struct sim_world *w, struct sim_session *s)
{
	pthread_mutex_lock(&w->mu);
	s->next = w->sessions;
	w->sessions = s;
	w->nsessions++;
	pthread_mutex_unlock(&w->mu);
}

void sim_session_remove(struct sim_world *w, struct sim_session *s)
{
	pthread_mutex_lock(&w->mu);
	for (struct sim_session **pp = &w->sessions; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			w->nsessions--;
			break;
		}
	s->next = NULL;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* 1 if the peer of fd has closed its side (the session is ending). */
static int fd_peer_closed(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };
	return fd >= 0 && poll(&p, 1, 0) > 0 &&
	       (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

#define SIM_CLAIM_GRACE_MS 500

static struct sim_session *holder(struct sim_world *w, struct sim_session *s,
                                  const char *clientid)
{
	struct sim_session *o = w->sessions;
	while (o && (o == s || o->cancelled || strcmp(o->clientid, clientid) != 0))
		o = o->next;
	return o;
}

int sim_session_claim(struct sim_world *w, struct sim_session *s, const char *clientid,
                      bool cancid)
{
	int rc = IGW_OK;
	int64_t grace = igw_deadline_after(SIM_CLAIM_GRACE_MS);
	pthread_mutex_lock(&w->mu);
	for (struct sim_session *o = holder(w, s, clientid); o && rc == IGW_OK;
	     o = holder(w, s, clientid)) {
		if (cancid) {
			igw_log_info(NULL, "client %s: CANCID cancels the older session", clientid);
			o->cancelled = true;	/* holder() skips it from now on */
			if (o->fd >= 0)
				shutdown(o->fd, SHUT_RDWR);
			pthread_cond_broadcast(&w->cv);
		} else if (fd_peer_closed(o->fd) && igw_deadline_left(grace) > 0) {
			/* Its client already closed: let that session end first. */
			sim_world_wait_locked(w, grace, 20);
		} else {
			rc = IGW_EBUSY;
		}
	}
	if (rc == IGW_OK)
		snprintf(s->clientid, sizeof(s->clientid), "%s", clientid);
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void sim_session_gen_clientid(struct sim_world *w, sim_name out)
{
	pthread_mutex_lock(&w->mu);
	bool used = true;
	while (used) {
		snprintf(out, sizeof(sim_name), "SIM%05u", w->next_cid++ % 100000u);
		used = false;
		for (struct sim_session *o = w->sessions; o && !used; o = o->next)
			used = !strcmp(o->clientid, out);
	}
	pthread_mutex_unlock(&w->mu);
}

int sim_session_cancel_timer(struct sim_world *w, const char *clientid)
{
	int rc = IGW_ENOTFOUND;
	pthread_mutex_lock(&w->mu);
	for (struct sim_session *o = w->sessions; o; o = o->next)
		if (o->waiting && !strcmp(o->clientid, clientid)) {
			o->timer_cancelled = true;
			rc = IGW_OK;
		}
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return rc;
}

/* ---- ICAL ---- */

int sim_ical_start(struct sim_world *w, const char *tpipe, const char *userid,
                   const void *data, size_t len, const void *ctl, size_t ctl_len,
                   struct sim_ical **out)
{
	int rc = IGW_OK;
	struct imsc_cortkn_fields f;
	struct sim_ical *ic = calloc(1, sizeof(*ic));
	struct sim_msg *m = NULL;
	*out = NULL;
	if (!ic)
		rc = IGW_ENOMEM;
	if (rc == IGW_OK)
		rc = igw_buf_init(&ic->resp, w->cfg->maxsize);
	if (rc == IGW_OK) {
		m = sim_msg_new(w, data, len);
		if (!m)
			rc = IGW_ENOMEM;
	}
	if (rc == IGW_OK && ctl_len > 0) {
		m->ctl = malloc(ctl_len);
		if (!m->ctl) {
			rc = IGW_ENOMEM;
		} else {
			memcpy(m->ctl, ctl, ctl_len);
			m->ctl_len = ctl_len;
		}
	}
	if (rc == IGW_OK) {
		memset(&f, 0, sizeof(f));
		f.ll = IMSC_CORTKN_LEN;
		memcpy(f.imsid, w->cfg->imsid, strnlen(w->cfg->imsid, sizeof(f.imsid) - 1));
		memcpy(f.memtk, w->cfg->member, strlen(w->cfg->member));
		snprintf(f.tpipe, sizeof(f.tpipe), "%s", tpipe);
		snprintf(f.userid, sizeof(f.userid), "%s", userid);
		pthread_mutex_lock(&w->mu);
		uint64_t awe = w->next_awe++;
		pthread_mutex_unlock(&w->mu);
		f.pstnr = (uint16_t)(awe % 999u + 1u);
		for (int i = 0; i < 8; i++)
			f.awetk[i] = (uint8_t)(awe >> (56 - 8 * i));
		rc = imsc_cortkn_build(&f, IMSC_CP_EBCDIC, ic->tok);
	}
	if (rc == IGW_OK) {
		m->sync_callout = true;
		memcpy(m->cortkn, ic->tok, IMSC_CORTKN_LEN);
		pthread_mutex_lock(&w->mu);
		ic->next = w->icals;
		w->icals = ic;
		rc = sim_otma_enqueue_locked(w, tpipe, m, false);
		m = NULL;	/* queued or freed */
		if (rc != IGW_OK)
			w->icals = ic->next;
		pthread_mutex_unlock(&w->mu);
	}
	if (rc != IGW_OK) {
		sim_msg_free(m);
		if (ic) {
			igw_buf_free(&ic->resp);
			free(ic);
		}
	} else {
		*out = ic;
	}
	return rc;
}

int sim_ical_wait(struct sim_world *w, struct sim_ical *ical, int64_t deadline,
                  bool (*abort_fn)(void *), void *arg)
{
	int rc = IGW_ETIMEOUT;
	pthread_mutex_lock(&w->mu);
	while (!ical->done && !w->stopping && igw_deadline_left(deadline) > 0) {
		if (abort_fn) {
			pthread_mutex_unlock(&w->mu);
			bool stop = abort_fn(arg);
			pthread_mutex_lock(&w->mu);
			if (stop) {
				rc = IGW_ECLOSED;
				break;
			}
		}
		sim_world_wait_locked(w, deadline, 200);
	}
	if (ical->done)
		rc = IGW_OK;
	else if (w->stopping)
		rc = IGW_ECLOSED;
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void sim_ical_finish(struct sim_world *w, struct sim_ical *ical)
{
	if (!ical)
		return;
	pthread_mutex_lock(&w->mu);
	for (struct sim_ical **pp = &w->icals; *pp; pp = &(*pp)->next)
		if (*pp == ical) {
			*pp = ical->next;
			break;
		}
	if (!ical->done)
		sim_otma_drop_sync_locked(w, ical->tok);
	pthread_mutex_unlock(&w->mu);
	igw_buf_free(&ical->resp);
	free(ical);
}

int sim_ical_respond(struct sim_world *w, const uint8_t tok[IMSC_CORTKN_LEN],
                     const void *data, size_t len, bool error, uint16_t err_rsn)
{
	int rc = IGW_ENOTFOUND;
	pthread_mutex_lock(&w->mu);
	for (struct sim_ical *ic = w->icals; ic; ic = ic->next)
		if (!ic->done && !memcmp(ic->tok, tok, IMSC_CORTKN_LEN)) {
			ic->error = error;
			ic->err_rsn = err_rsn;
			rc = IGW_OK;
			if (data && len > 0)
				rc = igw_buf_append(&ic->resp, data, len);
			ic->done = true;
			if (rc != IGW_OK) {
				ic->error = true;
				rc = IGW_OK;
			}
			pthread_cond_broadcast(&w->cv);
			break;
		}
	pthread_mutex_unlock(&w->mu);
	return rc;
}
