/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Client: interaction styles, deadlines, DUPECLNT, broken replies, pool,
 * against a scripted in-process peer on 127.0.0.1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "imsgw/core.h"
#include "imsconnect/client.h"
#include "imsconnect/ebcdic.h"
#include "fake_peer.h"

/* ----------------------------------------------------------- handlers */

/* What the last non-answer request on each connection was. */
struct state {
	char last[PEER_MAX_CONN];
	uint8_t last_f2[PEER_MAX_CONN];
	int dup_first;		/* answer the first request with DUPECLNT */
};

static bool is_ping(const struct peer_req *r)
{
	uint8_t e[16];
	memcpy(e, "PING IMS_CONNECT", 16);
	imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, e, 16, e);
	return r->data_len == 16 && memcmp(r->data, e, 16) == 0;
}

static uint8_t cortok[40];

static int imsish(struct peer *p, const struct peer_req *r, struct igw_buf *out)
{
	struct state *st = p->ctx;
	const struct imsc_irm *irm = &r->irm;
	int close_after = 0;
	char prev = st->last[r->conn];
	if (st->dup_first && r->conn == 0) {
		reply_rsm(out, 8, IMSC_RSN_DUPECLNT);
		return 1;
	}
	switch (irm->msgtype) {
	case ' ':
		if (is_ping(r)) {
			uint8_t t[25];
			memcpy(t, "HWSC0030I *PING RESPONSE*", 25);
			imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, t, 25, t);
			struct imsc_writer w;
			imsc_writer_start(&w, out, peer_framing, IMSC_CP_EBCDIC);
			imsc_put_segment(&w, t, 25);
			imsc_put_csm(&w, 0, 0);
			imsc_writer_finish(&w);
		} else if (irm->f2 & IMSC_F2_CM0) {
			reply_data_csm(out, "CM0 OUT", IMSC_FLG1_ACK_REQUIRED | IMSC_FLG1_PRLVL_VALID, 2);
		} else if (irm->f3 & IMSC_F3_SYNCNF) {
			reply_data_csm(out, "CONFIRM OUT", IMSC_FLG1_ACK_REQUIRED, 0);
		} else {
			reply_data_csm(out, "HELLO", 0, 0);
		}
		break;
	case 'A':
		if (prev == ' ' && (st->last_f2[r->conn] & IMSC_F2_CM1)) {
			reply_rsm(out, 4, IMSC_RSN_DEALLOC_CONFIRM);
		} else if (irm->timer == IMSC_TIMER_V_NOWAIT &&
			   ((irm->f1 & IMSC_F1_NOWAIT) || prev == 'R')) {
			/* CM0 ACK NOWAIT, or ACK NO_WAIT of RESUME TPIPE SINGLE: nothing */
		} else {
			reply_rsm(out, 40, irm->timer);
		}
		break;
	case 'N':
		reply_rsm(out, 4, IMSC_RSN_DEALLOC_ABORT);
		break;
	case 'D':
		reply_rsm(out, 4, IMSC_RSN_DEALLOC_ABORT);
		break;
	case 'S':
	case 'M':
		break;
	case 'K':
	case 'L':
		reply_csm(out, 0);
		break;
	case 'R':
		if (irm->f0 & IMSC_F0_SYNONLY) {
			struct imsc_writer w;
			imsc_writer_start(&w, out, peer_framing, IMSC_CP_EBCDIC);
			imsc_put_cor(&w, cortok);
			imsc_put_callout_data(&w, "CALLOUT REQ", 11);
			imsc_put_csm(&w, IMSC_FLG1_ACK_REQUIRED, 0);
			imsc_writer_finish(&w);
		} else {
			reply_data_csm(out, "ASYNC1", IMSC_FLG1_ACK_REQUIRED, 0);
		}
		break;
	case 'C':
		reply_rsm(out, 44, IMSC_RSN_CANTIMER);
		break;
	default:
		close_after = 1;
	}
	if (irm->msgtype != 'A' && irm->msgtype != 'N' && irm->msgtype != 'D') {
		st->last[r->conn] = irm->msgtype;
		st->last_f2[r->conn] = irm->f2;
	}
	return close_after;
}

static int silent(struct peer *p, const struct peer_req *r, struct igw_buf *out)
{
	return 0;
}

static int huge_llll(struct peer *p, const struct peer_req *r, struct igw_buf *out)
{
	igw_buf_append(out, "\x7F\x00\x00\x00", 4);
	return 1;
}

