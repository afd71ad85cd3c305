/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "imsgw/core.h"
#include "site.h"
#include "xmlconf.h"

static int xml_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 4 && strcasecmp(d->d_name + n - 4, ".xml") == 0;
}

int igw_site_load(const char *dir, struct igw_conf_errors *e, struct igw_site **out)
{
	struct dirent **names = NULL;
	unsigned before = e->count;
	size_t xsdlen = 0;
	const char *xsd = igw_config_xsd(&xsdlen);
	struct igw_site *site = calloc(1, sizeof(*site));
	xmlSchemaPtr schema = site ? igw_xml_schema_compile(xsd, xsdlen, e) : NULL;
	int n = schema ? scandir(dir, &names, xml_file, alphasort) : -1;
	xmlDocPtr *docs = NULL;
	char **paths = NULL;

	*out = NULL;
	if (!site)
		igw_conf_error(e, 0, "out of memory");
	else if (schema && n < 0)
		igw_conf_error(e, 0, "bundles folder %s: %s", dir, strerror(errno));
	if (n > 0) {
		docs = calloc((size_t)n, sizeof(*docs));
		paths = calloc((size_t)n, sizeof(*paths));
	}
	for (int i = 0; i < n && docs && paths; i++) {
		size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
		paths[i] = malloc(len);
		if (paths[i]) {
			snprintf(paths[i], len, "%s/%s", dir, names[i]->d_name);
			docs[i] = igw_xml_load(paths[i], schema, e);
		}
	}
	/* bundles first, then services that refer to them */
	for (int pass = 0; pass < 2 && docs; pass++) {
		for (int i = 0; i < n; i++) {
			if (!docs[i])
				continue;
			xmlNodePtr root = xmlDocGetRootElement(docs[i]);
			int is_bundle = strcmp((const char *)root->name, "bundle") == 0;
			if (pass == 0 && is_bundle)
				igw_bundle_from_xml(root, paths[i], e, &site->bundles);
			else if (pass == 1 && strcmp((const char *)root->name, "callout") == 0)
				igw_callout_from_xml(root, paths[i], &site->bundles, e, &site->callouts);
			else if (pass == 1 && !is_bundle)
				igw_service_from_xml(root, paths[i], &site->bundles, e, &site->services);
		}
	}
	for (int i = 0; i < n; i++) {
		if (docs)
			xmlFreeDoc(docs[i]);
		if (paths)
			free(paths[i]);
		free(names[i]);
	}
	free(docs);
	free(paths);
	free(names);
	xmlSchemaFree(schema);
	if (site && e->count == before)
		*out = site;
	else
		igw_site_free(site);
	return *out ? IGW_OK : IGW_ECONFIG;
}

void igw_site_free(struct igw_site *site)
{
	if (site) {
		igw_callouts_clear(&site->callouts);
		igw_services_clear(&site->services);
		igw_bundles_clear(&site->bundles);
		free(site);
	}
}
