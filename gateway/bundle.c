/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <libxml/tree.h>
#include "imsgw/core.h"
#include "bundle.h"
#include "xmlconf.h"

/* The schema text, generated from bundles/imsgw-bundle.xsd at build time. */
extern const char igw_bundle_xsd[];
extern const size_t igw_bundle_xsd_len;

int igw_racf_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int ok = n >= 1 && n <= 8;
	for (size_t i = 0; ok && i < n; i++) {
		char c = s[i];
		ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		     c == '@' || c == '#' || c == '$';
	}
	return ok;
}

int igw_racf_name_norm(const char *s, char out[IMSC_NAME_BUF])
{
	int rc = IGW_EINVAL;
	out[0] = 0;
	if (igw_racf_name_valid(s)) {
		size_t i;
		for (i = 0; s[i]; i++)
			out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
		out[i] = 0;
		rc = IGW_OK;
	}
	return rc;
}

static void check_readable(struct igw_conf_errors *e, int line, const char *what, const char *path)
{
	if (path && access(path, R_OK) != 0)
		igw_conf_error(e, line, "%s %s: %s", what, path, strerror(errno));
}

static void check_secret(struct igw_conf_errors *e, int line, const char *what, const char *path)
{
	const char *why = NULL;
	if (path && igw_conf_check_secret_file(path, &why) != 0)
		igw_conf_error(e, line, "%s %s: %s", what, path, why);
}

