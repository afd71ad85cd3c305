/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scripted IMS Connect stand-in for the client unit tests. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "imsgw/error.h"
#include "fake_peer.h"

enum imsc_exit peer_framing = IMSC_EXIT_SAMPL1;

struct conn_arg {
	struct peer *p;
	int fd;
	int no;
};

static int read_frame(int fd, struct imsc_framer *f)
{
	long want;
	uint8_t buf[4096];
	while ((want = imsc_framer_want(f)) > 0) {
		size_t n = (size_t)want < sizeof(buf) ? (size_t)want : sizeof(buf);
		ssize_t r = recv(fd, buf, n, 0);
		if (r <= 0)
			return -1;
		if (imsc_framer_push(f, buf, (size_t)r) != 0)
			return -1;
	}
	return want == 0 ? 0 : -1;
}

static void *conn_main(void *arg)
{
	struct conn_arg *a = arg;
	struct peer *p = a->p;
	struct imsc_framer f;
	imsc_framer_init(&f, IMSC_FRAME_REQUEST, 1 << 20);
	for (;;) {
		imsc_framer_reset(&f);
		if (read_frame(a->fd, &f) != 0)
			break;
		size_t len;
		const uint8_t *msg = imsc_framer_frame(&f, &len);
		struct imsc_request req;
		uint32_t rsn = 0;
		struct peer_req r;
		memset(&r, 0, sizeof(r));
		r.conn = a->no;
		struct igw_buf out;
		igw_buf_init(&out, 1 << 20);
		if (imsc_request_decode(msg, len, &req, &rsn) != 0) {
			reply_rsm(&out, 8, rsn);
		} else {
			struct igw_buf data;
			igw_buf_init(&data, 1 << 20);
			imsc_request_data(&req, &data);
			r.irm = req.irm;
			for (unsigned i = 0; i < IMSC_IRM_EXT_MAX; i++)
				r.irm.ext[i].data = NULL;
			r.data_len = data.len;
			memcpy(r.data, data.data ? data.data : (const uint8_t *)"",
			       data.len < sizeof(r.data) ? data.len : sizeof(r.data));
			r.llll_data = req.llll_data;
			igw_buf_free(&data);
			pthread_mutex_lock(&p->mu);
			if (p->nreq < PEER_MAX_REQ)
				p->reqs[p->nreq++] = r;
			pthread_mutex_unlock(&p->mu);
		}
		int close_after = p->handler ? p->handler(p, &r, &out) : 1;
		if (p->delay_ms) {
			struct timespec ts = { p->delay_ms / 1000, (p->delay_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
		size_t off = 0;
		while (off < out.len) {
			ssize_t w = send(a->fd, out.data + off, out.len - off, MSG_NOSIGNAL);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		igw_buf_free(&out);
		if (close_after)
			break;
	}
	imsc_framer_free(&f);
	shutdown(a->fd, SHUT_RDWR);
	free(a);
	return NULL;
}

static void *accept_main(void *arg)
{
	struct peer *p = arg;
	while (!p->stop) {
		struct pollfd pfd = { .fd = p->lfd, .events = POLLIN, .revents = 0 };
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		int fd = accept(p->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_mutex_lock(&p->mu);
		int no = p->nconn;
		if (no >= PEER_MAX_CONN) {
			pthread_mutex_unlock(&p->mu);
			close(fd);
			continue;
		}
		struct conn_arg *a = malloc(sizeof(*a));
		a->p = p;
		a->fd = fd;
		a->no = no;
		p->conn_fd[no] = fd;
		pthread_create(&p->conn_th[no], NULL, conn_main, a);
		p->nconn++;
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

int peer_start(struct peer *p, peer_handler h, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->handler = h;
	p->ctx = ctx;
	pthread_mutex_init(&p->mu, NULL);
	p->lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t sl = sizeof(sa);
	if (p->lfd < 0 || bind(p->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(p->lfd, 16) != 0 || getsockname(p->lfd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	p->port = ntohs(sa.sin_port);
	return pthread_create(&p->accept_th, NULL, accept_main, p) == 0 ? 0 : -1;
}

void peer_stop(struct peer *p)
{
	p->stop = 1;
	pthread_join(p->accept_th, NULL);
	close(p->lfd);
	for (int i = 0; i < p->nconn; i++) {
		shutdown(p->conn_fd[i], SHUT_RDWR);
		pthread_join(p->conn_th[i], NULL);
		close(p->conn_fd[i]);
	}
	pthread_mutex_destroy(&p->mu);
}

int peer_count(struct peer *p)
{
	pthread_mutex_lock(&p->mu);
	int n = p->nreq;
	pthread_mutex_unlock(&p->mu);
	return n;
}

struct peer_req peer_get(struct peer *p, int i)
{
	pthread_mutex_lock(&p->mu);
	struct peer_req r = p->reqs[i];
	pthread_mutex_unlock(&p->mu);
	return r;
}

void reply_data_csm(struct igw_buf *out, const char *text, uint8_t flg1, uint8_t prlvl)
{
	struct imsc_writer w;
	imsc_writer_start(&w, out, peer_framing, IMSC_CP_EBCDIC);
	imsc_put_segment(&w, text, strlen(text));
	imsc_put_csm(&w, flg1, prlvl);
	imsc_writer_finish(&w);
}

void reply_rsm(struct igw_buf *out, uint32_t rc, uint32_t rsn)
{
	struct imsc_writer w;
	imsc_writer_start(&w, out, peer_framing, IMSC_CP_EBCDIC);
	imsc_put_rsm(&w, 0, 0, rc, rsn);
	imsc_writer_finish(&w);
}

void reply_csm(struct igw_buf *out, uint8_t flg1)
{
	struct imsc_writer w;
	imsc_writer_start(&w, out, peer_framing, IMSC_CP_EBCDIC);
	imsc_put_csm(&w, flg1, 0);
	imsc_writer_finish(&w);
}
