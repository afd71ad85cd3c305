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
	/* SAML attributes, allocated with the first one (most results have
	 * none, and a small result stays in malloc's per-thread cache) */
	char **attr_name;		/* IGW_WSS_SAML_ATTRS_MAX each */
	char **attr_value;
	xmlDocPtr doc;
	xmlNodePtr body;
};

/*
 * Security tokens read while parsing (capture.c).  The children of a
 * wsse:UsernameToken or wsu:Timestamp that is a child of a wsse:Security
 * header block (Envelope/Header/Security/token, SOAP 1.1 or 1.2) are not
 * built as a tree: the SAX handlers keep what the token checks read (each
 * child's namespace, local name, attributes and text, and whether anything
 * but text is inside it) in a per-thread capture that stays valid until the
 * thread's next parse.  The token element itself is in the tree (its
 * attributes, ID included, are registered like any other).  Everything
 * else, Body included, is built as usual.
 */
enum wss_tns { WSS_TNS_NONE, WSS_TNS_WSSE, WSS_TNS_WSU, WSS_TNS_OTHER };
/* The local names the token checks look for (wss_tchild.name), found by the
 * capture with a pointer comparison in the parser's dictionary. */
enum wss_tname { WSS_TN_OTHER, WSS_TN_USERNAME, WSS_TN_PASSWORD, WSS_TN_NONCE, WSS_TN_CREATED,
                 WSS_TN_EXPIRES };

struct wss_tattr {
	enum wss_tns ns;
	const char *name, *value;
};

struct wss_tchild {
	enum wss_tns ns;
	enum wss_tname name;	/* local, if it is one of those names */
	const char *local;
	const char *text;	/* NUL-terminated; valid when !mixed && !long_text */
	size_t text_len;
	int mixed;		/* an element, comment or PI inside: not plain text */
	int long_text;		/* longer than IGW_WSS_FIELD_MAX (or no room left) */
	unsigned attr0, nattr;	/* in wss_capture.attr */
};

struct wss_token {
	xmlNodePtr node;	/* the token element in the tree (NULL: not built) */
	int is_ut;		/* UsernameToken, else Timestamp */
	unsigned nchild;
	int overflow;		/* more than IGW_WSS_TOKEN_CHILDREN_MAX children */
	struct wss_tchild child[IGW_WSS_TOKEN_CHILDREN_MAX];
};

struct wss_capture;
struct wss_ctx;

/*
 * A SOAP Header that held only wsse:Security blocks made of those tokens (the
 * UsernameToken request) is not built at all: its start tags are kept, and
 * built (with the tokens' elements) as soon as anything else turns up in it.
 * wss_vheader() is -1 if the envelope's Header is in the tree or absent,
 * else the number of such Security blocks; wss_vblock_attr() reads a
 * block's attribute (ns NULL: none), wss_vblock_token() its tokens in order.
 */
int wss_vheader(const struct wss_ctx *x);
const char *wss_vblock_attr(const struct wss_ctx *x, unsigned block, const char *ns,
                            const char *name);
const struct wss_token *wss_vblock_token(const struct wss_ctx *x, unsigned block, unsigned i);

/* The capture of token element n (NULL if n was not captured). */
const struct wss_token *wss_token_of(const struct wss_ctx *x, const xmlNode *n);
/* Attribute `name` of a token child (ns WSS_TNS_NONE: without namespace), or NULL. */
const char *wss_tchild_attr(const struct wss_ctx *x, const struct wss_tchild *c, enum wss_tns ns,
                            const char *name);
/* Like wss_text: IGW_OK and *out (pointing into the capture), IGW_EPARSE if
 * not plain text, IGW_ELIMIT if longer than max. */
int wss_tchild_text(const struct wss_tchild *c, size_t max, const char **out);

