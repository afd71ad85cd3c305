/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Send-receive (CM1 sync NONE / CONFIRM, CM0, conversations, XML adapter
 * mode, PING, HWSPWCH, test hooks) and send-only (S, K, J).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "imsconnect/ebcdic.h"
#include "sim_conn.h"
#include "sim_txn.h"
#include "sim_xml.h"

static const char ping_text[] = "PING IMS_CONNECT";
static const char ping_reply[] = "HWSC0030I *PING RESPONSE*";
static const char pwch_reply[] = "HWSC0031I PASSWORD CHANGE SUCCESSFUL";

static void do_ping(struct sim_conn *c)
{
	c->gen_cid = false;
	sim_reply_text(c, ping_reply);
}

/* HWSPWCH old/new/new in the data (RACF=Y). */
static void do_pwchange(struct sim_conn *c, const struct imsc_request *req, char *text)
{
	char *p = text + strlen("HWSPWCH");
	char *old, *n1, *n2, *save = NULL;
	while (*p == ' ')
		p++;
	old = strtok_r(p, "/", &save);
	n1 = strtok_r(NULL, "/", &save);
	n2 = strtok_r(NULL, "/ ", &save);
	unsigned r = SIM_RACF_NEWPW_BAD;
	if (old && n1 && n2)
		r = sim_racf_change_password(c->srv->racf, req->irm.userid, old, n1, n2);
	if (r == SIM_RACF_OK) {
		igw_log_info(NULL, "%s: password of %s changed (HWSPWCH)", c->peer,
		             req->irm.userid);
		sim_reply_text(c, pwch_reply);
	} else {
		uint8_t racfrc = c->cfg->protocol_level >= IMSC_PRLVL_RACFRC && !c->cfg->racfgenrc ?
		                 (uint8_t)r : 0;
		sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_SECFAIL, racfrc, false);
	}
}

/* Test hooks (configured per transaction): broken replies. */
static void do_fault(struct sim_conn *c, const struct sim_txn *t,
                     const struct sim_txn_hooks *h)
{
	struct imsc_writer w;
	static const char text[] = "FAULT INJECTED BY IMSCONNECT-SIM";
	igw_log_info(NULL, "%s: transaction %s: injecting fault %d", c->peer, t->name,
	             (int)h->fault);
	if (h->fault == SIM_FAULT_RSM) {
		sim_reply_rsm(c, h->force_rc, h->force_rsn, 0, imsc_rc_keeps_socket(h->force_rc));
		return;
	}
	c->close = true;
	if (h->fault == SIM_FAULT_CLOSE)
		return;
	struct igw_buf b;
	if (igw_buf_init(&b, IGW_SIM_SEGMENT_MAX) != IGW_OK)
		return;
	sim_seg_append_text(&b, text);
	sim_writer_start(c, &w);
	sim_put_body(c, &w, b.data, b.len);
	imsc_put_csm(&w, sim_csm_flags(c), (uint8_t)c->cfg->protocol_level);
	if (imsc_writer_finish(&w) >= 0 && c->out.len > 8) {
		size_t n = c->out.len;
		if (h->fault == SIM_FAULT_TRUNCATE) {
			n /= 2;
		} else if (c->framing == IMSC_EXIT_SAMPL1) {	/* BADLEN: lie in LLLL */
			uint32_t lie = (uint32_t)c->out.len + 100u;
			c->out.data[0] = (uint8_t)(lie >> 24);
			c->out.data[1] = (uint8_t)(lie >> 16);
			c->out.data[2] = (uint8_t)(lie >> 8);
			c->out.data[3] = (uint8_t)lie;
		} else {					/* BADLEN: lie in LL */
			c->out.data[0] = 0x7F;
		}
		sim_io_write(&c->io, c->out.data, n);
	}
	igw_buf_reset(&c->out);
	igw_buf_free(&b);
}

/* XML adapter status (XASM); the socket closes. */
static void reply_xasm(struct sim_conn *c, uint32_t rc, uint32_t rsn)
{
	struct imsc_writer w;
	sim_writer_start(c, &w);
	imsc_put_xasm(&w, 0, 0, rc, rsn);
	igw_log_info(NULL, "%s client=%s XASM RC=%u RSN=%u", c->peer, c->sess.clientid, rc, rsn);
	sim_finish_and_send(c, &w);
	c->close = true;
}

