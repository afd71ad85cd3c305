/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * igw-load: a load generator for imsgw.
 *
 * N client connections driven by a small fixed number of threads (--threads,
 * default 1): each thread owns connections i % threads and runs them with
 * non-blocking OpenSSL and epoll, so 256 connections cost no more CPU than 8.
 * HTTPS with a client certificate, HTTP/1.1 keep-alive; every connection is
 * opened (TCP + TLS handshake) before the clock starts, then sends SOAP
 * requests back to back (or at --rate requests/s in total).
 *
 * Envelopes, so that replay protection never sees the same assertion twice:
 *   none     the IVTNO DISPLAY body without WS-Security (one message reused)
 *   ut       + UsernameToken PasswordText (no nonce: one message reused)
 *   saml20   + SAML 2.0 sender-vouches assertion signed with RSA-2048, one
 *            per request: generated before the clock starts with --requests,
 *            by a producer thread while running with --duration
 *   mix      none on /ivtno/static, ut on /ivtno/ut, saml20 on /ivtno/saml20
 *            in the proportions of --mix A,B,C (default 1,1,1; --path ignored)
 * Reports requests/s and latency percentiles (from sending a request to its
 * complete response); errors are counted (any status other than 200, or a
 * connection that fails twice for one request).  --idle N instead opens N
 * keep-alive connections, holds them, and prints nothing but "ready N" until
 * stdin closes (RSS measurements).
 *
 *   igw-load --host 127.0.0.1 --port 8443 --path /ivtno/static --certs certs/dev
 *            --kind none --connections 64 --requests 20000 [--threads 1]
 *   igw-load ... --kind mix --connections 32 --rate 2000 --duration 1800 [--progress 30]
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include "imsgw/core.h"
#include "wss/wss.h"

#define BODY "<i:IVTNO xmlns:i=\"urn:imsgw:ivtno\"><i:inputMsg><i:inCmd>DISPLAY</i:inCmd>" \
             "<i:inName1>LAST1</i:inName1></i:inputMsg></i:IVTNO>"
#define RBUF (1 << 16)
#define MAXT 16

enum kind { K_NONE, K_UT, K_SAML, NKIND };
static const char *const kind_name[NKIND] = { "none", "ut", "saml20" };
static const char *const kind_path[NKIND] = { "/ivtno/static", "/ivtno/ut", "/ivtno/saml20" };

struct opts {
	const char *host, *path, *certs, *kind, *user, *password;
	unsigned port, connections, requests, idle, threads, progress;
	double rate, duration;
	unsigned mix[NKIND];
};

/* A bounded queue of pre-built SAML messages, filled by the producer thread
 * in --duration mode. */
struct pool {
	pthread_mutex_t mu;
	char **msg;
	size_t *len;
	unsigned cap, head, count;
	atomic_ulong starved;
};

struct shared {
	struct opts o;
	SSL_CTX *ctx;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int single;			/* one kind only (not mix) */
	enum kind only;
	char *fixed[NKIND];		/* reusable messages (none, ut) */
	size_t fixedlen[NKIND];
	char **env;			/* --requests: one message per request */
	size_t *envlen;
	unsigned char *envkind;
	unsigned cycle[64], ncycle;	/* the mix as a repeating sequence of kinds */
	struct pool saml;
	struct igw_wss_signer *signer;
	atomic_uint next;		/* --requests: next request index */
	atomic_ulong done, errors;
	atomic_int stop;		/* producer: stop */
	double t0, t_end;
};

enum cstate { C_CONNECT, C_HANDSHAKE, C_IDLE, C_WRITE, C_READ, C_DEAD };

struct conn {
	int fd;
	SSL *ssl;
	enum cstate st;
	unsigned events;		/* epoll interest */
	const char *msg;		/* request being sent */
	size_t len, off;
	char *msg_owned;		/* a SAML message taken from the pool */
	int attempt;
	double t_send;
	char *buf;
	size_t have, need;
	char *hdr_end;
	int status;
};

