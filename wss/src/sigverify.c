/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Enveloped XML Signature of a SAML assertion, verified with xmlsec1.
 *
 * Before xmlsec runs, the Signature's shape is checked against a narrow
 * profile so that the reason for a rejection is precise and nothing outside
 * the profile reaches xmlsec: exclusive C14N for SignedInfo, an allowed
 * SignatureMethod, exactly one Reference whose URI is "#" + the assertion's
 * own ID, transforms limited to enveloped-signature and exclusive C14N, an
 * allowed DigestMethod, a non-empty SignatureValue, no ds:Object, and an
 * X509Certificate in KeyInfo (the first one is the signer; a chain of at most
 * WSS_KEYINFO_CERTS_MAX may follow, but only the truststore supplies issuers).  The certificate goes through the policy's
 * trust cache (truststore.c: chain verdict, key and key-size check cached by
 * the certificate text, validity dates checked on every use).  The ID must
 * resolve to the very assertion node that the caller reads.
 *
 * The signature itself is then verified by the lean path (leanverify.c:
 * libxml2's exclusive C14N, OpenSSL digests and RSA) when it has the one
 * common shape (RSA, enveloped + exclusive C14N, elements in schema order);
 * any other shape goes to xmlsec exactly as before: the cached key is handed
 * to xmlsec as the only key (xmlsec never resolves keys itself), xmlsec's
 * own allow-lists of reference URIs and transforms repeat the profile, and
 * after verification the single reference is checked again.
 */
#include <string.h>
#include <stdlib.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/transforms.h>
#include <xmlsec/keys.h>
#include <xmlsec/base64.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <libxml/valid.h>
#include "internal.h"

/* KeyInfo may carry the signer's chain; only the first certificate (the
 * signer) is used, intermediates must be in the truststore. */
#define WSS_KEYINFO_CERTS_MAX 4
#define ALG_EXC_C14N  "http://www.w3.org/2001/10/xml-exc-c14n#"
#define ALG_ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

/* The algorithm allow-list, with each algorithm's digest (the lean path
 * uses it, leanverify.c) and whether it is an RSA PKCS#1 v1.5 method. */
struct alg {
	const char *uri;
	int sha1;
	int rsa;
	const EVP_MD *(*md)(void);
};

static const struct alg sig_algs[] = {
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 0, 1, wss_md_sha256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", 0, 1, wss_md_sha384 },
	{ "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", 0, 1, wss_md_sha512 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", 0, 0, wss_md_sha256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", 0, 0, wss_md_sha384 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", 0, 0, wss_md_sha512 },
	{ "http://www.w3.org/2000/09/xmldsig#rsa-sha1", 1, 1, wss_md_sha1 },
	{ "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", 1, 0, wss_md_sha1 },
};

static const struct alg digest_algs[] = {
	{ "http://www.w3.org/2001/04/xmlenc#sha256", 0, 0, wss_md_sha256 },
	{ "http://www.w3.org/2001/04/xmldsig-more#sha384", 0, 0, wss_md_sha384 },
	{ "http://www.w3.org/2001/04/xmlenc#sha512", 0, 0, wss_md_sha512 },
	{ "http://www.w3.org/2000/09/xmldsig#sha1", 1, 0, wss_md_sha1 },
};

static const struct alg *find_alg(const struct alg *t, size_t n, const char *uri)
{
	const struct alg *a = NULL;
	for (size_t i = 0; uri && i < n && !a; i++)
		if (strcmp(t[i].uri, uri) == 0)
			a = &t[i];
	return a;
}

static int allowed(const struct alg *t, size_t n, const char *uri, int allow_sha1)
{
	const struct alg *a = find_alg(t, n, uri);
	return a && (!a->sha1 || allow_sha1);
}

const EVP_MD *wss_sig_rsa_md(const char *uri)
{
	const struct alg *a = find_alg(sig_algs, sizeof(sig_algs) / sizeof(sig_algs[0]), uri);
	return a && a->rsa ? a->md() : NULL;
}

const EVP_MD *wss_sig_digest_md(const char *uri)
{
	const struct alg *a = find_alg(digest_algs, sizeof(digest_algs) / sizeof(digest_algs[0]), uri);
	return a ? a->md() : NULL;
}

/*
 * One pass over parent's element children: for each ds:<names[i]>, the first
 * one in first[i] (NULL if none) and how many in count[i]; *other is the
 * first element child that is none of them (NULL if none).
 */
static void ds_children(xmlNodePtr parent, const char *const *names, size_t n, xmlNodePtr *first,
                        int *count, xmlNodePtr *other)
{
	*other = NULL;
	for (size_t i = 0; i < n; i++) {
		first[i] = NULL;
		count[i] = 0;
	}
	for (xmlNodePtr e = wss_first_elem(parent); e; e = wss_next_elem(e)) {
		size_t i = 0;
		while (i < n && !wss_is(e, WSS_NS_DS, names[i]))
			i++;
		if (i == n) {
			if (!*other)
				*other = e;
		} else {
			if (!first[i])
				first[i] = e;
			count[i]++;
		}
	}
}

/* Shape checks; returns the X509Certificate element in *certnode. */
static int profile(struct wss_ctx *x, xmlNodePtr sig, const char *id, xmlNodePtr *certnode)
{
	static const char *const sig_names[3] = { "SignedInfo", "SignatureValue", "KeyInfo" };
	static const char *const si_names[3] = { "CanonicalizationMethod", "SignatureMethod", "Reference" };
	xmlNodePtr sig_k[3], si_k[3], other;
	int sig_count[3], si_count[3];
	int allow_sha1 = x->p->c.saml_allow_sha1, n = 0, rc = IGW_OK;
	xmlNodePtr si, ref, e, keyinfo;
	const char *uri;
	*certnode = NULL;
	/* Signature's children: SignedInfo, SignatureValue, KeyInfo, nothing else */
	ds_children(sig, sig_names, 3, sig_k, sig_count, &other);
	if (other)
		return wss_fail(x, IGW_ESIGNATURE, "SAML-XSW", "<%.32s> inside Signature",
		                (const char *)other->name);
	si = sig_k[0];
	n = sig_count[0];
	if (n != 1)
		return wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-MALFORMED", "%d SignedInfo", n);
	ds_children(si, si_names, 3, si_k, si_count, &other);
	e = si_k[0];
	n = si_count[0];
	if (n != 1 || !(uri = wss_attr(e, NULL, "Algorithm")) || strcmp(uri, ALG_EXC_C14N) != 0)
		return wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-ALGORITHM", "SignedInfo not exclusive C14N");
	e = si_k[1];
	n = si_count[1];
	if (n != 1 || !allowed(sig_algs, sizeof(sig_algs) / sizeof(sig_algs[0]),
	                       wss_attr(e, NULL, "Algorithm"), allow_sha1))
		return wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-ALGORITHM", "SignatureMethod not allowed");
	ref = si_k[2];
	n = si_count[2];
	if (n != 1)
		return wss_fail(x, IGW_ESIGNATURE, "SAML-XSW", "%d References (exactly one required)", n);
	uri = wss_attr(ref, NULL, "URI");
	if (!uri || uri[0] != '#' || strcmp(uri + 1, id) != 0)
		return wss_fail(x, IGW_ESIGNATURE, "SAML-XSW", "Reference does not point at the assertion");
	for (e = wss_first_elem(ref); e && rc == IGW_OK; e = wss_next_elem(e)) {
		if (wss_is(e, WSS_NS_DS, "Transforms")) {
			int k = 0;
			for (xmlNodePtr t = wss_first_elem(e); t && rc == IGW_OK; t = wss_next_elem(t)) {
				const char *a = wss_attr(t, NULL, "Algorithm");
				if (!wss_is(t, WSS_NS_DS, "Transform") || !a || ++k > 2 ||
				    (strcmp(a, ALG_ENVELOPED) != 0 && strcmp(a, ALG_EXC_C14N) != 0))
					rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-ALGORITHM", "transform not allowed");
			}
		} else if (wss_is(e, WSS_NS_DS, "DigestMethod")) {
			if (!allowed(digest_algs, sizeof(digest_algs) / sizeof(digest_algs[0]),
			             wss_attr(e, NULL, "Algorithm"), allow_sha1))
				rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-ALGORITHM", "DigestMethod not allowed");
		} else if (!wss_is(e, WSS_NS_DS, "DigestValue")) {
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-MALFORMED", "unexpected element in Reference");
		}
	}
	if (rc != IGW_OK)
		return rc;
	e = sig_k[1];
	n = sig_count[1];
	if (n != 1 || !e->children || wss_blank((const char *)e->children->content))
		return wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-MALFORMED", "missing or empty SignatureValue");
	keyinfo = sig_k[2];
	n = sig_count[2];
	if (n == 1) {
		int certs = 0;
		for (xmlNodePtr d = wss_first_elem(keyinfo); d; d = wss_next_elem(d)) {
			if (!wss_is(d, WSS_NS_DS, "X509Data"))
				continue;
			for (xmlNodePtr c = wss_first_elem(d); c; c = wss_next_elem(c)) {
				if (wss_is(c, WSS_NS_DS, "X509Certificate")) {
					if (!*certnode)
						*certnode = c;	/* the signer comes first */
					certs++;
				}
			}
		}
		if (certs > WSS_KEYINFO_CERTS_MAX)
			return wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-MALFORMED", "%d certificates in KeyInfo", certs);
	}
	if (!*certnode)
		return wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-NO-CERT", "KeyInfo carries no X509Certificate");
	return IGW_OK;
}

static int enable_transforms(xmlSecDSigCtxPtr d, int sha1)
{
	int bad = 0;
	bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformExclC14NId);
	bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformRsaSha256Id);
	bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformRsaSha384Id);
	bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformRsaSha512Id);
	bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformEcdsaSha256Id);
	bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformEcdsaSha384Id);
	bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformEcdsaSha512Id);
	bad |= xmlSecDSigCtxEnableReferenceTransform(d, xmlSecTransformExclC14NId);
	bad |= xmlSecDSigCtxEnableReferenceTransform(d, xmlSecTransformEnvelopedId);
	bad |= xmlSecDSigCtxEnableReferenceTransform(d, xmlSecTransformSha256Id);
	bad |= xmlSecDSigCtxEnableReferenceTransform(d, xmlSecTransformSha384Id);
	bad |= xmlSecDSigCtxEnableReferenceTransform(d, xmlSecTransformSha512Id);
	if (sha1) {
		bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformRsaSha1Id);
		bad |= xmlSecDSigCtxEnableSignatureTransform(d, xmlSecTransformEcdsaSha1Id);
		bad |= xmlSecDSigCtxEnableReferenceTransform(d, xmlSecTransformSha1Id);
	}
	return bad ? IGW_EINTERNAL : IGW_OK;
}