/* XML adapter mode: the request's XML (untranslated) becomes the input
 * message in c->xin / c->seg. */
static int xml_input(struct sim_conn *c, const struct imsc_request *req,
                     const struct sim_conv_def *d)
{
	struct igw_buf raw, msg;
	struct imsc_seg_iter it;
	const uint8_t *p;
	size_t n, count = 0;
	int rc = igw_buf_init(&raw, c->cfg->maxsize);
	if (rc == IGW_OK)
		rc = igw_buf_init(&msg, c->cfg->maxsize);
	if (rc == IGW_OK)
		rc = imsc_request_data(req, &raw);
	if (rc == IGW_OK)
		rc = sim_xml_to_input(c->srv->xml, d, raw.data ? raw.data : (const uint8_t *)"",
		                      raw.len, &msg);
	if (rc == IGW_OK) {
		imsc_seg_iter_init(&it, msg.data, msg.len, false);
		while (imsc_seg_iter_next(&it, &p, &n) == 1)
			count++;
		if (it.err || count == 0 || count > IGW_SIM_SEGMENTS_MAX)
			rc = IGW_EPROTO;
	}
	if (rc == IGW_OK) {
		igw_buf_reset(&c->xin);
		rc = igw_buf_append(&c->xin, msg.data, msg.len);
	}
	if (rc == IGW_OK) {
		free(c->seg);
		c->seg = calloc(count, sizeof(*c->seg));
		rc = c->seg ? IGW_OK : IGW_ENOMEM;
		c->nseg = 0;
	}
	if (rc == IGW_OK) {
		imsc_seg_iter_init(&it, c->xin.data, c->xin.len, false);
		while (c->nseg < count && imsc_seg_iter_next(&it, &p, &n) == 1) {
			c->seg[c->nseg].data = p;
			c->seg[c->nseg].len = n;
			c->nseg++;
		}
	}
	igw_buf_free(&raw);
	igw_buf_free(&msg);
	return rc;
}

/* XML adapter mode: replace the output segments by the response XML. */
static int xml_output(struct sim_conn *c, const struct sim_conv_def *d, struct igw_buf *body)
{
	struct igw_buf xml;
	int rc = igw_buf_init(&xml, c->cfg->maxsize);
	if (rc == IGW_OK)
		rc = sim_xml_from_output(c->srv->xml, d, body->data, body->len, &xml);
	if (rc == IGW_OK) {
		igw_buf_reset(body);
		for (size_t at = 0; rc == IGW_OK && at < xml.len;) {
			size_t n = xml.len - at;
			if (n > IGW_SIM_SEGMENT_MAX - 4u)
				n = IGW_SIM_SEGMENT_MAX - 4u;
			rc = sim_seg_append(body, xml.data + at, n);
			at += n;
		}
	}
	igw_buf_free(&xml);
	return rc;
}

struct txn_run {
	struct sim_txn_ctx ctx;
	struct sim_txn_out out;
	sim_name user, group;
};

/* Run a transaction and wait for its output (until the reply deadline). */
static int run_txn(struct sim_conn *c, struct txn_run *tr, const struct sim_txn *t,
                   const struct imsc_request *req, int64_t deadline)
{
	int rc = igw_buf_init(&tr->out.body, c->cfg->maxsize);
	memset(&tr->ctx, 0, sizeof(tr->ctx));
	tr->ctx.world = &c->srv->world;
	tr->ctx.ivtno = c->srv->ivtno;
	tr->ctx.def = t;
	tr->ctx.userid = tr->user;
	tr->ctx.group = tr->group;
	tr->ctx.lterm = req->irm.lterm[0] ? req->irm.lterm : c->sess.clientid;
	tr->ctx.seg = c->seg;
	tr->ctx.nseg = c->nseg;
	tr->ctx.deadline = deadline;
	tr->ctx.abort_fn = sim_conn_abort;
	tr->ctx.abort_arg = c;
	tr->ctx.conv_step = c->conv == t ? c->conv_step : 0;
	struct sim_txn_hooks hooks;
	sim_world_txn_hooks(&c->srv->world, t, &hooks);
	tr->ctx.delay_ms = hooks.delay_ms;
	if (rc == IGW_OK)
		rc = sim_txn_run(&tr->ctx, &tr->out);
	if (rc == IGW_OK && (tr->out.status == SIM_TXN_OK || tr->out.status == SIM_TXN_ABEND)) {
		int64_t until = tr->out.ready_at;
		if (deadline >= 0 && deadline < until) {
			if (!sim_sleep_until(c, deadline))
				tr->out.status = SIM_TXN_ABORTED;
			else
				tr->out.status = SIM_TXN_TIMEOUT;
		} else if (!sim_sleep_until(c, until)) {
			tr->out.status = SIM_TXN_ABORTED;
		}
	}
	return rc;
}

