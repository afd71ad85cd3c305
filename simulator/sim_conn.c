/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One client connection: reading frames, replies, the exit / RACF /
 * datastore checks and the dispatch on IRM_F4 (sim_conn.h lists the other
 * files).  Choices where the reference is open: simulator/README.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "imsgw/core.h"
#include "imsconnect/ebcdic.h"
#include "sim_conn.h"
#include "sim_txn.h"

/* ------------------------------------------------------------- helpers */

bool sim_conn_abort(void *arg)
{
	struct sim_conn *c = arg;
	bool stop;
	pthread_mutex_lock(&c->srv->world.mu);
	stop = c->srv->world.stopping || c->sess.cancelled;
	pthread_mutex_unlock(&c->srv->world.mu);
	return stop;
}

static int send_out(struct sim_conn *c)
{
	int rc = sim_io_write(&c->io, c->out.data, c->out.len);
	igw_buf_reset(&c->out);
	if (rc != IGW_OK)
		c->close = true;
	return rc;
}

void sim_writer_start(struct sim_conn *c, struct imsc_writer *w)
{
	igw_buf_reset(&c->out);
	imsc_writer_start(w, &c->out, c->framing, c->cp);
}

void sim_finish_and_send(struct sim_conn *c, struct imsc_writer *w)
{
	int rc = imsc_writer_finish(w);
	if (rc < 0) {
		igw_log_error(NULL, "%s: cannot encode reply: %s", c->peer, igw_strerror(rc));
		c->close = true;
	} else {
		send_out(c);
	}
}

/* RSM; keep: the socket stays open afterwards (RC 40 and friends). */
void sim_reply_rsm(struct sim_conn *c, uint32_t rc, uint32_t rsn, uint8_t racfrc,
                      bool keep)
{
	struct imsc_writer w;
	sim_writer_start(c, &w);
	imsc_put_rsm(&w, 0, racfrc, rc, rsn);
	igw_log_info(NULL, "%s client=%s RSM RC=%u RSN=%u RACFRC=%u (%s)", c->peer,
	             c->sess.clientid, rc, rsn, racfrc, imsc_rsn_text(rsn));
	sim_finish_and_send(c, &w);
	if (!keep)
		c->close = true;
}

uint8_t sim_csm_flags(const struct sim_conn *c)
{
	return c->cfg->protocol_level ? IMSC_FLG1_PRLVL_VALID : 0;
}

/* Put the data segments of an EBCDIC LLZZ body, translated if needed. */
void sim_put_body(struct sim_conn *c, struct imsc_writer *w, const uint8_t *body,
                     size_t len)
{
	struct imsc_seg_iter it;
	const uint8_t *d;
	size_t n;
	imsc_seg_iter_init(&it, body, len, false);
	while (imsc_seg_iter_next(&it, &d, &n) == 1) {
		if (c->xlate) {
			uint8_t *t = malloc(n ? n : 1);
			if (!t) {
				w->err = IGW_ENOMEM;
				break;
			}
			imsc_ebcdic_to_latin1(IMSC_EBCDIC_037, d, n, t);
			imsc_put_segment(w, t, n);
			free(t);
		} else {
			imsc_put_segment(w, d, n);
		}
	}
}

/* Reply with output body + CSM. */
void sim_reply_data(struct sim_conn *c, const uint8_t *body, size_t len, uint8_t flg1)
{
	struct imsc_writer w;
	sim_writer_start(c, &w);
	if (c->gen_cid)
		imsc_put_gencid(&w, c->sess.clientid);
	sim_put_body(c, &w, body, len);
	imsc_put_csm(&w, (uint8_t)(flg1 | sim_csm_flags(c)), (uint8_t)c->cfg->protocol_level);
	sim_finish_and_send(c, &w);
}

