/* SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE 1
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "imsgw/core.h"
#include "imsconnect/client.h"
#include "callout.h"
#include "deadletter.h"
#include "soap.h"

/* ------------------------------------------------------------ status codes */
/* The codes an IMS program sees in the error response of a synchronous
 * callout are IMS SOAP Gateway's (its table "Error status code returned to
 * IMS during synchronous callout requests processing"), so programs written
 * for it keep working.  docs/CALLOUT.md has this table. */
static const struct igw_co_status status_table[] = {
	{ "CO-OK", 0, "delivered; the target answered 2xx", 0, 0 },
	{ "CO-NO-RESPONSE", 1001, "no callout response was returned from the web service "
	  "(empty answer or no response element)", 1, 1 },
	{ "CO-HTTP-STATUS", 1002, "error when invoking the web service: HTTP status other than 2xx", 1, 1 },
	{ "CO-SOAP-FAULT", 1002, "error when invoking the web service: SOAP fault", 1, 1 },
	{ "CO-RESPONSE-CONVERSION", 1002, "the answer does not fit the response layout", 1, 1 },
	{ "CO-TOKEN", 1002, "the WS-Security token could not be built (no IMS user id)", 0, 1 },
	{ "CO-REQUEST-CONVERSION", 1006, "the callout message does not fit the request layout "
	  "(message discarded: dead letter for async)", 0, 1 },
	{ "CO-NETWORK", 1009, "network error invoking the web service: connection refused or "
	  "reset, TLS handshake failure, target unavailable (HTTP 503)", 1, 0 },
	{ "CO-TIMEOUT", 1009, "network error invoking the web service: no answer within timeoutMs", 1, 1 },
	{ "CO-RESPONSE-TOO-LARGE", 1002, "the answer is larger than the limit", 1, 1 },
	{ "CO-CONTROL-DATA", 1012, "the ICAL control data is malformed (item lengths, tags)", 0, 1 },
	{ "CO-CONTROL-EMPTY-URL", 1013, "<DFSENDPOINTURL> in the control data has no value", 0, 1 },
	{ "CO-ENDPOINT-DENIED", 1015, "<DFSENDPOINTURL> names an endpoint outside the target's "
	  "endpointOverride prefixes", 0, 1 },
};
#define ST(i) (&status_table[i])
enum {
	S_OK, S_NORESP, S_HTTP, S_FAULT, S_RESPCONV, S_TOKEN, S_REQCONV, S_NET, S_TIMEOUT, S_BIG,
	S_CTL, S_CTL_EMPTY, S_CTL_DENIED,
};

const struct igw_co_status *igw_callout_status_table(unsigned *n)
{
	*n = sizeof(status_table) / sizeof(status_table[0]);
	return status_table;
}

/* --------------------------------------------------------------- metrics */
#define CO_SERIES_MAX 256u
struct co_series {
	char callout[72], tpipe[IMSC_NAME_BUF];
	const char *outcome;
	unsigned long count;
	double seconds;
};
static struct co_series series[CO_SERIES_MAX];
static unsigned nseries;
static unsigned long dead_letters, nak_count, redelivered;
static pthread_mutex_t metrics_mu = PTHREAD_MUTEX_INITIALIZER;

static void metric(const char *callout, const char *tpipe, const char *outcome, int64_t ms)
{
	pthread_mutex_lock(&metrics_mu);
	unsigned i;
	for (i = 0; i < nseries; i++)
		if (series[i].outcome == outcome && strcmp(series[i].tpipe, tpipe) == 0 &&
		    strcmp(series[i].callout, callout) == 0)
			break;
	if (i == nseries && nseries < CO_SERIES_MAX) {
		snprintf(series[i].callout, sizeof(series[i].callout), "%s", callout);
		snprintf(series[i].tpipe, sizeof(series[i].tpipe), "%s", tpipe);
		series[i].outcome = outcome;
		nseries++;
	}
	if (i < nseries) {
		series[i].count++;
		series[i].seconds += (double)ms / 1000.0;
	}
	pthread_mutex_unlock(&metrics_mu);
}

int igw_callout_metrics(struct igw_buf *out)
{
	int rc = igw_buf_append_str(out,
		"# HELP imsgw_callout_total Callout deliveries by callout, tpipe and outcome.\n"
		"# TYPE imsgw_callout_total counter\n"
		"# HELP imsgw_callout_seconds_total Time spent in callout deliveries.\n"
		"# TYPE imsgw_callout_seconds_total counter\n");
	pthread_mutex_lock(&metrics_mu);
	for (unsigned i = 0; rc == IGW_OK && i < nseries; i++)
		rc = igw_buf_printf(out,
			"imsgw_callout_total{callout=\"%s\",tpipe=\"%s\",outcome=\"%s\"} %lu\n"
			"imsgw_callout_seconds_total{callout=\"%s\",tpipe=\"%s\",outcome=\"%s\"} %.3f\n",
			series[i].callout, series[i].tpipe, series[i].outcome, series[i].count,
			series[i].callout, series[i].tpipe, series[i].outcome, series[i].seconds);
	if (rc == IGW_OK)
		rc = igw_buf_printf(out,
			"# HELP imsgw_callout_dead_letters_total Async messages written to a dead-letter folder.\n"
			"# TYPE imsgw_callout_dead_letters_total counter\n"
			"imsgw_callout_dead_letters_total %lu\n"
			"# HELP imsgw_callout_naks_total Async messages NAKed back to IMS for a retry.\n"
			"# TYPE imsgw_callout_naks_total counter\n"
			"imsgw_callout_naks_total %lu\n"
			"# HELP imsgw_callout_redelivered_total Async messages seen again after a NAK.\n"
			"# TYPE imsgw_callout_redelivered_total counter\n"
			"imsgw_callout_redelivered_total %lu\n", dead_letters, nak_count, redelivered);
	pthread_mutex_unlock(&metrics_mu);
	return rc;
}

