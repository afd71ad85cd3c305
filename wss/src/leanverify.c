/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lean verification of the one XML Signature shape that SAML issuers
 * actually send, without an xmlsec DSig context:
 *
 *   <ds:Signature>                      (child of the assertion)
 *     <ds:SignedInfo>
 *       <ds:CanonicalizationMethod Algorithm="exc-c14n"> [InclusiveNamespaces]
 *       <ds:SignatureMethod Algorithm="rsa-sha256|384|512|rsa-sha1"/>
 *       <ds:Reference URI="#<assertion ID>">
 *         <ds:Transforms>
 *           <ds:Transform Algorithm="enveloped-signature"/>
 *           <ds:Transform Algorithm="exc-c14n"> [InclusiveNamespaces]
 *         </ds:Transforms>
 *         <ds:DigestMethod Algorithm="sha256|384|512|sha1"/>
 *         <ds:DigestValue>
 *     <ds:SignatureValue>
 *     [<ds:KeyInfo>]
 *
 * The caller (sigverify.c) has already checked the profile (algorithm
 * allow-list including the SHA-1 policy, exactly one Reference whose URI is
 * "#" + the assertion's own ID, the ID registered once and resolving to the
 * assertion, the Signature a child of it) and obtained the signer's key from
 * the trust cache.  This file only does what xmlsec would do for that shape,
 * with the same libraries:
 *
 *  - Reference: libxml2's exclusive C14N (xmlC14NExecute, the function
 *    xmlsec calls itself) over the node set "#id" minus the enveloped
 *    Signature, expressed as an is-visible callback with xmlsec's
 *    xmlSecNodeSetContains semantics (the referenced element's subtree
 *    without comments, minus the Signature subtree; attributes and
 *    namespace nodes by their parent element), InclusiveNamespaces
 *    PrefixList tokenised exactly as xmlsec does (split on ' '), the output
 *    streamed into an OpenSSL digest and compared with DigestValue;
 *  - SignedInfo: the same C14N over the SignedInfo subtree, streamed into
 *    EVP_DigestVerify with the cached EVP_PKEY (RSA PKCS#1 v1.5);
 *  - Base64 by OpenSSL (or xmlsec for anything non-canonical).
 *
 * Anything else (element order, extra children, ECDSA, other transform
 * lists, a PrefixList xmlsec would refuse, ...) is "not handled": the caller
 * then runs xmlsec exactly as before, so this path never accepts what xmlsec
 * would refuse, and refuses only with the reason xmlsec's failure would get
 * (SAML-SIG-INVALID).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <stdlib.h>
#include <libxml/c14n.h>
#include <libxml/xmlIO.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include "internal.h"

#define ALG_EXC_C14N  "http://www.w3.org/2001/10/xml-exc-c14n#"
#define ALG_ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

int wss_lean_disabled;
_Atomic unsigned long wss_lean_handled;

/* Node set: subtree of `top` without comments, minus subtree of `cut`. */
struct nodeset {
	xmlNodePtr top, cut;
};

/* xmlC14NIsVisibleCallback; see xmlSecNodeSetOneContains for the model. */
static int visible(void *data, xmlNodePtr node, xmlNodePtr parent)
{
	const struct nodeset *s = data;
	xmlNodePtr n = node;
	int in = 0;
	if (!node || node->type == XML_COMMENT_NODE)
		n = NULL;	/* comments are never in the set */
	else if (node->type != XML_ELEMENT_NODE)
		n = parent;	/* text, PI, attribute, namespace: by their parent */
	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (n == s->cut)
			break;		/* inside the subtracted subtree */
		if (n == s->top) {
			in = 1;
			break;
		}
	}
	return in;
}

struct sink {
	EVP_MD_CTX *md;
	int failed;
};

