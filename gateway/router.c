/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include "imsgw/core.h"
#include "router.h"

static void healthz(const struct igw_router *r, const struct igw_http_request *req,
                    struct igw_http_response *resp)
{
	resp->status = 200;
	resp->content_type = "application/json";
	igw_buf_printf(&resp->body, "{\"status\":\"ok\",\"version\":\"%s\",\"uptime_s\":%lld}\n",
	               r->version, (long long)((igw_wall_ms() - r->started_wall_ms) / 1000));
}

void igw_router_handle(void *ctx, const struct igw_http_request *req,
                       struct igw_http_response *resp)
{
	const struct igw_router *r = ctx;
	if (strcmp(req->path, "/healthz") == 0) {
		if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
			healthz(r, req, resp);
		else
			igw_http_error(resp, "GW-METHOD", req->reqid);
	} else {
		igw_http_error(resp, "GW-NOT-FOUND", req->reqid);
	}
}
