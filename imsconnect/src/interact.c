/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interaction styles (reference section 4) on one connection. */
#include <string.h>

#include "imsgw/clock.h"
#include "imsgw/error.h"
#include "imsgw/log.h"
#include "imsconnect/ebcdic.h"
#include "conn.h"

#define PING_TEXT "PING IMS_CONNECT"
#define PING_REPLY "HWSC0030I *PING RESPONSE*"

static bool dupeclnt(const struct imsc_result *res)
{
	return res && res->have && res->reply.has_rsm &&
	       res->reply.rsm.rsncod == IMSC_RSN_DUPECLNT;
}

/* Send, read the reply; on DUPECLNT retry once: a generated client ID gets
 * a new ID on a new socket; a fixed one, with cancid_on_dup, is sent again
 * with IRM_F3_CANCID.  IMS Connect rejects the duplicate before the
 * message reaches IMS, so sending it again is safe. */
static int request_dup(struct imsc_conn *c, struct imsc_irm *irm, const struct imsc_seg *segs,
                       size_t nseg, int64_t deadline, struct imsc_result *res)
{
	bool caller_cid = irm->clientid[0] != 0 && strcmp(irm->clientid, c->clientid) != 0;
	int rc = imsc_conn_request(c, irm, segs, nseg, deadline, res);
	if (rc == 0 && dupeclnt(res)) {
		bool retry = false;
		if (!caller_cid && c->generated) {
			igw_log_info(NULL, "imsconnect: client ID %s in use, retrying with a new one",
				     c->clientid);
			retry = true;
			rc = imsc_conn_reopen(c, deadline);
			if (rc == 0)
				strcpy(irm->clientid, c->clientid);
		} else if (c->ep.cancid_on_dup) {
			igw_log_info(NULL, "imsconnect: client ID %s in use, cancelling the old session",
				     irm->clientid);
			retry = true;
			rc = imsc_conn_reopen(c, deadline);
			irm->f3 |= IMSC_F3_CANCID;
		}
		if (retry && rc == 0)
			rc = imsc_conn_request(c, irm, segs, nseg, deadline, res);
	}
	return rc;
}

int imsc_sendrecv(struct imsc_conn *c, struct imsc_irm *irm, const struct imsc_seg *segs,
                  size_t nseg, int64_t deadline, struct imsc_result *res)
{
	irm->msgtype = IMSC_MT_SENDRECV;
	irm->f2 = (uint8_t)((irm->f2 & ~(IMSC_F2_CM0 | IMSC_F2_CM1)) | IMSC_F2_CM1);
	irm->f3 = (uint8_t)(irm->f3 & ~(IMSC_F3_SYNCNF | IMSC_F3_SYNCPT));
	return request_dup(c, irm, segs, nseg, deadline, res);
}

static int answer(struct imsc_conn *c, char mt, uint8_t timer, uint8_t f0, uint8_t f1,
                  uint16_t nak_rsn, int64_t deadline, struct imsc_result *res)
{
	struct imsc_irm irm;
	imsc_irm_init(&irm, c->ep.exit, c->ep.cp);
	irm.msgtype = mt;
	irm.timer = timer;
	irm.f0 = f0;
	irm.f1 = f1;
	irm.f2 = c->last_f2;
	irm.f3 = c->last_f3;
	irm.arch = c->last_arch;
	irm.nak_rsncde = nak_rsn;
	strcpy(irm.clientid, c->last_clientid[0] ? c->last_clientid : c->clientid);
	int rc = imsc_conn_request(c, &irm, NULL, 0, deadline, res);
	imsc_irm_wipe(&irm);
	return rc;
}

int imsc_ack(struct imsc_conn *c, uint8_t timer, uint8_t f1, int64_t deadline,
             struct imsc_result *res)
{
	return answer(c, IMSC_MT_ACK, timer, 0, f1, 0, deadline, res);
}

int imsc_nak(struct imsc_conn *c, uint8_t timer, uint16_t nak_rsn, int64_t deadline,
             struct imsc_result *res)
{
	return answer(c, IMSC_MT_NAK, timer, nak_rsn ? IMSC_F0_NAKRSN : 0, 0, nak_rsn,
		      deadline, res);
}