static int sink_write(void *ctx, const char *buf, int len)
{
	struct sink *k = ctx;
	int ok = len >= 0;
	if (ok && len > 0)
		ok = EVP_DigestUpdate(k->md, buf, (size_t)len) == 1;
	if (!ok)
		k->failed = 1;
	return ok ? len : -1;
}

/*
 * What this thread keeps between verifications (see lean_thread()):
 *
 *  - one RSA verification context for the last (key, digest) used:
 *    EVP_PKEY_verify_init looks the signature implementation up in the
 *    provider and duplicates the key's provider data, which costs as much as
 *    a tenth of the RSA operation, and a gateway thread sees the same signer
 *    again and again.  The context holds a reference to the key (so the
 *    pointer cannot be reused for another key while cached); it is released
 *    when the thread moves to another key or exits;
 *  - the xmlOutputBuffer the canonical form is written through: creating one
 *    costs two allocations per canonicalisation, one of them
 *    xmlDefaultBufferSize bytes, beyond glibc's per-thread cache, so that
 *    malloc first consolidates whatever the freed document left in its fast
 *    bins.
 *    xmlC14NExecute flushes it before returning, so between two uses it is
 *    empty; its write callback's context is this struct's `sink`, pointed at
 *    the digest of the call in progress.  A buffer that reported an error or
 *    kept bytes is closed and replaced, never reused.
 */
struct lean_thread {
	EVP_PKEY *pkey;
	const EVP_MD *md;
	EVP_PKEY_CTX *pc;
	xmlOutputBufferPtr out;
	struct sink sink;
};

static pthread_once_t lean_once = PTHREAD_ONCE_INIT;
static pthread_key_t lean_key;
static int lean_key_ok;

static void lean_thread_free(void *p)
{
	struct lean_thread *t = p;
	if (t) {
		EVP_PKEY_CTX_free(t->pc);
		EVP_PKEY_free(t->pkey);
		if (t->out)
			(void)xmlOutputBufferClose(t->out);
		free(t);
	}
}

static void lean_key_init(void)
{
	lean_key_ok = pthread_key_create(&lean_key, lean_thread_free) == 0;
}

/* This thread's state, NULL if out of memory. */
static struct lean_thread *lean_thread(void)
{
	struct lean_thread *t = NULL;
	pthread_once(&lean_once, lean_key_init);
	if (lean_key_ok && !(t = pthread_getspecific(lean_key)) &&
	    (t = calloc(1, sizeof(*t))) != NULL && pthread_setspecific(lean_key, t) != 0) {
		free(t);
		t = NULL;
	}
	return t;
}

/* The thread's RSA PKCS#1 v1.5 verification context for (pkey, md). */
static EVP_PKEY_CTX *thread_verifier(struct lean_thread *t, EVP_PKEY *pkey, const EVP_MD *md)
{
	EVP_PKEY_CTX *pc = NULL;
	if (t->pkey == pkey && t->md == md && t->pc) {
		pc = t->pc;
	} else if (EVP_PKEY_up_ref(pkey) == 1) {
		EVP_PKEY_CTX_free(t->pc);
		EVP_PKEY_free(t->pkey);
		t->pkey = pkey;
		t->md = md;
		t->pc = EVP_PKEY_CTX_new(pkey, NULL);
		if (t->pc && (EVP_PKEY_verify_init(t->pc) != 1 ||
		              EVP_PKEY_CTX_set_rsa_padding(t->pc, RSA_PKCS1_PADDING) != 1 ||
		              EVP_PKEY_CTX_set_signature_md(t->pc, md) != 1)) {
			EVP_PKEY_CTX_free(t->pc);
			t->pc = NULL;
		}
		pc = t->pc;
	}
	return pc;
}

