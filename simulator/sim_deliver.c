/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Delivering held output with ACK/NAK: RESUME TPIPE (SINGLE, SWAIT, NOAUTO,
 * AUTO; SYNONLY/SYNASYN), CM0 output, sync callout responses (L/M) and
 * CANCEL TIMER.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "imsconnect/ebcdic.h"
#include "sim_conn.h"
#include "sim_xml.h"

/* Outcome of delivering one output message. */
enum dl_result { DL_ACK, DL_NAK, DL_DEALLOC, DL_GONE };

struct ack_info {
	uint8_t timer;
	uint8_t f0, f1;
	uint16_t nak_rsn;
};

/* Return an undelivered/NAKed message to its queue (or purge/reroute). */
void sim_requeue(struct sim_conn *c, struct sim_msg *m, const char *tpipe,
                    const struct imsc_request *orig)
{
	const char *dest = tpipe;
	uint8_t f3 = orig ? orig->irm.f3 : 0;
	bool purge = (f3 & IMSC_F3_PURGE) && !(f3 & IMSC_F3_REROUT);
	bool rerout = (f3 & IMSC_F3_REROUT) && !(f3 & IMSC_F3_PURGE) && orig->irm.rerout[0];
	if (!m->sync_callout && purge) {
		igw_log_info(NULL, "%s: output message %llu purged", c->peer,
		             (unsigned long long)m->id);
		sim_msg_free(m);
		return;
	}
	if (!m->sync_callout && rerout)
		dest = orig->irm.rerout;
	sim_otma_enqueue(&c->srv->world, dest, m, !rerout);
}

/* Send m (owned) with CSM X'20' and wait for the client's ACK/NAK. */
static enum dl_result deliver(struct sim_conn *c, struct sim_msg *m, const char *tpipe,
                              enum sim_take take, const struct imsc_request *orig,
                              const struct sim_datastore *ds, struct ack_info *ai)
{
	struct imsc_writer w;
	struct imsc_request ack;
	enum dl_result res = DL_GONE;
	unsigned more = sim_otma_depth(&c->srv->world, tpipe, take);
	m->deliveries++;
	sim_writer_start(c, &w);
	if (c->gen_cid)
		imsc_put_gencid(&w, c->sess.clientid);
	if (m->sync_callout) {
		imsc_put_cor(&w, m->cortkn);
		/* control data only for a client that declared it takes it */
		if (m->ctl_len && orig && (orig->irm.f0 & IMSC_F0_CTLDATA))
			imsc_put_ctldat(&w, m->ctl, m->ctl_len);
		/* XML adapter: a RESUME TPIPE naming HWSXMLA0 and a converter gets
		 * the request as XML (the converter's output record) */
		const struct sim_conv_def *xc = orig && orig->irm.arch >= 2 &&
			!strcmp(orig->irm.tag_adapt, SIM_XML_ADAPTER) ?
			sim_xml_find(c->srv->xml, orig->irm.tag_map) : NULL;
		struct igw_buf xml;
		igw_buf_init(&xml, c->cfg->maxsize);
		if (xc && sim_xml_from_output(c->srv->xml, xc, m->body, m->body_len, &xml) == IGW_OK) {
			imsc_put_callout_data(&w, xml.data, xml.len);
		} else if (c->xlate) {
			uint8_t *t = malloc(m->body_len ? m->body_len : 1);
			if (t) {
				imsc_ebcdic_to_latin1(IMSC_EBCDIC_037, m->body, m->body_len, t);
				imsc_put_callout_data(&w, t, m->body_len);
				free(t);
			} else {
				w.err = IGW_ENOMEM;
			}
		} else {
			imsc_put_callout_data(&w, m->body, m->body_len);
		}
		igw_buf_free(&xml);
	} else {
		sim_put_body(c, &w, m->body, m->body_len);
	}
	imsc_put_csm(&w, (uint8_t)(IMSC_FLG1_ACK_REQUIRED | (more ? IMSC_FLG1_ASYNC_QUEUED : 0) |
	                           sim_csm_flags(c)), (uint8_t)c->cfg->protocol_level);
	sim_finish_and_send(c, &w);
	c->gen_cid = false;
	memset(ai, 0, sizeof(*ai));
	if (!c->close) {
		unsigned ackto = ds && ds->ackto_s ? ds->ackto_s * 1000u : c->cfg->timeout_ms;
		int rc = sim_next_request(c, igw_deadline_after(ackto), &ack);
		if (rc == IGW_ETIMEOUT) {
			igw_log_warn(NULL, "%s: no ACK/NAK within ACKTO; message %llu requeued",
			             c->peer, (unsigned long long)m->id);
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_RT_CANCELLED, 0, false);
		} else if (rc == IGW_OK) {
			ai->timer = ack.irm.timer;
			ai->f0 = ack.irm.f0;
			ai->f1 = ack.irm.f1;
			ai->nak_rsn = ack.irm.nak_rsncde;
			switch (ack.irm.msgtype) {
			case IMSC_MT_ACK: res = DL_ACK; break;
			case IMSC_MT_NAK: res = DL_NAK; break;
			case IMSC_MT_DEALLOCATE: res = DL_DEALLOC; break;
			default:
				sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_PROTOCOL, 0, false);
				break;
			}
		}
		imsc_irm_wipe(&ack.irm);
	}
	if (res == DL_ACK) {
		igw_log_debug(NULL, "%s: message %llu ACKed", c->peer, (unsigned long long)m->id);
		sim_msg_free(m);
	} else if (res == DL_NAK && m->sync_callout && (ai->f0 & IMSC_F0_NAKRSN)) {
		/* NAK with a reason: OTMA discards the request, the ICAL fails. */
		sim_ical_respond(&c->srv->world, m->cortkn, NULL, 0, true, ai->nak_rsn);
		sim_msg_free(m);
	} else {
		igw_log_info(NULL, "%s: message %llu %s; back on tpipe %s", c->peer,
		             (unsigned long long)m->id,
		             res == DL_NAK ? "NAKed" : res == DL_DEALLOC ? "deallocated" :
		             "not acknowledged", tpipe);
		sim_requeue(c, m, tpipe, orig);
	}
	return res;
}

