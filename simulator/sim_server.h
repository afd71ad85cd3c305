/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * imsconnect-sim server: listeners (plain TCP and optional TLS), one thread
 * per client connection (bounded by max_connections), clean stop.
 *
 * The per-connection protocol (IMS Connect exit + OTMA behaviour) lives in
 * sim_conn.c; this file owns sockets and threads.
 */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <openssl/ssl.h>
#include "sim_config.h"
#include "sim_ivtno.h"
#include "sim_otma.h"
#include "sim_racf.h"
#include "sim_xml.h"

struct sim_server {
	const struct sim_config *cfg;
	struct sim_world world;
	struct sim_racf *racf;
	struct sim_ivtno *ivtno;
	struct sim_xml *xml;		/* XML adapter converters               */
	SSL_CTX *tls;
	int lfd;			/* plain listener                       */
	int tls_lfd;			/* TLS listener or -1                   */
	unsigned port, tls_port;	/* bound ports (after ephemeral)        */
	int wake[2];			/* self-pipe: write a byte to stop      */
	pthread_mutex_t mu;		/* guards nconn                         */
	pthread_cond_t cv;
	unsigned nconn;
};

/* Bind listeners, create stores.  Returns IGW_OK or an error (logged). */
int sim_server_init(struct sim_server *s, const struct sim_config *cfg);
/* Accept loop until sim_server_stop(); then waits (bounded) for connection
 * threads to finish. */
int sim_server_run(struct sim_server *s);
/* Async-signal-safe: ask the accept loop to stop. */
void sim_server_stop(struct sim_server *s);
void sim_server_destroy(struct sim_server *s);

/* Run one accepted connection to its end (called on its own thread);
 * closes fd.  tls: the connection came in on the TLS port. */
void sim_conn_serve(struct sim_server *s, int fd, bool tls, const char *peer);

#endif
