/* SPDX-License-Identifier: GPL-2.0-or-later */
/* igw_wss internals shared by the source files of wss/ only. */
#ifndef IGW_WSS_INTERNAL_H
#define IGW_WSS_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/keys.h>
#include "imsgw/core.h"
#include "wss/wss.h"

/* Namespaces. */
#define WSS_NS_SOAP11 "http://schemas.xmlsoap.org/soap/envelope/"
#define WSS_NS_SOAP12 "http://www.w3.org/2003/05/soap-envelope"
#define WSS_NS_WSSE   "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
#define WSS_NS_WSU    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
#define WSS_NS_SAML1  "urn:oasis:names:tc:SAML:1.0:assertion"
#define WSS_NS_SAML2  "urn:oasis:names:tc:SAML:2.0:assertion"
#define WSS_NS_DS     "http://www.w3.org/2000/09/xmldsig#"
#define WSS_UT_PROFILE "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
#define WSS_PW_TEXT   WSS_UT_PROFILE "#PasswordText"
#define WSS_PW_DIGEST WSS_UT_PROFILE "#PasswordDigest"
#define WSS_B64       "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
#define WSS_CM1_SV    "urn:oasis:names:tc:SAML:1.0:cm:sender-vouches"
#define WSS_CM1_BEARER "urn:oasis:names:tc:SAML:1.0:cm:bearer"
#define WSS_CM1_HOK   "urn:oasis:names:tc:SAML:1.0:cm:holder-of-key"
#define WSS_CM2_SV    "urn:oasis:names:tc:SAML:2.0:cm:sender-vouches"
#define WSS_CM2_BEARER "urn:oasis:names:tc:SAML:2.0:cm:bearer"
#define WSS_CM2_HOK   "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"

struct wss_trust;	/* truststore.c */
struct wss_module;	/* module.c */

struct igw_wss_policy {
	struct igw_wss_policy_conf c;	/* strings below point into owned copies */
	char **owned;			/* every string copied at compile */
	size_t n_owned;
	struct igw_wss_attester *attesters;
	struct wss_trust *trust;
	struct wss_module *module;
};

struct igw_wss_result {
	const char *reason;		/* static string */
	char detail[256];
	enum igw_wss_kind kind;
	char *user, *issuer, *format, *password, *attester;
	int signed_token;
	int64_t age_ms;
	int soap_version;
	size_t nattr;
	char *attr_name[IGW_WSS_SAML_ATTRS_MAX];
	char *attr_value[IGW_WSS_SAML_ATTRS_MAX];
	xmlDocPtr doc;
	xmlNodePtr body;
};

/* One verification in progress. */
struct wss_ctx {
	const struct igw_wss_policy *p;
	const struct igw_wss_request *req;
	int64_t now_ms;
	struct igw_wss_result *r;
	xmlDocPtr doc;
	xmlNodePtr envelope, header, body, security;
	const char *soap_ns;
	int has_pi;			/* a processing instruction somewhere (parse.c) */
};

