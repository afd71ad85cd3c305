/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * imsgw WS-Security engine (igw_wss).
 *
 * Takes SOAP envelope bytes, a per-service policy and the transport facts
 * (TLS client certificate) and returns either a verified identity or a
 * precise rejection carrying a stable reason code (WSS-*, SAML-*; see
 * core/src/reason.c and igw_wss_fault_code()).  Knows nothing about HTTP or
 * IMS.
 *
 * Threading: igw_wss_init() once (thread-safe, idempotent).  A compiled
 * policy is immutable and may be shared by any number of threads; a result
 * belongs to the caller.  The in-memory replay cache is thread-safe.
 *
 * Ownership: every *_new / *_compile returns an object the caller frees with
 * the matching *_free.  Strings passed in a configuration are copied when the
 * policy is compiled; the caller may free them afterwards.  Strings returned
 * by result accessors live as long as the result.
 *
 * Return values follow the core error space (imsgw/error.h): 0 or a negative
 * IGW_E* code.
 */
#ifndef IMSGW_WSS_H
#define IMSGW_WSS_H

#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>
#include "imsgw/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Initialise libxml2, xmlsec1 and its OpenSSL backend once per process.
 * Every other function calls it too; calling it first at start-up avoids a
 * lazy initialisation on the first request.  Returns 0 or IGW_ECRYPTO. */
int igw_wss_init(void);

/* ------------------------------------------------------------------------ */
/* Replay cache interface.                                                  */
/*
 * A replay store remembers keys (UsernameToken nonces, SAML assertion IDs)
 * until they can no longer be fresh.  check_and_store() must be atomic:
 *   0              key was not known; it is now remembered until expires_ms
 *   IGW_EREPLAY    key is known and still remembered: a replay
 *   IGW_EOVERLOAD  the store is full of still-fresh keys: refuse the message
 *                  (a store must never forget a fresh key to make room)
 * ns separates key spaces ("ut-nonce", "saml-id").  Times are wall-clock ms.
 * A shared store (e.g. Redis) implements the same two functions.
 */
struct igw_wss_replay {
	int (*check_and_store)(struct igw_wss_replay *self, const char *ns,
	                       const void *key, size_t keylen,
	                       int64_t now_ms, int64_t expires_ms);
	void (*destroy)(struct igw_wss_replay *self);
};

/* In-process sharded store: `shards` (rounded up to a power of two, 1..256)
 * each holding at most max_entries/shards keys.  Keys are stored as SHA-256
 * digests; expired entries are purged lazily and when a shard is full.  A
 * full shard of fresh entries refuses (IGW_EOVERLOAD).  NULL on ENOMEM. */
struct igw_wss_replay *igw_wss_replay_mem_new(unsigned shards, size_t max_entries);
/* Number of keys held (expired ones not yet purged included); for tests. */
size_t igw_wss_replay_mem_count(struct igw_wss_replay *r);
/* Calls r->destroy(r); NULL is fine. */
void igw_wss_replay_free(struct igw_wss_replay *r);

/* ------------------------------------------------------------------------ */
/* Credential interface (local password store).                             */
/*
 * get_password: copy the clear password of `user` into out (which the
 * engine zeroes and frees).  Return 0, IGW_ENOTFOUND for an unknown user, or
 * another IGW_E* code.  Required for PasswordDigest (the digest can only be
 * checked with the clear secret).  check_password (optional) verifies a
 * PasswordText against a store that keeps only hashes: return 0 if right,
 * IGW_EAUTH if wrong, IGW_ENOTFOUND if unknown.  When check_password is NULL,
 * PasswordText is checked with get_password and a constant-time compare.
 */
struct igw_wss_credentials {
	int (*get_password)(void *ctx, const char *user, struct igw_buf *out);
	int (*check_password)(void *ctx, const char *user,
	                      const char *password, size_t len);
	void *ctx;
};

/* ------------------------------------------------------------------------ */
/* Policy configuration (plain data) and compiled policy (opaque).          */

enum igw_wss_token {			/* bit mask of accepted token types */
	IGW_WSS_TOKEN_UT     = 1u << 0,	/* UsernameToken                   */
	IGW_WSS_TOKEN_SAML11 = 1u << 1,	/* SAML 1.1 assertion              */
	IGW_WSS_TOKEN_SAML20 = 1u << 2,	/* SAML 2.0 assertion              */
};