void sim_do_sendrecv(struct sim_conn *c, const struct imsc_request *req)
{
	char text[256];
	sim_name tc;
	const struct sim_datastore *ds = NULL;
	struct txn_run tr;
	memset(&tr, 0, sizeof(tr));

	sim_first_text(c, text, sizeof(text));
	if (!strncmp(text, ping_text, sizeof(ping_text) - 1)) {
		do_ping(c);
		return;
	}
	if (sim_check_clientid(c, req) != IGW_OK)
		return;
	if (!strncmp(text, "/SIM ", 5)) {
		/* Simulator control reaches a datastore that is down, too. */
		ds = sim_config_datastore(c->cfg, req->irm.destid);
		if (!ds) {
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_DS_NOT_FOUND, 0, false);
			return;
		}
	} else if (sim_check_datastore(c, req, &ds) != IGW_OK) {
		return;
	}
	if (c->cfg->racf && !strncmp(text, "HWSPWCH ", 8)) {
		do_pwchange(c, req, text);
		igw_secure_zero(text, sizeof(text));
		return;
	}
	if (sim_check_security(c, req, ds, tr.user, tr.group) != IGW_OK)
		return;
	sim_trancode(c, req, tc, text, sizeof(text));
	const struct sim_conv_def *xconv = NULL;
	if (req->irm.arch >= 2 && req->irm.tag_adapt[0]) {
		/* XML adapter mode: the data is XML for a converter. */
		if (strcmp(req->irm.tag_adapt, SIM_XML_ADAPTER) != 0) {
			reply_xasm(c, SIM_XASM_RC, SIM_XASM_BAD_ADAPTER);
			return;
		}
		xconv = sim_xml_find(c->srv->xml, req->irm.tag_map);
		if (!xconv) {
			reply_xasm(c, SIM_XASM_RC, SIM_XASM_NO_CONVERTER);
			return;
		}
		if (xml_input(c, req, xconv) != IGW_OK) {
			reply_xasm(c, SIM_XASM_RC, SIM_XASM_IN_ERROR);
			return;
		}
		c->xlate = false;	/* XML is UTF-8 both ways */
		snprintf(tc, sizeof(tc), "%s", xconv->tran);
	} else if (c->conv) {
		/* Conversation in progress: the input is data for that program. */
		snprintf(tc, sizeof(tc), "%s", c->conv->name);
	} else if (tc[0] == '/') {
		if (!sim_otma_permits(c, tr.user, tr.group, c->cfg->cmd_permit, c->cfg->ncmd_permit)) {
			igw_log_warn(NULL, "%s: DFS1292E SECURITY VIOLATION: user %s command %.16s",
			             c->peer, tr.user, text);
			sim_reply_rsm(c, IMSC_RC_OTMA_NAK, c->cfg->tims_sense, 0, false);
		} else {
			sim_do_command(c, text);
		}
		return;
	}
	const struct sim_txn *t = sim_config_txn(c->cfg, tc);
	if (!t) {
		snprintf(text, sizeof(text),
		         "DFS064I DESTINATION CANNOT BE FOUND OR CREATED, DEST=%s", tc);
		sim_reply_text(c, text);
		return;
	}
	if (!sim_otma_permits(c, tr.user, tr.group, t->permit, t->npermit)) {
		igw_log_warn(NULL, "%s: DFS1292E SECURITY VIOLATION: user %s transaction %s",
		             c->peer, tr.user, t->name);
		sim_reply_rsm(c, IMSC_RC_OTMA_NAK, c->cfg->tims_sense, 0, false);
		return;
	}
	struct sim_txn_hooks hooks;
	sim_world_txn_hooks(&c->srv->world, t, &hooks);
	if (hooks.fault != SIM_FAULT_NONE) {
		do_fault(c, t, &hooks);
		return;
	}
	bool cm0 = (req->irm.f2 & IMSC_F2_CM0) != 0;
	bool confirm = cm0 || (req->irm.f3 & IMSC_F3_SYNCNF);
	if (t->handler == SIM_H_CONVERSE) {
		cm0 = false;		/* conversations are CM1 CONFIRM only */
		confirm = true;
	}
	int64_t wait = sim_timer_ms(req->irm.timer, c->cfg->timeout_ms, SIM_NOWAIT_TRAN_MS);
	int64_t deadline = sim_deadline_of(wait);
	igw_log_debug(NULL, "%s client=%s user=%s tran=%s %s%s", c->peer, c->sess.clientid,
	             tr.user, t->name, cm0 ? "CM0" : "CM1", confirm ? " CONFIRM" : "");
	int trc = run_txn(c, &tr, t, req, deadline);
	if (trc == IGW_OK && xconv && tr.out.status == SIM_TXN_OK &&
	    xml_output(c, xconv, &tr.out.body) != IGW_OK) {
		reply_xasm(c, SIM_XASM_RC, SIM_XASM_OUT_ERROR);
	} else if (trc != IGW_OK) {
		sim_reply_rsm(c, IMSC_RC_OTMA_ERROR, IMSC_RSN_DEFAULT, 0, false);
	} else if (tr.out.status == SIM_TXN_ABORTED) {
		c->close = true;
	} else if (tr.out.status == SIM_TXN_ABEND) {
		sim_reply_data(c, tr.out.body.data, tr.out.body.len, 0);
	} else if (tr.out.status == SIM_TXN_NOREPLY && (!cm0 || (req->irm.f3 & IMSC_F3_DFS2082))) {
		sim_reply_text(c, "DFS2082 RESPONSE MODE TRANSACTION TERMINATED WITHOUT REPLY");
	} else if (tr.out.status == SIM_TXN_NOREPLY || tr.out.status == SIM_TXN_TIMEOUT) {
		if (tr.out.status == SIM_TXN_NOREPLY)
			sim_sleep_until(c, deadline);
		if (cm0 && tr.out.status == SIM_TXN_TIMEOUT && tr.out.body.len > 0) {
			/* CM0 committed: the late output goes to the hold queue. */
			sim_txn_commit(&tr.ctx, &tr.out);
			struct sim_msg *m = sim_msg_new(&c->srv->world, tr.out.body.data,
			                                tr.out.body.len);
			if (m)
				sim_requeue(c, m, c->sess.clientid, req);
		}
		sim_reply_rsm(c, sim_timer_is_default(req->irm.timer) ? IMSC_RC_DEFAULT_TIMER :
		          IMSC_RC_TIMER, req->irm.timer, 0, false);
	} else if (cm0) {
		sim_txn_commit(&tr.ctx, &tr.out);
		struct sim_msg *m = sim_msg_new(&c->srv->world, tr.out.body.data, tr.out.body.len);
		if (!m)
			sim_reply_rsm(c, IMSC_RC_OTMA_ERROR, IMSC_RSN_DEFAULT, 0, false);
		else
			sim_delivery_loop(c, req, ds, c->sess.clientid, SIM_TAKE_ASYNC, SIM_DM_CM0, m,
			              -1);
	} else if (!confirm) {
		sim_txn_commit(&tr.ctx, &tr.out);
		unsigned q = sim_otma_depth(&c->srv->world, c->sess.clientid, SIM_TAKE_ASYNC);
		sim_reply_data(c, tr.out.body.data, tr.out.body.len, q ? IMSC_FLG1_ASYNC_QUEUED : 0);
	} else {
		/* CM1 CONFIRM: commit on ACK, back out on NAK or silence.  A
		 * conversation goes on after the ACK without a status message. */
		struct imsc_request ack;
		bool conv = tr.out.conv_active;
		sim_reply_data(c, tr.out.body.data, tr.out.body.len,
		           (uint8_t)(IMSC_FLG1_ACK_REQUIRED | (conv ? IMSC_FLG1_CONVERSATION : 0)));
		unsigned ackto = ds->ackto_s ? ds->ackto_s * 1000u : c->cfg->timeout_ms;
		int rc = c->close ? IGW_ECLOSED : sim_next_request(c, igw_deadline_after(ackto), &ack);
		c->conv = NULL;
		if (rc == IGW_OK && ack.irm.msgtype == IMSC_MT_ACK) {
			sim_txn_commit(&tr.ctx, &tr.out);
			if (conv) {
				c->conv = t;
				c->conv_step = tr.ctx.conv_step + 1;
			} else {
				sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_DEALLOC_CONFIRM, 0,
				          c->persistent);
			}
		} else if (rc == IGW_OK && (ack.irm.msgtype == IMSC_MT_NAK ||
		                            ack.irm.msgtype == IMSC_MT_DEALLOCATE)) {
			igw_log_info(NULL, "%s: CM1 output NAKed: backout (U0119)", c->peer);
			sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_DEALLOC_ABORT, 0, c->persistent);
		} else if (rc == IGW_OK) {
			sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_PROTOCOL, 0, false);
		} else {
			igw_log_info(NULL, "%s: no ACK for CM1 output: backout (U0119)", c->peer);
			c->close = true;
		}
		if (rc == IGW_OK)
			imsc_irm_wipe(&ack.irm);
	}
	igw_buf_free(&tr.out.body);
}

