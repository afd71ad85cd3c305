/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One client connection, shared between the files that implement it:
 *   sim_conn.c      reading frames, replies, exit/RACF/datastore checks,
 *                   dispatch on IRM_F4, the connection's life
 *   sim_sendrecv.c  send-receive (CM1 NONE/CONFIRM, CM0, conversations,
 *                   XML adapter mode, PING, HWSPWCH) and send-only
 *   sim_deliver.c   delivering held output with ACK/NAK: RESUME TPIPE
 *                   options, CM0 output, callout responses, CANCEL TIMER
 *   sim_command.c   IMS commands (/DISPLAY)
 *
 * A struct sim_conn belongs to its connection thread; only sess is shared
 * (through the world's lock, sim_otma.h).  Every reply helper builds the
 * frame in c->out with the framing and code page of the current request.
 * A helper that decides the socket must close sets c->close.
 */
#ifndef SIM_CONN_H
#define SIM_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "imsgw/buf.h"
#include "imsconnect/codec.h"
#include "sim_io.h"
#include "sim_server.h"

#define SIM_TLS_HANDSHAKE_MS   10000
#define SIM_RT_DEFAULT_MS      2000	/* RESUME TPIPE timer X'00'          */
#define SIM_ACK_DEFAULT_MS     250	/* ACK/NAK of non-single output       */
#define SIM_NOWAIT_TRAN_MS     2000	/* NO_WAIT substituted for trancodes  */
#define SIM_SENSE_NOTRAN       0x1Bu	/* RC 16 sense: unknown destination   */
#define SIM_RSN_NO_TOKEN       34u	/* callout response for no ICAL       */

struct sim_conn {
	struct sim_server *srv;
	const struct sim_config *cfg;
	struct sim_session sess;
	struct sim_io io;
	char peer[64];
	struct imsc_framer fr;
	struct igw_buf out;		/* reply being built                  */
	struct igw_buf xin;		/* input data translated to EBCDIC    */
	struct imsc_seg *seg;		/* segments of xin                    */
	size_t nseg;
	enum imsc_exit framing;		/* of the current request             */
	char secflg;			/* OTMA OMSECFLG of the current message:
					 * 'F' (user ID sent) or 'N' (defaulted) */
	enum imsc_cp cp;
	bool xlate;			/* ASCII client: translate data       */
	bool persistent;
	bool close;			/* end the connection after this step */
	bool gen_cid;			/* the client ID was generated        */
	const struct sim_txn *conv;	/* conversation in progress, or NULL  */
	unsigned conv_step;
};

/* How held output is delivered (RESUME TPIPE options, CM0 output). */
enum sim_dl_mode { SIM_DM_SINGLE, SIM_DM_SWAIT, SIM_DM_NOAUTO, SIM_DM_AUTO, SIM_DM_CM0 };

/* ---- sim_conn.c: state, replies ---- */
/* true when the world stops or a newer session cancelled this one. */
bool sim_conn_abort(void *arg);
void sim_writer_start(struct sim_conn *c, struct imsc_writer *w);
/* Finish the frame and send it (an encode or write error closes). */
void sim_finish_and_send(struct sim_conn *c, struct imsc_writer *w);
/* RSM; keep: the socket stays open afterwards. */
void sim_reply_rsm(struct sim_conn *c, uint32_t rc, uint32_t rsn, uint8_t racfrc, bool keep);
uint8_t sim_csm_flags(const struct sim_conn *c);
/* Data segments of an EBCDIC LLZZ body (translated for ASCII clients). */
void sim_put_body(struct sim_conn *c, struct imsc_writer *w, const uint8_t *body, size_t len);
/* [GENCID] body CSM(flg1). */
void sim_reply_data(struct sim_conn *c, const uint8_t *body, size_t len, uint8_t flg1);
void sim_reply_text(struct sim_conn *c, const char *text);
/* Timeout RSM ending a wait for output: RC 40 kept on persistent sockets,
 * else RC 32/36 and close; RSN = the timer byte. */
void sim_reply_timeout(struct sim_conn *c, uint8_t tbyte);

/* ---- sim_conn.c: input ---- */
/* First segment as Latin-1 text, NUL-terminated, at most cap-1 bytes. */
void sim_first_text(const struct sim_conn *c, char *out, size_t cap);
/* Transaction code: first word of the data, else IRM_TRNCOD; "/" for a
 * command.  text receives the first segment's text. */
void sim_trancode(const struct sim_conn *c, const struct imsc_request *req, sim_name out,
                  char *text, size_t cap);
/* Read and decode the next request (the first byte by first_deadline).
 * IGW_OK, IGW_ECLOSED, IGW_ETIMEOUT; on a bad frame an RSM went out. */
int sim_next_request(struct sim_conn *c, int64_t first_deadline, struct imsc_request *req);

/* ---- sim_conn.c: timers ---- */
int64_t sim_timer_ms(uint8_t v, int64_t dflt, int64_t nowait);	/* < 0 forever */
bool sim_timer_is_default(uint8_t v);
int64_t sim_deadline_of(int64_t ms);
/* Sleep until deadline unless stopped/cancelled (false then). */
bool sim_sleep_until(struct sim_conn *c, int64_t deadline);

/* ---- sim_conn.c: checks; on failure the RSM is sent ---- */
int sim_check_clientid(struct sim_conn *c, const struct imsc_request *req);
int sim_check_datastore(struct sim_conn *c, const struct imsc_request *req,
                        const struct sim_datastore **out);
int sim_check_security(struct sim_conn *c, const struct imsc_request *req,
                       const struct sim_datastore *ds, sim_name user, sim_name group);
bool sim_otma_permits(struct sim_conn *c, const char *user, const char *group,
                      const struct sim_permit *pl, unsigned n);

/* ---- sim_deliver.c ---- */
/* Put an undelivered/NAKed message back (orig's PURGE/REROUT honoured). */
void sim_requeue(struct sim_conn *c, struct sim_msg *m, const char *tpipe,
                 const struct imsc_request *orig);
/* Deliver output of tpipe per mode (first: a message to send first, owned),
 * waiting until deadline (< 0 forever), then the timeout RSM. */
void sim_delivery_loop(struct sim_conn *c, const struct imsc_request *req,
                       const struct sim_datastore *ds, const char *tpipe,
                       enum sim_take take, enum sim_dl_mode mode, struct sim_msg *first,
                       int64_t deadline);
void sim_do_resume(struct sim_conn *c, const struct imsc_request *req);
void sim_do_callout_resp(struct sim_conn *c, const struct imsc_request *req);
void sim_do_cancel_timer(struct sim_conn *c, const struct imsc_request *req);

/* ---- sim_sendrecv.c ---- */
void sim_do_sendrecv(struct sim_conn *c, const struct imsc_request *req);
void sim_do_sendonly(struct sim_conn *c, const struct imsc_request *req);

/* ---- sim_command.c ---- */
void sim_do_command(struct sim_conn *c, const char *text);

#endif
