/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Simulated IMS application programs.  A program gets the input message
 * (EBCDIC segments) and the I/O PCB identity, and produces output segments
 * (EBCDIC) plus, for IVTNO, a database change applied at commit.
 *
 *   ivtno          phone book (sim_ivtno.h)
 *   echo           every input segment back, then a segment
 *                  "USERID=uuuuuuuu GROUP=gggggggg LTERM=llllllll"
 *   slow           echo, with the output ready only after delay_ms
 *   callout_sync   ICAL SENDRECV: the input data after the trancode goes to
 *                  the transaction's tpipe as a sync callout request; the
 *                  reply is "CALLOUT RESPONSE: " + response data, or
 *                  "CALLOUT ERROR RSN=nnnn" / "CALLOUT TIMEOUT"
 *   callout_async  ISRT ALTPCB: the same data queued on the tpipe as async
 *                  output; reply "ASYNC CALLOUT QUEUED"
 *   abend          DFS555I abend text, nothing committed
 *   noreply        no output (response-mode program ending without reply)
 *   conversational a conversation: each input (the first after the
 *                  trancode, later ones data only) is answered
 *                  "STEP n: <data>"; input "END" answers
 *                  "CONVERSATION HAS ENDED" and ends it
 * Every handler honours ctx->delay_ms (the transaction's delay_ms, or what
 * a /SIM DELAY command set).
 */
#ifndef SIM_TXN_H
#define SIM_TXN_H

#include <stdbool.h>
#include <stdint.h>
#include "imsgw/buf.h"
#include "imsconnect/codec.h"
#include "sim_config.h"
#include "sim_ivtno.h"
#include "sim_otma.h"

enum sim_txn_status {
	SIM_TXN_OK = 0,		/* output in body                        */
	SIM_TXN_NOREPLY,	/* program ended without output          */
	SIM_TXN_ABEND,		/* DFS555I in body, backed out           */
	SIM_TXN_TIMEOUT,	/* reply deadline passed while waiting   */
	SIM_TXN_ABORTED,	/* client went away / shutdown           */
};

struct sim_txn_ctx {
	struct sim_world *world;
	struct sim_ivtno *ivtno;
	const struct sim_txn *def;
	const char *userid;
	const char *group;
	const char *lterm;
	const struct imsc_seg *seg;	/* input segments, EBCDIC */
	size_t nseg;
	int64_t deadline;		/* reply deadline (mono ms), < 0 none */
	bool (*abort_fn)(void *);
	void *abort_arg;
	unsigned conv_step;		/* conversational: 0 = first input     */
	unsigned delay_ms;		/* program run time (test hook)        */
};

struct sim_txn_out {
	enum sim_txn_status status;
	struct igw_buf body;		/* LLZZ segments, EBCDIC               */
	int64_t ready_at;		/* mono ms when the output exists      */
	struct sim_ivtno_change change;
	bool conv_active;		/* conversation continues after this   */
};

/* out->body must be initialised by the caller.  Returns IGW_OK or a hard
 * error (ENOMEM, ELIMIT); the outcome is out->status. */
int sim_txn_run(struct sim_txn_ctx *ctx, struct sim_txn_out *out);
/* Commit the program's database work (IVTNO change). */
int sim_txn_commit(struct sim_txn_ctx *ctx, struct sim_txn_out *out);

/* Append one LLZZ segment of EBCDIC bytes / of Latin-1 text (translated). */
int sim_seg_append(struct igw_buf *body, const void *data, size_t len);
int sim_seg_append_text(struct igw_buf *body, const char *text);

#endif