/* Wait for an eligible message on tpipe until deadline (< 0 forever).
 * NULL on timeout, stop, cancel or peer gone (*why tells). */
enum wait_end { WE_MSG, WE_TIMEOUT, WE_CANCEL_TIMER, WE_GONE };

static struct sim_msg *wait_msg(struct sim_conn *c, const char *tpipe, enum sim_take take,
                                int64_t deadline, bool wait, enum wait_end *why)
{
	struct sim_world *w = &c->srv->world;
	struct sim_msg *m = NULL;
	*why = WE_TIMEOUT;
	pthread_mutex_lock(&w->mu);
	c->sess.waiting = true;
	for (;;) {
		m = sim_otma_take_locked(w, tpipe, take);
		if (m) {
			*why = WE_MSG;
			break;
		}
		if (c->sess.timer_cancelled) {
			*why = WE_CANCEL_TIMER;
			break;
		}
		if (w->stopping || c->sess.cancelled) {
			*why = WE_GONE;
			break;
		}
		if (!wait || (deadline >= 0 && igw_deadline_left(deadline) == 0))
			break;
		pthread_mutex_unlock(&w->mu);
		bool gone = sim_io_peer_gone(&c->io);
		pthread_mutex_lock(&w->mu);
		if (gone) {
			*why = WE_GONE;
			break;
		}
		sim_world_wait_locked(w, deadline, 200);
	}
	c->sess.waiting = false;
	pthread_mutex_unlock(&w->mu);
	return m;
}

/* Deliver output from tpipe per mode (RESUME TPIPE options, CM0 output),
 * then end with the timeout RSM unless the flow ends silently. */
