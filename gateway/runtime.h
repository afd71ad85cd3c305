/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The running gateway's replaceable state: the current provider (services,
 * bundles, IMS Connect pools) and the workers that serve SOAP requests.
 *
 * Reload (SIGHUP or POST /admin/reload) reads and validates the whole
 * bundles folder again and, if it is valid, swaps the provider pointer
 * atomically: requests already running finish on the provider they started
 * with (reference counted), new requests see the new one.  A reload that
 * fails keeps the running configuration and logs every problem as
 * file:line: reason.
 */
#ifndef IMSGW_RUNTIME_H
#define IMSGW_RUNTIME_H

#include "provider.h"
#include "workers.h"

struct igw_runtime;

/* provider: the initial one (ownership taken; may be NULL when no bundles
 * folder is configured).  bundles_dir is copied. */
int igw_runtime_new(struct igw_provider *provider, const char *bundles_dir, unsigned workers,
                    enum igw_worker_sched sched, struct igw_runtime **out);
/* The current provider with a reference (release with igw_provider_unref);
 * NULL when none. */
struct igw_provider *igw_runtime_acquire(struct igw_runtime *rt);
struct igw_workers *igw_runtime_workers(struct igw_runtime *rt);
/* Reload the bundles folder.  IGW_OK (swapped) or IGW_ECONFIG (kept). */
int igw_runtime_reload(struct igw_runtime *rt);
void igw_runtime_counters(struct igw_runtime *rt, unsigned long *reloads, unsigned long *failed);
/* Refuse new SOAP requests and finish the running ones. */
void igw_runtime_drain(struct igw_runtime *rt);
void igw_runtime_free(struct igw_runtime *rt);

#endif
