/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SAML 1.1 and 2.0 assertions in the Security header.
 *
 * The assertion read here is the node the caller found as a direct child of
 * the Security header; its signature (a direct child ds:Signature) must
 * cover that very node (sigverify.c).  NameID text must be pure text: a
 * comment, PI or element inside it is refused (the comment-truncation attack
 * relies on readers that return only the first text node).
 *
 * Order: shape and version, signature (if present / required), times,
 * audience, confirmation method, sender-vouches attester, replay.
 */
#include <string.h>
#include <stdlib.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/base64.h>
#include "internal.h"

struct saml {
	int version;			/* 11 or 20 */
	const char *ns;
	const char *id;
	char *issuer, *name, *format;
	int64_t issue_instant, not_before, not_on_or_after;
	int has_nb, has_noa, one_time_use;
	int sv, bearer, hok;		/* confirmation methods seen */
	char *hok_cert;			/* holder-of-key X509Certificate (Base64) */
	xmlNodePtr sig;
	char *signer_subject, *signer_fp;
	int sig_ok, signer_trusted;
};

static void saml_clear(struct saml *s)
{
	free(s->issuer);
	free(s->name);
	free(s->format);
	free(s->signer_subject);
	free(s->signer_fp);
	free(s->hok_cert);
}

/* First ds:X509Certificate below n (holder-of-key confirmation key). */
static xmlNodePtr find_cert(xmlNodePtr n)
{
	xmlNodePtr found = NULL;
	for (xmlNodePtr e = wss_first_elem(n); e && !found; e = wss_next_elem(e))
		found = wss_is(e, WSS_NS_DS, "X509Certificate") ? e : find_cert(e);
	return found;
}

static void keep_hok_cert(struct saml *s, xmlNodePtr confirmation)
{
	xmlNodePtr c = find_cert(confirmation);
	if (c && !s->hok_cert && wss_text(c, IGW_WSS_CERT_DER_MAX * 2, &s->hok_cert) != IGW_OK)
		s->hok_cert = NULL;
}

static int get_time(struct wss_ctx *x, xmlNodePtr n, const char *attr, int64_t *out, int *has)
{
	const char *v = wss_attr(n, NULL, attr);
	int rc = IGW_OK;
	*has = v != NULL;
	if (v && wss_parse_datetime(v, out) != IGW_OK)
		rc = wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "bad %s", attr);
	return rc;
}

static int read_nameid(struct wss_ctx *x, struct saml *s, xmlNodePtr n)
{
	char *v = NULL;
	const char *fmt = wss_attr(n, NULL, "Format");
	int rc = wss_text(n, IGW_WSS_FIELD_MAX, &v);
	if (rc == IGW_EPARSE)
		return wss_fail(x, IGW_EAUTH, "SAML-NAMEID", "NameID contains a comment, PI or element");
	if (rc != IGW_OK || !v || !*v || wss_blank(v)) {
		free(v);
		return wss_fail(x, IGW_EAUTH, "SAML-NAMEID", "NameID empty or too long");
	}
	if (s->name && strcmp(s->name, v) != 0) {
		free(v);
		return wss_fail(x, IGW_EAUTH, "SAML-NAMEID", "statements name different subjects");
	}
	if (!s->name) {
		s->name = v;
		s->format = fmt ? wss_strdup(fmt) : NULL;
	} else {
		free(v);
	}
	return IGW_OK;
}

static void method(struct saml *s, const char *m)
{
	if (!m)
		return;
	if (strcmp(m, WSS_CM1_SV) == 0 || strcmp(m, WSS_CM2_SV) == 0)
		s->sv = 1;
	else if (strcmp(m, WSS_CM1_BEARER) == 0 || strcmp(m, WSS_CM2_BEARER) == 0)
		s->bearer = 1;
	else if (strcmp(m, WSS_CM1_HOK) == 0 || strcmp(m, WSS_CM2_HOK) == 0)
		s->hok = 1;
}

