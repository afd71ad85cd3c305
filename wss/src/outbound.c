/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Outbound tokens for callouts: UsernameToken (text or digest) and SAML 1.1 /
 * 2.0 sender-vouches assertions, unsigned or signed with xmlsec1, in a
 * <wsse:Security> header.  Built with the libxml2 tree API (which escapes)
 * and serialised; signatures use exclusive C14N so the assertion stays
 * valid wherever the header text is pasted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/pkcs12.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/crypto.h>
#include <xmlsec/base64.h>
#include "internal.h"

struct igw_wss_signer {
	xmlSecKeyPtr key;
	int ec;
};

int igw_wss_signer_load(const char *key_pem, const char *cert_pem, struct igw_wss_signer **out)
{
	struct igw_wss_signer *s = NULL;
	int rc = wss_init();
	*out = NULL;
	if (rc == IGW_OK && !(s = calloc(1, sizeof(*s))))
		rc = IGW_ENOMEM;
	/* xmlsec leaks a BIO when the file cannot be opened: look first */
	if (rc == IGW_OK && (access(key_pem, R_OK) != 0 || (cert_pem && access(cert_pem, R_OK) != 0))) {
		igw_log_error(NULL, "wss: cannot read signing key '%s' / certificate '%s'",
		              key_pem, cert_pem ? cert_pem : "-");
		rc = IGW_ECONFIG;
	}
	if (rc == IGW_OK) {
		s->key = xmlSecCryptoAppKeyLoad(key_pem, xmlSecKeyDataFormatPem, NULL, NULL, NULL);
		if (!s->key || (cert_pem && xmlSecCryptoAppKeyCertLoad(s->key, cert_pem,
		                                                        xmlSecKeyDataFormatPem) < 0)) {
			igw_log_error(NULL, "wss: cannot load signing key '%s' / certificate '%s'",
			              key_pem, cert_pem ? cert_pem : "-");
			rc = IGW_ECONFIG;
		} else {
			s->ec = xmlSecKeyDataCheckId(xmlSecKeyGetValue(s->key), xmlSecOpenSSLKeyDataEcdsaId);
		}
	}
	if (rc != IGW_OK)
		igw_wss_signer_free(s);
	else
		*out = s;
	return rc;
}

/*
 * PKCS#12: parsed with OpenSSL so that only the signer's own certificate is
 * attached to the key (xmlsec would write the CA certificates of the
 * keystore into KeyInfo too, ahead of the signer).
 */
int igw_wss_signer_load_p12(const char *p12, const char *password, struct igw_wss_signer **out)
{
	struct igw_wss_signer *s = NULL;
	FILE *f = NULL;
	PKCS12 *pk = NULL;
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	BIO *kb = NULL;
	unsigned char *der = NULL;
	int derlen = 0, rc = wss_init();
	*out = NULL;
	if (rc == IGW_OK && (!p12 || !(f = fopen(p12, "rb")))) {
		igw_log_error(NULL, "wss: cannot read keystore '%s'", p12 ? p12 : "-");
		rc = IGW_ECONFIG;
	}
	if (rc == IGW_OK && (!(pk = d2i_PKCS12_fp(f, NULL)) ||
	                     PKCS12_parse(pk, password, &pkey, &cert, &ca) != 1 || !pkey || !cert)) {
		igw_log_error(NULL, "wss: cannot open keystore '%s' (wrong password?)", p12);
		rc = IGW_ECONFIG;
	}
	if (rc == IGW_OK && !(s = calloc(1, sizeof(*s))))
		rc = IGW_ENOMEM;
	if (rc == IGW_OK) {
		char *pem = NULL;
		long pemlen;
		kb = BIO_new(BIO_s_mem());
		if (!kb || PEM_write_bio_PrivateKey(kb, pkey, NULL, NULL, 0, NULL, NULL) != 1 ||
		    (pemlen = BIO_get_mem_data(kb, &pem)) <= 0 || (derlen = i2d_X509(cert, &der)) <= 0) {
			rc = IGW_ECRYPTO;
		} else {
			s->key = xmlSecCryptoAppKeyLoadMemory((const xmlSecByte *)pem, (xmlSecSize)pemlen,
			                                     xmlSecKeyDataFormatPem, NULL, NULL, NULL);
			if (!s->key || xmlSecCryptoAppKeyCertLoadMemory(s->key, der, (xmlSecSize)derlen,
			                                                xmlSecKeyDataFormatDer) < 0)
				rc = IGW_ECONFIG;
			else
				s->ec = xmlSecKeyDataCheckId(xmlSecKeyGetValue(s->key), xmlSecOpenSSLKeyDataEcdsaId);
			OPENSSL_cleanse(pem, (size_t)pemlen);
		}
	}
	BIO_free(kb);
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	PKCS12_free(pk);
	if (f)
		fclose(f);
	ERR_clear_error();
	if (rc != IGW_OK)
		igw_wss_signer_free(s);
	else
		*out = s;
	return rc;
}