static int truncated(struct peer *p, const struct peer_req *r, struct igw_buf *out)
{
	reply_data_csm(out, "HELLO", 0, 0);
	out->len -= 3;
	return 1;
}

/* ------------------------------------------------------------ helpers */

static struct peer peer;
static struct state st;

static void start(peer_handler h)
{
	memset(&st, 0, sizeof(st));
	peer_framing = IMSC_EXIT_SAMPL1;
	assert_int_equal(peer_start(&peer, h, &st), 0);
}

static void endpoint(struct imsc_endpoint *ep)
{
	imsc_endpoint_init(ep);
	ep->host = "127.0.0.1";
	ep->port = peer.port;
	strcpy(ep->datastore, "IMSA");
	strcpy(ep->clientid_prefix, "TST");
}

static struct imsc_conn *open_conn(const struct imsc_endpoint *ep)
{
	struct imsc_conn *c = NULL;
	assert_int_equal(imsc_conn_open(ep, NULL, igw_deadline_after(2000), &c), 0);
	assert_non_null(c);
	return c;
}

static void txn_irm(struct imsc_irm *irm)
{
	imsc_irm_init(irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	strcpy(irm->trncod, "IVTNO");
	strcpy(irm->userid, "USER01");
	strcpy(irm->password, "PASS01");
}

/* Wait (up to 2 s) until the peer has recorded n requests. */
static void wait_count(int n)
{
	for (int i = 0; i < 200 && peer_count(&peer) < n; i++) {
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
	assert_true(peer_count(&peer) >= n);
}

static const struct imsc_seg seg1 = { (const uint8_t *)"IVTNO DATA", 10 };

static void data_is(const struct imsc_result *res, const char *text)
{
	struct igw_buf d;
	igw_buf_init(&d, 4096);
	assert_int_equal(imsc_result_data(res, &d), 0);
	assert_int_equal(d.len, strlen(text));
	assert_memory_equal(d.data, text, d.len);
	igw_buf_free(&d);
}

/* -------------------------------------------------------------- tests */

static void sendrecv_cm1(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_result res;
	struct imsc_irm irm;
	start(imsish);
	endpoint(&ep);
	struct imsc_conn *c = open_conn(&ep);
	imsc_result_init(&res, 0);
	assert_true(imsc_clientid_valid(imsc_conn_clientid(c)));
	assert_memory_equal(imsc_conn_clientid(c), "TST", 3);
	for (int i = 0; i < 3; i++) {
		txn_irm(&irm);
		assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(2000), &res), 0);
		assert_true(res.reply.has_csm);
		assert_int_equal(imsc_result_error(&res), 0);
		assert_null(imsc_result_reason(&res));
		data_is(&res, "HELLO");
		assert_true(imsc_conn_reusable(c));
	}
	assert_int_equal(peer_count(&peer), 3);
	struct peer_req r = peer_get(&peer, 0);
	assert_int_equal(r.irm.msgtype, ' ');
	assert_int_equal(r.irm.f2, IMSC_F2_CM1);
	assert_int_equal(r.irm.f3, 0);
	assert_int_equal(r.irm.soct, IMSC_SOCT_PERSISTENT);
	assert_string_equal(r.irm.clientid, imsc_conn_clientid(c));
	assert_string_equal(r.irm.destid, "IMSA");
	assert_string_equal(r.irm.userid, "USER01");
	assert_string_equal(r.irm.password, "PASS01");
	assert_int_equal(r.data_len, 10);
	/* auto timer: an interval below the 2 s deadline */
	uint32_t ms = 0;
	assert_int_equal(imsc_timer_decode(r.irm.timer, &ms), IMSC_TIMER_INTERVAL);
	assert_true(ms >= 1000 && ms < 2000);
	/* one connection for all three */
	for (int i = 1; i < 3; i++)
		assert_int_equal(peer_get(&peer, i).conn, 0);
	imsc_conn_close(c);
	/* a transaction socket carries one interaction */
	ep.soct = IMSC_SOCT_TRANSACTION;
	c = open_conn(&ep);
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(2000), &res), 0);
	data_is(&res, "HELLO");
	assert_int_equal(peer_get(&peer, 3).irm.soct, IMSC_SOCT_TRANSACTION);
	assert_false(imsc_conn_reusable(c));
	imsc_result_free(&res);
	imsc_conn_close(c);
	peer_stop(&peer);
}

