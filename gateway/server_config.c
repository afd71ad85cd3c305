/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "imsgw/core.h"
#include "imsgw/conffile.h"
#include "server_config.h"
#include "site.h"
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

struct loader {
	struct igw_conf_errors err;
	struct igw_server_conf *conf;
	const char *path;
	enum { SEC_NONE, SEC_SERVER, SEC_LISTENER, SEC_UNKNOWN } section;
	struct igw_listener_conf *cur;
};

static void listener_defaults(struct igw_listener_conf *l)
{
	l->client_cert = IGW_CLIENT_CERT_REQUIRED;	/* secure by default */
	l->max_connections = IGW_HTTP_CONNECTIONS_DEFAULT;
	l->per_ip_connections = IGW_HTTP_PER_IP_DEFAULT;
	l->connection_timeout_s = IGW_HTTP_TIMEOUT_S_DEFAULT;
	l->request_timeout_s = IGW_HTTP_REQUEST_TIMEOUT_S_DEFAULT;
	l->connection_memory = IGW_HTTP_CONN_MEMORY_DEFAULT;
	l->max_body = IGW_HTTP_BODY_DEFAULT;
	l->threads = IGW_HTTP_THREADS_DEFAULT;
}

static int set_str(struct loader *ld, int line, char **dst, const char *v)
{
	int rc = 0;
	if (*dst) {
		igw_conf_error(&ld->err, line, "duplicate directive");
		rc = -1;
	} else if (!(*dst = strdup(v))) {
		igw_conf_error(&ld->err, line, "out of memory");
		rc = -1;
	}
	return rc;
}

static int set_path(struct loader *ld, int line, char **dst, const char *v)
{
	int rc = 0;
	if (*dst) {
		igw_conf_error(&ld->err, line, "duplicate directive");
		rc = -1;
	} else if (!(*dst = igw_conf_resolve(ld->path, v))) {
		igw_conf_error(&ld->err, line, "out of memory");
		rc = -1;
	}
	return rc;
}

static void uint_kw(struct loader *ld, const struct igw_conf_line *cl, unsigned min,
                    unsigned max, unsigned *dst)
{
	if (igw_conf_uint(cl->words[1], min, max, dst) != 0)
		igw_conf_error(&ld->err, cl->lineno, "%s: '%s' is not a whole number in %u..%u",
		               cl->words[0], cl->words[1], min, max);
}

static void server_directive(struct loader *ld, const struct igw_conf_line *cl)
{
	const char *k = cl->words[0], *v = cl->words[1];
	if (strcmp(k, "log-level") == 0) {
		int lvl = igw_log_level_parse(v);
		if (lvl < 0)
			igw_conf_error(&ld->err, cl->lineno, "log-level: '%s' is not one of error, warn, info, debug", v);
		else
			ld->conf->log_level = lvl;
	} else if (strcmp(k, "log-format") == 0) {
		int f = igw_log_format_parse(v);
		if (f < 0)
			igw_conf_error(&ld->err, cl->lineno, "log-format: '%s' is not one of text, json", v);
		else
			ld->conf->log_format = f;
	} else if (strcmp(k, "workers") == 0) {
		uint_kw(ld, cl, 1, IGW_PROVIDER_WORKERS_MAX, &ld->conf->workers);
	} else if (strcmp(k, "worker-scheduling") == 0) {
		if (strcmp(v, "batch") == 0)
			ld->conf->worker_sched = IGW_WORKER_SCHED_BATCH;
		else if (strcmp(v, "normal") == 0)
			ld->conf->worker_sched = IGW_WORKER_SCHED_NORMAL;
		else
			igw_conf_error(&ld->err, cl->lineno, "worker-scheduling: '%s' is not one of batch, normal", v);
	} else if (strcmp(k, "admin-subject") == 0) {
		set_str(ld, cl->lineno, &ld->conf->admin_subject, v);
	} else if (strcmp(k, "bundles") == 0) {
		ld->conf->bundles_line = cl->lineno;
		set_path(ld, cl->lineno, &ld->conf->bundles_dir, v);
	} else {
		igw_conf_error(&ld->err, cl->lineno, "unknown directive '%s' in [server]", k);
	}
}

