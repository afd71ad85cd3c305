/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UsernameToken Profile 1.0/1.1: PasswordText and PasswordDigest.
 *
 * PasswordDigest = Base64(SHA-1(nonce-bytes + Created + password)), computed
 * over the exact Created string received.  Checks run in this order: shape,
 * policy (password type, nonce/Created presence), freshness, password, and
 * only then the nonce replay cache, so unauthenticated junk never fills it.
 */
#include <string.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include "internal.h"

#define NONCE_MAX 128u

/* The fields point into the token's capture (capture.c), valid for this
 * verification; the capture is wiped when it ends. */
struct ut {
	const char *user, *password, *nonce_b64, *created;
	const char *pw_type;
	int has_password, has_nonce, has_created, digest;
};

static int b64_decode(const char *in, uint8_t *out, size_t outlen, size_t *n)
{
	return wss_b64_decode(in, out, outlen, n);
}

static int field(struct wss_ctx *x, const struct wss_tchild *e, const char **out, const char *what)
{
	int rc;
	if (*out)
		return wss_fail(x, IGW_EPARSE, "WSS-UT-MALFORMED", "two %s elements", what);
	rc = wss_tchild_text(e, IGW_WSS_FIELD_MAX, out);
	if (rc != IGW_OK)
		rc = wss_fail(x, rc == IGW_ELIMIT ? IGW_ELIMIT : IGW_EPARSE, "WSS-UT-MALFORMED",
		              "%s is not plain text or too long", what);
	return rc;
}

static int named(const struct wss_tchild *e, enum wss_tns ns, enum wss_tname name)
{
	return e->ns == ns && e->name == name;
}

static int shape(struct wss_ctx *x, const struct wss_token *t, struct ut *u)
{
	int rc = IGW_OK;
	for (unsigned i = 0; i < t->nchild && rc == IGW_OK; i++) {
		const struct wss_tchild *e = &t->child[i];
		if (named(e, WSS_TNS_WSSE, WSS_TN_USERNAME)) {
			rc = field(x, e, &u->user, "Username");
		} else if (named(e, WSS_TNS_WSSE, WSS_TN_PASSWORD)) {
			const char *ty = wss_tchild_attr(x, e, WSS_TNS_NONE, "Type");
			rc = field(x, e, &u->password, "Password");
			u->has_password = 1;
			u->pw_type = ty ? ty : WSS_PW_TEXT;
		} else if (named(e, WSS_TNS_WSSE, WSS_TN_NONCE)) {
			const char *enc = wss_tchild_attr(x, e, WSS_TNS_NONE, "EncodingType");
			if (enc && strcmp(enc, WSS_B64) != 0)
				rc = wss_fail(x, IGW_EPARSE, "WSS-UT-MALFORMED", "Nonce EncodingType not Base64Binary");
			else
				rc = field(x, e, &u->nonce_b64, "Nonce");
			u->has_nonce = 1;
		} else if (named(e, WSS_TNS_WSU, WSS_TN_CREATED)) {
			rc = field(x, e, &u->created, "Created");
			u->has_created = 1;
		} else {
			rc = wss_fail(x, IGW_EUNSUPPORTED, "WSS-UT-MALFORMED",
			              "unsupported <%.64s> in UsernameToken", e->local);
		}
	}
	/* unreachable with a well-shaped token (it has at most 4 children),
	 * but never judge a token on part of it */
	if (rc == IGW_OK && t->overflow)
		rc = wss_fail(x, IGW_EPARSE, "WSS-UT-MALFORMED", "too many elements in UsernameToken");
	if (rc == IGW_OK && (!u->user || !*u->user))
		rc = wss_fail(x, IGW_EPARSE, "WSS-UT-MALFORMED", "no Username");
	if (rc == IGW_OK && !u->has_password)
		rc = wss_fail(x, IGW_EAUTH, "WSS-UT-MALFORMED", "UsernameToken without Password");
	if (rc == IGW_OK) {
		if (strcmp(u->pw_type, WSS_PW_DIGEST) == 0)
			u->digest = 1;
		else if (strcmp(u->pw_type, WSS_PW_TEXT) != 0)
			rc = wss_fail(x, IGW_EUNSUPPORTED, "WSS-UT-PASSWORD-TYPE", "unknown Password Type");
	}
	return rc;
}