static void load_imsconnect(struct igw_bundle *b, xmlNodePtr ic, struct igw_conf_errors *e)
{
	xmlNodePtr tls = igw_xml_child(ic, "tls");
	xmlNodePtr pool = igw_xml_child(ic, "pool");
	xmlNodePtr to = igw_xml_child(ic, "timeouts");
	xmlNodePtr ia = igw_xml_child(ic, "interaction");
	char *v;

	imsc_endpoint_init(&b->ep);
	b->host = igw_xml_attr(ic, "host");
	b->ep.host = b->host;
	b->ep.port = (uint16_t)igw_xml_attr_uint(ic, "port", 0);
	if ((v = igw_xml_attr(ic, "datastore"))) {
		igw_racf_name_norm(v, b->ep.datastore);
		xmlFree(v);
	}
	if ((v = igw_xml_attr(ic, "clientIdPrefix"))) {
		snprintf(b->ep.clientid_prefix, sizeof(b->ep.clientid_prefix), "%s", v);
		for (char *p = b->ep.clientid_prefix; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		if (strncmp(b->ep.clientid_prefix, "HWS", 3) == 0)
			igw_conf_error(e, igw_xml_line(ic), "clientIdPrefix must not start with HWS "
			               "(reserved by IMS Connect)");
		xmlFree(v);
	}
	b->ep.exit = igw_xml_attr_is(ic, "exit", "HWSSMPL0") ? IMSC_EXIT_SAMPLE : IMSC_EXIT_SAMPL1;
	b->trusted_flag = igw_xml_attr_uint(ic, "trustedUserFlag", 0);
	b->ep.cp = igw_xml_attr_is(ic, "irmCodePage", "ASCII") ? IMSC_CP_ASCII : IMSC_CP_EBCDIC;
	if (tls) {
		int line = igw_xml_line(tls);
		b->ep.tls.enabled = true;
		b->tls_ca = igw_xml_attr_path(tls, "truststore", b->file);
		b->tls_cert = igw_xml_attr_path(tls, "certificate", b->file);
		b->tls_key = igw_xml_attr_path(tls, "key", b->file);
		b->tls_server_name = igw_xml_attr(tls, "serverName");
		b->ep.tls.ca_file = b->tls_ca;
		b->ep.tls.cert_file = b->tls_cert;
		b->ep.tls.key_file = b->tls_key;
		b->ep.tls.server_name = b->tls_server_name;
		b->ep.tls.no_verify_host = igw_xml_attr_is(tls, "verifyHostname", "false") ||
		                           igw_xml_attr_is(tls, "verifyHostname", "0");
		check_readable(e, line, "truststore", b->tls_ca);
		check_readable(e, line, "certificate", b->tls_cert);
		check_secret(e, line, "key", b->tls_key);
		if (!b->tls_cert != !b->tls_key)
			igw_conf_error(e, line, "tls: certificate and key go together");
	}
	b->ep.pool_max = igw_xml_attr_uint(pool, "size", 8);
	b->pool_wait_ms = igw_xml_attr_uint(pool, "waitMs", 1000);
	b->ep.idle_ping_ms = igw_xml_attr_uint(pool, "idlePingMs", 0);
	b->ep.connect_ms = igw_xml_attr_uint(to, "connectMs", 5000);
	b->execution_ms = igw_xml_attr_uint(to, "executionMs", 10000);
	b->commit_mode = igw_xml_attr_uint(ia, "commitMode", 1);
	b->sync_confirm = igw_xml_attr_is(ia, "syncLevel", "confirm");
}

static void load_credentials(struct igw_bundle *b, xmlNodePtr cr, struct igw_conf_errors *e)
{
	int line = igw_xml_line(cr);
	char *v;
	b->has_credentials = 1;
	if ((v = igw_xml_attr(cr, "user"))) {
		igw_racf_name_norm(v, b->user);
		xmlFree(v);
	}
	if ((v = igw_xml_attr(cr, "group"))) {
		igw_racf_name_norm(v, b->group);
		xmlFree(v);
	}
	char *pwfile = igw_xml_attr_path(cr, "passwordFile", b->file);
	if (pwfile) {
		const char *why = NULL;
		char *text = NULL;
		size_t len = 0;
		if (igw_conf_check_secret_file(pwfile, &why) != 0) {
			igw_conf_error(e, line, "passwordFile %s: %s", pwfile, why);
		} else if (igw_conf_read_file(pwfile, 64, &text, &len) != IGW_OK) {
			igw_conf_error(e, line, "passwordFile %s: cannot read, or longer than 64 bytes", pwfile);
		} else {
			while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
				text[--len] = 0;
			if (len == 0 || len > 8)
				igw_conf_error(e, line, "passwordFile %s: a RACF password or "
				               "PassTicket is 1-8 characters (found %zu)", pwfile, len);
			b->password = text;
			text = NULL;
		}
		igw_secure_free_str(text);
		free(pwfile);
	}
}

static void load_passticket(struct igw_bundle *b, xmlNodePtr pt, struct igw_conf_errors *e)
{
	int line = igw_xml_line(pt);
	char *v;
	b->has_passticket = 1;
	if ((v = igw_xml_attr(pt, "application"))) {
		igw_racf_name_norm(v, b->pt_application);
		xmlFree(v);
	}
	v = igw_xml_attr(pt, "algorithm");
	int type = imsc_pt_type_parse(v ? v : "upper");
	xmlFree(v);
	b->pt_type = type < 0 ? IMSC_PT_ENHANCED_UPPER : (enum imsc_pt_type)type;
	char *key = igw_xml_attr_path(pt, "keyFile", b->file);
	if (key) {
		int rc = imsc_passticket_key_load(key, b->pt_key, sizeof(b->pt_key), &b->pt_keylen);
		if (rc == IGW_EDENIED)
			igw_conf_error(e, line, "keyFile %s: secret file is accessible by group or "
			               "others (chmod 600)", key);
		else if (rc != IGW_OK)
			igw_conf_error(e, line, "keyFile %s: %s (expected hexadecimal key text)", key,
			               igw_strerror(rc));
		else if (b->pt_type == IMSC_PT_LEGACY && b->pt_keylen != IMSC_PT_LEGACY_KEY_LEN)
			igw_conf_error(e, line, "keyFile %s: a legacy PassTicket key is %u bytes, found %zu",
			               key, IMSC_PT_LEGACY_KEY_LEN, b->pt_keylen);
		else if (b->pt_type != IMSC_PT_LEGACY && b->pt_keylen < IMSC_PT_ENH_KEY_MIN)
			igw_conf_error(e, line, "keyFile %s: an enhanced PassTicket key is %u..%u bytes, found %zu",
			               key, IMSC_PT_ENH_KEY_MIN, IMSC_PT_ENH_KEY_MAX, b->pt_keylen);
		free(key);
	}
}

static void bundle_free_fields(struct igw_bundle *b)
{
	free(b->name);
	free(b->file);
	xmlFree(b->host);
	free(b->tls_ca);
	free(b->tls_cert);
	free(b->tls_key);
	xmlFree(b->tls_server_name);
	igw_secure_free_str(b->password);
	igw_secure_zero(b, sizeof(*b));
}

const char *igw_config_xsd(size_t *len)
{
	*len = igw_bundle_xsd_len;
	return igw_bundle_xsd;
}

/* pointers into the bundles must follow the array when it moves */
static void reaim(struct igw_bundle_set *set)
{
	for (unsigned i = 0; i < set->count; i++) {
		struct igw_bundle *x = &set->bundles[i];
		x->ep.host = x->host;
		x->ep.tls.ca_file = x->tls_ca;
		x->ep.tls.cert_file = x->tls_cert;
		x->ep.tls.key_file = x->tls_key;
		x->ep.tls.server_name = x->tls_server_name;
	}
}

int igw_bundle_from_xml(xmlNodePtr root, const char *path, struct igw_conf_errors *e,
                        struct igw_bundle_set *set)
{
	unsigned before = e->count;
	const char *saved = e->file;
	struct igw_bundle b;
	memset(&b, 0, sizeof(b));
	e->file = path;
	b.file = strdup(path);
	b.line = igw_xml_line(root);
	char *name = igw_xml_attr(root, "name");
	b.name = name ? strdup(name) : NULL;
	xmlFree(name);
	load_imsconnect(&b, igw_xml_child(root, "imsConnect"), e);
	if (igw_xml_child(root, "credentials"))
		load_credentials(&b, igw_xml_child(root, "credentials"), e);
	if (igw_xml_child(root, "passTicket"))
		load_passticket(&b, igw_xml_child(root, "passTicket"), e);
	const struct igw_bundle *dup = igw_bundle_find(set, b.name);
	if (dup)
		igw_conf_error(e, b.line, "bundle '%s' already defined in %s:%d", b.name,
		               dup->file, dup->line);
	struct igw_bundle *grown = NULL;
	if (e->count == before)
		grown = realloc(set->bundles, (set->count + 1) * sizeof(*grown));
	if (grown) {
		set->bundles = grown;
		set->bundles[set->count++] = b;
		reaim(set);
	} else {
		if (e->count == before)
			igw_conf_error(e, 0, "out of memory");
		bundle_free_fields(&b);
	}
	e->file = saved;
	return e->count == before ? IGW_OK : IGW_ECONFIG;
}

int igw_bundle_load_file(const char *path, struct igw_conf_errors *e, struct igw_bundle_set *set)
{
	unsigned before = e->count;
	xmlSchemaPtr schema = igw_xml_schema_compile(igw_bundle_xsd, igw_bundle_xsd_len, e);
	xmlDocPtr doc = schema ? igw_xml_load(path, schema, e) : NULL;
	if (doc) {
		xmlNodePtr root = xmlDocGetRootElement(doc);
		if (strcmp((const char *)root->name, "bundle") != 0) {
			const char *saved = e->file;
			e->file = path;
			igw_conf_error(e, igw_xml_line(root), "expected a <bundle>");
			e->file = saved;
		} else {
			igw_bundle_from_xml(root, path, e, set);
		}
		xmlFreeDoc(doc);
	}
	xmlSchemaFree(schema);
	return e->count == before ? IGW_OK : IGW_ECONFIG;
}

const struct igw_bundle *igw_bundle_find(const struct igw_bundle_set *set, const char *name)
{
	const struct igw_bundle *found = NULL;
	for (unsigned i = 0; set && name && i < set->count && !found; i++)
		if (strcmp(set->bundles[i].name, name) == 0)
			found = &set->bundles[i];
	return found;
}

void igw_bundles_clear(struct igw_bundle_set *set)
{
	for (unsigned i = 0; i < set->count; i++)
		bundle_free_fields(&set->bundles[i]);
	free(set->bundles);
	set->bundles = NULL;
	set->count = 0;
}
