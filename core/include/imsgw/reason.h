/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reason codes: what a client is told.
 *
 * A reason code is a stable public string (e.g. "GW-CLIENT-CERT") that the
 * gateway puts in a SOAP fault or an HTTP error body.  This file is the one
 * table mapping each reason to an HTTP status, a SOAP fault class (the sender
 * or the receiver is at fault) and a short public text.  Details of *why* go to
 * the log with the request id, never to the client.
 *
 * The prefix names the layer: GW- gateway/HTTP, WSS-/SAML- WS-Security,
 * IMSC- IMS Connect, IMS- IMS itself, CONV- data conversion.  Later parts add
 * their rows here so that the table stays the single place.
 */
#ifndef IMSGW_REASON_H
#define IMSGW_REASON_H

enum igw_fault_class {
	IGW_FAULT_CLIENT = 0,	/* SOAP 1.1 soap:Client, SOAP 1.2 env:Sender   */
	IGW_FAULT_SERVER = 1,	/* SOAP 1.1 soap:Server, SOAP 1.2 env:Receiver */
};

struct igw_reason {
	const char *code;		/* stable public reason code */
	int http_status;		/* HTTP status to answer with */
	enum igw_fault_class fault;	/* who is at fault */
	const char *text;		/* public text; no internals */
};

/* Row for a reason code, or NULL if the code is unknown. */
const struct igw_reason *igw_reason_find(const char *code);
/* Default reason for an igw_error code (e.g. IGW_ETIMEOUT -> "GW-TIMEOUT"). */
const struct igw_reason *igw_reason_for_error(int err);
/* Table access for tests and documentation generators. */
const struct igw_reason *igw_reason_table(unsigned *count);

#endif