/* Record a rejection (reason: static string; fmt: log detail) and return err. */
int wss_fail(struct wss_ctx *x, int err, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* init.c */
int wss_init(void);
void wss_quiet_thread(void);	/* silence libxml2 error output on this thread */
const EVP_MD *wss_md_sha1(void);	/* valid after wss_init() */
const EVP_MD *wss_md_sha256(void);
const EVP_MD *wss_md_sha384(void);
const EVP_MD *wss_md_sha512(void);
/* Digest of the concatenated parts with this thread's reusable EVP_MD_CTX
 * (wss_init() must have succeeded); out holds EVP_MAX_MD_SIZE. */
EVP_MD_CTX *wss_thread_md(void);	/* this thread's context, NULL if out of memory */
int wss_digest(const EVP_MD *md, const void *const *part, const size_t *len, size_t nparts,
               uint8_t *out, unsigned *outlen);
/* Drop this thread's digest state (after hashing a secret). */
void wss_digest_wipe(void);
/* Base64 (as xmlSecBase64Decode_ex reads it) into out[0..outmax): canonical
 * unbroken Base64 is decoded by OpenSSL's EVP_DecodeBlock, anything else
 * (line breaks, whitespace, non-zero pad bits, too long) by xmlsec, so the
 * accepted language is xmlsec's.  0 and *n, or IGW_EPARSE. */
int wss_b64_decode(const char *in, uint8_t *out, size_t outmax, size_t *n);

/* parse.c */
int wss_parse(struct wss_ctx *x, const void *env, size_t len);
int wss_is(const xmlNode *n, const char *ns, const char *local);
/* First element child (skipping whitespace text and comments); NULL at end.
 * wss_next_elem() continues after n. */
xmlNodePtr wss_first_elem(const xmlNode *parent);
xmlNodePtr wss_next_elem(const xmlNode *n);
/* Attribute value (no namespace when ns is NULL) or NULL; points into the
 * tree when the attribute is a single text node, which libxml2 guarantees. */
const char *wss_attr(const xmlNode *n, const char *ns, const char *name);
/* Text content of an element made only of text nodes (no elements,
 * comments, PIs, entity references).  0 and *out (malloc'ed), IGW_EPARSE if
 * mixed content, IGW_ELIMIT if longer than max. */
int wss_text(const xmlNode *n, size_t max, char **out);
/* The text of an element made of exactly one text node (or "" if empty),
 * pointing into the tree; NULL otherwise (use wss_text). */
const char *wss_text_ref(const xmlNode *n);
/* 1 if s is only XML whitespace. */
int wss_blank(const char *s);

/* timestamp.c */
/* Parse an xsd:dateTime with a time zone (Z or +hh:mm) to epoch ms. */
int wss_parse_datetime(const char *s, int64_t *ms);
void wss_format_datetime(int64_t ms, char out[32]);
int wss_timestamp(struct wss_ctx *x, xmlNodePtr ts);

/* usernametoken.c */
int wss_usernametoken(struct wss_ctx *x, xmlNodePtr ut);

/* saml.c */
int wss_saml(struct wss_ctx *x, xmlNodePtr assertion, int version);

/* sigverify.c: verify the enveloped signature `sig` of `assertion` whose ID
 * is `id`.  On success *signer_subject / *signer_fp (malloc'ed) name the
 * signer certificate and *trusted says whether it chains to the truststore. */
int wss_sig_verify(struct wss_ctx *x, xmlNodePtr assertion, xmlNodePtr sig,
                   const char *id, char **signer_subject, char **signer_fp,
                   int *trusted);

/* leanverify.c: verify the signature `sig` (child of `assertion`, profile
 * already checked by sigverify.c) with pkey (borrowed) without xmlsec, for
 * the common shape only.  *handled = 0: shape not handled, nothing recorded,
 * the caller must use xmlsec; otherwise the verdict (SAML-SIG-INVALID). */
int wss_lean_verify(struct wss_ctx *x, xmlNodePtr assertion, xmlNodePtr sig, EVP_PKEY *pkey,
                    int *handled);
/* Tests only: non-zero sends every signature to xmlsec (default 0);
 * wss_lean_handled counts the signatures the lean path has judged. */
extern int wss_lean_disabled;
extern _Atomic unsigned long wss_lean_handled;

/*
 * Minimum signer key sizes, checked once per cached certificate (the key
 * size is cached with it).  Limits of the lean path: InclusiveNamespaces
 * PrefixList tokens handled (more: xmlsec decides), SignatureValue bytes
 * (RSA-16384), Base64 characters decoded by OpenSSL through a stack buffer
 * (longer: xmlsec's decoder).  Values: core/include/imsgw/limits.h.
 */
#define WSS_RSA_MIN_BITS ((int)IGW_WSS_RSA_MIN_BITS)
#define WSS_EC_MIN_BITS ((int)IGW_WSS_EC_MIN_BITS)
#define WSS_C14N_PREFIXES_MAX IGW_WSS_C14N_PREFIXES_MAX
#define WSS_SIGVALUE_MAX IGW_WSS_SIGVALUE_MAX
#define WSS_B64_FAST_MAX IGW_WSS_B64_FAST_MAX

/* truststore.c */
/* pem: PEM text (containing "-----BEGIN") or the path of a PEM file; NULL = none. */
int wss_trust_new(const char *pem, struct wss_trust **out, char *err, size_t errlen);
void wss_trust_free(struct wss_trust *t);
/* Look up (or decode, evaluate and cache) a certificate given as the Base64
 * text of an X509Certificate element.  On 0, *key is a new reference to the
 * certificate's public key (EVP_PKEY_free it), *subject and *fp
 * ("sha256:<hex>" of the DER) are malloc'ed, *trusted is the chain verdict
 * against the truststore (always 0 without one).  Validity dates are
 * checked against now_ms on every call: IGW_EEXPIRED (with *subject set).
 * IGW_EPARSE if it cannot be decoded; IGW_EUNSUPPORTED (with *subject set)
 * if the key is weaker than WSS_RSA_MIN_BITS / WSS_EC_MIN_BITS. */
int wss_trust_lookup(struct wss_trust *t, const char *b64, int64_t now_ms, EVP_PKEY **key,
                     char **subject, char **fp, int *trusted);
/* Cache occupancy (never more than IGW_WSS_CERT_CACHE) and hit/miss counts. */
void wss_trust_stats(struct wss_trust *t, size_t *entries, unsigned long *hits, unsigned long *misses);
/* "sha256:<hex>" of DER bytes into out[7 + 64 + 1]. */
void wss_fingerprint(const uint8_t *der, size_t len, char out[72]);

/* module.c */
int wss_module_load(const char *path, const char *arg, struct wss_module **out,
                    char *err, size_t errlen);
void wss_module_free(struct wss_module *m);
int wss_module_check(struct wss_ctx *x, const struct wss_module *m);

/* Replay helper: ns + key, expiry; maps errors to reason codes. */
int wss_replay_check(struct wss_ctx *x, const char *ns, const void *key, size_t keylen,
                     int64_t expires_ms, const char *replay_reason);

char *wss_strdup(const char *s);

#endif
