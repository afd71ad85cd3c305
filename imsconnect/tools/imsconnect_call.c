/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * imsconnect-call: a small command line client for IMS Connect (think curl):
 * send a transaction, resume a tpipe, ping, print PassTickets.  Replies are
 * shown decoded and in hex.  Exit status: 0 success (CSM), 2 IMS Connect
 * answered with an RSM, 1 any other failure, 64 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imsgw/core.h"
#include "imsconnect/client.h"
#include "imsconnect/codec.h"
#include "imsconnect/ebcdic.h"
#include "imsconnect/passticket.h"

#define EX_OK 0
#define EX_FAIL 1
#define EX_RSM 2
#define EX_USAGE 64

struct opts {
	struct imsc_endpoint ep;
	const char *clientid;
	const char *user, *group, *password_file, *appl;
	const char *pt_key_file;
	int pt_type;			/* -1: no PassTicket */
	int64_t pt_time;		/* -1: now */
	unsigned timeout_ms;
	int page;			/* EBCDIC page for text data */
	bool raw_text;			/* send text bytes untranslated */
	const char *data_hex;
	bool no_prefix;
	int commit;			/* 0 or 1 */
	bool confirm, nak, sendonly, nowait;
	int rt_option;
	uint8_t syn;
	const char *tpipe;
	int count;
	int connections;
	const char *reply_text;
	int err_rsn;
	bool quiet_hex;
};

static void usage(FILE *f)
{
	fputs(
"usage: imsconnect-call [options] send TRANCODE [TEXT]\n"
"       imsconnect-call [options] resume [--tpipe NAME] [--option single|swait|noauto|auto]\n"
"                                        [--synonly|--synasyn] [--count N] [--nak]\n"
"       imsconnect-call [options] ping\n"
"       imsconnect-call [options] callout --tpipe NAME [--reply TEXT | --error RSN] [--count N]\n"
"       imsconnect-call [options] bench [--connections N] [--count M] TRANCODE [TEXT]\n"
"       imsconnect-call passticket --user U --appl A --key-file F [--time EPOCH]\n"
"                                  [--enhanced [--mixed]]\n"
"\n"
"connection:  --host H (127.0.0.1)  --port P (9999)  --timeout MS (10000, one total deadline)\n"
"             --tls --ca FILE [--cert FILE --key FILE] [--servername NAME]\n"
"             --client-id ID | --client-prefix P   --datastore NAME   --sample (HWSSMPL0)\n"
"             --ascii (IRM character fields in ASCII; IMS Connect translates)\n"
"             --transaction-socket (IRM_SOCT X'00' instead of persistent X'10')\n"
"security:    --user U [--group G] --password-file F (or $IMSCONNECT_PASSWORD)\n"
"             or --appl A --key-file F [--enhanced [--mixed]] (PassTicket)\n"
"send:        --commit 0|1 (1)  --confirm  --nak  --nowait (CM0 ACK NOWAIT)  --sendonly\n"
"             --data-hex HEX (raw bytes instead of TEXT)  --codepage 037|1047 (037)\n"
"             --raw (TEXT untranslated)  --no-prefix (TEXT without the trancode)\n"
"output:      --no-hex\n"
"bench:       M send-receive calls (default 1000) through a pool of N persistent\n"
"             connections (default 1), one thread per connection; prints messages/s\n", f);
}

/* ------------------------------------------------------------ printing */

static void hexdump(const uint8_t *p, size_t n, int page)
{
	for (size_t off = 0; off < n; off += 16) {
		char text[17];
		printf("  %04zx ", off);
		for (size_t i = 0; i < 16; i++) {
			if (off + i < n)
				printf(" %02x", p[off + i]);
			else
				fputs("   ", stdout);
		}
		size_t m = n - off < 16 ? n - off : 16;
		imsc_ebcdic_to_latin1((enum imsc_ebcdic_page)page, p + off, m, text);
		for (size_t i = 0; i < m; i++)
			if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7E)
				text[i] = '.';
		text[m] = 0;
		printf("  |%s|\n", text);
	}
}

static void print_text(const char *label, const uint8_t *p, size_t n, int page, bool ebcdic)
{
	char *t = malloc(n + 1);
	if (t == NULL)
		return;
	if (ebcdic)
		imsc_ebcdic_to_latin1((enum imsc_ebcdic_page)page, p, n, t);
	else
		memcpy(t, p, n);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || (unsigned char)t[i] == 0x7F)
			t[i] = '.';
	t[n] = 0;
	printf("%s\"%s\"\n", label, t);
	free(t);
}

