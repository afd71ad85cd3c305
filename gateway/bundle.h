/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection bundles: one XML file each (schema bundles/imsgw-config.xsd,
 * compiled into imsgw), saying how services reach one IMS Connect and with
 * which credentials.
 *
 * Loading reads every *.xml file of a folder, validates it against the schema,
 * then checks what a schema cannot: referenced files exist, secret files
 * (password, PassTicket key, TLS key) are private, names are unique.  Every
 * problem is reported as "file:line: reason" through the error collector, and
 * loading goes on so that one run shows all of them.
 *
 * Ownership: a bundle set owns everything in it, secrets included (wiped on
 * free).  It is immutable once loaded and may be shared between threads.
 */
#ifndef IMSGW_BUNDLE_H
#define IMSGW_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>
#include "imsgw/conffile.h"
#include "imsconnect/client.h"
#include "imsconnect/passticket.h"

struct igw_bundle {
	char *name;
	char *file;				/* where it was defined */
	int line;
	/* IMS Connect */
	struct imsc_endpoint ep;		/* strings point into this bundle */
	char *host, *tls_ca, *tls_cert, *tls_key, *tls_server_name;
	unsigned pool_wait_ms;
	unsigned execution_ms;
	unsigned commit_mode;			/* 0 or 1 */
	unsigned trusted_flag;			/* IRM_RES1 trusted-user bits, 0: none */
	int sync_confirm;			/* sync level CONFIRM */
	/* static credentials */
	int has_credentials;
	char user[IMSC_NAME_BUF];
	char group[IMSC_NAME_BUF];		/* "" when none */
	char *password;				/* SECRET; NULL when none */
	/* PassTickets */
	int has_passticket;
	char pt_application[IMSC_NAME_BUF];
	enum imsc_pt_type pt_type;
	uint8_t pt_key[IMSC_PT_ENH_KEY_MAX];	/* SECRET */
	size_t pt_keylen;
};

struct igw_bundle_set {
	struct igw_bundle *bundles;
	unsigned count;
};

/* Add the bundle of a validated <bundle> root node (from file path) to set.
 * Returns IGW_OK, or IGW_ECONFIG after reporting through e. */
int igw_bundle_from_xml(xmlNodePtr root, const char *path, struct igw_conf_errors *e,
                        struct igw_bundle_set *set);
/* Parse, validate and add one bundle file (tests; the daemon uses site.h). */
int igw_bundle_load_file(const char *path, struct igw_conf_errors *e, struct igw_bundle_set *set);
/* The configuration schema compiled into imsgw (bundles/imsgw-config.xsd). */
const char *igw_config_xsd(size_t *len);
const struct igw_bundle *igw_bundle_find(const struct igw_bundle_set *set, const char *name);
/* Free every bundle of set (the set itself is the caller's). */
void igw_bundles_clear(struct igw_bundle_set *set);

/* 1 if s is a valid RACF-style name (1-8 of A-Z a-z 0-9 @ # $). */
int igw_racf_name_valid(const char *s);
/* Copy s upper-cased into out[IMSC_NAME_BUF]; IGW_EINVAL if not valid. */
int igw_racf_name_norm(const char *s, char out[IMSC_NAME_BUF]);

#endif