static int run_xmlsec(struct wss_ctx *x, xmlNodePtr sig, xmlSecKeyPtr key, const char *id)
{
	xmlSecDSigCtxPtr d = xmlSecDSigCtxCreate(NULL);
	int rc = IGW_OK;
	if (!d || enable_transforms(d, x->p->c.saml_allow_sha1) != IGW_OK) {
		rc = wss_fail(x, IGW_EINTERNAL, "WSS-INTERNAL", "xmlsec context");
		xmlSecKeyDestroy(key);
	} else {
		d->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
		d->signKey = key;	/* the only key xmlsec may use; freed with d */
		d->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
		if (xmlSecDSigCtxVerify(d, sig) < 0) {
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-INVALID", "xmlsec could not verify");
		} else if (d->status != xmlSecDSigStatusSucceeded) {
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-INVALID", "signature does not verify");
		} else {
			xmlSecDSigReferenceCtxPtr r = NULL;
			if (xmlSecPtrListGetSize(&d->signedInfoReferences) == 1)
				r = xmlSecPtrListGetItem(&d->signedInfoReferences, 0);
			if (!r || r->status != xmlSecDSigStatusSucceeded || !r->uri ||
			    r->uri[0] != '#' || strcmp((const char *)r->uri + 1, id) != 0)
				rc = wss_fail(x, IGW_ESIGNATURE, "SAML-XSW", "verified reference is not the assertion");
		}
	}
	if (d)
		xmlSecDSigCtxDestroy(d);
	return rc;
}