enum igw_wss_presence {
	IGW_WSS_OPTIONAL  = 0,	/* accepted with or without */
	IGW_WSS_REQUIRED  = 1,	/* must be present          */
	IGW_WSS_FORBIDDEN = 2,	/* must be absent           */
};

enum igw_wss_ut_password {		/* how a PasswordText is handled */
	IGW_WSS_PW_PASSTHROUGH = 0,	/* not checked here; handed on (IMS Connect/RACF checks it) */
	IGW_WSS_PW_LOCAL       = 1,	/* checked against the credential interface */
};

enum igw_wss_trust {
	IGW_WSS_TRUST_ONE = 0,	/* signer cert must be in / chain to the truststore */
	IGW_WSS_TRUST_ANY = 1,	/* any currently valid cert in the message: integrity only */
};

enum igw_wss_saml_sig {
	IGW_WSS_SIG_REQUIRED = 0,	/* unsigned assertions refused */
	IGW_WSS_SIG_OPTIONAL = 1,	/* unsigned accepted; a present signature must verify */
};

enum igw_wss_saml_replay {
	IGW_WSS_SAML_REPLAY_ALL      = 0,	/* every assertion ID is single use */
	IGW_WSS_SAML_REPLAY_ONETIME  = 1,	/* only OneTimeUse (2.0) assertions */
};

/* An attester allowed to vouch for SAML sender-vouches subjects: matched
 * against the TLS client certificate and, for signed assertions verified
 * with trust one, the signer certificate.  `who` is either a subject DN in
 * OpenSSL one-line RFC 2253 form ("CN=x,O=y") or "sha256:<64 lowercase hex>"
 * (a certificate fingerprint).  issuer NULL = for any SAML Issuer. */
struct igw_wss_attester {
	const char *who;
	const char *issuer;
};

struct igw_wss_policy_conf {
	const char *service;		/* name for logs and the module     */
	unsigned tokens;		/* IGW_WSS_TOKEN_* mask (0 = none)   */
	int require_token;		/* no token -> WSS-SECURITY-MISSING /
					   WSS-TOKEN-MISSING                 */
	int allow_cert_identity;	/* no token + TLS cert -> kind CERT  */
	const char *actor;		/* extra SOAP actor/role we answer to */
	const char *const *understood_headers; /* "{ns}local", NULL-terminated */

	/* UsernameToken */
	int ut_allow_text;		/* PasswordText accepted             */
	int ut_allow_digest;		/* PasswordDigest accepted           */
	enum igw_wss_ut_password ut_text_mode;
	int ut_pass_password;		/* result carries a PasswordText     */
	enum igw_wss_presence ut_nonce;
	enum igw_wss_presence ut_created;
	unsigned ut_max_age_s;		/* Created not older than this       */
	unsigned ut_future_skew_s;	/* Created at most this far ahead    */
	struct igw_wss_credentials creds;

	/* Timestamp */
	enum igw_wss_presence ts;
	unsigned ts_past_skew_s;	/* tolerance on Expires               */
	unsigned ts_future_skew_s;	/* Created at most this far ahead     */
	unsigned ts_max_ttl_s;		/* Expires - Created at most (0 = any) */

	/* SAML */
	enum igw_wss_saml_sig saml_sig;
	enum igw_wss_trust saml_trust;
	const char *truststore_pem;	/* trust one: CA and/or pinned certificates,
					   as PEM text (containing "-----BEGIN") or
					   the path of a PEM file */
	int saml_allow_sha1;		/* RSA-SHA1 / SHA1 digests accepted   */
	const char *saml_audience;	/* NULL: audience not checked         */
	unsigned saml_skew_s;		/* on NotBefore / NotOnOrAfter        */
	unsigned saml_max_lifetime_s;	/* IssueInstant at most this old (+ skew);
					   IDs remembered this long; 0 = 1 day */
	int saml_allow_bearer;		/* bearer: whoever presents it */
	int saml_allow_hok;		/* holder-of-key, proven only by a TLS client
					   certificate equal to the confirmation
					   X509Certificate (tls_fingerprint) */
	enum igw_wss_saml_replay saml_replay;
	const struct igw_wss_attester *attesters; /* NULL or array ... */
	size_t attester_count;		/* ... of this many; 0 = any TLS client
					   or trust-one signer vouches */