void sim_reply_text(struct sim_conn *c, const char *text)
{
	struct igw_buf b;
	if (igw_buf_init(&b, IGW_SIM_SEGMENT_MAX) == IGW_OK &&
	    sim_seg_append_text(&b, text) == IGW_OK)
		sim_reply_data(c, b.data, b.len, 0);
	else
		c->close = true;
	igw_buf_free(&b);
}

/* Translate the request's data to EBCDIC into c->xin and index segments. */
static int load_input(struct sim_conn *c, const struct imsc_request *req)
{
	int rc = IGW_OK;
	struct imsc_seg_iter it;
	const uint8_t *d;
	size_t n, i = 0;
	igw_buf_reset(&c->xin);
	free(c->seg);
	c->seg = NULL;
	c->nseg = 0;
	if (req->nseg > IGW_SIM_SEGMENTS_MAX) {
		rc = IGW_ELIMIT;
	} else if (req->nseg > 0) {
		c->seg = calloc(req->nseg, sizeof(*c->seg));
		if (!c->seg)
			rc = IGW_ENOMEM;
	}
	if (rc == IGW_OK)
		rc = igw_buf_reserve(&c->xin, req->body_len);
	imsc_seg_iter_init(&it, req->body, req->body_len, req->llll_data);
	while (rc == IGW_OK && i < req->nseg && imsc_seg_iter_next(&it, &d, &n) == 1) {
		size_t at = c->xin.len;
		rc = igw_buf_append(&c->xin, d, n);
		if (rc == IGW_OK && c->xlate)
			imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, c->xin.data + at, n,
			                        c->xin.data + at);
		c->seg[i].len = n;
		c->seg[i].data = (const uint8_t *)(uintptr_t)at;	/* offset for now */
		i++;
	}
	for (size_t k = 0; rc == IGW_OK && k < i; k++)
		c->seg[k].data = c->xin.data + (size_t)(uintptr_t)c->seg[k].data;
	c->nseg = i;
	return rc;
}