static void confirm_ack_nak(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_result res, fin;
	struct imsc_irm irm;
	start(imsish);
	endpoint(&ep);
	imsc_result_init(&res, 0);
	imsc_result_init(&fin, 0);
	struct imsc_conn *c = open_conn(&ep);
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv_confirm(c, &irm, &seg1, 1, IMSC_CONFIRM_ACK,
					       igw_deadline_after(2000), &res, &fin), 0);
	data_is(&res, "CONFIRM OUT");
	assert_true(fin.have && fin.reply.has_rsm);
	assert_int_equal(fin.reply.rsm.rsncod, IMSC_RSN_DEALLOC_CONFIRM);
	assert_false(imsc_conn_ack_pending(c));
	struct peer_req r0 = peer_get(&peer, 0), r1 = peer_get(&peer, 1);
	assert_int_equal(r0.irm.f3, IMSC_F3_SYNCNF);
	assert_int_equal(r1.irm.msgtype, 'A');
	assert_string_equal(r1.irm.clientid, r0.irm.clientid);
	assert_int_equal(r1.data_len, 0);
	imsc_conn_close(c);

	c = open_conn(&ep);
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv_confirm(c, &irm, &seg1, 1, IMSC_CONFIRM_NAK,
					       igw_deadline_after(2000), &res, &fin), 0);
	assert_int_equal(fin.reply.rsm.rsncod, IMSC_RSN_DEALLOC_ABORT);
	assert_int_equal(peer_get(&peer, 3).irm.msgtype, 'N');
	/* RC 4 closes the socket: not reusable */
	assert_false(imsc_conn_reusable(c));
	imsc_conn_close(c);
	imsc_result_free(&res);
	imsc_result_free(&fin);
	peer_stop(&peer);
}

static void cm0_styles(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_result res, fin;
	struct imsc_irm irm;
	start(imsish);
	endpoint(&ep);
	imsc_result_init(&res, 0);
	imsc_result_init(&fin, 0);
	struct imsc_conn *c = open_conn(&ep);
	/* NOWAIT: ACK with F1 NOWAIT + timer E9, no final read, socket usable */
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv_cm0(c, &irm, &seg1, 1, true, 0,
					   igw_deadline_after(2000), &res, NULL), 0);
	data_is(&res, "CM0 OUT");
	assert_int_equal(res.reply.csm_prlvl, 2);
	assert_true(imsc_conn_reusable(c));
	wait_count(2);
	struct peer_req a = peer_get(&peer, 1);
	assert_int_equal(a.irm.msgtype, 'A');
	assert_int_equal(a.irm.timer, IMSC_TIMER_V_NOWAIT);
	assert_int_equal(a.irm.f1, IMSC_F1_NOWAIT);
	assert_int_equal(peer_get(&peer, 0).irm.f2, IMSC_F2_CM0);
	assert_int_equal(peer_get(&peer, 0).irm.f3, IMSC_F3_SYNCNF);
	/* with an ACK timer: the final timeout RSM RC 40 keeps the socket */
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv_cm0(c, &irm, &seg1, 1, false, 0x29,
					   igw_deadline_after(2000), &res, &fin), 0);
	assert_true(fin.reply.has_rsm);
	assert_int_equal(fin.reply.rsm.retcod, 40);
	assert_int_equal(fin.reply.rsm.rsncod, 0x29);
	assert_int_equal(imsc_result_error(&fin), IGW_ETIMEOUT);
	assert_string_equal(imsc_result_reason(&fin), "IMSC-TIMEOUT");
	assert_true(imsc_conn_reusable(c));
	/* PING on the same socket */
	assert_int_equal(imsc_ping(c, igw_deadline_after(2000)), 0);
	imsc_conn_close(c);
	imsc_result_free(&res);
	imsc_result_free(&fin);
	peer_stop(&peer);
}