void sim_delivery_loop(struct sim_conn *c, const struct imsc_request *req,
                          const struct sim_datastore *ds, const char *tpipe,
                          enum sim_take take, enum sim_dl_mode mode, struct sim_msg *first,
                          int64_t deadline)
{
	uint8_t tbyte = req->irm.timer;
	unsigned snapshot = mode == SIM_DM_NOAUTO ? sim_otma_depth(&c->srv->world, tpipe, take) : 0;
	unsigned delivered = 0;
	bool silent = false;
	enum wait_end why = WE_TIMEOUT;
	struct sim_msg *m = first;
	struct ack_info ai;
	for (;;) {
		if (!m) {
			bool wait = false;
			bool may_take = true;
			switch (mode) {
			case SIM_DM_SINGLE: may_take = delivered == 0; break;
			case SIM_DM_SWAIT: may_take = wait = delivered == 0; break;
			case SIM_DM_NOAUTO: may_take = delivered < snapshot; break;
			case SIM_DM_AUTO:
			case SIM_DM_CM0: wait = true; break;
			}
			if (may_take)
				m = wait_msg(c, tpipe, take, deadline, wait, &why);
			if (!m && mode == SIM_DM_SINGLE && delivered == 0 && why == WE_TIMEOUT &&
			    !sim_sleep_until(c, deadline)) {
				pthread_mutex_lock(&c->srv->world.mu);
				why = c->sess.timer_cancelled ? WE_CANCEL_TIMER : WE_GONE;
				pthread_mutex_unlock(&c->srv->world.mu);
			}
			if (!m)
				break;
		}
		enum dl_result r = deliver(c, m, tpipe, take, req, ds, &ai);
		m = NULL;
		delivered++;
		if (r == DL_GONE) {
			why = WE_GONE;
			break;
		}
		tbyte = ai.timer;
		if (r == DL_DEALLOC) {
			silent = true;
			break;
		}
		if (r == DL_NAK)
			break;
		uint32_t ms;
		bool nowait = imsc_timer_decode(tbyte, &ms) == IMSC_TIMER_NOWAIT;
		if ((mode == SIM_DM_SINGLE || mode == SIM_DM_SWAIT) && nowait) {
			silent = true;
			break;
		}
		if (mode == SIM_DM_CM0 && nowait && (ai.f1 & IMSC_F1_NOWAIT) &&
		    c->cfg->protocol_level >= IMSC_PRLVL_NOWAIT) {
			silent = true;
			break;
		}
		if (mode == SIM_DM_SINGLE || mode == SIM_DM_SWAIT)
			break;
		deadline = sim_deadline_of(sim_timer_ms(tbyte, SIM_ACK_DEFAULT_MS, SIM_ACK_DEFAULT_MS));
		why = WE_TIMEOUT;
	}
	if (why == WE_CANCEL_TIMER) {
		pthread_mutex_lock(&c->srv->world.mu);
		c->sess.timer_cancelled = false;
		pthread_mutex_unlock(&c->srv->world.mu);
		sim_reply_rsm(c, IMSC_RC_CANCEL_TIMER, IMSC_RSN_CANTIMER, 0, false);
	} else if (why == WE_GONE) {
		c->close = true;
	} else if (!silent && !c->close) {
		sim_reply_timeout(c, tbyte);
	}
}

/* ---------------------------------------------------------- requests */

