/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "imsgw/core.h"
#include "listener.h"
#include "mhd_epoll_fix.h"

/* TLS 1.2 and 1.3 only, GnuTLS's secure defaults for ciphers. */
static char tls_priorities[] = "SECURE:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE";

struct conn_state;

struct igw_listener {
	const struct igw_listener_conf *conf;
	struct MHD_Daemon *mhd;
	igw_http_handler_fn handler;
	void *handler_ctx;
	unsigned port;
	/* request deadlines: every open connection, checked by the reaper */
	pthread_mutex_t conns_lock;
	pthread_cond_t reaper_cond;
	struct conn_state *conns;
	pthread_t reaper;
	int reaper_running, stopping;
};

/* Per TLS connection: the verified peer, computed once; the deadline by
 * which the current request (headers and body) must have arrived. */
struct conn_state {
	int checked;
	int ok;				/* policy satisfied */
	struct igw_client_identity id;
	int fd;
	int64_t deadline_ms;		/* 0: none (answer in progress) */
	struct conn_state *prev, *next;	/* in igw_listener.conns */
};

/* Set a connection's request deadline (0 clears it). */
static void set_deadline(struct igw_listener *l, struct conn_state *cs, int64_t deadline)
{
	pthread_mutex_lock(&l->conns_lock);
	cs->deadline_ms = deadline;
	pthread_mutex_unlock(&l->conns_lock);
}

/* libmicrohttpd's connection timeout is an idle timeout: a client sending one
 * byte at a time keeps a connection forever (slowloris).  The reaper gives
 * every request request-timeout seconds from the connection's start (or the
 * end of the previous request) to arrive whole; past that the socket is shut
 * down and libmicrohttpd closes the connection. */
static void *reaper_main(void *arg)
{
	struct igw_listener *l = arg;
	pthread_mutex_lock(&l->conns_lock);
	while (!l->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&l->reaper_cond, &l->conns_lock, &ts);
		int64_t now = igw_mono_ms();
		for (struct conn_state *cs = l->conns; cs; cs = cs->next) {
			if (cs->deadline_ms && now > cs->deadline_ms && cs->fd >= 0) {
				igw_log_info(NULL, "listener %s: request not received within %us: closing",
				             l->conf->name, l->conf->request_timeout_s);
				shutdown(cs->fd, SHUT_RDWR);
				cs->deadline_ms = 0;
			}
		}
	}
	pthread_mutex_unlock(&l->conns_lock);
	return NULL;
}

/* Per request.  req and resp must stay first-class members: a deferred
 * answer finds its req_state from their addresses. */
struct req_state {
	char reqid[IGW_REQUEST_ID_LEN + 1];
	struct igw_buf body;
	int too_large;
	size_t discarded;		/* body bytes dropped after too_large */
	int64_t started_ms;
	struct igw_http_request req;
	struct igw_http_response resp;
	struct MHD_Connection *conn;
	pthread_mutex_t lock;		/* deferred, suspended, done */
	int deferred, suspended, done;
};

struct igw_http_deferred *igw_http_defer(const struct igw_http_request *req,
                                         struct igw_http_response *resp)
{
	struct req_state *rs = (struct req_state *)((char *)resp - offsetof(struct req_state, resp));
	(void)req;
	pthread_mutex_lock(&rs->lock);
	rs->deferred = 1;
	pthread_mutex_unlock(&rs->lock);
	return (struct igw_http_deferred *)rs;
}

void igw_http_resume(struct igw_http_deferred *d)
{
	struct req_state *rs = (struct req_state *)d;
	struct MHD_Connection *conn = rs->conn;
	int resume;
	pthread_mutex_lock(&rs->lock);
	rs->done = 1;
	resume = rs->suspended;
	rs->suspended = 0;
	pthread_mutex_unlock(&rs->lock);
	/* After the resume the listener may answer and free rs at once: rs
	 * must not be touched from here on.  (Until the resume it cannot go:
	 * a suspended connection is neither timed out nor completed.) */
	if (resume)
		MHD_resume_connection(conn);
}

__attribute__((format(printf, 2, 0)))
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	igw_log_debug(NULL, "http: %s", msg);
}

static gnutls_session_t conn_tls(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	return ci ? (gnutls_session_t)ci->tls_session : NULL;
}