/* First segment as Latin-1 text (at most cap-1 bytes), for keywords. */
void sim_first_text(const struct sim_conn *c, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	if (c->nseg > 0) {
		n = c->seg[0].len < cap - 1 ? c->seg[0].len : cap - 1;
		imsc_ebcdic_to_latin1(IMSC_EBCDIC_037, c->seg[0].data, n, out);
		out[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if (out[i] == '\0')
				out[i] = ' ';
	}
}

/* Transaction code: first word of the data (IMS convention), else IRM_TRNCOD. */
void sim_trancode(const struct sim_conn *c, const struct imsc_request *req,
                     sim_name out, char *text, size_t cap)
{
	sim_first_text(c, text, cap);
	size_t n = strcspn(text, " ");
	if (n == 0 || n > SIM_NAME_LEN || sim_name_set(out, text, n) != 0) {
		if (text[0] == '/')
			snprintf(out, sizeof(sim_name), "/");
		else
			snprintf(out, sizeof(sim_name), "%s", req->irm.trncod);
	}
}

/* Resolve the timer byte of a request to a wait in ms (< 0: forever). */
int64_t sim_timer_ms(uint8_t v, int64_t dflt, int64_t nowait)
{
	uint32_t ms = 0;
	int64_t r;
	switch (imsc_timer_decode(v, &ms)) {
	case IMSC_TIMER_INTERVAL: r = ms; break;
	case IMSC_TIMER_FOREVER: r = -1; break;
	case IMSC_TIMER_NOWAIT: r = nowait; break;
	case IMSC_TIMER_DEFAULT:
	case IMSC_TIMER_INVALID:
	default: r = dflt; break;
	}
	return r;
}

bool sim_timer_is_default(uint8_t v)
{
	uint32_t ms;
	enum imsc_timer_kind k = imsc_timer_decode(v, &ms);
	return k == IMSC_TIMER_DEFAULT || k == IMSC_TIMER_INVALID;
}

int64_t sim_deadline_of(int64_t ms)
{
	return ms < 0 ? -1 : igw_deadline_after(ms);
}

/* Timeout RSM at the end of a wait for output. */
void sim_reply_timeout(struct sim_conn *c, uint8_t tbyte)
{
	if (c->persistent)
		sim_reply_rsm(c, IMSC_RC_TIMER_KEPT, tbyte, 0, true);
	else
		sim_reply_rsm(c, sim_timer_is_default(tbyte) ? IMSC_RC_DEFAULT_TIMER : IMSC_RC_TIMER,
		          tbyte, 0, false);
}

/* Sleep until deadline unless stopped/cancelled (returns false then). */
bool sim_sleep_until(struct sim_conn *c, int64_t deadline)
{
	struct sim_world *w = &c->srv->world;
	bool ok = true;
	pthread_mutex_lock(&w->mu);
	c->sess.waiting = true;
	while (igw_deadline_left(deadline) > 0 || deadline < 0) {
		if (w->stopping || c->sess.cancelled || c->sess.timer_cancelled) {
			ok = false;
			break;
		}
		sim_world_wait_locked(w, deadline, 200);
	}
	c->sess.waiting = false;
	pthread_mutex_unlock(&w->mu);
	return ok;
}

/* ---------------------------------------------------------- reading */

/* Read one request frame.  first_deadline bounds the wait for its first
 * byte; the rest must arrive within TIMEOUT.  Returns IGW_OK, IGW_ECLOSED
 * (EOF/stop: close quietly), IGW_ETIMEOUT (idle), or an error after which
 * an RSM was sent. */
static int read_frame(struct sim_conn *c, int64_t first_deadline, const uint8_t **frame,
                      size_t *len)
{
	int rc = IGW_OK;
	uint8_t tmp[16384];
	bool started = false;
	int64_t frame_deadline = -1;
	imsc_framer_reset(&c->fr);
	for (;;) {
		long want = imsc_framer_want(&c->fr);
		if (want == 0)
			break;
		if (want < 0) {
			const uint8_t *b = c->fr.buf.data;
			bool neg = c->fr.buf.len >= 4 && (b[0] & 0x80);
			c->framing = IMSC_EXIT_SAMPL1;
			c->cp = IMSC_CP_EBCDIC;
			if (want == IGW_ELIMIT)
				sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_INPUT_TOO_BIG, 0, false);
			else
				sim_reply_rsm(c, IMSC_RC_ICON_ERROR,
				          neg ? IMSC_RSN_NEG_LENGTH : IMSC_RSN_TOTAL_LEN, 0, false);
			rc = (int)want;
			break;
		}
		size_t n = (size_t)want < sizeof(tmp) ? (size_t)want : sizeof(tmp);
		long r = sim_io_read(&c->io, tmp, n, started ? frame_deadline : first_deadline,
		                     sim_conn_abort, c);
		if (r == 0 || r == IGW_ECLOSED || r == IGW_EIO) {
			rc = IGW_ECLOSED;
			break;
		}
		if (r == IGW_ETIMEOUT) {
			rc = IGW_ETIMEOUT;
			if (started) {
				c->framing = IMSC_EXIT_SAMPL1;
				c->cp = IMSC_CP_EBCDIC;
				sim_reply_rsm(c, IMSC_RC_ICON_ERROR, 44, 0, false);
			}
			break;
		}
		if (!started) {
			started = true;
			frame_deadline = igw_deadline_after(c->cfg->timeout_ms);
		}
		imsc_framer_push(&c->fr, tmp, (size_t)r);
	}
	igw_secure_zero(tmp, sizeof(tmp));
	if (rc == IGW_OK)
		*frame = imsc_framer_frame(&c->fr, len);
	if (rc != IGW_OK)
		c->close = true;
	return rc;
}

/* 1 if the IRM_ID names an exit we implement (*SAMPL1* / *SAMPLE*, either
 * code page).  Frames shorter than the fixed IRM count as known: the decoder
 * reports their length error. */