/* SAML 1.1 <Subject> (inside a statement) */
static int subject1(struct wss_ctx *x, struct saml *s, xmlNodePtr subj)
{
	int rc = IGW_OK, names = 0;
	for (xmlNodePtr e = wss_first_elem(subj); e && rc == IGW_OK; e = wss_next_elem(e)) {
		if (wss_is(e, WSS_NS_SAML1, "NameIdentifier")) {
			names++;
			rc = read_nameid(x, s, e);
		} else if (wss_is(e, WSS_NS_SAML1, "SubjectConfirmation")) {
			for (xmlNodePtr m = wss_first_elem(e); m && rc == IGW_OK; m = wss_next_elem(m)) {
				if (wss_is(m, WSS_NS_SAML1, "ConfirmationMethod")) {
					char *v = NULL;
					if (wss_text(m, IGW_WSS_FIELD_MAX, &v) != IGW_OK)
						rc = wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "bad ConfirmationMethod");
					else
						method(s, v);
					free(v);
				}
			}
			keep_hok_cert(s, e);
		}
	}
	if (rc == IGW_OK && names != 1)
		rc = wss_fail(x, IGW_EAUTH, "SAML-NAMEID", "Subject needs exactly one NameIdentifier");
	return rc;
}

/* SAML 2.0 <Subject> */
static int subject2(struct wss_ctx *x, struct saml *s, xmlNodePtr subj)
{
	int rc = IGW_OK, names = 0;
	for (xmlNodePtr e = wss_first_elem(subj); e && rc == IGW_OK; e = wss_next_elem(e)) {
		if (wss_is(e, WSS_NS_SAML2, "NameID")) {
			names++;
			rc = read_nameid(x, s, e);
		} else if (wss_is(e, WSS_NS_SAML2, "SubjectConfirmation")) {
			const char *m = wss_attr(e, NULL, "Method");
			method(s, m);
			if (m && strcmp(m, WSS_CM2_HOK) == 0)
				keep_hok_cert(s, e);
		} else {
			rc = wss_fail(x, IGW_EUNSUPPORTED, "SAML-NAMEID", "unsupported <%.32s> in Subject",
			              (const char *)e->name);
		}
	}
	if (rc == IGW_OK && names != 1)
		rc = wss_fail(x, IGW_EAUTH, "SAML-NAMEID", "Subject needs exactly one NameID");
	return rc;
}

static int audience(struct wss_ctx *x, xmlNodePtr restriction, const char *ns, int *matched)
{
	const char *want = x->p->c.saml_audience;
	int rc = IGW_OK, hit = 0;
	for (xmlNodePtr a = wss_first_elem(restriction); a && rc == IGW_OK; a = wss_next_elem(a)) {
		char *v = NULL;
		if (!wss_is(a, ns, "Audience"))
			continue;
		if (wss_text(a, IGW_WSS_FIELD_MAX, &v) != IGW_OK)
			rc = wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "bad Audience");
		else if (want && strcmp(v, want) == 0)
			hit = 1;
		free(v);
	}
	if (rc == IGW_OK && want && !hit)
		rc = wss_fail(x, IGW_EDENIED, "SAML-AUDIENCE", "audience restriction excludes us");
	*matched |= hit;
	return rc;
}

static int conditions(struct wss_ctx *x, struct saml *s, xmlNodePtr cond)
{
	int rc, matched = 0;
	rc = get_time(x, cond, "NotBefore", &s->not_before, &s->has_nb);
	if (rc == IGW_OK)
		rc = get_time(x, cond, "NotOnOrAfter", &s->not_on_or_after, &s->has_noa);
	for (xmlNodePtr e = wss_first_elem(cond); e && rc == IGW_OK; e = wss_next_elem(e)) {
		if (s->version == 20 && wss_is(e, WSS_NS_SAML2, "AudienceRestriction"))
			rc = audience(x, e, WSS_NS_SAML2, &matched);
		else if (s->version == 11 && wss_is(e, WSS_NS_SAML1, "AudienceRestrictionCondition"))
			rc = audience(x, e, WSS_NS_SAML1, &matched);
		else if (s->version == 20 && wss_is(e, WSS_NS_SAML2, "OneTimeUse"))
			s->one_time_use = 1;
		else if ((s->version == 20 && wss_is(e, WSS_NS_SAML2, "ProxyRestriction")) ||
		         (s->version == 11 && wss_is(e, WSS_NS_SAML1, "DoNotCacheCondition")))
			continue;
		else	/* an unknown condition makes the assertion Indeterminate */
			rc = wss_fail(x, IGW_EUNSUPPORTED, "SAML-CONDITIONS", "unsupported condition <%.32s>",
			              (const char *)e->name);
	}
	if (rc == IGW_OK && x->p->c.saml_audience && !matched)
		rc = wss_fail(x, IGW_EDENIED, "SAML-AUDIENCE", "no AudienceRestriction names us");
	return rc;
}