/*
 * Exclusive C14N (no comments) of the node set into md (initialised by the
 * caller), through the thread's output buffer.
 *
 * xmlC14NExecute walks the whole document from doc->children and asks the
 * callback about every node; everything outside set->top, and set->cut, is
 * invisible and, in exclusive mode, contributes nothing to the output: an
 * invisible element never renders or records a namespace (the rendered-ns
 * stack is only written for visible elements), and namespace lookups go up
 * through the nodes' real parents either way.  So the walk is confined to
 * what can be visible: it starts at set->top through a read-only copy of
 * the document header whose children pointer is set->top, and for the
 * duration of the call set->top has no following sibling and set->cut is
 * unlinked from its parent's child list (both restored before returning;
 * the document belongs to this verification, no other thread sees it).
 * The one observable difference is the line break libxml2 puts around
 * processing instructions relative to the document element, so a document
 * containing a PI is not handled here (x->has_pi, see caller).
 */
static int c14n_into(xmlDocPtr doc, struct nodeset *set, xmlChar **prefixes, struct lean_thread *t,
                     EVP_MD_CTX *md)
{
	xmlNodePtr top = set->top, cut = set->cut, next = top->next, cprev = NULL, cnext = NULL;
	int rc = IGW_ESIGNATURE;
	if (!t->out)
		t->out = xmlOutputBufferCreateIO(sink_write, NULL, &t->sink, NULL);
	if (t->out) {
		xmlDoc view = *doc;
		int n;
		t->sink.md = md;
		t->sink.failed = 0;
		t->out->written = 0;	/* an int libxml2 adds to: keep it from overflowing */
		view.children = top;
		top->next = NULL;
		if (cut) {
			cprev = cut->prev;
			cnext = cut->next;
			if (cprev)
				cprev->next = cnext;
			else
				cut->parent->children = cnext;
			if (cnext)
				cnext->prev = cprev;
			else
				cut->parent->last = cprev;
		}
		n = xmlC14NExecute(&view, visible, set, XML_C14N_EXCLUSIVE_1_0, prefixes, 0, t->out);
		if (cut) {
			if (cprev)
				cprev->next = cut;
			else
				cut->parent->children = cut;
			if (cnext)
				cnext->prev = cut;
			else
				cut->parent->last = cut;
		}
		top->next = next;
		if (n >= 0 && !t->sink.failed && t->out->error == 0 && xmlBufUse(t->out->buffer) == 0) {
			rc = IGW_OK;
		} else {
			/* whatever it still holds belongs to a failed canonical
			 * form: dropped, not written */
			t->out->writecallback = NULL;
			(void)xmlOutputBufferClose(t->out);
			t->out = NULL;
		}
		t->sink.md = NULL;
	}
	return rc;
}

/* Element children of n in order into out[0..max); max + 1 if there are
 * more.  Text, comments and PIs are skipped, as xmlSecGetNextElementNode
 * does. */
static size_t elems(xmlNodePtr n, xmlNodePtr *out, size_t max)
{
	size_t k = 0;
	for (xmlNodePtr c = n->children; c && k <= max; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && k < max)
			out[k++] = c;
		else if (c->type == XML_ELEMENT_NODE)
			k = max + 1;
	}
	return k;
}

static int alg_is(xmlNodePtr n, const char *local, const char *uri)
{
	const char *a = wss_attr(n, NULL, "Algorithm");
	return wss_is(n, WSS_NS_DS, local) && a && strcmp(a, uri) == 0;
}

/*
 * Exclusive C14N method/transform node: no element child, or exactly one
 * ec:InclusiveNamespaces with a PrefixList.  *list (malloc'ed, NULL if none)
 * receives the tokens exactly as xmlSecTransformC14NNodeRead builds them.
 * 0 = handled, 1 = not handled (let xmlsec decide).
 */