int imsc_deallocate(struct imsc_conn *c, uint8_t timer, int64_t deadline,
                    struct imsc_result *res)
{
	return answer(c, IMSC_MT_DEALLOCATE, timer, 0, 0, 0, deadline, res);
}

int imsc_sendrecv_confirm(struct imsc_conn *c, struct imsc_irm *irm,
                          const struct imsc_seg *segs, size_t nseg,
                          enum imsc_confirm how, int64_t deadline,
                          struct imsc_result *res, struct imsc_result *final)
{
	irm->msgtype = IMSC_MT_SENDRECV;
	irm->f2 = (uint8_t)((irm->f2 & ~(IMSC_F2_CM0 | IMSC_F2_CM1)) | IMSC_F2_CM1);
	irm->f3 = (uint8_t)((irm->f3 & ~IMSC_F3_SYNCPT) | IMSC_F3_SYNCNF);
	imsc_result_reset(final);
	int rc = request_dup(c, irm, segs, nseg, deadline, res);
	if (rc == 0 && c->ack_pending) {
		if (how == IMSC_CONFIRM_ACK)
			rc = imsc_ack(c, irm->timer, 0, deadline, final);
		else
			rc = imsc_nak(c, irm->timer, 0, deadline, final);
	}
	return rc;
}

int imsc_sendrecv_cm0(struct imsc_conn *c, struct imsc_irm *irm,
                      const struct imsc_seg *segs, size_t nseg, bool nowait,
                      uint8_t ack_timer, int64_t deadline, struct imsc_result *res,
                      struct imsc_result *final)
{
	irm->msgtype = IMSC_MT_SENDRECV;
	irm->f2 = (uint8_t)((irm->f2 & ~(IMSC_F2_CM0 | IMSC_F2_CM1)) | IMSC_F2_CM0);
	irm->f3 = (uint8_t)((irm->f3 & ~IMSC_F3_SYNCPT) | IMSC_F3_SYNCNF);
	if (final)
		imsc_result_reset(final);
	int rc = request_dup(c, irm, segs, nseg, deadline, res);
	if (rc == 0 && c->ack_pending) {
		if (nowait)
			rc = imsc_ack(c, IMSC_TIMER_V_NOWAIT, IMSC_F1_NOWAIT, deadline, NULL);
		else
			rc = imsc_ack(c, ack_timer, 0, deadline, final);
	}
	return rc;
}

int imsc_sendonly(struct imsc_conn *c, struct imsc_irm *irm, const struct imsc_seg *segs,
                  size_t nseg, bool with_ack, int64_t deadline, struct imsc_result *res)
{
	irm->msgtype = with_ack ? IMSC_MT_SENDONLY_ACK : IMSC_MT_SENDONLY;
	irm->f2 = (uint8_t)((irm->f2 & ~(IMSC_F2_CM0 | IMSC_F2_CM1)) | IMSC_F2_CM0);
	if (!with_ack && irm->timer == IMSC_TIMER_V_DEFAULT)
		irm->timer = IMSC_TIMER_V_NOWAIT;
	return request_dup(c, irm, segs, nseg, deadline, with_ack ? res : NULL);
}

int imsc_resume_tpipe(struct imsc_conn *c, struct imsc_irm *irm, uint8_t option,
                      uint8_t syn, int64_t deadline, struct imsc_result *res)
{
	irm->msgtype = IMSC_MT_RESUME_TPIPE;
	irm->f2 = (uint8_t)((irm->f2 & ~(IMSC_F2_CM0 | IMSC_F2_CM1)) | IMSC_F2_CM0);
	irm->f3 = (uint8_t)((irm->f3 & ~IMSC_F3_SYNCPT) | IMSC_F3_SYNCNF);
	irm->f5 = (uint8_t)((irm->f5 & (IMSC_F5_OTMAHDR | IMSC_F5_XLATED)) |
			    (option & IMSC_F5_RT_MASK));
	irm->f0 = (uint8_t)((irm->f0 & ~(IMSC_F0_SYNONLY | IMSC_F0_SYNASYN)) |
			    (syn & (IMSC_F0_SYNONLY | IMSC_F0_SYNASYN)));
	if (syn && irm->arch < 3)
		irm->arch = 3;
	if (irm->rerout[0] && irm->arch < 1)
		irm->arch = 1;
	return request_dup(c, irm, NULL, 0, deadline, res);
}