static void attribute(struct wss_ctx *x, xmlNodePtr a, const char *ns, const char *name_attr)
{
	struct igw_wss_result *r = x->r;
	const char *name = wss_attr(a, NULL, name_attr);
	char *v = NULL;
	xmlNodePtr val = NULL;
	for (xmlNodePtr e = wss_first_elem(a); e && !val; e = wss_next_elem(e))
		if (wss_is(e, ns, "AttributeValue"))
			val = e;
	if (!name || !val || r->nattr >= IGW_WSS_SAML_ATTRS_MAX ||
	    wss_text(val, IGW_WSS_FIELD_MAX, &v) != IGW_OK)
		return;	/* attributes are informational: skip what is not plain */
	if (wss_result_add_attr(r, name, v) != IGW_OK)
		free(v);
}

static int shape(struct wss_ctx *x, struct saml *s, xmlNodePtr as)
{
	int rc = IGW_OK, has = 0, nsig = 0, ncond = 0, nsubj = 0;
	if (s->version == 20) {
		const char *v = wss_attr(as, NULL, "Version");
		if (!v || strcmp(v, "2.0") != 0)
			return wss_fail(x, IGW_EUNSUPPORTED, "SAML-VERSION", "Version is not 2.0");
		s->id = wss_attr(as, NULL, "ID");
	} else {
		const char *ma = wss_attr(as, NULL, "MajorVersion"), *mi = wss_attr(as, NULL, "MinorVersion");
		const char *iss = wss_attr(as, NULL, "Issuer");
		if (!ma || !mi || strcmp(ma, "1") != 0 || strcmp(mi, "1") != 0)
			return wss_fail(x, IGW_EUNSUPPORTED, "SAML-VERSION", "version is not 1.1");
		s->id = wss_attr(as, NULL, "AssertionID");
		if (iss && *iss)
			s->issuer = wss_strdup(iss);
	}
	if (!s->id || !*s->id)
		return wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "assertion without ID");
	rc = get_time(x, as, "IssueInstant", &s->issue_instant, &has);
	if (rc == IGW_OK && !has)
		rc = wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "no IssueInstant");
	for (xmlNodePtr e = wss_first_elem(as); e && rc == IGW_OK; e = wss_next_elem(e)) {
		if (wss_is(e, WSS_NS_DS, "Signature")) {
			s->sig = e;
			nsig++;
		} else if (wss_is(e, s->ns, "Conditions")) {
			ncond++;
			rc = ncond > 1 ? wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "two Conditions")
			               : conditions(x, s, e);
		} else if (s->version == 20 && wss_is(e, WSS_NS_SAML2, "Issuer")) {
			if (s->issuer || wss_text(e, IGW_WSS_FIELD_MAX, &s->issuer) != IGW_OK)
				rc = wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "bad or repeated Issuer");
		} else if (s->version == 20 && wss_is(e, WSS_NS_SAML2, "Subject")) {
			nsubj++;
			rc = nsubj > 1 ? wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "two Subjects")
			               : subject2(x, s, e);
		} else if (s->version == 20 && wss_is(e, WSS_NS_SAML2, "AttributeStatement")) {
			for (xmlNodePtr a = wss_first_elem(e); a; a = wss_next_elem(a))
				if (wss_is(a, WSS_NS_SAML2, "Attribute"))
					attribute(x, a, WSS_NS_SAML2, "Name");
		} else if (s->version == 11 && e->ns && strcmp((const char *)e->ns->href, WSS_NS_SAML1) == 0 &&
		           strstr((const char *)e->name, "Statement")) {
			for (xmlNodePtr c = wss_first_elem(e); c && rc == IGW_OK; c = wss_next_elem(c)) {
				if (wss_is(c, WSS_NS_SAML1, "Subject")) {
					nsubj++;
					rc = subject1(x, s, c);
				} else if (wss_is(c, WSS_NS_SAML1, "Attribute")) {
					attribute(x, c, WSS_NS_SAML1, "AttributeName");
				}
			}
		}
	}
	if (rc == IGW_OK && nsig > 1)
		rc = wss_fail(x, IGW_ESIGNATURE, "SAML-XSW", "more than one Signature in the assertion");
	if (rc == IGW_OK && (!s->issuer || !*s->issuer))
		rc = wss_fail(x, IGW_EPARSE, "SAML-MALFORMED", "no Issuer");
	if (rc == IGW_OK && (nsubj == 0 || !s->name))
		rc = wss_fail(x, IGW_EAUTH, "SAML-NAMEID", "no Subject");
	return rc;
}