static int presence(struct wss_ctx *x, enum igw_wss_presence want, int have, const char *what)
{
	int rc = IGW_OK;
	if (want == IGW_WSS_REQUIRED && !have)
		rc = wss_fail(x, IGW_EAUTH, "WSS-UT-POLICY", "policy requires %s", what);
	else if (want == IGW_WSS_FORBIDDEN && have)
		rc = wss_fail(x, IGW_EAUTH, "WSS-UT-POLICY", "policy forbids %s", what);
	return rc;
}

static int get_secret(struct wss_ctx *x, const char *user, struct igw_buf *pw)
{
	const struct igw_wss_credentials *cr = &x->p->c.creds;
	int rc = cr->get_password(cr->ctx, user, pw);
	if (rc == IGW_ENOTFOUND)
		rc = wss_fail(x, IGW_EAUTH, "WSS-UT-BAD-PASSWORD", "unknown user");
	else if (rc != IGW_OK)
		rc = wss_fail(x, IGW_EINTERNAL, "WSS-CREDENTIALS", "credential store failed: %s",
		              igw_errname(rc));
	return rc;
}

static int check_digest(struct wss_ctx *x, const struct ut *u, const uint8_t *nonce, size_t nlen)
{
	const struct igw_wss_credentials *cr = &x->p->c.creds;
	struct igw_buf pw;
	uint8_t want[EVP_MAX_MD_SIZE], got[64];
	unsigned wl = 0;
	size_t gl = 0;
	int rc = IGW_OK, known = 1;
	if (!cr->get_password)
		return wss_fail(x, IGW_ECONFIG, "WSS-CREDENTIALS", "PasswordDigest needs a credential store");
	if (b64_decode(u->password, got, sizeof(got), &gl) != IGW_OK || gl != 20)
		return wss_fail(x, IGW_EAUTH, "WSS-UT-BAD-PASSWORD", "digest is not 20 Base64 bytes");
	igw_buf_init(&pw, IGW_WSS_FIELD_MAX);
	rc = cr->get_password(cr->ctx, u->user, &pw);
	if (rc == IGW_ENOTFOUND) {
		/* an unknown user costs the same digest as a known one */
		known = 0;
		rc = IGW_OK;
	} else if (rc != IGW_OK) {
		rc = wss_fail(x, IGW_EINTERNAL, "WSS-CREDENTIALS", "credential store failed: %s",
		              igw_errname(rc));
	}
	if (rc == IGW_OK) {
		const void *part[3] = { nonce, u->created, pw.data };
		size_t plen[3] = { nlen, u->created ? strlen(u->created) : 0, pw.data ? pw.len : 0 };
		int drc = wss_digest(wss_md_sha1(), part, plen, 3, want, &wl);
		if (drc != IGW_OK)
			rc = wss_fail(x, IGW_ECRYPTO, "WSS-INTERNAL", "SHA-1 failed");
		else if (!igw_ct_equal(want, wl, got, gl) || !known)
			rc = wss_fail(x, IGW_EAUTH, "WSS-UT-BAD-PASSWORD",
			              known ? "password digest mismatch" : "unknown user");
	}
	igw_secure_zero(want, sizeof(want));
	igw_buf_free(&pw);
	return rc;
}

static int check_text(struct wss_ctx *x, const struct ut *u)
{
	const struct igw_wss_credentials *cr = &x->p->c.creds;
	int rc = IGW_OK;
	if (x->p->c.ut_text_mode == IGW_WSS_PW_PASSTHROUGH)
		return IGW_OK;	/* checked downstream (IMS Connect / RACF) */
	if (cr->check_password) {
		rc = cr->check_password(cr->ctx, u->user, u->password, strlen(u->password));
		if (rc == IGW_EAUTH || rc == IGW_ENOTFOUND)
			rc = wss_fail(x, IGW_EAUTH, "WSS-UT-BAD-PASSWORD", "password check failed");
		else if (rc != IGW_OK)
			rc = wss_fail(x, IGW_EINTERNAL, "WSS-CREDENTIALS", "credential store failed");
	} else if (cr->get_password) {
		struct igw_buf pw;
		igw_buf_init(&pw, IGW_WSS_FIELD_MAX);
		rc = get_secret(x, u->user, &pw);
		if (rc == IGW_OK && !igw_ct_equal(pw.data ? pw.data : (const uint8_t *)"", pw.len,
		                                  u->password, strlen(u->password)))
			rc = wss_fail(x, IGW_EAUTH, "WSS-UT-BAD-PASSWORD", "password mismatch");
		igw_buf_free(&pw);
	} else {
		rc = wss_fail(x, IGW_ECONFIG, "WSS-CREDENTIALS", "no credential store");
	}
	return rc;
}