void sim_do_sendonly(struct sim_conn *c, const struct imsc_request *req)
{
	char text[256];
	sim_name tc;
	const struct sim_datastore *ds = NULL;
	struct txn_run tr;
	char mt = req->irm.msgtype;
	bool report = mt != IMSC_MT_SENDONLY;
	memset(&tr, 0, sizeof(tr));
	if (sim_check_clientid(c, req) != IGW_OK || sim_check_datastore(c, req, &ds) != IGW_OK ||
	    sim_check_security(c, req, ds, tr.user, tr.group) != IGW_OK)
		return;
	const char *tpipe = (req->irm.f3 & IMSC_F3_REROUT) && req->irm.rerout[0] ?
	                    req->irm.rerout : c->sess.clientid;
	sim_trancode(c, req, tc, text, sizeof(text));
	const struct sim_txn *t = sim_config_txn(c->cfg, tc);
	if (!t) {
		igw_log_warn(NULL, "%s: send-only to unknown transaction %s", c->peer, tc);
		if (report) {
			sim_reply_rsm(c, IMSC_RC_OTMA_NAK, SIM_SENSE_NOTRAN, 0, false);
		} else {
			struct igw_buf b;
			snprintf(text, sizeof(text),
			         "DFS064I DESTINATION CANNOT BE FOUND OR CREATED, DEST=%s", tc);
			if (igw_buf_init(&b, IGW_SIM_SEGMENT_MAX) == IGW_OK &&
			    sim_seg_append_text(&b, text) == IGW_OK) {
				struct sim_msg *m = sim_msg_new(&c->srv->world, b.data, b.len);
				if (m)
					sim_otma_enqueue(&c->srv->world, tpipe, m, false);
			}
			igw_buf_free(&b);
		}
		return;
	}
	if (!sim_otma_permits(c, tr.user, tr.group, t->permit, t->npermit)) {
		igw_log_warn(NULL, "%s: DFS1292E SECURITY VIOLATION: user %s transaction %s",
		             c->peer, tr.user, t->name);
		if (report)
			sim_reply_rsm(c, IMSC_RC_OTMA_NAK, c->cfg->tims_sense, 0, false);
		return;
	}
	igw_log_debug(NULL, "%s client=%s user=%s tran=%s send-only %c", c->peer,
	             c->sess.clientid, tr.user, t->name, mt);
	if (run_txn(c, &tr, t, req, -1) != IGW_OK) {
		if (report)
			sim_reply_rsm(c, IMSC_RC_OTMA_ERROR, IMSC_RSN_DEFAULT, 0, false);
	} else if (tr.out.status == SIM_TXN_ABORTED) {
		c->close = true;
	} else {
		sim_txn_commit(&tr.ctx, &tr.out);
		bool purge = (req->irm.f3 & IMSC_F3_PURGE) && !(req->irm.f3 & IMSC_F3_REROUT);
		if (tr.out.body.len > 0 && !purge) {
			struct sim_msg *m = sim_msg_new(&c->srv->world, tr.out.body.data,
			                                tr.out.body.len);
			if (m)
				sim_otma_enqueue(&c->srv->world, tpipe, m, false);
		}
		if (mt == IMSC_MT_SENDONLY_ACK) {
			struct imsc_writer w;
			sim_writer_start(c, &w);
			if (c->gen_cid)
				imsc_put_gencid(&w, c->sess.clientid);
			imsc_put_csm(&w, sim_csm_flags(c), (uint8_t)c->cfg->protocol_level);
			sim_finish_and_send(c, &w);
		}
	}
	igw_buf_free(&tr.out.body);
}