static int read_prefixes(xmlNodePtr method, xmlChar **store, xmlChar ***list)
{
	xmlNodePtr kids[2];
	size_t n = elems(method, kids, 1);
	int unhandled = 0;
	*store = NULL;
	*list = NULL;
	if (n == 1 && wss_is(kids[0], ALG_EXC_C14N, "InclusiveNamespaces") && !kids[0]->children) {
		xmlChar *s = xmlGetProp(kids[0], (const xmlChar *)"PrefixList");
		xmlChar **l = calloc(WSS_C14N_PREFIXES_MAX + 1, sizeof(*l));
		size_t k = 0;
		if (!s || !l) {
			unhandled = 1;
		} else {
			/* xmlsec: for (p = n = list; p && *p; p = n) { n = strchr(p, ' '); ... } */
			for (xmlChar *p = s, *q = s; p && *p && !unhandled; p = q) {
				q = (xmlChar *)strchr((char *)p, ' ');
				if (q)
					*(q++) = '\0';
				if (k == WSS_C14N_PREFIXES_MAX)
					unhandled = 1;
				else
					l[k++] = p;
			}
		}
		if (unhandled) {
			xmlFree(s);
			free(l);
		} else {
			*store = s;
			*list = l;
		}
	} else if (n != 0) {
		unhandled = 1;
	}
	return unhandled;
}

/* Everything the lean path needs, found in the expected order. */
struct shape {
	xmlNodePtr si, c14n, sigmethod, ref, t_env, t_exc, digmethod, digvalue, sigvalue;
	const EVP_MD *dmd, *smd;
};

/* 0 if sig has exactly the shape above (filling s), 1 if not. */
static int find_shape(xmlNodePtr sig, struct shape *s)
{
	xmlNodePtr k[4], t[3];
	size_t n = elems(sig, k, 3);
	int ok;
	memset(s, 0, sizeof(*s));
	ok = n >= 2 && n <= 3 && wss_is(k[0], WSS_NS_DS, "SignedInfo") &&
	     wss_is(k[1], WSS_NS_DS, "SignatureValue") && (n == 2 || wss_is(k[2], WSS_NS_DS, "KeyInfo"));
	if (ok) {
		s->si = k[0];
		s->sigvalue = k[1];
		n = elems(s->si, k, 3);
		ok = n == 3 && alg_is(k[0], "CanonicalizationMethod", ALG_EXC_C14N) &&
		     wss_is(k[1], WSS_NS_DS, "SignatureMethod") && !wss_first_elem(k[1]) &&
		     wss_is(k[2], WSS_NS_DS, "Reference");
	}
	if (ok) {
		s->c14n = k[0];
		s->sigmethod = k[1];
		s->ref = k[2];
		s->smd = wss_sig_rsa_md(wss_attr(s->sigmethod, NULL, "Algorithm"));
		n = elems(s->ref, k, 3);
		ok = s->smd && n == 3 && wss_is(k[0], WSS_NS_DS, "Transforms") &&
		     wss_is(k[1], WSS_NS_DS, "DigestMethod") && wss_is(k[2], WSS_NS_DS, "DigestValue") &&
		     !wss_first_elem(k[1]) && !wss_first_elem(k[2]);
	}
	if (ok) {
		s->digmethod = k[1];
		s->digvalue = k[2];
		s->dmd = wss_sig_digest_md(wss_attr(s->digmethod, NULL, "Algorithm"));
		n = elems(k[0], t, 2);
		ok = s->dmd && n == 2 && alg_is(t[0], "Transform", ALG_ENVELOPED) && !wss_first_elem(t[0]) &&
		     alg_is(t[1], "Transform", ALG_EXC_C14N);
	}
	if (ok) {
		s->t_env = t[0];
		s->t_exc = t[1];
	}
	return ok ? 0 : 1;
}

/* Base64 text of a pure-text element into out[0..max). */
static int decode_text(xmlNodePtr n, uint8_t *out, size_t max, size_t *len)
{
	const char *ref = wss_text_ref(n);
	char *txt = NULL;
	int rc = IGW_OK;
	*len = 0;
	if (!ref && wss_text(n, max * 2, &txt) != IGW_OK)
		rc = IGW_EPARSE;
	else if (ref && strlen(ref) > max * 2)
		rc = IGW_EPARSE;
	if (rc == IGW_OK && (wss_b64_decode(ref ? ref : txt, out, max, len) != IGW_OK || *len == 0))
		rc = IGW_EPARSE;
	free(txt);
	return rc;
}

