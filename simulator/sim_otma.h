/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated OTMA side: tpipes and their hold queues, the client-ID
 * session table (DUPECLNT, CANCID, CANCEL TIMER), and outstanding
 * synchronous callouts (ICAL) waiting for their correlated response.
 *
 * One mutex guards everything in struct sim_world and one condition variable
 * (CLOCK_MONOTONIC) is broadcast on every change; waiters re-check their
 * condition.  Functions named *_locked must be called with the mutex held;
 * the others take it themselves.
 *
 * Ownership: a struct sim_msg belongs to exactly one place at a time: a hold
 * queue, or a connection that delivered it and waits for the ACK/NAK (then
 * back to a queue, or freed).
 */
#ifndef SIM_OTMA_H
#define SIM_OTMA_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "imsgw/buf.h"
#include "imsconnect/codec.h"
#include "sim_config.h"

struct sim_msg {
	struct sim_msg *next;
	uint64_t id;
	bool sync_callout;		/* ICAL request: SYNONLY/SYNASYN only   */
	uint8_t cortkn[IMSC_CORTKN_LEN];/* sync callout: its token              */
	unsigned deliveries;		/* times handed to a client             */
	uint8_t *body;			/* EBCDIC; LLZZ segments, or raw callout data */
	size_t body_len;
	uint8_t *ctl;			/* sync callout: ICAL control data items
					 * (CTLDAT content), NULL when none      */
	size_t ctl_len;
};

struct sim_tpipe {
	struct sim_tpipe *next;
	sim_name name;
	struct sim_msg *head, *tail;
	unsigned depth;
};

/* A connection as the session table sees it. */
struct sim_session {
	struct sim_session *next;
	sim_name clientid;		/* "" = none claimed                    */
	int fd;				/* for shutdown() by CANCID / stop      */
	bool cancelled;			/* CANCID by a newer session            */
	bool waiting;			/* blocked in a timer wait              */
	bool timer_cancelled;		/* CANCEL TIMER from another socket     */
};

/* An outstanding ICAL. */
struct sim_ical {
	struct sim_ical *next;
	uint8_t tok[IMSC_CORTKN_LEN];
	bool done;
	bool error;			/* error response (F0 NAKRSN/SYNCNAK)   */
	uint16_t err_rsn;
	struct igw_buf resp;		/* response data (EBCDIC)               */
};

/* Test hooks that /SIM commands may change at run time (initialised from
 * the configuration). */
struct sim_txn_hooks {
	enum sim_fault fault;
	unsigned force_rc, force_rsn;
	unsigned delay_ms;
};

struct sim_world {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const struct sim_config *cfg;
	bool stopping;
	uint64_t next_msg_id;
	unsigned next_cid;		/* generated client IDs                 */
	uint64_t next_awe;		/* correlation token serial             */
	struct sim_tpipe *tpipes;
	unsigned ntpipes;
	struct sim_session *sessions;
	unsigned nsessions;
	struct sim_ical *icals;
	bool ds_up[IGW_SIM_DATASTORES_MAX];		/* runtime state        */
	struct sim_txn_hooks hooks[IGW_SIM_TXNS_MAX];	/* runtime test hooks   */
};

int sim_world_init(struct sim_world *w, const struct sim_config *cfg);
void sim_world_destroy(struct sim_world *w);
/* Set stopping, broadcast, and shutdown() every session socket. */
void sim_world_stop(struct sim_world *w);

/* Wait on the condition until woken or deadline (igw_mono_ms; < 0 = none,
 * capped at max_ms per call so callers can poll their socket).  _locked. */
void sim_world_wait_locked(struct sim_world *w, int64_t deadline, int64_t max_ms);

/* ---- runtime state and test hooks ---- */
bool sim_world_ds_up(struct sim_world *w, const struct sim_datastore *d);
void sim_world_txn_hooks(struct sim_world *w, const struct sim_txn *t,
                         struct sim_txn_hooks *out);
