/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "imsgw/core.h"
#include "callout_conf.h"
#include "xmlconf.h"

/* Read a one-line secret file (private, at most max bytes, trailing newline
 * dropped) into *out.  Reports through e. */
static void read_secret(struct igw_conf_errors *e, int line, const char *what, const char *path,
                        size_t max, char **out)
{
	const char *why = NULL;
	char *text = NULL;
	size_t len = 0;
	if (igw_conf_check_secret_file(path, &why) != 0) {
		igw_conf_error(e, line, "%s %s: %s", what, path, why);
	} else if (igw_conf_read_file(path, max, &text, &len) != IGW_OK) {
		igw_conf_error(e, line, "%s %s: cannot read, or longer than %zu bytes", what, path, max);
	} else {
		while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
			text[--len] = 0;
		if (len == 0)
			igw_conf_error(e, line, "%s %s: empty", what, path);
		*out = text;
		text = NULL;
	}
	igw_secure_free_str(text);
}

static void load_tpipe(struct igw_callout *c, xmlNodePtr t, struct igw_conf_errors *e)
{
	struct igw_co_tpipe *tp = &c->tpipes[c->ntpipes++];
	char *v = igw_xml_attr(t, "name");
	tp->line = igw_xml_line(t);
	if (v)
		igw_racf_name_norm(v, tp->name);
	xmlFree(v);
	tp->kinds = igw_xml_attr_is(t, "kinds", "async") ? IGW_CO_ASYNC :
	            igw_xml_attr_is(t, "kinds", "both") ? (IGW_CO_SYNC | IGW_CO_ASYNC) : IGW_CO_SYNC;
	tp->resume = igw_xml_attr_is(t, "resume", "auto") ? IGW_CO_RT_AUTO :
	             igw_xml_attr_is(t, "resume", "noauto") ? IGW_CO_RT_NOAUTO :
	             igw_xml_attr_is(t, "resume", "single") ? IGW_CO_RT_SINGLE : IGW_CO_RT_SINGLE_WAIT;
	tp->workers = igw_xml_attr_uint(t, "workers", IGW_CALLOUT_WORKERS_DEFAULT);
	tp->poll_timer_ms = igw_xml_attr_uint(t, "pollTimerMs", 2000);
	tp->error_poll_ms = igw_xml_attr_uint(t, "errorPollMs", 3000);
	tp->response_ack = igw_xml_attr_bool(t, "responseAck", 1);
	tp->stop_on_error = igw_xml_attr_bool(t, "stopOnError", 0);
	for (unsigned i = 0; i + 1 < c->ntpipes; i++)
		if (strcmp(c->tpipes[i].name, tp->name) == 0)
			igw_conf_error(e, tp->line, "tpipe %s listed twice", tp->name);
}

static void load_layout(struct igw_callout *c, xmlNodePtr m, int req, struct igw_conf_errors *e)
{
	int line = igw_xml_line(m);
	char *cbfile = igw_xml_attr_path(m, "copybook", c->file);
	char *spec = igw_xml_attr(m, "segments");
	struct igw_cb_diag diag;
	struct igw_cb_copybook **cb = req ? &c->req_cb : &c->resp_cb;
	struct igw_cb_msg *msg = req ? &c->req : &c->resp;
	memset(&diag, 0, sizeof(diag));
	if (cbfile && igw_cb_parse_file(cbfile, NULL, cb, &diag) != IGW_OK)
		igw_conf_error(e, line, "%s copybook: %s: %s", req ? "request" : "response",
		               diag.where[0] ? diag.where : cbfile, diag.text);
	else if (cbfile && igw_cb_msg_build(*cb, spec ? spec : "", msg, &diag) != IGW_OK)
		igw_conf_error(e, line, "%s segments '%s': %s", req ? "request" : "response",
		               spec ? spec : "", diag.text);
	else if (cbfile && msg->nseg != 1)
		igw_conf_error(e, line, "%s: a callout message is one record (segments names %u)",
		               req ? "request" : "response", msg->nseg);
	free(cbfile);
	xmlFree(spec);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcasecmp(s + n - m, suf) == 0;
}