static bool known_irm_id(const uint8_t *f, size_t len)
{
	static const char *const ids[] = { "*SAMPL1*", "*SAMPLE*" };
	bool known = len < IMSC_OFF_ID + IMSC_NAME_LEN;
	for (int i = 0; i < 2 && !known; i++)
		for (int cp = 0; cp < 2 && !known; cp++) {
			uint8_t b[IMSC_NAME_LEN];
			if (imsc_id_bytes(ids[i], (enum imsc_cp)cp, b) == 0)
				known = !memcmp(f + IMSC_OFF_ID, b, IMSC_NAME_LEN);
		}
	return known;
}

/* Read and decode the next request; on a decode error an RSM is sent. */
int sim_next_request(struct sim_conn *c, int64_t first_deadline,
                        struct imsc_request *req)
{
	const uint8_t *f = NULL;
	size_t len = 0;
	uint32_t rsn = 0;
	int rc = read_frame(c, first_deadline, &f, &len);
	if (rc == IGW_OK && !known_irm_id(f, len)) {
		igw_log_warn(NULL, "%s: unknown IRM_ID, closing", c->peer);
		if (!c->cfg->close_unknown_irmid) {
			c->framing = IMSC_EXIT_SAMPL1;
			c->cp = IMSC_CP_EBCDIC;
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_ICON_PROTOCOL, 0, false);
		}
		memset(req, 0, sizeof(*req));
		rc = IGW_EPROTO;
		c->close = true;
	} else if (rc == IGW_OK) {
		rc = imsc_request_decode(f, len, req, &rsn);
		if (rc != IGW_OK) {
			c->framing = req->irm.exit == IMSC_EXIT_SAMPLE ? IMSC_EXIT_SAMPLE
			                                                : IMSC_EXIT_SAMPL1;
			c->cp = req->irm.cp;
			igw_log_warn(NULL, "%s: bad request (%u bytes): %s", c->peer,
			             (unsigned)len, imsc_rsn_text(rsn));
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, rsn ? rsn : IMSC_RSN_INVBUF, 0, false);
		} else if (req->irm.exit == IMSC_EXIT_OTHER) {
			igw_log_warn(NULL, "%s: unknown IRM_ID, closing", c->peer);
			if (!c->cfg->close_unknown_irmid) {
				c->framing = IMSC_EXIT_SAMPL1;
				c->cp = req->irm.cp;
				sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_ICON_PROTOCOL, 0, false);
			}
			rc = IGW_EPROTO;
			c->close = true;
		} else {
			c->framing = req->irm.exit;
			c->cp = req->irm.cp;
			c->xlate = req->irm.cp == IMSC_CP_ASCII && !(req->irm.f5 & IMSC_F5_XLATED);
		}
	}
	return rc;
}

/* -------------------------------------------------- checks (exit + RACF) */

int sim_check_clientid(struct sim_conn *c, const struct imsc_request *req)
{
	int rc = IGW_OK;
	sim_name cid;
	c->gen_cid = false;
	if ((req->irm.f2 & IMSC_F2_GENCID) || !req->irm.clientid[0]) {
		if (!(req->irm.f2 & IMSC_F2_GENCID)) {
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_UNKNOWN_CLIENT, 0, false);
			return IGW_EPROTO;
		}
		if (c->sess.clientid[0] && !strncmp(c->sess.clientid, "SIM", 3)) {
			snprintf(cid, sizeof(cid), "%s", c->sess.clientid);
		} else {
			sim_session_gen_clientid(&c->srv->world, cid);
		}
		c->gen_cid = true;
	} else {
		snprintf(cid, sizeof(cid), "%s", req->irm.clientid);
	}
	if (strcmp(c->sess.clientid, cid) != 0) {
		rc = sim_session_claim(&c->srv->world, &c->sess, cid,
		                       (req->irm.f3 & IMSC_F3_CANCID) != 0);
		if (rc == IGW_EBUSY) {
			igw_log_warn(NULL, "%s: client ID %s already in use (DUPECLNT)", c->peer, cid);
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_DUPECLNT, 0, false);
		}
	}
	return rc;
}