static void listener_directive(struct loader *ld, const struct igw_conf_line *cl)
{
	struct igw_listener_conf *l = ld->cur;
	const char *k = cl->words[0], *v = cl->words[1];
	int line = cl->lineno;
	if (strcmp(k, "address") == 0) {
		unsigned char tmp[16];
		if (strcmp(v, "localhost") != 0 && inet_pton(AF_INET, v, tmp) != 1 &&
		    inet_pton(AF_INET6, v, tmp) != 1)
			igw_conf_error(&ld->err, line, "address: '%s' is not a numeric IPv4/IPv6 address or localhost", v);
		else
			set_str(ld, line, &l->address, v);
	} else if (strcmp(k, "port") == 0) {
		l->port_line = line;
		uint_kw(ld, cl, 1, 65535, &l->port);
	} else if (strcmp(k, "tls-cert") == 0) {
		l->tls_cert_line = line;
		set_path(ld, line, &l->tls_cert_path, v);
	} else if (strcmp(k, "tls-key") == 0) {
		l->tls_key_line = line;
		set_path(ld, line, &l->tls_key_path, v);
	} else if (strcmp(k, "client-ca") == 0) {
		l->client_ca_line = line;
		set_path(ld, line, &l->client_ca_path, v);
	} else if (strcmp(k, "client-cert") == 0) {
		if (strcmp(v, "required") == 0)
			l->client_cert = IGW_CLIENT_CERT_REQUIRED;
		else if (strcmp(v, "optional") == 0)
			l->client_cert = IGW_CLIENT_CERT_OPTIONAL;
		else if (strcmp(v, "none") == 0)
			l->client_cert = IGW_CLIENT_CERT_NONE;
		else
			igw_conf_error(&ld->err, line, "client-cert: '%s' is not one of required, optional, none", v);
	} else if (strcmp(k, "max-connections") == 0) {
		uint_kw(ld, cl, 1, IGW_HTTP_CONNECTIONS_MAX, &l->max_connections);
	} else if (strcmp(k, "per-ip-connections") == 0) {
		uint_kw(ld, cl, 1, IGW_HTTP_CONNECTIONS_MAX, &l->per_ip_connections);
	} else if (strcmp(k, "connection-timeout") == 0) {
		uint_kw(ld, cl, 1, IGW_HTTP_TIMEOUT_S_MAX, &l->connection_timeout_s);
	} else if (strcmp(k, "request-timeout") == 0) {
		uint_kw(ld, cl, 1, IGW_HTTP_TIMEOUT_S_MAX, &l->request_timeout_s);
	} else if (strcmp(k, "connection-memory") == 0) {
		uint_kw(ld, cl, IGW_HTTP_CONN_MEMORY_MIN, IGW_HTTP_CONN_MEMORY_MAX, &l->connection_memory);
	} else if (strcmp(k, "max-body") == 0) {
		uint_kw(ld, cl, 1, IGW_HTTP_BODY_MAX, &l->max_body);
	} else if (strcmp(k, "threads") == 0) {
		uint_kw(ld, cl, 1, IGW_HTTP_THREADS_MAX, &l->threads);
	} else {
		igw_conf_error(&ld->err, line, "unknown directive '%s' in [listener]", k);
	}
}

static void section(struct loader *ld, const struct igw_conf_line *cl)
{
	const char *s = cl->words[0];
	if (strcmp(s, "server") == 0 && cl->nwords == 1) {
		ld->section = SEC_SERVER;
	} else if (strcmp(s, "listener") == 0) {
		ld->section = SEC_LISTENER;
		if (cl->nwords != 2) {
			igw_conf_error(&ld->err, cl->lineno, "[listener NAME] needs a name");
			ld->section = SEC_UNKNOWN;
		} else if (ld->conf->n_listeners == IGW_LISTENERS_MAX) {
			igw_conf_error(&ld->err, cl->lineno, "too many listeners (at most %u)", IGW_LISTENERS_MAX);
			ld->section = SEC_UNKNOWN;
		} else {
			for (unsigned i = 0; i < ld->conf->n_listeners; i++)
				if (strcmp(ld->conf->listeners[i].name, cl->words[1]) == 0)
					igw_conf_error(&ld->err, cl->lineno,
					               "listener '%s' already defined at line %d",
					               cl->words[1], ld->conf->listeners[i].line);
			ld->cur = &ld->conf->listeners[ld->conf->n_listeners++];
			listener_defaults(ld->cur);
			ld->cur->line = cl->lineno;
			ld->cur->name = strdup(cl->words[1]);
		}
	} else {
		igw_conf_error(&ld->err, cl->lineno, "unknown section [%s]", s);
		ld->section = SEC_UNKNOWN;
	}
}