/* -------------------------------------------------------------- delivery */
int igw_callout_parse_policy(struct igw_wss_policy **out)
{
	struct igw_wss_policy_conf pc;
	igw_wss_policy_conf_defaults(&pc);
	pc.service = "callout-response";
	pc.tokens = 0;
	pc.require_token = 0;
	return igw_wss_policy_compile(&pc, out, NULL, 0);
}

/* Serialise element n alone (a copy in its own document, so the namespaces
 * it uses from its ancestors are declared on it), UTF-8, no declaration. */
static int dump_element(xmlNodePtr n, struct igw_buf *out)
{
	int rc = IGW_ENOMEM;
	xmlDocPtr d = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr copy = d ? xmlDocCopyNode(n, d, 1) : NULL;
	xmlBufferPtr b = copy ? xmlBufferCreate() : NULL;
	if (b) {
		xmlDocSetRootElement(d, copy);
		xmlReconciliateNs(d, copy);
		if (xmlNodeDump(b, d, copy, 0, 0) >= 0)
			rc = igw_buf_append(out, xmlBufferContent(b), (size_t)xmlBufferLength(b));
	} else if (copy) {
		xmlFreeNode(copy);
	}
	xmlBufferFree(b);
	xmlFreeDoc(d);
	return rc;
}

/* The XML adapter's document (untrusted): parsed without network, DTD or
 * entity expansion (a document with a DOCTYPE is refused), bounded, and its
 * root element re-serialised into out, so that nothing but one well-formed
 * element ever goes into the SOAP body. */
static int adapter_xml(const uint8_t *d, size_t n, struct igw_buf *out)
{
	int rc = IGW_ECONV;
	xmlDocPtr doc = n > 0 && n <= IGW_CALLOUT_MSG_MAX ?
		xmlReadMemory((const char *)d, (int)n, NULL, NULL,
		              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		              XML_PARSE_NOCDATA) : NULL;
	xmlNodePtr root = doc && !doc->intSubset ? xmlDocGetRootElement(doc) : NULL;
	if (root)
		rc = dump_element(root, out);
	xmlFreeDoc(doc);
	return rc;
}

static int build_envelope(const struct igw_callout *c, const char *user, const char *body,
                          struct igw_buf *env)
{
	int rc;
	if (c->wss) {
		rc = igw_wss_out_envelope(&c->wss_conf, user, c->target.soap_version, body, env);
	} else {
		const char *ns = c->target.soap_version == 12 ? IGW_SOAP12_NS : IGW_SOAP11_NS;
		rc = igw_buf_printf(env, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		                    "<soapenv:Envelope xmlns:soapenv=\"%s\"><soapenv:Body>", ns);
		if (rc == IGW_OK)
			rc = igw_buf_append_str(env, body);
		if (rc == IGW_OK)
			rc = igw_buf_append_str(env, "</soapenv:Body></soapenv:Envelope>");
	}
	return rc;
}

/* A URL imsgw may call: http(s), printable ASCII, no blanks, backslashes or
 * fragments, and starting with one of the allowed prefixes (each of which
 * ends its authority with "/", checked at load). */
static int endpoint_allowed(const struct igw_callout *c, const char *url)
{
	int ok = strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0;
	for (const char *p = url; ok && *p; p++)
		ok = *p > ' ' && *p <= '~' && *p != '\\' && *p != '#';
	int match = 0;
	for (unsigned i = 0; ok && !match && i < c->noverrides; i++)
		match = strncmp(url, c->overrides[i], strlen(c->overrides[i])) == 0;
	return ok && match;
}

const struct igw_co_status *igw_callout_control_endpoint(const struct igw_callout *c,
                                                         const uint8_t *d, size_t n,
                                                         char *url, size_t urlmax)
{
	static const char tag[] = "DFSENDPOINTURL";
	const struct igw_co_status *st = NULL;
	struct igw_buf text;
	url[0] = 0;
	igw_buf_init(&text, 65536);
	while (n > 0 && !st) {
		size_t len = n >= 4 ? ((size_t)d[0] << 24 | (size_t)d[1] << 16 | (size_t)d[2] << 8 | d[3]) : 0;
		igw_buf_reset(&text);
		if (n < 4 || len < 5 || len > n - 4 ||
		    igw_cb_from_ebcdic(c->cp, d + 4, len, &text) != IGW_OK ||
		    igw_buf_append(&text, "", 1) != IGW_OK) {
			st = ST(S_CTL);
			break;
		}
		/* <NAME>value</NAME>, NAME of letters, digits, '_' */
		const char *s = (const char *)text.data;
		const char *gt = strchr(s, '>');
		size_t tl = gt ? (size_t)(gt - s - 1) : 0;
		size_t total = text.len - 1;
		int good = s[0] == '<' && gt && tl > 0 && total >= 2 * tl + 5 &&
		           s[total - 1] == '>' && s[total - tl - 3] == '<' && s[total - tl - 2] == '/' &&
		           memcmp(s + 1, s + total - tl - 1, tl) == 0;
		for (size_t i = 1; good && i <= tl; i++)
			good = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
			       (s[i] >= '0' && s[i] <= '9') || s[i] == '_';
		if (!good) {
			st = ST(S_CTL);
		} else if (tl == sizeof(tag) - 1 && memcmp(s + 1, tag, tl) == 0) {
			size_t vl = total - 2 * tl - 5;
			if (vl == 0)
				st = ST(S_CTL_EMPTY);
			else if (vl >= urlmax)
				st = ST(S_CTL_DENIED);
			else {
				memcpy(url, gt + 1, vl);
				url[vl] = 0;
				if (!endpoint_allowed(c, url))
					st = ST(S_CTL_DENIED);
			}
		}	/* other tags (DFSCNVTR, user tags): not for imsgw */
		d += 4 + len;
		n -= 4 + len;
	}
	igw_buf_free(&text);
	if (st)
		url[0] = 0;
	return st;
}

