/* SPDX-License-Identifier: GPL-2.0-or-later */
/* XML adapter mode: converters over the copybook library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "sim_xml.h"

#ifdef SIM_HAVE_COPYBOOK
#include "copybook/copybook.h"

struct conv {
	const struct sim_conv_def *def;
	struct igw_cb_copybook *cb;
	struct igw_cb_codepage *cp;
	struct igw_cb_msg in, out;
	char wrapper[160];
};

struct sim_xml {
	struct conv conv[IGW_SIM_CONVERTERS_MAX];
	unsigned n;
};

static int load_one(const struct sim_conv_def *d, struct conv *c)
{
	struct igw_cb_diag diag;
	int rc;
	memset(&diag, 0, sizeof(diag));
	c->def = d;
	rc = igw_cb_parse_file(d->copybook, NULL, &c->cb, &diag);
	if (rc != IGW_OK)
		igw_log_error(NULL, "[converter %s] %s: %s %s", d->name, d->copybook, diag.where,
		              diag.text);
	if (rc == IGW_OK && (rc = igw_cb_msg_build(c->cb, d->in_spec, &c->in, &diag)) != IGW_OK)
		igw_log_error(NULL, "[converter %s] input \"%s\": %s", d->name, d->in_spec,
		              diag.text);
	if (rc == IGW_OK && (rc = igw_cb_msg_build(c->cb, d->out_spec, &c->out, &diag)) != IGW_OK)
		igw_log_error(NULL, "[converter %s] output \"%s\": %s", d->name, d->out_spec,
		              diag.text);
	if (rc == IGW_OK &&
	    (rc = igw_cb_codepage_open(d->codepage[0] ? d->codepage : "037", &c->cp)) != IGW_OK)
		igw_log_error(NULL, "[converter %s] code page %s unknown", d->name, d->codepage);
	if (rc == IGW_OK)
		snprintf(c->wrapper, sizeof(c->wrapper), "%s", d->wrapper);
	if (rc == IGW_OK && !c->wrapper[0])
		snprintf(c->wrapper, sizeof(c->wrapper), "%sResponse", d->tran);
	return rc;
}

int sim_xml_create(const struct sim_config *cfg, struct sim_xml **out)
{
	int rc = IGW_OK;
	struct sim_xml *x = calloc(1, sizeof(*x));
	if (!x)
		rc = IGW_ENOMEM;
	for (unsigned i = 0; rc == IGW_OK && i < cfg->nconv; i++) {
		rc = load_one(&cfg->conv[i], &x->conv[i]);
		x->n = i + 1;
	}
	if (rc != IGW_OK) {
		sim_xml_destroy(x);
		x = NULL;
	}
	*out = x;
	return rc;
}

void sim_xml_destroy(struct sim_xml *x)
{
	for (unsigned i = 0; x && i < x->n; i++) {
		if (x->conv[i].cb)
			igw_cb_copybook_free(x->conv[i].cb);
		if (x->conv[i].cp)
			igw_cb_codepage_free(x->conv[i].cp);
	}
	free(x);
}

static const struct conv *find(const struct sim_xml *x, const struct sim_conv_def *d)
{
	const struct conv *c = NULL;
	for (unsigned i = 0; x && i < x->n && !c; i++)
		if (x->conv[i].def == d)
			c = &x->conv[i];
	return c;
}

const struct sim_conv_def *sim_xml_find(const struct sim_xml *x, const char *name)
{
	const struct sim_conv_def *d = NULL;
	for (unsigned i = 0; x && i < x->n && !d; i++)
		if (!strcmp(x->conv[i].def->name, name))
			d = x->conv[i].def;
	return d;
}

int sim_xml_to_input(const struct sim_xml *x, const struct sim_conv_def *d,
                     const void *xml, size_t len, struct igw_buf *out)
{
	const struct conv *c = find(x, d);
	struct igw_cb_diag diag;
	struct igw_cb_conv cv = { .cp = c ? c->cp : NULL, .trancode = d->tran };
	memset(&diag, 0, sizeof(diag));
	int rc = c ? igw_cb_encode_xml(&c->in, &cv, xml, len, out, &diag) : IGW_ENOTFOUND;
	if (rc != IGW_OK)
		igw_log_warn(NULL, "converter %s: request refused: %s %s %s", d->name,
		             diag.reason ? diag.reason : igw_errname(rc), diag.where, diag.text);
	return rc;
}

int sim_xml_from_output(const struct sim_xml *x, const struct sim_conv_def *d,
                        const uint8_t *body, size_t len, struct igw_buf *out)
{
	const struct conv *c = find(x, d);
	struct igw_cb_diag diag;
	struct igw_cb_conv cv = { .cp = c ? c->cp : NULL, .ns = d->ns[0] ? d->ns : NULL };
	memset(&diag, 0, sizeof(diag));
	int rc = c ? igw_cb_decode(&c->out, &cv, c->wrapper, body, len, out, &diag)
	           : IGW_ENOTFOUND;
	if (rc != IGW_OK)
		igw_log_warn(NULL, "converter %s: output refused: %s %s %s", d->name,
		             diag.reason ? diag.reason : igw_errname(rc), diag.where, diag.text);
	return rc;
}

#else	/* no copybook library in this tree */

int sim_xml_create(const struct sim_config *cfg, struct sim_xml **out)
{
	*out = NULL;
	if (cfg->nconv)
		igw_log_warn(NULL, "built without the copybook library: [converter] "
		             "sections are ignored");
	return IGW_OK;
}

void sim_xml_destroy(struct sim_xml *x) { (void)x; }

const struct sim_conv_def *sim_xml_find(const struct sim_xml *x, const char *name)
{
	(void)x; (void)name;
	return NULL;
}

int sim_xml_to_input(const struct sim_xml *x, const struct sim_conv_def *d,
                     const void *xml, size_t len, struct igw_buf *out)
{
	(void)x; (void)d; (void)xml; (void)len; (void)out;
	return IGW_EUNSUPPORTED;
}

int sim_xml_from_output(const struct sim_xml *x, const struct sim_conv_def *d,
                        const uint8_t *body, size_t len, struct igw_buf *out)
{
	(void)x; (void)d; (void)body; (void)len; (void)out;
	return IGW_EUNSUPPORTED;
}
#endif
