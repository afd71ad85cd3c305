/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The imsconnect client library against the real imsconnect-sim: every
 * interaction style, security outcomes, timers, sync callout with a second
 * and third connection acting as the callout client, CANCEL TIMER, TLS, and
 * a pool of 8 (with the throughput printed).
 *
 *   sim-client-test SIMBIN SIMCONF CADIR
 *
 * Starts the simulator on free ports (--port-file), stops it with SIGTERM
 * and requires exit status 0.  Prints "N passed, N failed".
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include "imsgw/core.h"
#include "imsconnect/client.h"
#include "imsconnect/ebcdic.h"

static unsigned g_pass, g_fail;
static unsigned g_port, g_tls_port;
static const char *g_cadir;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "  check failed %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		*failed = 1; \
		return; \
	} \
} while (0)

/* ------------------------------------------------------------- helpers */

static pid_t sim_start(const char *bin, const char *conf, char *dir)
{
	char pf[512], logf[512], ports[64] = "";
	snprintf(pf, sizeof(pf), "%s/ports", dir);
	snprintf(logf, sizeof(logf), "%s/sim.log", dir);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(logf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(bin, bin, "-c", conf, "-p", "0", "--tls-port", "0", "--port-file", pf,
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && pid > 0; i++) {
		FILE *f = fopen(pf, "r");
		if (f) {
			int n = fscanf(f, "%u %u", &g_port, &g_tls_port);
			fclose(f);
			if (n == 2)
				return pid;
		}
		snprintf(ports, sizeof(ports), "waiting");
		usleep(10000);
	}
	fprintf(stderr, "simulator did not start (%s)\n", ports);
	return -1;
}

static int sim_stop(pid_t pid)
{
	int st = 0;
	kill(pid, SIGTERM);
	for (int i = 0; i < 1000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

static void endpoint(struct imsc_endpoint *ep, bool tls)
{
	static char ca[1024];
	imsc_endpoint_init(ep);
	ep->host = "127.0.0.1";
	ep->port = (uint16_t)(tls ? g_tls_port : g_port);
	snprintf(ep->datastore, sizeof(ep->datastore), "IMS1");
	snprintf(ep->clientid_prefix, sizeof(ep->clientid_prefix), "TCL");
	if (tls) {
		snprintf(ca, sizeof(ca), "%s/ca.crt", g_cadir);
		ep->tls.enabled = true;
		ep->tls.ca_file = ca;
		ep->tls.server_name = "localhost";
	}
}

static void irm_for(struct imsc_irm *irm, const char *tran, const char *user, const char *pw)
{
	imsc_irm_init(irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	snprintf(irm->trncod, sizeof(irm->trncod), "%s", tran);
	snprintf(irm->userid, sizeof(irm->userid), "%s", user);
	snprintf(irm->password, sizeof(irm->password), "%s", pw);
}

/* Latin-1 text to an EBCDIC segment held in buf. */
static struct imsc_seg seg_text(uint8_t *buf, const char *text)
{
	size_t n = strlen(text);
	imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, text, n, buf);
	return (struct imsc_seg){ .data = buf, .len = n };
}

/* Reply data as Latin-1 text. */
static void reply_text(const struct imsc_result *res, char *out, size_t cap)
{
	struct igw_buf b;
	out[0] = '\0';
	if (igw_buf_init(&b, 1u << 20) == 0 && imsc_result_data(res, &b) == 0) {
		size_t n = b.len < cap - 1 ? b.len : cap - 1;
		imsc_ebcdic_to_latin1(IMSC_EBCDIC_037, b.data, n, out);
		out[n] = '\0';
	}
	igw_buf_free(&b);
}

static int64_t dl(unsigned ms) { return igw_deadline_after(ms); }

static struct imsc_conn *open_conn(const char *cid, bool tls)
{
	struct imsc_endpoint ep;
	struct imsc_conn *c = NULL;
	endpoint(&ep, tls);
	if (imsc_conn_open(&ep, cid, dl(5000), &c) != 0)
		c = NULL;
	return c;
}

static void ivtno_record(char *rec, const char *cmd, const char *last, const char *first,
                         const char *ext, const char *zip)
{
	snprintf(rec, 56, "%-10s%-8s%-10s%-10s%-10s%-7s", "IVTNO", cmd, last, first, ext, zip);
}

/* --------------------------------------------------------------- tests */

static void t_ping(int *failed)
{
	struct imsc_conn *c = open_conn(NULL, false);
	CHECK(c);
	CHECK(imsc_ping(c, dl(5000)) == 0);
	CHECK(imsc_ping(c, dl(5000)) == 0);
	imsc_conn_close(c);
}

static void t_sendrecv_ivtno(int *failed)
{
	struct imsc_conn *c = open_conn(NULL, false);
	struct imsc_irm irm;
	struct imsc_result res;
	uint8_t buf[64];
	char rec[64], text[256];
	CHECK(c);
	imsc_result_init(&res, 0);
	irm_for(&irm, "IVTNO", "USER01", "PASS01");
	ivtno_record(rec, "DISPLAY", "LAST4", "", "", "");
	struct imsc_seg s = seg_text(buf, rec);
	int rc = imsc_sendrecv(c, &irm, &s, 1, dl(5000), &res);
	reply_text(&res, text, sizeof(text));
	imsc_irm_wipe(&irm);
	imsc_result_free(&res);
	imsc_conn_close(c);
	CHECK(rc == 0);
	CHECK(!strncmp(text, "ENTRY WAS DISPLAYED", 19));
	CHECK(strstr(text, "FIRST4") && strstr(text, "8-111-4444"));
}

static void t_security(int *failed)
{
	struct imsc_conn *c = open_conn(NULL, false);
	struct imsc_irm irm;
	struct imsc_result res;
	uint8_t buf[64];
	CHECK(c);
	imsc_result_init(&res, 0);
	irm_for(&irm, "ECHO", "USER01", "WRONG");
	struct imsc_seg s = seg_text(buf, "ECHO X");
	int rc = imsc_sendrecv(c, &irm, &s, 1, dl(5000), &res);
	bool ok = rc == 0 && res.reply.has_rsm && res.reply.rsm.retcod == 8 &&
	          res.reply.rsm.rsncod == 40 && res.reply.rsm.racfrc == 8 &&
	          imsc_result_error(&res) == IGW_EAUTH;
	imsc_conn_close(c);
	imsc_result_free(&res);
	CHECK(ok);
	/* revoked */
	c = open_conn(NULL, false);
	CHECK(c);
	imsc_result_init(&res, 0);
	irm_for(&irm, "ECHO", "REVOKED1", "PASS03");
	rc = imsc_sendrecv(c, &irm, &s, 1, dl(5000), &res);
	ok = rc == 0 && res.reply.has_rsm && res.reply.rsm.racfrc == 0x1C;
	imsc_conn_close(c);
	imsc_result_free(&res);
	CHECK(ok);
	/* not authorized for the transaction under OTMA FULL */
	c = open_conn(NULL, false);
	CHECK(c);
	imsc_result_init(&res, 0);
	irm_for(&irm, "ADMONLY", "USER02", "PASS02");
	s = seg_text(buf, "ADMONLY X");
	rc = imsc_sendrecv(c, &irm, &s, 1, dl(5000), &res);
	ok = rc == 0 && res.reply.has_rsm && res.reply.rsm.retcod == 16;
	imsc_conn_close(c);
	imsc_result_free(&res);
	imsc_irm_wipe(&irm);
	CHECK(ok);
}

static void t_confirm(int *failed)
{
	struct imsc_conn *c = open_conn(NULL, false);
	struct imsc_irm irm;
	struct imsc_result res, fin;
	uint8_t buf[64];
	char rec[64], text[256];
	CHECK(c);
	for (int nak = 0; nak < 2; nak++) {
		imsc_result_init(&res, 0);
		imsc_result_init(&fin, 0);
		irm_for(&irm, "IVTNO", "USER01", "PASS01");
		ivtno_record(rec, "ADD", nak ? "CLNAK" : "CLACK", "F", "1", "Z");
		struct imsc_seg s = seg_text(buf, rec);
		int rc = imsc_sendrecv_confirm(c, &irm, &s, 1,
		                               nak ? IMSC_CONFIRM_NAK : IMSC_CONFIRM_ACK,
		                               dl(5000), &res, &fin);
		bool ok = rc == 0 && fin.have && fin.reply.has_rsm &&
		          fin.reply.rsm.rsncod == (nak ? 98u : 97u);
		imsc_result_free(&res);
		imsc_result_free(&fin);
		if (!ok) {
			imsc_conn_close(c);
			CHECK(ok);
		}
		if (!imsc_conn_reusable(c)) {
			imsc_conn_close(c);
			c = open_conn(NULL, false);
			CHECK(c);
		}
	}
	/* ACK committed, NAK backed out */
	for (int nak = 0; nak < 2; nak++) {
		imsc_result_init(&res, 0);
		irm_for(&irm, "IVTNO", "USER01", "PASS01");
		ivtno_record(rec, "DISPLAY", nak ? "CLNAK" : "CLACK", "", "", "");
		struct imsc_seg s = seg_text(buf, rec);
		int rc = imsc_sendrecv(c, &irm, &s, 1, dl(5000), &res);
		reply_text(&res, text, sizeof(text));
		imsc_result_free(&res);
		if (rc != 0)
			imsc_conn_close(c);
		CHECK(rc == 0);
		CHECK(!strncmp(text, nak ? "SPECIFIED PERSON WAS NOT FOUND" : "ENTRY WAS DISPLAYED",
		               nak ? 30 : 19));
	}
	imsc_irm_wipe(&irm);
	imsc_conn_close(c);
}

static void t_cm0(int *failed)
{
	struct imsc_conn *c = open_conn(NULL, false);
	struct imsc_irm irm;
	struct imsc_result res, fin;
	uint8_t buf[64], t1;
	char text[256];
	CHECK(c);
	/* NOWAIT ACK: no final message, the socket goes on */
	imsc_result_init(&res, 0);
	imsc_result_init(&fin, 0);
	irm_for(&irm, "ECHO", "USER01", "PASS01");
	struct imsc_seg s = seg_text(buf, "ECHO CM0");
	int rc = imsc_sendrecv_cm0(c, &irm, &s, 1, true, 0, dl(5000), &res, &fin);
	reply_text(&res, text, sizeof(text));
	imsc_result_free(&res);
	imsc_result_free(&fin);
	if (rc != 0)
		imsc_conn_close(c);
	CHECK(rc == 0 && !strncmp(text, "ECHO CM0", 8));
	CHECK(imsc_ping(c, dl(5000)) == 0);
	/* timer ACK: the final timeout RSM RC 40 keeps the socket */
	imsc_result_init(&res, 0);
	imsc_result_init(&fin, 0);
	imsc_timer_encode(500, &t1);
	irm_for(&irm, "ECHO", "USER01", "PASS01");
	rc = imsc_sendrecv_cm0(c, &irm, &s, 1, false, t1, dl(5000), &res, &fin);
	bool ok = rc == 0 && fin.have && fin.reply.has_rsm && fin.reply.rsm.retcod == 40;
	imsc_result_free(&res);
	imsc_result_free(&fin);
	imsc_irm_wipe(&irm);
	if (!ok)
		imsc_conn_close(c);
	CHECK(ok);
	CHECK(imsc_ping(c, dl(5000)) == 0);
	imsc_conn_close(c);
}

static void t_sendonly_resume(int *failed)
{
	struct imsc_conn *c = open_conn("CLSO1", false);
	struct imsc_irm irm;
	struct imsc_result res;
	uint8_t buf[64];
	char text[256];
	CHECK(c);
	imsc_result_init(&res, 0);
	irm_for(&irm, "ECHO", "USER01", "PASS01");
	struct imsc_seg s = seg_text(buf, "ECHO QUEUED");
	int rc = imsc_sendonly(c, &irm, &s, 1, true, dl(5000), &res);
	bool ok = rc == 0 && res.reply.has_csm;
	imsc_result_free(&res);
	imsc_conn_close(c);
	CHECK(ok);
	usleep(100000);
	c = open_conn("CLSO1", false);
	CHECK(c);
	imsc_result_init(&res, 0);
	irm_for(&irm, "", "USER01", "PASS01");
	rc = imsc_resume_tpipe(c, &irm, IMSC_F5_RT_SINGLE, 0, dl(5000), &res);
	reply_text(&res, text, sizeof(text));
	ok = rc == 0 && res.reply.has_csm && !strncmp(text, "ECHO QUEUEDUSERID=USER01", 24) &&
	     imsc_conn_ack_pending(c);
	if (!ok)
		fprintf(stderr, "  resume: rc=%d csm=%d rsm=%d text=\"%s\" pending=%d\n", rc,
		        res.reply.has_csm, res.reply.has_rsm, text, imsc_conn_ack_pending(c));
	imsc_result_free(&res);
	if (ok)
		ok = imsc_ack(c, IMSC_TIMER_V_NOWAIT, 0, dl(5000), NULL) == 0;
	if (ok)
		ok = imsc_ping(c, dl(5000)) == 0;
	imsc_irm_wipe(&irm);
	imsc_conn_close(c);
	CHECK(ok);
}

struct caller {
	char text[256];
	int rc;
	const char *tran;
	const char *data;
	uint8_t timer;
};

static void *caller_main(void *p)
{
	struct caller *k = p;
	struct imsc_conn *c = open_conn(NULL, false);
	struct imsc_irm irm;
	struct imsc_result res;
	uint8_t buf[128];
	k->rc = -1;
	if (c) {
		imsc_result_init(&res, 0);
		irm_for(&irm, k->tran, "USER01", "PASS01");
		irm.timer = k->timer;
		struct imsc_seg s = seg_text(buf, k->data);
		k->rc = imsc_sendrecv(c, &irm, &s, 1, dl(20000), &res);
		reply_text(&res, k->text, sizeof(k->text));
		if (res.have && res.reply.has_rsm)
			snprintf(k->text, sizeof(k->text), "RSM %u %u", res.reply.rsm.retcod,
			         res.reply.rsm.rsncod);
		imsc_result_free(&res);
		imsc_irm_wipe(&irm);
		imsc_conn_close(c);
	}
	return NULL;
}

static void t_sync_callout(int *failed)
{
	struct caller k = { .tran = "CALLSYNC", .data = "CALLSYNC QUOTE IBM" };
	pthread_t th;
	struct imsc_irm irm;
	struct imsc_result res;
	uint8_t tok[IMSC_CORTKN_LEN], buf[64];
	char text[256];
	bool ok;
	imsc_timer_encode(15000, &k.timer);
	CHECK(pthread_create(&th, NULL, caller_main, &k) == 0);
	/* the callout client: RESUME TPIPE SYNONLY on the descriptor's tpipe */
	struct imsc_conn *c = open_conn("CLPULL", false);
	if (c) {
		imsc_result_init(&res, 0);
		irm_for(&irm, "", "USER01", "PASS01");
		snprintf(irm.rerout, sizeof(irm.rerout), "SYNTPIPE");
		imsc_timer_encode(10000, &irm.timer);
		int rc = imsc_resume_tpipe(c, &irm, IMSC_F5_RT_SWAIT, IMSC_F0_SYNONLY, dl(12000),
		                           &res);
		reply_text(&res, text, sizeof(text));
		ok = rc == 0 && res.reply.has_cor && !strcmp(text, "QUOTE IBM");
		if (ok) {
			memcpy(tok, res.reply.cortkn, sizeof(tok));
			ok = imsc_ack(c, IMSC_TIMER_V_NOWAIT, 0, dl(5000), NULL) == 0;
		}
		imsc_result_free(&res);
		imsc_irm_wipe(&irm);
		imsc_conn_close(c);
	} else {
		ok = false;
	}
	/* the answer, from yet another connection */
	struct imsc_conn *r = ok ? open_conn("CLRESP", false) : NULL;
	if (r) {
		imsc_result_init(&res, 0);
		irm_for(&irm, "", "USER01", "PASS01");
		struct imsc_seg s = seg_text(buf, "PRICE 42");
		int rc = imsc_callout_respond(r, &irm, tok, s.data, s.len, true, dl(5000), &res);
		ok = rc == 0 && res.reply.has_csm;
		imsc_result_free(&res);
		imsc_irm_wipe(&irm);
		imsc_conn_close(r);
	} else {
		ok = false;
	}
	pthread_join(th, NULL);
	CHECK(ok);
	CHECK(k.rc == 0 && !strcmp(k.text, "CALLOUT RESPONSE: PRICE 42"));
}

struct waiter {
	char cid[IMSC_NAME_BUF];
	int rc;
	uint32_t retcod, rsncod;
};

static void *waiter_main(void *p)
{
	struct waiter *w = p;
	struct imsc_conn *c = open_conn(w->cid, false);
	struct imsc_irm irm;
	struct imsc_result res;
	w->rc = -1;
	if (c) {
		imsc_result_init(&res, 0);
		irm_for(&irm, "", "USER01", "PASS01");
		irm.timer = IMSC_TIMER_V_FOREVER;
		w->rc = imsc_resume_tpipe(c, &irm, IMSC_F5_RT_AUTO, 0, dl(15000), &res);
		if (res.have && res.reply.has_rsm) {
			w->retcod = res.reply.rsm.retcod;
			w->rsncod = res.reply.rsm.rsncod;
		}
		imsc_result_free(&res);
		imsc_irm_wipe(&irm);
		imsc_conn_close(c);
	}
	return NULL;
}

static void t_cancel_timer(int *failed)
{
	struct waiter w = { .cid = "CLWAIT" };
	pthread_t th;
	struct imsc_result res;
	CHECK(pthread_create(&th, NULL, waiter_main, &w) == 0);
	usleep(400000);
	struct imsc_conn *c = open_conn("CLCANC", false);
	bool ok = false;
	if (c) {
		imsc_result_init(&res, 0);
		int rc = imsc_cancel_timer(c, "CLWAIT", dl(5000), &res);
		ok = rc == 0 && res.reply.has_rsm && res.reply.rsm.retcod == 44 &&
		     res.reply.rsm.rsncod == 59;
		imsc_result_free(&res);
		imsc_conn_close(c);
	}
	pthread_join(th, NULL);
	CHECK(ok);
	CHECK(w.rc == 0 && w.retcod == 44 && w.rsncod == 59);
}

static void t_timer(int *failed)
{
	struct caller k = { .tran = "SLOW", .data = "SLOW T" };
	imsc_timer_encode(1000, &k.timer);
	caller_main(&k);
	CHECK(k.rc == 0 && !strcmp(k.text, "RSM 32 40"));	/* RSN = timer X'28' (1 s) */
}

static void t_tls(int *failed)
{
	struct imsc_conn *c = open_conn(NULL, true);
	CHECK(c);
	int rc = imsc_ping(c, dl(5000));
	imsc_conn_close(c);
	CHECK(rc == 0);
}

struct poolarg {
	struct imsc_pool *pool;
	unsigned n, ok;
};

static void *pool_main(void *p)
{
	struct poolarg *a = p;
	uint8_t buf[64];
	struct imsc_seg s = seg_text(buf, "ECHO POOL");
	for (unsigned i = 0; i < a->n; i++) {
		struct imsc_conn *c = NULL;
		struct imsc_irm irm;
		struct imsc_result res;
		if (imsc_pool_checkout(a->pool, dl(5000), &c) != 0)
			continue;
		imsc_result_init(&res, 0);
		irm_for(&irm, "ECHO", "USER01", "PASS01");
		if (imsc_sendrecv(c, &irm, &s, 1, dl(5000), &res) == 0 && res.reply.has_csm)
			a->ok++;
		imsc_result_free(&res);
		imsc_irm_wipe(&irm);
		imsc_pool_checkin(a->pool, c);
	}
	return NULL;
}

static void t_pool(int *failed)
{
	enum { THREADS = 8, EACH = 100 };
	struct imsc_endpoint ep;
	struct imsc_pool *pool = NULL;
	struct poolarg a[THREADS];
	pthread_t th[THREADS];
	struct imsc_pool_stats st;
	endpoint(&ep, false);
	ep.pool_max = 8;
	CHECK(imsc_pool_new(&ep, &pool) == 0);
	int64_t t0 = igw_mono_ms();
	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct poolarg){ .pool = pool, .n = EACH };
		pthread_create(&th[i], NULL, pool_main, &a[i]);
	}
	unsigned ok = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		ok += a[i].ok;
	}
	int64_t ms = igw_mono_ms() - t0;
	imsc_pool_stats(pool, &st);
	imsc_pool_free(pool);
	printf("  pool of 8: %u ECHO send-receive in %lld ms (%.0f msg/s), %lu connections\n",
	       ok, (long long)ms, ms > 0 ? ok * 1000.0 / (double)ms : 0.0, st.opened);
	CHECK(ok == THREADS * EACH);
	CHECK(st.opened <= 8);
}