static void sendonly_resume_callout(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_result res;
	struct imsc_irm irm;
	for (int i = 0; i < 40; i++)
		cortok[i] = (uint8_t)(i + 1);
	start(imsish);
	endpoint(&ep);
	imsc_result_init(&res, 0);
	struct imsc_conn *c = open_conn(&ep);
	int64_t dl = igw_deadline_after(2000);
	/* S: nothing to read */
	txn_irm(&irm);
	assert_int_equal(imsc_sendonly(c, &irm, &seg1, 1, false, dl, &res), 0);
	assert_false(res.have);
	/* K: a CSM */
	txn_irm(&irm);
	assert_int_equal(imsc_sendonly(c, &irm, &seg1, 1, true, dl, &res), 0);
	assert_true(res.have && res.reply.has_csm);
	assert_int_equal(peer_get(&peer, 0).irm.msgtype, 'S');
	assert_int_equal(peer_get(&peer, 0).irm.timer, IMSC_TIMER_V_NOWAIT);
	assert_int_equal(peer_get(&peer, 1).irm.msgtype, 'K');
	/* RESUME TPIPE SINGLE on an alternate client ID */
	imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	strcpy(irm.rerout, "TPIPE9");
	assert_int_equal(imsc_resume_tpipe(c, &irm, IMSC_F5_RT_SINGLE, 0, dl, &res), 0);
	data_is(&res, "ASYNC1");
	assert_true(imsc_conn_ack_pending(c));
	assert_false(imsc_conn_reusable(c));
	/* nothing but an answer may follow output that waits for an ACK */
	struct imsc_irm other;
	txn_irm(&other);
	assert_int_equal(imsc_sendrecv(c, &other, &seg1, 1, dl, &res), IGW_EINVAL);
	assert_true(imsc_conn_ack_pending(c));
	assert_int_equal(imsc_ack(c, 0x29, 0, dl, &res), 0);
	assert_int_equal(res.reply.rsm.retcod, 40);
	assert_true(imsc_conn_reusable(c));
	struct peer_req r = peer_get(&peer, 2);
	assert_int_equal(r.irm.msgtype, 'R');
	assert_int_equal(r.irm.f5, IMSC_F5_RT_SINGLE);
	assert_int_equal(r.irm.f2, IMSC_F2_CM0);
	assert_int_equal(r.irm.f3, IMSC_F3_SYNCNF);
	assert_int_equal(r.irm.arch, 1);
	assert_string_equal(r.irm.rerout, "TPIPE9");
	/* RESUME TPIPE SYNONLY: ARCH 3, COR + LLLL data */
	imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	strcpy(irm.clientid, "CALLOUTQ");
	assert_int_equal(imsc_resume_tpipe(c, &irm, IMSC_F5_RT_AUTO, IMSC_F0_SYNONLY, dl, &res), 0);
	assert_true(res.reply.has_cor && res.reply.llll_data);
	assert_memory_equal(res.reply.cortkn, cortok, 40);
	data_is(&res, "CALLOUT REQ");
	r = peer_get(&peer, 4);
	assert_int_equal(r.irm.arch, 3);
	assert_int_equal(r.irm.f0, IMSC_F0_SYNONLY);
	assert_string_equal(r.irm.clientid, "CALLOUTQ");
	uint8_t tok[40];
	memcpy(tok, res.reply.cortkn, 40);
	/* the ACK answers the RESUME TPIPE's client ID */
	assert_int_equal(imsc_ack(c, IMSC_TIMER_V_FOREVER, 0, dl, &res), 0);
	assert_string_equal(peer_get(&peer, 5).irm.clientid, "CALLOUTQ");
	/* the response with the token: L reads a CSM */
	imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	assert_int_equal(imsc_callout_respond(c, &irm, tok, "ANSWER", 6, true, dl, &res), 0);
	assert_true(res.reply.has_csm);
	r = peer_get(&peer, 6);
	assert_int_equal(r.irm.msgtype, 'L');
	assert_true(r.llll_data);
	assert_int_equal(r.irm.arch, 3);
	assert_memory_equal(r.irm.cortkn, cortok, 40);
	assert_memory_equal(r.data, "ANSWER", 6);
	/* M: nothing read; error response with a reason code */
	imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	assert_int_equal(imsc_callout_error(c, &irm, tok, 0x0123, false, dl, &res), 0);
	wait_count(8);
	/* CANCEL TIMER of another session */
	assert_int_equal(imsc_cancel_timer(c, "CALLOUTQ", dl, &res), 0);
	assert_int_equal(res.reply.rsm.retcod, 44);
	assert_string_equal(imsc_rsn_name(res.reply.rsm.rsncod), "CANTIMER");
	r = peer_get(&peer, 7);
	assert_int_equal(r.irm.msgtype, 'M');
	assert_int_equal(r.irm.f0, IMSC_F0_NAKRSN);
	assert_int_equal(r.irm.nak_rsncde, 0x0123);
	assert_int_equal(r.data_len, 0);
	r = peer_get(&peer, 8);
	assert_int_equal(r.irm.msgtype, 'C');
	assert_string_equal(r.irm.clientid, "CALLOUTQ");
	imsc_conn_close(c);
	imsc_result_free(&res);
	peer_stop(&peer);
}