static int64_t lifetime_ms(const struct igw_wss_policy_conf *c)
{
	return (int64_t)(c->saml_max_lifetime_s ? c->saml_max_lifetime_s : IGW_WSS_SAML_LIFETIME_S) * 1000;
}

/* An assertion older than the maximum lifetime is refused even without
 * NotOnOrAfter: that bounds how long replay-cache entries must live. */
static int times(struct wss_ctx *x, const struct saml *s)
{
	int64_t skew = (int64_t)x->p->c.saml_skew_s * 1000;
	int rc = IGW_OK;
	if (x->now_ms - s->issue_instant > lifetime_ms(&x->p->c) + skew)
		rc = wss_fail(x, IGW_EEXPIRED, "SAML-EXPIRED", "IssueInstant older than the maximum lifetime");
	else if (s->issue_instant > x->now_ms + skew)
		rc = wss_fail(x, IGW_EEXPIRED, "SAML-NOT-YET-VALID", "IssueInstant in the future");
	else if (s->has_nb && x->now_ms + skew < s->not_before)
		rc = wss_fail(x, IGW_EEXPIRED, "SAML-NOT-YET-VALID", "before NotBefore");
	else if (s->has_noa && x->now_ms - skew >= s->not_on_or_after)
		rc = wss_fail(x, IGW_EEXPIRED, "SAML-EXPIRED", "at or after NotOnOrAfter");
	return rc;
}

static int attester_match(const struct igw_wss_policy *p, const char *issuer,
                          const char *subject, const char *fp)
{
	int ok = 0;
	for (size_t i = 0; i < p->c.attester_count && !ok; i++) {
		const struct igw_wss_attester *a = &p->attesters[i];
		if (a->issuer && strcmp(a->issuer, issuer) != 0)
			continue;
		ok = (subject && strcmp(a->who, subject) == 0) || (fp && strcmp(a->who, fp) == 0);
	}
	return ok;
}

/* Sender-vouches: who vouches?  The TLS client, or a trusted signer. */
static int attester(struct wss_ctx *x, const struct saml *s, char **who)
{
	const struct igw_wss_request *rq = x->req;
	const struct igw_wss_policy *p = x->p;
	int tls = rq && (rq->tls_subject || rq->tls_fingerprint);
	int signer = s->sig_ok && s->signer_trusted && p->c.saml_trust == IGW_WSS_TRUST_ONE;
	const char *pick = NULL;
	*who = NULL;
	if (p->c.attester_count == 0) {
		if (tls)
			pick = rq->tls_subject ? rq->tls_subject : rq->tls_fingerprint;
		else if (signer)
			pick = s->signer_subject;
	} else {
		if (tls && attester_match(p, s->issuer, rq->tls_subject, rq->tls_fingerprint))
			pick = rq->tls_subject ? rq->tls_subject : rq->tls_fingerprint;
		else if (signer && attester_match(p, s->issuer, s->signer_subject, s->signer_fp))
			pick = s->signer_subject;
	}
	if (!pick)
		return wss_fail(x, IGW_EDENIED, "SAML-SV-NO-ATTESTER",
		                "no allowed attester (TLS client or trusted signer) for sender-vouches");
	*who = wss_strdup(pick);
	return *who ? IGW_OK : IGW_ENOMEM;
}

