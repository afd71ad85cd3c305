/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include "imsgw/core.h"
#include "router.h"
#include "provider.h"
#include "runtime.h"
#include "metrics.h"
#include "callout.h"
#include "workers.h"

static void healthz(const struct igw_router *r, const struct igw_http_request *req,
                    struct igw_http_response *resp)
{
	resp->status = 200;
	resp->content_type = "application/json";
	igw_buf_printf(&resp->body, "{\"status\":\"ok\",\"version\":\"%s\",\"uptime_s\":%lld}\n",
	               r->version, (long long)((igw_wall_ms() - r->started_wall_ms) / 1000));
}

static void metrics(const struct igw_router *r, const struct igw_http_request *req,
                    struct igw_http_response *resp)
{
	unsigned long reloads = 0, failed = 0;
	if (strcmp(req->method, "GET") != 0) {
		igw_http_error(resp, "GW-METHOD", req->reqid);
	} else {
		struct igw_provider *p = r->rt ? igw_runtime_acquire(r->rt) : NULL;
		resp->status = 200;
		resp->content_type = "text/plain; version=0.0.4";
		igw_metrics_render(&resp->body);
		if (r->rt) {
			igw_runtime_counters(r->rt, &reloads, &failed);
			igw_buf_printf(&resp->body,
				"# HELP imsgw_reloads_total Configuration reloads.\n"
				"# TYPE imsgw_reloads_total counter\n"
				"imsgw_reloads_total{result=\"ok\"} %lu\nimsgw_reloads_total{result=\"failed\"} %lu\n"
				"# HELP imsgw_work_queue Requests queued or running on the IMS workers.\n"
				"# TYPE imsgw_work_queue gauge\nimsgw_work_queue %u\n",
				reloads, failed, igw_workers_load(igw_runtime_workers(r->rt)));
		}
		if (p)
			igw_provider_metrics(p, &resp->body);
		igw_callout_metrics(&resp->body);
		igw_provider_unref(p);
	}
}

static void admin_reload(const struct igw_router *r, const struct igw_http_request *req,
                         struct igw_http_response *resp)
{
	if (!r->admin_subject || !r->rt) {
		igw_http_error(resp, "GW-NOT-FOUND", req->reqid);
	} else if (!req->client->has_cert || strcmp(req->client->subject, r->admin_subject) != 0) {
		igw_log_warn(req->reqid, "admin: reload refused for \"%s\"",
		             req->client->has_cert ? req->client->subject : "-");
		igw_http_error(resp, "GW-FORBIDDEN", req->reqid);
	} else if (strcmp(req->method, "POST") != 0) {
		igw_http_error(resp, "GW-METHOD", req->reqid);
	} else {
		int rc = igw_runtime_reload(r->rt);
		resp->status = rc == IGW_OK ? 200 : 422;
		resp->content_type = "application/json";
		igw_buf_printf(&resp->body, "{\"reload\":\"%s\",\"request\":\"%s\"}\n",
		               rc == IGW_OK ? "ok" : "failed; running configuration kept (see log)",
		               req->reqid);
	}
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
	} else if (strcmp(req->path, "/metrics") == 0) {
		metrics(r, req, resp);
	} else if (strcmp(req->path, "/admin/reload") == 0) {
		admin_reload(r, req, resp);
	} else {
		struct igw_provider *p = r->rt ? igw_runtime_acquire(r->rt) : NULL;
		if (p && igw_provider_owns(p, req->path))
			igw_provider_handle(p, igw_runtime_workers(r->rt), req, resp);
		else
			igw_http_error(resp, "GW-NOT-FOUND", req->reqid);
		igw_provider_unref(p);
	}
}