int wss_lean_verify(struct wss_ctx *x, xmlNodePtr assertion, xmlNodePtr sig, EVP_PKEY *pkey,
                    int *handled)
{
	struct shape s;
	xmlChar *ref_store = NULL, *si_store = NULL, **ref_pfx = NULL, **si_pfx = NULL;
	uint8_t want[EVP_MAX_MD_SIZE + 3], sv[WSS_SIGVALUE_MAX], got[EVP_MAX_MD_SIZE];
	size_t wantlen = 0, svlen = 0;
	unsigned gotlen = 0;
	EVP_MD_CTX *md = wss_thread_md();
	struct lean_thread *t = NULL;
	EVP_PKEY_CTX *pc = NULL;
	int rc = IGW_OK;
	*handled = 0;
	if (wss_lean_disabled || x->has_pi || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA ||
	    find_shape(sig, &s) != 0 ||
	    /* DigestValue / SignatureValue made of one text node (xmlsec reads
	     * the concatenated text of anything else: let it) */
	    !wss_text_ref(s.digvalue) || !wss_text_ref(s.sigvalue) ||
	    read_prefixes(s.t_exc, &ref_store, &ref_pfx) != 0 ||
	    read_prefixes(s.c14n, &si_store, &si_pfx) != 0)
		goto out;	/* not ours: xmlsec decides */
	*handled = 1;
	atomic_fetch_add_explicit(&wss_lean_handled, 1, memory_order_relaxed);
	if (!md || !(t = lean_thread()) || !(pc = thread_verifier(t, pkey, s.smd))) {
		rc = wss_fail(x, IGW_ENOMEM, "WSS-INTERNAL", "no digest or verification context");
		goto out;
	}
	if (decode_text(s.digvalue, want, sizeof(want), &wantlen) != IGW_OK ||
	    decode_text(s.sigvalue, sv, sizeof(sv), &svlen) != IGW_OK) {
		rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-INVALID", "DigestValue or SignatureValue unusable");
		goto out;
	}
	{
		struct nodeset set = { assertion, sig };
		if (EVP_DigestInit_ex(md, s.dmd, NULL) != 1 ||
		    c14n_into(x->doc, &set, ref_pfx, t, md) != IGW_OK ||
		    EVP_DigestFinal_ex(md, got, &gotlen) != 1) {
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-INVALID", "reference canonicalisation failed");
			goto out;
		}
		if (!igw_ct_equal(got, gotlen, want, wantlen)) {
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-INVALID", "reference digest mismatch");
			goto out;
		}
	}
	{
		/* SignedInfo hashed here, then RSASSA-PKCS1-v1_5 verification of
		 * that hash (EVP_PKEY_verify with the signature digest set: the
		 * same operation as EVP_DigestVerify, split in two) */
		struct nodeset set = { s.si, NULL };
		if (EVP_DigestInit_ex(md, s.smd, NULL) != 1 ||
		    c14n_into(x->doc, &set, si_pfx, t, md) != IGW_OK ||
		    EVP_DigestFinal_ex(md, got, &gotlen) != 1 ||
		    EVP_PKEY_verify(pc, sv, svlen, got, gotlen) != 1)
			rc = wss_fail(x, IGW_ESIGNATURE, "SAML-SIG-INVALID", "signature does not verify");
	}
out:
	/* nothing is queued after a success; ERR_clear_error would still walk
	 * every slot of the thread's error queue */
	if (ERR_peek_error() != 0)
		ERR_clear_error();
	free(ref_pfx);
	free(si_pfx);
	xmlFree(ref_store);
	xmlFree(si_store);
	return rc;
}
