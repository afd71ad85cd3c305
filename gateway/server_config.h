/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Server configuration: the file an operator edits by hand.
 *
 * Format (docs/CONFIGURATION.md has every directive):
 *
 *   # comment
 *   [server]
 *   log-level info            error | warn | info | debug
 *   log-format text           text | json
 *   bundles DIR               folder of connection bundles (*.xml)
 *   workers 32                threads that wait on IMS Connect (1..256)
 *   worker-scheduling batch   batch | normal (see workers.h)
 *   admin-subject "CN=..."    client certificate subject allowed to reload
 *   [listener NAME]           one block per listener (at most IGW_LISTENERS_MAX)
 *   address 127.0.0.1         numeric IPv4 or IPv6 address, or "localhost"
 *   port 8443
 *   tls-cert FILE             PEM certificate chain (leaf first)
 *   tls-key FILE              PEM private key; must not be group/other readable
 *   client-ca FILE            PEM CA certificates that may issue client certs
 *   client-cert required      required | optional | none
 *   ...limits (see struct igw_listener_conf)
 *
 * Relative paths are resolved against the directory of the configuration
 * file.  Every problem is reported as "file:line: reason" and parsing goes on
 * so that one run shows all of them.
 *
 * Ownership: igw_server_conf_load() returns a configuration the caller frees
 * with igw_server_conf_free(); it owns all strings and file contents in it.
 * A loaded configuration is immutable and may be shared between threads.
 */
#ifndef IMSGW_SERVER_CONFIG_H
#define IMSGW_SERVER_CONFIG_H

#include <stddef.h>
#include "imsgw/limits.h"
#include "workers.h"

enum igw_client_cert_mode {
	IGW_CLIENT_CERT_NONE = 0,	/* not requested */
	IGW_CLIENT_CERT_OPTIONAL = 1,	/* requested; if sent, must verify */
	IGW_CLIENT_CERT_REQUIRED = 2,	/* handshake fails without a valid one */
};

struct igw_listener_conf {
	char *name;
	int line;			/* where the [listener] block starts */
	char *address;
	unsigned port;
	char *tls_cert_path, *tls_key_path, *client_ca_path;
	char *tls_cert_pem, *tls_key_pem, *client_ca_pem;	/* file contents */
	int port_line, tls_cert_line, tls_key_line, client_ca_line;	/* 0: absent */
	enum igw_client_cert_mode client_cert;
	unsigned max_connections;
	unsigned per_ip_connections;
	unsigned connection_timeout_s;
	unsigned request_timeout_s;	/* whole request (headers + body) must arrive in */
	unsigned connection_memory;
	unsigned max_body;
	unsigned threads;
};

struct igw_site;

struct igw_server_conf {
	char *path;			/* the file loaded */
	char *bundles_dir;		/* folder of connection bundles, NULL: none */
	unsigned workers;		/* threads that wait on IMS Connect */
	enum igw_worker_sched worker_sched;	/* their scheduling policy */
	char *admin_subject;		/* may POST /admin/reload; NULL: nobody */
	int bundles_line;
	struct igw_site *site;		/* bundles and services from bundles_dir (owned) */
	int log_level;			/* enum igw_log_level */
	int log_format;			/* enum igw_log_format */
	struct igw_listener_conf listeners[IGW_LISTENERS_MAX];
	unsigned n_listeners;
};

/* Error sink: the loader calls it once per problem with "file:line: reason". */
typedef void (*igw_conf_error_fn)(void *ctx, const char *message);

/*
 * Load and validate the configuration at path.  On success returns IGW_OK and
 * sets *out.  On failure returns IGW_ECONFIG (or IGW_EIO if the file cannot be
 * read), sets *out to NULL, and has reported every problem through err
 * (stderr when err is NULL).  *nerrors, when not NULL, receives the count.
 */
int igw_server_conf_load(const char *path, igw_conf_error_fn err, void *err_ctx,
                         struct igw_server_conf **out, unsigned *nerrors);
void igw_server_conf_free(struct igw_server_conf *conf);

#endif