const struct igw_co_status *igw_callout_deliver(const struct igw_callout *c,
                                                struct igw_out_client *http,
                                                const struct igw_wss_policy *parse,
                                                const uint8_t *msg, size_t len,
                                                const char *user, const char *url,
                                                int want_reply, struct igw_buf *reply,
                                                int *http_status)
{
	const struct igw_co_status *st = ST(S_OK);
	struct igw_cb_conv cv = { c->cp, NULL, (unsigned)c->allow_truncate, c->ns };
	struct igw_cb_diag diag;
	struct igw_buf body, env, answer;
	struct igw_wss_result *wr = NULL;
	int rc;

	*http_status = 0;
	memset(&diag, 0, sizeof(diag));
	igw_buf_init(&body, IGW_CALLOUT_ENVELOPE_MAX);
	igw_buf_init(&env, IGW_CALLOUT_ENVELOPE_MAX);
	igw_buf_init(&answer, IGW_OUT_RESPONSE_MAX);
	if (c->xml_adapter) {
		if (adapter_xml(msg, len, &body) != IGW_OK || igw_buf_append(&body, "", 1) != IGW_OK) {
			igw_log_warn(NULL, "callout %s: the XML adapter's message is not one "
			             "well-formed element without a DTD", c->name);
			st = ST(S_REQCONV);
			goto done;
		}
	} else if (igw_cb_decode(&c->req, &cv, c->operation, msg, len, &body, &diag) != IGW_OK ||
	           igw_buf_append(&body, "", 1) != IGW_OK) {
		igw_log_warn(NULL, "callout %s: request conversion: %s: %s", c->name, diag.where,
		             diag.text);
		st = ST(S_REQCONV);
		goto done;
	}
	if (c->wss && (!user || !*user)) {
		st = ST(S_TOKEN);
		goto done;
	}
	if (build_envelope(c, user, (const char *)body.data, &env) != IGW_OK) {
		st = ST(S_TOKEN);
		goto done;
	}
	rc = igw_out_post_to(http, url, env.data, env.len, http_status, &answer);
	if (rc == IGW_ETIMEOUT) {
		st = ST(S_TIMEOUT);
	} else if (rc == IGW_ELIMIT) {
		st = ST(S_BIG);
	} else if (rc != IGW_OK) {
		st = ST(S_NET);
	} else if (*http_status == 503 || *http_status == 502 || *http_status == 504) {
		st = ST(S_NET);		/* the target (or a proxy) says it is unavailable */
	} else if (*http_status < 200 || *http_status > 299) {
		/* a SOAP fault comes with 500; anything else is an HTTP error */
		st = *http_status == 500 && answer.len ? ST(S_FAULT) : ST(S_HTTP);
	} else if (!want_reply) {
		st = ST(S_OK);
	} else if (answer.len == 0 ||
	           igw_wss_verify(parse, answer.data, answer.len, NULL, &wr) != IGW_OK) {
		st = ST(S_NORESP);
	} else {
		xmlNodePtr el = igw_soap_first_element(igw_wss_result_body(wr));
		if (!el) {
			st = ST(S_NORESP);
		} else if (strcmp((const char *)el->name, "Fault") == 0 && el->ns &&
		           (strcmp((const char *)el->ns->href, IGW_SOAP11_NS) == 0 ||
		            strcmp((const char *)el->ns->href, IGW_SOAP12_NS) == 0)) {
			st = ST(S_FAULT);
		} else if (strcmp((const char *)el->name, c->response_name) != 0) {
			igw_log_warn(NULL, "callout %s: answer element <%s>, expected <%s>", c->name,
			             (const char *)el->name, c->response_name);
			st = ST(S_NORESP);
		} else if (c->xml_adapter) {
			if (dump_element(el, reply) != IGW_OK)
				st = ST(S_BIG);
		} else if (igw_cb_encode_node(&c->resp, &cv, el, reply, &diag) != IGW_OK) {
			igw_log_warn(NULL, "callout %s: response conversion: %s: %s", c->name,
			             diag.where, diag.text);
			st = ST(S_RESPCONV);
		}
	}
done:
	igw_wss_result_free(wr);
	igw_buf_free(&body);
	igw_buf_free(&env);
	igw_buf_free(&answer);
	return st;
}

