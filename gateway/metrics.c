/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "imsgw/core.h"
#include "metrics.h"

#define IGW_METRICS_SERIES_MAX 512u
#define IGW_METRICS_SERVICES_MAX 128u
#define NAME_MAX_ 64

static const double buckets_ms[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
#define NBUCKETS (sizeof(buckets_ms) / sizeof(buckets_ms[0]))

struct series { char service[NAME_MAX_]; const char *reason; unsigned long count; };
struct hist { char service[NAME_MAX_]; unsigned long b[NBUCKETS]; unsigned long count; double sum_ms; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct series series[IGW_METRICS_SERIES_MAX];
static unsigned nseries;
static struct hist hists[IGW_METRICS_SERVICES_MAX];
static unsigned nhists;

/* WS-Security verification time by outcome: lock-free counters and a
 * fine histogram (microseconds; the engine alone takes 3-40 us). */
static const char *const wss_kinds[IGW_METRICS_WSS_KINDS] = {
	"none", "usernametoken", "saml", "cert", "rejected"
};
static const unsigned wss_le_us[] = {
	2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 35, 40, 50, 60, 80, 100, 150, 200, 500, 1000, 10000
};
#define WSS_NB (sizeof(wss_le_us) / sizeof(wss_le_us[0]))
static _Atomic unsigned long wss_count[IGW_METRICS_WSS_KINDS];
static _Atomic unsigned long long wss_ns[IGW_METRICS_WSS_KINDS];
static _Atomic unsigned long wss_bucket[IGW_METRICS_WSS_KINDS][WSS_NB];	/* not cumulative */

void igw_metrics_wss(unsigned kind, int64_t ns)
{
	if (kind < IGW_METRICS_WSS_KINDS && ns >= 0) {
		unsigned b = 0;
		while (b < WSS_NB && (uint64_t)ns > (uint64_t)wss_le_us[b] * 1000u)
			b++;
		atomic_fetch_add_explicit(&wss_count[kind], 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&wss_ns[kind], (unsigned long long)ns, memory_order_relaxed);
		if (b < WSS_NB)
			atomic_fetch_add_explicit(&wss_bucket[kind][b], 1, memory_order_relaxed);
	}
}

static int render_wss(struct igw_buf *out)
{
	int rc = igw_buf_append_str(out,
		"# HELP imsgw_wss_verifications_total WS-Security verifications by identity kind "
		"(rejected: refused by the policy).\n"
		"# TYPE imsgw_wss_verifications_total counter\n"
		"# HELP imsgw_wss_verify_seconds Time from envelope bytes to verdict in igw_wss_verify "
		"(monotonic clock on the listener thread), by identity kind.\n"
		"# TYPE imsgw_wss_verify_seconds histogram\n");
	for (unsigned k = 0; k < IGW_METRICS_WSS_KINDS && rc == IGW_OK; k++) {
		unsigned long n = atomic_load(&wss_count[k]), cum = 0;
		rc = igw_buf_printf(out, "imsgw_wss_verifications_total{kind=\"%s\"} %lu\n", wss_kinds[k], n);
		for (unsigned b = 0; b < WSS_NB && rc == IGW_OK; b++) {
			cum += atomic_load(&wss_bucket[k][b]);
			rc = igw_buf_printf(out, "imsgw_wss_verify_seconds_bucket{kind=\"%s\",le=\"%g\"} %lu\n",
			                    wss_kinds[k], wss_le_us[b] / 1e6, cum);
		}
		if (rc == IGW_OK)
			rc = igw_buf_printf(out,
				"imsgw_wss_verify_seconds_bucket{kind=\"%s\",le=\"+Inf\"} %lu\n"
				"imsgw_wss_verify_seconds_sum{kind=\"%s\"} %.9f\n"
				"imsgw_wss_verify_seconds_count{kind=\"%s\"} %lu\n",
				wss_kinds[k], n, wss_kinds[k], (double)atomic_load(&wss_ns[k]) / 1e9,
				wss_kinds[k], n);
	}
	return rc;
}

void igw_metrics_record(const char *service, const char *reason, int64_t latency_ms)
{
	const struct igw_reason *r = igw_reason_find(reason);
	const char *code = r ? r->code : "GW-INTERNAL";	/* static strings only */
	unsigned i;
	pthread_mutex_lock(&lock);
	for (i = 0; i < nseries; i++)
		if (series[i].reason == code && strcmp(series[i].service, service) == 0)
			break;
	if (i == nseries && nseries < IGW_METRICS_SERIES_MAX) {
		snprintf(series[i].service, NAME_MAX_, "%s", service);
		series[i].reason = code;
		nseries++;
	} else if (i == nseries) {
		for (i = 0; i < nseries && strcmp(series[i].service, "other") != 0; i++)
			;
		if (i == nseries)
			i = nseries - 1;	/* table full: the last row absorbs */
	}
	series[i].count++;
	for (i = 0; i < nhists && strcmp(hists[i].service, service) != 0; i++)
		;
	if (i == nhists && nhists < IGW_METRICS_SERVICES_MAX)
		snprintf(hists[nhists++].service, NAME_MAX_, "%s", service);
	else if (i == nhists)
		i = nhists - 1;
	for (unsigned b = 0; b < NBUCKETS; b++)
		if ((double)latency_ms <= buckets_ms[b])
			hists[i].b[b]++;
	hists[i].count++;
	hists[i].sum_ms += (double)latency_ms;
	pthread_mutex_unlock(&lock);
}

int igw_metrics_render(struct igw_buf *out)
{
	int rc = IGW_OK;
	pthread_mutex_lock(&lock);
	rc |= igw_buf_append_str(out, "# HELP imsgw_soap_requests_total SOAP requests by service and outcome reason.\n"
	                              "# TYPE imsgw_soap_requests_total counter\n");
	for (unsigned i = 0; i < nseries && rc == IGW_OK; i++)
		rc = igw_buf_printf(out, "imsgw_soap_requests_total{service=\"%s\",reason=\"%s\"} %lu\n",
		                    series[i].service, series[i].reason, series[i].count);
	if (rc == IGW_OK)
		rc = igw_buf_append_str(out, "# HELP imsgw_soap_request_duration_seconds SOAP request latency.\n"
		                             "# TYPE imsgw_soap_request_duration_seconds histogram\n");
	for (unsigned i = 0; i < nhists && rc == IGW_OK; i++) {
		for (unsigned b = 0; b < NBUCKETS && rc == IGW_OK; b++)
			rc = igw_buf_printf(out, "imsgw_soap_request_duration_seconds_bucket{service=\"%s\",le=\"%g\"} %lu\n",
			                    hists[i].service, buckets_ms[b] / 1000.0, hists[i].b[b]);
		if (rc == IGW_OK)
			rc = igw_buf_printf(out, "imsgw_soap_request_duration_seconds_bucket{service=\"%s\",le=\"+Inf\"} %lu\n"
			                    "imsgw_soap_request_duration_seconds_sum{service=\"%s\"} %.3f\n"
			                    "imsgw_soap_request_duration_seconds_count{service=\"%s\"} %lu\n",
			                    hists[i].service, hists[i].count, hists[i].service,
			                    hists[i].sum_ms / 1000.0, hists[i].service, hists[i].count);
	}
	pthread_mutex_unlock(&lock);
	if (rc == IGW_OK)
		rc = render_wss(out);
	return rc;
}
