/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One IMS Connect connection: open, send a request, read a reply. */
#include <stdlib.h>
#include <string.h>

#include "imsgw/clock.h"
#include "imsgw/error.h"
#include "imsgw/limits.h"
#include "imsgw/log.h"
#include "imsgw/secure.h"
#include "conn.h"

#define READ_CHUNK 16384u

void imsc_endpoint_init(struct imsc_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->port = 9999;
	ep->exit = IMSC_EXIT_SAMPL1;
	ep->cp = IMSC_CP_EBCDIC;
	strcpy(ep->clientid_prefix, "IGW");
	ep->idle_ping_ms = IGW_IMSC_IDLE_PING_MS_DEFAULT;
	ep->soct = IMSC_SOCT_PERSISTENT;
	ep->auto_timer = true;
}

static size_t max_msg(const struct imsc_endpoint *ep)
{
	size_t m = ep->max_msg ? ep->max_msg : IGW_IMSC_MSG_DEFAULT;
	return m > IGW_IMSC_MSG_MAX ? IGW_IMSC_MSG_MAX : m;
}

static int conn_new(const struct imsc_endpoint *ep, const char *clientid,
                    struct imsc_conn **out)
{
	int rc = 0;
	struct imsc_conn *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (c == NULL)
		return IGW_ENOMEM;
	c->ep = *ep;
	c->io.fd = -1;
	if (clientid && clientid[0]) {
		if (!imsc_clientid_valid(clientid))
			rc = IGW_EINVAL;
		else
			strcpy(c->clientid, clientid);
	} else {
		rc = imsc_clientid_generate(ep->clientid_prefix, c->clientid);
		c->generated = true;
	}
	if (rc == 0)
		rc = imsc_framer_init(&c->fr, ep->exit == IMSC_EXIT_SAMPLE
				      ? IMSC_FRAME_REPLY_SAMPLE : IMSC_FRAME_REPLY_SAMPL1,
				      max_msg(ep));
	if (rc == 0)
		*out = c;
	else
		free(c);
	return rc;
}

int imsc_conn_open_ctx(const struct imsc_endpoint *ep, SSL_CTX *ctx,
                       const char *clientid, int64_t deadline, struct imsc_conn **out)
{
	struct imsc_conn *c = NULL;
	int rc = conn_new(ep, clientid, &c);
	if (rc == 0) {
		int64_t cd = igw_deadline_after(ep->connect_ms ? ep->connect_ms
						: IGW_IMSC_CONNECT_MS_DEFAULT);
		c->ctx = ctx;
		rc = imsc_io_connect(ep->host, ep->port, ctx, &ep->tls,
				     cd < deadline ? cd : deadline, &c->io);
		c->last_used = igw_mono_ms();
		if (rc != 0) {
			igw_log_warn(NULL, "imsconnect: connect to %s:%u failed: %s",
				     ep->host ? ep->host : "?", (unsigned)ep->port,
				     igw_strerror(rc));
			imsc_framer_free(&c->fr);
			free(c);
			c = NULL;
		}
	}
	*out = c;
	return rc;
}

int imsc_conn_open(const struct imsc_endpoint *ep, const char *clientid,
                   int64_t deadline, struct imsc_conn **out)
{
	SSL_CTX *ctx = NULL;
	int rc = imsc_tls_ctx_new(&ep->tls, &ctx);
	*out = NULL;
	if (rc == 0)
		rc = imsc_conn_open_ctx(ep, ctx, clientid, deadline, out);
	if (rc == 0)
		(*out)->own_ctx = ctx != NULL;
	else
		SSL_CTX_free(ctx);
	return rc;
}

int imsc_conn_adopt_fd(const struct imsc_endpoint *ep, int fd, const char *clientid,
                       struct imsc_conn **out)
{
	struct imsc_conn *c = NULL;
	int rc = conn_new(ep, clientid, &c);
	if (rc == 0)
		rc = imsc_io_adopt(fd, &c->io);
	if (rc != 0 && c) {
		imsc_framer_free(&c->fr);
		free(c);
		c = NULL;
	}
	if (c)
		c->last_used = igw_mono_ms();
	*out = c;
	return rc;
}

int imsc_conn_reopen(struct imsc_conn *c, int64_t deadline)
{
	int rc = 0;
	imsc_io_close(&c->io);
	if (c->generated)
		rc = imsc_clientid_generate(c->ep.clientid_prefix, c->clientid);
	if (rc == 0) {
		int64_t cd = igw_deadline_after(c->ep.connect_ms ? c->ep.connect_ms
						: IGW_IMSC_CONNECT_MS_DEFAULT);
		rc = imsc_io_connect(c->ep.host, c->ep.port, c->ctx, &c->ep.tls,
				     cd < deadline ? cd : deadline, &c->io);
	}
	c->broken = rc != 0;
	c->ack_pending = false;
	c->requests = 0;
	return rc;
}

void imsc_conn_close(struct imsc_conn *c)
{
	if (c) {
		imsc_io_close(&c->io);
		imsc_framer_free(&c->fr);
		if (c->own_ctx)
			SSL_CTX_free(c->ctx);
		igw_secure_zero(c, sizeof(*c));
		free(c);
	}
}

