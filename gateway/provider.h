/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The provider path: a SOAP request to a configured service becomes an IMS
 * transaction through IMS Connect, and its output becomes the SOAP response
 * (or a SOAP fault with a stable reason code).
 *
 *   route (path) -> POST + SOAP content type -> WS-Security (one parse)
 *   -> operation (SOAPAction / action / body element) -> identity mapping
 *   -> copybook encode -> IMS Connect (pooled connection of the bundle, one
 *   total deadline) -> copybook decode -> SOAP response
 *
 * GET <path>?wsdl answers the service's WSDL, generated from its copybooks,
 * with soap:address pointing at the URL the client used.
 *
 * A provider owns one IMS Connect pool per bundle of its site; it is shared
 * by all listener threads.  A SOAP request is
 * deferred (its connection suspended) and served by a worker, so listener
 * threads never wait on IMS; when the work queue is full the answer is an
 * immediate 503 fault GW-OVERLOADED.
 */
#ifndef IMSGW_PROVIDER_H
#define IMSGW_PROVIDER_H

#include "listener.h"
#include "site.h"

struct igw_provider;
struct igw_workers;

/* Take ownership of site (also on failure? no: on failure site stays the
 * caller's) and prepare one IMS Connect pool per bundle.  The provider is
 * reference counted: it starts with one reference; the last unref frees it,
 * its pools and its site.  A deferred request holds a reference until it is
 * answered, so a provider replaced by a reload lives until its requests end. */
int igw_provider_new(struct igw_site *site, struct igw_provider **out);
void igw_provider_ref(struct igw_provider *p);
void igw_provider_unref(struct igw_provider *p);
const struct igw_site *igw_provider_site(const struct igw_provider *p);
/* The IMS Connect pool of bundle b (a bundle of this provider's site). */
struct imsc_pool *igw_provider_pool(const struct igw_provider *p, const struct igw_bundle *b);
/* Append the pool gauges of every bundle (Prometheus text) to out. */
int igw_provider_metrics(const struct igw_provider *p, struct igw_buf *out);
/* 1 if path belongs to a service (then the provider answers it). */
int igw_provider_owns(const struct igw_provider *p, const char *path);
/* Answer a request for one of the services.  SOAP requests are deferred
 * and run on workers; when the queue is full: 503 GW-OVERLOADED at once. */
void igw_provider_handle(struct igw_provider *p, struct igw_workers *workers,
                         const struct igw_http_request *req, struct igw_http_response *resp);

#endif