static void dn_of(gnutls_x509_crt_t crt, int issuer, char *out, size_t outlen)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &d, 0)
	                : gnutls_x509_crt_get_dn3(crt, &d, 0);
	out[0] = 0;
	if (rc == GNUTLS_E_SUCCESS && d.data) {
		snprintf(out, outlen, "%.*s", (int)d.size, (const char *)d.data);
		gnutls_free(d.data);
	}
}

static void fingerprint_of(gnutls_x509_crt_t crt, char *out, size_t outlen)
{
	unsigned char md[32];
	size_t n = sizeof(md);
	static const char hex[] = "0123456789abcdef";
	out[0] = 0;
	if (outlen >= 7 + 2 * sizeof(md) + 1 &&
	    gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, md, &n) == GNUTLS_E_SUCCESS &&
	    n == sizeof(md)) {
		memcpy(out, "sha256:", 7);
		for (size_t i = 0; i < n; i++) {
			out[7 + 2 * i] = hex[md[i] >> 4];
			out[8 + 2 * i] = hex[md[i] & 15];
		}
		out[7 + 2 * n] = 0;
	}
}

/* Decide once per connection whether the peer satisfies the listener policy.
 * The handshake already verified any certificate sent (verify_client); this
 * repeats the verification as a second line and extracts the subject. */
static void check_peer(const struct igw_listener *l, struct MHD_Connection *c,
                       struct conn_state *cs)
{
	gnutls_session_t s = conn_tls(c);
	unsigned n = 0;
	const gnutls_datum_t *certs = s ? gnutls_certificate_get_peers(s, &n) : NULL;
	cs->checked = 1;
	cs->ok = 0;
	if (!s) {
		igw_log_warn(NULL, "listener %s: connection without TLS session", l->conf->name);
	} else if (!certs || n == 0) {
		cs->ok = l->conf->client_cert != IGW_CLIENT_CERT_REQUIRED;
	} else if (l->conf->client_cert == IGW_CLIENT_CERT_NONE) {
		cs->ok = 1;	/* not requested; ignore whatever came */
	} else {
		unsigned status = 0;
		gnutls_x509_crt_t crt = NULL;
		gnutls_typed_vdata_st purpose[] = {
			{ GNUTLS_DT_KEY_PURPOSE_OID,
			  (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_CLIENT, 0 },
		};
		if (gnutls_certificate_verify_peers(s, purpose, 1, &status) != GNUTLS_E_SUCCESS ||
		    status != 0) {
			igw_log_info(NULL, "listener %s: client certificate rejected (status 0x%x)",
			             l->conf->name, status);
		} else if (gnutls_x509_crt_init(&crt) == GNUTLS_E_SUCCESS &&
		           gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS) {
			dn_of(crt, 0, cs->id.subject, sizeof(cs->id.subject));
			dn_of(crt, 1, cs->id.issuer, sizeof(cs->id.issuer));
			fingerprint_of(crt, cs->id.fingerprint, sizeof(cs->id.fingerprint));
			cs->id.has_cert = 1;
			cs->ok = 1;
		}
		if (crt)
			gnutls_x509_crt_deinit(crt);
	}
}

/* Handshake-time verification of the client certificate (GnuTLS calls this
 * when the peer's certificate message has been received).  Any certificate
 * sent must chain to client-ca, be inside its validity period and allow TLS
 * client authentication; a listener with client-cert required also refuses a
 * handshake without one.  Returning non-zero fails the handshake. */
static int verify_client(gnutls_session_t s)
{
	const struct igw_listener *l = gnutls_session_get_ptr(s);
	unsigned n = 0, status = 0;
	int rc = -1;
	gnutls_typed_vdata_st purpose[] = {
		{ GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_CLIENT, 0 },
	};
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || n == 0) {
		rc = l->conf->client_cert == IGW_CLIENT_CERT_REQUIRED ? -1 : 0;
		if (rc)
			igw_log_info(NULL, "listener %s: TLS handshake refused: no client certificate",
			             l->conf->name);
	} else if (gnutls_certificate_verify_peers(s, purpose, 1, &status) == GNUTLS_E_SUCCESS &&
	           status == 0) {
		rc = 0;
	} else {
		gnutls_datum_t why = { NULL, 0 };
		gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &why, 0);
		igw_log_info(NULL, "listener %s: TLS handshake refused: client certificate: %s",
		             l->conf->name, why.data ? (const char *)why.data : "invalid");
		gnutls_free(why.data);
	}
	return rc;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct igw_listener *l = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		gnutls_session_t s = conn_tls(c);
		struct conn_state *cs = calloc(1, sizeof(struct conn_state));
		*socket_context = cs;
		if (cs) {
			const union MHD_ConnectionInfo *fi =
				MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
			cs->fd = fi ? fi->connect_fd : -1;
			pthread_mutex_lock(&l->conns_lock);
			cs->deadline_ms = igw_deadline_after((int64_t)l->conf->request_timeout_s * 1000);
			cs->next = l->conns;
			if (l->conns)
				l->conns->prev = cs;
			l->conns = cs;
			pthread_mutex_unlock(&l->conns_lock);
		}
		if (s && l->conf->client_cert != IGW_CLIENT_CERT_NONE) {
			gnutls_session_set_ptr(s, l);
			gnutls_certificate_server_set_request(s,
				l->conf->client_cert == IGW_CLIENT_CERT_REQUIRED ?
				GNUTLS_CERT_REQUIRE : GNUTLS_CERT_REQUEST);
			gnutls_session_set_verify_function(s, verify_client);
		}
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		struct conn_state *cs = *socket_context;
		if (cs) {
			pthread_mutex_lock(&l->conns_lock);
			if (cs->prev)
				cs->prev->next = cs->next;
			else
				l->conns = cs->next;
			if (cs->next)
				cs->next->prev = cs->prev;
			pthread_mutex_unlock(&l->conns_lock);
		}
		free(cs);
		*socket_context = NULL;
	}
}