/* An xs:ID is an NCName; restricting to its ASCII subset also guarantees
 * that "#" + id can never be read by xmlsec as an XPointer expression
 * ("#xpointer(...)") or anything but a bare ID reference. */
static int plain_id(const char *id)
{
	int ok = (*id >= 'A' && *id <= 'Z') || (*id >= 'a' && *id <= 'z') || *id == '_';
	for (const char *p = id + 1; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		     *p == '_' || *p == '-' || *p == '.';
	return ok;
}

/* The cached public key as an xmlsec key (xmlsec path only). */
static xmlSecKeyPtr xmlsec_key(EVP_PKEY *pkey)
{
	xmlSecKeyDataPtr kd = NULL;
	xmlSecKeyPtr key = NULL;
	if (EVP_PKEY_up_ref(pkey) == 1) {
		kd = xmlSecOpenSSLEvpKeyAdopt(pkey);
		if (!kd)
			EVP_PKEY_free(pkey);
	}
	if (kd && (!(key = xmlSecKeyCreate()) || xmlSecKeySetValue(key, kd) < 0)) {
		xmlSecKeyDataDestroy(kd);
		if (key)
			xmlSecKeyDestroy(key);
		key = NULL;
	}
	return key;
}

int wss_sig_verify(struct wss_ctx *x, xmlNodePtr assertion, xmlNodePtr sig,
                   const char *id, char **signer_subject, char **signer_fp, int *trusted)
{
	xmlNodePtr certnode = NULL;
	xmlAttrPtr idattr;
	EVP_PKEY *pkey = NULL;
	const char *cert = NULL;
	char *txt = NULL;
	int rc, handled = 0;
	*signer_subject = NULL;
	*signer_fp = NULL;
	*trusted = 0;
	if (!plain_id(id))
		return wss_fail(x, IGW_ESIGNATURE, "SAML-XSW", "assertion ID is not a plain NCName");
	/* the ID must name this very assertion (recorded in parse.c) */
	idattr = wss_id_find(x, id);
	if (!idattr || idattr->parent != assertion || sig->parent != assertion)
		return wss_fail(x, IGW_ESIGNATURE, "SAML-XSW", "ID does not resolve to the assertion");
	rc = profile(x, sig, id, &certnode);
	if (rc == IGW_OK) {
		/* one text node (the usual case) is read in place */
		cert = wss_text_ref(certnode);
		if (cert && strlen(cert) > IGW_WSS_CERT_DER_MAX * 2)
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-NO-CERT", "X509Certificate too long");
		else if (!cert && wss_text(certnode, IGW_WSS_CERT_DER_MAX * 2, &txt) != IGW_OK)
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-NO-CERT", "X509Certificate is not plain text");
		else if (!cert)
			cert = txt;
	}
	if (rc == IGW_OK) {
		rc = wss_trust_lookup(x->p->trust, cert, x->now_ms, &pkey, signer_subject, signer_fp, trusted);
		if (rc == IGW_EEXPIRED)
			rc = wss_fail(x, IGW_EEXPIRED, "SAML-SIG-CERT-EXPIRED",
			              "signer certificate '%.200s' outside its validity",
			              *signer_subject ? *signer_subject : "?");
		else if (rc == IGW_EUNSUPPORTED)
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-NO-CERT",
			              "signer certificate '%.200s' key too weak",
			              *signer_subject ? *signer_subject : "?");
		else if (rc != IGW_OK)
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-NO-CERT", "signer certificate unusable");
	}
	free(txt);
	if (rc == IGW_OK && x->p->c.saml_trust == IGW_WSS_TRUST_ONE && !*trusted)
		rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-UNTRUSTED",
		              "signer '%.200s' not in or chained to the truststore", *signer_subject);
	if (rc == IGW_OK)
		rc = wss_lean_verify(x, assertion, sig, pkey, &handled);
	if (rc == IGW_OK && !handled) {
		xmlSecKeyPtr key = xmlsec_key(pkey);
		igw_log_debug(x->req ? x->req->reqid : NULL,
		              "wss: signature shape outside the lean path, verified by xmlsec");
		/* xmlsec resolves "#id" through libxml2's ID table: the one ID
		 * the single Reference may name is registered there now */
		if (!key)
			rc = wss_fail(x, IGW_ECRYPTO, "WSS-INTERNAL", "xmlsec key");
		else if (!xmlGetID(x->doc, (const xmlChar *)id) &&
		         !xmlAddID(NULL, x->doc, (const xmlChar *)id, idattr)) {
			xmlSecKeyDestroy(key);
			rc = wss_fail(x, IGW_ENOMEM, "WSS-INTERNAL", "xmlAddID failed");
		} else {
			rc = run_xmlsec(x, sig, key, id);	/* takes key */
		}
	}
	EVP_PKEY_free(pkey);
	return rc;
}