struct worker {
	struct shared *sh;
	int id, ep;
	struct conn *c;
	unsigned nc;
	unsigned *idle, nidle;		/* stack of idle connection indexes */
	unsigned busy;			/* connections with a request in flight */
	unsigned long issued;		/* --rate: requests this thread started */
	float *lat;			/* latencies (ms), one per completed request */
	size_t nlat, caplat;
	unsigned long errors, done;
	pthread_t th;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ envelopes */
static char *http_message(const struct opts *o, const char *path, const char *env, size_t len, size_t *outlen)
{
	size_t cap = len + 512;
	char *m = malloc(cap);
	int h = snprintf(m, cap, "POST %s HTTP/1.1\r\nHost: %s:%u\r\nContent-Type: text/xml; charset=utf-8\r\n"
	                 "SOAPAction: \"urn:imsgw:ivtno/IVTNO\"\r\nContent-Length: %zu\r\n\r\n",
	                 path, o->host, o->port, len);
	memcpy(m + h, env, len);
	*outlen = (size_t)h + len;
	return m;
}

static int make_message(struct shared *sh, enum kind k, char **msg, size_t *len)
{
	const struct opts *o = &sh->o;
	struct igw_buf b;
	int rc = 0;
	igw_buf_init(&b, 1 << 16);
	if (k == K_NONE) {
		igw_buf_printf(&b, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
		               "<s:Body>%s</s:Body></s:Envelope>", BODY);
	} else {
		struct igw_wss_out_conf c = { 0 };
		c.kind = k == K_UT ? IGW_WSS_OUT_UT_TEXT : IGW_WSS_OUT_SAML20;
		c.password = o->password;
		c.issuer = "urn:imsgw:bench";
		c.audience = "urn:imsgw:ivtno";
		c.lifetime_s = 600;
		c.signer = sh->signer;
		if (igw_wss_out_envelope(&c, o->user, 11, BODY, &b) != IGW_OK)
			rc = -1;
	}
	if (rc == 0)
		*msg = http_message(o, sh->single ? o->path : kind_path[k], (const char *)b.data, b.len, len);
	igw_buf_free(&b);
	return rc;
}

static enum kind kind_of(const struct shared *sh, unsigned long i)
{
	return sh->single ? sh->only : (enum kind)sh->cycle[i % sh->ncycle];
}

static int build_envelopes(struct shared *sh)
{
	const struct opts *o = &sh->o;
	for (int k = 0; k < NKIND; k++)
		if (k != K_SAML && make_message(sh, (enum kind)k, &sh->fixed[k], &sh->fixedlen[k]) != 0)
			return -1;
	if (o->duration > 0)
		return 0;
	sh->env = calloc(o->requests, sizeof(char *));
	sh->envlen = calloc(o->requests, sizeof(size_t));
	sh->envkind = calloc(o->requests, 1);
	for (unsigned i = 0; i < o->requests; i++) {
		enum kind k = kind_of(sh, i);
		sh->envkind[i] = (unsigned char)k;
		if (k != K_SAML) {
			sh->env[i] = sh->fixed[k];
			sh->envlen[i] = sh->fixedlen[k];
		} else if (make_message(sh, k, &sh->env[i], &sh->envlen[i]) != 0) {
			fprintf(stderr, "igw-load: cannot build envelope %u\n", i);
			return -1;
		}
	}
	return 0;
}

/* --duration: keeps the SAML pool full (distinct assertions, signed now). */
static void *producer(void *arg)
{
	struct shared *sh = arg;
	struct pool *p = &sh->saml;
	while (!atomic_load(&sh->stop)) {
		pthread_mutex_lock(&p->mu);
		unsigned n = p->count;
		pthread_mutex_unlock(&p->mu);
		if (n >= p->cap) {
			usleep(1000);
			continue;
		}
		char *m;
		size_t l;
		if (make_message(sh, K_SAML, &m, &l) != 0) {
			fprintf(stderr, "igw-load: cannot build a SAML envelope\n");
			usleep(100000);
			continue;
		}
		pthread_mutex_lock(&p->mu);
		unsigned tail = (p->head + p->count) % p->cap;
		p->msg[tail] = m;
		p->len[tail] = l;
		p->count++;
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* Next SAML message, or NULL when the producer is behind (counted once per
 * attempt in saml_starved: a measure of time waited, not of requests). */
static char *pool_take(struct pool *p, size_t *len)
{
	char *m = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->count) {
		m = p->msg[p->head];
		*len = p->len[p->head];
		p->head = (p->head + 1) % p->cap;
		p->count--;
	}
	pthread_mutex_unlock(&p->mu);
	return m;
}

/* ------------------------------------------------------------ connections */
static void set_interest(struct worker *w, struct conn *c, unsigned ev)
{
	if (c->events == ev)
		return;
	struct epoll_event e = { .events = ev, .data.u32 = (uint32_t)(c - w->c) };
	epoll_ctl(w->ep, c->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &e);
	c->events = ev;
}

static void conn_close(struct worker *w, struct conn *c)
{
	if (c->ssl)
		SSL_free(c->ssl);
	if (c->fd >= 0) {
		epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->ssl = NULL;
	c->fd = -1;
	c->events = 0;
	c->st = C_DEAD;
}

static int conn_open(struct worker *w, struct conn *c)
{
	struct shared *sh = w->sh;
	int one = 1;
	c->fd = socket(sh->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->events = 0;
	if (connect(c->fd, (struct sockaddr *)&sh->addr, sh->addrlen) != 0 && errno != EINPROGRESS) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	c->ssl = SSL_new(sh->ctx);
	SSL_set_fd(c->ssl, c->fd);
	SSL_set_tlsext_host_name(c->ssl, "localhost");
	SSL_set_connect_state(c->ssl);
	c->st = C_CONNECT;
	set_interest(w, c, EPOLLOUT);
	return 0;
}

/* Track an SSL call's want; 1 = retry later, 0 = fatal. */
static int ssl_want(struct worker *w, struct conn *c, int r)
{
	int e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ) {
		set_interest(w, c, EPOLLIN);
		return 1;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		set_interest(w, c, EPOLLOUT);
		return 1;
	}
	ERR_clear_error();
	return 0;
}

static void record(struct worker *w, double ms)
{
	if (w->nlat == w->caplat) {
		w->caplat = w->caplat ? w->caplat * 2 : 4096;
		w->lat = realloc(w->lat, w->caplat * sizeof(float));
	}
	w->lat[w->nlat++] = (float)ms;
}

static void finish(struct worker *w, struct conn *c, int ok)
{
	record(w, (now_s() - c->t_send) * 1000.0);
	if (!ok) {
		w->errors++;
		atomic_fetch_add(&w->sh->errors, 1);
	}
	w->done++;
	atomic_fetch_add(&w->sh->done, 1);
	free(c->msg_owned);
	c->msg_owned = NULL;
	c->msg = NULL;
	w->busy--;
}

static void drive(struct worker *w, struct conn *c);

/* A connection broke: retry its request once on a new connection. */
static void conn_failed(struct worker *w, struct conn *c)
{
	conn_close(w, c);
	if (c->msg && c->attempt == 0) {
		c->attempt = 1;
		c->off = 0;
		if (conn_open(w, c) == 0)
			return;
	}
	if (c->msg)
		finish(w, c, 0);
	/* reconnect for the next request */
	if (conn_open(w, c) != 0)
		c->st = C_DEAD;
}

static void to_idle(struct worker *w, struct conn *c)
{
	c->st = C_IDLE;
	set_interest(w, c, EPOLLIN);	/* notices the server closing an idle connection */
	w->idle[w->nidle++] = (unsigned)(c - w->c);
}

static void start_request(struct worker *w, struct conn *c, const char *msg, size_t len, char *owned)
{
	c->msg = msg;
	w->busy++;
	c->len = len;
	c->off = 0;
	c->msg_owned = owned;
	c->attempt = 0;
	c->t_send = now_s();
	c->st = C_WRITE;
	drive(w, c);
}

static void drive(struct worker *w, struct conn *c)
{
	for (;;) {
		int r;
		switch (c->st) {
		case C_CONNECT: {
			int err = 0;
			socklen_t l = sizeof(err);
			if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l) != 0 || err == EINPROGRESS) {
				return;
			}
			if (err) {
				conn_failed(w, c);
				return;
			}
			c->st = C_HANDSHAKE;
			break;
		}
		case C_HANDSHAKE:
			r = SSL_do_handshake(c->ssl);
			if (r == 1) {
				if (c->msg) {	/* a retried request */
					c->st = C_WRITE;
					break;
				}
				to_idle(w, c);
				return;
			}
			if (!ssl_want(w, c, r))
				conn_failed(w, c);
			return;
		case C_IDLE: {
			/* readable while idle: the server closed (or sent junk) */
			char tmp[256];
			r = SSL_read(c->ssl, tmp, sizeof(tmp));
			if (r <= 0 && ssl_want(w, c, r)) {
				set_interest(w, c, EPOLLIN);
				return;
			}
			/* remove from the idle stack and reconnect */
			for (unsigned i = 0; i < w->nidle; i++)
				if (w->idle[i] == (unsigned)(c - w->c)) {
					w->idle[i] = w->idle[--w->nidle];
					break;
				}
			conn_close(w, c);
			if (conn_open(w, c) != 0)
				c->st = C_DEAD;
			return;
		}
		case C_WRITE:
			r = SSL_write(c->ssl, c->msg + c->off, (int)(c->len - c->off));
			if (r <= 0) {
				if (!ssl_want(w, c, r))
					conn_failed(w, c);
				return;
			}
			c->off += (size_t)r;
			if (c->off == c->len) {
				c->st = C_READ;
				c->have = 0;
				c->need = 0;
				c->hdr_end = NULL;
				c->status = -1;
			}
			break;
		case C_READ:
			r = SSL_read(c->ssl, c->buf + c->have, (int)(RBUF - c->have - 1));
			if (r <= 0) {
				if (!ssl_want(w, c, r))
					conn_failed(w, c);
				return;
			}
			c->have += (size_t)r;
			c->buf[c->have] = 0;
			if (!c->hdr_end && (c->hdr_end = strstr(c->buf, "\r\n\r\n"))) {
				const char *cl = strcasestr(c->buf, "\r\nContent-Length:");
				c->status = atoi(c->buf + 9);
				c->need = (size_t)(c->hdr_end + 4 - c->buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
				if (c->need >= RBUF) {
					conn_failed(w, c);
					return;
				}
			}
			if (c->hdr_end && c->have >= c->need) {
				int closing = strcasestr(c->buf, "\r\nConnection: close") != NULL;
				finish(w, c, c->status == 200);
				if (closing) {
					conn_close(w, c);
					if (conn_open(w, c) != 0)
						c->st = C_DEAD;
				} else {
					to_idle(w, c);
				}
				return;
			}
			break;
		case C_DEAD:
			return;
		}
	}
}

/* Next message for this worker, or NULL (nothing more to send now). */
static const char *next_message(struct worker *w, size_t *len, char **owned, int *finished, double now)
{
	struct shared *sh = w->sh;
	const struct opts *o = &sh->o;
	*owned = NULL;
	if (o->duration > 0) {
		if (now >= sh->t_end) {
			*finished = 1;
			return NULL;
		}
	}
	if (o->rate > 0) {
		double per = o->rate / o->threads;
		if ((double)w->issued >= (now - sh->t0) * per)
			return NULL;
	}
	if (o->duration <= 0) {
		unsigned i = atomic_fetch_add(&sh->next, 1);
		if (i >= o->requests) {
			*finished = 1;
			return NULL;
		}
		w->issued++;
		*len = sh->envlen[i];
		return sh->env[i];
	}
	enum kind k = kind_of(sh, (unsigned long)w->issued * o->threads + (unsigned long)w->id);
	if (k == K_SAML) {
		char *m = pool_take(&sh->saml, len);
		if (!m) {
			atomic_fetch_add(&sh->saml.starved, 1);
			return NULL;
		}
		*owned = m;
		w->issued++;
		return m;
	}
	w->issued++;
	*len = sh->fixedlen[k];
	return sh->fixed[k];
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	const struct opts *o = &sh->o;
	struct epoll_event ev[256];
	int finished = 0;
	for (;;) {
		double now = now_s();
		/* start requests on idle connections */
		int starved = 0;
		while (w->nidle && !finished) {
			size_t len;
			char *owned = NULL;
			unsigned long before = atomic_load(&sh->saml.starved);
			const char *m = next_message(w, &len, &owned, &finished, now);
			if (!m) {
				starved = atomic_load(&sh->saml.starved) != before;
				break;
			}
			struct conn *c = &w->c[w->idle[--w->nidle]];
			start_request(w, c, m, len, owned);
		}
		/* a counter, not a scan of every connection: the generator's own
		 * cost per request must not grow with --connections */
		if (finished && !w->busy)
			break;
		int timeout = 100;
		if (!finished && w->nidle) {
			if (o->rate > 0) {
				double per = o->rate / o->threads;
				double due = sh->t0 + (double)(w->issued + 1) / per;
				double d = (due - now) * 1000.0;
				timeout = d <= 0 ? 0 : (int)d + 1;
				if (starved && timeout < 1)
					timeout = 1;	/* the SAML producer is behind: do not spin */
				if (timeout > 100)
					timeout = 100;
			} else {
				timeout = 1;	/* only when the SAML pool ran dry */
			}
		}
		int n = epoll_wait(w->ep, ev, 256, timeout);
		for (int i = 0; i < n; i++)
			drive(w, &w->c[ev[i].data.u32]);
	}
	return NULL;
}

/* Open every connection of the worker (before the clock starts). */
static unsigned worker_connect(struct worker *w)
{
	struct epoll_event ev[256];
	for (unsigned i = 0; i < w->nc; i++) {
		struct conn *c = &w->c[i];
		c->buf = malloc(RBUF);
		c->fd = -1;
		if (conn_open(w, c) != 0)
			c->st = C_DEAD;
	}
	double end = now_s() + 30;
	for (;;) {
		unsigned pending = 0;
		for (unsigned i = 0; i < w->nc; i++)
			pending += w->c[i].st == C_CONNECT || w->c[i].st == C_HANDSHAKE;
		if (!pending || now_s() > end)
			break;
		int n = epoll_wait(w->ep, ev, 256, 100);
		for (int i = 0; i < n; i++)
			drive(w, &w->c[ev[i].data.u32]);
	}
	return w->nidle;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------ idle mode */
static SSL *open_blocking(struct shared *sh)
{
	SSL *ssl = NULL;
	int one = 1, fd = socket(sh->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&sh->addr, sh->addrlen) != 0) {
		close(fd);
		return NULL;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	ssl = SSL_new(sh->ctx);
	SSL_set_fd(ssl, fd);
	SSL_set_tlsext_host_name(ssl, "localhost");
	if (SSL_connect(ssl) != 1) {
		SSL_free(ssl);
		close(fd);
		return NULL;
	}
	return ssl;
}

static int idle_mode(struct shared *sh)
{
	SSL **held = calloc(sh->o.idle, sizeof(SSL *));
	unsigned ok = 0;
	for (unsigned i = 0; i < sh->o.idle; i++)
		ok += (held[i] = open_blocking(sh)) != NULL;
	printf("ready %u\n", ok);
	fflush(stdout);
	char tmp[64];
	while (fread(tmp, 1, sizeof(tmp), stdin) > 0)
		;
	for (unsigned i = 0; i < sh->o.idle; i++)
		if (held[i]) {
			int fd = SSL_get_fd(held[i]);
			SSL_shutdown(held[i]);
			SSL_free(held[i]);
			close(fd);
		}
	free(held);
	return ok == sh->o.idle ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: igw-load --port P --path PATH --certs DIR [--host H] [--kind none|ut|saml20|mix]\n"
	                "                [--mix A,B,C] [--user U] [--password PW] [--connections N] [--threads T]\n"
	                "                [--requests N | --duration S] [--rate R] [--progress S] [--idle N]\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "host", 1, 0, 'h' }, { "port", 1, 0, 'p' }, { "path", 1, 0, 'P' },
		{ "certs", 1, 0, 'c' }, { "kind", 1, 0, 'k' }, { "connections", 1, 0, 'n' },
		{ "requests", 1, 0, 'r' }, { "idle", 1, 0, 'i' }, { "user", 1, 0, 'u' },
		{ "password", 1, 0, 'w' }, { "threads", 1, 0, 't' }, { "rate", 1, 0, 'R' },
		{ "duration", 1, 0, 'd' }, { "mix", 1, 0, 'm' }, { "progress", 1, 0, 'g' },
		{ 0, 0, 0, 0 } };
	static struct shared sh;
	int c;
	char ca[1024], crt[1024], key[1024], port[16];
	sh.o = (struct opts){ "127.0.0.1", "/ivtno/static", "certs/dev", "none", "USER01", "PASS01",
	                      8443, 8, 10000, 0, 1, 0, 0, 0, { 1, 1, 1 } };
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'h': sh.o.host = optarg; break;
		case 'p': sh.o.port = (unsigned)atoi(optarg); break;
		case 'P': sh.o.path = optarg; break;
		case 'c': sh.o.certs = optarg; break;
		case 'k': sh.o.kind = optarg; break;
		case 'n': sh.o.connections = (unsigned)atoi(optarg); break;
		case 'r': sh.o.requests = (unsigned)atoi(optarg); break;
		case 'i': sh.o.idle = (unsigned)atoi(optarg); break;
		case 'u': sh.o.user = optarg; break;
		case 'w': sh.o.password = optarg; break;
		case 't': sh.o.threads = (unsigned)atoi(optarg); break;
		case 'R': sh.o.rate = atof(optarg); break;
		case 'd': sh.o.duration = atof(optarg); break;
		case 'g': sh.o.progress = (unsigned)atoi(optarg); break;
		case 'm':
			if (sscanf(optarg, "%u,%u,%u", &sh.o.mix[0], &sh.o.mix[1], &sh.o.mix[2]) != 3) {
				usage();
				return 2;
			}
			break;
		default: usage(); return 2;
		}
	}
	if (sh.o.connections == 0 || sh.o.connections > 4096 || sh.o.threads == 0 || sh.o.threads > MAXT ||
	    (sh.o.duration <= 0 && sh.o.requests == 0)) {
		usage();
		return 2;
	}
	if (sh.o.threads > sh.o.connections)
		sh.o.threads = sh.o.connections;
	sh.single = strcmp(sh.o.kind, "mix") != 0;
	if (sh.single) {
		int k;
		for (k = 0; k < NKIND && strcmp(sh.o.kind, kind_name[k]) != 0; k++)
			;
		if (k == NKIND) {
			usage();
			return 2;
		}
		sh.only = (enum kind)k;
	} else {
		unsigned tot = sh.o.mix[0] + sh.o.mix[1] + sh.o.mix[2];
		if (tot == 0 || tot > 64) {
			fprintf(stderr, "igw-load: --mix weights must add up to 1..64\n");
			return 2;
		}
		/* interleave the kinds (largest remainder) rather than runs of one */
		unsigned given[NKIND] = { 0 };
		for (unsigned i = 0; i < tot; i++) {
			int best = 0;
			double bd = -1e9;
			for (int k = 0; k < NKIND; k++) {
				double d = (double)sh.o.mix[k] * (i + 1) / tot - given[k];
				if (d > bd) {
					bd = d;
					best = k;
				}
			}
			given[best]++;
			sh.cycle[sh.ncycle++] = (unsigned)best;
		}
	}

	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai = NULL;
	snprintf(port, sizeof(port), "%u", sh.o.port);
	if (getaddrinfo(sh.o.host, port, &hints, &ai) != 0) {
		fprintf(stderr, "igw-load: cannot resolve %s\n", sh.o.host);
		return 1;
	}
	memcpy(&sh.addr, ai->ai_addr, ai->ai_addrlen);
	sh.addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);

	snprintf(ca, sizeof(ca), "%s/ca.crt", sh.o.certs);
	snprintf(crt, sizeof(crt), "%s/client.crt", sh.o.certs);
	snprintf(key, sizeof(key), "%s/client.key", sh.o.certs);
	sh.ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_min_proto_version(sh.ctx, TLS1_2_VERSION);
	if (SSL_CTX_load_verify_locations(sh.ctx, ca, NULL) != 1 ||
	    SSL_CTX_use_certificate_file(sh.ctx, crt, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(sh.ctx, key, SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "igw-load: cannot load TLS files from %s\n", sh.o.certs);
		return 1;
	}
	SSL_CTX_set_verify(sh.ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_mode(sh.ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

	if (sh.o.idle) {
		int rc = idle_mode(&sh);
		SSL_CTX_free(sh.ctx);
		return rc;
	}

	igw_wss_init();
	int need_saml = sh.single ? sh.only == K_SAML : sh.o.mix[K_SAML] > 0;
	if (need_saml) {
		snprintf(key, sizeof(key), "%s/saml-signer.key", sh.o.certs);
		snprintf(crt, sizeof(crt), "%s/saml-signer.crt", sh.o.certs);
		if (igw_wss_signer_load(key, crt, &sh.signer) != IGW_OK) {
			fprintf(stderr, "igw-load: cannot load the SAML signer from %s\n", sh.o.certs);
			return 1;
		}
	}
	if (build_envelopes(&sh) != 0)
		return 1;
	pthread_t prod;
	int have_prod = 0;
	if (sh.o.duration > 0 && need_saml) {
		pthread_mutex_init(&sh.saml.mu, NULL);
		double share = sh.single ? 1.0 : (double)sh.o.mix[K_SAML] / (sh.o.mix[0] + sh.o.mix[1] + sh.o.mix[2]);
		double want = sh.o.rate > 0 ? sh.o.rate * share * 2 : 4096;
		sh.saml.cap = want < 256 ? 256 : want > 65536 ? 65536 : (unsigned)want;
		sh.saml.msg = calloc(sh.saml.cap, sizeof(char *));
		sh.saml.len = calloc(sh.saml.cap, sizeof(size_t));
		pthread_create(&prod, NULL, producer, &sh);
		have_prod = 1;
		/* start with a full pool */
		for (int i = 0; i < 300; i++) {
			pthread_mutex_lock(&sh.saml.mu);
			unsigned n = sh.saml.count;
			pthread_mutex_unlock(&sh.saml.mu);
			if (n >= sh.saml.cap)
				break;
			usleep(10000);
		}
	}

	struct worker *w = calloc(sh.o.threads, sizeof(*w));
	unsigned ready = 0;
	for (unsigned t = 0; t < sh.o.threads; t++) {
		w[t].sh = &sh;
		w[t].id = (int)t;
		w[t].ep = epoll_create1(EPOLL_CLOEXEC);
		w[t].nc = sh.o.connections / sh.o.threads + (t < sh.o.connections % sh.o.threads);
		w[t].c = calloc(w[t].nc, sizeof(struct conn));
		w[t].idle = calloc(w[t].nc, sizeof(unsigned));
		ready += worker_connect(&w[t]);
	}
	if (ready < sh.o.connections)
		fprintf(stderr, "igw-load: only %u of %u connections opened\n", ready, sh.o.connections);
	if (ready == 0)
		return 1;

	sh.t0 = now_s();
	sh.t_end = sh.t0 + sh.o.duration;
	for (unsigned t = 0; t < sh.o.threads; t++)
		pthread_create(&w[t].th, NULL, worker_main, &w[t]);
	if (sh.o.progress && sh.o.duration > 0) {
		unsigned long last = 0;
		double lt = sh.t0;
		while (now_s() < sh.t_end) {
			double wake = lt + sh.o.progress;
			while (now_s() < wake && now_s() < sh.t_end)
				usleep(100000);
			double t = now_s();
			unsigned long d = atomic_load(&sh.done);
			fprintf(stderr, "t=%.0f done=%lu errors=%lu rps=%.0f saml_starved=%lu\n", t - sh.t0, d,
			        atomic_load(&sh.errors), (d - last) / (t - lt), atomic_load(&sh.saml.starved));
			last = d;
			lt = t;
		}
	}
	for (unsigned t = 0; t < sh.o.threads; t++)
		pthread_join(w[t].th, NULL);
	double el = now_s() - sh.t0;
	if (have_prod) {
		atomic_store(&sh.stop, 1);
		pthread_join(prod, NULL);
	}

	size_t n = 0;
	for (unsigned t = 0; t < sh.o.threads; t++)
		n += w[t].nlat;
	float *lat = malloc((n ? n : 1) * sizeof(float));
	size_t k = 0;
	for (unsigned t = 0; t < sh.o.threads; t++) {
		memcpy(lat + k, w[t].lat, w[t].nlat * sizeof(float));
		k += w[t].nlat;
	}
	qsort(lat, n, sizeof(float), cmp_float);
	if (n == 0) {
		lat[0] = 0;
		n = 1;
	}
	unsigned long done = atomic_load(&sh.done), errors = atomic_load(&sh.errors);
	/* requests never sent count as errors (connections that could not open) */
	if (sh.o.duration <= 0 && done < sh.o.requests)
		errors += sh.o.requests - done;
	printf("kind=%s path=%s connections=%u threads=%u requests=%lu errors=%lu seconds=%.2f rps=%.0f "
	       "p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms",
	       sh.o.kind, sh.single ? sh.o.path : "mix", sh.o.connections, sh.o.threads, done, errors, el,
	       done / el, lat[n / 2], lat[n * 9 / 10], lat[n * 99 / 100], lat[n - 1]);
	if (sh.o.rate > 0)
		printf(" rate=%.0f", sh.o.rate);
	if (have_prod)
		printf(" saml_starved=%lu", atomic_load(&sh.saml.starved));
	printf("\n");
	fflush(stdout);

	for (unsigned t = 0; t < sh.o.threads; t++) {
		for (unsigned i = 0; i < w[t].nc; i++) {
			struct conn *cc = &w[t].c[i];
			if (cc->ssl && cc->st == C_IDLE)
				SSL_shutdown(cc->ssl);
			conn_close(&w[t], cc);
			free(cc->buf);
		}
		close(w[t].ep);
		free(w[t].c);
		free(w[t].idle);
		free(w[t].lat);
	}
	free(w);
	free(lat);
	if (sh.env) {
		for (unsigned i = 0; i < sh.o.requests; i++)
			if (sh.envkind[i] == K_SAML)
				free(sh.env[i]);
		free(sh.env);
		free(sh.envlen);
		free(sh.envkind);
	}
	for (int kk = 0; kk < NKIND; kk++)
		free(sh.fixed[kk]);
	if (have_prod) {
		char *m;
		size_t l;
		while ((m = pool_take(&sh.saml, &l)))
			free(m);
		free(sh.saml.msg);
		free(sh.saml.len);
	}
	igw_wss_signer_free(sh.signer);
	SSL_CTX_free(sh.ctx);
	return errors ? 1 : 0;
}