int sim_check_datastore(struct sim_conn *c, const struct imsc_request *req,
                           const struct sim_datastore **out)
{
	int rc = IGW_OK;
	const struct sim_datastore *d = sim_config_datastore(c->cfg, req->irm.destid);
	*out = d;
	if (!d) {
		sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_DS_NOT_FOUND, 0, false);
		rc = IGW_ENOTFOUND;
	} else if (!sim_world_ds_up(&c->srv->world, d)) {
		sim_reply_rsm(c, IMSC_RC_ICON_ERROR, d->down_rsn, 0, false);
		rc = IGW_EUNSUPPORTED;
	} else if (d->join_denied) {
		igw_log_warn(NULL, "%s: datastore %s unavailable: OTMA client-bid of member %s "
		             "refused (IMSXCF profile)", c->peer, d->id, c->cfg->member);
		sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_DS_STOPPING, 0, false);
		rc = IGW_EDENIED;
	}
	return rc;
}

/* RACF VERIFY (RACF=Y) or default identity (RACF=N).  On failure an RSM
 * went out and the socket will close. */
int sim_check_security(struct sim_conn *c, const struct imsc_request *req,
                          const struct sim_datastore *ds, sim_name user, sim_name group)
{
	int rc = IGW_OK;
	const struct imsc_irm *irm = &req->irm;
	snprintf(user, sizeof(sim_name), "%s", irm->userid);
	memset(group, 0, sizeof(sim_name));
	/* What HWSSMPL0/1 put in OMSECFLG (reference 5.2): 'F' when the message
	 * carries a user ID for OTMA to check, 'N' when it does not. */
	c->secflg = irm->userid[0] ? 'F' : 'N';
	bool trusted = c->cfg->trusted_flag && (irm->res1 & c->cfg->trusted_flag) && irm->userid[0];
	if (c->cfg->racf && trusted) {
		/* Trusted user: IMS Connect skips VERIFY, OTMA still checks. */
		igw_log_info(NULL, "%s: trusted user %s: RACF VERIFY skipped", c->peer, user);
		if (irm->group[0])
			snprintf(group, sizeof(sim_name), "%s", irm->group);
		else
			sim_racf_default_group(c->srv->racf, user, group);
	} else if (c->cfg->racf) {
		if (!irm->userid[0] && !irm->password[0]) {
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_SECFNPUI, 0, false);
			rc = IGW_EAUTH;
		} else if (!irm->userid[0]) {
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_SECFNUID, 0, false);
			rc = IGW_EAUTH;
		} else if (!irm->password[0]) {
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_SECFNOPW, 0, false);
			rc = IGW_EAUTH;
		} else {
			const char *appl = irm->applnm[0] ? irm->applnm : ds->appl;
			unsigned r = sim_racf_verify(c->srv->racf, irm->userid, irm->group,
			                             irm->password, appl, igw_wall_ms() / 1000, group);
			if (r != SIM_RACF_OK) {
				uint8_t racfrc = c->cfg->protocol_level >= IMSC_PRLVL_RACFRC &&
				                 !c->cfg->racfgenrc ? (uint8_t)r : 0;
				igw_log_warn(NULL, "%s: RACF VERIFY failed for user %s: RACF RC %u (%s)",
				             c->peer, irm->userid, r, imsc_racfrc_text((uint8_t)r));
				sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_SECFAIL, racfrc, false);
				rc = IGW_EAUTH;
			}
		}
	} else {
		if (!user[0])
			snprintf(user, sizeof(sim_name), "%s", c->cfg->racfid);
		if (irm->group[0])
			snprintf(group, sizeof(sim_name), "%s", irm->group);
		else
			sim_racf_default_group(c->srv->racf, user, group);
		if (!user[0] && c->cfg->otma_security != SIM_OTMA_NONE &&
		    c->cfg->otma_security != SIM_OTMA_PROFILE) {
			sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_SECFNUID, 0, false);
			rc = IGW_EAUTH;
		}
	}
	return rc;
}