void igw_wss_signer_free(struct igw_wss_signer *s)
{
	if (s) {
		if (s->key)
			xmlSecKeyDestroy(s->key);
		free(s);
	}
}

static void random_id(char out[34])
{
	uint8_t b[16];
	static const char d[] = "0123456789abcdef";
	if (RAND_bytes(b, sizeof(b)) != 1)
		memset(b, 0, sizeof(b));	/* never reached in practice; ID stays well-formed */
	out[0] = '_';
	for (int i = 0; i < 16; i++) {
		out[1 + 2 * i] = d[b[i] >> 4];
		out[2 + 2 * i] = d[b[i] & 15];
	}
	out[33] = '\0';
}

#define X(s) ((const xmlChar *)(s))

static int ut(xmlNodePtr sec, xmlNsPtr wsse, xmlNsPtr wsu, const struct igw_wss_out_conf *c,
              const char *user, int64_t now)
{
	xmlNodePtr t = xmlNewChild(sec, wsse, X("UsernameToken"), NULL), pw;
	char created[32];
	int rc = IGW_OK;
	if (!t || !xmlNewTextChild(t, wsse, X("Username"), X(user)))
		return IGW_ENOMEM;
	if (c->kind == IGW_WSS_OUT_UT_TEXT) {
		pw = xmlNewTextChild(t, wsse, X("Password"), X(c->password));
		if (!pw || !xmlNewProp(pw, X("Type"), X(WSS_PW_TEXT)))
			rc = IGW_ENOMEM;
	} else {
		uint8_t nonce[16], dig[EVP_MAX_MD_SIZE];
		unsigned dl = 0;
		xmlChar *n64 = NULL, *d64 = NULL;
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		wss_format_datetime(now, created);
		if (RAND_bytes(nonce, sizeof(nonce)) != 1 || !md ||
		    !EVP_DigestInit_ex(md, wss_md_sha1(), NULL) || !EVP_DigestUpdate(md, nonce, sizeof(nonce)) ||
		    !EVP_DigestUpdate(md, created, strlen(created)) ||
		    !EVP_DigestUpdate(md, c->password, strlen(c->password)) ||
		    !EVP_DigestFinal_ex(md, dig, &dl))
			rc = IGW_ECRYPTO;
		EVP_MD_CTX_free(md);
		if (rc == IGW_OK) {
			n64 = xmlSecBase64Encode(nonce, sizeof(nonce), 0);
			d64 = xmlSecBase64Encode(dig, dl, 0);
			pw = xmlNewTextChild(t, wsse, X("Password"), d64);
			xmlNodePtr ne = xmlNewTextChild(t, wsse, X("Nonce"), n64);
			if (!n64 || !d64 || !pw || !ne || !xmlNewProp(pw, X("Type"), X(WSS_PW_DIGEST)) ||
			    !xmlNewProp(ne, X("EncodingType"), X(WSS_B64)) ||
			    !xmlNewTextChild(t, wsu, X("Created"), X(created)))
				rc = IGW_ENOMEM;
		}
		xmlFree(n64);
		xmlFree(d64);
		igw_secure_zero(dig, sizeof(dig));
	}
	return rc;
}

static xmlNodePtr conditions(xmlNodePtr as, xmlNsPtr ns, const struct igw_wss_out_conf *c,
                             int64_t now, int v2)
{
	char nb[32], noa[32];
	xmlNodePtr cond = xmlNewChild(as, ns, X("Conditions"), NULL);
	wss_format_datetime(now - 60000, nb);
	wss_format_datetime(now + (int64_t)(c->lifetime_s ? c->lifetime_s : 300) * 1000, noa);
	if (cond && xmlNewProp(cond, X("NotBefore"), X(nb)) && xmlNewProp(cond, X("NotOnOrAfter"), X(noa)) &&
	    c->audience) {
		xmlNodePtr ar = xmlNewChild(cond, ns, X(v2 ? "AudienceRestriction" : "AudienceRestrictionCondition"), NULL);
		if (!ar || !xmlNewTextChild(ar, ns, X("Audience"), X(c->audience)))
			cond = NULL;
	}
	return cond;
}