	struct igw_wss_replay *replay;	/* borrowed; NULL = no replay checks (refused
					   when a nonce or OneTimeUse needs one) */
	/* Custom authentication module (see "Module ABI" below). */
	const char *module_path;	/* NULL = none                         */
	const char *module_arg;		/* passed to igw_wss_module_init       */
};

/* Safe defaults: no token types, a token required, UT PasswordText in passthrough (digest off:
 * it needs a credential store with clear passwords), nonce and Created
 * optional, 300 s age / 60 s future skew, Timestamp optional, SAML
 * signature required, trust one, no SHA-1, 60 s skew, bearer and
 * holder-of-key refused, every SAML ID single use. */
void igw_wss_policy_conf_defaults(struct igw_wss_policy_conf *c);

struct igw_wss_policy;
/* Validate and compile: loads the truststore into one X509_STORE, loads the
 * module.  On failure returns IGW_ECONFIG (or IGW_ENOMEM) and, if err is not
 * NULL, a message in err[errlen]. */
int igw_wss_policy_compile(const struct igw_wss_policy_conf *c,
                           struct igw_wss_policy **out,
                           char *err, size_t errlen);
void igw_wss_policy_free(struct igw_wss_policy *p);
/* Nonzero when verifying under p may wait on something outside this
 * process: a custom authentication module is configured (it may consult a
 * directory, say).  Without one, igw_wss_verify is CPU work only, given
 * replay and credential stores that do not wait (the in-memory ones), and
 * a caller may run it on an event-loop thread. */
int igw_wss_policy_may_wait(const struct igw_wss_policy *p);

/* ------------------------------------------------------------------------ */
/* Verification.                                                            */

struct igw_wss_request {
	const char *reqid;		/* for logs; may be NULL             */
	const char *tls_subject;	/* client cert subject DN, RFC 2253; NULL if none */
	const char *tls_fingerprint;	/* "sha256:<64 lowercase hex>" of the client
					   cert's DER; NULL if none */
	int64_t now_ms;			/* wall clock; 0 = now               */
	int env_terminated;		/* env[len] is a readable NUL byte: a plain
					   UTF-8 envelope is then parsed in place,
					   without a copy (the gateway's bodies) */
};

enum igw_wss_kind {
	IGW_WSS_KIND_NONE = 0,
	IGW_WSS_KIND_USERNAMETOKEN = 1,
	IGW_WSS_KIND_SAML = 2,
	IGW_WSS_KIND_CERT = 3,
};

struct igw_wss_result;

/*
 * Parse env[0..len) safely, check the SOAP structure and the Security header
 * against the policy, and fill *out (always, when out is not NULL, even on
 * rejection).  Returns 0 with a verified identity, or a negative IGW_E* code
 * with igw_wss_result_reason() giving the stable reason code.
 */
int igw_wss_verify(const struct igw_wss_policy *p, const void *env, size_t len,
                   const struct igw_wss_request *req, struct igw_wss_result **out);

const char *igw_wss_result_reason(const struct igw_wss_result *r); /* "WSS-OK" when accepted */
const char *igw_wss_result_detail(const struct igw_wss_result *r); /* for the log only */
enum igw_wss_kind igw_wss_result_kind(const struct igw_wss_result *r);
const char *igw_wss_result_user(const struct igw_wss_result *r);    /* NULL for NONE */
const char *igw_wss_result_issuer(const struct igw_wss_result *r);  /* SAML Issuer / cert issuer */
const char *igw_wss_result_format(const struct igw_wss_result *r);  /* NameID Format */
/* PasswordText, only if the policy passes it on; zeroed with the result. */
const char *igw_wss_result_password(const struct igw_wss_result *r);
const char *igw_wss_result_attester(const struct igw_wss_result *r); /* who vouched (SAML) */
int igw_wss_result_signed(const struct igw_wss_result *r);  /* assertion signature verified */
int64_t igw_wss_result_token_age_ms(const struct igw_wss_result *r); /* -1 if unknown */
int igw_wss_result_soap_version(const struct igw_wss_result *r); /* 11, 12, 0 if unparsed */
size_t igw_wss_result_attr_count(const struct igw_wss_result *r);
/* SAML attribute i: name and first value.  IGW_EINVAL past the end. */
int igw_wss_result_attr(const struct igw_wss_result *r, size_t i,
                        const char **name, const char **value);
/* The parsed envelope and its Body (one parse: the caller converts the body
 * from here).  Owned by the result. */
