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
/* Append every metric to out. */
int igw_metrics_render(struct igw_buf *out);

#endif
