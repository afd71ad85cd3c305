/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IMS commands answered by the simulator: /DISPLAY TRANSACTION, /DISPLAY
 * TMEMBER ... TPIPE (hold-queue depths). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "sim_conn.h"
#include "sim_txn.h"

/* Test control (subject to command security like every command):
 *   /SIM DATASTORE id UP|DOWN
 *   /SIM FAULT tran NONE|CLOSE|TRUNCATE|BAD_LENGTH   /SIM FAULT tran RSM rc rsn
 *   /SIM DELAY tran ms                                                      */
static void sim_control(struct sim_conn *c, const char *text, struct igw_buf *b)
{
	char what[16] = "", name[16] = "", arg[16] = "", line[160];
	unsigned x = 0, y = 0;
	int rc = IGW_EINVAL;
	int n = sscanf(text, "/SIM %15s %15s %15s %u %u", what, name, arg, &x, &y);
	struct sim_world *w = &c->srv->world;
	const struct sim_txn *t = n >= 2 ? sim_config_txn(c->cfg, name) : NULL;
	struct sim_txn_hooks h;
	if (t)
		sim_world_txn_hooks(w, t, &h);
	if (n >= 3 && !strcmp(what, "DATASTORE") && (!strcmp(arg, "UP") || !strcmp(arg, "DOWN"))) {
		rc = sim_world_set_ds(w, name, !strcmp(arg, "UP"));
	} else if (n >= 3 && t && !strcmp(what, "FAULT")) {
		static const char *const kinds[] = { "NONE", "CLOSE", "TRUNCATE", "BAD_LENGTH", "RSM" };
		for (int k = 0; k < 5; k++)
			if (!strcmp(arg, kinds[k]) && (k != SIM_FAULT_RSM || n == 5)) {
				h.fault = (enum sim_fault)k;
				h.force_rc = x;
				h.force_rsn = y;
				rc = sim_world_set_hooks(w, name, &h);
			}
	} else if (n >= 3 && t && !strcmp(what, "DELAY")) {
		char *end = NULL;
		unsigned long ms = strtoul(arg, &end, 10);
		if (*arg && !*end && ms <= IGW_SIM_TIMEOUT_MS_MAX) {
			h.delay_ms = (unsigned)ms;
			rc = sim_world_set_hooks(w, name, &h);
		}
	}
	if (rc == IGW_OK) {
		igw_log_info(NULL, "%s: control: %.100s", c->peer, text);
		snprintf(line, sizeof(line), "SIM0001I %s %s %s DONE", what, name, arg);
	} else {
		snprintf(line, sizeof(line), "SIM0002E INVALID CONTROL COMMAND");
	}
	sim_seg_append_text(b, line);
}

/* /DISPLAY TRANSACTION name|ALL, /DISPLAY TMEMBER m TPIPE name|ALL. */
void sim_do_command(struct sim_conn *c, const char *text)
{
	struct igw_buf b;
	char line[160];
	char verb[16] = "", what[16] = "", a1[16] = "", a2[16] = "", a3[16] = "";
	int n = sscanf(text, "/%15s %15s %15s %15s %15s", verb, what, a1, a2, a3);
	if (igw_buf_init(&b, IGW_SIM_SEGMENT_MAX * 4u) != IGW_OK)
		return;
	bool dis = n >= 2 && (!strcmp(verb, "DIS") || !strcmp(verb, "DISPLAY"));
	if (dis && (!strcmp(what, "TRAN") || !strcmp(what, "TRANSACTION"))) {
		bool all = n < 3 || !strcmp(a1, "ALL");
		sim_seg_append_text(&b, "     TRAN     HANDLER       DELAY  PERMITS");
		unsigned shown = 0;
		for (unsigned i = 0; i < c->cfg->ntxn; i++) {
			const struct sim_txn *t = &c->cfg->txn[i];
			static const char *const hn[] = { "IVTNO", "ECHO", "SLOW", "CALLSYNC", "CALLURL",
			                                  "CALLASYNC", "ABEND", "NOREPLY",
			                                  "CONVERSE" };
			_Static_assert(sizeof(hn) / sizeof(hn[0]) == SIM_H_CONVERSE + 1,
			               "handler names");
			if (!all && strcmp(a1, t->name) != 0)
				continue;
			snprintf(line, sizeof(line), "     %-8s %-12s %6u  %u", t->name,
			         hn[t->handler], t->delay_ms, t->npermit);
			sim_seg_append_text(&b, line);
			shown++;
		}
		if (!shown) {
			snprintf(line, sizeof(line), "     %-8s IS INVALID", a1);
			sim_seg_append_text(&b, line);
		}
		sim_seg_append_text(&b, "DFS000I DISPLAY COMMAND COMPLETE");
	} else if (dis && !strcmp(what, "TMEMBER") && n >= 4 && !strcmp(a2, "TPIPE")) {
		sim_seg_append_text(&b, "     MEMBER   TPIPE    HOLDQ SYNC");
		struct sim_world *w = &c->srv->world;
		bool all = n < 5 || !strcmp(a3, "ALL");
		pthread_mutex_lock(&w->mu);
		for (struct sim_tpipe *t = w->tpipes; t; t = t->next) {
			if (!all && strcmp(a3, t->name) != 0)
				continue;
			snprintf(line, sizeof(line), "     %-8s %-8s %5u %4u", c->cfg->member,
			         t->name, sim_otma_depth_locked(w, t->name, SIM_TAKE_ASYNC),
			         sim_otma_depth_locked(w, t->name, SIM_TAKE_SYNC));
			sim_seg_append_text(&b, line);
		}
		pthread_mutex_unlock(&w->mu);
		sim_seg_append_text(&b, "DFS000I DISPLAY COMMAND COMPLETE");
	} else if (n >= 2 && !strcmp(verb, "SIM")) {
		sim_control(c, text, &b);
	} else {
		sim_seg_append_text(&b, "DFS2133I COMMAND NOT SUPPORTED BY IMSCONNECT-SIM");
	}
	sim_reply_data(c, b.data, b.len, 0);
	igw_buf_free(&b);
}