static void t_one_connection(int *failed)
{
	enum { N = 1000 };
	struct imsc_conn *c = open_conn(NULL, false);
	uint8_t buf[64];
	unsigned ok = 0;
	CHECK(c);
	struct imsc_seg s = seg_text(buf, "ECHO ONE");
	int64_t t0 = igw_mono_ms();
	for (unsigned i = 0; i < N; i++) {
		struct imsc_irm irm;
		struct imsc_result res;
		imsc_result_init(&res, 0);
		irm_for(&irm, "ECHO", "USER01", "PASS01");
		if (imsc_sendrecv(c, &irm, &s, 1, dl(5000), &res) == 0 && res.reply.has_csm)
			ok++;
		imsc_result_free(&res);
		imsc_irm_wipe(&irm);
	}
	int64_t ms = igw_mono_ms() - t0;
	imsc_conn_close(c);
	printf("  one persistent connection: %u ECHO send-receive in %lld ms (%.0f msg/s)\n",
	       ok, (long long)ms, ms > 0 ? ok * 1000.0 / (double)ms : 0.0);
	CHECK(ok == N);
}

static void run(const char *name, void (*fn)(int *))
{
	int failed = 0;
	fn(&failed);
	if (failed) {
		g_fail++;
		printf("FAIL %s\n", name);
	} else {
		g_pass++;
		printf("ok   %s\n", name);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/simclient-XXXXXX";
	if (argc != 4) {
		fprintf(stderr, "usage: sim-client-test SIMBIN SIMCONF CADIR\n");
		return 2;
	}
	g_cadir = argv[3];
	signal(SIGPIPE, SIG_IGN);
	igw_log_setup(2, IGW_LOG_WARN, IGW_LOG_TEXT);
	if (!mkdtemp(dir))
		return 2;
	pid_t pid = sim_start(argv[1], argv[2], dir);
	if (pid < 0)
		return 1;
	run("client: PING", t_ping);
	run("client: send-receive CM1 IVTNO", t_sendrecv_ivtno);
	run("client: security outcomes", t_security);
	run("client: CM1 CONFIRM ACK/NAK", t_confirm);
	run("client: CM0 NOWAIT and timer ACK", t_cm0);
	run("client: send-only + RESUME TPIPE", t_sendonly_resume);
	run("client: sync callout round trip", t_sync_callout);
	run("client: CANCEL TIMER", t_cancel_timer);
	run("client: IRM timer expiry", t_timer);
	run("client: TLS", t_tls);
	run("client: one persistent connection", t_one_connection);
	run("client: pool of 8", t_pool);
	int st = sim_stop(pid);
	if (st != 0) {
		char cmd[600];
		printf("FAIL simulator exit status %d\n", st);
		snprintf(cmd, sizeof(cmd), "tail -40 %s/sim.log", dir);
		if (system(cmd) < 0)
			perror("system");
		g_fail++;
	} else {
		char f[600];
		snprintf(f, sizeof(f), "%s/sim.log", dir);
		unlink(f);
		snprintf(f, sizeof(f), "%s/ports", dir);
		unlink(f);
		rmdir(dir);
	}
	printf("%u passed, %u failed\n", g_pass, g_fail);
	return g_fail ? 1 : 0;
}
