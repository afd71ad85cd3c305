/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Outbound SOAP over HTTP(S) with gSOAP: the transport of callouts.
 *
 * One client per target and thread: it keeps its connection alive between
 * posts and holds the target's TLS material (loaded once, when the client is
 * made): the client keystore (private key + certificate in one PEM file, or a
 * PKCS#12 file, for targets that ask for a client certificate), the truststore the target's
 * certificate must chain to, host name verification (on by default), TLS 1.2+.
 * HTTP basic authentication when a user is configured.  One timeout bounds
 * connect, send and receive each.  The response body is bounded.
 *
 * Ownership: the target's strings must outlive the client (they come from the
 * loaded configuration).  A client is used by one thread at a time.
 */
#ifndef IMSGW_OUTBOUND_H
#define IMSGW_OUTBOUND_H

#include <stddef.h>
#include "imsgw/buf.h"

struct igw_out_target {
	const char *url;		/* http:// or https:// endpoint */
	const char *soap_action;	/* SOAPAction (1.1) / action (1.2); may be NULL */
	int soap_version;		/* 11 (text/xml) or 12 (application/soap+xml) */
	unsigned timeout_ms;		/* 0: IGW_OUT_TIMEOUT_MS_DEFAULT */
	const char *user;		/* HTTP basic authentication; NULL: none */
	const char *password;		/* SECRET */
	const char *keystore_pem;	/* client key + certificate (PEM); NULL: none */
	const char *keystore_p12;	/* or: PKCS#12 keystore (key + certificate) */
	const char *keystore_password;	/* of an encrypted PEM key or the PKCS#12 */
	const char *truststore_pem;	/* CA certificates (PEM); NULL: system default */
	int no_verify_host;		/* tests only: skip the host name check */
	size_t max_response;		/* 0: IGW_OUT_RESPONSE_MAX */
};

struct igw_out_client;

/* IGW_OK; IGW_ETLS when the TLS material cannot be loaded; IGW_ENOMEM. */
int igw_out_client_new(const struct igw_out_target *t, struct igw_out_client **out);
/* POST env[0..len) and read the answer: *status is the HTTP status and the
 * body is appended to out.  Returns IGW_OK whenever an HTTP answer arrived
 * (whatever its status); IGW_ECONNECT, IGW_ETLS, IGW_ETIMEOUT, IGW_ECLOSED,
 * IGW_ELIMIT (answer larger than max_response) or IGW_EPROTO otherwise. */
int igw_out_post(struct igw_out_client *c, const void *env, size_t len, int *status,
                 struct igw_buf *out);
/* Same, to url instead of the target's (same TLS material, credentials,
 * timeout); url NULL = the target's. */
int igw_out_post_to(struct igw_out_client *c, const char *url, const void *env, size_t len,
                    int *status, struct igw_buf *out);
void igw_out_client_free(struct igw_out_client *c);

#endif