static int show(const struct opts *o, const struct imsc_result *res)
{
	const struct imsc_reply *r = &res->reply;
	bool ebcdic = o->ep.cp == IMSC_CP_EBCDIC && !o->raw_text;
	int ex = EX_OK;
	printf("reply: %zu bytes (%s IDs)\n", res->raw.len, r->cp == IMSC_CP_EBCDIC ? "EBCDIC" : "ASCII");
	if (r->has_cor) {
		printf("  COR: tpipe=%s user=%s imsid=%s pst=%u token=", r->cor.tpipe, r->cor.userid,
		       r->cor.imsid, r->cor.pstnr);
		for (unsigned i = 0; i < IMSC_CORTKN_LEN; i++)
			printf("%02x", r->cortkn[i]);
		putchar('\n');
	}
	if (r->has_rmm)
		printf("  RMM: MOD name %s\n", r->modname);
	if (r->has_gencid)
		printf("  GENCID: client ID %s\n", r->clientid);
	if (r->has_ctldat)
		printf("  CTLDAT: %zu bytes\n", r->ctldat_len);
	struct imsc_seg_iter it;
	const uint8_t *d;
	size_t n;
	unsigned i = 0;
	imsc_seg_iter_init(&it, r->data, r->data_len, r->llll_data);
	while (imsc_seg_iter_next(&it, &d, &n) == 1) {
		char label[64];
		snprintf(label, sizeof(label), "  segment %u (%zu bytes): ", ++i, n);
		print_text(label, d, n, o->page, ebcdic);
	}
	if (r->has_csm) {
		printf("  CSM: flags=0x%02x%s%s%s", r->csm_flg1,
		       r->csm_flg1 & IMSC_FLG1_ASYNC_QUEUED ? " async-queued" : "",
		       r->csm_flg1 & IMSC_FLG1_CONVERSATION ? " conversation" : "",
		       r->csm_flg1 & IMSC_FLG1_ACK_REQUIRED ? " ack-required" : "");
		if (r->csm_flg1 & IMSC_FLG1_PRLVL_VALID)
			printf(" protocol-level=%u", r->csm_prlvl);
		putchar('\n');
	}
	uint32_t rc = r->rsm.retcod;
	if (r->has_rsm && (rc == IMSC_RC_TIMER || rc == IMSC_RC_DEFAULT_TIMER ||
			   rc == IMSC_RC_TIMER_KEPT)) {
		uint32_t ms = 0;
		enum imsc_timer_kind k = imsc_timer_decode((uint8_t)r->rsm.rsncod, &ms);
		printf("  RSM: RC=%u (%s) timer=X'%02X'", rc, imsc_rc_text(rc),
		       (unsigned)r->rsm.rsncod & 0xFFu);
		if (k == IMSC_TIMER_INTERVAL)
			printf(" (%u ms)", ms);
	} else if (r->has_rsm) {
		printf("  %s: RC=%u (%s) RSN=%u %s%s(%s)", r->rsm.xasm ? "XASM" : "RSM",
		       r->rsm.retcod, imsc_rc_text(r->rsm.retcod), r->rsm.rsncod,
		       imsc_rsn_name(r->rsm.rsncod), imsc_rsn_name(r->rsm.rsncod)[0] ? " " : "",
		       imsc_rsn_text(r->rsm.rsncod));
	}
	if (r->has_rsm) {
		if (r->rsm.racfrc)
			printf(" RACF RC=0x%02x (%s)", r->rsm.racfrc, imsc_racfrc_text(r->rsm.racfrc));
		putchar('\n');
		ex = EX_RSM;
	}
	if (!o->quiet_hex)
		hexdump(res->raw.data, res->raw.len, o->page);
	return ex;
}

/* ------------------------------------------------------------ helpers */

static int read_secret_file(const char *path, char out[IMSC_NAME_BUF])
{
	int rc = IGW_EIO;
	FILE *f = fopen(path, "r");
	if (f) {
		char line[64];
		if (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\r\n")] = 0;
			if (strlen(line) <= IMSC_NAME_LEN) {
				strcpy(out, line);
				rc = 0;
			} else {
				rc = IGW_EINVAL;
			}
		}
		igw_secure_zero(line, sizeof(line));
		fclose(f);
	}
	return rc;
}

