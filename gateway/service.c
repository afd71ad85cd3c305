/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "imsgw/core.h"
#include "service.h"
#include "xmlconf.h"

static enum igw_wss_presence xpresence(xmlNodePtr n, const char *name, enum igw_wss_presence d)
{
	return igw_xml_attr_is(n, name, "required") ? IGW_WSS_REQUIRED :
	       igw_xml_attr_is(n, name, "forbidden") ? IGW_WSS_FORBIDDEN :
	       igw_xml_attr_is(n, name, "optional") ? IGW_WSS_OPTIONAL : d;
}

static void load_message(struct igw_service *s, xmlNodePtr m, int in, struct igw_operation *op,
                         struct igw_conf_errors *e)
{
	int line = igw_xml_line(m);
	char *cbfile = NULL, *raw = igw_xml_attr(m, "copybook");
	char *spec = igw_xml_attr(m, "segments");
	struct igw_cb_diag diag;
	struct igw_cb_copybook **cb = in ? &op->in_cb : &op->out_cb;
	memset(&diag, 0, sizeof(diag));
	if (raw)
		cbfile = igw_conf_resolve(s->file, raw);
	if (cbfile && igw_cb_parse_file(cbfile, NULL, cb, &diag) != IGW_OK) {
		igw_conf_error(e, line, "%s copybook: %s: %s", in ? "input" : "output",
		               diag.where[0] ? diag.where : cbfile, diag.text);
	} else if (cbfile &&
	           igw_cb_msg_build(*cb, spec ? spec : "", in ? &op->in : &op->out, &diag) != IGW_OK) {
		igw_conf_error(e, line, "%s segments '%s': %s", in ? "input" : "output",
		               spec ? spec : "", diag.text);
	}
	free(cbfile);
	xmlFree(raw);
	xmlFree(spec);
}

static void load_operation(struct igw_service *s, xmlNodePtr o, struct igw_conf_errors *e)
{
	struct igw_operation *op = &s->ops[s->nops++];
	char *v;
	op->name = igw_xml_attr_dup(o, "name", NULL);
	size_t alen = strlen(s->ns) + strlen(op->name) + 2;
	op->action = malloc(alen);
	if (op->action)
		snprintf(op->action, alen, "%.*s/%s",
		         (int)(strlen(s->ns) - (s->ns[strlen(s->ns) - 1] == '/')), s->ns, op->name);
	if ((v = igw_xml_attr(o, "transaction"))) {
		igw_racf_name_norm(v, op->trancode);
		xmlFree(v);
	}
	if ((v = igw_xml_attr(o, "lterm"))) {
		igw_racf_name_norm(v, op->lterm);
		xmlFree(v);
	}
	for (unsigned i = 0; i + 1 < s->nops; i++)
		if (strcmp(s->ops[i].name, op->name) == 0)
			igw_conf_error(e, igw_xml_line(o), "operation '%s' defined twice", op->name);
	xmlNodePtr xa = igw_xml_child(o, "xmlAdapter");
	if (xa) {
		op->xml_adapter = 1;
		if ((v = igw_xml_attr(xa, "adapter"))) {
			igw_racf_name_norm(v, op->tag_adapt);
			xmlFree(v);
		} else {
			snprintf(op->tag_adapt, sizeof(op->tag_adapt), "HWSXMLA0");
		}
		if ((v = igw_xml_attr(xa, "converter"))) {
			igw_racf_name_norm(v, op->tag_map);
			xmlFree(v);
		}
	} else {
		op->one_way = igw_xml_attr_bool(o, "oneWay", 0);
		load_message(s, igw_xml_child(o, "input"), 1, op, e);
		if (igw_xml_child(o, "output") && op->one_way)
			igw_conf_error(e, igw_xml_line(o), "operation '%s': a one-way operation has "
			               "no <output>", op->name);
		else if (igw_xml_child(o, "output"))
			load_message(s, igw_xml_child(o, "output"), 0, op, e);
		else if (!op->one_way)
			igw_conf_error(e, igw_xml_line(o), "operation '%s': <output> is required "
			               "(or oneWay=\"true\")", op->name);
	}
	if (op->in_cb && s->cp) {
		/* the transaction code must fit the input layout's TRANCODE field */
		struct igw_cb_conv cv = { s->cp, op->trancode, 0, s->ns };
		struct igw_cb_diag diag;
		memset(&diag, 0, sizeof(diag));
		if (igw_cb_conv_check(&op->in, &cv, &diag) != IGW_OK)
			igw_conf_error(e, igw_xml_line(o), "operation '%s': %s", op->name, diag.text);
	}
}

