/* SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdatomic.h>
#include <libxml/tree.h>
#include "imsgw/core.h"
#include "imsconnect/client.h"
#include "identity.h"
#include "provider.h"
#include "soap.h"
#include "workers.h"
#include "metrics.h"

struct igw_provider {
	struct igw_site *site;		/* owned */
	struct imsc_pool **pools;	/* one per bundle, same index */
	atomic_uint refs;
};

/* What one request did, for its log line. */
struct outcome {
	const char *service, *operation, *cred, *reason;	/* static or config strings */
	char trace[130];				/* traceparent trace-id, WS-A MessageID, or "-" */
	char user[IGW_SUBJECT_MAX];			/* copies: outlive the request data */
	char racf_user[IMSC_NAME_BUF];
	int has_rsm;
	unsigned rc, rsn;
};

int igw_provider_new(struct igw_site *site, struct igw_provider **out)
{
	int rc = IGW_OK;
	struct igw_provider *p = calloc(1, sizeof(*p));
	unsigned n = site->bundles.count;
	if (!p || !(p->pools = calloc(n ? n : 1, sizeof(*p->pools)))) {
		rc = IGW_ENOMEM;
	} else {
		p->site = site;
		atomic_init(&p->refs, 1);
		for (unsigned i = 0; i < n && rc == IGW_OK; i++) {
			rc = imsc_pool_new(&site->bundles.bundles[i].ep, &p->pools[i]);
			if (rc != IGW_OK)
				igw_log_error(NULL, "bundle %s: cannot prepare the IMS Connect pool: %s",
				              site->bundles.bundles[i].name, igw_strerror(rc));
		}
	}
	if (rc != IGW_OK && p) {
		p->site = NULL;		/* stays the caller's on failure */
		igw_provider_unref(p);
		p = NULL;
	}
	*out = p;
	return rc;
}

void igw_provider_ref(struct igw_provider *p)
{
	atomic_fetch_add(&p->refs, 1);
}

void igw_provider_unref(struct igw_provider *p)
{
	if (p && atomic_fetch_sub(&p->refs, 1) == 1) {
		for (unsigned i = 0; p->pools && p->site && i < p->site->bundles.count; i++)
			imsc_pool_free(p->pools[i]);
		free(p->pools);
		igw_site_free(p->site);
		free(p);
	}
}

int igw_provider_metrics(const struct igw_provider *p, struct igw_buf *out)
{
	int rc = igw_buf_append_str(out,
		"# HELP imsgw_imsconnect_connections IMS Connect connections of each bundle's pool.\n"
		"# TYPE imsgw_imsconnect_connections gauge\n"
		"# HELP imsgw_imsconnect_connects_total Connections opened and failed, per bundle.\n"
		"# TYPE imsgw_imsconnect_connects_total counter\n");
	for (unsigned i = 0; rc == IGW_OK && i < p->site->bundles.count; i++) {
		struct imsc_pool_stats st;
		const char *b = p->site->bundles.bundles[i].name;
		imsc_pool_stats(p->pools[i], &st);
		rc = igw_buf_printf(out,
			"imsgw_imsconnect_connections{bundle=\"%s\",state=\"idle\"} %u\n"
			"imsgw_imsconnect_connections{bundle=\"%s\",state=\"busy\"} %u\n"
			"imsgw_imsconnect_connects_total{bundle=\"%s\",result=\"opened\"} %lu\n"
			"imsgw_imsconnect_connects_total{bundle=\"%s\",result=\"failed\"} %lu\n",
			b, st.idle, b, st.busy, b, st.opened, b, st.failed);
	}
	return rc;
}

const struct igw_site *igw_provider_site(const struct igw_provider *p)
{
	return p->site;
}

int igw_provider_owns(const struct igw_provider *p, const char *path)
{
	return p && igw_service_by_path(&p->site->services, path) != NULL;
}

static struct imsc_pool *pool_of(const struct igw_provider *p, const struct igw_bundle *b)
{
	return p->pools[b - p->site->bundles.bundles];
}

struct imsc_pool *igw_provider_pool(const struct igw_provider *p, const struct igw_bundle *b)
{
	return pool_of(p, b);
}