void igw_http_error(struct igw_http_response *resp, const char *reason, const char *reqid)
{
	const struct igw_reason *r = igw_reason_find(reason);
	if (!r)
		r = igw_reason_find("GW-INTERNAL");
	resp->status = (unsigned)r->http_status;
	resp->content_type = "application/json";
	resp->reason = r->code;
	igw_buf_reset(&resp->body);
	/* codes and texts are fixed ASCII without quotes; reqid is hex */
	igw_buf_printf(&resp->body, "{\"reason\":\"%s\",\"text\":\"%s\",\"request\":\"%s\"}\n",
	               r->code, r->text, reqid ? reqid : "");
}

static enum MHD_Result send_response(struct igw_listener *l, struct MHD_Connection *c,
                                     struct req_state *rs, const char *method, const char *url,
                                     const struct conn_state *cs, struct igw_http_response *resp)
{
	enum MHD_Result ret = MHD_NO;
	size_t len = 0;
	uint8_t *body = igw_buf_steal(&resp->body, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(
		len, body, free);
	if (!r) {
		free(body);
	} else {
		MHD_add_response_header(r, "Content-Type",
		                        resp->content_type ? resp->content_type : "text/plain");
		MHD_add_response_header(r, "X-Request-Id", rs->reqid);
		MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
		MHD_add_response_header(r, "Cache-Control", "no-store");
		if (resp->reason)
			MHD_add_response_header(r, "X-Imsgw-Reason", resp->reason);
		ret = MHD_queue_response(c, resp->status, r);
		MHD_destroy_response(r);
	}
	igw_log_info(rs->reqid, "%s %s %s -> %u%s%s %zu bytes %lldms client=\"%s\"",
	             l->conf->name, method, url, resp->status, resp->reason ? " " : "",
	             resp->reason ? resp->reason : "", len,
	             (long long)(igw_mono_ms() - rs->started_ms),
	             cs && cs->id.has_cert ? cs->id.subject : "-");
	return ret;
}

static int has_arg(struct MHD_Connection *c, const char *key)
{
	const char *v = NULL;
	size_t vlen = 0;
	return MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, key, strlen(key),
	                                     &v, &vlen) == MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	struct igw_listener *l = cls;
	struct req_state *rs = *con_cls;
	const union MHD_ConnectionInfo *sci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_state *cs = sci ? sci->socket_context : NULL;
	enum MHD_Result ret = MHD_YES;
	int respond = 0;

	if (!rs) {
		/* First call for this request: headers are in. */
		rs = calloc(1, sizeof(*rs));
		if (!rs || !cs) {
			free(rs);
			return MHD_NO;
		}
		*con_cls = rs;
		pthread_mutex_init(&rs->lock, NULL);
		rs->conn = c;
		rs->started_ms = igw_mono_ms();
		igw_request_id_new(rs->reqid);
		igw_buf_init(&rs->body, l->conf->max_body);
		igw_buf_init(&rs->resp.body, IGW_HTTP_BODY_MAX);
		if (!cs->checked)
			check_peer(l, c, cs);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (!cs->ok) {
			igw_http_error(&rs->resp, "GW-CLIENT-CERT", rs->reqid);
			respond = 1;
		} else if (cl && strtoull(cl, NULL, 10) > l->conf->max_body) {
			igw_http_error(&rs->resp, "GW-TOO-LARGE", rs->reqid);
			respond = 1;
		}
	} else if (*upload_data_size > 0) {
		/* MHD cannot answer in the middle of a body, so a body over
		 * max-body is drained (not stored) and answered 413 at its end; a
		 * body that goes on past IGW_HTTP_DISCARD_MAX more bytes gets the
		 * connection closed instead. */
		if (!rs->too_large &&
		    igw_buf_append(&rs->body, upload_data, *upload_data_size) != IGW_OK) {
			rs->too_large = 1;
			igw_buf_free(&rs->body);
		}
		if (rs->too_large) {
			rs->discarded += *upload_data_size;
			if (rs->discarded > IGW_HTTP_DISCARD_MAX) {
				igw_log_info(rs->reqid, "%s %s %s: body too large, closing connection",
				             l->conf->name, method, url);
				ret = MHD_NO;
			}
		}
		*upload_data_size = 0;
	} else if (rs->too_large) {
		igw_http_error(&rs->resp, "GW-TOO-LARGE", rs->reqid);
		respond = 1;
	} else if (rs->deferred) {
		/* resumed: the deferred work has filled rs->resp */
		respond = rs->done;
	} else {
		rs->req = (struct igw_http_request){
			.reqid = rs->reqid,
			.listener = l->conf->name,
			.method = method,
			.path = url,
			.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"),
			.soap_action = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "SOAPAction"),
			.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host"),
			.traceparent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "traceparent"),
			.query_wsdl = has_arg(c, "wsdl") || has_arg(c, "WSDL"),
			.client = &cs->id,
			.body = rs->body.data ? rs->body.data : (const uint8_t *)"",
			.body_len = rs->body.len,
		};
		rs->resp.status = 500;
		l->handler(l->handler_ctx, &rs->req, &rs->resp);
		pthread_mutex_lock(&rs->lock);
		if (rs->deferred && !rs->done) {
			MHD_suspend_connection(c);
			rs->suspended = 1;
			set_deadline(l, cs, 0);	/* the answer's own deadlines apply */
		} else {
			respond = 1;
		}
		pthread_mutex_unlock(&rs->lock);
	}
	if (respond && ret == MHD_YES)
		ret = send_response(l, c, rs, method, url, cs, &rs->resp);
	(void)version;
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct igw_listener *l = cls;
	struct req_state *rs = *con_cls;
	const union MHD_ConnectionInfo *sci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_state *cs = sci ? sci->socket_context : NULL;
	if (cs)		/* the next request on this connection gets a fresh period */
		set_deadline(l, cs, igw_deadline_after((int64_t)l->conf->request_timeout_s * 1000));
	if (rs) {
		if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
			igw_log_debug(rs->reqid, "request ended early (code %d)", (int)toe);
		igw_buf_free(&rs->body);
		igw_buf_free(&rs->resp.body);
		pthread_mutex_destroy(&rs->lock);
		free(rs);
		*con_cls = NULL;
	}
}

