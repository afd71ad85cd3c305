/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IMS Connect client: connections (plain TCP or TLS), interactions, and a
 * thread-safe pool of persistent connections per endpoint.
 *
 * Deadlines are absolute igw_mono_ms() values (imsgw/clock.h); every call
 * that can block takes one and never blocks past it (name resolution
 * excepted: getaddrinfo cannot be bounded).  A connection is used by one
 * thread at a time; the pool hands them out (checkout/checkin) and is safe
 * to share between threads.
 *
 * Replies: a function that reads a reply returns 0 when a well-formed reply
 * (data + CSM, or RSM) arrived, whatever IMS said in it; the caller looks at
 * res->reply (has_rsm, rsm.retcod/rsncod) or asks imsc_result_error().  A
 * negative return is a transport or protocol failure (IGW_ETIMEOUT,
 * IGW_ECLOSED, IGW_EIO, IGW_EPROTO, IGW_ELIMIT, IGW_ETLS, IGW_ECONNECT); the
 * connection is then broken and must be closed (checkin does that).
 *
 * Secrets: the IRM passed in may hold a password or PassTicket; this code
 * never logs it and wipes its own copies.  Callers wipe theirs.
 */
#ifndef IMSCONNECT_CLIENT_H
#define IMSCONNECT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imsgw/buf.h"
#include "imsconnect/codec.h"

/* ------------------------------------------------------------ endpoint */
struct imsc_tls_config {
	bool enabled;
	const char *ca_file;		/* truststore (PEM); NULL = system store  */
	const char *cert_file;		/* client certificate chain (PEM), opt.   */
	const char *key_file;		/* its private key (PEM), opt.            */
	const char *server_name;	/* SNI and host name check; NULL = host   */
	bool no_verify_host;		/* skip the host name check (tests only)  */
};

/* Always start from imsc_endpoint_init(): a zeroed endpoint would mean
 * transaction sockets (IRM_SOCT X'00'), port 0 and no auto timer. */
struct imsc_endpoint {
	const char *host;
	uint16_t port;
	struct imsc_tls_config tls;
	enum imsc_exit exit;		/* *SAMPL1* (default) or *SAMPLE*          */
	enum imsc_cp cp;		/* IRM code page, EBCDIC by default        */
	char datastore[IMSC_NAME_BUF];	/* IRM_IMSDESTID when the IRM has none     */
	char clientid_prefix[IMSC_NAME_BUF]; /* 0..4 chars, default "IGW"        */
	size_t max_msg;			/* reply bound; 0 = IGW_IMSC_MSG_DEFAULT   */
	unsigned pool_max;		/* 0 = IGW_IMSC_POOL_DEFAULT               */
	uint32_t connect_ms;		/* 0 = IGW_IMSC_CONNECT_MS_DEFAULT         */
	uint32_t idle_ping_ms;		/* PING pooled sockets idle longer; 0=off  */
	bool auto_timer;		/* IRM_TIMER X'00' -> derived from deadline*/
	bool cancid_on_dup;		/* DUPECLNT with a fixed client ID: retry
					 * once with IRM_F3_CANCID                 */
	uint8_t soct;			/* IRM_SOCT of every request: persistent
					 * (default) or transaction (IMS Connect
					 * closes after each interaction, so the
					 * connection is then not reusable)        */
};
/* Defaults: port 9999, SAMPL1, EBCDIC, prefix "IGW", auto_timer on,
 * idle_ping_ms IGW_IMSC_IDLE_PING_MS_DEFAULT. */
void imsc_endpoint_init(struct imsc_endpoint *ep);

/* ------------------------------------------------------------ client ids */
/* Generate a client ID: prefix (0..4 of A-Z 0-9 @ # $, not starting with
 * "HWS"; empty = "IGW") + a suffix unique in this process and random across
 * processes, 8 characters in all.  IGW_EINVAL for a bad prefix. */
int imsc_clientid_generate(const char *prefix, char out[IMSC_NAME_BUF]);
/* 1 if id is a valid client ID (1..8 of A-Z 0-9 @ # $, not "HWS..."). */
int imsc_clientid_valid(const char *id);

/* --------------------------------------------------------------- result */
struct imsc_result {
	struct igw_buf raw;		/* the reply frame (owned)               */
	struct imsc_reply reply;	/* decoded; points into raw              */
	bool have;			/* a reply was read                      */
};
/* max: bound of the frame (0 = IGW_IMSC_MSG_DEFAULT). */
void imsc_result_init(struct imsc_result *res, size_t max);
void imsc_result_reset(struct imsc_result *res);
void imsc_result_free(struct imsc_result *res);
/* Reply data (all segments) appended to out. */
int imsc_result_data(const struct imsc_result *res, struct igw_buf *out);
/* IGW error for an RSM (0 for CSM): RC 32/36/40 -> IGW_ETIMEOUT, security
 * reasons (40, 51-55, 78) -> IGW_EAUTH, DUPECLNT -> IGW_EBUSY, datastore
 * reasons 72-77, 80 -> IGW_ECONNECT, anything else IGW_EIMS. */