/* *SAMPLE* (HWSSMPL0) framing: no leading LLLL on replies, including a
 * callout request; conversational DEALLOCATE. */
static void sample_framing(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_result res, fin;
	struct imsc_irm irm;
	start(imsish);
	peer_framing = IMSC_EXIT_SAMPLE;
	endpoint(&ep);
	ep.exit = IMSC_EXIT_SAMPLE;
	imsc_result_init(&res, 0);
	imsc_result_init(&fin, 0);
	struct imsc_conn *c = open_conn(&ep);
	int64_t dl = igw_deadline_after(2000);
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, dl, &res), 0);
	data_is(&res, "HELLO");
	assert_string_equal(peer_get(&peer, 0).irm.irm_id, "*SAMPLE*");
	assert_int_equal(imsc_ping(c, dl), 0);
	imsc_irm_init(&irm, IMSC_EXIT_SAMPLE, IMSC_CP_EBCDIC);
	strcpy(irm.clientid, "CALLOUTQ");
	assert_int_equal(imsc_resume_tpipe(c, &irm, IMSC_F5_RT_SINGLE, IMSC_F0_SYNONLY, dl, &res), 0);
	assert_true(res.reply.has_cor && res.reply.llll_data);
	data_is(&res, "CALLOUT REQ");
	assert_int_equal(imsc_ack(c, IMSC_TIMER_V_NOWAIT, 0, dl, NULL), 0);
	/* conversation abandoned with DEALLOCATE instead of ACK */
	txn_irm(&irm);
	irm.f3 = IMSC_F3_SYNCNF;
	assert_int_equal(imsc_conn_request(c, &irm, &seg1, 1, dl, &res), 0);
	assert_true(imsc_conn_ack_pending(c));
	assert_int_equal(imsc_deallocate(c, 0, dl, &fin), 0);
	assert_int_equal(fin.reply.rsm.rsncod, IMSC_RSN_DEALLOC_ABORT);
	wait_count(6);
	assert_int_equal(peer_get(&peer, 5).irm.msgtype, 'D');
	imsc_conn_close(c);
	imsc_result_free(&res);
	imsc_result_free(&fin);
	peer_framing = IMSC_EXIT_SAMPL1;
	peer_stop(&peer);
}

static void dupeclnt_retry(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_result res;
	struct imsc_irm irm;
	start(imsish);
	st.dup_first = 1;
	endpoint(&ep);
	imsc_result_init(&res, 0);
	struct imsc_conn *c = open_conn(&ep);
	char first[9];
	strcpy(first, imsc_conn_clientid(c));
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(2000), &res), 0);
	data_is(&res, "HELLO");
	assert_string_not_equal(imsc_conn_clientid(c), first);
	assert_int_equal(peer_count(&peer), 2);
	assert_string_equal(peer_get(&peer, 0).irm.clientid, first);
	assert_string_equal(peer_get(&peer, 1).irm.clientid, imsc_conn_clientid(c));
	assert_int_equal(peer_get(&peer, 1).conn, 1);
	imsc_conn_close(c);

	/* a fixed client ID: the RSM is returned ... */
	st.last[0] = 0;
	peer_stop(&peer);
	start(imsish);
	st.dup_first = 1;
	endpoint(&ep);
	assert_int_equal(imsc_conn_open(&ep, "FIXED01", igw_deadline_after(2000), &c), 0);
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(2000), &res), 0);
	assert_true(res.reply.has_rsm);
	assert_int_equal(imsc_result_error(&res), IGW_EBUSY);
	assert_string_equal(imsc_result_reason(&res), "IMSC-DUPLICATE-CLIENT");
	assert_false(imsc_conn_reusable(c));
	imsc_conn_close(c);
	/* ... unless cancid_on_dup: sent again with CANCID */
	peer_stop(&peer);
	start(imsish);
	st.dup_first = 1;
	endpoint(&ep);
	ep.cancid_on_dup = true;
	assert_int_equal(imsc_conn_open(&ep, "FIXED01", igw_deadline_after(2000), &c), 0);
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(2000), &res), 0);
	data_is(&res, "HELLO");
	int n = peer_count(&peer);
	struct peer_req r = peer_get(&peer, n - 1);
	assert_true(r.irm.f3 & IMSC_F3_CANCID);
	assert_string_equal(r.irm.clientid, "FIXED01");
	imsc_conn_close(c);
	imsc_result_free(&res);
	peer_stop(&peer);
}