static void parse_text(struct loader *ld, char *text)
{
	int lineno = 0;
	char *line = text;
	while (line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		lineno++;
		struct igw_conf_line cl;
		if (strlen(line) > IGW_CONFIG_LINE_MAX) {
			igw_conf_error(&ld->err, lineno, "line longer than %u bytes", IGW_CONFIG_LINE_MAX);
		} else if (igw_conf_split(line, lineno, &cl, &ld->err) == 0 && cl.nwords > 0) {
			if (cl.is_section)
				section(ld, &cl);
			else if (cl.nwords != 2)
				igw_conf_error(&ld->err, lineno, "'%s' takes exactly one value", cl.words[0]);
			else if (ld->section == SEC_SERVER)
				server_directive(ld, &cl);
			else if (ld->section == SEC_LISTENER)
				listener_directive(ld, &cl);
			else if (ld->section == SEC_NONE)
				igw_conf_error(&ld->err, lineno, "directive '%s' outside a section", cl.words[0]);
		}
		line = nl ? nl + 1 : NULL;
	}
}

/* Load a PEM file named by a directive; secret files must be private. */
static void load_pem(struct loader *ld, int line, const char *what, const char *path,
                     int secret, char **out)
{
	const char *why = NULL;
	size_t len = 0;
	if (secret && igw_conf_check_secret_file(path, &why) != 0) {
		igw_conf_error(&ld->err, line, "%s %s: %s", what, path, why);
	} else {
		int rc = igw_conf_read_file(path, IGW_PEM_FILE_MAX, out, &len);
		if (rc == IGW_ELIMIT)
			igw_conf_error(&ld->err, line, "%s %s: larger than %u bytes", what, path, IGW_PEM_FILE_MAX);
		else if (rc != IGW_OK)
			igw_conf_error(&ld->err, line, "%s %s: %s", what, path, strerror(errno));
		else if (!strstr(*out, "-----BEGIN "))
			igw_conf_error(&ld->err, line, "%s %s: not a PEM file", what, path);
	}
}

/* The listener's certificate chain and key must load together, and the
 * client CA file must hold at least one certificate: checked with GnuTLS,
 * the library the listener uses, so --check finds what start-up would. */
static void check_tls(struct loader *ld, struct igw_listener_conf *l)
{
	gnutls_certificate_credentials_t cred = NULL;
	if (gnutls_certificate_allocate_credentials(&cred) != GNUTLS_E_SUCCESS)
		return;
	if (l->tls_cert_pem && l->tls_key_pem) {
		gnutls_datum_t c = { (unsigned char *)l->tls_cert_pem, (unsigned)strlen(l->tls_cert_pem) };
		gnutls_datum_t k = { (unsigned char *)l->tls_key_pem, (unsigned)strlen(l->tls_key_pem) };
		int rc = gnutls_certificate_set_x509_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM);
		if (rc < 0)
			igw_conf_error(&ld->err, l->tls_key_line, "listener '%s': tls-cert and tls-key "
			               "do not load together: %s", l->name, gnutls_strerror(rc));
	}
	if (l->client_ca_pem && l->client_cert != IGW_CLIENT_CERT_NONE) {
		gnutls_datum_t ca = { (unsigned char *)l->client_ca_pem, (unsigned)strlen(l->client_ca_pem) };
		int n = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
		if (n <= 0)
			igw_conf_error(&ld->err, l->client_ca_line, "listener '%s': client-ca holds no "
			               "usable certificate", l->name);
	}
	gnutls_certificate_free_credentials(cred);
}

