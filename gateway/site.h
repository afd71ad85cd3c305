/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bundles folder as a whole: every *.xml file, each a <bundle> or a
 * <service> or a <callout>, validated against the built-in schema; services
 * and callouts are resolved
 * against bundles after all files are read.  One immutable object, built at
 * start and at every reload.
 */
#ifndef IMSGW_SITE_H
#define IMSGW_SITE_H

#include "imsgw/conffile.h"
#include "bundle.h"
#include "service.h"
#include "callout_conf.h"

struct igw_site {
	struct igw_bundle_set bundles;
	struct igw_service_set services;
	struct igw_callout_set callouts;
};

/* Load dir.  IGW_OK with *out set, or IGW_ECONFIG after reporting every
 * problem ("file:line: reason") through e, *out NULL. */
int igw_site_load(const char *dir, struct igw_conf_errors *e, struct igw_site **out);
void igw_site_free(struct igw_site *site);

#endif