static int sign(xmlDocPtr doc, xmlNodePtr as, xmlNodePtr after, const char *id,
                const struct igw_wss_signer *s)
{
	xmlNodePtr sig, ref, ki;
	xmlSecDSigCtxPtr d = NULL;
	char uri[40];
	int rc = IGW_ECRYPTO;
	xmlAttrPtr ida = xmlHasProp(as, X(after ? "ID" : "AssertionID"));
	snprintf(uri, sizeof(uri), "#%s", id);
	sig = xmlSecTmplSignatureCreate(doc, xmlSecTransformExclC14NId,
	                                s->ec ? xmlSecTransformEcdsaSha256Id : xmlSecTransformRsaSha256Id, NULL);
	if (!sig || !ida || !xmlAddID(NULL, doc, X(id), ida))
		goto out;
	if (after)
		xmlAddNextSibling(after, sig);	/* SAML 2.0: right after Issuer */
	else
		xmlAddChild(as, sig);		/* SAML 1.1: last */
	ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL, X(uri), NULL);
	if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
	    !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId))
		goto out;
	ki = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL);
	if (!ki || !xmlSecTmplKeyInfoAddX509Data(ki))
		goto out;
	d = xmlSecDSigCtxCreate(NULL);
	if (!d || !(d->signKey = xmlSecKeyDuplicate(s->key)))
		goto out;
	if (xmlSecDSigCtxSign(d, sig) >= 0)
		rc = IGW_OK;
out:
	if (d)
		xmlSecDSigCtxDestroy(d);
	return rc;
}

static int saml(xmlDocPtr doc, xmlNodePtr sec, const struct igw_wss_out_conf *c, const char *user, int64_t now)
{
	int v2 = c->kind == IGW_WSS_OUT_SAML20;
	xmlNodePtr as = xmlNewChild(sec, NULL, X("Assertion"), NULL), issuer = NULL, subj, nid, st;
	xmlNsPtr ns;
	char id[34], inst[32];
	if (!as || !c->issuer)
		return as ? IGW_EINVAL : IGW_ENOMEM;
	ns = xmlNewNs(as, X(v2 ? WSS_NS_SAML2 : WSS_NS_SAML1), X(v2 ? "saml2" : "saml"));
	xmlSetNs(as, ns);
	random_id(id);
	wss_format_datetime(now, inst);
	if (v2) {
		if (!xmlNewProp(as, X("ID"), X(id)) || !xmlNewProp(as, X("IssueInstant"), X(inst)) ||
		    !xmlNewProp(as, X("Version"), X("2.0")) ||
		    !(issuer = xmlNewTextChild(as, ns, X("Issuer"), X(c->issuer))))
			return IGW_ENOMEM;
		subj = xmlNewChild(as, ns, X("Subject"), NULL);
		nid = subj ? xmlNewTextChild(subj, ns, X("NameID"), X(user)) : NULL;
		st = subj ? xmlNewChild(subj, ns, X("SubjectConfirmation"), NULL) : NULL;
		if (!nid || !st || !xmlNewProp(st, X("Method"), X(WSS_CM2_SV)) || !conditions(as, ns, c, now, 1))
			return IGW_ENOMEM;
		st = xmlNewChild(as, ns, X("AuthnStatement"), NULL);
		if (!st || !xmlNewProp(st, X("AuthnInstant"), X(inst)))
			return IGW_ENOMEM;
		st = xmlNewChild(st, ns, X("AuthnContext"), NULL);
		if (!st || !xmlNewTextChild(st, ns, X("AuthnContextClassRef"),
		                            X("urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified")))
			return IGW_ENOMEM;
	} else {
		if (!xmlNewProp(as, X("MajorVersion"), X("1")) || !xmlNewProp(as, X("MinorVersion"), X("1")) ||
		    !xmlNewProp(as, X("AssertionID"), X(id)) || !xmlNewProp(as, X("Issuer"), X(c->issuer)) ||
		    !xmlNewProp(as, X("IssueInstant"), X(inst)) || !conditions(as, ns, c, now, 0))
			return IGW_ENOMEM;
		st = xmlNewChild(as, ns, X("AuthenticationStatement"), NULL);
		if (!st || !xmlNewProp(st, X("AuthenticationMethod"), X("urn:oasis:names:tc:SAML:1.0:am:unspecified")) ||
		    !xmlNewProp(st, X("AuthenticationInstant"), X(inst)))
			return IGW_ENOMEM;
		subj = xmlNewChild(st, ns, X("Subject"), NULL);
		nid = subj ? xmlNewTextChild(subj, ns, X("NameIdentifier"), X(user)) : NULL;
		st = subj ? xmlNewChild(subj, ns, X("SubjectConfirmation"), NULL) : NULL;
		if (!nid || !st || !xmlNewTextChild(st, ns, X("ConfirmationMethod"), X(WSS_CM1_SV)))
			return IGW_ENOMEM;
	}
	if (c->name_format && !xmlNewProp(nid, X("Format"), X(c->name_format)))
		return IGW_ENOMEM;
	return c->signer ? sign(doc, as, issuer, id, c->signer) : IGW_OK;
}

