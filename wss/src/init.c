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
static EVP_MD *md_sha1, *md_sha256;

const EVP_MD *wss_md_sha1(void) { return md_sha1; }
const EVP_MD *wss_md_sha256(void) { return md_sha256; }

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
		md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
		md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
		if (md_sha1 && md_sha256 && xmlSecCryptoAppInit(NULL) >= 0 && xmlSecCryptoInit() >= 0)
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
