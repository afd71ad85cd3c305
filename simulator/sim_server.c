/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Listeners, accept loop, connection threads, clean stop. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "imsgw/core.h"
#include "sim_io.h"
#include "sim_server.h"

struct conn_arg {
	struct sim_server *srv;
	int fd;
	bool tls;
	char peer[64];
};

static int listen_on(const char *addr, unsigned port, unsigned *bound)
{
	int fd = -1;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		igw_log_error(NULL, "listen address %s is not an IPv4 address", addr);
		return IGW_ECONFIG;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, IGW_SIM_LISTEN_BACKLOG) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		igw_log_error(NULL, "cannot listen on %s:%u: %s", addr, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return IGW_EIO;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

int sim_server_init(struct sim_server *s, const struct sim_config *cfg)
{
	int rc = IGW_OK;
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->lfd = s->tls_lfd = -1;
	s->wake[0] = s->wake[1] = -1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	rc = sim_world_init(&s->world, cfg);
	if (rc == IGW_OK)
		rc = sim_racf_create(cfg, &s->racf);
	if (rc == IGW_OK) {
		rc = sim_ivtno_create(cfg->ivtno_store, &s->ivtno);
		if (rc != IGW_OK)
			igw_log_error(NULL, "cannot open IVTNO store %s: %s", cfg->ivtno_store,
			              igw_strerror(rc));
	}
	if (rc == IGW_OK)
		rc = sim_xml_create(cfg, &s->xml);
	if (rc == IGW_OK && pipe(s->wake) != 0)
		rc = IGW_EIO;
	for (int i = 0; rc == IGW_OK && i < 2; i++) {
		fcntl(s->wake[i], F_SETFD, FD_CLOEXEC);
		fcntl(s->wake[i], F_SETFL, O_NONBLOCK);
	}
	if (rc == IGW_OK && cfg->tls) {
		s->tls = sim_tls_ctx_new(cfg->tls_cert, cfg->tls_key, cfg->tls_ca);
		if (!s->tls)
			rc = IGW_ETLS;
	}
	if (rc == IGW_OK) {
		int fd = listen_on(cfg->address, cfg->port, &s->port);
		if (fd < 0)
			rc = fd;
		else
			s->lfd = fd;
	}
	if (rc == IGW_OK && cfg->tls) {
		int fd = listen_on(cfg->address, cfg->tls_port, &s->tls_port);
		if (fd < 0)
			rc = fd;
		else
			s->tls_lfd = fd;
	}
	return rc;
}

static void *conn_thread(void *p)
{
	struct conn_arg *a = p;
	struct sim_server *s = a->srv;
	sim_conn_serve(s, a->fd, a->tls, a->peer);
	free(a);
	pthread_mutex_lock(&s->mu);
	s->nconn--;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void accept_one(struct sim_server *s, int lfd, bool tls)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = accept(lfd, (struct sockaddr *)&sa, &sl);
	if (fd < 0)
		return;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	pthread_mutex_lock(&s->mu);
	bool full = s->nconn >= s->cfg->max_connections;
	if (!full)
		s->nconn++;
	pthread_mutex_unlock(&s->mu);
	if (full) {
		igw_log_warn(NULL, "connection limit %u reached: refusing", s->cfg->max_connections);
		close(fd);
		return;
	}
	struct conn_arg *a = calloc(1, sizeof(*a));
	pthread_t th;
	pthread_attr_t at;
	bool started = false;
	if (a) {
		char ip[INET_ADDRSTRLEN] = "?";
		inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof(ip));
		a->srv = s;
		a->fd = fd;
		a->tls = tls;
		snprintf(a->peer, sizeof(a->peer), "%s:%u%s", ip, ntohs(sa.sin_port),
		         tls ? "/tls" : "");
		pthread_attr_init(&at);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&at, 256u << 10);
		started = pthread_create(&th, &at, conn_thread, a) == 0;
		pthread_attr_destroy(&at);
	}
	if (!started) {
		free(a);
		close(fd);
		pthread_mutex_lock(&s->mu);
		s->nconn--;
		pthread_mutex_unlock(&s->mu);
	}
}

int sim_server_run(struct sim_server *s)
{
	struct pollfd p[3];
	bool run = true;
	while (run) {
		int n = 0;
		p[n++] = (struct pollfd){ .fd = s->wake[0], .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
		if (s->tls_lfd >= 0)
			p[n++] = (struct pollfd){ .fd = s->tls_lfd, .events = POLLIN };
		int r = poll(p, (nfds_t)n, -1);
		if (r < 0 && errno != EINTR) {
			igw_log_error(NULL, "poll: %s", strerror(errno));
			break;
		}
		if (r <= 0)
			continue;
		if (p[0].revents)
			run = false;
		if (run && p[1].revents & POLLIN)
			accept_one(s, s->lfd, false);
		if (run && n > 2 && p[2].revents & POLLIN)
			accept_one(s, s->tls_lfd, true);
	}
	pthread_mutex_lock(&s->mu);
	unsigned live = s->nconn;
	pthread_mutex_unlock(&s->mu);
	igw_log_info(NULL, "stopping: closing listeners and %u connection(s)", live);
	close(s->lfd);
	s->lfd = -1;
	if (s->tls_lfd >= 0) {
		close(s->tls_lfd);
		s->tls_lfd = -1;
	}
	sim_world_stop(&s->world);
	int64_t dl = igw_deadline_after(IGW_SIM_SHUTDOWN_WAIT_MS);
	pthread_mutex_lock(&s->mu);
	while (s->nconn > 0 && igw_deadline_left(dl) > 0) {
		pthread_mutex_unlock(&s->mu);
		sim_world_stop(&s->world);
		usleep(20000);
		pthread_mutex_lock(&s->mu);
	}
	unsigned left = s->nconn;
	pthread_mutex_unlock(&s->mu);
	if (left)
		igw_log_warn(NULL, "%u connection(s) did not end in time", left);
	return left ? IGW_ETIMEOUT : IGW_OK;
}

void sim_server_stop(struct sim_server *s)
{
	if (s->wake[1] >= 0) {
		char b = 1;
		ssize_t r = write(s->wake[1], &b, 1);
		(void)r;
	}
}

void sim_server_destroy(struct sim_server *s)
{
	pthread_mutex_lock(&s->mu);
	unsigned left = s->nconn;
	pthread_mutex_unlock(&s->mu);
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->tls_lfd >= 0)
		close(s->tls_lfd);
	for (int i = 0; i < 2; i++)
		if (s->wake[i] >= 0)
			close(s->wake[i]);
	if (left == 0) {
		/* Only safe when no connection thread still uses them. */
		sim_world_destroy(&s->world);
		sim_racf_destroy(s->racf);
		sim_ivtno_destroy(s->ivtno);
		sim_xml_destroy(s->xml);
		if (s->tls)
			SSL_CTX_free(s->tls);
	}
}
