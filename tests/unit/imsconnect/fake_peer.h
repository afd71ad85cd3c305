/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A scripted in-process IMS Connect stand-in for client unit tests: listens
 * on 127.0.0.1 (ephemeral port), one thread per accepted connection, frames
 * and decodes each request with the codec, records it, and lets the test's
 * handler write the reply.
 */
#ifndef IMSC_FAKE_PEER_H
#define IMSC_FAKE_PEER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "imsgw/buf.h"
#include "imsconnect/codec.h"

#define PEER_MAX_REQ 64
#define PEER_MAX_CONN 32

struct peer_req {
	int conn;			/* connection number, 0-based         */
	struct imsc_irm irm;		/* ext pointers are not valid          */
	uint8_t data[256];		/* first bytes of the data             */
	size_t data_len;		/* full data length                    */
	bool llll_data;
};

struct peer;
/* Build the reply into out (leave it empty to send nothing).  Return 0 to
 * go on, 1 to close the connection after sending. */
typedef int (*peer_handler)(struct peer *p, const struct peer_req *r, struct igw_buf *out);

struct peer {
	int lfd;
	uint16_t port;
	peer_handler handler;
	void *ctx;			/* for the handler                     */
	pthread_t accept_th;
	pthread_t conn_th[PEER_MAX_CONN];
	int conn_fd[PEER_MAX_CONN];
	int nconn;
	pthread_mutex_t mu;
	struct peer_req reqs[PEER_MAX_REQ];
	int nreq;
	volatile int stop;
	int delay_ms;			/* before each reply                   */
};

int peer_start(struct peer *p, peer_handler h, void *ctx);
void peer_stop(struct peer *p);
int peer_count(struct peer *p);
struct peer_req peer_get(struct peer *p, int i);

/* Framing of the replies the helpers build (SAMPL1 unless a test says). */
extern enum imsc_exit peer_framing;

/* Reply helpers (peer_framing, EBCDIC IDs). */
void reply_data_csm(struct igw_buf *out, const char *text, uint8_t flg1, uint8_t prlvl);
void reply_rsm(struct igw_buf *out, uint32_t rc, uint32_t rsn);
void reply_csm(struct igw_buf *out, uint8_t flg1);

#endif