/*
 * Holder-of-key: the presenter must prove possession of the confirmation
 * key.  The only proof accepted here is the TLS client certificate: its
 * fingerprint must equal that of the X509Certificate in the confirmation.
 */
static int hok_binding(struct wss_ctx *x, const struct saml *s)
{
	const char *tls = x->req ? x->req->tls_fingerprint : NULL;
	uint8_t *der = NULL;
	xmlSecSize n = 0;
	char fp[72];
	int ok = 0;
	if (tls && s->hok_cert && (der = malloc(IGW_WSS_CERT_DER_MAX)) != NULL &&
	    xmlSecBase64Decode_ex((const xmlChar *)s->hok_cert, der, IGW_WSS_CERT_DER_MAX, &n) >= 0 && n > 0) {
		wss_fingerprint(der, n, fp);
		ok = strcmp(fp, tls) == 0;
	}
	free(der);
	return ok ? IGW_OK
	          : wss_fail(x, IGW_EDENIED, "SAML-CONFIRMATION",
	                     "holder-of-key key is not the TLS client certificate");
}

int wss_saml(struct wss_ctx *x, xmlNodePtr as, int version)
{
	const struct igw_wss_policy_conf *c = &x->p->c;
	struct saml s;
	int rc;
	char *who = NULL;
	memset(&s, 0, sizeof(s));
	s.version = version;
	s.ns = version == 20 ? WSS_NS_SAML2 : WSS_NS_SAML1;
	rc = shape(x, &s, as);
	if (rc == IGW_OK && !s.sig && c->saml_sig == IGW_WSS_SIG_REQUIRED)
		rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-REQUIRED", "unsigned assertion");
	if (rc == IGW_OK && s.sig) {
		rc = wss_sig_verify(x, as, s.sig, s.id, &s.signer_subject, &s.signer_fp, &s.signer_trusted);
		s.sig_ok = rc == IGW_OK;
	}
	if (rc == IGW_OK)
		rc = times(x, &s);
	if (rc == IGW_OK && !s.sv && !(s.bearer && c->saml_allow_bearer) && !(s.hok && c->saml_allow_hok))
		rc = wss_fail(x, IGW_EDENIED, "SAML-CONFIRMATION", "%s confirmation not allowed",
		              s.bearer ? "bearer" : s.hok ? "holder-of-key" : "no usable");
	if (rc == IGW_OK && s.sv)
		rc = attester(x, &s, &who);
	else if (rc == IGW_OK && !(s.bearer && c->saml_allow_bearer))
		rc = hok_binding(x, &s);
	if (rc == IGW_OK && (s.one_time_use || (c->saml_replay == IGW_WSS_SAML_REPLAY_ALL && c->replay))) {
		int64_t exp = x->now_ms + lifetime_ms(c);
		size_t il = strlen(s.issuer), dl = strlen(s.id);
		char *key = malloc(il + 1 + dl);
		if (s.has_noa && s.not_on_or_after < exp)
			exp = s.not_on_or_after;
		exp += (int64_t)c->saml_skew_s * 1000;
		if (!key) {
			rc = IGW_ENOMEM;
		} else {
			memcpy(key, s.issuer, il + 1);
			memcpy(key + il + 1, s.id, dl);
			rc = wss_replay_check(x, "saml-id", key, il + 1 + dl, exp, "SAML-REPLAY");
			free(key);
		}
	}
	if (rc == IGW_OK) {
		struct igw_wss_result *r = x->r;
		r->kind = IGW_WSS_KIND_SAML;
		r->user = s.name;
		r->issuer = s.issuer;
		r->format = s.format;
		s.name = s.issuer = s.format = NULL;
		r->attester = who;
		who = NULL;
		r->signed_token = s.sig_ok;
		r->age_ms = x->now_ms - s.issue_instant;
	}
	free(who);
	saml_clear(&s);
	return rc;
}