static int callout(struct imsc_conn *c, struct imsc_irm *irm,
                   const uint8_t tok[IMSC_CORTKN_LEN], const void *data, size_t len,
                   bool want_ack, int64_t deadline, struct imsc_result *res)
{
	struct imsc_seg seg = { data, len };
	irm->msgtype = want_ack ? IMSC_MT_CALLOUT_RESP_ACK : IMSC_MT_CALLOUT_RESP;
	if (irm->arch < 3)
		irm->arch = 3;
	memcpy(irm->cortkn, tok, IMSC_CORTKN_LEN);
	irm->trncod[0] = 0;	/* a callout response names no transaction */
	return imsc_conn_request(c, irm, len ? &seg : NULL, len ? 1 : 0, deadline,
				 want_ack ? res : NULL);
}

int imsc_callout_respond(struct imsc_conn *c, struct imsc_irm *irm,
                         const uint8_t tok[IMSC_CORTKN_LEN], const void *data,
                         size_t len, bool want_ack, int64_t deadline,
                         struct imsc_result *res)
{
	int rc = IGW_EINVAL;
	if (data && len > 0) {
		irm->f0 = (uint8_t)(irm->f0 & ~(IMSC_F0_NAKRSN | IMSC_F0_SYNCNAK));
		rc = callout(c, irm, tok, data, len, want_ack, deadline, res);
	}
	return rc;
}

int imsc_callout_error(struct imsc_conn *c, struct imsc_irm *irm,
                       const uint8_t tok[IMSC_CORTKN_LEN], uint16_t err_rsn,
                       bool want_ack, int64_t deadline, struct imsc_result *res)
{
	irm->f0 = (uint8_t)(irm->f0 & ~(IMSC_F0_NAKRSN | IMSC_F0_SYNCNAK));
	irm->f0 |= err_rsn ? IMSC_F0_NAKRSN : IMSC_F0_SYNCNAK;
	irm->nak_rsncde = err_rsn;
	return callout(c, irm, tok, NULL, 0, want_ack, deadline, res);
}

int imsc_cancel_timer(struct imsc_conn *c, const char *target, int64_t deadline,
                      struct imsc_result *res)
{
	struct imsc_irm irm;
	int rc = IGW_EINVAL;
	imsc_irm_init(&irm, c->ep.exit, c->ep.cp);
	irm.msgtype = IMSC_MT_CANCEL_TIMER;
	irm.f2 = IMSC_F2_CM0;
	if (imsc_clientid_valid(target)) {
		strcpy(irm.clientid, target);
		rc = imsc_conn_request(c, &irm, NULL, 0, deadline, res);
	}
	return rc;
}

int imsc_ping(struct imsc_conn *c, int64_t deadline)
{
	struct imsc_irm irm;
	struct imsc_result res;
	uint8_t text[sizeof(PING_TEXT) - 1];
	uint8_t want_e[sizeof(PING_REPLY) - 1];
	memcpy(text, PING_TEXT, sizeof(text));
	memcpy(want_e, PING_REPLY, sizeof(want_e));
	int rc = 0;
	if (c->ep.cp == IMSC_CP_EBCDIC)
		rc = imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, text, sizeof(text), text);
	if (rc == 0)
		rc = imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, want_e, sizeof(want_e), want_e);
	struct imsc_seg seg = { text, sizeof(text) };
	imsc_irm_init(&irm, c->ep.exit, c->ep.cp);
	imsc_result_init(&res, 4096);
	if (rc == 0)
		rc = imsc_sendrecv(c, &irm, &seg, 1, deadline, &res);
	if (rc == 0) {
		struct igw_buf d;
		igw_buf_init(&d, 4096);
		rc = res.reply.has_csm && imsc_reply_data(&res.reply, &d) == 0 &&
		     d.len >= sizeof(want_e) &&
		     (memcmp(d.data, want_e, sizeof(want_e)) == 0 ||
		      memcmp(d.data, PING_REPLY, sizeof(want_e)) == 0) ? 0 : IGW_EPROTO;
		igw_buf_free(&d);
		if (rc == 0 && c->ack_pending)
			rc = IGW_EPROTO;
		if (rc != 0)
			c->broken = true;
	}
	imsc_result_free(&res);
	return rc;
}
