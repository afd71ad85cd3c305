/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Services: the web services imsgw exposes, one <service> XML file each in
 * the bundles folder (schema bundles/imsgw-config.xsd).
 *
 * A loaded service holds everything a request needs, prepared once: the
 * bundle it uses, the parsed copybooks and message layouts of each
 * operation, the opened code page, the compiled WS-Security policy (trust
 * store loaded once) and the identity mapping rules.
 *
 * Ownership: a service set owns its services; services point at bundles of
 * the bundle set given at load time, which must outlive them.  Immutable once
 * loaded; shared by all request threads.
 */
#ifndef IMSGW_SERVICE_H
#define IMSGW_SERVICE_H

#include <libxml/tree.h>
#include "imsgw/conffile.h"
#include "copybook/copybook.h"
#include "wss/wss.h"
#include "bundle.h"

enum igw_id_from {
	IGW_ID_FROM_UT = 0, IGW_ID_FROM_SAML, IGW_ID_FROM_CERT, IGW_ID_FROM_NONE, IGW_ID_FROM_ANY,
};
enum igw_id_cred {
	IGW_ID_CRED_TOKEN = 0, IGW_ID_CRED_PASSTICKET, IGW_ID_CRED_BUNDLE, IGW_ID_CRED_NONE,
	IGW_ID_CRED_TRUSTED,
};

struct igw_id_rule {
	int line;
	enum igw_id_from from;
	char *user;			/* "*" = any */
	char *issuer;			/* "*" = any */
	char *racf_user;		/* "$user" = the verified user */
	char group[IMSC_NAME_BUF];	/* "" = none */
	enum igw_id_cred cred;
};

struct igw_operation {
	char *name;			/* request wrapper element; response: name + "Response" */
	int xml_adapter;		/* 1: IMS Connect's XML adapter converts (no copybooks) */
	int one_way;			/* send-only with ACK; HTTP 202, no response */
	char tag_adapt[IMSC_NAME_BUF];	/* adapter name (IRM_TAG_ADAPT) */
	char tag_map[IMSC_NAME_BUF];	/* converter name (IRM_TAG_MAP) */
	char *action;			/* SOAPAction: <namespace>/<name> */
	char trancode[IMSC_NAME_BUF];
	char lterm[IMSC_NAME_BUF];
	struct igw_cb_copybook *in_cb, *out_cb;
	struct igw_cb_msg in, out;
};

struct igw_service {
	char *name;
	char *file;
	int line;
	char *path;
	char *ns;
	const struct igw_bundle *bundle;
	struct igw_cb_codepage *cp;
	int allow_truncate;
	char *wsdl;			/* static WSDL (file contents), NULL: generated */
	struct igw_operation *ops;
	unsigned nops;
	struct igw_wss_policy *policy;
	struct igw_id_rule *rules;
	unsigned nrules;
};

struct igw_service_set {
	struct igw_service *services;
	unsigned count;
};

/* Build a service from a validated <service> root node of file.  Reports
 * problems through e; returns IGW_OK or IGW_ECONFIG. */
int igw_service_from_xml(xmlNodePtr root, const char *file, const struct igw_bundle_set *bundles,
                         struct igw_conf_errors *e, struct igw_service_set *set);
const struct igw_service *igw_service_by_path(const struct igw_service_set *set, const char *path);
const struct igw_operation *igw_service_operation(const struct igw_service *s, const char *action,
                                                  const char *wrapper_ns, const char *wrapper);
/* Free every service of set (the set itself is the caller's). */
void igw_services_clear(struct igw_service_set *set);

#endif