/* ---------------------------------------------------------------- WSDL */

/* Append a static WSDL with the location of every soap:address and
 * soap12:address element ("address location=") set to endpoint. */
static void append_wsdl_readdressed(struct igw_buf *out, const char *wsdl, const char *endpoint)
{
	static const char key[] = "address location=\"";
	const char *p = wsdl, *hit;
	while ((hit = strstr(p, key)) != NULL) {
		const char *val = hit + sizeof(key) - 1;
		const char *end = strchr(val, '"');
		if (!end)
			break;
		igw_buf_append(out, p, (size_t)(val - p));
		igw_buf_append_str(out, endpoint);
		p = end;
	}
	igw_buf_append_str(out, p);
}

static void serve_wsdl(const struct igw_service *s, const struct igw_http_request *req,
                       struct igw_http_response *resp)
{
	struct igw_cb_operation ops[64];
	struct igw_cb_wsdl_spec spec;
	struct igw_cb_diag diag;
	char endpoint[IGW_PATH_MAX];
	const char *host = req->host ? req->host : "localhost";
	/* the Host header is client data: only host[:port] characters go into the WSDL */
	int host_ok = strlen(host) < 256;
	for (const char *c = host; *c && host_ok; c++)
		host_ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		          (*c >= '0' && *c <= '9') || strchr(".-:[]", *c);
	unsigned n = 0;
	memset(&diag, 0, sizeof(diag));
	snprintf(endpoint, sizeof(endpoint), "https://%s%s", host_ok ? host : "localhost", s->path);
	for (unsigned i = 0; i < s->nops && n < 64; i++) {
		if (s->ops[i].xml_adapter)
			continue;	/* no copybooks: described by the service's own WSDL */
		ops[n].name = s->ops[i].name;
		ops[n].trancode = s->ops[i].trancode;
		ops[n].in = &s->ops[i].in;
		ops[n].out = s->ops[i].one_way ? NULL : &s->ops[i].out;
		n++;
	}
	spec.service = s->name;
	spec.ns = s->ns;
	spec.endpoint = endpoint;
	spec.ops = ops;
	spec.nops = n;
	igw_buf_reset(&resp->body);
	if (s->wsdl) {
		resp->status = 200;
		resp->content_type = "text/xml; charset=utf-8";
		append_wsdl_readdressed(&resp->body, s->wsdl, endpoint);
	} else if (n == 0) {
		igw_http_error(resp, "GW-NOT-FOUND", req->reqid);
	} else if (igw_cb_wsdl_write(&spec, &resp->body, &diag) == IGW_OK) {
		resp->status = 200;
		resp->content_type = "text/xml; charset=utf-8";
	} else {
		igw_log_error(req->reqid, "service %s: WSDL generation failed: %s", s->name, diag.text);
		igw_http_error(resp, "GW-INTERNAL", req->reqid);
	}
}

/* ------------------------------------------------------------ pipeline */

/* SOAP version from the Content-Type, 0 if it is no SOAP type. */
static int soap_version_of(const char *ct)
{
	int v = 0;
	if (ct && strncasecmp(ct, "text/xml", 8) == 0 && (ct[8] == 0 || ct[8] == ';' || ct[8] == ' '))
		v = 11;
	else if (ct && strncasecmp(ct, "application/soap+xml", 20) == 0 &&
	         (ct[20] == 0 || ct[20] == ';' || ct[20] == ' '))
		v = 12;
	return v;
}

/* The requested action: SOAPAction (1.1) or the action parameter of the
 * Content-Type (1.2), without quotes, into out. */
static void action_of(const struct igw_http_request *req, char *out, size_t outlen)
{
	const char *a = req->soap_action;
	const char *ap = req->content_type ? strcasestr(req->content_type, "action=") : NULL;
	size_t n;
	out[0] = 0;
	if (!a && ap)
		a = ap + 7;
	if (a) {
		while (*a == ' ' || *a == '"')
			a++;
		n = strcspn(a, "\";");
		if (n < outlen) {
			memcpy(out, a, n);
			out[n] = 0;
		}
	}
}

/* Split copybook-encoded segments (each LL ZZ data) into IMS Connect
 * segments (data only).  Returns the count, or -1 if malformed. */
