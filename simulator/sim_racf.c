/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Simulated RACF: users, VERIFY, HWSPWCH, PassTickets, permits. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "sim_ptkt.h"
#include "sim_racf.h"

struct replay {
	sim_name user;
	sim_name appl;
	char ticket[9];
	int64_t until;		/* forget after this time (s) */
};

struct sim_racf {
	pthread_mutex_t mu;
	struct sim_user_def user[IGW_SIM_USERS_MAX];
	unsigned nuser;
	struct sim_appl_def appl[IGW_SIM_APPLS_MAX];
	unsigned nappl;
	struct replay *replay;	/* ring of IGW_SIM_PTKT_REPLAY_MAX */
	unsigned nreplay, replay_pos;
};

int sim_racf_create(const struct sim_config *cfg, struct sim_racf **out)
{
	int rc = IGW_OK;
	struct sim_racf *r = calloc(1, sizeof(*r));
	if (r)
		r->replay = calloc(IGW_SIM_PTKT_REPLAY_MAX, sizeof(struct replay));
	if (!r || !r->replay || pthread_mutex_init(&r->mu, NULL) != 0) {
		if (r)
			free(r->replay);
		free(r);
		r = NULL;
		rc = IGW_ENOMEM;
	} else {
		memcpy(r->user, cfg->user, sizeof(r->user));
		r->nuser = cfg->nuser;
		memcpy(r->appl, cfg->appl, sizeof(r->appl));
		r->nappl = cfg->nappl;
	}
	*out = r;
	return rc;
}

void sim_racf_destroy(struct sim_racf *r)
{
	if (r) {
		pthread_mutex_destroy(&r->mu);
		igw_secure_zero(r->replay, IGW_SIM_PTKT_REPLAY_MAX * sizeof(struct replay));
		free(r->replay);
		igw_secure_zero(r, sizeof(*r));
		free(r);
	}
}

static struct sim_user_def *find_user(struct sim_racf *r, const char *id)
{
	struct sim_user_def *u = NULL;
	for (unsigned i = 0; i < r->nuser && !u; i++)
		if (!strcmp(r->user[i].id, id))
			u = &r->user[i];
	return u;
}

static const struct sim_appl_def *find_appl(struct sim_racf *r, const char *appl)
{
	const struct sim_appl_def *a = NULL;
	for (unsigned i = 0; i < r->nappl && !a && appl[0]; i++)
		if (!strcmp(r->appl[i].appl, appl))
			a = &r->appl[i];
	return a;
}

static bool in_group(const struct sim_user_def *u, const char *group)
{
	bool found = false;
	for (unsigned i = 0; i < u->ngroups && !found; i++)
		found = !strcmp(u->groups[i], group);
	return found;
}

static bool pw_equal(const char *a, const char *b)
{
	return igw_ct_equal(a, strlen(a), b, strlen(b)) == 1;
}

/* Replay check and record: returns true if (user, appl, ticket) was used and
 * the application does not allow replay.  _locked. */
static bool replayed(struct sim_racf *r, const struct sim_appl_def *a, const char *user,
                     const char *ticket, int64_t now_s, int64_t valid_until)
{
	bool seen = false;
	if (!a->replay) {	/* an application that allows replay: nothing to remember */
		for (unsigned i = 0; i < r->nreplay && !seen; i++) {
			const struct replay *e = &r->replay[i];
			seen = e->until >= now_s && !strcmp(e->user, user) &&
			       !strcmp(e->appl, a->appl) && !strcmp(e->ticket, ticket);
		}
		if (!seen) {
			struct replay *e = &r->replay[r->replay_pos];
			snprintf(e->user, sizeof(e->user), "%s", user);
			snprintf(e->appl, sizeof(e->appl), "%s", a->appl);
			snprintf(e->ticket, sizeof(e->ticket), "%s", ticket);
			e->until = valid_until;
			r->replay_pos = (r->replay_pos + 1) % IGW_SIM_PTKT_REPLAY_MAX;
			if (r->nreplay < IGW_SIM_PTKT_REPLAY_MAX)
				r->nreplay++;
		}
	}
	return seen && !a->replay;
}