/* OTMA TIMS/RIMS check. */
bool sim_otma_permits(struct sim_conn *c, const char *user, const char *group,
                         const struct sim_permit *pl, unsigned n)
{
	/* PROFILE: the message's own flag decides; 'N' means no OTMA checks */
	return c->cfg->otma_security == SIM_OTMA_NONE ||
	       (c->cfg->otma_security == SIM_OTMA_PROFILE && c->secflg == 'N') ||
	       sim_racf_permitted(c->srv->racf, user, group, pl, n);
}

/* ------------------------------------------------------- delivery + ACK */

static void handle(struct sim_conn *c, const struct imsc_request *req)
{
	c->persistent = req->irm.soct == IMSC_SOCT_PERSISTENT;
	if (load_input(c, req) != IGW_OK) {
		sim_reply_rsm(c, IMSC_RC_ICON_ERROR, IMSC_RSN_INPUT_TOO_BIG, 0, false);
		return;
	}
	switch (req->irm.msgtype) {
	case IMSC_MT_SENDRECV:
		sim_do_sendrecv(c, req);
		break;
	case IMSC_MT_SENDONLY:
	case IMSC_MT_SENDONLY_ACK:
	case IMSC_MT_SENDONLY_ERR:
		sim_do_sendonly(c, req);
		break;
	case IMSC_MT_RESUME_TPIPE:
		sim_do_resume(c, req);
		break;
	case IMSC_MT_CALLOUT_RESP:
	case IMSC_MT_CALLOUT_RESP_ACK:
		sim_do_callout_resp(c, req);
		break;
	case IMSC_MT_CANCEL_TIMER:
		sim_do_cancel_timer(c, req);
		break;
	case IMSC_MT_DEALLOCATE:
		if (c->conv) {	/* the client abandons the conversation */
			igw_log_info(NULL, "%s: conversation %s deallocated", c->peer,
			             c->conv->name);
			c->conv = NULL;
			sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_DEALLOC_ABORT, 0, c->persistent);
			break;
		}
		sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_PROTOCOL, 0, false);
		break;
	default:	/* ACK, NAK, DEALLOCATE with nothing outstanding */
		sim_reply_rsm(c, IMSC_RC_EXIT_ERROR, IMSC_RSN_PROTOCOL, 0, false);
		break;
	}
	if (!c->persistent)
		c->close = true;
}

void sim_conn_serve(struct sim_server *s, int fd, bool tls, const char *peer)
{
	struct sim_conn *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->srv = s;
	c->cfg = s->cfg;
	c->io.fd = fd;
	c->sess.fd = fd;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	bool ok = imsc_framer_init(&c->fr, IMSC_FRAME_REQUEST, c->cfg->maxsize) == IGW_OK &&
	          igw_buf_init(&c->out, (size_t)c->cfg->maxsize + 4096u) == IGW_OK &&
	          igw_buf_init(&c->xin, c->cfg->maxsize) == IGW_OK;
	sim_session_add(&s->world, &c->sess);
	if (ok && tls && sim_io_tls_accept(&c->io, s->tls,
	                                   igw_deadline_after(SIM_TLS_HANDSHAKE_MS)) != IGW_OK) {
		igw_log_warn(NULL, "%s: TLS handshake failed", c->peer);
		ok = false;
	}
	while (ok && !c->close) {
		struct imsc_request req;
		int64_t idle = c->cfg->idleto_s ? igw_deadline_after((int64_t)c->cfg->idleto_s * 1000)
		                                : -1;
		if (sim_next_request(c, idle, &req) != IGW_OK)
			break;
		handle(c, &req);
		imsc_irm_wipe(&req.irm);
	}
	sim_session_remove(&s->world, &c->sess);
	sim_io_close(&c->io);
	imsc_framer_free(&c->fr);
	igw_buf_free(&c->out);
	igw_buf_free(&c->xin);
	free(c->seg);
	free(c);
}