/* ---------------------------------------------------------------- engine */
struct co_attempt {			/* async retry counter of one message */
	uint8_t key[SHA256_DIGEST_LENGTH];
	unsigned attempts;
	int used;
};

struct co_svc {
	struct igw_callout_engine *e;
	const struct igw_callout *c;
	struct imsc_pool *respool;	/* the bundle's pool: sync responses */
	struct igw_wss_policy *parse;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned in_flight;
	int64_t not_before;		/* async back-off gate (igw_mono_ms) */
	unsigned fail_streak;
	struct co_attempt *attempts;	/* open-addressed, IGW_CALLOUT_ATTEMPTS_TRACKED */
	unsigned nattempts;
};

struct co_worker {
	struct co_svc *svc;
	const struct igw_co_tpipe *tp;
	unsigned index;
	pthread_t thread;
	int started;
	struct imsc_conn *conn;
	struct igw_out_client *http;
	struct imsc_result res;
	struct igw_buf msg, reply;
	int stopped;			/* stopOnError fired */
};

struct igw_callout_engine {
	struct igw_provider *p;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stopping;
	struct co_svc *svcs;
	unsigned nsvcs;
	struct co_worker *workers;
	unsigned nworkers;
};

static int stopping(struct igw_callout_engine *e)
{
	pthread_mutex_lock(&e->mu);
	int s = e->stopping;
	pthread_mutex_unlock(&e->mu);
	return s;
}

/* Sleep ms unless the engine stops first. */
static void nap(struct igw_callout_engine *e, int64_t ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&e->mu);
	while (!e->stopping && pthread_cond_timedwait(&e->cv, &e->mu, &ts) == 0)
		;
	pthread_mutex_unlock(&e->mu);
}

/* In-flight throttle: wait for a slot (or the engine stopping: then the
 * call still runs, the message is already ours). */
static void slot_take(struct co_svc *s)
{
	pthread_mutex_lock(&s->mu);
	while (s->in_flight >= s->c->in_flight)
		pthread_cond_wait(&s->cv, &s->mu);
	s->in_flight++;
	pthread_mutex_unlock(&s->mu);
}