static void load_target(struct igw_callout *c, xmlNodePtr t, struct igw_conf_errors *e)
{
	xmlNodePtr ba = igw_xml_child(t, "basicAuth");
	xmlNodePtr tls = igw_xml_child(t, "tls");
	int line = igw_xml_line(t);
	struct igw_out_target *ot = &c->target;
	c->url = igw_xml_attr_dup(t, "url", NULL);
	c->action = igw_xml_attr_dup(t, "soapAction", NULL);
	ot->url = c->url;
	ot->soap_action = c->action;
	ot->soap_version = igw_xml_attr_is(t, "soapVersion", "1.2") ? 12 : 11;
	ot->timeout_ms = igw_xml_attr_uint(t, "timeoutMs", IGW_OUT_TIMEOUT_MS_DEFAULT);
	char *ov = igw_xml_attr(t, "endpointOverride");
	if (ov) {
		char *save = NULL;
		for (char *w = strtok_r(ov, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
			const char *auth = strstr(w, "://");
			char **grown = realloc(c->overrides, (c->noverrides + 1) * sizeof(*grown));
			if (!grown)
				break;
			c->overrides = grown;
			c->overrides[c->noverrides++] = strdup(w);
			if ((strncmp(w, "https://", 8) != 0 && strncmp(w, "http://", 7) != 0) || !auth ||
			    !strchr(auth + 3, '/') || strchr(auth + 3, '/') == auth + 3)
				igw_conf_error(e, line, "endpointOverride '%s': a prefix is "
				               "http(s)://host[:port]/ with at least the \"/\" after the "
				               "host (so that it cannot match another host)", w);
		}
		xmlFree(ov);
	}
	if (ba) {
		char *pw = igw_xml_attr_path(ba, "passwordFile", c->file);
		c->http_user = igw_xml_attr_dup(ba, "user", NULL);
		if (c->http_user && strchr(c->http_user, ':'))
			igw_conf_error(e, igw_xml_line(ba), "basicAuth user must not contain ':'");
		if (pw)
			read_secret(e, igw_xml_line(ba), "basicAuth passwordFile", pw,
			            IGW_SECRET_FILE_MAX, &c->http_password);
		free(pw);
		ot->user = c->http_user;
		ot->password = c->http_password;
	}
	if (tls) {
		int tl = igw_xml_line(tls);
		char *pwf = igw_xml_attr_path(tls, "keystorePasswordFile", c->file);
		c->keystore = igw_xml_attr_path(tls, "keystore", c->file);
		c->truststore = igw_xml_attr_path(tls, "truststore", c->file);
		if (c->keystore) {
			const char *why = NULL;
			if (igw_conf_check_secret_file(c->keystore, &why) != 0)
				igw_conf_error(e, tl, "keystore %s: %s", c->keystore, why);
		}
		if (c->truststore && access(c->truststore, R_OK) != 0)
			igw_conf_error(e, tl, "truststore %s: %s", c->truststore, strerror(errno));
		if (pwf)
			read_secret(e, tl, "keystorePasswordFile", pwf, IGW_SECRET_FILE_MAX,
			            &c->keystore_password);
		if (c->keystore && (has_suffix(c->keystore, ".p12") || has_suffix(c->keystore, ".pfx")))
			ot->keystore_p12 = c->keystore;
		else
			ot->keystore_pem = c->keystore;
		if (ot->keystore_p12 && !pwf)
			igw_conf_error(e, tl, "a PKCS#12 keystore needs keystorePasswordFile");
		ot->keystore_password = c->keystore_password;
		ot->truststore_pem = c->truststore;
		ot->no_verify_host = !igw_xml_attr_bool(tls, "verifyHostname", 1);
		free(pwf);
	}
	if (strncmp(c->url ? c->url : "", "http:", 5) == 0 && (tls || ba))
		igw_conf_error(e, line, "target %s: TLS settings or basic authentication over plain "
		               "http:// would send credentials in the clear; use https://", c->url);
}

static void load_wss(struct igw_callout *c, xmlNodePtr w, struct igw_conf_errors *e)
{
	int line = igw_xml_line(w);
	struct igw_wss_out_conf *oc = &c->wss_conf;
	char *pwf = igw_xml_attr_path(w, "passwordFile", c->file);
	char *key = igw_xml_attr_path(w, "signingKey", c->file);
	char *cert = igw_xml_attr_path(w, "signingCertificate", c->file);
	c->wss = 1;
	oc->kind = igw_xml_attr_is(w, "token", "usernameTokenDigest") ? IGW_WSS_OUT_UT_DIGEST :
	           igw_xml_attr_is(w, "token", "saml11") ? IGW_WSS_OUT_SAML11 :
	           igw_xml_attr_is(w, "token", "saml20") ? IGW_WSS_OUT_SAML20 : IGW_WSS_OUT_UT_TEXT;
	c->subject_message = !igw_xml_attr_is(w, "subject", "service");
	c->issuer = igw_xml_attr_dup(w, "issuer", "urn:imsgw");
	c->audience = igw_xml_attr_dup(w, "audience", NULL);
	oc->issuer = c->issuer;
	oc->audience = c->audience;
	oc->lifetime_s = igw_xml_attr_uint(w, "lifetimeS", 300);
	oc->timestamp = igw_xml_attr_bool(w, "timestamp", 1);
	int ut = oc->kind == IGW_WSS_OUT_UT_TEXT || oc->kind == IGW_WSS_OUT_UT_DIGEST;
	if (ut && !pwf)
		igw_conf_error(e, line, "wsSecurity usernameToken needs passwordFile");
	else if (ut)
		read_secret(e, line, "wsSecurity passwordFile", pwf, IGW_SECRET_FILE_MAX,
		            &c->wss_password);
	oc->password = c->wss_password;
	if (ut && c->subject_message)
		igw_conf_error(e, line, "wsSecurity usernameToken carries a password, which only the "
		               "service identity has: use subject=\"service\"");
	if (!ut && (key || cert)) {
		if (!key || !cert) {
			igw_conf_error(e, line, "wsSecurity: signingKey and signingCertificate go together");
		} else {
			const char *why = NULL;
			if (igw_conf_check_secret_file(key, &why) != 0)
				igw_conf_error(e, line, "signingKey %s: %s", key, why);
			else if (igw_wss_signer_load(key, cert, &c->signer) != IGW_OK)
				igw_conf_error(e, line, "signingKey %s / signingCertificate %s: cannot load "
				               "(PEM key and matching certificate expected)", key, cert);
			oc->signer = c->signer;
		}
	} else if (ut && (key || cert)) {
		igw_conf_error(e, line, "wsSecurity: a UsernameToken is not signed (signingKey is for SAML)");
	}
	if (c->subject_message && c->ntpipes) {
		for (unsigned i = 0; i < c->ntpipes; i++)
			if (c->tpipes[i].kinds & IGW_CO_ASYNC)
				igw_conf_error(e, line, "wsSecurity subject=\"message\": asynchronous "
				               "messages of tpipe %s carry no IMS user (no correlation "
				               "token); use subject=\"service\" or kinds=\"sync\"",
				               c->tpipes[i].name);
	}
	if (!c->subject_message && c->bundle && !c->bundle->has_credentials)
		igw_conf_error(e, line, "wsSecurity subject=\"service\" needs <credentials> in bundle '%s'",
		               c->bundle->name);
	free(pwf);
	free(key);
	free(cert);
}

static void load_async(struct igw_callout *c, xmlNodePtr a, struct igw_conf_errors *e)
{
	int line = a ? igw_xml_line(a) : c->line;
	c->max_attempts = a ? igw_xml_attr_uint(a, "maxAttempts", 5) : 5;
	c->backoff_ms = a ? igw_xml_attr_uint(a, "backoffMs", 1000) : 1000;
	c->backoff_max_ms = a ? igw_xml_attr_uint(a, "backoffMaxMs", 60000) : 60000;
	if (c->backoff_max_ms < c->backoff_ms)
		c->backoff_max_ms = c->backoff_ms;
	if (a)
		c->dead_dir = igw_xml_attr_path(a, "deadLetterDir", c->file);
	int wants_async = 0;
	for (unsigned i = 0; i < c->ntpipes; i++)
		wants_async |= (c->tpipes[i].kinds & IGW_CO_ASYNC) != 0;
	if (wants_async && !c->dead_dir) {
		igw_conf_error(e, line, "a tpipe takes asynchronous messages: <async deadLetterDir=...> "
		               "is required (messages are never discarded)");
	} else if (c->dead_dir) {
		struct stat st;
		if (stat(c->dead_dir, &st) != 0 || !S_ISDIR(st.st_mode))
			igw_conf_error(e, line, "deadLetterDir %s: not a folder", c->dead_dir);
		else if (access(c->dead_dir, W_OK | X_OK) != 0)
			igw_conf_error(e, line, "deadLetterDir %s: not writable", c->dead_dir);
		else if (st.st_mode & (S_IWGRP | S_IWOTH | S_IROTH))
			igw_conf_error(e, line, "deadLetterDir %s: readable or writable by others "
			               "(mode 0700 or 0750 expected: it holds message data)", c->dead_dir);
	}
}

static void callout_clear(struct igw_callout *c)
{
	igw_cb_copybook_free(c->req_cb);
	igw_cb_copybook_free(c->resp_cb);
	igw_cb_codepage_free(c->cp);
	igw_wss_signer_free(c->signer);
	igw_secure_free_str(c->http_password);
	igw_secure_free_str(c->keystore_password);
	igw_secure_free_str(c->wss_password);
	free(c->name);
	free(c->file);
	free(c->ns);
	free(c->operation);
	free(c->response_name);
	free(c->url);
	free(c->action);
	free(c->http_user);
	free(c->keystore);
	free(c->truststore);
	free(c->issuer);
	free(c->audience);
	free(c->dead_dir);
	for (unsigned i = 0; i < c->noverrides; i++)
		free(c->overrides[i]);
	free(c->overrides);
	memset(c, 0, sizeof(*c));
}

int igw_callout_from_xml(xmlNodePtr root, const char *file, const struct igw_bundle_set *bundles,
                         struct igw_conf_errors *e, struct igw_callout_set *set)
{
	struct igw_callout c;
	unsigned before = e->count;
	const char *saved = e->file;
	char *v;
	xmlNodePtr msg, resp;

	e->file = file;
	memset(&c, 0, sizeof(c));
	c.file = strdup(file);
	c.line = igw_xml_line(root);
	c.name = igw_xml_attr_dup(root, "name", NULL);
	c.ns = igw_xml_attr_dup(root, "namespace", NULL);
	c.allow_truncate = igw_xml_attr_bool(root, "allowTruncation", 0);
	c.in_flight = igw_xml_attr_uint(root, "inFlight", IGW_CALLOUT_INFLIGHT_DEFAULT);
	if ((v = igw_xml_attr(root, "bundle"))) {
		c.bundle = igw_bundle_find(bundles, v);
		if (!c.bundle)
			igw_conf_error(e, c.line, "bundle '%s' is not defined", v);
		xmlFree(v);
	}
	v = igw_xml_attr(root, "codePage");
	if (igw_cb_codepage_open(v ? v : "IBM-037", &c.cp) != IGW_OK)
		igw_conf_error(e, c.line, "codePage '%s' is not a single-byte EBCDIC code page known "
		               "to iconv", v ? v : "IBM-037");
	xmlFree(v);
	for (xmlNodePtr t = root->children; t; t = t->next)
		if (t->type == XML_ELEMENT_NODE && strcmp((const char *)t->name, "tpipe") == 0 &&
		    c.ntpipes < IGW_CO_TPIPES_MAX)
			load_tpipe(&c, t, e);
	msg = igw_xml_child(root, "message");
	c.operation = igw_xml_attr_dup(msg, "operation", NULL);
	if (c.operation) {
		size_t n = strlen(c.operation) + sizeof("Response");
		c.response_name = malloc(n);
		if (c.response_name)
			snprintf(c.response_name, n, "%sResponse", c.operation);
	}
	xmlNodePtr xa = igw_xml_child(msg, "xmlAdapter");
	if (xa) {
		c.xml_adapter = 1;
		c.has_resp = 1;
		v = igw_xml_attr(xa, "adapter");
		igw_racf_name_norm(v ? v : "HWSXMLA0", c.tag_adapt);
		xmlFree(v);
		if ((v = igw_xml_attr(xa, "converter")))
			igw_racf_name_norm(v, c.tag_map);
		xmlFree(v);
	} else {
		load_layout(&c, igw_xml_child(msg, "request"), 1, e);
	}
	resp = igw_xml_child(msg, "response");
	if (resp) {
		c.has_resp = 1;
		load_layout(&c, resp, 0, e);
	}
	for (unsigned i = 0; i < c.ntpipes; i++)
		if ((c.tpipes[i].kinds & IGW_CO_SYNC) && !c.has_resp)
			igw_conf_error(e, igw_xml_line(msg), "tpipe %s takes synchronous callouts: "
			               "<response> (the layout of the reply to IMS) is required",
			               c.tpipes[i].name);
	load_target(&c, igw_xml_child(root, "target"), e);
	if (igw_xml_child(igw_xml_child(root, "target"), "wsSecurity"))
		load_wss(&c, igw_xml_child(igw_xml_child(root, "target"), "wsSecurity"), e);
	load_async(&c, igw_xml_child(root, "async"), e);
	for (unsigned i = 0; i < set->count; i++) {
		const struct igw_callout *o = &set->callouts[i];
		if (strcmp(o->name, c.name) == 0)
			igw_conf_error(e, c.line, "callout '%s' already defined in %s:%d", c.name,
			               o->file, o->line);
		for (unsigned a = 0; a < c.ntpipes; a++)
			for (unsigned b = 0; b < o->ntpipes; b++)
				if (o->bundle == c.bundle && strcmp(o->tpipes[b].name, c.tpipes[a].name) == 0)
					igw_conf_error(e, c.tpipes[a].line, "tpipe %s is already served by "
					               "callout '%s' (%s:%d); one callout service per tpipe",
					               c.tpipes[a].name, o->name, o->file, o->tpipes[b].line);
	}

	struct igw_callout *grown = NULL;
	if (e->count == before)
		grown = realloc(set->callouts, (set->count + 1) * sizeof(*grown));
	if (grown) {
		set->callouts = grown;
		set->callouts[set->count] = c;
		/* the target's strings point into the callout, which moved */
		struct igw_callout *m = &set->callouts[set->count++];
		m->target.url = m->url;
		m->target.soap_action = m->action;
		m->target.user = m->http_user;
		m->target.password = m->http_password;
		m->target.keystore_password = m->keystore_password;
		m->target.truststore_pem = m->truststore;
		if (m->target.keystore_p12)
			m->target.keystore_p12 = m->keystore;
		else
			m->target.keystore_pem = m->keystore;
		m->wss_conf.password = m->wss_password;
		m->wss_conf.issuer = m->issuer;
		m->wss_conf.audience = m->audience;
		m->wss_conf.signer = m->signer;
	} else {
		if (e->count == before)
			igw_conf_error(e, 0, "out of memory");
		callout_clear(&c);
	}
	e->file = saved;
	return e->count == before ? IGW_OK : IGW_ECONFIG;
}

const struct igw_callout *igw_callout_find(const struct igw_callout_set *set, const char *name)
{
	const struct igw_callout *found = NULL;
	for (unsigned i = 0; set && i < set->count && !found; i++)
		if (strcmp(set->callouts[i].name, name) == 0)
			found = &set->callouts[i];
	return found;
}

void igw_callouts_clear(struct igw_callout_set *set)
{
	for (unsigned i = 0; i < set->count; i++)
		callout_clear(&set->callouts[i]);
	free(set->callouts);
	set->callouts = NULL;
	set->count = 0;
}
