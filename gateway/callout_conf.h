/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Callout services: one <callout> XML file each in the bundles folder
 * (schema bundles/imsgw-config.xsd).  A callout service says which tpipes of
 * a bundle's IMS Connect it serves, how the IMS message becomes the SOAP
 * request (copybooks) and the SOAP response the reply, which external web
 * service is called with which TLS material, HTTP and WS-Security
 * credentials, and what happens when asynchronous delivery keeps failing.
 *
 * Everything is prepared once at load: copybooks parsed, code page opened,
 * secrets read (files must be private), signing key loaded.  A tpipe is
 * served by one callout service only (one poller group per tpipe).
 *
 * Ownership: a callout set owns its callouts and their secrets (wiped on
 * free); callouts point at bundles of the bundle set given at load, which
 * must outlive them.  Immutable once loaded.
 */
#ifndef IMSGW_CALLOUT_CONF_H
#define IMSGW_CALLOUT_CONF_H

#include <libxml/tree.h>
#include "imsgw/conffile.h"
#include "copybook/copybook.h"
#include "wss/wss.h"
#include "bundle.h"
#include "outbound.h"

#define IGW_CO_TPIPES_MAX 16u

enum igw_co_kind { IGW_CO_SYNC = 1u, IGW_CO_ASYNC = 2u };
enum igw_co_resume {
	IGW_CO_RT_SINGLE_WAIT = 0, IGW_CO_RT_SINGLE, IGW_CO_RT_NOAUTO, IGW_CO_RT_AUTO,
};

struct igw_co_tpipe {
	char name[IMSC_NAME_BUF];
	unsigned kinds;			/* IGW_CO_SYNC | IGW_CO_ASYNC */
	enum igw_co_resume resume;
	unsigned workers;		/* RESUME TPIPE sessions (1..32) */
	unsigned poll_timer_ms;		/* RESUME TPIPE wait */
	unsigned error_poll_ms;		/* pause after an IMS Connect error */
	int response_ack;		/* sync responses 'L' (1) or 'M' (0) */
	int stop_on_error;
	int line;
};

struct igw_callout {
	char *name;
	char *file;
	int line;
	char *ns;
	const struct igw_bundle *bundle;
	struct igw_cb_codepage *cp;
	int allow_truncate;
	unsigned in_flight;
	struct igw_co_tpipe tpipes[IGW_CO_TPIPES_MAX];
	unsigned ntpipes;
	/* data */
	char *operation;		/* request element; response: operation + "Response" */
	char *response_name;
	struct igw_cb_copybook *req_cb, *resp_cb;
	struct igw_cb_msg req, resp;
	int has_resp;
	int xml_adapter;		/* IMS Connect's XML adapter converts */
	char tag_adapt[IMSC_NAME_BUF];	/* IRM_TAG_ADAPT */
	char tag_map[IMSC_NAME_BUF];	/* IRM_TAG_MAP (converter) */
	/* target (strings owned here; target points at them) */
	struct igw_out_target target;
	char *url, *action, *http_user, *http_password, *keystore, *keystore_password,
	     *truststore;
	char **overrides;		/* allowed DFSENDPOINTURL prefixes (ICAL
					 * control data); NULL: control data off */
	unsigned noverrides;
	/* WS-Security of the outgoing request */
	int wss;			/* 1: attach a Security header */
	int subject_message;		/* 1: IMS user of the ICAL; 0: bundle user */
	struct igw_wss_out_conf wss_conf; /* strings below */
	char *wss_password, *issuer, *audience;
	struct igw_wss_signer *signer;
	/* asynchronous delivery */
	unsigned max_attempts, backoff_ms, backoff_max_ms;
	char *dead_dir;
};

struct igw_callout_set {
	struct igw_callout *callouts;
	unsigned count;
};

/* Build a callout service from a validated <callout> root node of file.
 * Reports problems through e; returns IGW_OK or IGW_ECONFIG. */
int igw_callout_from_xml(xmlNodePtr root, const char *file, const struct igw_bundle_set *bundles,
                         struct igw_conf_errors *e, struct igw_callout_set *set);
const struct igw_callout *igw_callout_find(const struct igw_callout_set *set, const char *name);
/* Free every callout of set (the set itself is the caller's). */
void igw_callouts_clear(struct igw_callout_set *set);

#endif