static int passticket_now(const struct opts *o, const char *user, char out[IMSC_NAME_BUF])
{
	uint8_t key[IMSC_PT_ENH_KEY_MAX];
	size_t len = 0;
	int rc = imsc_passticket_key_load(o->pt_key_file, key, sizeof(key), &len);
	if (rc == 0) {
		uint64_t t = o->pt_time >= 0 ? (uint64_t)o->pt_time : (uint64_t)time(NULL);
		rc = imsc_passticket((enum imsc_pt_type)o->pt_type, key, len, user, o->appl, t,
				     out, NULL);
	}
	igw_secure_zero(key, sizeof(key));
	if (rc == IGW_EDENIED)
		fprintf(stderr, "imsconnect-call: key file %s must not be readable or writable "
			"by group or others (chmod 600)\n", o->pt_key_file);
	else if (rc != 0)
		fprintf(stderr, "imsconnect-call: PassTicket: %s (key file %s)\n",
			igw_strerror(rc), o->pt_key_file);
	return rc;
}

/* Fill the credentials of an IRM. */
static int credentials(const struct opts *o, struct imsc_irm *irm)
{
	int rc = 0;
	if (o->user) {
		if (strlen(o->user) > IMSC_NAME_LEN)
			return IGW_EINVAL;
		strcpy(irm->userid, o->user);
	}
	if (o->group) {
		if (strlen(o->group) > IMSC_NAME_LEN)
			return IGW_EINVAL;
		strcpy(irm->group, o->group);
	}
	if (o->pt_key_file && o->user && o->appl) {
		rc = passticket_now(o, o->user, irm->password);
		if (strlen(o->appl) > IMSC_NAME_LEN)
			rc = IGW_EINVAL;
		if (rc == 0) {
			strcpy(irm->applnm, o->appl);
			if (irm->arch < 1)
				irm->arch = 1;
		}
	} else if (o->password_file) {
		rc = read_secret_file(o->password_file, irm->password);
	} else if (getenv("IMSCONNECT_PASSWORD")) {
		const char *pw = getenv("IMSCONNECT_PASSWORD");
		if (strlen(pw) > IMSC_NAME_LEN)
			rc = IGW_EINVAL;
		else
			strcpy(irm->password, pw);
	}
	return rc;
}

static int hex_data(const char *hex, struct igw_buf *out)
{
	int rc = 0;
	int hi = -1;
	for (const char *p = hex; rc == 0 && *p; p++) {
		int v = -1;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else if (*p == ' ' || *p == ':')
			continue;
		else
			rc = IGW_EPARSE;
		if (rc == 0 && hi < 0)
			hi = v;
		else if (rc == 0) {
			rc = igw_buf_append_byte(out, (uint8_t)(hi << 4 | v));
			hi = -1;
		}
	}
	return rc == 0 && hi >= 0 ? IGW_EPARSE : rc;
}

/* ------------------------------------------------------------ commands */

