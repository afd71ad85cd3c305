/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The callout engine: IMS programs call external web services.
 *
 * For every tpipe of every <callout> service, `workers` threads each hold
 * one IMS Connect session and pull messages with RESUME TPIPE (the
 * configured option; SYNONLY, SYNASYN or plain for async).  A message is
 * decoded with the request copybook into the SOAP request, WS-Security is
 * attached if configured, and the target is called over HTTPS (gSOAP, one
 * keep-alive client per thread, TLS material loaded once).
 *
 *  synchronous (ICAL, correlation token): the request is ACKed, the target
 *    called, and the answer (response copybook) sent back with the 40-byte
 *    token through the bundle's connection pool ('L' with ACK or 'M'); any
 *    failure sends an error response whose code is one of the status codes
 *    of IMS SOAP Gateway (1001-1015, igw_callout_status_table), so the IMS
 *    program never waits for its ICAL timeout.
 *  asynchronous: at least once.  ACKed only after a 2xx answer; otherwise
 *    NAKed (IMS keeps it on the hold queue) and the service backs off
 *    (backoffMs doubling to backoffMaxMs) before pulling again.  After
 *    maxAttempts failures the message goes to the dead-letter folder
 *    (fsync'ed) and only then is ACKed.
 *
 * In-flight external calls per callout service are bounded (inFlight).  An
 * engine belongs to one provider (configuration generation): a reload starts
 * the new generation's engine and stops the old one, which finishes the
 * message each worker holds (ACK or NAK) before its threads end.
 */
#ifndef IMSGW_CALLOUT_H
#define IMSGW_CALLOUT_H

#include <stdint.h>
#include <stdio.h>
#include "imsgw/buf.h"
#include "callout_conf.h"
#include "outbound.h"
#include "provider.h"

/* Outcome of one delivery, with its IMS SOAP Gateway status code. */
struct igw_co_status {
	const char *outcome;		/* "CO-OK", "CO-NETWORK", ... */
	unsigned code;			/* status code for IMS (0 for CO-OK) */
	const char *text;		/* documentation */
	int retry;			/* async: worth another attempt */
	int counts;			/* async: the attempt counts towards maxAttempts */
};
const struct igw_co_status *igw_callout_status_table(unsigned *n);

/*
 * Deliver one callout message to c's target: decode msg with the request
 * layout, wrap it (WS-Security for user if configured), POST it with http
 * (a client made from c->target) to url (NULL: the target's), check the
 * answer and, if want_reply, encode the response element into reply.  parse is a policy used only to
 * parse the answer safely (igw_callout_parse_policy).  Returns the status
 * (never NULL); *http_status gets the HTTP status (0 if none).
 */
const struct igw_co_status *igw_callout_deliver(const struct igw_callout *c,
                                                struct igw_out_client *http,
                                                const struct igw_wss_policy *parse,
                                                const uint8_t *msg, size_t len,
                                                const char *user, const char *url,
                                                int want_reply, struct igw_buf *reply,
                                                int *http_status);
/* ICAL control data d[0..n) (CTLDAT content: items of a 4-byte length, of
 * the item excluding itself, then <TAG>value</TAG> in the callout's code
 * page).  Sets url to the <DFSENDPOINTURL> value (or "" when absent) and
 * returns NULL, or the status to answer: malformed (1012), empty URL (1013),
 * URL outside c's endpointOverride prefixes (1015). */
const struct igw_co_status *igw_callout_control_endpoint(const struct igw_callout *c,
                                                         const uint8_t *d, size_t n,
                                                         char *url, size_t urlmax);
/* A policy that accepts an envelope without WS-Security (for answers). */
int igw_callout_parse_policy(struct igw_wss_policy **out);

struct igw_callout_engine;

/* Start the pollers of every callout of p's site (takes a reference on p).
 * A site without callouts gives an engine with no threads. */
int igw_callout_engine_start(struct igw_provider *p, struct igw_callout_engine **out);
/* Stop polling; each worker finishes the message it holds.  wait: return
 * when every thread ended and the engine is freed; otherwise a background
 * thread does that (reload). */
void igw_callout_engine_stop(struct igw_callout_engine *e, int wait);
/* Dead letters of every callout of site: redrive NULL lists them (one line
 * each, tab-separated, to out); redrive "all" or a file name delivers them
 * again and removes each one the target accepted (2xx).  IGW_OK when every
 * one listed/delivered; IGW_EIO if some failed; IGW_ENOTFOUND if the named
 * file does not exist. */
int igw_callout_dead_letters(const struct igw_site *site, const char *redrive, FILE *out);
/* Prometheus text of the callout counters (process-wide). */
int igw_callout_metrics(struct igw_buf *out);

#endif