void sim_do_resume(struct sim_conn *c, const struct imsc_request *req)
{
	const struct sim_datastore *ds = NULL;
	sim_name user, group;
	const struct imsc_irm *irm = &req->irm;
	bool sync = irm->f0 & (IMSC_F0_SYNONLY | IMSC_F0_SYNASYN);
	if (sync && irm->arch < 3) {
		sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_INVBUF, 0, false);
		return;
	}
	if ((irm->f2 & IMSC_F2_CM1) && !(irm->f2 & IMSC_F2_CM0)) {
		sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_RT_CM1, 0, false);
		return;
	}
	if (sim_check_clientid(c, req) != IGW_OK || sim_check_datastore(c, req, &ds) != IGW_OK ||
	    sim_check_security(c, req, ds, user, group) != IGW_OK)
		return;
	sim_name tpipe;
	snprintf(tpipe, sizeof(tpipe), "%s",
	         irm->arch >= 1 && irm->rerout[0] ? irm->rerout : c->sess.clientid);
	const struct sim_tpipe_rule *rule = sim_config_tprule(c->cfg, tpipe);
	if (rule && !sim_otma_permits(c, user, group, rule->permit, rule->npermit)) {
		igw_log_warn(NULL, "%s: RESUME TPIPE %s not permitted for %s (RIMS)", c->peer,
		             tpipe, user);
		sim_reply_rsm(c, IMSC_RC_OTMA_NAK, c->cfg->tims_sense, 0, false);
		return;
	}
	enum sim_take take = (irm->f0 & IMSC_F0_SYNONLY) ? SIM_TAKE_SYNC :
	                     (irm->f0 & IMSC_F0_SYNASYN) ? SIM_TAKE_BOTH : SIM_TAKE_ASYNC;
	enum sim_dl_mode mode;
	switch (irm->f5 & IMSC_F5_RT_MASK) {
	case IMSC_F5_RT_SINGLE: mode = SIM_DM_SINGLE; break;
	case IMSC_F5_RT_SWAIT: mode = SIM_DM_SWAIT; break;
	case IMSC_F5_RT_AUTO: mode = SIM_DM_AUTO; break;
	default: mode = SIM_DM_NOAUTO; break;
	}
	int64_t wait = sim_timer_ms(irm->timer, SIM_RT_DEFAULT_MS, SIM_RT_DEFAULT_MS);
	igw_log_debug(NULL, "%s: RESUME TPIPE %s mode=%d take=%d timer=%lldms", c->peer, tpipe,
	             (int)mode, (int)take, (long long)wait);
	sim_delivery_loop(c, req, ds, tpipe, take, mode, NULL, sim_deadline_of(wait));
}

void sim_do_callout_resp(struct sim_conn *c, const struct imsc_request *req)
{
	const struct sim_datastore *ds = NULL;
	sim_name user, group;
	bool want_reply = req->irm.msgtype == IMSC_MT_CALLOUT_RESP_ACK;
	if (req->irm.arch < 3) {
		sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_INVBUF, 0, false);
		return;
	}
	if (sim_check_clientid(c, req) != IGW_OK || sim_check_datastore(c, req, &ds) != IGW_OK ||
	    sim_check_security(c, req, ds, user, group) != IGW_OK)
		return;
	bool err = (req->irm.f0 & (IMSC_F0_NAKRSN | IMSC_F0_SYNCNAK)) != 0;
	/* XML adapter: the response XML becomes the reply record */
	const struct sim_conv_def *xc = req->irm.arch >= 2 && !err &&
		!strcmp(req->irm.tag_adapt, SIM_XML_ADAPTER) ?
		sim_xml_find(c->srv->xml, req->irm.tag_map) : NULL;
	struct igw_buf rec;
	igw_buf_init(&rec, c->cfg->maxsize);
	if (xc && sim_xml_to_input(c->srv->xml, xc, c->xin.data, c->xin.len, &rec) != IGW_OK) {
		igw_buf_free(&rec);
		if (want_reply)
			sim_reply_rsm(c, SIM_XASM_RC, SIM_XASM_IN_ERROR, 0, false);
		return;
	}
	int rc = sim_ical_respond(&c->srv->world, req->irm.cortkn, xc ? rec.data : c->xin.data,
	                          xc ? rec.len : c->xin.len, err, req->irm.nak_rsncde);
	igw_buf_free(&rec);
	igw_log_info(NULL, "%s: sync callout %s response (%zu bytes): %s", c->peer,
	             err ? "error" : "data", c->xin.len,
	             rc == IGW_OK ? "delivered" : "no ICAL waits for the token");
	if (!want_reply)
		return;
	if (rc == IGW_OK) {
		struct imsc_writer w;
		sim_writer_start(c, &w);
		imsc_put_csm(&w, sim_csm_flags(c), (uint8_t)c->cfg->protocol_level);
		sim_finish_and_send(c, &w);
	} else {
		sim_reply_rsm(c, IMSC_RC_OTMA_ERROR, SIM_RSN_NO_TOKEN, 0, c->persistent);
	}
}

void sim_do_cancel_timer(struct sim_conn *c, const struct imsc_request *req)
{
	int rc = sim_session_cancel_timer(&c->srv->world, req->irm.clientid);
	if (rc == IGW_OK)
		sim_reply_rsm(c, IMSC_RC_CANCEL_TIMER, IMSC_RSN_CANTIMER, 0, c->persistent);
	else
		sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_UNKNOWN_CLIENT, 0, false);
}