static void validate(struct loader *ld)
{
	struct igw_server_conf *c = ld->conf;
	if (c->n_listeners == 0)
		igw_conf_error(&ld->err, 0, "no [listener NAME] section: nothing to serve");
	for (unsigned i = 0; i < c->n_listeners; i++) {
		struct igw_listener_conf *l = &c->listeners[i];
		if (!l->address && !(l->address = strdup("127.0.0.1")))
			igw_conf_error(&ld->err, l->line, "out of memory");
		if (l->port_line == 0)
			igw_conf_error(&ld->err, l->line, "listener '%s': 'port' is required", l->name);
		if (!l->tls_cert_path || !l->tls_key_path) {
			igw_conf_error(&ld->err, l->line,
			               "listener '%s': 'tls-cert' and 'tls-key' are required (imsgw serves HTTPS only)",
			               l->name);
		} else {
			load_pem(ld, l->tls_cert_line, "tls-cert", l->tls_cert_path, 0, &l->tls_cert_pem);
			load_pem(ld, l->tls_key_line, "tls-key", l->tls_key_path, 1, &l->tls_key_pem);
		}
		if (l->client_cert != IGW_CLIENT_CERT_NONE && !l->client_ca_path)
			igw_conf_error(&ld->err, l->line,
			               "listener '%s': client-cert %s needs 'client-ca'", l->name,
			               l->client_cert == IGW_CLIENT_CERT_REQUIRED ? "required" : "optional");
		else if (l->client_ca_path)
			load_pem(ld, l->client_ca_line, "client-ca", l->client_ca_path, 0, &l->client_ca_pem);
		if (ld->err.count == 0)
			check_tls(ld, l);
		if (l->per_ip_connections > l->max_connections)
			l->per_ip_connections = l->max_connections;
		for (unsigned j = 0; j < i; j++)
			if (c->listeners[j].port == l->port &&
			    strcmp(c->listeners[j].address, l->address) == 0)
				igw_conf_error(&ld->err, l->line, "listener '%s': %s port %u already used by '%s'",
				               l->name, l->address, l->port, c->listeners[j].name);
	}
}

int igw_server_conf_load(const char *path, igw_conf_error_fn err, void *err_ctx,
                         struct igw_server_conf **out, unsigned *nerrors)
{
	struct loader ld;
	char *text = NULL;
	int rc;
	memset(&ld, 0, sizeof(ld));
	ld.err.file = path;
	ld.err.sink = err;
	ld.err.ctx = err_ctx;
	ld.path = path;
	*out = NULL;
	ld.conf = calloc(1, sizeof(*ld.conf));
	if (!ld.conf) {
		rc = IGW_ENOMEM;
		igw_conf_error(&ld.err, 0, "out of memory");
	} else if ((rc = igw_conf_read_file(path, IGW_CONFIG_FILE_MAX, &text, NULL)) != IGW_OK) {
		if (rc == IGW_ELIMIT)
			igw_conf_error(&ld.err, 0, "larger than %u bytes", IGW_CONFIG_FILE_MAX);
		else
			igw_conf_error(&ld.err, 0, "cannot read: %s", strerror(errno));
		rc = IGW_EIO;
	} else {
		ld.conf->path = strdup(path);
		ld.conf->log_level = IGW_LOG_INFO;
		ld.conf->log_format = IGW_LOG_TEXT;
		ld.conf->workers = IGW_PROVIDER_WORKERS_DEFAULT;
		ld.conf->worker_sched = IGW_WORKER_SCHED_BATCH;
		parse_text(&ld, text);
		validate(&ld);
		if (ld.conf->bundles_dir && access(ld.conf->bundles_dir, R_OK | X_OK) != 0)
			igw_conf_error(&ld.err, ld.conf->bundles_line, "bundles %s: %s",
			               ld.conf->bundles_dir, strerror(errno));
		else if (ld.conf->bundles_dir)
			igw_site_load(ld.conf->bundles_dir, &ld.err, &ld.conf->site);
		rc = ld.err.count ? IGW_ECONFIG : IGW_OK;
	}
	free(text);
	if (rc == IGW_OK)
		*out = ld.conf;
	else
		igw_server_conf_free(ld.conf);
	if (nerrors)
		*nerrors = ld.err.count;
	return rc;
}

void igw_server_conf_free(struct igw_server_conf *conf)
{
	if (conf) {
		for (unsigned i = 0; i < conf->n_listeners; i++) {
			struct igw_listener_conf *l = &conf->listeners[i];
			free(l->name);
			free(l->address);
			free(l->tls_cert_path);
			free(l->tls_key_path);
			free(l->client_ca_path);
			free(l->tls_cert_pem);
			igw_secure_free_str(l->tls_key_pem);
			free(l->client_ca_pem);
		}
		igw_site_free(conf->site);
		free(conf->bundles_dir);
		free(conf->admin_subject);
		free(conf->path);
		free(conf);
	}
}
