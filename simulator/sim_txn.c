/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Simulated IMS programs: ivtno, echo, slow, callouts, abend, noreply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "imsconnect/ebcdic.h"
#include "sim_txn.h"

int sim_seg_append(struct igw_buf *body, const void *data, size_t len)
{
	int rc = IGW_OK;
	uint8_t llzz[4];
	if (len > IGW_SIM_SEGMENT_MAX - 4u) {
		rc = IGW_ELIMIT;
	} else {
		llzz[0] = (uint8_t)((len + 4) >> 8);
		llzz[1] = (uint8_t)(len + 4);
		llzz[2] = llzz[3] = 0;
		rc = igw_buf_reserve(body, len + 4);
		if (rc == IGW_OK)
			rc = igw_buf_append(body, llzz, 4);
		if (rc == IGW_OK)
			rc = igw_buf_append(body, data, len);
	}
	return rc;
}

int sim_seg_append_text(struct igw_buf *body, const char *text)
{
	size_t n = strlen(text);
	int rc = IGW_OK;
	uint8_t *e = malloc(n ? n : 1);
	if (!e)
		rc = IGW_ENOMEM;
	if (rc == IGW_OK)
		rc = imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, text, n, e);
	if (rc == IGW_OK)
		rc = sim_seg_append(body, e, n);
	free(e);
	return rc;
}

/* Data of the first segment after the transaction code and its blank(s). */
static void after_trancode(const struct sim_txn_ctx *c, const uint8_t **p, size_t *n)
{
	size_t i = 0;
	*p = NULL;
	*n = 0;
	if (c->nseg == 0)
		return;
	const uint8_t *d = c->seg[0].data;
	size_t len = c->seg[0].len;
	while (i < len && i < 8 && d[i] != 0x40)	/* EBCDIC blank */
		i++;
	while (i < len && d[i] == 0x40)
		i++;
	*p = d + i;
	*n = len - i;
}

static int run_echo(struct sim_txn_ctx *c, struct sim_txn_out *o)
{
	int rc = IGW_OK;
	char idtext[64];
	for (size_t i = 0; i < c->nseg && rc == IGW_OK; i++)
		rc = sim_seg_append(&o->body, c->seg[i].data, c->seg[i].len);
	snprintf(idtext, sizeof(idtext), "USERID=%-8s GROUP=%-8s LTERM=%-8s",
	         c->userid, c->group, c->lterm);
	if (rc == IGW_OK)
		rc = sim_seg_append_text(&o->body, idtext);
	return rc;
}

static int run_ivtno(struct sim_txn_ctx *c, struct sim_txn_out *o)
{
	uint8_t out[SIM_IVTNO_OUT_LEN];
	const uint8_t *in = c->nseg ? c->seg[0].data : (const uint8_t *)"";
	size_t len = c->nseg ? c->seg[0].len : 0;
	int rc = sim_ivtno_process(c->ivtno, in, len, out, &o->change);
	if (rc == IGW_OK)
		rc = sim_seg_append(&o->body, out, sizeof(out));
	return rc;
}

static int run_callsync(struct sim_txn_ctx *c, struct sim_txn_out *o)
{
	int rc = IGW_OK;
	const uint8_t *p;
	size_t n;
	struct sim_ical *ic = NULL;
	char text[64];
	uint8_t ctl[4 + 2 * 17 + 256];
	size_t ctl_len = 0;
	after_trancode(c, &p, &n);
	if (c->def->handler == SIM_H_CALLSYNC_URL) {
		/* ICAL control data: the first word of the input is the endpoint,
		 * one item <DFSENDPOINTURL>word</DFSENDPOINTURL> (EBCDIC) after
		 * its 4-byte length (the item's, excluding itself) */
		static const char open_tag[] = "<DFSENDPOINTURL>", close_tag[] = "</DFSENDPOINTURL>";
		size_t u = 0;
		while (u < n && u < 256 && p[u] != 0x40)
			u++;
		size_t item = sizeof(open_tag) - 1 + u + sizeof(close_tag) - 1;
		ctl[0] = (uint8_t)(item >> 24);
		ctl[1] = (uint8_t)(item >> 16);
		ctl[2] = (uint8_t)(item >> 8);
		ctl[3] = (uint8_t)item;
		imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, open_tag, sizeof(open_tag) - 1, ctl + 4);
		memcpy(ctl + 4 + sizeof(open_tag) - 1, p, u);
		imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, close_tag, sizeof(close_tag) - 1,
		                        ctl + 4 + sizeof(open_tag) - 1 + u);
		ctl_len = 4 + item;
		while (u < n && p[u] == 0x40)
			u++;
		p += u;
		n -= u;
	}
	rc = sim_ical_start(c->world, c->def->tpipe, c->userid, p, n, ctl, ctl_len, &ic);
	if (rc == IGW_OK) {
		int64_t dl = igw_deadline_after(c->def->callout_timeout_ms);
		bool reply_first = c->deadline >= 0 && c->deadline < dl;
		int w = sim_ical_wait(c->world, ic, reply_first ? c->deadline : dl,
		                      c->abort_fn, c->abort_arg);
		if (w == IGW_ECLOSED) {
			o->status = SIM_TXN_ABORTED;
		} else if (w == IGW_ETIMEOUT && reply_first) {
			o->status = SIM_TXN_TIMEOUT;
		} else if (w == IGW_ETIMEOUT) {
			rc = sim_seg_append_text(&o->body, "CALLOUT TIMEOUT");
		} else if (ic->error) {
			snprintf(text, sizeof(text), "CALLOUT ERROR RSN=%04u", ic->err_rsn);
			rc = sim_seg_append_text(&o->body, text);
		} else {
			struct igw_buf all;
			rc = igw_buf_init(&all, IGW_SIM_SEGMENT_MAX - 4u);
			if (rc == IGW_OK) {
				static const char pre[] = "CALLOUT RESPONSE: ";
				uint8_t e[sizeof(pre)];
				imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, pre, sizeof(pre) - 1, e);
				rc = igw_buf_append(&all, e, sizeof(pre) - 1);
				if (rc == IGW_OK)
					rc = igw_buf_append(&all, ic->resp.data, ic->resp.len);
				if (rc == IGW_OK)
					rc = sim_seg_append(&o->body, all.data, all.len);
				igw_buf_free(&all);
			}
		}
	}
	sim_ical_finish(c->world, ic);
	return rc;
}