static int cmd_send(struct opts *o, struct imsc_conn *c, const char *tran, const char *text,
                    int64_t dl)
{
	struct imsc_irm irm;
	struct imsc_result res, fin;
	struct igw_buf data;
	int ex = EX_FAIL;
	int rc = 0;
	imsc_irm_init(&irm, o->ep.exit, o->ep.cp);
	imsc_result_init(&res, o->ep.max_msg);
	imsc_result_init(&fin, o->ep.max_msg);
	igw_buf_init(&data, IMSC_SEG_DATA_MAX * 16u);
	if (strlen(tran) > IMSC_NAME_LEN)
		rc = IGW_EINVAL;
	else
		strcpy(irm.trncod, tran);
	if (rc == 0)
		rc = credentials(o, &irm);
	if (rc == 0 && o->data_hex) {
		rc = hex_data(o->data_hex, &data);
	} else if (rc == 0) {
		if (!o->no_prefix)
			rc = igw_buf_printf(&data, "%-8s", tran);
		if (rc == 0 && text)
			rc = igw_buf_append_str(&data, text);
		if (rc == 0 && o->ep.cp == IMSC_CP_EBCDIC && !o->raw_text)
			rc = imsc_ebcdic_from_latin1((enum imsc_ebcdic_page)o->page, data.data,
						     data.len, data.data);
	}
	struct imsc_seg segs[16];
	size_t nseg = 0;
	for (size_t off = 0; rc == 0 && off < data.len && nseg < 16; nseg++) {
		size_t n = data.len - off > IMSC_SEG_DATA_MAX ? IMSC_SEG_DATA_MAX : data.len - off;
		segs[nseg] = (struct imsc_seg){ data.data + off, n };
		off += n;
	}
	if (rc == 0 && nseg == 0)
		rc = IGW_EINVAL;
	if (rc != 0)
		fprintf(stderr, "imsconnect-call: %s\n", igw_strerror(rc));
	if (rc == 0) {
		if (o->sendonly)
			rc = imsc_sendonly(c, &irm, segs, nseg, o->confirm, dl, &res);
		else if (o->commit == 0)
			rc = imsc_sendrecv_cm0(c, &irm, segs, nseg, o->nowait, 0x28, dl, &res,
					       o->nowait ? NULL : &fin);
		else if (o->confirm)
			rc = imsc_sendrecv_confirm(c, &irm, segs, nseg,
						   o->nak ? IMSC_CONFIRM_NAK : IMSC_CONFIRM_ACK,
						   dl, &res, &fin);
		else
			rc = imsc_sendrecv(c, &irm, segs, nseg, dl, &res);
		printf("client ID: %s\n", imsc_conn_clientid(c));
		if (rc != 0) {
			fprintf(stderr, "imsconnect-call: %s\n", igw_strerror(rc));
		} else if (!res.have) {
			printf("sent (no reply expected)\n");
			ex = EX_OK;
		} else {
			ex = show(o, &res);
			if (fin.have) {
				printf("after %s:\n", o->nak ? "NAK" : "ACK");
				int ex2 = show(o, &fin);
				/* the RSM ending a confirmed or CM0 exchange is normal */
				(void)ex2;
			}
		}
	}
	imsc_irm_wipe(&irm);
	igw_buf_free(&data);
	imsc_result_free(&res);
	imsc_result_free(&fin);
	return ex;
}

static int cmd_resume(struct opts *o, struct imsc_conn *c, int64_t dl)
{
	struct imsc_irm irm;
	struct imsc_result res;
	int ex = EX_FAIL;
	imsc_irm_init(&irm, o->ep.exit, o->ep.cp);
	imsc_result_init(&res, o->ep.max_msg);
	int rc = credentials(o, &irm);
	if (rc == 0 && o->tpipe) {
		if (strlen(o->tpipe) > IMSC_NAME_LEN)
			rc = IGW_EINVAL;
		else
			strcpy(irm.clientid, o->tpipe);
	}
	if (rc == 0)
		rc = imsc_resume_tpipe(c, &irm, (uint8_t)o->rt_option, o->syn, dl, &res);
	int got = 0;
	while (rc == 0 && res.have) {
		ex = show(o, &res);
		if (!imsc_conn_ack_pending(c)) {
			/* a timeout RSM is the normal end of the queue */
			if (imsc_result_error(&res) == IGW_ETIMEOUT) {
				printf("no more messages (%d received)\n", got);
				ex = EX_OK;
			}
			break;
		}
		got++;
		bool last = o->count > 0 && got >= o->count;
		bool single = o->rt_option == IMSC_F5_RT_SINGLE || o->rt_option == IMSC_F5_RT_SWAIT;
		if (o->nak || (last && !single)) {
			rc = imsc_nak(c, IMSC_TIMER_V_NOWAIT, 0, dl, NULL);
			printf("NAKed (message stays queued)\n");
			break;
		}
		rc = imsc_ack(c, 0x28, 0, dl, &res);
	}
	if (rc != 0)
		fprintf(stderr, "imsconnect-call: %s\n", igw_strerror(rc));
	imsc_irm_wipe(&irm);
	imsc_result_free(&res);
	return rc == 0 ? ex : EX_FAIL;
}

struct bench {
	struct imsc_pool *pool;
	const struct imsc_irm *tmpl;
	const struct imsc_seg *segs;
	size_t nseg;
	int64_t deadline_ms;
	atomic_int remaining;
	atomic_ulong ok, failed;
};

