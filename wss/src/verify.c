/* SPDX-License-Identifier: GPL-2.0-or-later */
/* igw_wss_verify: parse, Security header, token dispatch, module; results. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <openssl/evp.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/base64.h>
#include "internal.h"

/* What each byte is to Base64: its value (0-63), B64_PAD ('='), B64_SPACE
 * (' ', '\t', CR, LF: what xmlsec skips, xmlSecIsBase64Space) or B64_BAD
 * (a bit of its own, so that one OR over the input tells whether any byte
 * is outside the alphabet). */
enum { B64_PAD = 64, B64_BAD = 128, B64_SPACE = 255 };
static const unsigned char b64_class[256] = {
	128, 128, 128, 128, 128, 128, 128, 128, 128, 255, 255, 128, 128, 255, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
	255, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 62, 128, 128, 128, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 128, 128, 128, 64, 128, 128,
	128, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 128, 128, 128, 128, 128,
	128, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 128, 128, 128, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
	128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
};

/*
 * Base64 that is canonical once xmlsec's spaces are left out (groups of 4,
 * only the alphabet, at most two '=' at the very end, zero pad bits) is
 * decoded by EVP_DecodeBlock, anything else (or longer than tmp) by xmlsec,
 * exactly as before.  One pass copies the input without its spaces and ORs
 * the classes of its bytes together; the '=' are then checked to be the
 * trailing ones.
 */
int wss_b64_decode(const char *in, uint8_t *out, size_t outmax, size_t *n)
{
	char tmp[WSS_B64_FAST_MAX];
	size_t len = 0, pad = 0;
	unsigned all = 0;
	int rc = IGW_OK, fast = 1;
	*n = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		unsigned v = b64_class[*p];
		if (v == B64_SPACE)
			continue;
		if (len == sizeof(tmp)) {
			fast = 0;
			break;
		}
		tmp[len++] = (char)*p;
		all |= v;
	}
	while (pad < 2 && pad < len && tmp[len - 1 - pad] == '=')
		pad++;
	fast = fast && !(all & B64_BAD) && len > 0 && len % 4 == 0 && len / 4 * 3 <= outmax &&
	       /* no '=' but the trailing ones */
	       (!(all & B64_PAD) || !memchr(tmp, '=', len - pad));
	if (fast && pad)	/* the bits below the last data character's are zero */
		fast = (b64_class[(unsigned char)tmp[len - pad - 1]] & (pad == 1 ? 0x3u : 0xfu)) == 0;
	if (fast) {
		int w = EVP_DecodeBlock(out, (const unsigned char *)tmp, (int)len);
		if (w < 0 || (size_t)w < pad)
			rc = IGW_EPARSE;
		else
			*n = (size_t)w - pad;
	} else {
		xmlSecSize w = 0;
		if (xmlSecBase64Decode_ex((const xmlChar *)in, out, (xmlSecSize)outmax, &w) < 0)
			rc = IGW_EPARSE;
		else
			*n = w;
	}
	return rc;
}

char *wss_strdup(const char *s)
{
	char *d = NULL;
	if (s) {
		size_t n = strlen(s) + 1;
		d = malloc(n);
		if (d)
			memcpy(d, s, n);
	}
	return d;
}

int wss_result_add_attr(struct igw_wss_result *r, const char *name, char *value)
{
	int rc = IGW_OK;
	char *n = NULL;
	if (r->nattr >= IGW_WSS_SAML_ATTRS_MAX)
		rc = IGW_ELIMIT;
	if (rc == IGW_OK && !r->attr_name) {
		r->attr_name = calloc(2 * IGW_WSS_SAML_ATTRS_MAX, sizeof(char *));
		r->attr_value = r->attr_name ? r->attr_name + IGW_WSS_SAML_ATTRS_MAX : NULL;
	}
	if (rc == IGW_OK && (!r->attr_name || !(n = wss_strdup(name))))
		rc = IGW_ENOMEM;
	if (rc == IGW_OK) {
		r->attr_name[r->nattr] = n;
		r->attr_value[r->nattr] = value;
		r->nattr++;
	}
	return rc;
}

int wss_fail(struct wss_ctx *x, int err, const char *reason, const char *fmt, ...)
{
	va_list ap;
	if (!x->r->reason || strcmp(x->r->reason, "WSS-OK") == 0) {	/* first failure wins */
		x->r->reason = reason;
		va_start(ap, fmt);
		vsnprintf(x->r->detail, sizeof(x->r->detail), fmt, ap);
		va_end(ap);
	}
	return err;
}