static void slot_give(struct co_svc *s)
{
	pthread_mutex_lock(&s->mu);
	s->in_flight--;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void msg_key(const char *tpipe, const uint8_t *d, size_t n, uint8_t key[SHA256_DIGEST_LENGTH])
{
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	unsigned kl = SHA256_DIGEST_LENGTH;
	if (!h || EVP_DigestInit_ex(h, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(h, tpipe, strlen(tpipe) + 1) != 1 || EVP_DigestUpdate(h, d, n) != 1 ||
	    EVP_DigestFinal_ex(h, key, &kl) != 1)
		memset(key, 0, SHA256_DIGEST_LENGTH);	/* all messages share one counter */
	EVP_MD_CTX_free(h);
}

/* Async attempts of a message, keyed by SHA-256(tpipe, data) (msg_key,
 * computed once per message).  The table is bounded; when it is full the
 * oldest knowledge is dropped (counts restart: a message may then get more
 * attempts, never fewer).  slot_of: the key's slot, or the free slot where
 * it would go (create: after forgetting everything if the table is too
 * full), or NULL.  _locked. */
static struct co_attempt *slot_of(struct co_svc *s, const uint8_t *key, int create)
{
	const unsigned cap = IGW_CALLOUT_ATTEMPTS_TRACKED;
	const unsigned home = ((unsigned)key[0] << 16 | (unsigned)key[1] << 8 | key[2]) % cap;
	unsigned i = home, probes = 0;
	struct co_attempt *a = NULL;
	if (s->attempts) {
		while (s->attempts[i].used && memcmp(s->attempts[i].key, key, SHA256_DIGEST_LENGTH) != 0 &&
		       probes < 64) {
			i = (i + 1) % cap;
			probes++;
		}
		if (create && (probes == 64 || (!s->attempts[i].used && s->nattempts >= cap * 3 / 4))) {
			memset(s->attempts, 0, cap * sizeof(*s->attempts));	/* forget all */
			s->nattempts = 0;
			i = home;
			probes = 0;
		}
		if (probes < 64)
			a = &s->attempts[i];
	}
	return a;
}

/* Count one more failed attempt (forget = 0; returns the count) or forget
 * the message (forget = 1: it was delivered or dead-lettered). */
static unsigned attempts_bump(struct co_svc *s, const uint8_t *key, int forget)
{
	unsigned result = 0;
	pthread_mutex_lock(&s->mu);
	struct co_attempt *a = slot_of(s, key, !forget);
	if (a && forget) {
		/* no deletion in an open-addressed table: keep the slot, reset
		 * the count */
		if (a->used)
			a->attempts = 0;
	} else if (a) {
		if (!a->used) {
			memcpy(a->key, key, SHA256_DIGEST_LENGTH);
			a->used = 1;
			s->nattempts++;
		}
		result = ++a->attempts;
	}
	pthread_mutex_unlock(&s->mu);
	return result;
}

static unsigned attempts_peek(struct co_svc *s, const uint8_t *key)
{
	unsigned result = 0;
	pthread_mutex_lock(&s->mu);
	struct co_attempt *a = slot_of(s, key, 0);
	if (a && a->used)
		result = a->attempts;
	pthread_mutex_unlock(&s->mu);
	return result;
}

/* Bundle credentials into the IRM (RACF user, group, password or a
 * PassTicket for the bundle user). */
static int fill_creds(const struct igw_bundle *b, struct imsc_irm *irm)
{
	int rc = IGW_OK;
	if (b->has_credentials) {
		snprintf(irm->userid, sizeof(irm->userid), "%s", b->user);
		snprintf(irm->group, sizeof(irm->group), "%s", b->group);
		if (b->password) {
			snprintf(irm->password, sizeof(irm->password), "%s", b->password);
		} else if (b->has_passticket) {
			irm->arch = irm->arch < 1 ? 1 : irm->arch;
			snprintf(irm->applnm, sizeof(irm->applnm), "%s", b->pt_application);
			rc = imsc_passticket(b->pt_type, b->pt_key, b->pt_keylen, b->user,
			                     b->pt_application, (uint64_t)(igw_wall_ms() / 1000),
			                     irm->password, NULL);
		}
	}
	return rc;
}

static void log_callout(const struct co_worker *w, const char *kind, const struct igw_co_status *st,
                        int http_status, int64_t ms, unsigned attempt, const char *action,
                        const char *url)
{
	const struct igw_log_field f[] = {
		{ "callout", w->svc->c->name, 0 },
		{ "tpipe", w->tp->name, 0 },
		{ "kind", kind, 0 },
		{ "target", url && *url ? url : w->svc->c->url, 0 },
		{ "outcome", st->outcome, 0 },
		{ "status", NULL, (long long)st->code },
		{ "http", NULL, http_status },
		{ "ms", NULL, (long long)ms },
		{ "attempt", NULL, (long long)attempt },
		{ "action", action, 0 },
	};
	igw_log_event(st->code ? IGW_LOG_WARN : IGW_LOG_INFO, NULL, "callout", f,
	              sizeof(f) / sizeof(f[0]));
}

static uint8_t rt_option(enum igw_co_resume r)
{
	return r == IGW_CO_RT_AUTO ? IMSC_F5_RT_AUTO : r == IGW_CO_RT_NOAUTO ? IMSC_F5_RT_NOAUTO :
	       r == IGW_CO_RT_SINGLE ? IMSC_F5_RT_SINGLE : IMSC_F5_RT_SWAIT;
}

static int single(const struct igw_co_tpipe *tp)
{
	return tp->resume == IGW_CO_RT_SINGLE || tp->resume == IGW_CO_RT_SINGLE_WAIT;
}

static void adapter_tags(const struct igw_callout *c, struct imsc_irm *irm)
{
	irm->arch = irm->arch < 2 ? 2 : irm->arch;
	snprintf(irm->tag_adapt, sizeof(irm->tag_adapt), "%s", c->tag_adapt);
	snprintf(irm->tag_map, sizeof(irm->tag_map), "%s", c->tag_map);
}

/* Send the synchronous response (or error) with the token through the
 * bundle's pool.  Returns a word for the log. */
static const char *sync_answer(struct co_worker *w, const uint8_t tok[IMSC_CORTKN_LEN],
                               const struct igw_co_status *st)
{
	const struct igw_callout *c = w->svc->c;
	const struct igw_bundle *b = c->bundle;
	struct imsc_conn *rc_conn = NULL;
	struct imsc_irm irm;
	struct imsc_result res;
	const char *what = st->code ? "error-response" : "response";
	int64_t dl = igw_deadline_after(b->execution_ms ? b->execution_ms : 10000);
	int rc;
	imsc_result_init(&res, 0);
	imsc_irm_init(&irm, b->ep.exit, b->ep.cp);
	rc = fill_creds(b, &irm);
	if (c->xml_adapter && !st->code)
		adapter_tags(c, &irm);	/* IMS Connect converts the XML back */
	if (rc == IGW_OK)
		rc = imsc_pool_checkout(w->svc->respool, dl, &rc_conn);
	if (rc == IGW_OK && st->code)
		rc = imsc_callout_error(rc_conn, &irm, tok, (uint16_t)st->code, w->tp->response_ack,
		                        dl, &res);
	else if (rc == IGW_OK)
		rc = imsc_callout_respond(rc_conn, &irm, tok, w->reply.data, w->reply.len,
		                          w->tp->response_ack, dl, &res);
	if (rc == IGW_OK && w->tp->response_ack && imsc_result_error(&res) != IGW_OK) {
		/* IMS could not deliver it: the ICAL ended (timeout) meanwhile */
		igw_log_warn(NULL, "callout %s: tpipe %s: IMS Connect refused the %s: %s "
		             "(RC %u RSN %u; status 1003)", c->name, w->tp->name, what,
		             imsc_result_reason(&res) ? imsc_result_reason(&res) : "-",
		             res.reply.rsm.retcod, res.reply.rsm.rsncod);
		what = "response-refused";
	} else if (rc != IGW_OK) {
		igw_log_warn(NULL, "callout %s: tpipe %s: sending the %s failed: %s (status 1003)",
		             c->name, w->tp->name, what, igw_strerror(rc));
		what = "response-failed";
	}
	if (rc_conn)
		imsc_pool_checkin(w->svc->respool, rc_conn);
	imsc_irm_wipe(&irm);
	imsc_result_free(&res);
	return what;
}

/* Trimmed IMS user of the correlation token. */
static void token_user(const struct imsc_result *res, char *out, size_t outlen)
{
	size_t n = strnlen(res->reply.cor.userid, sizeof(res->reply.cor.userid));
	while (n > 0 && (res->reply.cor.userid[n - 1] == ' ' || res->reply.cor.userid[n - 1] == 0))
		n--;
	snprintf(out, outlen, "%.*s", (int)n, res->reply.cor.userid);
}

/* One synchronous request: ACK it, call, answer.  Returns IGW_OK or a
 * transport error of the polling connection. */
static int handle_sync(struct co_worker *w)
{
	struct co_svc *s = w->svc;
	const struct igw_callout *c = s->c;
	uint8_t tok[IMSC_CORTKN_LEN];
	char user[IMSC_NAME_BUF];
	int http_status = 0, rc;
	int64_t t0 = igw_mono_ms();
	const struct igw_co_status *st;
	int64_t dl = igw_deadline_after(10000);

	memcpy(tok, w->res.reply.cortkn, sizeof(tok));
	token_user(&w->res, user, sizeof(user));
	igw_buf_reset(&w->msg);
	igw_buf_reset(&w->reply);
	rc = imsc_result_data(&w->res, &w->msg);
	/* the request is ours: ACK it (the ICAL keeps waiting for the answer) */
	if (rc == IGW_OK)
		rc = imsc_ack(w->conn, single(w->tp) ? IMSC_TIMER_V_NOWAIT : 0x28, 0, dl, NULL);
	if (rc != IGW_OK)
		return rc;
	char url[IGW_CALLOUT_URL_MAX];
	url[0] = 0;
	st = NULL;
	if (c->noverrides && w->res.reply.has_ctldat)
		st = igw_callout_control_endpoint(c, w->res.reply.ctldat, w->res.reply.ctldat_len, url,
		                                  sizeof(url));
	if (!st) {
		slot_take(s);
		st = igw_callout_deliver(c, w->http, s->parse, w->msg.data, w->msg.len,
		                         c->subject_message ? user : c->bundle->user,
		                         url[0] ? url : NULL, 1, &w->reply, &http_status);
		slot_give(s);
	}
	const char *what = sync_answer(w, tok, st);
	int64_t ms = igw_mono_ms() - t0;
	metric(c->name, w->tp->name, st->outcome, ms);
	log_callout(w, "sync", st, http_status, ms, 1, what, url);
	return IGW_OK;
}

/* One asynchronous message: deliver, then ACK (delivered or dead-lettered)
 * or NAK (retry later).  *nak_sent tells the caller the flow ended. */
static int handle_async(struct co_worker *w, int *nak_sent)
{
	struct co_svc *s = w->svc;
	const struct igw_callout *c = s->c;
	int http_status = 0, rc;
	int64_t t0 = igw_mono_ms();
	const struct igw_co_status *st;
	const char *action = "ack";
	char dlname[IGW_DL_NAME_MAX] = "";
	unsigned attempt;
	int64_t dl = igw_deadline_after(10000);

	*nak_sent = 0;
	igw_buf_reset(&w->msg);
	igw_buf_reset(&w->reply);
	rc = imsc_result_data(&w->res, &w->msg);
	if (rc != IGW_OK)
		return rc;
	uint8_t key[SHA256_DIGEST_LENGTH];
	msg_key(w->tp->name, w->msg.data, w->msg.len, key);
	attempt = attempts_peek(s, key) + 1;
	if (attempt > 1) {
		pthread_mutex_lock(&metrics_mu);
		redelivered++;
		pthread_mutex_unlock(&metrics_mu);
	}
	slot_take(s);
	st = igw_callout_deliver(c, w->http, s->parse, w->msg.data, w->msg.len, c->bundle->user,
	                         NULL, 0, &w->reply, &http_status);
	slot_give(s);
	if (st == ST(S_OK)) {
		attempts_bump(s, key, 1);
		pthread_mutex_lock(&s->mu);
		s->fail_streak = 0;
		s->not_before = 0;
		pthread_mutex_unlock(&s->mu);
	} else {
		unsigned n = st->counts ? attempts_bump(s, key, 0)
		                        : attempt - 1;
		attempt = st->counts ? n : attempt;
		if (!st->retry || n >= c->max_attempts) {
			if (igw_dl_write(c->dead_dir, c->name, w->tp->name, attempt, st->outcome,
			                 w->msg.data, w->msg.len, dlname) == IGW_OK) {
				action = "dead-letter";
				attempts_bump(s, key, 1);
				pthread_mutex_lock(&metrics_mu);
				dead_letters++;
				pthread_mutex_unlock(&metrics_mu);
			} else {
				action = "nak";	/* not durable: keep it in IMS */
			}
		} else {
			action = "nak";
		}
		if (strcmp(action, "nak") == 0) {
			pthread_mutex_lock(&s->mu);
			unsigned shift = s->fail_streak < 16 ? s->fail_streak : 16;
			uint64_t back = (uint64_t)c->backoff_ms << shift;
			if (back > c->backoff_max_ms)
				back = c->backoff_max_ms;
			s->fail_streak++;
			s->not_before = igw_mono_ms() + (int64_t)back;
			pthread_mutex_unlock(&s->mu);
		}
	}
	if (strcmp(action, "nak") == 0) {
		/* NAK: IMS keeps the message first on the hold queue */
		rc = imsc_nak(w->conn, IMSC_TIMER_V_NOWAIT, 0, dl, NULL);
		*nak_sent = 1;
		pthread_mutex_lock(&metrics_mu);
		nak_count++;
		pthread_mutex_unlock(&metrics_mu);
	} else {
		rc = imsc_ack(w->conn, single(w->tp) ? IMSC_TIMER_V_NOWAIT : 0x28, 0, dl,
		              single(w->tp) ? NULL : &w->res);
	}
	int64_t ms = igw_mono_ms() - t0;
	metric(c->name, w->tp->name, st->outcome, ms);
	log_callout(w, "async", st, http_status, ms, attempt, action, NULL);
	if (dlname[0])
		igw_log_warn(NULL, "callout %s: tpipe %s: message written to dead letter %s/%s after "
		             "%u attempt%s (%s)", c->name, w->tp->name, c->dead_dir, dlname, attempt,
		             attempt == 1 ? "" : "s", st->outcome);
	return rc;
}

static void drop_conn(struct co_worker *w)
{
	if (w->conn) {
		imsc_conn_close(w->conn);
		w->conn = NULL;
	}
}

/* One RESUME TPIPE flow: issue it and handle what arrives until the flow
 * ends (timeout RSM, or after one message for SINGLE/SWAIT). */
static void poll_once(struct co_worker *w)
{
	struct co_svc *s = w->svc;
	const struct igw_callout *c = s->c;
	const struct igw_bundle *b = c->bundle;
	struct imsc_irm irm;
	uint8_t syn = w->tp->kinds == IGW_CO_SYNC ? IMSC_F0_SYNONLY :
	              w->tp->kinds == (IGW_CO_SYNC | IGW_CO_ASYNC) ? IMSC_F0_SYNASYN : 0;
	int rc;

	if (!w->conn) {
		rc = imsc_conn_open(&b->ep, NULL, igw_deadline_after(b->ep.connect_ms ? b->ep.connect_ms
		                                                                       : 5000), &w->conn);
		if (rc != IGW_OK) {
			igw_log_warn(NULL, "callout %s: tpipe %s: IMS Connect %s:%u: %s; retry in %u ms",
			             c->name, w->tp->name, b->host, b->ep.port, igw_strerror(rc),
			             w->tp->error_poll_ms);
			nap(s->e, w->tp->error_poll_ms);
			return;
		}
	}
	imsc_irm_init(&irm, b->ep.exit, b->ep.cp);
	irm.arch = 1;
	snprintf(irm.rerout, sizeof(irm.rerout), "%s", w->tp->name);	/* RT_ALTCID */
	if (syn && c->noverrides)
		irm.f0 |= IMSC_F0_CTLDATA;	/* ask for the ICAL control data */
	if (c->xml_adapter)
		adapter_tags(c, &irm);		/* messages arrive as XML */
	rc = fill_creds(b, &irm);
	if (rc == IGW_OK) {
		imsc_timer_encode(w->tp->poll_timer_ms, &irm.timer);
		rc = imsc_resume_tpipe(w->conn, &irm, rt_option(w->tp->resume), syn,
		                       igw_deadline_after(w->tp->poll_timer_ms + 5000), &w->res);
	}
	imsc_irm_wipe(&irm);
	for (;;) {
		if (rc != IGW_OK) {
			igw_log_warn(NULL, "callout %s: tpipe %s: IMS Connect: %s; retry in %u ms",
			             c->name, w->tp->name, igw_strerror(rc), w->tp->error_poll_ms);
			drop_conn(w);
			nap(s->e, w->tp->error_poll_ms);
			break;
		}
		if (!imsc_conn_ack_pending(w->conn)) {
			int err = imsc_result_error(&w->res);
			if (err == IGW_ETIMEOUT && imsc_conn_reusable(w->conn))
				break;		/* nothing (more) queued */
			const char *why = imsc_result_reason(&w->res);
			igw_log_warn(NULL, "callout %s: tpipe %s: RESUME TPIPE refused: %s (RC %u RSN %u)%s",
			             c->name, w->tp->name, why ? why : igw_strerror(err),
			             w->res.reply.rsm.retcod, w->res.reply.rsm.rsncod,
			             w->tp->stop_on_error && err == IGW_EAUTH ? "; stopping this tpipe (stopOnError)" : "");
			drop_conn(w);
			if (w->tp->stop_on_error && err == IGW_EAUTH)
				w->stopped = 1;
			else
				nap(s->e, w->tp->error_poll_ms);
			break;
		}
		int ended = 0;
		if (w->res.reply.has_cor) {
			rc = handle_sync(w);
			ended = single(w->tp);
			if (rc == IGW_OK && !ended)
				rc = imsc_conn_read_reply(w->conn, igw_deadline_after(w->tp->poll_timer_ms + 5000),
				                          &w->res);
		} else {
			int nak = 0;
			rc = handle_async(w, &nak);
			ended = nak || single(w->tp);
			if (rc == IGW_OK && nak && !single(w->tp))
				drop_conn(w);	/* a NAK ends AUTO/NOAUTO flows */
		}
		if (rc == IGW_OK && ended)
			break;
		if (rc == IGW_OK && stopping(s->e)) {
			/* more output may be on its way: end the flow cleanly by
			 * closing; IMS keeps what it had not delivered */
			drop_conn(w);
			break;
		}
	}
}

static void *worker_main(void *arg)
{
	struct co_worker *w = arg;
	struct co_svc *s = w->svc;
	while (!stopping(s->e) && !w->stopped) {
		int64_t wait = 0;
		if (w->tp->kinds & IGW_CO_ASYNC) {
			pthread_mutex_lock(&s->mu);
			wait = s->not_before ? s->not_before - igw_mono_ms() : 0;
			pthread_mutex_unlock(&s->mu);
		}
		if (wait > 0)
			nap(s->e, wait > 1000 ? 1000 : wait);
		else
			poll_once(w);
	}
	drop_conn(w);
	return NULL;
}

static void engine_free(struct igw_callout_engine *e)
{
	for (unsigned i = 0; i < e->nworkers; i++) {
		struct co_worker *w = &e->workers[i];
		drop_conn(w);
		igw_out_client_free(w->http);
		imsc_result_free(&w->res);
		igw_buf_free(&w->msg);
		igw_buf_free(&w->reply);
	}
	for (unsigned i = 0; i < e->nsvcs; i++) {
		igw_wss_policy_free(e->svcs[i].parse);
		free(e->svcs[i].attempts);
		pthread_mutex_destroy(&e->svcs[i].mu);
		pthread_cond_destroy(&e->svcs[i].cv);
	}
	free(e->workers);
	free(e->svcs);
	pthread_mutex_destroy(&e->mu);
	pthread_cond_destroy(&e->cv);
	igw_provider_unref(e->p);
	free(e);
}

int igw_callout_engine_start(struct igw_provider *p, struct igw_callout_engine **out)
{
	int rc = IGW_OK;
	const struct igw_site *site = igw_provider_site(p);
	const struct igw_callout_set *set = &site->callouts;
	struct igw_callout_engine *e = calloc(1, sizeof(*e));
	unsigned nw = 0;
	*out = NULL;
	if (!e)
		return IGW_ENOMEM;
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->cv, NULL);
	igw_provider_ref(p);
	e->p = p;
	for (unsigned i = 0; i < set->count; i++)
		for (unsigned t = 0; t < set->callouts[i].ntpipes; t++)
			nw += set->callouts[i].tpipes[t].workers;
	e->svcs = calloc(set->count ? set->count : 1, sizeof(*e->svcs));
	e->workers = calloc(nw ? nw : 1, sizeof(*e->workers));
	if (!e->svcs || !e->workers)
		rc = IGW_ENOMEM;
	for (unsigned i = 0; rc == IGW_OK && i < set->count; i++) {
		struct co_svc *s = &e->svcs[e->nsvcs++];
		s->e = e;
		s->c = &set->callouts[i];
		s->respool = igw_provider_pool(p, s->c->bundle);
		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->cv, NULL);
		s->attempts = calloc(IGW_CALLOUT_ATTEMPTS_TRACKED, sizeof(*s->attempts));
		rc = s->attempts ? igw_callout_parse_policy(&s->parse) : IGW_ENOMEM;
		for (unsigned t = 0; rc == IGW_OK && t < s->c->ntpipes; t++) {
			for (unsigned k = 0; rc == IGW_OK && k < s->c->tpipes[t].workers; k++) {
				struct co_worker *w = &e->workers[e->nworkers++];
				w->svc = s;
				w->tp = &s->c->tpipes[t];
				w->index = k;
				imsc_result_init(&w->res, 0);
				igw_buf_init(&w->msg, IGW_CALLOUT_MSG_MAX);
				igw_buf_init(&w->reply, IGW_CALLOUT_MSG_MAX);
				rc = igw_out_client_new(&s->c->target, &w->http);
			}
		}
		if (rc != IGW_OK)
			igw_log_error(NULL, "callout %s: cannot start: %s", s->c->name, igw_strerror(rc));
	}
	for (unsigned i = 0; rc == IGW_OK && i < e->nworkers; i++) {
		if (pthread_create(&e->workers[i].thread, NULL, worker_main, &e->workers[i]) != 0)
			rc = IGW_ENOMEM;
		else
			e->workers[i].started = 1;
	}
	if (rc == IGW_OK) {
		for (unsigned i = 0; i < e->nsvcs; i++)
			igw_log_info(NULL, "callout %s: serving %u tpipe%s of bundle %s -> %s",
			             e->svcs[i].c->name, e->svcs[i].c->ntpipes,
			             e->svcs[i].c->ntpipes == 1 ? "" : "s", e->svcs[i].c->bundle->name,
			             e->svcs[i].c->url);
		*out = e;
	} else {
		igw_callout_engine_stop(e, 1);
	}
	return rc;
}

static void *reaper(void *arg)
{
	igw_callout_engine_stop(arg, 1);
	return NULL;
}

void igw_callout_engine_stop(struct igw_callout_engine *e, int wait)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->mu);
	e->stopping = 1;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
	if (!wait) {
		pthread_t t;
		pthread_attr_t a;
		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &a, reaper, e) != 0)
			wait = 1;	/* no thread: do it here */
		pthread_attr_destroy(&a);
	}
	if (wait) {
		for (unsigned i = 0; i < e->nworkers; i++)
			if (e->workers[i].started)
				pthread_join(e->workers[i].thread, NULL);
		engine_free(e);
	}
}
