/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signer certificates: one X509_STORE per policy (built once at compile) and
 * a cache of per-certificate results keyed by SHA-256 fingerprint.
 *
 * The cache is looked up by the SHA-256 of the X509Certificate Base64 text
 * as received (so a hit needs no decoding); an entry also records the
 * fingerprint of the DER certificate.  A cache entry holds the decoded certificate's public key, its subject, its
 * validity window and the chain verdict against the truststore.  The chain
 * is evaluated once per certificate; validity dates are checked on every use,
 * so an entry is useless (and refused) after the certificate expires.  The
 * cache is direct-mapped (IGW_WSS_CERT_CACHE slots): a collision replaces the
 * older entry, which only costs a re-evaluation.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/base64.h>
#include <xmlsec/keys.h>
#include <xmlsec/openssl/evp.h>
#include "internal.h"

struct cert_entry {
	uint8_t tag[32];		/* SHA-256 of the Base64 text as received */
	char fp[72];			/* "sha256:" + hex of the DER */
	int used;
	int trusted;
	int64_t not_before_ms, not_after_ms;
	xmlSecKeyPtr key;		/* the public key, adopted by xmlsec once */
	char *subject;
};

struct wss_trust {
	X509_STORE *store;		/* NULL: no truststore (trust any only) */
	pthread_mutex_t mu;
	struct cert_entry slot[IGW_WSS_CERT_CACHE];
};

static void hex(const uint8_t *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = '\0';
}

void wss_fingerprint(const uint8_t *der, size_t len, char out[72])
{
	uint8_t h[32];
	unsigned hl = 0;
	EVP_Digest(der, len, h, &hl, wss_md_sha256(), NULL);
	memcpy(out, "sha256:", 7);
	hex(h, 32, out + 7);
}

/* Certificates from PEM text (every CERTIFICATE block) into the store. */
static int load_pem_text(X509_STORE *st, const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x;
	int n = 0, bad = 0;
	while (b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (X509_STORE_add_cert(st, x) == 1)
			n++;
		else
			bad = 1;
		X509_free(x);
	}
	BIO_free(b);
	return n > 0 && !bad ? IGW_OK : IGW_ECONFIG;
}

int wss_trust_new(const char *pem, struct wss_trust **out, char *err, size_t errlen)
{
	struct wss_trust *t = calloc(1, sizeof(*t));
	int rc = IGW_OK;
	if (!t)
		return IGW_ENOMEM;
	pthread_mutex_init(&t->mu, NULL);
	if (pem) {
		int text = strstr(pem, "-----BEGIN") != NULL;	/* else a path */
		t->store = X509_STORE_new();
		if (!t->store) {
			rc = IGW_ENOMEM;
		} else if (text ? load_pem_text(t->store, pem) != IGW_OK
		                : X509_STORE_load_file(t->store, pem) != 1) {
			snprintf(err, errlen, "cannot load truststore %s%s%s", text ? "(PEM text)" : "'",
			         text ? "" : pem, text ? "" : "'");
			rc = IGW_ECONFIG;
		} else {
			/* a pinned (non-CA) certificate in the store is trusted as is */
			X509_STORE_set_flags(t->store, X509_V_FLAG_PARTIAL_CHAIN);
		}
		ERR_clear_error();
	}
	if (rc != IGW_OK) {
		wss_trust_free(t);
		t = NULL;
	}
	*out = t;
	return rc;
}

void wss_trust_free(struct wss_trust *t)
{
	if (t) {
		for (unsigned i = 0; i < IGW_WSS_CERT_CACHE; i++) {
			if (t->slot[i].key)
				xmlSecKeyDestroy(t->slot[i].key);
			free(t->slot[i].subject);
		}
		X509_STORE_free(t->store);
		pthread_mutex_destroy(&t->mu);
		free(t);
	}
}

static int64_t asn1_ms(const ASN1_TIME *a)
{
	struct tm tm;
	if (!a || ASN1_TIME_to_tm(a, &tm) != 1)
		return -1;
	return (int64_t)timegm(&tm) * 1000;
}