int imsc_result_error(const struct imsc_result *res);
/* Stable public reason code for the RSM ("IMSC-TIMEOUT", "IMSC-SECURITY",
 * "IMSC-DATASTORE", "IMSC-DUPLICATE-CLIENT", "IMSC-REJECTED"), NULL for a
 * CSM.  The rows live in core/src/reason.c. */
const char *imsc_result_reason(const struct imsc_result *res);

/* ----------------------------------------------------------- connection */
struct imsc_conn;

/* Connect (TCP, then TLS if configured) within deadline.  clientid NULL:
 * generate one from the endpoint's prefix.  IGW_ECONNECT, IGW_ETIMEOUT,
 * IGW_ETLS, IGW_EINVAL. */
int imsc_conn_open(const struct imsc_endpoint *ep, const char *clientid,
                   int64_t deadline, struct imsc_conn **out);
/* Wrap an already connected plain socket (takes ownership of fd). */
int imsc_conn_adopt_fd(const struct imsc_endpoint *ep, int fd, const char *clientid,
                       struct imsc_conn **out);
void imsc_conn_close(struct imsc_conn *c);
const char *imsc_conn_clientid(const struct imsc_conn *c);
/* 1 if the connection can carry a new interaction (open, not broken, no
 * output waiting for ACK/NAK). */
int imsc_conn_reusable(const struct imsc_conn *c);
/* 1 if the last reply asked for an ACK or NAK not yet sent. */
int imsc_conn_ack_pending(const struct imsc_conn *c);

/*
 * Send one request and, if res is not NULL, read one reply.  Fills from the
 * connection what the IRM leaves empty: exit and code page (always), client
 * ID, datastore, and with auto_timer a timer X'00' from the deadline.
 * Updates the connection state (broken after an RSM whose RC closes the
 * socket, ACK pending after output whose CSM asks for one).  While an ACK
 * is pending only ACK, NAK or DEALLOCATE may be sent (else IGW_EINVAL).
 */
int imsc_conn_request(struct imsc_conn *c, struct imsc_irm *irm,
                      const struct imsc_seg *segs, size_t nseg, int64_t deadline,
                      struct imsc_result *res);
/* Read one more reply (after an ACK with a timer, AUTO resume tpipe...). */
int imsc_conn_read_reply(struct imsc_conn *c, int64_t deadline, struct imsc_result *res);

/* ---------------------------------------------------------- interactions */
/* irm: trancode, credentials, ARCH etc. as the caller wants them; these
 * functions set the IRM_F2/F3/F4 (and F0/F5 where stated) of the style. */

/* CM1, sync level NONE.  DUPECLNT on a generated client ID: one retry on a
 * fresh connection with a new ID (the message never reached IMS). */
int imsc_sendrecv(struct imsc_conn *c, struct imsc_irm *irm, const struct imsc_seg *segs,
                  size_t nseg, int64_t deadline, struct imsc_result *res);

enum imsc_confirm { IMSC_CONFIRM_ACK = 0, IMSC_CONFIRM_NAK = 1 };
/* CM1, sync level CONFIRM: read the output, answer it with ACK or NAK, read
 * the final RSM (RSN 97 / 98) into final.  If the output carries no ACK
 * request (an RSM), final is left empty. */
int imsc_sendrecv_confirm(struct imsc_conn *c, struct imsc_irm *irm,
                          const struct imsc_seg *segs, size_t nseg,
                          enum imsc_confirm answer, int64_t deadline,
                          struct imsc_result *res, struct imsc_result *final);
/* CM0, sync level CONFIRM: read the output and ACK it.  nowait: ACK with
 * IRM_F1_NOWAIT and timer NO_WAIT (needs CSM protocol level >= 2), no
 * final message; else the ACK carries ack_timer and the final reply is
 * read into final: normally the timeout RSM (RC 40 on a persistent socket);
 * if it is more output, the connection has an ACK pending and the caller
 * must ACK or NAK it (imsc_ack / imsc_nak). */
int imsc_sendrecv_cm0(struct imsc_conn *c, struct imsc_irm *irm,
                      const struct imsc_seg *segs, size_t nseg, bool nowait,
                      uint8_t ack_timer, int64_t deadline, struct imsc_result *res,
                      struct imsc_result *final);

/* ACK / NAK / DEALLOCATE for the output just received.  timer is the IRM
 * timer of the answer.  res NULL: do not read a reply (NO_WAIT cases).
 * nak_rsn 0: plain NAK; otherwise IRM_F0_NAKRSN + IRM_NAK_RSNCDE. */