static int run_callasync(struct sim_txn_ctx *c, struct sim_txn_out *o)
{
	int rc = IGW_OK;
	const uint8_t *p;
	size_t n;
	struct igw_buf b;
	after_trancode(c, &p, &n);
	rc = igw_buf_init(&b, IGW_SIM_SEGMENT_MAX);
	if (rc == IGW_OK)
		rc = sim_seg_append(&b, p, n);
	if (rc == IGW_OK) {
		struct sim_msg *m = sim_msg_new(c->world, b.data, b.len);
		rc = m ? sim_otma_enqueue(c->world, c->def->tpipe, m, false) : IGW_ENOMEM;
	}
	igw_buf_free(&b);
	if (rc == IGW_OK)
		rc = sim_seg_append_text(&o->body, "ASYNC CALLOUT QUEUED");
	return rc;
}

static int run_converse(struct sim_txn_ctx *c, struct sim_txn_out *o)
{
	int rc = IGW_OK;
	const uint8_t *p = NULL;
	size_t n = 0;
	char in[80], text[128];
	if (c->conv_step == 0) {
		after_trancode(c, &p, &n);
	} else if (c->nseg > 0) {
		p = c->seg[0].data;
		n = c->seg[0].len;
	}
	if (n > sizeof(in) - 1)
		n = sizeof(in) - 1;
	imsc_ebcdic_to_latin1(IMSC_EBCDIC_037, p ? p : (const uint8_t *)"", n, in);
	in[n] = '\0';
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\0'))
		in[--n] = '\0';
	if (!strcmp(in, "END")) {
		rc = sim_seg_append_text(&o->body, "CONVERSATION HAS ENDED");
		o->conv_active = false;
	} else {
		snprintf(text, sizeof(text), "STEP %u: %s", c->conv_step + 1, in);
		rc = sim_seg_append_text(&o->body, text);
		o->conv_active = true;
	}
	return rc;
}

int sim_txn_run(struct sim_txn_ctx *c, struct sim_txn_out *o)
{
	int rc = IGW_OK;
	char text[128];
	o->status = SIM_TXN_OK;
	o->conv_active = false;
	o->ready_at = igw_deadline_after(c->delay_ms);
	memset(&o->change, 0, sizeof(o->change));
	switch (c->def->handler) {
	case SIM_H_IVTNO:
		rc = run_ivtno(c, o);
		break;
	case SIM_H_ECHO:
	case SIM_H_SLOW:
		rc = run_echo(c, o);
		break;
	case SIM_H_CALLSYNC:
	case SIM_H_CALLSYNC_URL:
		rc = run_callsync(c, o);
		break;
	case SIM_H_CALLASYNC:
		rc = run_callasync(c, o);
		break;
	case SIM_H_ABEND:
		snprintf(text, sizeof(text),
		         "DFS555I TRANSACTION %s ABEND U0777; MESSAGE IN PROCESS DISCARDED",
		         c->def->name);
		rc = sim_seg_append_text(&o->body, text);
		o->status = SIM_TXN_ABEND;
		break;
	case SIM_H_NOREPLY:
		o->status = SIM_TXN_NOREPLY;
		break;
	case SIM_H_CONVERSE:
		rc = run_converse(c, o);
		break;
	}
	return rc;
}

int sim_txn_commit(struct sim_txn_ctx *c, struct sim_txn_out *o)
{
	int rc = IGW_OK;
	if (o->status == SIM_TXN_OK && c->ivtno)
		rc = sim_ivtno_commit(c->ivtno, &o->change);
	memset(&o->change, 0, sizeof(o->change));
	return rc;
}