static void *bench_worker(void *arg)
{
	struct bench *b = arg;
	struct imsc_result res;
	imsc_result_init(&res, 0);
	while (atomic_fetch_sub(&b->remaining, 1) > 0) {
		struct imsc_conn *c = NULL;
		struct imsc_irm irm = *b->tmpl;
		int64_t dl = igw_deadline_after(b->deadline_ms);
		int rc = imsc_pool_checkout(b->pool, dl, &c);
		if (rc == 0)
			rc = imsc_sendrecv(c, &irm, b->segs, b->nseg, dl, &res);
		if (rc == 0 && res.reply.has_csm)
			atomic_fetch_add(&b->ok, 1);
		else
			atomic_fetch_add(&b->failed, 1);
		imsc_irm_wipe(&irm);
		imsc_pool_checkin(b->pool, c);
	}
	imsc_result_free(&res);
	return NULL;
}

static int cmd_bench(struct opts *o, const char *tran, const char *text)
{
	struct imsc_irm irm;
	struct igw_buf data;
	struct bench b;
	int ex = EX_FAIL;
	int n = o->connections > 0 ? o->connections : 1;
	int count = o->count > 0 ? o->count : 1000;
	pthread_t th[IGW_IMSC_POOL_MAX];
	memset(&b, 0, sizeof(b));
	imsc_irm_init(&irm, o->ep.exit, o->ep.cp);
	igw_buf_init(&data, IMSC_SEG_DATA_MAX);
	int rc = strlen(tran) <= IMSC_NAME_LEN && n <= (int)IGW_IMSC_POOL_MAX ? 0 : IGW_EINVAL;
	if (rc == 0) {
		strcpy(irm.trncod, tran);
		rc = credentials(o, &irm);
	}
	if (rc == 0)
		rc = igw_buf_printf(&data, "%-8s%s", tran, text ? text : "");
	if (rc == 0 && o->ep.cp == IMSC_CP_EBCDIC && !o->raw_text)
		rc = imsc_ebcdic_from_latin1((enum imsc_ebcdic_page)o->page, data.data, data.len,
					     data.data);
	struct imsc_seg seg = { data.data, data.len };
	o->ep.pool_max = (unsigned)n;
	if (rc == 0)
		rc = imsc_pool_new(&o->ep, &b.pool);
	if (rc == 0) {
		b.tmpl = &irm;
		b.segs = &seg;
		b.nseg = 1;
		b.deadline_ms = o->timeout_ms;
		atomic_store(&b.remaining, count);
		int64_t t0 = igw_mono_ms();
		for (int i = 0; i < n; i++)
			pthread_create(&th[i], NULL, bench_worker, &b);
		for (int i = 0; i < n; i++)
			pthread_join(th[i], NULL);
		int64_t ms = igw_mono_ms() - t0;
		unsigned long ok = atomic_load(&b.ok), failed = atomic_load(&b.failed);
		printf("%lu messages in %.3f s through %d connection(s): %.0f messages/s, %lu failed\n",
		       ok, (double)ms / 1000.0, n, ms > 0 ? (double)ok * 1000.0 / (double)ms : 0.0,
		       failed);
		ex = failed == 0 ? EX_OK : EX_FAIL;
		imsc_pool_free(b.pool);
	} else {
		fprintf(stderr, "imsconnect-call: %s\n", igw_strerror(rc));
	}
	imsc_irm_wipe(&irm);
	igw_buf_free(&data);
	return ex;
}

/* Answer synchronous callout requests: RESUME TPIPE SINGLE with SYNONLY,
 * ACK the request (NO_WAIT), send the response ('L') with its correlation
 * token on the same socket, show IMS Connect's CSM/RSM.  The response is
 * --reply TEXT, or the request's data echoed back; --error RSN sends an
 * error response instead. */
