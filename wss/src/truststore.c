/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signer certificates: one X509_STORE per policy (built once at compile) and
 * a cache of per-certificate results keyed by SHA-256 fingerprint.
 *
 * The cache is keyed by the X509Certificate Base64 text exactly as received
 * (compared in full, so a hit needs no decoding and no hashing); an entry
 * also records the fingerprint of the DER certificate.  A cache entry holds
 * the decoded certificate's public key (an EVP_PKEY shared by reference with
 * the verifications using it), whether its type and size are acceptable
 * (RSA >= WSS_RSA_MIN_BITS, EC >= WSS_EC_MIN_BITS, checked once), its
 * subject, its validity window and the chain verdict against the truststore.  The chain
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
#include "internal.h"

struct cert_entry {
	char *text;			/* the Base64 text as received (the key) */
	size_t textlen;
	char fp[72];			/* "sha256:" + hex of the DER */
	int used;
	int trusted;
	int64_t not_before_ms, not_after_ms;
	EVP_PKEY *key;			/* the public key (shared, up-ref'd per use) */
	int key_ok;			/* key type/size acceptable (checked once) */
	char *subject;
};

struct wss_trust {
	X509_STORE *store;		/* NULL: no truststore (trust any only) */
	pthread_mutex_t mu;
	unsigned long hits, misses;	/* for tests and diagnostics */
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
			EVP_PKEY_free(t->slot[i].key);
			free(t->slot[i].subject);
			free(t->slot[i].text);
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

/* RSA and EC keys below the minimum sizes are refused; other key types are
 * left to the signature algorithm check (they cannot match one). */
static int key_acceptable(EVP_PKEY *k)
{
	int id = EVP_PKEY_get_base_id(k), bits = EVP_PKEY_get_bits(k);
	int ok = 1;
	if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS)
		ok = bits >= WSS_RSA_MIN_BITS;
	else if (id == EVP_PKEY_EC)
		ok = bits >= WSS_EC_MIN_BITS;
	return ok;
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
		e->key = X509_get_pubkey(cert);
		e->key_ok = e->key && key_acceptable(e->key);
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

/*
 * Slot of a certificate text: FNV-1a over its length, first 16 and last 64
 * characters (the tail is the certificate's own signature, different for
 * every certificate).  Only a slot index: an entry matches on the whole
 * text (memcmp), so a collision costs a re-evaluation, never a wrong hit.
 */
static struct cert_entry *slot_of(struct wss_trust *t, const char *b64, size_t len)
{
	uint32_t h = 2166136261u;
	size_t head = len < 16 ? len : 16, tail = len < 64 ? len : 64;
	h = (h ^ (uint32_t)len) * 16777619u;
	for (size_t i = 0; i < head; i++)
		h = (h ^ (uint8_t)b64[i]) * 16777619u;
	for (size_t i = len - tail; i < len; i++)
		h = (h ^ (uint8_t)b64[i]) * 16777619u;
	return &t->slot[h % IGW_WSS_CERT_CACHE];
}

int wss_trust_lookup(struct wss_trust *t, const char *b64, int64_t now_ms, EVP_PKEY **key,
                     char **subject, char **fp, int *trusted)
{
	size_t len = strlen(b64);
	struct cert_entry *e = slot_of(t, b64, len);
	int rc = IGW_OK;
	*key = NULL;
	*subject = NULL;
	*fp = NULL;
	*trusted = 0;
	pthread_mutex_lock(&t->mu);
	if (e->used && e->textlen == len && memcmp(e->text, b64, len) == 0) {
		t->hits++;
	} else {
		struct cert_entry fresh;
		uint8_t *der = malloc(IGW_WSS_CERT_DER_MAX);
		size_t derlen = 0;
		t->misses++;
		memset(&fresh, 0, sizeof(fresh));
		/* evaluated under the lock: simple, and a chain check is rare */
		if (!der)
			rc = IGW_ENOMEM;
		else if (wss_b64_decode(b64, der, IGW_WSS_CERT_DER_MAX, &derlen) != IGW_OK || derlen == 0)
			rc = IGW_EPARSE;
		else
			rc = evaluate(t, der, derlen, &fresh);
		if (rc == IGW_OK && !(fresh.text = malloc(len + 1)))
			rc = IGW_ENOMEM;
		if (rc == IGW_OK) {
			memcpy(fresh.text, b64, len + 1);
			fresh.textlen = len;
			wss_fingerprint(der, derlen, fresh.fp);
			EVP_PKEY_free(e->key);
			free(e->subject);
			free(e->text);
			*e = fresh;
			e->used = 1;
		} else {
			EVP_PKEY_free(fresh.key);
			free(fresh.subject);
			free(fresh.text);
		}
		free(der);
	}
	if (rc == IGW_OK) {
		if (now_ms < e->not_before_ms || now_ms >= e->not_after_ms) {
			rc = IGW_EEXPIRED;
		} else if (!e->key_ok) {
			rc = IGW_EUNSUPPORTED;
		} else if (EVP_PKEY_up_ref(e->key) == 1) {
			*key = e->key;
			*trusted = e->trusted;
			*fp = wss_strdup(e->fp);
		} else {
			rc = IGW_ECRYPTO;
		}
		if (rc == IGW_OK || rc == IGW_EEXPIRED || rc == IGW_EUNSUPPORTED)
			*subject = wss_strdup(e->subject);
	}
	pthread_mutex_unlock(&t->mu);
	return rc;
}

void wss_trust_stats(struct wss_trust *t, size_t *entries, unsigned long *hits, unsigned long *misses)
{
	size_t n = 0;
	pthread_mutex_lock(&t->mu);
	for (unsigned i = 0; i < IGW_WSS_CERT_CACHE; i++)
		n += t->slot[i].used ? 1 : 0;
	*entries = n;
	*hits = t->hits;
	*misses = t->misses;
	pthread_mutex_unlock(&t->mu);
}
