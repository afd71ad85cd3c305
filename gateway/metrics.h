/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Request metrics in Prometheus text format (GET /metrics).
 *
 * Counters per (service, outcome reason) and a latency histogram per
 * service, in a fixed table of IGW_METRICS_SERIES_MAX series: the label
 * space is bounded (configured service names and reason codes of the
 * table); anything beyond the table is counted under service "other".
 * Thread-safe; recording costs one mutex round trip.
 */
#ifndef IMSGW_METRICS_H
#define IMSGW_METRICS_H

#include <stdint.h>
#include "imsgw/buf.h"

/* service and reason must be strings that live as long as the process
 * (reason codes of the table) or are copied (service names are copied). */
void igw_metrics_record(const char *service, const char *reason, int64_t latency_ms);
/* One WS-Security verification and the time it took (ns, CLOCK_MONOTONIC
 * around igw_wss_verify on the serving thread).  kind: IGW_METRICS_WSS_*
 * (lock-free: a counter, a sum and a histogram of 24 buckets per kind). */
#define IGW_METRICS_WSS_NONE 0u		/* policy none / no identity */
#define IGW_METRICS_WSS_UT 1u
#define IGW_METRICS_WSS_SAML 2u
#define IGW_METRICS_WSS_CERT 3u
#define IGW_METRICS_WSS_REJECTED 4u
#define IGW_METRICS_WSS_KINDS 5u
void igw_metrics_wss(unsigned kind, int64_t ns);
/* Append every metric to out. */
int igw_metrics_render(struct igw_buf *out);

#endif
