/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One-time initialisation of libxml2, xmlsec1 and its OpenSSL backend. */
#include <pthread.h>
#include <stdlib.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/errors.h>
#include <xmlsec/crypto.h>
#include <openssl/evp.h>
#include "internal.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc = IGW_EINTERNAL;
/* Digests fetched once: OpenSSL 3 would otherwise look the implementation
 * up on every EVP_sha1()/EVP_sha256() use. */
static EVP_MD *md_sha1, *md_sha256, *md_sha384, *md_sha512;

static pthread_key_t md_key;

const EVP_MD *wss_md_sha1(void) { return md_sha1; }
const EVP_MD *wss_md_sha256(void) { return md_sha256; }
const EVP_MD *wss_md_sha384(void) { return md_sha384; }
const EVP_MD *wss_md_sha512(void) { return md_sha512; }

static void quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

/* xmlsec errors are expected on hostile input; keep them at debug level. */
static void xmlsec_errors(const char *file, int line, const char *func,
                          const char *obj, const char *subj, int reason,
                          const char *msg)
{
	(void)file;
	(void)line;
	igw_log_debug(NULL, "xmlsec: %s: %s %s reason=%d %s", func ? func : "?",
	              obj ? obj : "", subj ? subj : "", reason, msg ? msg : "");
}

void wss_quiet_thread(void)
{
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
}

static int md_key_ok = 1;

/* This thread's digest contexts: one for SHA-1 (UsernameToken digests), one
 * for SHA-256 (replay keys), one for anything else.  Keeping one context per
 * algorithm lets EVP_DigestInit_ex re-initialise the provider state in place;
 * switching algorithms on one context frees and allocates it every time. */
struct md_ctxs {
	EVP_MD_CTX *any, *sha1, *sha256;
};

static void free_md_ctx(void *p)
{
	struct md_ctxs *m = p;
	if (m) {
		EVP_MD_CTX_free(m->any);
		EVP_MD_CTX_free(m->sha1);
		EVP_MD_CTX_free(m->sha256);
		free(m);
	}
}

static struct md_ctxs *thread_mds(void)
{
	struct md_ctxs *m = pthread_getspecific(md_key);
	if (!m && (m = calloc(1, sizeof(*m))) != NULL) {
		m->any = EVP_MD_CTX_new();
		m->sha1 = EVP_MD_CTX_new();
		m->sha256 = EVP_MD_CTX_new();
		if (!m->any || !m->sha1 || !m->sha256 || pthread_setspecific(md_key, m) != 0) {
			free_md_ctx(m);
			m = NULL;
		}
	}
	return m;
}

EVP_MD_CTX *wss_thread_md(void)
{
	struct md_ctxs *m = thread_mds();
	return m ? m->any : NULL;
}

/*
 * No wipe after hashing a password: OpenSSL's SHA final step cleanses the
 * buffered block (OPENSSL_cleanse in md32_common's HASH_FINAL), so what the
 * context keeps is the chaining state, which is the digest itself - the
 * value the client sent in the clear.
 */
int wss_digest(const EVP_MD *md, const void *const *part, const size_t *len, size_t nparts,
               uint8_t *out, unsigned *outlen)
{
	struct md_ctxs *m = thread_mds();
	EVP_MD_CTX *c = !m ? NULL : md == md_sha1 ? m->sha1 : md == md_sha256 ? m->sha256 : m->any;
	int ok = c && EVP_DigestInit_ex(c, md, NULL) == 1;
	for (size_t i = 0; ok && i < nparts; i++)
		ok = len[i] == 0 || EVP_DigestUpdate(c, part[i], len[i]) == 1;
	ok = ok && EVP_DigestFinal_ex(c, out, outlen) == 1;
	return ok ? IGW_OK : IGW_ECRYPTO;
}

static void do_init(void)
{
	int rc = IGW_ECRYPTO;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet_generic);
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
	xmlThrDefSetGenericErrorFunc(NULL, quiet_generic);
	xmlThrDefSetStructuredErrorFunc(NULL, quiet_structured);
	/* Never load anything from outside while parsing. */
	xmlLoadExtDtdDefaultValue = 0;
	xmlSubstituteEntitiesDefault(0);
	if (xmlSecInit() >= 0 && xmlSecCheckVersion() == 1) {
		xmlSecErrorsSetCallback(xmlsec_errors);
		if (pthread_key_create(&md_key, free_md_ctx) != 0)
			md_key_ok = 0;
		md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
		md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
		md_sha384 = EVP_MD_fetch(NULL, "SHA384", NULL);
		md_sha512 = EVP_MD_fetch(NULL, "SHA512", NULL);
		if (md_key_ok && md_sha1 && md_sha256 && md_sha384 && md_sha512 &&
		    xmlSecCryptoAppInit(NULL) >= 0 && xmlSecCryptoInit() >= 0)
			rc = IGW_OK;
	}
	init_rc = rc;
}

int wss_init(void)
{
	pthread_once(&once, do_init);
	return init_rc;
}

int igw_wss_init(void)
{
	return wss_init();
}
