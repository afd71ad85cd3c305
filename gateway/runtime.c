/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "runtime.h"
#include "callout.h"
#include "site.h"

struct igw_runtime {
	pthread_mutex_t lock;		/* current */
	pthread_mutex_t reload_lock;	/* one reload at a time */
	struct igw_provider *current;
	struct igw_callout_engine *callouts;	/* of current */
	struct igw_workers *workers;
	char *bundles_dir;
	unsigned long reloads, failed;
};

int igw_runtime_new(struct igw_provider *provider, const char *bundles_dir, unsigned workers,
                    enum igw_worker_sched sched, struct igw_runtime **out)
{
	int rc = IGW_OK;
	struct igw_runtime *rt = calloc(1, sizeof(*rt));
	*out = NULL;
	if (!rt) {
		rc = IGW_ENOMEM;
	} else {
		pthread_mutex_init(&rt->lock, NULL);
		pthread_mutex_init(&rt->reload_lock, NULL);
		rt->current = provider;
		rt->bundles_dir = bundles_dir ? strdup(bundles_dir) : NULL;
		rc = igw_workers_start(workers, IGW_PROVIDER_QUEUE_MAX, sched, &rt->workers);
		if (rc == IGW_OK && provider)
			rc = igw_callout_engine_start(provider, &rt->callouts);
		if (rc == IGW_OK) {
			*out = rt;
		} else {
			rt->current = NULL;	/* stays the caller's on failure */
			igw_runtime_free(rt);
		}
	}
	return rc;
}

struct igw_provider *igw_runtime_acquire(struct igw_runtime *rt)
{
	pthread_mutex_lock(&rt->lock);
	struct igw_provider *p = rt->current;
	if (p)
		igw_provider_ref(p);
	pthread_mutex_unlock(&rt->lock);
	return p;
}

struct igw_workers *igw_runtime_workers(struct igw_runtime *rt)
{
	return rt->workers;
}

static void log_error(void *ctx, const char *msg)
{
	(void)ctx;
	igw_log_error(NULL, "reload: %s", msg);
}

int igw_runtime_reload(struct igw_runtime *rt)
{
	struct igw_conf_errors e = { rt->bundles_dir, 0, log_error, NULL };
	struct igw_site *site = NULL;
	struct igw_provider *p = NULL, *old = NULL;
	struct igw_callout_engine *ce = NULL, *old_ce = NULL;
	int rc = IGW_ECONFIG;
	int64_t t0 = igw_mono_ms();

	pthread_mutex_lock(&rt->reload_lock);
	if (!rt->bundles_dir) {
		igw_log_error(NULL, "reload: no bundles folder configured");
	} else if (igw_site_load(rt->bundles_dir, &e, &site) != IGW_OK) {
		igw_log_error(NULL, "reload: %u problem%s; keeping the running configuration",
		              e.count, e.count == 1 ? "" : "s");
	} else if (igw_provider_new(site, &p) != IGW_OK) {
		igw_site_free(site);
		igw_log_error(NULL, "reload: cannot prepare the new configuration; keeping the running one");
	} else if (igw_callout_engine_start(p, &ce) != IGW_OK) {
		igw_provider_unref(p);
		igw_log_error(NULL, "reload: cannot start the callout pollers; keeping the running "
		              "configuration");
	} else {
		pthread_mutex_lock(&rt->lock);
		old = rt->current;
		old_ce = rt->callouts;
		rt->current = p;
		rt->callouts = ce;
		pthread_mutex_unlock(&rt->lock);
		/* the old pollers finish the message each holds, then end */
		igw_callout_engine_stop(old_ce, 0);
		igw_provider_unref(old);	/* freed when its last request ends */
		rc = IGW_OK;
		igw_log_info(NULL, "reload: %u bundle%s, %u service%s in %lld ms",
		             site->bundles.count, site->bundles.count == 1 ? "" : "s",
		             site->services.count, site->services.count == 1 ? "" : "s",
		             (long long)(igw_mono_ms() - t0));
	}
	pthread_mutex_lock(&rt->lock);
	if (rc == IGW_OK)
		rt->reloads++;
	else
		rt->failed++;
	pthread_mutex_unlock(&rt->lock);
	pthread_mutex_unlock(&rt->reload_lock);
	return rc;
}

void igw_runtime_counters(struct igw_runtime *rt, unsigned long *reloads, unsigned long *failed)
{
	pthread_mutex_lock(&rt->lock);
	*reloads = rt->reloads;
	*failed = rt->failed;
	pthread_mutex_unlock(&rt->lock);
}

void igw_runtime_drain(struct igw_runtime *rt)
{
	if (rt) {
		pthread_mutex_lock(&rt->lock);
		struct igw_callout_engine *ce = rt->callouts;
		rt->callouts = NULL;
		pthread_mutex_unlock(&rt->lock);
		igw_callout_engine_stop(ce, 1);	/* finish in-flight callouts */
	}
	if (rt && rt->workers)
		igw_workers_drain(rt->workers);
}

void igw_runtime_free(struct igw_runtime *rt)
{
	if (rt) {
		igw_callout_engine_stop(rt->callouts, 1);
		igw_workers_free(rt->workers);
		igw_provider_unref(rt->current);
		pthread_mutex_destroy(&rt->lock);
		pthread_mutex_destroy(&rt->reload_lock);
		free(rt->bundles_dir);
		free(rt);
	}
}