static int make_addr(const char *address, unsigned port, struct sockaddr_storage *ss,
                     int *ipv6)
{
	int rc = IGW_OK;
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	const char *a = strcmp(address, "localhost") == 0 ? "127.0.0.1" : address;
	*ipv6 = 0;
	if (inet_pton(AF_INET, a, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, a, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*ipv6 = 1;
	} else {
		rc = IGW_EINVAL;
	}
	return rc;
}

int igw_listener_start(const struct igw_listener_conf *conf, igw_http_handler_fn handler,
                       void *handler_ctx, struct igw_listener **out)
{
	struct sockaddr_storage ss;
	int ipv6 = 0;
	int rc = IGW_OK;
	struct igw_listener *l = calloc(1, sizeof(*l));
	*out = NULL;
	if (!l) {
		rc = IGW_ENOMEM;
	} else if ((rc = make_addr(conf->address, conf->port, &ss, &ipv6)) != IGW_OK) {
		igw_log_error(NULL, "listener %s: bad address %s", conf->name, conf->address);
	} else {
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TLS |
		                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
		if (ipv6)
			flags |= MHD_USE_IPv6;
		l->conf = conf;
		l->handler = handler;
		l->handler_ctx = handler_ctx;
		pthread_mutex_init(&l->conns_lock, NULL);
		pthread_cond_init(&l->reaper_cond, NULL);
		l->reaper_running = pthread_create(&l->reaper, NULL, reaper_main, l) == 0;
		struct MHD_OptionItem ops[] = {
			{ MHD_OPTION_HTTPS_MEM_CERT, 0, conf->tls_cert_pem },
			{ MHD_OPTION_HTTPS_MEM_KEY, 0, conf->tls_key_pem },
			{ MHD_OPTION_HTTPS_PRIORITIES, 0, tls_priorities },
			{ conf->client_ca_pem && conf->client_cert != IGW_CLIENT_CERT_NONE ?
			  MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0, conf->client_ca_pem },
			{ MHD_OPTION_END, 0, NULL },
		};
		if (!igw_mhd_epoll_fix_active())
			igw_log_warn(NULL, "listener %s: the epoll_wait replacement is not in effect: "
			             "a burst of exactly 128 requests on one listener thread may wait "
			             "for connection-timeout (gateway/mhd_epoll_fix.h)", conf->name);
		l->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, l,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, l,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			MHD_OPTION_CONNECTION_LIMIT, conf->max_connections,
			MHD_OPTION_PER_IP_CONNECTION_LIMIT, conf->per_ip_connections,
			MHD_OPTION_CONNECTION_TIMEOUT, conf->connection_timeout_s,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)conf->connection_memory,
			MHD_OPTION_THREAD_POOL_SIZE, conf->threads,
			MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
			MHD_OPTION_NOTIFY_CONNECTION, on_connection, l,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, l,
			MHD_OPTION_ARRAY, ops,
			MHD_OPTION_END);
		if (!l->mhd) {
			igw_log_error(NULL, "listener %s: cannot start on %s port %u "
			              "(port in use, or unusable TLS certificate/key)",
			              conf->name, conf->address, conf->port);
			rc = IGW_EIO;
		} else {
			const union MHD_DaemonInfo *di = MHD_get_daemon_info(l->mhd, MHD_DAEMON_INFO_BIND_PORT);
			l->port = di ? di->port : conf->port;
			igw_log_info(NULL, "listener %s: https://%s%s%s:%u/ (client certificate %s)",
			             conf->name, ipv6 ? "[" : "", conf->address, ipv6 ? "]" : "", l->port,
			             conf->client_cert == IGW_CLIENT_CERT_REQUIRED ? "required" :
			             conf->client_cert == IGW_CLIENT_CERT_OPTIONAL ? "optional" : "not requested");
		}
	}
	if (rc == IGW_OK) {
		*out = l;
	} else if (l) {
		l->mhd = NULL;
		igw_listener_stop(l);
	}
	return rc;
}

void igw_listener_quiesce(struct igw_listener *l)
{
	if (l && l->mhd) {
		MHD_socket s = MHD_quiesce_daemon(l->mhd);
		if (s != MHD_INVALID_SOCKET)
			close(s);
	}
}

void igw_listener_stop(struct igw_listener *l)
{
	if (l) {
		if (l->mhd)
			MHD_stop_daemon(l->mhd);
		if (l->reaper_running) {
			pthread_mutex_lock(&l->conns_lock);
			l->stopping = 1;
			pthread_cond_signal(&l->reaper_cond);
			pthread_mutex_unlock(&l->conns_lock);
			pthread_join(l->reaper, NULL);
		}
		if (l->conf) {
			pthread_cond_destroy(&l->reaper_cond);
			pthread_mutex_destroy(&l->conns_lock);
		}
		free(l);
	}
}

unsigned igw_listener_port(const struct igw_listener *l)
{
	return l->port;
}
