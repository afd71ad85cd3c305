/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sample igw_wss custom authentication module (ABI 1).
 *
 * module_arg: comma-separated user names to deny ("deny list"); an entry of
 * the form "service:NAME" denies every user of service NAME.  Everything else
 * is allowed.  Build: a MODULE library (igw_wss_sample_module.so).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "wss/wss.h"

struct state {
	char *list;	/* ",a,b,c," for cheap whole-word search */
};

/* Exported symbols: prototypes keep -Wmissing-prototypes quiet. */
int igw_wss_module_init(const char *arg, void **state);
int igw_wss_module_check(void *state, const struct igw_wss_module_facts *f, char *why, size_t whylen);
void igw_wss_module_fini(void *state);

int igw_wss_module_init(const char *arg, void **state)
{
	struct state *s = calloc(1, sizeof(*s));
	size_t n = arg ? strlen(arg) : 0;
	if (!s || !(s->list = malloc(n + 3))) {
		free(s);
		return 1;
	}
	s->list[0] = ',';
	if (n)
		memcpy(s->list + 1, arg, n);
	s->list[n + 1] = ',';
	s->list[n + 2] = '\0';
	*state = s;
	return 0;
}

static int listed(const struct state *s, const char *prefix, const char *name)
{
	char probe[512];
	int n = snprintf(probe, sizeof(probe), ",%s%s,", prefix, name ? name : "");
	return n > 0 && (size_t)n < sizeof(probe) && strstr(s->list, probe) != NULL;
}

int igw_wss_module_check(void *state, const struct igw_wss_module_facts *f, char *why, size_t whylen)
{
	const struct state *s = state;
	int deny = 0;
	if (f->abi != IGW_WSS_MODULE_ABI) {
		snprintf(why, whylen, "ABI %u not supported", f->abi);
		deny = 1;
	} else if (listed(s, "", f->user)) {
		snprintf(why, whylen, "user is on the deny list");
		deny = 1;
	} else if (listed(s, "service:", f->service)) {
		snprintf(why, whylen, "service closed to everyone");
		deny = 1;
	}
	return deny;
}

void igw_wss_module_fini(void *state)
{
	struct state *s = state;
	if (s) {
		free(s->list);
		free(s);
	}
}
