/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>
#include "imsgw/core.h"
#include "identity.h"

static int kind_matches(enum igw_id_from from, enum igw_wss_kind kind)
{
	int m = 0;
	switch (from) {
	case IGW_ID_FROM_UT:   m = kind == IGW_WSS_KIND_USERNAMETOKEN; break;
	case IGW_ID_FROM_SAML: m = kind == IGW_WSS_KIND_SAML; break;
	case IGW_ID_FROM_CERT: m = kind == IGW_WSS_KIND_CERT; break;
	case IGW_ID_FROM_NONE: m = kind == IGW_WSS_KIND_NONE; break;
	case IGW_ID_FROM_ANY:  m = 1; break;
	}
	return m;
}

static int str_matches(const char *pattern, const char *value)
{
	return strcmp(pattern, "*") == 0 || (value && strcmp(pattern, value) == 0);
}

int igw_identity_map(const struct igw_service *s, const struct igw_identity *id, uint64_t now_s,
                     struct igw_ims_creds *out, const char **reason)
{
	const struct igw_id_rule *rule = NULL;
	const struct igw_bundle *b = s->bundle;
	int rc = IGW_OK;

	memset(out, 0, sizeof(*out));
	*reason = NULL;
	for (unsigned i = 0; i < s->nrules && !rule; i++) {
		const struct igw_id_rule *r = &s->rules[i];
		if (kind_matches(r->from, id->kind) && str_matches(r->user, id->user) &&
		    str_matches(r->issuer, id->issuer))
			rule = r;
	}
	if (!rule) {
		*reason = "GW-IDENTITY-UNMAPPED";
		rc = IGW_EDENIED;
	} else {
		out->rule_line = rule->line;
		if (rule->cred == IGW_ID_CRED_BUNDLE) {
			snprintf(out->user, sizeof(out->user), "%s", b->user);
			snprintf(out->group, sizeof(out->group), "%s", b->group);
		} else if (strcmp(rule->racf_user, "$user") == 0) {
			if (igw_racf_name_norm(id->user, out->user) != IGW_OK)
				rc = IGW_EDENIED;	/* the verified name is no RACF id */
		} else {
			igw_racf_name_norm(rule->racf_user, out->user);
		}
		if (rule->group[0])
			snprintf(out->group, sizeof(out->group), "%s", rule->group);
		if (rc == IGW_OK) {
			switch (rule->cred) {
			case IGW_ID_CRED_TOKEN:
				out->cred_kind = "token";
				if (!id->password || strlen(id->password) >= sizeof(out->password))
					rc = IGW_EDENIED;	/* no PasswordText, or longer than RACF allows */
				else
					snprintf(out->password, sizeof(out->password), "%s", id->password);
				break;
			case IGW_ID_CRED_PASSTICKET:
				out->cred_kind = "passticket";
				if (imsc_passticket(b->pt_type, b->pt_key, b->pt_keylen, out->user,
				                    b->pt_application, now_s, out->password, NULL) != IGW_OK)
					rc = IGW_EDENIED;
				break;
			case IGW_ID_CRED_BUNDLE:
				out->cred_kind = "bundle";
				if (b->password)
					snprintf(out->password, sizeof(out->password), "%s", b->password);
				break;
			case IGW_ID_CRED_TRUSTED:
				out->cred_kind = "trusted";
				out->res1 = b->trusted_flag;
				break;
			case IGW_ID_CRED_NONE:
				out->cred_kind = "none";
				break;
			}
		}
		if (rc != IGW_OK) {
			*reason = "GW-IDENTITY-INVALID";
			igw_ims_creds_wipe(out);
		}
	}
	return rc;
}

void igw_ims_creds_wipe(struct igw_ims_creds *c)
{
	igw_secure_zero(c->password, sizeof(c->password));
}
