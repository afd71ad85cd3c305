/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private: the connection object shared by conn.c, interact.c and pool.c. */
#ifndef IMSC_CONN_H
#define IMSC_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "imsconnect/client.h"
#include "io.h"

struct imsc_conn {
	struct imsc_endpoint ep;	/* strings borrowed from the owner      */
	SSL_CTX *ctx;			/* TLS context, NULL for plain          */
	bool own_ctx;
	struct imsc_io io;
	struct imsc_framer fr;
	char clientid[IMSC_NAME_BUF];
	bool generated;			/* clientid made by us                  */
	bool broken;
	bool ack_pending;
	unsigned requests;		/* requests sent on this socket         */
	/* the interaction an ACK/NAK/DEALLOCATE answers */
	char last_clientid[IMSC_NAME_BUF];
	uint8_t last_f2, last_f3, last_arch;
	int64_t last_used;		/* igw_mono_ms() of the last I/O        */
};

/* Open with a given TLS context (borrowed; may be NULL). */
int imsc_conn_open_ctx(const struct imsc_endpoint *ep, SSL_CTX *ctx,
                       const char *clientid, int64_t deadline, struct imsc_conn **out);
/* Close the socket and connect again, with a new generated client ID if
 * the current one was generated. */
int imsc_conn_reopen(struct imsc_conn *c, int64_t deadline);

#endif
