/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Request routing: maps a request to the handler that answers it.
 * Built-in routes: GET /healthz; POST /admin/reload (only for the client
 * certificate subject named by admin-subject).  Service paths go to the
 * provider of the current configuration.  Anything else: 404 GW-NOT-FOUND.
 */
#ifndef IMSGW_ROUTER_H
#define IMSGW_ROUTER_H

#include "listener.h"

struct igw_runtime;

struct igw_router {
	const char *version;		/* reported by /healthz */
	int64_t started_wall_ms;
	struct igw_runtime *rt;		/* services (reloadable) and workers */
	const char *admin_subject;	/* client certificate subject allowed to
					 * use /admin/...; NULL: admin endpoints off */
};

/* igw_http_handler_fn; ctx is a struct igw_router. */
void igw_router_handle(void *ctx, const struct igw_http_request *req,
                       struct igw_http_response *resp);

#endif