/* The tokens of our Security header so far: at most one Timestamp and one
 * identity token of a kind the policy accepts. */
struct sec_tokens {
	const struct wss_token *ts, *ut;	/* captured (capture.c) */
	xmlNodePtr saml;
	int kind, ntok;
};

static int note_token(struct wss_ctx *x, struct sec_tokens *t, int kind)
{
	int rc = IGW_OK;
	if (++t->ntok > 1)
		rc = wss_fail(x, IGW_EPARSE, "WSS-TOKEN-MULTIPLE", "more than one identity token");
	else if (!((unsigned)kind & x->p->c.tokens))
		rc = wss_fail(x, IGW_EUNSUPPORTED, "WSS-TOKEN-UNSUPPORTED",
		              "token type not accepted by this service");
	t->kind = kind;
	return rc;
}

static int note_timestamp(struct wss_ctx *x, struct sec_tokens *t, const struct wss_token *ts)
{
	int rc = IGW_OK;
	if (t->ts)
		rc = wss_fail(x, IGW_EPARSE, "WSS-TS-MALFORMED", "two Timestamps");
	t->ts = ts;
	return rc;
}

/* A Security header in the tree: its element children, in order. */
static int tree_tokens(struct wss_ctx *x, struct sec_tokens *t)
{
	int rc = IGW_OK;
	for (xmlNodePtr n = x->security ? x->security->children : NULL; n && rc == IGW_OK; n = n->next) {
		const struct wss_token *tok = NULL;
		if (n->type == XML_TEXT_NODE) {
			if (!wss_blank((const char *)n->content))
				rc = wss_fail(x, IGW_EPARSE, "WSS-SECURITY-MALFORMED", "text in Security header");
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (wss_is(n, WSS_NS_WSU, "Timestamp") || wss_is(n, WSS_NS_WSSE, "UsernameToken")) {
			/* read while parsing: the capture is the token */
			if (!(tok = wss_token_of(x, n)))
				rc = wss_fail(x, IGW_EINTERNAL, "WSS-INTERNAL", "token not read");
			else if (!tok->is_ut)
				rc = note_timestamp(x, t, tok);
			else if ((rc = note_token(x, t, IGW_WSS_TOKEN_UT)) == IGW_OK)
				t->ut = tok;
			continue;
		}
		if (wss_is(n, WSS_NS_SAML1, "Assertion"))
			rc = note_token(x, t, IGW_WSS_TOKEN_SAML11);
		else if (wss_is(n, WSS_NS_SAML2, "Assertion"))
			rc = note_token(x, t, IGW_WSS_TOKEN_SAML20);
		else
			rc = wss_fail(x, IGW_EUNSUPPORTED, "WSS-TOKEN-UNSUPPORTED",
			              "unsupported <%.64s> in Security header", (const char *)n->name);
		t->saml = n;
	}
	return rc;
}

/* A Security block of a Header that was not built: tokens only. */
static int read_tokens(struct wss_ctx *x, struct sec_tokens *t)
{
	const struct wss_token *tok;
	int rc = IGW_OK;
	for (unsigned i = 0; rc == IGW_OK && (tok = wss_vblock_token(x, (unsigned)x->vsec, i)); i++) {
		if (!tok->is_ut)
			rc = note_timestamp(x, t, tok);
		else if ((rc = note_token(x, t, IGW_WSS_TOKEN_UT)) == IGW_OK)
			t->ut = tok;
	}
	return rc;
}

static int security_header(struct wss_ctx *x)
{
	const struct igw_wss_policy_conf *c = &x->p->c;
	struct sec_tokens t;
	int rc, present = x->security || x->vsec >= 0;
	memset(&t, 0, sizeof(t));
	rc = x->vsec >= 0 ? read_tokens(x, &t) : tree_tokens(x, &t);
	if (rc == IGW_OK && !t.ts && c->ts == IGW_WSS_REQUIRED)
		rc = wss_fail(x, IGW_EAUTH, "WSS-TS-MISSING", "policy requires a Timestamp");
	if (rc == IGW_OK && t.ts && c->ts == IGW_WSS_FORBIDDEN)
		rc = wss_fail(x, IGW_EAUTH, "WSS-TS-MALFORMED", "policy forbids a Timestamp");
	if (rc == IGW_OK && t.ts)
		rc = wss_timestamp(x, t.ts);
	if (rc == IGW_OK && !t.ntok) {
		if (c->allow_cert_identity && x->req && x->req->tls_subject) {
			x->r->kind = IGW_WSS_KIND_CERT;
			x->r->user = wss_strdup(x->req->tls_subject);
		} else if (c->require_token) {
			rc = wss_fail(x, IGW_EAUTH, present ? "WSS-TOKEN-MISSING" : "WSS-SECURITY-MISSING",
			              "no identity token");
		}
	}
	if (rc == IGW_OK && t.ntok) {
		if (t.kind == IGW_WSS_TOKEN_UT)
			rc = wss_usernametoken(x, t.ut);
		else
			rc = wss_saml(x, t.saml, t.kind == IGW_WSS_TOKEN_SAML11 ? 11 : 20);
	}
	return rc;
}

int igw_wss_verify(const struct igw_wss_policy *p, const void *env, size_t len,
                   const struct igw_wss_request *req, struct igw_wss_result **out)
{
	struct wss_ctx x;
	/* malloc and an assignment, not calloc (nor malloc + memset, which the
	 * compiler turns into calloc): glibc's calloc bypasses the per-thread
	 * cache that the previous result was freed into */
	struct igw_wss_result *r = malloc(sizeof(*r));
	int rc = IGW_OK;
	if (out)
		*out = NULL;
	if (!r)
		return IGW_ENOMEM;
	*r = (struct igw_wss_result){ .age_ms = -1 };
	memset(&x, 0, sizeof(x));
	x.p = p;
	x.req = req;
	x.r = r;
	x.vsec = -1;
	if (!p || !env) {
		rc = wss_fail(&x, IGW_EINVAL, "WSS-INTERNAL", "bad arguments");
	} else if (wss_init() != IGW_OK) {
		rc = wss_fail(&x, IGW_ECRYPTO, "WSS-INTERNAL", "xmlsec initialisation failed");
	} else {
		x.now_ms = req && req->now_ms ? req->now_ms : igw_wall_ms();
		rc = wss_parse(&x, env, len);
		if (rc == IGW_OK)
			rc = security_header(&x);
		if (rc == IGW_OK && p->module && r->kind != IGW_WSS_KIND_NONE)
			rc = wss_module_check(&x, p->module);
	}
	if (x.cap)	/* the captured token text (passwords) is not kept */
		wss_capture_wipe(x.cap);
	wss_ids_free(&x);
	if (rc == IGW_OK) {
		r->reason = "WSS-OK";
		r->detail[0] = '\0';
	} else if (!r->reason) {
		r->reason = "WSS-INTERNAL";
	}
	if (rc != IGW_OK) {
		/* a rejected request keeps no identity */
		r->kind = IGW_WSS_KIND_NONE;
		igw_secure_free_str(r->password);
		r->password = NULL;
		igw_log_info(req ? req->reqid : NULL, "wss: %s rejected: %s (%s)",
		             p && p->c.service ? p->c.service : "?", r->reason, r->detail);
	}
	if (out)
		*out = r;
	else
		igw_wss_result_free(r);
	return rc;
}

const char *igw_wss_result_reason(const struct igw_wss_result *r) { return r ? r->reason : "WSS-INTERNAL"; }
const char *igw_wss_result_detail(const struct igw_wss_result *r) { return r ? r->detail : ""; }
enum igw_wss_kind igw_wss_result_kind(const struct igw_wss_result *r) { return r ? r->kind : IGW_WSS_KIND_NONE; }
const char *igw_wss_result_user(const struct igw_wss_result *r)
{
	return r && r->kind != IGW_WSS_KIND_NONE ? r->user : NULL;
}
const char *igw_wss_result_issuer(const struct igw_wss_result *r) { return r ? r->issuer : NULL; }
const char *igw_wss_result_format(const struct igw_wss_result *r) { return r ? r->format : NULL; }
const char *igw_wss_result_password(const struct igw_wss_result *r) { return r ? r->password : NULL; }
const char *igw_wss_result_attester(const struct igw_wss_result *r) { return r ? r->attester : NULL; }
int igw_wss_result_signed(const struct igw_wss_result *r) { return r ? r->signed_token : 0; }
int64_t igw_wss_result_token_age_ms(const struct igw_wss_result *r) { return r ? r->age_ms : -1; }
int igw_wss_result_soap_version(const struct igw_wss_result *r) { return r ? r->soap_version : 0; }
size_t igw_wss_result_attr_count(const struct igw_wss_result *r) { return r ? r->nattr : 0; }
xmlDocPtr igw_wss_result_doc(const struct igw_wss_result *r) { return r ? r->doc : NULL; }
xmlNodePtr igw_wss_result_body(const struct igw_wss_result *r) { return r ? r->body : NULL; }

int igw_wss_result_attr(const struct igw_wss_result *r, size_t i, const char **name, const char **value)
{
	if (!r || i >= r->nattr)
		return IGW_EINVAL;
	*name = r->attr_name[i];
	*value = r->attr_value[i];
	return IGW_OK;
}

void igw_wss_result_free(struct igw_wss_result *r)
{
	if (!r)
		return;
	free(r->user);
	free(r->issuer);
	free(r->format);
	igw_secure_free_str(r->password);
	free(r->attester);
	for (size_t i = 0; i < r->nattr; i++) {
		free(r->attr_name[i]);
		free(r->attr_value[i]);
	}
	free(r->attr_name);	/* attr_value is its second half */
	if (r->doc)
		xmlFreeDoc(r->doc);
	free(r);
}

/*
 * WS-Security 1.1 fault codes per reason (first matching prefix wins).
 * Envelope problems that are not about security (parse, DTD, limits, SOAP
 * structure, mustUnderstand) have none: they are plain SOAP Client/Sender
 * faults, and WSS-MUST-UNDERSTAND is the SOAP MustUnderstand fault.
 */
const char *igw_wss_fault_code(const char *reason)
{
	static const struct { const char *prefix; const char *fault; } map[] = {
		{ "WSS-PARSE", NULL },
		{ "WSS-DTD", NULL },
		{ "WSS-LIMIT", NULL },
		{ "WSS-SOAP-STRUCTURE", NULL },
		{ "WSS-MUST-UNDERSTAND", NULL },
		{ "WSS-OK", NULL },
		{ "WSS-UT-BAD-PASSWORD", "wsse:FailedAuthentication" },
		{ "WSS-UT-NONCE-REPLAY", "wsse:FailedAuthentication" },
		{ "WSS-UT-EXPIRED", "wsse:FailedAuthentication" },
		{ "WSS-UT-FUTURE", "wsse:FailedAuthentication" },
		{ "WSS-UT-", "wsse:InvalidSecurityToken" },
		{ "WSS-TS-EXPIRED", "wsse:MessageExpired" },
		{ "WSS-TS-", "wsse:InvalidSecurity" },
		{ "WSS-TOKEN-UNSUPPORTED", "wsse:UnsupportedSecurityToken" },
		{ "WSS-UNSUPPORTED", "wsse:UnsupportedSecurityToken" },
		{ "WSS-TOKEN-MISSING", "wsse:SecurityTokenUnavailable" },
		{ "WSS-SECURITY-MISSING", "wsse:SecurityTokenUnavailable" },
		{ "WSS-CREDENTIALS", "wsse:SecurityTokenUnavailable" },
		{ "WSS-REPLAY-", "wsse:SecurityTokenUnavailable" },
		{ "WSS-MODULE-DENIED", "wsse:FailedAuthentication" },
		{ "WSS-AUTH", "wsse:FailedAuthentication" },
		{ "WSS-DENIED", "wsse:FailedAuthentication" },
		{ "WSS-REPLAY", "wsse:FailedAuthentication" },
		{ "WSS-EXPIRED", "wsse:MessageExpired" },
		{ "WSS-SIGNATURE", "wsse:FailedCheck" },
		{ "WSS-", "wsse:InvalidSecurity" },
		{ "SAML-SIG-ALGORITHM", "wsse:UnsupportedAlgorithm" },
		{ "SAML-SIG-", "wsse:FailedCheck" },
		{ "SAML-XSW", "wsse:FailedCheck" },
		{ "SAML-MALFORMED", "wsse:InvalidSecurityToken" },
		{ "SAML-NAMEID", "wsse:InvalidSecurityToken" },
		{ "SAML-VERSION", "wsse:UnsupportedSecurityToken" },
		{ "SAML-CONDITIONS", "wsse:UnsupportedSecurityToken" },
		{ "SAML-", "wsse:FailedAuthentication" },
	};
	const char *f = NULL;
	for (size_t i = 0; reason && i < sizeof(map) / sizeof(map[0]); i++) {
		if (strncmp(reason, map[i].prefix, strlen(map[i].prefix)) == 0) {
			f = map[i].fault;
			break;
		}
	}
	return f;
}