static struct igw_wss_replay *replay_store;
static pthread_once_t replay_once = PTHREAD_ONCE_INIT;

static void replay_init(void)
{
	replay_store = igw_wss_replay_mem_new(IGW_REPLAY_SHARDS, IGW_REPLAY_ENTRIES_MAX);
}

static struct igw_wss_replay *process_replay(void)
{
	pthread_once(&replay_once, replay_init);
	return replay_store;
}

static void load_security(struct igw_service *s, xmlNodePtr sec, struct igw_conf_errors *e)
{
	struct igw_wss_policy_conf c;
	xmlNodePtr ut = igw_xml_child(sec, "usernameToken");
	xmlNodePtr ts = igw_xml_child(sec, "timestamp");
	xmlNodePtr saml = igw_xml_child(sec, "saml");
	xmlNodePtr mod = igw_xml_child(sec, "module");
	struct igw_wss_attester att[64];
	char *strs[64 * 2 + 8];
	unsigned nstr = 0;
	char *truststore_pem = NULL, *tokens = igw_xml_attr(sec, "tokens");
	char err[256] = "";
	int line = igw_xml_line(sec);
	unsigned before = e->count;

	igw_wss_policy_conf_defaults(&c);
	memset(att, 0, sizeof(att));
	c.service = s->name;
	if (tokens) {
		char *save = NULL;
		for (char *t = strtok_r(tokens, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
			if (strcmp(t, "usernameToken") == 0)
				c.tokens |= IGW_WSS_TOKEN_UT;
			else if (strcmp(t, "saml11") == 0)
				c.tokens |= IGW_WSS_TOKEN_SAML11;
			else if (strcmp(t, "saml20") == 0)
				c.tokens |= IGW_WSS_TOKEN_SAML20;
		}
	}
	c.require_token = sec ? igw_xml_attr_bool(sec, "requireToken", 1) && c.tokens != 0 : 0;
	/* the TLS client certificate is the identity only where no token is required */
	c.allow_cert_identity = !c.require_token;
	if (ut) {
		c.ut_allow_text = igw_xml_attr_bool(ut, "passwordText", 1);
		c.ut_allow_digest = igw_xml_attr_bool(ut, "passwordDigest", 0);
		c.ut_text_mode = igw_xml_attr_is(ut, "textMode", "local") ? IGW_WSS_PW_LOCAL : IGW_WSS_PW_PASSTHROUGH;
		c.ut_pass_password = c.ut_text_mode == IGW_WSS_PW_PASSTHROUGH;
		c.ut_nonce = xpresence(ut, "nonce", IGW_WSS_OPTIONAL);
		c.ut_created = xpresence(ut, "created", IGW_WSS_OPTIONAL);
		c.ut_max_age_s = igw_xml_attr_uint(ut, "maxAgeS", 300);
		c.ut_future_skew_s = igw_xml_attr_uint(ut, "futureSkewS", 60);
		if (c.ut_allow_digest || c.ut_text_mode == IGW_WSS_PW_LOCAL)
			igw_conf_error(e, igw_xml_line(ut), "usernameToken: PasswordDigest and local "
			               "password checks need a local credential store, which this "
			               "version does not configure; use passwordText in passthrough mode");
	} else {
		c.ut_pass_password = 1;
	}
	if (ts) {
		c.ts = xpresence(ts, "presence", IGW_WSS_OPTIONAL);
		c.ts_past_skew_s = igw_xml_attr_uint(ts, "pastSkewS", 60);
		c.ts_future_skew_s = igw_xml_attr_uint(ts, "futureSkewS", 60);
		c.ts_max_ttl_s = igw_xml_attr_uint(ts, "maxTtlS", 0);
	}
	if (saml) {
		c.saml_sig = igw_xml_attr_is(saml, "signature", "optional") ? IGW_WSS_SIG_OPTIONAL : IGW_WSS_SIG_REQUIRED;
		c.saml_trust = igw_xml_attr_is(saml, "trust", "any") ? IGW_WSS_TRUST_ANY : IGW_WSS_TRUST_ONE;
		c.saml_allow_sha1 = igw_xml_attr_bool(saml, "allowSha1", 0);
		c.saml_skew_s = igw_xml_attr_uint(saml, "skewS", 60);
		c.saml_allow_bearer = igw_xml_attr_bool(saml, "allowBearer", 0);
		c.saml_allow_hok = igw_xml_attr_bool(saml, "allowHolderOfKey", 0);
		c.saml_audience = strs[nstr++] = igw_xml_attr_dup(saml, "audience", NULL);
		char *ts_raw = igw_xml_attr(saml, "truststore");
		if (ts_raw) {
			char *p = igw_conf_resolve(s->file, ts_raw);
			size_t len = 0;
			if (p && igw_conf_read_file(p, IGW_PEM_FILE_MAX, &truststore_pem, &len) != IGW_OK)
				igw_conf_error(e, igw_xml_line(saml), "saml truststore %s: cannot read", p);
			free(p);
			xmlFree(ts_raw);
		} else if (c.saml_trust == IGW_WSS_TRUST_ONE && c.saml_sig == IGW_WSS_SIG_REQUIRED) {
			igw_conf_error(e, igw_xml_line(saml), "saml: trust one needs a truststore");
		}
		c.truststore_pem = truststore_pem;
		unsigned na = 0;
		for (xmlNodePtr a = saml->children; a; a = a->next) {
			if (a->type != XML_ELEMENT_NODE || na == 64)
				continue;
			att[na].who = strs[nstr++] = igw_xml_attr_dup(a, "who", NULL);
			att[na].issuer = strs[nstr++] = igw_xml_attr_dup(a, "issuer", NULL);
			na++;
		}
		c.attesters = na ? att : NULL;
		c.attester_count = na;
	}
	if (mod) {
		c.module_path = strs[nstr++] = igw_xml_attr_path(mod, "path", s->file);
		c.module_arg = strs[nstr++] = igw_xml_attr_dup(mod, "arg", NULL);
	}
	/* one replay store for the whole process: it outlives reloads, so a
	 * reload never reopens the window for a nonce or assertion ID */
	c.replay = process_replay();
	if (!c.replay)
		igw_conf_error(e, line, "out of memory");
	else if (e->count == before && igw_wss_policy_compile(&c, &s->policy, err, sizeof(err)) != IGW_OK)
		igw_conf_error(e, line, "security policy: %s", err);
	for (unsigned i = 0; i < nstr; i++)
		free(strs[i]);
	free(truststore_pem);
	xmlFree(tokens);
}

static void load_rules(struct igw_service *s, xmlNodePtr id, struct igw_conf_errors *e)
{
	unsigned n = 0;
	for (xmlNodePtr r = id ? id->children : NULL; r; r = r->next)
		n += r->type == XML_ELEMENT_NODE;
	s->rules = calloc(n ? n : 1, sizeof(*s->rules));
	for (xmlNodePtr r = id ? id->children : NULL; r && s->rules; r = r->next) {
		if (r->type != XML_ELEMENT_NODE)
			continue;
		struct igw_id_rule *rule = &s->rules[s->nrules++];
		char *v;
		rule->line = igw_xml_line(r);
		rule->from = igw_xml_attr_is(r, "from", "usernameToken") ? IGW_ID_FROM_UT :
		             igw_xml_attr_is(r, "from", "saml") ? IGW_ID_FROM_SAML :
		             igw_xml_attr_is(r, "from", "certificate") ? IGW_ID_FROM_CERT :
		             igw_xml_attr_is(r, "from", "none") ? IGW_ID_FROM_NONE : IGW_ID_FROM_ANY;
		rule->cred = igw_xml_attr_is(r, "credential", "token") ? IGW_ID_CRED_TOKEN :
		             igw_xml_attr_is(r, "credential", "passticket") ? IGW_ID_CRED_PASSTICKET :
		             igw_xml_attr_is(r, "credential", "bundle") ? IGW_ID_CRED_BUNDLE :
		             igw_xml_attr_is(r, "credential", "trusted") ? IGW_ID_CRED_TRUSTED : IGW_ID_CRED_NONE;
		rule->user = igw_xml_attr_dup(r, "user", "*");
		rule->issuer = igw_xml_attr_dup(r, "issuer", "*");
		rule->racf_user = igw_xml_attr_dup(r, "racfUser", "$user");
		if ((v = igw_xml_attr(r, "group"))) {
			igw_racf_name_norm(v, rule->group);
			xmlFree(v);
		}
		if (strcmp(rule->racf_user, "$user") != 0 && !igw_racf_name_valid(rule->racf_user))
			igw_conf_error(e, rule->line, "racfUser '%s' is not a RACF user id "
			               "(1-8 of A-Z 0-9 @ # $) nor $user", rule->racf_user);
		if (rule->cred == IGW_ID_CRED_TOKEN && rule->from != IGW_ID_FROM_UT)
			igw_conf_error(e, rule->line, "credential token needs from=\"usernameToken\" "
			               "(only a UsernameToken carries a password)");
		if (rule->cred == IGW_ID_CRED_PASSTICKET && s->bundle && !s->bundle->has_passticket)
			igw_conf_error(e, rule->line, "credential passticket needs a <passTicket> in bundle '%s'",
			               s->bundle->name);
		if (rule->cred == IGW_ID_CRED_TRUSTED && s->bundle && !s->bundle->trusted_flag)
			igw_conf_error(e, rule->line, "credential trusted needs trustedUserFlag on the "
			               "<imsConnect> of bundle '%s'", s->bundle->name);
		if (rule->cred == IGW_ID_CRED_BUNDLE && s->bundle && !s->bundle->has_credentials)
			igw_conf_error(e, rule->line, "credential bundle needs <credentials> in bundle '%s'",
			               s->bundle->name);
	}
}

static void service_clear(struct igw_service *s)
{
	for (unsigned i = 0; i < s->nops; i++) {
		free(s->ops[i].name);
		free(s->ops[i].action);
		igw_cb_copybook_free(s->ops[i].in_cb);
		igw_cb_copybook_free(s->ops[i].out_cb);
	}
	for (unsigned i = 0; i < s->nrules; i++) {
		free(s->rules[i].user);
		free(s->rules[i].issuer);
		free(s->rules[i].racf_user);
	}
	free(s->rules);
	free(s->ops);
	igw_wss_policy_free(s->policy);
	igw_cb_codepage_free(s->cp);
	free(s->name);
	free(s->file);
	free(s->path);
	free(s->ns);
	free(s->wsdl);
	memset(s, 0, sizeof(*s));
}

int igw_service_from_xml(xmlNodePtr root, const char *file, const struct igw_bundle_set *bundles,
                         struct igw_conf_errors *e, struct igw_service_set *set)
{
	unsigned before = e->count;
	const char *saved = e->file;
	struct igw_service s;
	char *v;
	unsigned nops = 0;

	e->file = file;
	memset(&s, 0, sizeof(s));
	s.file = strdup(file);
	s.line = igw_xml_line(root);
	s.name = igw_xml_attr_dup(root, "name", NULL);
	s.path = igw_xml_attr_dup(root, "path", NULL);
	s.ns = igw_xml_attr_dup(root, "namespace", NULL);
	s.allow_truncate = igw_xml_attr_bool(root, "allowTruncation", 0);
	char *wsdl = igw_xml_attr_path(root, "wsdl", file);
	if (wsdl) {
		size_t wl = 0;
		if (igw_conf_read_file(wsdl, IGW_CONFIG_FILE_MAX, &s.wsdl, &wl) != IGW_OK)
			igw_conf_error(e, s.line, "wsdl %s: cannot read, or larger than %u bytes", wsdl,
			               IGW_CONFIG_FILE_MAX);
		free(wsdl);
	}
	if ((v = igw_xml_attr(root, "bundle"))) {
		s.bundle = igw_bundle_find(bundles, v);
		if (!s.bundle)
			igw_conf_error(e, s.line, "bundle '%s' is not defined", v);
		xmlFree(v);
	}
	v = igw_xml_attr(root, "codePage");
	if (igw_cb_codepage_open(v ? v : "IBM-037", &s.cp) != IGW_OK)
		igw_conf_error(e, s.line, "codePage '%s' is not a single-byte EBCDIC code page known "
		               "to iconv", v ? v : "IBM-037");
	xmlFree(v);
	for (unsigned i = 0; i < set->count; i++) {
		if (strcmp(set->services[i].name, s.name) == 0)
			igw_conf_error(e, s.line, "service '%s' already defined in %s:%d", s.name,
			               set->services[i].file, set->services[i].line);
		if (strcmp(set->services[i].path, s.path) == 0)
			igw_conf_error(e, s.line, "path %s already used by service '%s'", s.path,
			               set->services[i].name);
	}
	for (xmlNodePtr o = root->children; o; o = o->next)
		nops += o->type == XML_ELEMENT_NODE && strcmp((const char *)o->name, "operation") == 0;
	s.ops = calloc(nops ? nops : 1, sizeof(*s.ops));
	for (xmlNodePtr o = root->children; o && s.ops; o = o->next)
		if (o->type == XML_ELEMENT_NODE && strcmp((const char *)o->name, "operation") == 0)
			load_operation(&s, o, e);
	load_security(&s, igw_xml_child(root, "security"), e);
	load_rules(&s, igw_xml_child(root, "identity"), e);

	struct igw_service *grown = NULL;
	if (e->count == before)
		grown = realloc(set->services, (set->count + 1) * sizeof(*grown));
	if (grown) {
		set->services = grown;
		set->services[set->count++] = s;
	} else {
		if (e->count == before)
			igw_conf_error(e, 0, "out of memory");
		service_clear(&s);
	}
	e->file = saved;
	return e->count == before ? IGW_OK : IGW_ECONFIG;
}

const struct igw_service *igw_service_by_path(const struct igw_service_set *set, const char *path)
{
	const struct igw_service *found = NULL;
	for (unsigned i = 0; set && i < set->count && !found; i++)
		if (strcmp(set->services[i].path, path) == 0)
			found = &set->services[i];
	return found;
}

const struct igw_operation *igw_service_operation(const struct igw_service *s, const char *action,
                                                  const char *wrapper_ns, const char *wrapper)
{
	const struct igw_operation *found = NULL;
	for (unsigned i = 0; i < s->nops && !found; i++) {
		const struct igw_operation *op = &s->ops[i];
		if (action && *action) {
			if (strcmp(action, op->action) == 0 ||
			    strcmp(action, op->name) == 0)
				found = op;
		} else if (wrapper && strcmp(wrapper, op->name) == 0 &&
		           wrapper_ns && strcmp(wrapper_ns, s->ns) == 0) {
			found = op;
		}
	}
	return found;
}

void igw_services_clear(struct igw_service_set *set)
{
	for (unsigned i = 0; i < set->count; i++)
		service_clear(&set->services[i]);
	free(set->services);
	set->services = NULL;
	set->count = 0;
}