int imsc_ack(struct imsc_conn *c, uint8_t timer, uint8_t f1, int64_t deadline,
             struct imsc_result *res);
int imsc_nak(struct imsc_conn *c, uint8_t timer, uint16_t nak_rsn, int64_t deadline,
             struct imsc_result *res);
int imsc_deallocate(struct imsc_conn *c, uint8_t timer, int64_t deadline,
                    struct imsc_result *res);

/* Send-only: 'S' (no reply read) or 'K' with_ack (CSM/RSM read into res). */
int imsc_sendonly(struct imsc_conn *c, struct imsc_irm *irm, const struct imsc_seg *segs,
                  size_t nseg, bool with_ack, int64_t deadline, struct imsc_result *res);

/* RESUME TPIPE: option is an IMSC_F5_RT_* value; syn is 0, IMSC_F0_SYNONLY
 * or IMSC_F0_SYNASYN (ARCH raised to 3 when needed).  The tpipe is
 * irm->clientid, or irm->rerout as alternate client ID (ARCH >= 1).  Reads
 * the first reply: a message (ACK it with imsc_ack, then read the next with
 * imsc_conn_read_reply for NOAUTO/AUTO) or a timeout RSM. */
int imsc_resume_tpipe(struct imsc_conn *c, struct imsc_irm *irm, uint8_t option,
                      uint8_t syn, int64_t deadline, struct imsc_result *res);

/* Synchronous callout response with the 40-byte correlation token: 'L'
 * (want_ack: CSM/RSM read into res) or 'M' (nothing read).  Error response
 * (imsc_callout_error): no data, IRM_F0_NAKRSN + IRM_NAK_RSNCDE = err_rsn,
 * or IRM_F0_SYNCNAK when err_rsn is 0. */
int imsc_callout_respond(struct imsc_conn *c, struct imsc_irm *irm,
                         const uint8_t tok[IMSC_CORTKN_LEN], const void *data,
                         size_t len, bool want_ack, int64_t deadline,
                         struct imsc_result *res);
int imsc_callout_error(struct imsc_conn *c, struct imsc_irm *irm,
                       const uint8_t tok[IMSC_CORTKN_LEN], uint16_t err_rsn,
                       bool want_ack, int64_t deadline, struct imsc_result *res);

/* CANCEL TIMER of the session holding client ID target (on this, another,
 * connection); reads the reply (RC 44 / RSN 59 expected). */
int imsc_cancel_timer(struct imsc_conn *c, const char *target, int64_t deadline,
                      struct imsc_result *res);

/* PING: 0 if IMS Connect answered "HWSC0030I *PING RESPONSE*" + CSM. */
int imsc_ping(struct imsc_conn *c, int64_t deadline);

/* ----------------------------------------------------------------- pool */
struct imsc_pool;
struct imsc_pool_stats {
	unsigned idle;			/* connections waiting in the pool        */
	unsigned busy;			/* checked out (or being opened)          */
	unsigned long opened;		/* connections opened so far              */
	unsigned long failed;		/* failed connection attempts             */
	unsigned long pings_failed;	/* idle connections dropped by PING       */
	unsigned fail_streak;		/* consecutive failures (back-off)        */
};

/* Copy the endpoint (strings included) and prepare TLS.  No connection is
 * opened yet.  IGW_ECONFIG/IGW_ETLS for unusable TLS files. */
int imsc_pool_new(const struct imsc_endpoint *ep, struct imsc_pool **out);
/*
 * A reusable connection: an idle one (PINGed first if idle longer than
 * idle_ping_ms), else a new one while fewer than pool_max exist, else wait
 * for a checkin until the deadline (IGW_EOVERLOAD).  After a failed connect
 * new attempts wait an exponential back-off (IGW_IMSC_BACKOFF_MS_MIN..MAX);
 * an attempt that would start after the deadline fails at once with
 * IGW_ECONNECT.
 */
int imsc_pool_checkout(struct imsc_pool *p, int64_t deadline, struct imsc_conn **out);
/* Return a connection; one that is not reusable is closed. */
void imsc_pool_checkin(struct imsc_pool *p, struct imsc_conn *c);
void imsc_pool_stats(struct imsc_pool *p, struct imsc_pool_stats *st);
/* checkout + imsc_sendrecv + checkin, all within one deadline.  A request
 * is never sent twice (no retry after a transport error: IMS may have run
 * it); DUPECLNT is handled as imsc_sendrecv does. */
int imsc_pool_sendrecv(struct imsc_pool *p, struct imsc_irm *irm,
                       const struct imsc_seg *segs, size_t nseg, int64_t deadline,
                       struct imsc_result *res);
/* Close idle connections and free; every connection must be checked in. */
void imsc_pool_free(struct imsc_pool *p);

#endif