/* Build the header; soap_ns non-NULL adds soap:mustUnderstand="1". */
static int header(const struct igw_wss_out_conf *c, const char *user, const char *soap_ns,
                  struct igw_buf *out)
{
	xmlDocPtr doc;
	xmlNodePtr sec;
	xmlNsPtr wsse, wsu;
	xmlBufferPtr xb = NULL;
	int64_t now = c->now_ms ? c->now_ms : igw_wall_ms();
	int rc = wss_init();
	if (rc != IGW_OK)
		return rc;
	if (!user || !*user || ((c->kind == IGW_WSS_OUT_UT_TEXT || c->kind == IGW_WSS_OUT_UT_DIGEST) && !c->password))
		return IGW_EINVAL;
	doc = xmlNewDoc(X("1.0"));
	sec = doc ? xmlNewDocNode(doc, NULL, X("Security"), NULL) : NULL;
	if (!sec) {
		xmlFreeDoc(doc);
		return IGW_ENOMEM;
	}
	xmlDocSetRootElement(doc, sec);
	wsse = xmlNewNs(sec, X(WSS_NS_WSSE), X("wsse"));
	wsu = xmlNewNs(sec, X(WSS_NS_WSU), X("wsu"));
	xmlSetNs(sec, wsse);
	if (soap_ns) {
		xmlNsPtr s = xmlNewNs(sec, X(soap_ns), X("soap"));
		if (!xmlNewNsProp(sec, s, X("mustUnderstand"), X("1")))
			rc = IGW_ENOMEM;
	}
	if (rc == IGW_OK && c->timestamp) {
		char cr[32], ex[32];
		xmlNodePtr ts = xmlNewChild(sec, wsu, X("Timestamp"), NULL);
		wss_format_datetime(now, cr);
		wss_format_datetime(now + (int64_t)(c->lifetime_s ? c->lifetime_s : 300) * 1000, ex);
		if (!ts || !xmlNewTextChild(ts, wsu, X("Created"), X(cr)) ||
		    !xmlNewTextChild(ts, wsu, X("Expires"), X(ex)))
			rc = IGW_ENOMEM;
	}
	if (rc == IGW_OK) {
		if (c->kind == IGW_WSS_OUT_UT_TEXT || c->kind == IGW_WSS_OUT_UT_DIGEST)
			rc = ut(sec, wsse, wsu, c, user, now);
		else if (c->kind == IGW_WSS_OUT_SAML11 || c->kind == IGW_WSS_OUT_SAML20)
			rc = saml(doc, sec, c, user, now);
		else
			rc = IGW_EINVAL;
	}
	if (rc == IGW_OK) {
		xb = xmlBufferCreate();
		if (!xb || xmlNodeDump(xb, doc, sec, 0, 0) < 0)
			rc = IGW_ENOMEM;
		else
			rc = igw_buf_append(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	}
	if (xb) {
		igw_secure_zero(xb->content, xb->use);	/* may hold a PasswordText */
		xmlBufferFree(xb);
	}
	xmlFreeDoc(doc);
	return rc;
}

int igw_wss_out_security_header(const struct igw_wss_out_conf *c, const char *user, struct igw_buf *out)
{
	return c && out ? header(c, user, NULL, out) : IGW_EINVAL;
}

int igw_wss_out_envelope(const struct igw_wss_out_conf *c, const char *user, int soap_version,
                         const char *body_xml, struct igw_buf *out)
{
	const char *ns = soap_version == 12 ? WSS_NS_SOAP12 : WSS_NS_SOAP11;
	size_t mark = out ? out->len : 0;
	int rc;
	if (!c || !out || (soap_version != 11 && soap_version != 12))
		return IGW_EINVAL;
	rc = igw_buf_printf(out, "<soap:Envelope xmlns:soap=\"%s\"><soap:Header>", ns);
	if (rc == IGW_OK)
		rc = header(c, user, ns, out);
	if (rc == IGW_OK)
		rc = igw_buf_printf(out, "</soap:Header><soap:Body>%s</soap:Body></soap:Envelope>",
		                    body_xml ? body_xml : "");
	if (rc != IGW_OK && out->data) {	/* all or nothing */
		igw_secure_zero(out->data + mark, out->len - mark);
		out->len = mark;
		out->data[mark] = '\0';
	}
	return rc;
}