static char *subject_of(X509 *x)
{
	char *s = NULL;
	BIO *b = BIO_new(BIO_s_mem());
	if (b && X509_NAME_print_ex(b, X509_get_subject_name(x), 0,
	                            XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		char *p = NULL;
		long n = BIO_get_mem_data(b, &p);
		if (n >= 0 && n < IGW_SUBJECT_MAX && (s = malloc((size_t)n + 1))) {
			memcpy(s, p, (size_t)n);
			s[n] = '\0';
		}
	}
	BIO_free(b);
	return s;
}

/* The certificate's public key as an xmlsec key.  Built once per cache entry
 * and duplicated per verification: duplicates share the EVP_PKEY, so
 * OpenSSL's per-key provider data is set up once, not per message. */
static xmlSecKeyPtr make_key(X509 *cert)
{
	EVP_PKEY *pkey = X509_get_pubkey(cert);
	xmlSecKeyDataPtr kd = pkey ? xmlSecOpenSSLEvpKeyAdopt(pkey) : NULL;
	xmlSecKeyPtr key = kd ? xmlSecKeyCreate() : NULL;
	if (!kd)
		EVP_PKEY_free(pkey);
	if (kd && (!key || xmlSecKeySetValue(key, kd) < 0)) {
		xmlSecKeyDataDestroy(kd);
		if (key)
			xmlSecKeyDestroy(key);
		key = NULL;
	}
	return key;
}

/* Evaluate a certificate not in the cache; fills e (key, subject, dates, verdict). */
static int evaluate(struct wss_trust *t, const uint8_t *der, size_t len, struct cert_entry *e)
{
	const unsigned char *p = der;
	X509 *cert = d2i_X509(NULL, &p, (long)len);
	int rc = IGW_OK;
	if (!cert || p != der + len) {
		rc = IGW_EPARSE;
	} else {
		e->key = make_key(cert);
		e->subject = subject_of(cert);
		e->not_before_ms = asn1_ms(X509_get0_notBefore(cert));
		e->not_after_ms = asn1_ms(X509_get0_notAfter(cert));
		if (!e->key || !e->subject || e->not_before_ms < 0 || e->not_after_ms < 0)
			rc = IGW_EPARSE;
	}
	if (rc == IGW_OK && t->store) {
		X509_STORE_CTX *vc = X509_STORE_CTX_new();
		/* Dates are checked per use by the caller; the chain check itself
		 * runs at the current time. */
		if (vc && X509_STORE_CTX_init(vc, t->store, cert, NULL) == 1)
			e->trusted = X509_verify_cert(vc) == 1;
		if (!e->trusted && vc)
			igw_log_debug(NULL, "wss: signer '%s' does not chain: %s",
			              e->subject ? e->subject : "?",
			              X509_verify_cert_error_string(X509_STORE_CTX_get_error(vc)));
		X509_STORE_CTX_free(vc);
	}
	X509_free(cert);
	ERR_clear_error();
	return rc;
}

int wss_trust_lookup(struct wss_trust *t, const char *b64, int64_t now_ms, xmlSecKeyPtr *key,
                     char **subject, char **fp, int *trusted)
{
	uint8_t h[32];
	unsigned hl = 0;
	struct cert_entry *e;
	int rc = IGW_OK;
	*key = NULL;
	*subject = NULL;
	*fp = NULL;
	*trusted = 0;
	if (EVP_Digest(b64, strlen(b64), h, &hl, wss_md_sha256(), NULL) != 1)
		return IGW_ECRYPTO;
	{
		uint32_t idx;
		memcpy(&idx, h, sizeof(idx));
		e = &t->slot[idx % IGW_WSS_CERT_CACHE];
	}
	pthread_mutex_lock(&t->mu);
	if (!e->used || memcmp(e->tag, h, 32) != 0) {
		struct cert_entry fresh;
		uint8_t *der = malloc(IGW_WSS_CERT_DER_MAX);
		xmlSecSize derlen = 0;
		memset(&fresh, 0, sizeof(fresh));
		/* evaluated under the lock: simple, and a chain check is rare */
		if (!der)
			rc = IGW_ENOMEM;
		else if (xmlSecBase64Decode_ex((const xmlChar *)b64, der, IGW_WSS_CERT_DER_MAX, &derlen) < 0 ||
		         derlen == 0)
			rc = IGW_EPARSE;
		else
			rc = evaluate(t, der, derlen, &fresh);
		if (rc == IGW_OK) {
			wss_fingerprint(der, derlen, fresh.fp);
			if (e->key)
				xmlSecKeyDestroy(e->key);
			free(e->subject);
			*e = fresh;
			memcpy(e->tag, h, 32);
			e->used = 1;
		} else {
			if (fresh.key)
				xmlSecKeyDestroy(fresh.key);
			free(fresh.subject);
		}
		free(der);
	}
	if (rc == IGW_OK) {
		if (now_ms < e->not_before_ms || now_ms >= e->not_after_ms) {
			rc = IGW_EEXPIRED;
		} else if ((*key = xmlSecKeyDuplicate(e->key)) != NULL) {
			*trusted = e->trusted;
			*fp = wss_strdup(e->fp);
		} else {
			rc = IGW_ECRYPTO;
		}
		if (rc == IGW_OK || rc == IGW_EEXPIRED)
			*subject = wss_strdup(e->subject);
	}
	pthread_mutex_unlock(&t->mu);
	return rc;
}