static int cmd_callout(struct opts *o, struct imsc_conn *c, const char *reply_text,
                       int err_rsn, int64_t dl)
{
	struct imsc_irm irm;
	struct imsc_result res;
	struct igw_buf data;
	int ex = EX_FAIL;
	int count = o->count > 0 ? o->count : 1;
	int rc = 0;
	imsc_result_init(&res, o->ep.max_msg);
	igw_buf_init(&data, o->ep.max_msg ? o->ep.max_msg : IGW_IMSC_MSG_DEFAULT);
	for (int i = 0; rc == 0 && i < count; i++) {
		imsc_irm_init(&irm, o->ep.exit, o->ep.cp);
		rc = credentials(o, &irm);
		if (rc == 0 && o->tpipe && strlen(o->tpipe) <= IMSC_NAME_LEN)
			strcpy(irm.clientid, o->tpipe);
		else if (rc == 0)
			rc = IGW_EINVAL;
		if (rc == 0)
			rc = imsc_resume_tpipe(c, &irm, IMSC_F5_RT_SINGLE, IMSC_F0_SYNONLY, dl, &res);
		imsc_irm_wipe(&irm);
		if (rc != 0)
			break;
		ex = show(o, &res);
		if (!res.reply.has_cor) {
			if (imsc_result_error(&res) == IGW_ETIMEOUT)
				printf("no callout request\n");
			break;
		}
		uint8_t tok[IMSC_CORTKN_LEN];
		memcpy(tok, res.reply.cortkn, sizeof(tok));
		igw_buf_reset(&data);
		if (reply_text) {
			rc = igw_buf_append_str(&data, reply_text);
			if (rc == 0 && o->ep.cp == IMSC_CP_EBCDIC && !o->raw_text)
				rc = imsc_ebcdic_from_latin1((enum imsc_ebcdic_page)o->page,
							     data.data, data.len, data.data);
		} else {
			rc = imsc_result_data(&res, &data);
		}
		if (rc == 0)
			rc = imsc_ack(c, IMSC_TIMER_V_NOWAIT, 0, dl, NULL);
		imsc_irm_init(&irm, o->ep.exit, o->ep.cp);
		if (rc == 0)
			rc = credentials(o, &irm);	/* RACF=Y checks responses too */
		if (rc == 0 && err_rsn > 0)
			rc = imsc_callout_error(c, &irm, tok, (uint16_t)err_rsn, true, dl, &res);
		else if (rc == 0)
			rc = data.len ? imsc_callout_respond(c, &irm, tok, data.data, data.len, true,
							     dl, &res)
				      : IGW_EINVAL;
		imsc_irm_wipe(&irm);
		if (rc == 0) {
			printf("response sent; IMS Connect answered:\n");
			ex = show(o, &res);
		}
	}
	if (rc != 0)
		fprintf(stderr, "imsconnect-call: %s\n", igw_strerror(rc));
	igw_buf_free(&data);
	imsc_result_free(&res);
	return rc == 0 ? ex : EX_FAIL;
}

static int cmd_passticket(const struct opts *o)
{
	char t[IMSC_NAME_BUF];
	int ex = EX_FAIL;
	if (!o->user || !o->appl || !o->pt_key_file) {
		usage(stderr);
		ex = EX_USAGE;
	} else if (passticket_now(o, o->user, t) == 0) {
		printf("%s\n", t);
		igw_secure_zero(t, sizeof(t));
		ex = EX_OK;
	}
	return ex;
}

/* ---------------------------------------------------------------- main */

enum {
	O_HOST = 256, O_PORT, O_TIMEOUT, O_TLS, O_CA, O_CERT, O_KEY, O_SNI, O_CLIENTID,
	O_PREFIX, O_DATASTORE, O_SAMPLE, O_ASCII, O_USER, O_GROUP, O_PWFILE, O_APPL,
	O_KEYFILE, O_ENH, O_MIXED, O_TIME, O_COMMIT, O_CONFIRM, O_NAK, O_NOWAIT,
	O_SENDONLY, O_HEX, O_CP, O_RAW, O_NOPREFIX, O_NOHEX, O_TPIPE, O_OPTION,
	O_SYNONLY, O_SYNASYN, O_COUNT, O_CONNS, O_REPLY, O_ERROR, O_TXSOCK, O_HELP,
};