static int split_segments(const struct igw_operation *op, const struct igw_buf *in,
                          struct imsc_seg *segs, int max)
{
	int n = 0;
	const struct igw_cb_field *first = op->in.seg[0].rec;
	while (first && first->child)		/* the record's first elementary item */
		first = first->child;
	int has_ll = first && first->role == IGW_CB_ROLE_LL;
	if (!has_ll) {
		segs[0].data = in->data;
		segs[0].len = in->len;
		n = 1;
	} else {
		size_t off = 0;
		while (off < in->len && n >= 0) {
			size_t ll = off + 4 <= in->len ? ((size_t)in->data[off] << 8 | in->data[off + 1]) : 0;
			if (ll < 4 || off + ll > in->len || n == max) {
				n = -1;
			} else {
				segs[n].data = in->data + off + 4;
				segs[n].len = ll - 4;
				n++;
				off += ll;
			}
		}
	}
	return n;
}

/* Map a transport failure of the IMS Connect client to a reason. */
static const char *transport_reason(int rc)
{
	const char *r;
	switch (rc) {
	case IGW_ETIMEOUT:  r = "IMSC-TIMEOUT"; break;
	case IGW_EOVERLOAD: r = "GW-OVERLOADED"; break;
	case IGW_EPROTO:
	case IGW_ELIMIT:    r = "IMSC-PROTOCOL"; break;
	default:            r = "IMSC-CONNECT"; break;
	}
	return r;
}

/* IMS answered with a DFS message instead of the output layout? */
static int is_dfs_message(const struct igw_service *s, const uint8_t *d, size_t n, char *msg,
                          size_t msglen)
{
	struct igw_buf text;
	int dfs = 0;
	igw_buf_init(&text, 512);
	/* one segment: LL ZZ then text */
	if (n > 7 && igw_cb_from_ebcdic(s->cp, d + 4, n - 4 > 200 ? 200 : n - 4, &text) == IGW_OK &&
	    strncmp(igw_buf_cstr(&text), "DFS", 3) == 0) {
		dfs = 1;
		snprintf(msg, msglen, "%s", igw_buf_cstr(&text));
	}
	igw_buf_free(&text);
	return dfs;
}

static const char *call_ims(struct igw_provider *p, const struct igw_service *s,
                            const struct igw_operation *op, const struct igw_ims_creds *cr,
                            const struct imsc_seg *segs, int nseg, const char *reqid,
                            struct imsc_result *res, struct outcome *oc)
{
	const struct igw_bundle *b = s->bundle;
	struct imsc_pool *pool = pool_of(p, b);
	struct imsc_conn *conn = NULL;
	struct imsc_irm irm;
	const char *reason = NULL;
	int64_t deadline = igw_deadline_after(b->execution_ms);
	int64_t wait = igw_deadline_after(b->pool_wait_ms);
	int rc = imsc_pool_checkout(pool, wait < deadline ? wait : deadline, &conn);

