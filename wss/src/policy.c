/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy defaults and compilation (string copies, truststore, module). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void igw_wss_policy_conf_defaults(struct igw_wss_policy_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->require_token = 1;
	c->ut_allow_text = 1;
	c->ut_allow_digest = 0;		/* needs creds.get_password */
	c->ut_text_mode = IGW_WSS_PW_PASSTHROUGH;
	c->ut_pass_password = 1;
	c->ut_nonce = IGW_WSS_OPTIONAL;
	c->ut_created = IGW_WSS_OPTIONAL;
	c->ut_max_age_s = 300;
	c->ut_future_skew_s = 60;
	c->ts = IGW_WSS_OPTIONAL;
	c->ts_past_skew_s = 60;
	c->ts_future_skew_s = 60;
	c->saml_sig = IGW_WSS_SIG_REQUIRED;
	c->saml_trust = IGW_WSS_TRUST_ONE;
	c->saml_skew_s = 60;
	c->saml_max_lifetime_s = IGW_WSS_SAML_LIFETIME_S;
	c->saml_replay = IGW_WSS_SAML_REPLAY_ALL;
}

/* Copy *s into the policy's owned strings; NULL stays NULL. */
static int own(struct igw_wss_policy *p, const char **s)
{
	char *d, **grown;
	if (!*s)
		return IGW_OK;
	d = wss_strdup(*s);
	grown = d ? realloc(p->owned, (p->n_owned + 1) * sizeof(*p->owned)) : NULL;
	if (!grown) {
		free(d);
		return IGW_ENOMEM;
	}
	p->owned = grown;
	p->owned[p->n_owned++] = d;
	*s = d;
	return IGW_OK;
}

static int check(const struct igw_wss_policy_conf *c, char *err, size_t errlen)
{
	const char *why = NULL;
	if (c->tokens & ~(unsigned)(IGW_WSS_TOKEN_UT | IGW_WSS_TOKEN_SAML11 | IGW_WSS_TOKEN_SAML20))
		why = "unknown token type bits";
	else if ((c->tokens & IGW_WSS_TOKEN_UT) && !c->ut_allow_text && !c->ut_allow_digest)
		why = "UsernameToken accepted but neither PasswordText nor PasswordDigest";
	else if ((c->tokens & IGW_WSS_TOKEN_UT) && c->ut_allow_digest && !c->creds.get_password)
		why = "PasswordDigest needs a credential store with clear passwords (get_password)";
	else if ((c->tokens & IGW_WSS_TOKEN_UT) && c->ut_allow_text &&
	         c->ut_text_mode == IGW_WSS_PW_PASSTHROUGH && !c->ut_pass_password)
		why = "PasswordText passthrough must pass the password on";
	else if ((c->tokens & IGW_WSS_TOKEN_UT) && c->ut_allow_text && c->ut_text_mode == IGW_WSS_PW_LOCAL &&
	         !c->creds.get_password && !c->creds.check_password)
		why = "PasswordText local check needs a credential store";
	else if ((c->tokens & (IGW_WSS_TOKEN_SAML11 | IGW_WSS_TOKEN_SAML20)) &&
	         c->saml_trust == IGW_WSS_TRUST_ONE && !c->truststore_pem && c->saml_sig == IGW_WSS_SIG_REQUIRED)
		why = "trust one needs a truststore";
	else if (c->ut_max_age_s == 0 && (c->tokens & IGW_WSS_TOKEN_UT))
		why = "ut_max_age_s must be > 0";
	else if (c->attester_count && !c->attesters)
		why = "attester_count without attesters";
	if (why)
		snprintf(err, errlen, "%s", why);
	return why ? IGW_ECONFIG : IGW_OK;
}

int igw_wss_policy_compile(const struct igw_wss_policy_conf *c, struct igw_wss_policy **out,
                           char *err, size_t errlen)
{
	struct igw_wss_policy *p = NULL;
	char scratch[8];
	int rc;
	if (!err) {
		err = scratch;
		errlen = sizeof(scratch);
	}
	err[0] = '\0';
	*out = NULL;
	if (!c)
		return IGW_EINVAL;
	rc = wss_init();
	if (rc == IGW_OK)
		rc = check(c, err, errlen);
	if (rc == IGW_OK && !(p = calloc(1, sizeof(*p))))
		rc = IGW_ENOMEM;
	if (rc == IGW_OK) {
		p->c = *c;
		p->c.understood_headers = NULL;
		p->c.attesters = NULL;
		rc |= own(p, &p->c.service);
		rc |= own(p, &p->c.actor);
		rc |= own(p, &p->c.truststore_pem);
		rc |= own(p, &p->c.saml_audience);
		rc |= own(p, &p->c.module_path);
		rc |= own(p, &p->c.module_arg);
		rc = rc ? IGW_ENOMEM : IGW_OK;
	}
	if (rc == IGW_OK && c->understood_headers) {
		size_t n = 0;
		while (c->understood_headers[n])
			n++;
		const char **u = calloc(n + 1, sizeof(*u));
		if (!u) {
			rc = IGW_ENOMEM;
		} else {
			for (size_t i = 0; i < n && rc == IGW_OK; i++) {
				u[i] = c->understood_headers[i];
				rc = own(p, &u[i]);
			}
			/* the array itself is owned too (freed through owned[]) */
			if (rc == IGW_OK) {
				char **grown = realloc(p->owned, (p->n_owned + 1) * sizeof(*p->owned));
				if (grown) {
					p->owned = grown;
					p->owned[p->n_owned++] = (char *)u;
					p->c.understood_headers = u;
				} else {
					free(u);
					rc = IGW_ENOMEM;
				}
			} else {
				free(u);
			}
		}
	}
	if (rc == IGW_OK && c->attester_count) {
		p->attesters = calloc(c->attester_count, sizeof(*p->attesters));
		rc = p->attesters ? IGW_OK : IGW_ENOMEM;
		for (size_t i = 0; i < c->attester_count && rc == IGW_OK; i++) {
			p->attesters[i] = c->attesters[i];
			if (!p->attesters[i].who) {
				snprintf(err, errlen, "attester %zu has no subject/fingerprint", i);
				rc = IGW_ECONFIG;
			} else if (own(p, &p->attesters[i].who) || own(p, &p->attesters[i].issuer)) {
				rc = IGW_ENOMEM;
			}
		}
		p->c.attesters = p->attesters;
	}
	if (rc == IGW_OK)
		rc = wss_trust_new(p->c.truststore_pem, &p->trust, err, errlen);
	if (rc == IGW_OK && p->c.module_path)
		rc = wss_module_load(p->c.module_path, p->c.module_arg, &p->module, err, errlen);
	if (rc == IGW_OK && (c->tokens & (IGW_WSS_TOKEN_SAML11 | IGW_WSS_TOKEN_SAML20)) &&
	    c->saml_trust == IGW_WSS_TRUST_ANY)
		igw_log_warn(NULL, "wss: service '%s' uses SAML signer trust 'any': signatures prove "
		             "integrity only, not who signed", p->c.service ? p->c.service : "?");
	if (rc != IGW_OK) {
		igw_wss_policy_free(p);
		p = NULL;
	}
	*out = p;
	return rc;
}

void igw_wss_policy_free(struct igw_wss_policy *p)
{
	if (!p)
		return;
	wss_module_free(p->module);
	wss_trust_free(p->trust);
	for (size_t i = 0; i < p->n_owned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->attesters);
	free(p);
}

int igw_wss_policy_may_wait(const struct igw_wss_policy *p)
{
	return p && p->module != NULL;
}
