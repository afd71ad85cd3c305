/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Request routing: maps a request to the handler that answers it.
 * Built-in routes: GET /healthz.  Service routes (SOAP endpoints, WSDL) are
 * added by the provider path.  Anything else: 404 GW-NOT-FOUND.
 */
#ifndef IMSGW_ROUTER_H
#define IMSGW_ROUTER_H

#include "listener.h"

struct igw_router {
	const char *version;		/* reported by /healthz */
	int64_t started_wall_ms;
};

/* igw_http_handler_fn; ctx is a struct igw_router. */
void igw_router_handle(void *ctx, const struct igw_http_request *req,
                       struct igw_http_response *resp);

#endif