int wss_usernametoken(struct wss_ctx *x, const struct wss_token *t)
{
	const struct igw_wss_policy_conf *c = &x->p->c;
	struct ut u;
	uint8_t nonce[NONCE_MAX];
	size_t nlen = 0;
	int64_t created = 0;
	int rc;
	memset(&u, 0, sizeof(u));
	rc = t ? shape(x, t, &u) : wss_fail(x, IGW_EINTERNAL, "WSS-INTERNAL", "UsernameToken not read");
	if (rc == IGW_OK && u.digest && !c->ut_allow_digest)
		rc = wss_fail(x, IGW_EUNSUPPORTED, "WSS-UT-PASSWORD-TYPE", "PasswordDigest not allowed");
	if (rc == IGW_OK && !u.digest && !c->ut_allow_text)
		rc = wss_fail(x, IGW_EUNSUPPORTED, "WSS-UT-PASSWORD-TYPE", "PasswordText not allowed");
	if (rc == IGW_OK)
		rc = presence(x, c->ut_nonce, u.has_nonce, "a Nonce");
	if (rc == IGW_OK)
		rc = presence(x, c->ut_created, u.has_created, "Created");
	if (rc == IGW_OK && u.has_nonce &&
	    (b64_decode(u.nonce_b64, nonce, sizeof(nonce), &nlen) != IGW_OK || nlen == 0))
		rc = wss_fail(x, IGW_EPARSE, "WSS-UT-MALFORMED", "Nonce is not Base64 or too long");
	if (rc == IGW_OK && u.has_created && wss_parse_datetime(u.created, &created) != IGW_OK)
		rc = wss_fail(x, IGW_EPARSE, "WSS-UT-MALFORMED", "bad Created");
	if (rc == IGW_OK && u.has_created) {
		if (created > x->now_ms + (int64_t)c->ut_future_skew_s * 1000)
			rc = wss_fail(x, IGW_EEXPIRED, "WSS-UT-FUTURE", "Created %lld ms ahead",
			              (long long)(created - x->now_ms));
		else if (x->now_ms - created > (int64_t)c->ut_max_age_s * 1000)
			rc = wss_fail(x, IGW_EEXPIRED, "WSS-UT-EXPIRED", "Created %lld ms ago",
			              (long long)(x->now_ms - created));
	}
	if (rc == IGW_OK)
		rc = u.digest ? check_digest(x, &u, nonce, nlen) : check_text(x, &u);
	if (rc == IGW_OK && u.has_nonce) {
		/* remembered until the Created window closes: a replay after that
		 * is refused as stale; without Created, for max age + skew */
		int64_t base = u.has_created ? created : x->now_ms;
		int64_t exp = base + ((int64_t)c->ut_max_age_s + c->ut_future_skew_s) * 1000;
		rc = wss_replay_check(x, "ut-nonce", nonce, nlen, exp, "WSS-UT-NONCE-REPLAY");
	}
	if (rc == IGW_OK) {
		x->r->kind = IGW_WSS_KIND_USERNAMETOKEN;
		x->r->user = wss_strdup(u.user);
		x->r->age_ms = u.has_created ? x->now_ms - created : -1;
		if (!u.digest && c->ut_pass_password)
			x->r->password = wss_strdup(u.password);
		if (!x->r->user || (!u.digest && c->ut_pass_password && !x->r->password))
			rc = wss_fail(x, IGW_ENOMEM, "WSS-INTERNAL", "out of memory");
	}
	igw_secure_zero(nonce, sizeof(nonce));
	return rc;
}
