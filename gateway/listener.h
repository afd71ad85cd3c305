/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTPS listener: libmicrohttpd over TLS 1.2/1.3 with mutual authentication.
 *
 * A listener accepts connections on one address/port, runs the TLS handshake
 * (client certificate required, optional or not requested, verified against
 * the listener's CA file during the handshake: unknown issuer, expired or
 * not-yet-valid certificates fail the handshake), reads the request body into
 * a bounded buffer (max-body; 413 beyond it), and calls the request handler
 * once per complete request with the verified client subject.
 *
 * Threads: the handler runs on one of the listener's worker threads and may be
 * called concurrently; it must not block for long (later parts suspend the
 * connection while IMS works).
 */
#ifndef IMSGW_LISTENER_H
#define IMSGW_LISTENER_H

#include <stddef.h>
#include <stdint.h>
#include "imsgw/buf.h"
#include "imsgw/limits.h"
#include "server_config.h"

/* What TLS established about the peer; valid for the request's lifetime. */
struct igw_client_identity {
	int has_cert;			/* a certificate was presented and verified */
	char subject[IGW_SUBJECT_MAX];	/* RFC 4514 subject DN, "" if none */
	char issuer[IGW_SUBJECT_MAX];	/* RFC 4514 issuer DN, "" if none */
	char fingerprint[72];		/* "sha256:" + 64 hex of the DER, "" if none */
};

struct igw_http_request {
	const char *reqid;		/* request id, also sent as X-Request-Id */
	const char *listener;		/* listener name */
	const char *method;
	const char *path;
	const char *content_type;	/* NULL if absent */
	const char *soap_action;	/* SOAPAction header, NULL if absent */
	const char *host;		/* Host header, NULL if absent */
	const char *traceparent;	/* W3C traceparent header, NULL if absent */
	int query_wsdl;			/* the URL carried ?wsdl (any case) */
	const struct igw_client_identity *client;
	const uint8_t *body;		/* NUL-terminated, body_len bytes */
	size_t body_len;
};

/* The handler fills status, content_type (static string) and body (initialised
 * with the listener's response ceiling).  An optional reason code (static
 * string) is sent as X-Imsgw-Reason and logged. */
struct igw_http_response {
	unsigned status;
	const char *content_type;
	const char *reason;
	struct igw_buf body;
};

typedef void (*igw_http_handler_fn)(void *ctx, const struct igw_http_request *req,
                                    struct igw_http_response *resp);

/*
 * Deferred answers.  A handler that must wait (IMS) calls igw_http_defer()
 * and returns at once; the listener suspends the connection, which then
 * costs no thread.  Whoever finishes the work fills *resp (the same pointers
 * the handler got stay valid until then) and calls igw_http_resume() exactly
 * once, from any thread; the listener then sends the answer.
 */
struct igw_http_deferred;
struct igw_http_deferred *igw_http_defer(const struct igw_http_request *req,
                                         struct igw_http_response *resp);
void igw_http_resume(struct igw_http_deferred *d);

struct igw_listener;

/* Start serving conf (which must outlive the listener).  IGW_ETLS if the
 * certificate/key cannot be used, IGW_EIO if the port cannot be bound. */
int igw_listener_start(const struct igw_listener_conf *conf, igw_http_handler_fn handler,
                       void *handler_ctx, struct igw_listener **out);
/* Stop accepting new connections (close the listening socket). */
void igw_listener_quiesce(struct igw_listener *l);
/* Finish and stop: waits for the worker threads; frees l.  NULL is fine. */
void igw_listener_stop(struct igw_listener *l);
/* The port actually bound (useful with port 0 in tests). */
unsigned igw_listener_port(const struct igw_listener *l);

/* Fill a JSON error body {"reason":..,"text":..,"request":..} for reason code. */
void igw_http_error(struct igw_http_response *resp, const char *reason, const char *reqid);

#endif