/* IGW_ENOTFOUND for an unknown datastore / transaction. */
int sim_world_set_ds(struct sim_world *w, const char *id, bool up);
int sim_world_set_hooks(struct sim_world *w, const char *tran,
                        const struct sim_txn_hooks *h);

/* ---- messages and hold queues ---- */
/* New message holding a copy of body (EBCDIC).  NULL on ENOMEM. */
struct sim_msg *sim_msg_new(struct sim_world *w, const void *body, size_t len);
void sim_msg_free(struct sim_msg *m);
/* Queue m on tpipe (created on first use).  front: put it first (a NAKed or
 * undelivered message keeps its place).  IGW_ELIMIT if the tpipe table or
 * the queue is full (m is then freed).  _locked variant too. */
int sim_otma_enqueue(struct sim_world *w, const char *tpipe, struct sim_msg *m, bool front);
int sim_otma_enqueue_locked(struct sim_world *w, const char *tpipe, struct sim_msg *m,
                            bool front);
/* Which messages a retriever may take. */
enum sim_take { SIM_TAKE_ASYNC = 0, SIM_TAKE_SYNC = 1, SIM_TAKE_BOTH = 2 };
/* Remove and return the first eligible message of tpipe, or NULL.  _locked. */
struct sim_msg *sim_otma_take_locked(struct sim_world *w, const char *tpipe,
                                     enum sim_take what);
/* Number of eligible messages queued on tpipe.  _locked. */
unsigned sim_otma_depth_locked(struct sim_world *w, const char *tpipe, enum sim_take what);
unsigned sim_otma_depth(struct sim_world *w, const char *tpipe, enum sim_take what);
/* Remove a queued sync callout request by token (ICAL timed out). _locked. */
void sim_otma_drop_sync_locked(struct sim_world *w, const uint8_t tok[IMSC_CORTKN_LEN]);

/* ---- sessions ---- */
void sim_session_add(struct sim_world *w, struct sim_session *s);
void sim_session_remove(struct sim_world *w, struct sim_session *s);
/* Claim clientid for s.  Another live session holding it: IGW_EBUSY
 * (DUPECLNT) unless cancid, which cancels that session (its socket is shut
 * down) and gives the ID to s. */
int sim_session_claim(struct sim_world *w, struct sim_session *s, const char *clientid,
                      bool cancid);
/* Generate a fresh client ID ("SIM" + 5 digits) not in use. */
void sim_session_gen_clientid(struct sim_world *w, sim_name out);
/* CANCEL TIMER: wake the waiting session holding clientid.  IGW_ENOTFOUND if
 * none waits. */
int sim_session_cancel_timer(struct sim_world *w, const char *clientid);

/* ---- synchronous callout ---- */
/* Build a correlation token, register the ICAL and queue its request (data
 * body_len bytes, EBCDIC) on tpipe.  *out is owned by the world until
 * sim_ical_finish().  IGW_ELIMIT/IGW_ENOMEM. */
int sim_ical_start(struct sim_world *w, const char *tpipe, const char *userid,
                   const void *data, size_t len, const void *ctl, size_t ctl_len,
                   struct sim_ical **out);
/* Wait until the response came or the deadline (mono ms) passed.
 * Returns IGW_OK (see ical->error) or IGW_ETIMEOUT; abort_fn may end the
 * wait early (returns IGW_ECLOSED). */
int sim_ical_wait(struct sim_world *w, struct sim_ical *ical, int64_t deadline,
                  bool (*abort_fn)(void *), void *arg);
/* Unregister, drop any undelivered request, free. */
void sim_ical_finish(struct sim_world *w, struct sim_ical *ical);
/* A response arrived: match by token.  data (EBCDIC) may be NULL for an error
 * response.  IGW_ENOTFOUND if no ICAL waits for that token. */
int sim_ical_respond(struct sim_world *w, const uint8_t tok[IMSC_CORTKN_LEN],
                     const void *data, size_t len, bool error, uint16_t err_rsn);

#endif