/* One verification in progress. */
struct wss_ctx {
	const struct igw_wss_policy *p;
	const struct igw_wss_request *req;
	int64_t now_ms;
	struct igw_wss_result *r;
	xmlDocPtr doc;
	xmlNodePtr envelope, header, body, security;
	int vsec;			/* our Security block of a Header not built, -1 */
	const char *soap_ns;
	int has_pi;			/* a processing instruction somewhere (parse.c) */
	struct wss_capture *cap;	/* this thread's token capture (capture.c) */
	/* every ID value of the document (parse.c, capture.c), sorted once the
	 * parse is checked: duplicates are found in one pass and a Reference
	 * resolves by binary search (no libxml2 ID table: creating one costs a
	 * 10 kB zeroed allocation per document) */
	struct wss_id {
		const char *v;
		xmlAttrPtr a;		/* NULL for an ID inside a captured token */
	} id_inline[8], *ids;
	size_t nids, ids_cap;
};

/* parse.c: record an ID value (borrowed: the tree or the capture owns it). */
int wss_id_add(struct wss_ctx *x, const char *v, xmlAttrPtr a);
/* The attribute holding ID v, NULL if none (or inside a captured token). */
xmlAttrPtr wss_id_find(const struct wss_ctx *x, const char *v);
/* Release the ID list (verify.c, at the end of a verification). */
void wss_ids_free(struct wss_ctx *x);

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

/* capture.c: SAX handlers of the parser context (parse.c installs them). */
struct wss_capture *wss_capture_new(void);
void wss_capture_free(struct wss_capture *c);
/* Install the handlers on ctxt (whose default SAX2 handlers they wrap). */
void wss_capture_install(xmlParserCtxtPtr ctxt);
/* Before a parse (after the context's reset): forget the previous document,
 * use c for ctxt's events.  IGW_ENOMEM if the names could not be interned. */
int wss_capture_begin(struct wss_capture *c, xmlParserCtxtPtr ctxt, struct wss_ctx *x);
/* After a parse: the first limit problem met while parsing (WSS-LIMIT,
 * WSS-DTD, WSS-PARSE), and the captured tokens' IDs joined to the tree's
 * (wss_id_add), checked for duplicates together by parse.c. */
int wss_capture_check(struct wss_ctx *x);
/* The parser context (and its dictionary) was replaced: intern the names
 * again at the next wss_capture_begin. */
void wss_capture_forget_names(struct wss_capture *c);
/* 1 if a DOCTYPE was seen (the parse was stopped). */
int wss_capture_doctype(const struct wss_capture *c);
/* Wipe the captured text (passwords) once the verification is over. */
void wss_capture_wipe(struct wss_capture *c);

/* timestamp.c */
/* Parse an xsd:dateTime with a time zone (Z or +hh:mm) to epoch ms. */
int wss_parse_datetime(const char *s, int64_t *ms);
void wss_format_datetime(int64_t ms, char out[32]);
int wss_timestamp(struct wss_ctx *x, const struct wss_token *ts);

/* usernametoken.c */
int wss_usernametoken(struct wss_ctx *x, const struct wss_token *ut);

/* saml.c */
int wss_saml(struct wss_ctx *x, xmlNodePtr assertion, int version);

/* sigverify.c: verify the enveloped signature `sig` of `assertion` whose ID
 * is `id`.  On success *signer_subject / *signer_fp (malloc'ed) name the
 * signer certificate and *trusted says whether it chains to the truststore. */
int wss_sig_verify(struct wss_ctx *x, xmlNodePtr assertion, xmlNodePtr sig,
                   const char *id, char **signer_subject, char **signer_fp,
                   int *trusted);

/* The digest of an allow-listed RSA PKCS#1 v1.5 SignatureMethod / of a
 * DigestMethod (sigverify.c's table; the SHA-1 policy is checked there),
 * NULL for anything else. */
const EVP_MD *wss_sig_rsa_md(const char *uri);
const EVP_MD *wss_sig_digest_md(const char *uri);

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
/* Add a SAML attribute to the result: name is copied, value (malloc'ed) is
 * taken over on IGW_OK; IGW_ELIMIT past IGW_WSS_SAML_ATTRS_MAX. */
int wss_result_add_attr(struct igw_wss_result *r, const char *name, char *value);

#endif