static const struct option longopts[] = {
	{ "host", required_argument, 0, O_HOST }, { "port", required_argument, 0, O_PORT },
	{ "timeout", required_argument, 0, O_TIMEOUT }, { "tls", no_argument, 0, O_TLS },
	{ "ca", required_argument, 0, O_CA }, { "cert", required_argument, 0, O_CERT },
	{ "key", required_argument, 0, O_KEY }, { "servername", required_argument, 0, O_SNI },
	{ "client-id", required_argument, 0, O_CLIENTID },
	{ "client-prefix", required_argument, 0, O_PREFIX },
	{ "datastore", required_argument, 0, O_DATASTORE }, { "sample", no_argument, 0, O_SAMPLE },
	{ "ascii", no_argument, 0, O_ASCII }, { "user", required_argument, 0, O_USER },
	{ "group", required_argument, 0, O_GROUP },
	{ "password-file", required_argument, 0, O_PWFILE },
	{ "appl", required_argument, 0, O_APPL }, { "key-file", required_argument, 0, O_KEYFILE },
	{ "enhanced", no_argument, 0, O_ENH }, { "mixed", no_argument, 0, O_MIXED },
	{ "time", required_argument, 0, O_TIME }, { "commit", required_argument, 0, O_COMMIT },
	{ "confirm", no_argument, 0, O_CONFIRM }, { "nak", no_argument, 0, O_NAK },
	{ "nowait", no_argument, 0, O_NOWAIT }, { "sendonly", no_argument, 0, O_SENDONLY },
	{ "data-hex", required_argument, 0, O_HEX }, { "codepage", required_argument, 0, O_CP },
	{ "raw", no_argument, 0, O_RAW }, { "no-prefix", no_argument, 0, O_NOPREFIX },
	{ "no-hex", no_argument, 0, O_NOHEX }, { "tpipe", required_argument, 0, O_TPIPE },
	{ "option", required_argument, 0, O_OPTION }, { "synonly", no_argument, 0, O_SYNONLY },
	{ "synasyn", no_argument, 0, O_SYNASYN }, { "count", required_argument, 0, O_COUNT },
	{ "connections", required_argument, 0, O_CONNS },
	{ "reply", required_argument, 0, O_REPLY }, { "error", required_argument, 0, O_ERROR },
	{ "transaction-socket", no_argument, 0, O_TXSOCK },
	{ "help", no_argument, 0, O_HELP },
	{ 0, 0, 0, 0 },
};

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	int ok = s[0] && *end == 0 && errno == 0 && v <= max;
	if (ok)
		*out = v;
	return ok;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int bad = 0, c;
	unsigned long v;
	bool enhanced = false, mixed = false;
	while (!bad && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_HOST: o->ep.host = optarg; break;
		case O_PORT: bad = !parse_uint(optarg, 65535, &v); o->ep.port = (uint16_t)v; break;
		case O_TIMEOUT: bad = !parse_uint(optarg, IGW_IMSC_DEADLINE_MS_MAX, &v);
			o->timeout_ms = (unsigned)v; break;
		case O_TLS: o->ep.tls.enabled = true; break;
		case O_CA: o->ep.tls.ca_file = optarg; break;
		case O_CERT: o->ep.tls.cert_file = optarg; break;
		case O_KEY: o->ep.tls.key_file = optarg; break;
		case O_SNI: o->ep.tls.server_name = optarg; break;
		case O_CLIENTID: o->clientid = optarg; break;
		case O_PREFIX:
			bad = strlen(optarg) > IGW_IMSC_CLIENTID_PREFIX_MAX;
			if (!bad)
				strcpy(o->ep.clientid_prefix, optarg);
			break;
		case O_DATASTORE:
			bad = strlen(optarg) > IMSC_NAME_LEN;
			if (!bad)
				strcpy(o->ep.datastore, optarg);
			break;
		case O_SAMPLE: o->ep.exit = IMSC_EXIT_SAMPLE; break;
		case O_ASCII: o->ep.cp = IMSC_CP_ASCII; break;
		case O_USER: o->user = optarg; break;
		case O_GROUP: o->group = optarg; break;
		case O_PWFILE: o->password_file = optarg; break;
		case O_APPL: o->appl = optarg; break;
		case O_KEYFILE: o->pt_key_file = optarg; break;
		case O_ENH: enhanced = true; break;
		case O_MIXED: mixed = true; break;
		case O_TIME: bad = !parse_uint(optarg, 0xFFFFFFFFFFFFul, &v); o->pt_time = (int64_t)v; break;
		case O_COMMIT: bad = !parse_uint(optarg, 1, &v); o->commit = (int)v; break;
		case O_CONFIRM: o->confirm = true; break;
		case O_NAK: o->nak = true; break;
		case O_NOWAIT: o->nowait = true; break;
		case O_SENDONLY: o->sendonly = true; break;
		case O_HEX: o->data_hex = optarg; break;
		case O_CP: o->page = imsc_ebcdic_page_parse(optarg); bad = o->page < 0; break;
		case O_RAW: o->raw_text = true; break;
		case O_NOPREFIX: o->no_prefix = true; break;
		case O_NOHEX: o->quiet_hex = true; break;
		case O_TPIPE: o->tpipe = optarg; break;
		case O_OPTION:
			if (strcmp(optarg, "single") == 0) o->rt_option = IMSC_F5_RT_SINGLE;
			else if (strcmp(optarg, "swait") == 0) o->rt_option = IMSC_F5_RT_SWAIT;
			else if (strcmp(optarg, "noauto") == 0) o->rt_option = IMSC_F5_RT_NOAUTO;
			else if (strcmp(optarg, "auto") == 0) o->rt_option = IMSC_F5_RT_AUTO;
			else bad = 1;
			break;
		case O_SYNONLY: o->syn = IMSC_F0_SYNONLY; break;
		case O_SYNASYN: o->syn = IMSC_F0_SYNASYN; break;
		case O_COUNT: bad = !parse_uint(optarg, 1000000, &v); o->count = (int)v; break;
		case O_CONNS: bad = !parse_uint(optarg, IGW_IMSC_POOL_MAX, &v) || v == 0;
			o->connections = (int)v; break;
		case O_REPLY: o->reply_text = optarg; break;
		case O_TXSOCK: o->ep.soct = IMSC_SOCT_TRANSACTION; break;
		case O_ERROR: bad = !parse_uint(optarg, 65535, &v) || v == 0; o->err_rsn = (int)v; break;
		case O_HELP: usage(stdout); exit(EX_OK);
		default: bad = 1;
		}
	}
	o->pt_type = mixed ? IMSC_PT_ENHANCED_MIXED : enhanced ? IMSC_PT_ENHANCED_UPPER
							       : IMSC_PT_LEGACY;
	if (mixed && !enhanced)
		bad = 1;
	return bad;
}

