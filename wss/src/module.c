/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Custom authentication module: dlopen'ed C ABI (see wss.h "Module ABI"). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef int (*init_fn)(const char *arg, void **state);
typedef int (*check_fn)(void *state, const struct igw_wss_module_facts *f, char *why, size_t whylen);
typedef void (*fini_fn)(void *state);

struct wss_module {
	void *handle;
	void *state;
	check_fn check;
	fini_fn fini;
};

int wss_module_load(const char *path, const char *arg, struct wss_module **out,
                    char *err, size_t errlen)
{
	struct wss_module *m = calloc(1, sizeof(*m));
	init_fn init = NULL;
	int rc = IGW_OK;
	*out = NULL;
	if (!m)
		return IGW_ENOMEM;
	m->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!m->handle) {
		snprintf(err, errlen, "cannot load module '%s': %s", path, dlerror());
		rc = IGW_ECONFIG;
	} else {
		/* POSIX: void* to function pointer through a union-free memcpy */
		void *sym = dlsym(m->handle, "igw_wss_module_check");
		if (sym)
			memcpy(&m->check, &sym, sizeof(sym));
		sym = dlsym(m->handle, "igw_wss_module_init");
		if (sym)
			memcpy(&init, &sym, sizeof(sym));
		sym = dlsym(m->handle, "igw_wss_module_fini");
		if (sym)
			memcpy(&m->fini, &sym, sizeof(sym));
		if (!m->check) {
			snprintf(err, errlen, "module '%s' does not export igw_wss_module_check", path);
			rc = IGW_ECONFIG;
		} else if (init && init(arg, &m->state) != 0) {
			snprintf(err, errlen, "module '%s' refused to initialise", path);
			m->fini = NULL;
			rc = IGW_ECONFIG;
		}
	}
	if (rc != IGW_OK)
		wss_module_free(m);
	else
		*out = m;
	return rc;
}

void wss_module_free(struct wss_module *m)
{
	if (m) {
		if (m->fini)
			m->fini(m->state);
		if (m->handle)
			dlclose(m->handle);
		free(m);
	}
}

int wss_module_check(struct wss_ctx *x, const struct wss_module *m)
{
	const struct igw_wss_result *r = x->r;
	struct igw_wss_module_facts f;
	char why[256] = "";
	int rc;
	memset(&f, 0, sizeof(f));
	f.abi = IGW_WSS_MODULE_ABI;
	f.service = x->p->c.service;
	f.kind = r->kind;
	f.user = r->user;
	f.issuer = r->issuer;
	f.format = r->format;
	f.attester = r->attester;
	f.tls_subject = x->req ? x->req->tls_subject : NULL;
	f.signed_token = r->signed_token;
	f.token_age_ms = r->age_ms;
	f.attr_count = r->nattr;
	f.attr_names = (const char *const *)r->attr_name;
	f.attr_values = (const char *const *)r->attr_value;
	rc = m->check(m->state, &f, why, sizeof(why));
	why[sizeof(why) - 1] = '\0';
	return rc == 0 ? IGW_OK
	               : wss_fail(x, IGW_EDENIED, "WSS-MODULE-DENIED", "module denied: %.200s", why);
}