const char *imsc_conn_clientid(const struct imsc_conn *c)
{
	return c->clientid;
}

int imsc_conn_reusable(const struct imsc_conn *c)
{
	return c && !c->broken && !c->ack_pending && c->io.fd >= 0;
}

int imsc_conn_ack_pending(const struct imsc_conn *c)
{
	return c->ack_pending;
}

/* Largest grid timer whose interval is below ~90% of the time left, so
 * that IMS Connect's own timeout RSM arrives before our deadline. */
static uint8_t timer_for(int64_t deadline)
{
	int64_t left = igw_deadline_left(deadline);
	int64_t margin = left / 10 > 50 ? left / 10 : 50;
	int64_t want = left - margin;
	uint8_t v = 0x01;
	if (want > 3600000)
		v = 0x9E;
	else if (want >= 10 && imsc_timer_encode((uint32_t)want, &v) == 0) {
		uint32_t ms = 0;
		imsc_timer_decode(v, &ms);
		if (ms > (uint32_t)want && v > 0x01)
			v--;	/* the grid is monotonic: step down */
	}
	return v;
}

int imsc_conn_read_reply(struct imsc_conn *c, int64_t deadline, struct imsc_result *res)
{
	int rc = c->broken ? IGW_ECLOSED : 0;
	uint8_t chunk[READ_CHUNK];
	long want = 0;
	imsc_result_reset(res);
	imsc_framer_reset(&c->fr);
	while (rc == 0 && (want = imsc_framer_want(&c->fr)) > 0) {
		size_t n = (size_t)want < sizeof(chunk) ? (size_t)want : sizeof(chunk);
		int got = imsc_io_read_some(&c->io, chunk, n, deadline);
		if (got > 0)
			rc = imsc_framer_push(&c->fr, chunk, (size_t)got);
		else
			rc = got;
	}
	if (rc == 0 && want < 0)
		rc = (int)want;
	size_t len = 0;
	const uint8_t *frame = rc == 0 ? imsc_framer_frame(&c->fr, &len) : NULL;
	if (rc == 0 && frame == NULL)
		rc = IGW_EINTERNAL;
	if (rc == 0)
		rc = igw_buf_append(&res->raw, frame, len);
	if (rc == 0)
		rc = imsc_reply_decode(res->raw.data, res->raw.len, c->ep.exit, &res->reply);
	if (rc == 0) {
		res->have = true;
		c->ack_pending = imsc_reply_needs_ack(&res->reply);
		if (res->reply.has_rsm && !imsc_rc_keeps_socket(res->reply.rsm.retcod))
			c->broken = true;	/* IMS Connect closes the socket */
		if (c->ep.soct != IMSC_SOCT_PERSISTENT && !c->ack_pending)
			c->broken = true;	/* interaction over: socket closed */
	} else {
		c->broken = true;
		igw_log_warn(NULL, "imsconnect: reading reply for client %s failed: %s",
			     c->clientid, igw_strerror(rc));
	}
	c->last_used = igw_mono_ms();
	return rc;
}

int imsc_conn_request(struct imsc_conn *c, struct imsc_irm *irm,
                      const struct imsc_seg *segs, size_t nseg, int64_t deadline,
                      struct imsc_result *res)
{
	int rc = c->broken ? IGW_ECLOSED : 0;
	struct igw_buf out;
	bool answer = irm->msgtype == IMSC_MT_ACK || irm->msgtype == IMSC_MT_NAK ||
		      irm->msgtype == IMSC_MT_DEALLOCATE;
	/* output waiting for ACK/NAK: only an answer may follow */
	if (rc == 0 && c->ack_pending && !answer)
		rc = IGW_EINVAL;
	irm->exit = c->ep.exit;
	irm->cp = c->ep.cp;
	irm->soct = c->ep.soct;
	if (irm->clientid[0] == 0)
		strcpy(irm->clientid, c->clientid);
	if (irm->destid[0] == 0)
		strcpy(irm->destid, c->ep.datastore);
	if (c->ep.auto_timer && irm->timer == IMSC_TIMER_V_DEFAULT && !answer &&
	    igw_deadline_left(deadline) > 0)
		irm->timer = timer_for(deadline);
	igw_buf_init(&out, max_msg(&c->ep));
	if (rc == 0) {
		rc = imsc_request_encode(irm, segs, nseg, 0, &out);
		if (rc > 0)
			rc = 0;
	}
	if (rc == 0) {
		rc = imsc_io_write_all(&c->io, out.data, out.len, deadline);
		if (rc != 0)
			c->broken = true;
	}
	igw_buf_free(&out);	/* zeroes the copy of the password */
	if (rc == 0) {
		c->requests++;
		if (answer) {
			c->ack_pending = false;
		} else {
			strcpy(c->last_clientid, irm->clientid);
			c->last_f2 = irm->f2;
			c->last_f3 = (uint8_t)(irm->f3 & ~IMSC_F3_CANCID);
			c->last_arch = irm->arch;
		}
		c->last_used = igw_mono_ms();
		if (res)
			rc = imsc_conn_read_reply(c, deadline, res);
	}
	return rc;
}