int main(int argc, char **argv)
{
	struct opts o;
	int ex = EX_FAIL;
	memset(&o, 0, sizeof(o));
	imsc_endpoint_init(&o.ep);
	o.ep.host = "127.0.0.1";
	o.timeout_ms = 10000;
	o.commit = 1;
	o.pt_time = -1;
	o.rt_option = IMSC_F5_RT_NOAUTO;
	igw_log_setup(2, IGW_LOG_WARN, IGW_LOG_TEXT);
	if (parse_args(argc, argv, &o) || optind >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	const char *cmd = argv[optind];
	if (strcmp(cmd, "passticket") == 0)
		return cmd_passticket(&o);
	if (strcmp(cmd, "bench") == 0) {
		if (optind + 1 >= argc) {
			usage(stderr);
			return EX_USAGE;
		}
		return cmd_bench(&o, argv[optind + 1], optind + 2 < argc ? argv[optind + 2] : NULL);
	}
	if (strcmp(cmd, "send") == 0 && optind + 1 >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(cmd, "send") != 0 && strcmp(cmd, "resume") != 0 && strcmp(cmd, "ping") != 0 &&
	    strcmp(cmd, "callout") != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	int64_t dl = igw_deadline_after(o.timeout_ms);
	struct imsc_conn *c = NULL;
	int rc = imsc_conn_open(&o.ep, o.clientid, dl, &c);
	if (rc != 0) {
		fprintf(stderr, "imsconnect-call: cannot connect to %s:%u: %s\n", o.ep.host,
			(unsigned)o.ep.port, igw_strerror(rc));
	} else if (strcmp(cmd, "ping") == 0) {
		int64_t t0 = igw_mono_ms();
		rc = imsc_ping(c, dl);
		if (rc == 0) {
			printf("PING OK: HWSC0030I *PING RESPONSE* in %lld ms (client ID %s)\n",
			       (long long)(igw_mono_ms() - t0), imsc_conn_clientid(c));
			ex = EX_OK;
		} else {
			fprintf(stderr, "imsconnect-call: PING failed: %s\n", igw_strerror(rc));
		}
	} else if (strcmp(cmd, "send") == 0) {
		ex = cmd_send(&o, c, argv[optind + 1], optind + 2 < argc ? argv[optind + 2] : NULL, dl);
	} else if (strcmp(cmd, "callout") == 0) {
		ex = cmd_callout(&o, c, o.reply_text, o.err_rsn, dl);
	} else {
		ex = cmd_resume(&o, c, dl);
	}
	imsc_conn_close(c);
	return ex;
}
