/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One-time initialisation of libxml2, xmlsec1 and its OpenSSL backend. */
#include <pthread.h>
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

static void free_md_ctx(void *p)
{
	EVP_MD_CTX_free(p);
}

/*
 * One EVP_MD_CTX per thread, reused by every digest computed here: with the
 * same (pre-fetched) EVP_MD, EVP_DigestInit_ex re-initialises the provider
 * context in place instead of allocating and freeing one per message.
 */
EVP_MD_CTX *wss_thread_md(void)
{
	EVP_MD_CTX *c = pthread_getspecific(md_key);
	if (!c) {
		c = EVP_MD_CTX_new();
		if (c && pthread_setspecific(md_key, c) != 0) {
			EVP_MD_CTX_free(c);
			c = NULL;
		}
	}
	return c;
}

int wss_digest(const EVP_MD *md, const void *const *part, const size_t *len, size_t nparts,
               uint8_t *out, unsigned *outlen)
{
	EVP_MD_CTX *c = wss_thread_md();
	int ok = c && EVP_DigestInit_ex(c, md, NULL) == 1;
	for (size_t i = 0; ok && i < nparts; i++)
		ok = len[i] == 0 || EVP_DigestUpdate(c, part[i], len[i]) == 1;
	ok = ok && EVP_DigestFinal_ex(c, out, outlen) == 1;
	return ok ? IGW_OK : IGW_ECRYPTO;
}

void wss_digest_wipe(void)
{
	EVP_MD_CTX *c = pthread_getspecific(md_key);
	if (c)
		(void)EVP_MD_CTX_reset(c);	/* frees (and cleanses) the state */
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