static void deadline_and_bad_replies(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_result res;
	struct imsc_irm irm;
	imsc_result_init(&res, 0);
	/* a peer that never answers: the call ends at the deadline */
	start(silent);
	endpoint(&ep);
	struct imsc_conn *c = open_conn(&ep);
	txn_irm(&irm);
	int64_t t0 = igw_mono_ms();
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(300), &res),
			 IGW_ETIMEOUT);
	int64_t took = igw_mono_ms() - t0;
	assert_true(took >= 290 && took < 1500);
	assert_false(imsc_conn_reusable(c));
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(300), &res),
			 IGW_ECLOSED);
	imsc_conn_close(c);
	peer_stop(&peer);
	/* a lying length above the bound */
	start(huge_llll);
	endpoint(&ep);
	ep.max_msg = 1 << 16;
	c = open_conn(&ep);
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(2000), &res),
			 IGW_ELIMIT);
	assert_false(imsc_conn_reusable(c));
	imsc_conn_close(c);
	peer_stop(&peer);
	/* a reply cut short by a close */
	start(truncated);
	endpoint(&ep);
	c = open_conn(&ep);
	txn_irm(&irm);
	assert_int_equal(imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(2000), &res),
			 IGW_ECLOSED);
	imsc_conn_close(c);
	peer_stop(&peer);
	/* nobody listening */
	start(silent);
	endpoint(&ep);
	peer_stop(&peer);
	assert_int_equal(imsc_conn_open(&ep, NULL, igw_deadline_after(1000), &c), IGW_ECONNECT);
	assert_null(c);
	imsc_result_free(&res);
}

/* ------------------------------------------------------------ pool */

struct worker {
	struct imsc_pool *pool;
	int calls;
	int ok;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct imsc_result res;
	imsc_result_init(&res, 0);
	for (int i = 0; i < w->calls; i++) {
		struct imsc_conn *c = NULL;
		struct imsc_irm irm;
		txn_irm(&irm);
		if (i % 2) {	/* the one-call form */
			if (imsc_pool_sendrecv(w->pool, &irm, &seg1, 1, igw_deadline_after(5000),
					       &res) == 0 && res.reply.has_csm)
				w->ok++;
			continue;
		}
		if (imsc_pool_checkout(w->pool, igw_deadline_after(5000), &c) != 0)
			continue;
		if (imsc_sendrecv(c, &irm, &seg1, 1, igw_deadline_after(5000), &res) == 0 &&
		    res.reply.has_csm)
			w->ok++;
		imsc_pool_checkin(w->pool, c);
	}
	imsc_result_free(&res);
	return NULL;
}

static void pool_threads(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_pool *pool = NULL;
	start(imsish);
	endpoint(&ep);
	ep.pool_max = 2;
	assert_int_equal(imsc_pool_new(&ep, &pool), 0);
	pthread_t th[4];
	struct worker w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ pool, 25, 0 };
		pthread_create(&th[i], NULL, work, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].ok, 25);
	}
	struct imsc_pool_stats s;
	imsc_pool_stats(pool, &s);
	assert_int_equal(s.opened, 2);
	assert_int_equal(s.idle, 2);
	assert_int_equal(s.busy, 0);
	/* all busy: a checkout waits until its deadline, then gives up */
	struct imsc_conn *a, *b, *x = NULL;
	assert_int_equal(imsc_pool_checkout(pool, igw_deadline_after(1000), &a), 0);
	assert_int_equal(imsc_pool_checkout(pool, igw_deadline_after(1000), &b), 0);
	assert_ptr_not_equal(a, b);
	int64_t t0 = igw_mono_ms();
	assert_int_equal(imsc_pool_checkout(pool, igw_deadline_after(150), &x), IGW_EOVERLOAD);
	assert_true(igw_mono_ms() - t0 >= 140);
	assert_null(x);
	imsc_pool_checkin(pool, a);
	imsc_pool_checkin(pool, b);
	imsc_pool_stats(pool, &s);
	assert_int_equal(s.idle, 2);
	imsc_pool_free(pool);
	peer_stop(&peer);
}