	if (rc != IGW_OK) {
		reason = transport_reason(rc);
		igw_log_warn(reqid, "service %s: no IMS Connect connection (%s:%u): %s", s->name,
		             b->ep.host, b->ep.port, igw_strerror(rc));
	} else {
		imsc_irm_init(&irm, b->ep.exit, b->ep.cp);
		snprintf(irm.trncod, sizeof(irm.trncod), "%s", op->trancode);
		snprintf(irm.lterm, sizeof(irm.lterm), "%s", op->lterm);
		snprintf(irm.userid, sizeof(irm.userid), "%s", cr->user);
		snprintf(irm.group, sizeof(irm.group), "%s", cr->group);
		memcpy(irm.password, cr->password, sizeof(irm.password));
		irm.res1 = (uint16_t)cr->res1;	/* trusted-user indicator, if any */
		if (op->xml_adapter) {
			/* IMS Connect's XML adapter converts (IRM_TAG_ADAPT/MAP, ARCH 2) */
			irm.arch = irm.arch < 2 ? 2 : irm.arch;
			snprintf(irm.tag_adapt, sizeof(irm.tag_adapt), "%s", op->tag_adapt);
			snprintf(irm.tag_map, sizeof(irm.tag_map), "%s", op->tag_map);
		}
		if (cr->cred_kind && strcmp(cr->cred_kind, "passticket") == 0) {
			/* IMS Connect validates the ticket for IRM_APPL_NM (ARCH 1) */
			irm.arch = irm.arch < 1 ? 1 : irm.arch;
			snprintf(irm.applnm, sizeof(irm.applnm), "%s", b->pt_application);
		}
		if (op->one_way) {
			/* send-only with acknowledgement: IMS Connect answers once the
			 * message is queued to IMS */
			rc = imsc_sendonly(conn, &irm, segs, (size_t)nseg, true, deadline, res);
		} else if (b->commit_mode == 0) {
			struct imsc_result final;
			imsc_result_init(&final, 0);
			rc = imsc_sendrecv_cm0(conn, &irm, segs, (size_t)nseg, true, 0, deadline, res, &final);
			imsc_result_free(&final);
		} else if (b->sync_confirm) {
			struct imsc_result final;
			imsc_result_init(&final, 0);
			rc = imsc_sendrecv_confirm(conn, &irm, segs, (size_t)nseg, IMSC_CONFIRM_ACK,
			                           deadline, res, &final);
			imsc_result_free(&final);
		} else {
			rc = imsc_sendrecv(conn, &irm, segs, (size_t)nseg, deadline, res);
		}
		imsc_irm_wipe(&irm);
		imsc_pool_checkin(pool, conn);
		if (rc != IGW_OK) {
			reason = transport_reason(rc);
			igw_log_warn(reqid, "service %s: IMS Connect %s:%u: %s", s->name, b->ep.host,
			             b->ep.port, igw_strerror(rc));
		} else if (res->reply.has_rsm) {
			oc->has_rsm = 1;
			oc->rc = res->reply.rsm.retcod;
			oc->rsn = res->reply.rsm.rsncod;
			reason = res->reply.rsm.xasm ? "IMSC-XML-ADAPTER" : imsc_result_reason(res);
			if (!reason)
				reason = "IMSC-REJECTED";
		}
	}
	return reason;
}

/* XML-adapter operation, request side: the request element, with every
 * namespace it uses declared on it, serialised as UTF-8 XML into *xb (the
 * caller frees it) and cut into <= IGW_XMLA_SEG_MAX byte segments that point
 * into it.  Returns NULL or the reason of a fault. */
static const char *xml_adapter_encode(xmlNodePtr wrapper, xmlBufferPtr *xb, struct imsc_seg *segs,
                                      int *nseg)
{
	const char *reason = NULL;
	xmlDocPtr copy = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root = copy ? xmlDocCopyNode(wrapper, copy, 1) : NULL;
	int n = 0;
	*xb = xmlBufferCreate();
	if (!root || !*xb) {
		reason = "GW-INTERNAL";
	} else {
		xmlDocSetRootElement(copy, root);
		xmlReconciliateNs(copy, root);	/* declare inherited namespaces on it */
		if (xmlNodeDump(*xb, copy, root, 0, 0) < 0) {
			reason = "GW-INTERNAL";
		} else {
			const uint8_t *d = xmlBufferContent(*xb);
			size_t len = (size_t)xmlBufferLength(*xb);
			for (size_t off = 0; off < len && n < (int)IGW_XMLA_SEGS_MAX; n++) {
				size_t k = len - off > IGW_XMLA_SEG_MAX ? IGW_XMLA_SEG_MAX : len - off;
				segs[n] = (struct imsc_seg){ d + off, k };
				off += k;
			}
			if (n == (int)IGW_XMLA_SEGS_MAX && (size_t)n * IGW_XMLA_SEG_MAX < len)
				reason = "CONV-IN-LIMIT";
		}
	}
	*nseg = n;
	xmlFreeDoc(copy);
	return reason;
}

/* XML-adapter operation, answer side: the adapter's answer must be
 * well-formed XML (parsed with no DTD, no entities, no network) and becomes
 * the SOAP body, without its XML declaration.  Returns NULL or a reason. */