xmlDocPtr igw_wss_result_doc(const struct igw_wss_result *r);
xmlNodePtr igw_wss_result_body(const struct igw_wss_result *r);
void igw_wss_result_free(struct igw_wss_result *r);

/* WS-Security fault QName (SOAP Message Security 1.1, section 12) for a
 * reason code: "wsse:FailedAuthentication", "wsse:InvalidSecurity",
 * "wsse:InvalidSecurityToken", "wsse:FailedCheck",
 * "wsse:SecurityTokenUnavailable", "wsse:UnsupportedSecurityToken",
 * "wsse:UnsupportedAlgorithm" or "wsse:MessageExpired" (table in
 * wss/README.md).  NULL for WSS-OK, for envelope problems that are plain SOAP
 * faults (WSS-PARSE, WSS-DTD, WSS-LIMIT, WSS-SOAP-STRUCTURE; and
 * WSS-MUST-UNDERSTAND, which is the SOAP MustUnderstand fault) and for codes
 * that are not WSS-/SAML-. */
const char *igw_wss_fault_code(const char *reason);

/* ------------------------------------------------------------------------ */
/* Custom authentication module ABI (version 1).                             */
/*
 * A shared object named by policy module_path, dlopen'ed when the policy is
 * compiled.  It exports:
 *   int igw_wss_module_init(const char *arg, void **state);      optional
 *   int igw_wss_module_check(void *state,
 *                            const struct igw_wss_module_facts *f,
 *                            char *why, size_t whylen);          required
 *   void igw_wss_module_fini(void *state);                       optional
 * init returns 0 or non-zero (policy compile fails).  check is called after
 * every built-in check passed, from any thread; it returns 0 to allow,
 * non-zero to deny and may write a log text to why (never shown to the
 * client, who gets WSS-MODULE-DENIED).
 */
#define IGW_WSS_MODULE_ABI 1
struct igw_wss_module_facts {
	unsigned abi;			/* IGW_WSS_MODULE_ABI */
	const char *service;
	enum igw_wss_kind kind;
	const char *user;
	const char *issuer;		/* may be NULL */
	const char *format;		/* may be NULL */
	const char *attester;		/* may be NULL */
	const char *tls_subject;	/* may be NULL */
	int signed_token;
	int64_t token_age_ms;
	size_t attr_count;
	const char *const *attr_names;
	const char *const *attr_values;
};

/* ------------------------------------------------------------------------ */
/* Outbound tokens (callout).                                               */

struct igw_wss_signer;
/* Load a private key and its certificate (PEM files) once.  IGW_ECONFIG. */
int igw_wss_signer_load(const char *key_pem, const char *cert_pem,
                        struct igw_wss_signer **out);
/* Same from a PKCS#12 keystore (key + certificate) and its password. */
int igw_wss_signer_load_p12(const char *p12, const char *password,
                            struct igw_wss_signer **out);
void igw_wss_signer_free(struct igw_wss_signer *s);

enum igw_wss_out_kind {
	IGW_WSS_OUT_UT_TEXT = 0,
	IGW_WSS_OUT_UT_DIGEST = 1,	/* Nonce + Created + PasswordDigest */
	IGW_WSS_OUT_SAML11 = 2,
	IGW_WSS_OUT_SAML20 = 3,
};

struct igw_wss_out_conf {
	enum igw_wss_out_kind kind;
	const char *password;		/* UT only */
	const char *issuer;		/* SAML Issuer */
	const char *audience;		/* SAML audience; NULL = none */
	const char *name_format;	/* NameID Format; NULL = unspecified */
	unsigned lifetime_s;		/* SAML NotOnOrAfter = now + this; Timestamp too */
	int timestamp;			/* add a wsu:Timestamp */
	const struct igw_wss_signer *signer; /* SAML: NULL = unsigned */
	int64_t now_ms;			/* 0 = now */
};

/* Append a complete <wsse:Security> header element (serialised XML, UTF-8)
 * for `user` to out.  IGW_ELIMIT if out is too small. */
int igw_wss_out_security_header(const struct igw_wss_out_conf *c, const char *user,
                                struct igw_buf *out);
/* Append a whole SOAP envelope (soap_version 11 or 12) whose Header holds
 * the Security header and whose Body holds body_xml (well-formed XML,
 * may be NULL or empty). */
int igw_wss_out_envelope(const struct igw_wss_out_conf *c, const char *user,
                         int soap_version, const char *body_xml,
                         struct igw_buf *out);

#ifdef __cplusplus
}
#endif
#endif
