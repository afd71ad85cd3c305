/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dead-letter commands: list the dead letters of every callout service, and
 * deliver them again (re-drive). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "imsgw/core.h"
#include "callout.h"
#include "deadletter.h"

struct dl_walk {
	const struct igw_site *site;
	const struct igw_callout *c;
	const char *which;		/* file name or "all" (re-drive) */
	FILE *out;
	int redrive;
	unsigned seen, delivered, failed;
	struct igw_out_client *http;
	struct igw_wss_policy *parse;
};

static int one(void *arg, const char *dir, const char *name)
{
	struct dl_walk *w = arg;
	struct igw_dl_entry en;
	char path[IGW_PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (w->redrive && strcmp(w->which, "all") != 0 && strcmp(w->which, name) != 0)
		return 0;
	int rc = igw_dl_read(path, &en);
	if (rc != IGW_OK) {
		fprintf(w->out, "%s: not a readable dead letter (%s)\n", path, igw_strerror(rc));
		w->failed++;
		return 0;
	}
	w->seen++;
	if (!w->redrive) {
		fprintf(w->out, "%s\t%s\t%s\t%u\t%s\t%s\t%zu\n", name, en.callout, en.tpipe,
		        en.attempts, en.reason, en.time, en.data.len);
	} else if (strcmp(en.callout, w->c->name) != 0) {
		fprintf(w->out, "%s: written by callout '%s', not '%s'; skipped\n", name, en.callout,
		        w->c->name);
		w->failed++;
	} else {
		int http_status = 0;
		struct igw_buf reply;
		igw_buf_init(&reply, IGW_CALLOUT_MSG_MAX);
		const struct igw_co_status *st = igw_callout_deliver(w->c, w->http, w->parse,
		                                                     en.data.data, en.data.len,
		                                                     w->c->bundle->user, NULL, 0,
		                                                     &reply, &http_status);
		if (st->code == 0 && unlink(path) == 0) {
			fprintf(w->out, "%s: delivered (HTTP %d); removed\n", name, http_status);
			w->delivered++;
		} else {
			fprintf(w->out, "%s: %s (status %u, HTTP %d); kept\n", name, st->outcome,
			        st->code, http_status);
			w->failed++;
		}
		igw_buf_free(&reply);
	}
	igw_dl_entry_free(&en);
	return 0;
}

int igw_callout_dead_letters(const struct igw_site *site, const char *redrive, FILE *out)
{
	struct dl_walk w;
	int rc = IGW_OK;
	memset(&w, 0, sizeof(w));
	w.site = site;
	w.out = out;
	w.redrive = redrive != NULL;
	w.which = redrive;
	if (!w.redrive)
		fprintf(out, "file\tcallout\ttpipe\tattempts\treason\ttime\tbytes\n");
	for (unsigned i = 0; site && i < site->callouts.count; i++) {
		w.c = &site->callouts.callouts[i];
		if (!w.c->dead_dir)
			continue;
		if (w.redrive) {
			if (igw_out_client_new(&w.c->target, &w.http) != IGW_OK ||
			    igw_callout_parse_policy(&w.parse) != IGW_OK) {
				fprintf(out, "callout %s: cannot prepare the target client\n", w.c->name);
				rc = IGW_ETLS;
			}
		}
		if (rc == IGW_OK && igw_dl_each(w.c->dead_dir, one, &w) != IGW_OK) {
			fprintf(out, "callout %s: cannot read %s\n", w.c->name, w.c->dead_dir);
			rc = IGW_EIO;
		}
		igw_out_client_free(w.http);
		igw_wss_policy_free(w.parse);
		w.http = NULL;
		w.parse = NULL;
	}
	if (w.redrive)
		fprintf(out, "%u delivered, %u failed\n", w.delivered, w.failed);
	if (rc == IGW_OK && w.failed)
		rc = IGW_EIO;
	if (rc == IGW_OK && w.redrive && w.seen == 0 && strcmp(redrive, "all") != 0)
		rc = IGW_ENOTFOUND;
	return rc;
}