static const char *xml_adapter_answer(const struct igw_service *s, const char *reqid,
                                      const struct imsc_result *res, struct igw_buf *out)
{
	const char *reason = NULL;
	xmlDocPtr chk = NULL;
	if (imsc_result_data(res, out) != IGW_OK) {
		reason = "CONV-OUT-LENGTH";
	} else {
		chk = xmlReadMemory((const char *)out->data, (int)out->len, NULL, "UTF-8",
		                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (!chk || chk->intSubset || !xmlDocGetRootElement(chk)) {
			reason = "CONV-OUT-LENGTH";
			igw_log_warn(reqid, "service %s: the XML adapter's answer is not well-formed XML",
			             s->name);
		} else if (out->len >= 5 && memcmp(out->data, "<?xml", 5) == 0) {
			const char *end = strstr((const char *)out->data, "?>");
			if (end) {
				size_t cut = (size_t)(end + 2 - (const char *)out->data);
				memmove(out->data, out->data + cut, out->len - cut + 1);
				out->len -= cut;
			}
		}
	}
	xmlFreeDoc(chk);
	return reason;
}

/* The caller's tracking id: a W3C traceparent's trace-id, else the
 * WS-Addressing MessageID of the envelope; client data, so only printable
 * ASCII without quotes or backslashes is kept. */
static void trace_of(const struct igw_http_request *req, xmlDocPtr doc, char *out, size_t outlen)
{
	const char *tp = req->traceparent;
	snprintf(out, outlen, "-");
	if (tp && strlen(tp) >= 55 && tp[2] == '-' && tp[35] == '-' &&
	    strspn(tp + 3, "0123456789abcdef") == 32) {
		snprintf(out, outlen, "%.32s", tp + 3);
	} else if (doc) {
		xmlNodePtr env = xmlDocGetRootElement(doc);
		xmlNodePtr hdr = env ? env->children : NULL;
		while (hdr && !(hdr->type == XML_ELEMENT_NODE && strcmp((const char *)hdr->name, "Header") == 0))
			hdr = hdr->next;
		for (xmlNodePtr h = hdr ? hdr->children : NULL; h; h = h->next) {
			if (h->type == XML_ELEMENT_NODE && strcmp((const char *)h->name, "MessageID") == 0 &&
			    h->ns && strstr((const char *)h->ns->href, "addressing")) {
				xmlChar *v = xmlNodeGetContent(h);
				size_t j = 0;
				for (const xmlChar *c = v; c && *c && j + 1 < outlen; c++)
					if (*c > 0x20 && *c < 0x7f && *c != '"' && *c != '\\')
						out[j++] = (char)*c;
				if (j)
					out[j] = 0;
				xmlFree(v);
				break;
			}
		}
	}
}

/* igw_wss_verify, with its time in the metrics (imsgw_wss_verify_seconds):
 * the engine's rate inside the daemon under load.  The monotonic clock is
 * read from the vDSO (about 20 ns); the thread CPU clock would be a system
 * call (about 1 us in a VM) on every request. */
static int verify_timed(const struct igw_wss_policy *policy, const struct igw_http_request *req,
                        const struct igw_wss_request *wreq, struct igw_wss_result **wr)
{
	int64_t t0 = igw_mono_ns(), t1;
	int rc = igw_wss_verify(policy, req->body, req->body_len, wreq, wr);
	unsigned kind = IGW_METRICS_WSS_REJECTED;
	t1 = igw_mono_ns();
	if (rc == IGW_OK) {
		enum igw_wss_kind k = igw_wss_result_kind(*wr);
		kind = k == IGW_WSS_KIND_USERNAMETOKEN ? IGW_METRICS_WSS_UT :
		       k == IGW_WSS_KIND_SAML ? IGW_METRICS_WSS_SAML :
		       k == IGW_WSS_KIND_CERT ? IGW_METRICS_WSS_CERT : IGW_METRICS_WSS_NONE;
	}
	igw_metrics_wss(kind, t1 - t0);
	return rc;
}

/*
 * One SOAP request, served in two phases; holds a reference on its provider.
 *
 *   prepare (CPU only): WS-Security, the operation, the identity and its IMS
 *     credentials, the request conversion.  It runs on the listener thread
 *     that read the request, so verification stays on one hot thread per
 *     core instead of being spread over the IMS workers, and a request that
 *     fails it never takes a worker or a queue slot.  A service whose policy
 *     names a custom authentication module prepares on a worker instead: a
 *     module may wait (a directory lookup, say) and must not stall the
 *     listener.  The replay and credential stores the gateway plugs in never
 *     wait (in-memory).
 *   call (waits on IMS Connect): the IMS call and the answer's conversion,
 *     on a worker.
 *
 * The job owns creds (wiped when the call is made or the job is dropped), in
 * and xb (the IMS request message; segs point into one of them).  The
 * request document is freed at the end of prepare, on the thread that
 * parsed it.
 */
struct job {
	struct igw_provider *p;
	const struct igw_service *s;
	const struct igw_operation *op;
	const struct igw_http_request *req;
	struct igw_http_response *resp;
	struct igw_http_deferred *deferred;
	int64_t t0;
	int version;
	int prepared;
	struct igw_ims_creds creds;
	struct igw_buf in;
	xmlBufferPtr xb;
	int nseg;
	struct imsc_seg segs[IGW_CB_MSG_SPECS_MAX * 4 > IGW_XMLA_SEGS_MAX ?
	                     IGW_CB_MSG_SPECS_MAX * 4 : IGW_XMLA_SEGS_MAX];
	struct outcome oc;
};

static struct job *job_new(struct igw_provider *p, const struct igw_service *s,
                           const struct igw_http_request *req, struct igw_http_response *resp)
{
	struct job *j = calloc(1, sizeof(*j));
	if (j) {
		j->p = p;
		j->s = s;
		j->req = req;
		j->resp = resp;
		j->t0 = igw_mono_ms();
		j->version = soap_version_of(req->content_type);
		igw_buf_init(&j->in, IGW_CB_RECORD_MAX * 64u);
		j->oc.service = s->name;
		igw_provider_ref(p);
	}
	return j;
}

static void job_free(struct job *j)
{
	igw_ims_creds_wipe(&j->creds);
	igw_buf_free(&j->in);
	if (j->xb)
		xmlBufferFree(j->xb);
	igw_provider_unref(j->p);
	free(j);
}

/* Phase one (see struct job).  Returns 1 when the job is ready for its IMS
 * call, 0 when resp already holds the answer (a fault) and j->oc says why. */
static int prepare(struct job *j)
{
	const struct igw_service *s = j->s;
	const struct igw_http_request *req = j->req;
	struct outcome *oc = &j->oc;
	struct igw_wss_result *wr = NULL;
	/* the body is NUL-terminated (listener.h): parsed in place */
	struct igw_wss_request wreq = { req->reqid, NULL, NULL, 0, 1 };
	struct igw_cb_diag diag;
	char action[512];
	const struct igw_operation *op = NULL;
	const char *reason = NULL;
	int ready = 0;

	memset(&diag, 0, sizeof(diag));
	if (req->client->has_cert) {
		wreq.tls_subject = req->client->subject;
		wreq.tls_fingerprint = req->client->fingerprint;
	}
	if (j->version == 0) {
		igw_http_error(j->resp, "GW-MEDIA-TYPE", req->reqid);
		oc->reason = "GW-MEDIA-TYPE";
		goto done;
	}
	if (verify_timed(s->policy, req, &wreq, &wr) != IGW_OK) {
		reason = igw_wss_result_reason(wr);
		igw_log_info(req->reqid, "service %s: WS-Security: %s (%s)", s->name, reason,
		             igw_wss_result_detail(wr) ? igw_wss_result_detail(wr) : "");
		goto fault;
	}
	if (igw_wss_result_soap_version(wr))
		j->version = igw_wss_result_soap_version(wr);
	trace_of(req, igw_wss_result_doc(wr), oc->trace, sizeof(oc->trace));
	xmlNodePtr wrapper = igw_soap_first_element(igw_wss_result_body(wr));
	action_of(req, action, sizeof(action));
	op = igw_service_operation(s, action, wrapper && wrapper->ns ? (const char *)wrapper->ns->href : NULL,
	                           wrapper ? (const char *)wrapper->name : NULL);
	if (!op || !wrapper || strcmp((const char *)wrapper->name, op->name) != 0) {
		reason = "GW-OPERATION";
		igw_log_info(req->reqid, "service %s: no operation for action '%s' / element '%s'",
		             s->name, action, wrapper ? (const char *)wrapper->name : "");
		goto fault;
	}
	oc->operation = op->name;
	j->op = op;

	struct igw_identity id = {
		igw_wss_result_kind(wr), igw_wss_result_user(wr), igw_wss_result_issuer(wr),
		igw_wss_result_password(wr),
	};
	if (id.kind == IGW_WSS_KIND_CERT || (id.kind == IGW_WSS_KIND_NONE && req->client->has_cert)) {
		id.kind = IGW_WSS_KIND_CERT;
		id.user = req->client->subject;
		id.issuer = req->client->issuer;
	}
	snprintf(oc->user, sizeof(oc->user), "%s", id.user ? id.user : "-");
	if (igw_identity_map(s, &id, (uint64_t)(igw_wall_ms() / 1000), &j->creds, &reason) != IGW_OK) {
		igw_log_info(req->reqid, "service %s: identity '%s' not mapped (%s)", s->name,
		             id.user ? id.user : "-", reason);
		goto fault;
	}
	snprintf(oc->racf_user, sizeof(oc->racf_user), "%s", j->creds.user);
	oc->cred = j->creds.cred_kind;

	if (op->xml_adapter) {
		reason = xml_adapter_encode(wrapper, &j->xb, j->segs, &j->nseg);
		if (reason)
			goto fault;
	} else {
		struct igw_cb_conv cv = { s->cp, op->trancode, (unsigned)s->allow_truncate, s->ns };
		if (igw_cb_encode_node(&op->in, &cv, wrapper, &j->in, &diag) != IGW_OK) {
			reason = diag.reason ? diag.reason : "GW-INTERNAL";
			igw_log_info(req->reqid, "service %s: request conversion: %s: %s", s->name,
			             diag.where, diag.text);
			goto fault;
		}
		j->nseg = split_segments(op, &j->in, j->segs, (int)(sizeof(j->segs) / sizeof(j->segs[0])));
		if (j->nseg <= 0) {
			reason = "GW-INTERNAL";
			goto fault;
		}
	}
	ready = 1;
	goto done;
fault:
	igw_ims_creds_wipe(&j->creds);
	igw_soap_fault(j->resp, j->version ? j->version : 11, reason, req->reqid);
	oc->reason = reason;
done:
	igw_wss_result_free(wr);
	return ready;
}

/* Phase two (see struct job): the IMS call and the answer into resp. */
static void call_and_answer(struct job *j)
{
	const struct igw_service *s = j->s;
	const struct igw_operation *op = j->op;
	const char *reqid = j->req->reqid;
	struct outcome *oc = &j->oc;
	struct igw_cb_diag diag;
	struct igw_buf out;
	struct imsc_result res;
	char dfs[256];
	const char *reason;

	memset(&diag, 0, sizeof(diag));
	igw_buf_init(&out, IGW_HTTP_BODY_MAX);
	imsc_result_init(&res, 0);
	reason = call_ims(j->p, s, op, &j->creds, j->segs, j->nseg, reqid, &res, oc);
	igw_ims_creds_wipe(&j->creds);
	if (reason)
		goto fault;
	if (op->xml_adapter) {
		reason = xml_adapter_answer(s, reqid, &res, &out);
		if (reason)
			goto fault;
	} else if (op->one_way) {
		/* SOAP one-way over HTTP: 202 Accepted, no envelope */
		j->resp->status = 202;
		j->resp->content_type = igw_soap_content_type(j->version);
		oc->reason = "GW-OK";
		goto done;
	} else {
		struct igw_cb_conv cv = { s->cp, op->trancode, (unsigned)s->allow_truncate, s->ns };
		char wrapname[IGW_CB_XML_NAME_MAX + 16];
		snprintf(wrapname, sizeof(wrapname), "%sResponse", op->name);
		if (igw_cb_decode(&op->out, &cv, wrapname, res.reply.data, res.reply.data_len, &out,
		                  &diag) != IGW_OK) {
			if (is_dfs_message(s, res.reply.data, res.reply.data_len, dfs, sizeof(dfs))) {
				reason = "IMS-DFS";
				igw_log_info(reqid, "service %s: IMS: %s", s->name, dfs);
			} else {
				reason = diag.reason ? diag.reason : "CONV-OUT-LENGTH";
				igw_log_warn(reqid, "service %s: response conversion: %s: %s", s->name,
				             diag.where, diag.text);
			}
			goto fault;
		}
	}
	igw_soap_response(j->resp, j->version, (const char *)out.data, out.len);
	oc->reason = "GW-OK";
	goto done;
fault:
	igw_soap_fault(j->resp, j->version, reason, reqid);
	oc->reason = reason;
done:
	imsc_result_free(&res);
	igw_buf_free(&out);
}

static void log_outcome(const struct igw_http_request *req, const struct outcome *oc, int64_t t0)
{
	int64_t ms = igw_mono_ms() - t0;
	const struct igw_log_field f[] = {
		{ "service", oc->service, 0 },
		{ "operation", oc->operation ? oc->operation : "-", 0 },
		{ "trace", oc->trace[0] ? oc->trace : "-", 0 },
		{ "client", req->client->has_cert ? req->client->subject : "-", 0 },
		{ "identity", oc->user[0] ? oc->user : "-", 0 },
		{ "racf_user", oc->racf_user[0] ? oc->racf_user : "-", 0 },
		{ "credential", oc->cred ? oc->cred : "-", 0 },
		{ "outcome", oc->reason && strcmp(oc->reason, "GW-OK") == 0 ? "ok" : "fault", 0 },
		{ "reason", oc->reason ? oc->reason : "GW-INTERNAL", 0 },
		{ "ims_rc", oc->has_rsm ? NULL : "-", oc->rc },
		{ "ims_rsn", oc->has_rsm ? NULL : "-", oc->rsn },
		{ "latency_ms", NULL, ms },
	};
	igw_metrics_record(oc->service, oc->reason ? oc->reason : "GW-INTERNAL", ms);
	igw_log_event(IGW_LOG_INFO, req->reqid, "soap", f, sizeof(f) / sizeof(f[0]));
}

/* A worker: phase one if the listener left it (module services), then the
 * call; then the answer goes out. */
static void run_job(void *arg)
{
	struct job *j = arg;
	struct igw_http_deferred *d = j->deferred;
	if (j->prepared || prepare(j))
		call_and_answer(j);
	log_outcome(j->req, &j->oc, j->t0);
	job_free(j);
	igw_http_resume(d);
}

void igw_provider_handle(struct igw_provider *p, struct igw_workers *workers,
                         const struct igw_http_request *req, struct igw_http_response *resp)
{
	const struct igw_service *s = igw_service_by_path(&p->site->services, req->path);
	struct job *j = NULL;
	if (!s) {
		igw_http_error(resp, "GW-NOT-FOUND", req->reqid);
	} else if ((strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) &&
	           req->query_wsdl) {
		serve_wsdl(s, req, resp);
	} else if (strcmp(req->method, "POST") != 0) {
		igw_http_error(resp, "GW-METHOD", req->reqid);
	} else if (!(j = job_new(p, s, req, resp))) {
		int version = soap_version_of(req->content_type);
		igw_soap_fault(resp, version ? version : 11, "GW-INTERNAL", req->reqid);
	} else if (!igw_wss_policy_may_wait(s->policy) && !(j->prepared = prepare(j))) {
		/* refused before IMS: answered from this thread */
		log_outcome(req, &j->oc, j->t0);
		job_free(j);
	} else {
		j->deferred = igw_http_defer(req, resp);
		if (igw_workers_submit(workers, run_job, j) != IGW_OK) {
			/* queue full or draining: answer now, do not wait */
			int version = j->version ? j->version : 11;
			job_free(j);
			igw_soap_fault(resp, version, "GW-OVERLOADED", req->reqid);
			igw_http_resume(igw_http_defer(req, resp));
			igw_log_warn(req->reqid, "service %s: work queue full: GW-OVERLOADED", s->name);
			igw_metrics_record(s->name, "GW-OVERLOADED", 0);
		}
	}
}