unsigned sim_racf_verify(struct sim_racf *r, const char *user, const char *group,
                         const char *pw, const char *appl, int64_t now_s,
                         sim_name eff_group)
{
	unsigned rc = SIM_RACF_OK;
	memset(eff_group, 0, sizeof(sim_name));
	pthread_mutex_lock(&r->mu);
	struct sim_user_def *u = find_user(r, user);
	if (!u) {
		rc = SIM_RACF_NOUSER;
	} else if (u->revoked) {
		rc = SIM_RACF_REVOKED;
	} else if (pw_equal(u->password, pw)) {
		if (u->expired)
			rc = SIM_RACF_EXPIRED;
	} else {
		const struct sim_appl_def *a = find_appl(r, appl);
		int64_t when = 0;
		bool enh = false;
		rc = SIM_RACF_BADPW;
		if (a && sim_ptkt_evaluate(a, user, pw, now_s, &when, &enh) == 1) {
			int64_t until = enh ? when + (int64_t)a->enh_timeout_s + SIM_PTKT_SKEW_S
			                    : when + SIM_PTKT_LEGACY_WINDOW_S;
			if (replayed(r, a, user, pw, now_s, until))
				igw_log_info(NULL, "RACF: PassTicket replay for user %s appl %s",
				             user, a->appl);
			else
				rc = SIM_RACF_OK;
		}
	}
	if (rc == SIM_RACF_OK && group[0] && !in_group(u, group))
		rc = SIM_RACF_NOTINGROUP;
	if (rc == SIM_RACF_OK)
		snprintf(eff_group, sizeof(sim_name), "%s",
		         group[0] ? group : (u->ngroups ? u->groups[0] : ""));
	pthread_mutex_unlock(&r->mu);
	return rc;
}

unsigned sim_racf_change_password(struct sim_racf *r, const char *user,
                                  const char *old, const char *new1, const char *new2)
{
	unsigned rc = SIM_RACF_OK;
	pthread_mutex_lock(&r->mu);
	struct sim_user_def *u = find_user(r, user);
	if (!u)
		rc = SIM_RACF_NOUSER;
	else if (u->revoked)
		rc = SIM_RACF_REVOKED;
	else if (!pw_equal(u->password, old))
		rc = SIM_RACF_BADPW;
	else if (!new1[0] || strlen(new1) > SIM_NAME_LEN || strcmp(new1, new2) != 0 ||
	         pw_equal(new1, old))
		rc = SIM_RACF_NEWPW_BAD;
	else {
		igw_secure_zero(u->password, sizeof(u->password));
		snprintf(u->password, sizeof(u->password), "%s", new1);
		u->expired = false;
	}
	pthread_mutex_unlock(&r->mu);
	return rc;
}

void sim_racf_default_group(struct sim_racf *r, const char *user, sim_name out)
{
	memset(out, 0, sizeof(sim_name));
	pthread_mutex_lock(&r->mu);
	const struct sim_user_def *u = find_user(r, user);
	if (u && u->ngroups)
		snprintf(out, sizeof(sim_name), "%s", u->groups[0]);
	pthread_mutex_unlock(&r->mu);
}

bool sim_racf_permitted(struct sim_racf *r, const char *user, const char *group,
                        const struct sim_permit *pl, unsigned n)
{
	bool ok = n == 0;
	pthread_mutex_lock(&r->mu);
	const struct sim_user_def *u = find_user(r, user);
	for (unsigned i = 0; i < n && !ok; i++) {
		if (!pl[i].is_group)
			ok = !strcmp(pl[i].name, user);
		else
			ok = !strcmp(pl[i].name, group) || (u && in_group(u, pl[i].name));
	}
	pthread_mutex_unlock(&r->mu);
	return ok;
}