static int close_pings(struct peer *p, const struct peer_req *r, struct igw_buf *out)
{
	if (is_ping(r))
		return 1;	/* close instead of answering */
	return imsish(p, r, out);
}

static void pool_ping_and_backoff(void **state)
{
	struct imsc_endpoint ep;
	struct imsc_pool *pool = NULL;
	struct imsc_conn *c = NULL;
	struct imsc_pool_stats s;
	/* an idle connection that fails its PING is replaced */
	start(close_pings);
	endpoint(&ep);
	ep.idle_ping_ms = 1;
	assert_int_equal(imsc_pool_new(&ep, &pool), 0);
	assert_int_equal(imsc_pool_checkout(pool, igw_deadline_after(1000), &c), 0);
	imsc_pool_checkin(pool, c);
	struct timespec ts = { 0, 20 * 1000000L };
	nanosleep(&ts, NULL);
	assert_int_equal(imsc_pool_checkout(pool, igw_deadline_after(1000), &c), 0);
	imsc_pool_stats(pool, &s);
	assert_int_equal(s.opened, 2);
	assert_int_equal(s.pings_failed, 1);
	assert_int_equal(peer_count(&peer), 1);
	struct peer_req pr = peer_get(&peer, 0);
	assert_true(is_ping(&pr));
	imsc_pool_checkin(pool, c);
	imsc_pool_free(pool);
	peer_stop(&peer);

	/* connect failures back off: the second attempt inside the back-off
	 * window fails at once without connecting */
	start(silent);
	endpoint(&ep);
	peer_stop(&peer);
	assert_int_equal(imsc_pool_new(&ep, &pool), 0);
	assert_int_equal(imsc_pool_checkout(pool, igw_deadline_after(1000), &c), IGW_ECONNECT);
	int64_t t0 = igw_mono_ms();
	assert_int_equal(imsc_pool_checkout(pool, igw_deadline_after(50), &c), IGW_ECONNECT);
	assert_true(igw_mono_ms() - t0 < 40);
	imsc_pool_stats(pool, &s);
	assert_int_equal(s.failed, 1);
	assert_int_equal(s.fail_streak, 1);
	/* with time to wait, it tries again after the back-off */
	assert_int_equal(imsc_pool_checkout(pool, igw_deadline_after(1000), &c), IGW_ECONNECT);
	imsc_pool_stats(pool, &s);
	assert_int_equal(s.failed, 2);
	imsc_pool_free(pool);
}

static void clientids(void **state)
{
	char a[9], b[9];
	assert_int_equal(imsc_clientid_generate("AB", a), 0);
	assert_int_equal(imsc_clientid_generate("AB", b), 0);
	assert_int_equal(strlen(a), 8);
	assert_string_not_equal(a, b);
	assert_true(imsc_clientid_valid(a));
	assert_int_equal(imsc_clientid_generate("", a), 0);
	assert_memory_equal(a, "IGW", 3);
	assert_int_equal(imsc_clientid_generate("HWS", a), IGW_EINVAL);
	assert_int_equal(imsc_clientid_generate("ABCDE", a), IGW_EINVAL);
	assert_int_equal(imsc_clientid_generate("a", a), IGW_EINVAL);
	assert_false(imsc_clientid_valid("HWSX"));
	assert_false(imsc_clientid_valid(""));
	assert_false(imsc_clientid_valid("ABCDEFGHI"));
	assert_true(imsc_clientid_valid("@#$19AZ"));
	/* many in a row are distinct */
	char seen[1000][9];
	for (int i = 0; i < 1000; i++) {
		imsc_clientid_generate("Q", seen[i]);
		for (int j = 0; j < i; j += 97)
			assert_string_not_equal(seen[i], seen[j]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sendrecv_cm1),
		cmocka_unit_test(confirm_ack_nak),
		cmocka_unit_test(cm0_styles),
		cmocka_unit_test(sendonly_resume_callout),
		cmocka_unit_test(sample_framing),
		cmocka_unit_test(dupeclnt_retry),
		cmocka_unit_test(deadline_and_bad_replies),
		cmocka_unit_test(pool_threads),
		cmocka_unit_test(pool_ping_and_backoff),
		cmocka_unit_test(clientids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
