/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Codec: the reference's worked examples byte for byte, round trips of every
 * message kind, every truncation of every reply kind rejected. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "imsgw/core.h"
#include "imsconnect/codec.h"
#include "imsconnect/ebcdic.h"
#include "test_util.h"

#define MAXMSG (1u << 20)

/* reference 3.6: send-receive CM1 NONE, persistent, timer X'45' */
static const char ex_request_hex[] =
	"00 00 00 71 00 50 00 00 5C E2 C1 D4 D7 D3 F1 5C"
	"00 00 00 00 00 45 10 00 C3 D3 C9 C5 D5 E3 F0 F1"
	"00 20 00 40 C9 E5 E3 D5 D6 40 40 40 C9 D4 E2 F1"
	"40 40 40 40 40 40 40 40 40 40 40 40 E4 E2 C5 D9"
	"F0 F1 40 40 40 40 40 40 40 40 40 40 D7 C1 E2 E2"
	"F0 F1 40 40 00 19 00 00 C9 E5 E3 D5 D6 40 40 40"
	"C4 C9 E2 D7 D3 C1 E8 40 D3 C1 E2 E3 F1 00 04 00"
	"00";

static void example_irm(struct imsc_irm *irm)
{
	imsc_irm_init(irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	irm->timer = 0x45;
	irm->soct = IMSC_SOCT_PERSISTENT;
	strcpy(irm->clientid, "CLIENT01");
	irm->f2 = IMSC_F2_CM1;
	strcpy(irm->trncod, "IVTNO");
	strcpy(irm->destid, "IMS1");
	strcpy(irm->userid, "USER01");
	strcpy(irm->password, "PASS01");
}

static void worked_example_request(void **state)
{
	uint8_t want[256];
	size_t wn = hex2bin(ex_request_hex, want, sizeof(want));
	assert_int_equal(wn, 113);

	struct imsc_irm irm;
	example_irm(&irm);
	uint8_t text[] = "IVTNO   DISPLAY LAST1";
	size_t tn = strlen((char *)text);
	assert_int_equal(imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, text, tn, text), 0);
	struct imsc_seg seg = { text, tn };
	struct igw_buf out;
	igw_buf_init(&out, MAXMSG);
	assert_int_equal(imsc_request_encode(&irm, &seg, 1, 0, &out), 113);
	assert_int_equal(out.len, 113);
	assert_memory_equal(out.data, want, 113);

	/* and back */
	struct imsc_request req;
	uint32_t rsn = 99;
	assert_int_equal(imsc_request_decode(want, wn, &req, &rsn), 0);
	assert_int_equal(rsn, 0);
	assert_int_equal(req.irm.exit, IMSC_EXIT_SAMPL1);
	assert_int_equal(req.irm.cp, IMSC_CP_EBCDIC);
	assert_string_equal(req.irm.irm_id, "*SAMPL1*");
	assert_int_equal(req.irm.irm_len, 80);
	assert_int_equal(req.irm.timer, 0x45);
	assert_int_equal(req.irm.soct, 0x10);
	assert_int_equal(req.irm.f2, 0x20);
	assert_int_equal(req.irm.msgtype, ' ');
	assert_string_equal(req.irm.clientid, "CLIENT01");
	assert_string_equal(req.irm.trncod, "IVTNO");
	assert_string_equal(req.irm.destid, "IMS1");
	assert_string_equal(req.irm.lterm, "");
	assert_string_equal(req.irm.userid, "USER01");
	assert_string_equal(req.irm.group, "");
	assert_string_equal(req.irm.password, "PASS01");
	assert_int_equal(req.nseg, 1);
	struct igw_buf data;
	igw_buf_init(&data, 1024);
	assert_int_equal(imsc_request_data(&req, &data), 0);
	assert_int_equal(data.len, tn);
	assert_memory_equal(data.data, text, tn);
	igw_buf_free(&data);
	igw_buf_free(&out);
}

static void worked_example_ack(void **state)
{
	struct imsc_irm irm;
	example_irm(&irm);
	irm.msgtype = IMSC_MT_ACK;
	struct igw_buf out;
	igw_buf_init(&out, MAXMSG);
	assert_int_equal(imsc_request_encode(&irm, NULL, 0, 0, &out), 88);
	uint8_t want[256];
	hex2bin(ex_request_hex, want, sizeof(want));
	want[3] = 0x58;
	want[IMSC_OFF_F4] = 0xC1;
	assert_memory_equal(out.data, want, 84);
	assert_memory_equal(out.data + 84, "\x00\x04\x00\x00", 4);
	/* an ACK with data is refused */
	struct imsc_seg seg = { (const uint8_t *)"x", 1 };
	assert_int_equal(imsc_request_encode(&irm, &seg, 1, 0, &out), IGW_EINVAL);
	assert_int_equal(out.len, 88);
	igw_buf_free(&out);
}

static void worked_example_replies(void **state)
{
	uint8_t text[13];
	memcpy(text, "LAST1 FIRST1 ", 13);
	imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, text, 13, text);

	/* 00000021 0011 0000 <13 bytes> 000C 00 00 5CC3E2D4D6D2E85C */
	uint8_t want[64];
	size_t n = hex2bin("00000021 0011 0000", want, sizeof(want));
	memcpy(want + n, text, 13);
	n += 13;
	n += hex2bin("000C 00 00 5CC3E2D4D6D2E85C", want + n, sizeof(want) - n);
	assert_int_equal(n, 0x21);

	struct igw_buf out;
	igw_buf_init(&out, MAXMSG);
	struct imsc_writer w;
	imsc_writer_start(&w, &out, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	imsc_put_segment(&w, text, 13);
	imsc_put_csm(&w, 0, 0);
	assert_int_equal(imsc_writer_finish(&w), 0x21);
	assert_memory_equal(out.data, want, n);

	struct imsc_reply r;
	assert_int_equal(imsc_reply_decode(want, n, IMSC_EXIT_SAMPL1, &r), 0);
	assert_true(r.has_csm);
	assert_false(r.has_rsm);
	assert_int_equal(r.cp, IMSC_CP_EBCDIC);
	assert_int_equal(r.nseg, 1);
	assert_int_equal(r.data_len, 17);
	assert_false(imsc_reply_needs_ack(&r));

	/* failure: 00000018 0014 00 00 5CD9C5D8E2E3E25C 00000008 00000028 */
	uint8_t fail[32];
	size_t fn = hex2bin("00000018 0014 00 00 5CD9C5D8E2E3E25C 00000008 00000028",
			    fail, sizeof(fail));
	assert_int_equal(fn, 24);
	igw_buf_reset(&out);
	imsc_writer_start(&w, &out, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	imsc_put_rsm(&w, 0, 0, 8, 40);
	assert_int_equal(imsc_writer_finish(&w), 24);
	assert_memory_equal(out.data, fail, fn);
	assert_int_equal(imsc_reply_decode(fail, fn, IMSC_EXIT_SAMPL1, &r), 0);
	assert_true(r.has_rsm);
	assert_int_equal(r.rsm.retcod, 8);
	assert_int_equal(r.rsm.rsncod, 40);
	assert_string_equal(imsc_rsn_name(r.rsm.rsncod), "SECFAIL");
	igw_buf_free(&out);
}

/* ------------------------------------------------ request round trips */

struct req_case {
	const char *name;
	char mt;
	uint8_t arch;
	uint8_t f0, f2, f3, f5, timer;
	int nseg;
};

static const struct req_case req_cases[] = {
	{ "sendrecv cm1 none", ' ', 0, 0, 0x20, 0x00, 0, 0x45, 2 },
	{ "sendrecv cm1 confirm", ' ', 0, 0, 0x20, 0x01, 0, 0x28, 1 },
	{ "sendrecv cm0", ' ', 1, 0, 0x40, 0x01 | 0x08, 0, 0x30, 1 },
	{ "ack", 'A', 0, 0, 0x20, 0, 0, 0xE9, 0 },
	{ "nak", 'N', 0, 0x10, 0x20, 0, 0, 0, 0 },
	{ "nak syncnak", 'N', 3, 0x20, 0x40, 1, 0, 0, 0 },
	{ "deallocate", 'D', 0, 0, 0x20, 0, 0, 0, 0 },
	{ "cancel timer", 'C', 0, 0, 0x40, 0, 0, 0, 0 },
	{ "resume single", 'R', 0, 0, 0x40, 1, 0x01, 0x2A, 0 },
	{ "resume swait", 'R', 1, 0, 0x40, 1, 0x10, 0x2A, 0 },
	{ "resume noauto", 'R', 0, 0, 0x40, 1, 0x04, 0x2A, 0 },
	{ "resume auto", 'R', 0, 0, 0x40, 1, 0x02, 0xFF, 0 },
	{ "resume synonly", 'R', 3, 0x80, 0x40, 1, 0x02, 0xFF, 0 },
	{ "resume synasyn", 'R', 4, 0x40, 0x40, 1, 0x01, 0xFF, 0 },
	{ "sendonly", 'S', 0, 0, 0x40, 1, 0, 0xE9, 1 },
	{ "sendonly ack", 'K', 2, 0, 0x40, 1, 0, 0x30, 3 },
	{ "sendonly err", 'J', 0, 0, 0x40, 1, 0, 0x30, 1 },
	{ "callout resp L", 'L', 3, 0, 0x20, 0, 0, 0x30, 1 },
	{ "callout resp M", 'M', 3, 0, 0x20, 0, 0, 0x30, 1 },
	{ "callout error", 'M', 3, 0x10, 0x20, 0, 0, 0x30, 1 },
	{ "arch5 ext", ' ', 5, 0, 0x20, 0, 0, 0x30, 1 },
};

static void fill_irm(struct imsc_irm *irm, const struct req_case *c,
                     enum imsc_exit exit, enum imsc_cp cp)
{
	imsc_irm_init(irm, exit, cp);
	irm->msgtype = c->mt;
	irm->arch = c->arch;
	irm->f0 = c->f0;
	irm->f1 = IMSC_F1_TRNEXP;
	irm->f2 = c->f2;
	irm->f3 = c->f3;
	irm->f5 = c->f5;
	irm->timer = c->timer;
	irm->nak_rsncde = c->f0 & IMSC_F0_NAKRSN ? 0x1234 : 0;
	strcpy(irm->clientid, "CLNT#$@1");
	strcpy(irm->trncod, "IVTNO");
	strcpy(irm->destid, "IMSA");
	strcpy(irm->lterm, "LTERM1");
	strcpy(irm->userid, "USER01");
	strcpy(irm->group, "GRP1");
	strcpy(irm->password, "aB-_9x");
	if (c->arch >= 1) {
		strcpy(irm->applnm, "IMSAPPL1");
		strcpy(irm->rerout, "REROUTE");
	}
	if (c->arch >= 2) {
		strcpy(irm->tag_adapt, "HWSXMLA0");
		strcpy(irm->tag_map, "CNVNAMED");
	}
	if (c->arch >= 3) {
		for (int i = 0; i < 40; i++)
			irm->cortkn[i] = (uint8_t)(0xA0 + i);
		strcpy(irm->modname, "MODX");
	}
	if (c->arch >= 4)
		memcpy(irm->sestkn, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	if (c->arch >= 5) {
		irm->next = 2;
		strcpy(irm->ext[0].id, "*NETUID*");
		irm->ext[0].data = (const uint8_t *)"net-user-id";
		irm->ext[0].len = 11;
		strcpy(irm->ext[1].id, "*TRCKID*");
		irm->ext[1].data = (const uint8_t *)"trk";
		irm->ext[1].len = 3;
	}
}

static void request_roundtrip_all(void **state)
{
	static const uint8_t d1[] = "first segment";
	static uint8_t big[40000];
	memset(big, 0x5A, sizeof(big));
	struct imsc_seg segs[3] = {
		{ d1, sizeof(d1) - 1 }, { (const uint8_t *)"2", 1 }, { big, IMSC_SEG_DATA_MAX },
	};
	struct imsc_seg callout = { big, sizeof(big) };	/* LLLL data may exceed 32 KB */
	for (size_t i = 0; i < sizeof(req_cases) / sizeof(req_cases[0]); i++) {
		for (int e = 0; e < 2; e++) {
			for (int cp = 0; cp < 2; cp++) {
				const struct req_case *c = &req_cases[i];
				struct imsc_irm irm;
				fill_irm(&irm, c, (enum imsc_exit)e, (enum imsc_cp)cp);
				bool llll = c->mt == 'L' || c->mt == 'M';
				struct igw_buf out;
				igw_buf_init(&out, MAXMSG);
				int n = imsc_request_encode(&irm, llll ? &callout : segs,
							    (size_t)c->nseg, 0, &out);
				if (n < 0)
					fail_msg("%s: encode %d", c->name, n);
				struct imsc_request req;
				uint32_t rsn = 0;
				int rc = imsc_request_decode(out.data, out.len, &req, &rsn);
				if (rc != 0)
					fail_msg("%s e%d cp%d: decode %d rsn %u", c->name, e, cp, rc, rsn);
				struct imsc_irm *d = &req.irm;
				assert_int_equal(d->exit, e);
				assert_int_equal(d->cp, cp);
				assert_int_equal(d->msgtype, c->mt);
				assert_int_equal(d->arch, c->arch);
				assert_int_equal(d->irm_len, imsc_irm_len_for_arch(c->arch) +
						 (c->arch >= 5 ? 12 + 11 + 12 + 3 : 0));
				assert_int_equal(d->f0, c->f0 | (c->arch >= 5 ? IMSC_F0_EXTENS : 0));
				assert_int_equal(d->f1, IMSC_F1_TRNEXP);
				assert_int_equal(d->f2, c->f2);
				assert_int_equal(d->f3, c->f3);
				assert_int_equal(d->f5, c->f5);
				assert_int_equal(d->timer, c->timer);
				assert_int_equal(d->nak_rsncde, irm.nak_rsncde);
				assert_string_equal(d->clientid, "CLNT#$@1");
				assert_string_equal(d->trncod, "IVTNO");
				assert_string_equal(d->destid, "IMSA");
				assert_string_equal(d->lterm, "LTERM1");
				assert_string_equal(d->userid, "USER01");
				assert_string_equal(d->group, "GRP1");
				assert_string_equal(d->password, "aB-_9x");
				assert_string_equal(d->applnm, irm.applnm);
				assert_string_equal(d->rerout, irm.rerout);
				assert_string_equal(d->tag_adapt, irm.tag_adapt);
				assert_string_equal(d->tag_map, irm.tag_map);
				assert_string_equal(d->modname, irm.modname);
				assert_memory_equal(d->cortkn, irm.cortkn, 40);
				assert_memory_equal(d->sestkn, irm.sestkn, 8);
				assert_int_equal(d->next, irm.next);
				for (unsigned x = 0; x < d->next; x++) {
					assert_string_equal(d->ext[x].id, irm.ext[x].id);
					assert_int_equal(d->ext[x].len, irm.ext[x].len);
					assert_memory_equal(d->ext[x].data, irm.ext[x].data,
							    irm.ext[x].len);
				}
				assert_int_equal(req.nseg, (size_t)c->nseg);
				assert_int_equal(req.llll_data, llll);
				struct igw_buf data;
				igw_buf_init(&data, MAXMSG);
				assert_int_equal(imsc_request_data(&req, &data), 0);
				size_t want = 0;
				for (int s = 0; s < c->nseg; s++)
					want += llll ? callout.len : segs[s].len;
				assert_int_equal(data.len, want);
				if (llll)
					assert_memory_equal(data.data, big, sizeof(big));
				/* every truncation of the request is rejected */
				for (size_t cut = 0; cut < out.len; cut += (cut < 200 ? 1 : 997)) {
					assert_int_not_equal(imsc_request_decode(out.data, cut, &req, &rsn), 0);
					assert_int_not_equal(rsn, 0);
				}
				igw_buf_free(&data);
				igw_buf_free(&out);
			}
		}
	}
}

static void request_semantic_checks(void **state)
{
	struct imsc_irm irm;
	struct igw_buf out;
	struct imsc_seg seg = { (const uint8_t *)"DATA", 4 };
	igw_buf_init(&out, MAXMSG);
	imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	/* send-receive without data */
	assert_int_equal(imsc_request_encode(&irm, NULL, 0, 0, &out), IGW_EINVAL);
	/* callout response below ARCH 3 */
	irm.msgtype = 'L';
	assert_int_equal(imsc_request_encode(&irm, &seg, 1, 0, &out), IGW_EINVAL);
	/* SYNONLY below ARCH 3 */
	irm.msgtype = 'R';
	irm.f0 = IMSC_F0_SYNONLY;
	assert_int_equal(imsc_request_encode(&irm, NULL, 0, 0, &out), IGW_EINVAL);
	/* ... unless the test asks for the bad message on purpose */
	assert_true(imsc_request_encode(&irm, NULL, 0, IMSC_ENC_NOCHECK, &out) > 0);
	igw_buf_reset(&out);
	/* names: too long, not printable */
	imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	memset(irm.trncod, 'A', sizeof(irm.trncod));	/* 9 chars, no NUL */
	assert_int_equal(imsc_request_encode(&irm, &seg, 1, 0, &out), IGW_EINVAL);
	strcpy(irm.trncod, "TAB\tX");
	assert_int_equal(imsc_request_encode(&irm, &seg, 1, 0, &out), IGW_EINVAL);
	/* a segment larger than 32763 bytes */
	strcpy(irm.trncod, "IVTNO");
	static uint8_t big[IMSC_SEG_DATA_MAX + 1];
	struct imsc_seg bs = { big, sizeof(big) };
	assert_int_equal(imsc_request_encode(&irm, &bs, 1, 0, &out), IGW_EINVAL);
	assert_int_equal(out.len, 0);
	/* bound of the output buffer */
	struct igw_buf small;
	igw_buf_init(&small, 50);
	assert_int_equal(imsc_request_encode(&irm, &seg, 1, 0, &small), IGW_ELIMIT);
	igw_buf_free(&small);
	igw_buf_free(&out);
}

/* Build a request, then let the test corrupt it. */
static size_t base_request(uint8_t *buf, size_t max, unsigned arch, char mt)
{
	struct imsc_irm irm;
	struct imsc_seg seg = { (const uint8_t *)"IVTNO DATA", 10 };
	struct igw_buf out;
	imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	irm.arch = (uint8_t)arch;
	irm.msgtype = mt;
	igw_buf_init(&out, MAXMSG);
	int n = imsc_request_encode(&irm, imsc_msgtype_has_data(mt) ? &seg : NULL,
				    imsc_msgtype_has_data(mt) ? 1 : 0, IMSC_ENC_NOCHECK, &out);
	assert_true(n > 0 && (size_t)n <= max);
	memcpy(buf, out.data, (size_t)n);
	igw_buf_free(&out);
	return (size_t)n;
}

static void expect_rsn(const uint8_t *m, size_t n, uint32_t want)
{
	struct imsc_request req;
	uint32_t rsn = 0;
	assert_int_equal(imsc_request_decode(m, n, &req, &rsn), IGW_EPROTO);
	assert_int_equal(rsn, want);
}

static void request_decode_reasons(void **state)
{
	uint8_t m[512];
	size_t n;
	/* LLLL larger than the bytes, negative, smaller */
	n = base_request(m, sizeof(m), 0, ' ');
	m[3]++;
	expect_rsn(m, n, IMSC_RSN_TOTAL_LEN);
	m[3]--;
	m[0] = 0x80;
	expect_rsn(m, n, IMSC_RSN_NEG_LENGTH);
	m[0] = 0;
	/* IRM_LEN below 80 / beyond the message / negative */
	m[5] = 0x40;
	expect_rsn(m, n, IMSC_RSN_IRM_LEN);
	m[5] = 0xF0;
	expect_rsn(m, n, IMSC_RSN_IRM_LEN);
	m[4] = 0x80;
	expect_rsn(m, n, IMSC_RSN_NEG_LENGTH);
	m[4] = 0;
	m[5] = 0x50;
	/* ARCH 3 claimed with an 80-byte IRM */
	m[6] = 3;
	expect_rsn(m, n, IMSC_RSN_IRM_LEN);
	m[6] = 9;
	expect_rsn(m, n, IMSC_RSN_INVBUF);
	m[6] = 0;
	/* unknown message type */
	m[IMSC_OFF_F4] = 0xFF;
	expect_rsn(m, n, IMSC_RSN_INVBUF);
	m[IMSC_OFF_F4] = 0x40;
	/* missing EOM */
	m[n - 2] = 1;
	expect_rsn(m, n, IMSC_RSN_TOTAL_LEN);
	m[n - 2] = 0;
	/* segment LL pointing past the body */
	m[84 + 1] = 0x7F;
	expect_rsn(m, n, IMSC_RSN_INVBUF);
	m[84 + 1] = 14;
	struct imsc_request req;
	uint32_t rsn;
	assert_int_equal(imsc_request_decode(m, n, &req, &rsn), 0);
	/* send-receive without a segment */
	n = base_request(m, sizeof(m), 0, 'A');
	m[IMSC_OFF_F4] = 0x40;
	expect_rsn(m, n, IMSC_RSN_NO_DATA);
	/* an ACK with a segment */
	n = base_request(m, sizeof(m), 0, ' ');
	m[IMSC_OFF_F4] = 0xC1;
	expect_rsn(m, n, IMSC_RSN_INVBUF);
	/* ASCII F4 in an EBCDIC IRM is accepted (reference Q7) */
	m[IMSC_OFF_F4] = 'A';
	n = base_request(m, sizeof(m), 0, 'A');
	m[IMSC_OFF_F4] = 'A';
	assert_int_equal(imsc_request_decode(m, n, &req, &rsn), 0);
	assert_int_equal(req.irm.msgtype, 'A');
	/* extensions: F0_EXTENS with offset zero, below ARCH 5, bad length */
	n = base_request(m, sizeof(m), 5, 'A');
	m[IMSC_OFF_F0] = IMSC_F0_EXTENS;
	expect_rsn(m, n, IMSC_RSN_EXT_OFF_ZERO);
	m[IMSC_OFF_EXTN_OFF + 1] = 0xAC;
	expect_rsn(m, n, IMSC_RSN_EXT_BAD);	/* offset == IRM_LEN: nothing there */
	m[IMSC_OFF_ARCH] = 4;
	expect_rsn(m, n, IMSC_RSN_EXT_BAD);
	/* an unknown IRM_ID is decoded, flagged, not guessed */
	n = base_request(m, sizeof(m), 0, 'A');
	memcpy(m + IMSC_OFF_ID, "\x5C\xC9\xD9\xD4\xD9\xC5\xD8\x5C", 8);	/* *IRMREQ* */
	assert_int_equal(imsc_request_decode(m, n, &req, &rsn), 0);
	assert_int_equal(req.irm.exit, IMSC_EXIT_OTHER);
	assert_string_equal(req.irm.irm_id, "*IRMREQ*");
}

/* ------------------------------------------------------ reply kinds */

enum reply_kind {
	RK_DATA, RK_MULTI, RK_RMM_GENCID, RK_CALLOUT, RK_CALLOUT_NOCTL, RK_RSM,
	RK_XASM, RK_CSM_ONLY, RK_PING, RK_COUNT
};

static const char *rk_names[RK_COUNT] = {
	"data", "multi", "rmm+gencid", "callout", "callout-noctl", "rsm", "xasm",
	"csm", "ping",
};

static uint8_t cortok[40];

static int build_reply(enum reply_kind k, enum imsc_exit fr, enum imsc_cp cp,
                       struct igw_buf *out)
{
	static uint8_t big[70000];
	struct imsc_writer w;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	imsc_writer_start(&w, out, fr, cp);
	switch (k) {
	case RK_DATA:
		imsc_put_segment(&w, "hello", 5);
		imsc_put_csm(&w, IMSC_FLG1_ACK_REQUIRED | IMSC_FLG1_PRLVL_VALID, 2);
		break;
	case RK_MULTI:
		imsc_put_data(&w, big, 70000, 0);
		imsc_put_csm(&w, IMSC_FLG1_ASYNC_QUEUED, 0);
		break;
	case RK_RMM_GENCID:
		imsc_put_rmm(&w, "MODOUT1");
		imsc_put_gencid(&w, "HWS00001");
		imsc_put_segment(&w, "a", 1);
		imsc_put_segment(&w, "bc", 2);
		imsc_put_csm(&w, IMSC_FLG1_CONVERSATION, 0);
		break;
	case RK_CALLOUT:
		imsc_put_cor(&w, cortok);
		imsc_put_rmm(&w, "MOD2");
		imsc_put_ctldat(&w, (const uint8_t *)"\x00\x00\x00\x1b<DFSCNVTR>CNV</DFSCNVTR>", 28);
		imsc_put_callout_data(&w, big, 40000);
		imsc_put_csm(&w, IMSC_FLG1_ACK_REQUIRED, 0);
		break;
	case RK_CALLOUT_NOCTL:
		imsc_put_cor(&w, cortok);
		imsc_put_callout_data(&w, "x", 1);
		imsc_put_csm(&w, IMSC_FLG1_ACK_REQUIRED, 0);
		break;
	case RK_RSM:
		imsc_put_rsm(&w, 0, 0x08, 8, 40);
		break;
	case RK_XASM:
		imsc_put_xasm(&w, 0, 0, 8, 108);
		break;
	case RK_CSM_ONLY:
		imsc_put_csm(&w, 0, 0);
		break;
	case RK_PING:
		imsc_put_segment(&w, "HWSC0030I *PING RESPONSE*", 25);
		imsc_put_csm(&w, 0, 0);
		break;
	case RK_COUNT:
		break;
	}
	return imsc_writer_finish(&w);
}

static void check_reply(enum reply_kind k, const struct imsc_reply *r, enum imsc_cp cp)
{
	struct igw_buf d;
	igw_buf_init(&d, MAXMSG);
	assert_int_equal(imsc_reply_data(r, &d), 0);
	switch (k) {
	case RK_DATA:
		assert_true(r->has_csm);
		assert_int_equal(r->csm_prlvl, 2);
		assert_true(imsc_reply_needs_ack(r));
		assert_int_equal(d.len, 5);
		assert_memory_equal(d.data, "hello", 5);
		break;
	case RK_MULTI:
		assert_int_equal(r->nseg, 3);
		assert_int_equal(d.len, 70000);
		assert_int_equal(r->csm_flg1, IMSC_FLG1_ASYNC_QUEUED);
		break;
	case RK_RMM_GENCID:
		assert_true(r->has_rmm && r->has_gencid);
		assert_string_equal(r->modname, "MODOUT1");
		assert_string_equal(r->clientid, "HWS00001");
		assert_int_equal(d.len, 3);
		assert_memory_equal(d.data, "abc", 3);
		break;
	case RK_CALLOUT:
		assert_true(r->has_cor && r->has_rmm && r->has_ctldat && r->llll_data);
		assert_memory_equal(r->cortkn, cortok, 40);
		assert_string_equal(r->cor.tpipe, "TPIPE1");
		assert_string_equal(r->cor.userid, "USER01");
		assert_string_equal(r->cor.imsid, "IMSA");
		assert_int_equal(r->cor.pstnr, 7);
		assert_int_equal(r->ctldat_len, 28);
		assert_int_equal(d.len, 40000);
		assert_true(imsc_reply_needs_ack(r));
		break;
	case RK_CALLOUT_NOCTL:
		assert_true(r->has_cor && !r->has_ctldat);
		assert_int_equal(d.len, 1);
		break;
	case RK_RSM:
		assert_true(r->has_rsm && !r->has_csm && !r->rsm.xasm);
		assert_int_equal(r->rsm.racfrc, 8);
		assert_int_equal(r->rsm.retcod, 8);
		assert_int_equal(r->rsm.rsncod, 40);
		break;
	case RK_XASM:
		assert_true(r->has_rsm && r->rsm.xasm);
		assert_int_equal(r->rsm.rsncod, 108);
		break;
	case RK_CSM_ONLY:
		assert_true(r->has_csm);
		assert_int_equal(d.len, 0);
		break;
	case RK_PING:
		assert_int_equal(d.len, 25);
		break;
	case RK_COUNT:
		break;
	}
	assert_int_equal(r->cp, cp);
	igw_buf_free(&d);
}

static void init_cortok(void)
{
	struct imsc_cortkn_fields f;
	memset(&f, 0, sizeof(f));
	f.pstnr = 7;
	strcpy(f.imsid, "IMSA");
	memcpy(f.memtk, "MEMTOKEN", 8);
	memcpy(f.awetk, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	strcpy(f.tpipe, "TPIPE1");
	strcpy(f.userid, "USER01");
	assert_int_equal(imsc_cortkn_build(&f, IMSC_CP_EBCDIC, cortok), 0);
	assert_int_equal(cortok[0], 0);
	assert_int_equal(cortok[1], 40);
}

static void reply_roundtrip_all(void **state)
{
	init_cortok();
	for (int k = 0; k < RK_COUNT; k++) {
		for (int fr = 0; fr < 2; fr++) {
			for (int cp = 0; cp < 2; cp++) {
				struct igw_buf out;
				igw_buf_init(&out, MAXMSG);
				int n = build_reply((enum reply_kind)k, (enum imsc_exit)fr,
						    (enum imsc_cp)cp, &out);
				if (n <= 0)
					fail_msg("%s: build %d", rk_names[k], n);
				struct imsc_reply r;
				int rc = imsc_reply_decode(out.data, out.len, (enum imsc_exit)fr, &r);
				if (rc != 0)
					fail_msg("%s fr%d cp%d: decode %d", rk_names[k], fr, cp, rc);
				assert_int_equal(r.total, out.len);
				check_reply((enum reply_kind)k, &r, (enum imsc_cp)cp);
				/* the framer assembles the same frame from single bytes */
				struct imsc_framer f;
				assert_int_equal(imsc_framer_init(&f, fr == 0 ? IMSC_FRAME_REPLY_SAMPL1
								: IMSC_FRAME_REPLY_SAMPLE, MAXMSG), 0);
				size_t pos = 0;
				long want;
				while ((want = imsc_framer_want(&f)) > 0) {
					assert_true(pos < out.len);
					size_t step = (size_t)want > 3 ? 3 : (size_t)want;
					assert_int_equal(imsc_framer_push(&f, out.data + pos, step), 0);
					pos += step;
				}
				assert_int_equal(want, 0);
				size_t fl = 0;
				const uint8_t *fp = imsc_framer_frame(&f, &fl);
				assert_non_null(fp);
				assert_int_equal(fl, out.len);
				assert_memory_equal(fp, out.data, fl);
				imsc_framer_free(&f);
				igw_buf_free(&out);
			}
		}
	}
}

/* Every truncation of every reply kind is rejected: the decoder with the
 * original LLLL, with an LLLL patched to the cut length, and the framer
 * never reports a complete frame early. */
static void reply_truncations(void **state)
{
	init_cortok();
	unsigned checked = 0;
	for (int k = 0; k < RK_COUNT; k++) {
		for (int fr = 0; fr < 2; fr++) {
			struct igw_buf out;
			igw_buf_init(&out, MAXMSG);
			assert_true(build_reply((enum reply_kind)k, (enum imsc_exit)fr,
						IMSC_CP_EBCDIC, &out) > 0);
			uint8_t *copy = malloc(out.len);
			assert_non_null(copy);
			for (size_t cut = 0; cut < out.len; cut++) {
				struct imsc_reply r;
				/* big bodies: every length near the structures, sampled inside data */
				if (cut > 300 && cut + 300 < out.len && cut % 101 != 0)
					continue;
				memcpy(copy, out.data, cut);
				assert_int_not_equal(imsc_reply_decode(copy, cut, (enum imsc_exit)fr, &r), 0);
				if (fr == 0 && cut >= 4) {
					copy[0] = (uint8_t)(cut >> 24);
					copy[1] = (uint8_t)(cut >> 16);
					copy[2] = (uint8_t)(cut >> 8);
					copy[3] = (uint8_t)cut;
					assert_int_not_equal(imsc_reply_decode(copy, cut, IMSC_EXIT_SAMPL1, &r), 0);
				}
				checked++;
			}
			/* framer: the first out.len-1 bytes never complete a frame */
			struct imsc_framer f;
			imsc_framer_init(&f, fr == 0 ? IMSC_FRAME_REPLY_SAMPL1 : IMSC_FRAME_REPLY_SAMPLE,
					 MAXMSG);
			size_t pos = 0;
			while (pos + 1 < out.len) {
				long want = imsc_framer_want(&f);
				assert_true(want > 0);
				size_t step = (size_t)want;
				if (pos + step > out.len - 1)
					step = out.len - 1 - pos;
				assert_int_equal(imsc_framer_push(&f, out.data + pos, step), 0);
				pos += step;
			}
			assert_true(imsc_framer_want(&f) > 0);
			imsc_framer_free(&f);
			free(copy);
			igw_buf_free(&out);
		}
	}
	assert_true(checked > 1000);
}

/* Flip every byte of every reply: the decoder never crashes or reads out of
 * bounds (ASan build), and never accepts an inconsistent total. */
static void reply_corruptions(void **state)
{
	init_cortok();
	for (int k = 0; k < RK_COUNT; k++) {
		if (k == RK_MULTI || k == RK_CALLOUT)
			continue;	/* big data bodies add nothing here */
		for (int fr = 0; fr < 2; fr++) {
			struct igw_buf out;
			igw_buf_init(&out, MAXMSG);
			build_reply((enum reply_kind)k, (enum imsc_exit)fr, IMSC_CP_EBCDIC, &out);
			uint8_t *copy = malloc(out.len);
			for (size_t i = 0; i < out.len; i++) {
				static const uint8_t x[] = { 0x01, 0x80, 0xFF, 0x10 };
				for (size_t j = 0; j < sizeof(x); j++) {
					memcpy(copy, out.data, out.len);
					copy[i] ^= x[j];
					struct imsc_reply r;
					if (imsc_reply_decode(copy, out.len, (enum imsc_exit)fr, &r) == 0)
						assert_int_equal(r.total, out.len);
				}
			}
			free(copy);
			igw_buf_free(&out);
		}
	}
}

static void reply_order_rules(void **state)
{
	struct igw_buf out;
	struct imsc_writer w;
	struct imsc_reply r;
	igw_buf_init(&out, MAXMSG);
	/* data after the CSM */
	imsc_writer_start(&w, &out, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	imsc_put_csm(&w, 0, 0);
	imsc_put_segment(&w, "x", 1);
	assert_true(imsc_writer_finish(&w) > 0);
	assert_int_equal(imsc_reply_decode(out.data, out.len, IMSC_EXIT_SAMPL1, &r), IGW_EPROTO);
	/* RSM after data */
	igw_buf_reset(&out);
	imsc_writer_start(&w, &out, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	imsc_put_segment(&w, "x", 1);
	imsc_put_rsm(&w, 0, 0, 4, 9);
	assert_true(imsc_writer_finish(&w) > 0);
	assert_int_equal(imsc_reply_decode(out.data, out.len, IMSC_EXIT_SAMPL1, &r), IGW_EPROTO);
	/* GENCID before RMM */
	igw_buf_reset(&out);
	imsc_writer_start(&w, &out, IMSC_EXIT_SAMPLE, IMSC_CP_EBCDIC);
	imsc_put_gencid(&w, "C1");
	imsc_put_rmm(&w, "M1");
	imsc_put_csm(&w, 0, 0);
	assert_true(imsc_writer_finish(&w) > 0);
	assert_int_equal(imsc_reply_decode(out.data, out.len, IMSC_EXIT_SAMPLE, &r), IGW_EPROTO);
	/* no final status */
	igw_buf_reset(&out);
	imsc_writer_start(&w, &out, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	imsc_put_segment(&w, "x", 1);
	assert_true(imsc_writer_finish(&w) > 0);
	assert_int_equal(imsc_reply_decode(out.data, out.len, IMSC_EXIT_SAMPL1, &r), IGW_EPROTO);
	/* a CSM with the wrong length */
	uint8_t bad[16];
	hex2bin("00000010 000D 00 00 5CC3E2D4D6D2E85C", bad, sizeof(bad));
	assert_int_equal(imsc_reply_decode(bad, 16, IMSC_EXIT_SAMPL1, &r), IGW_EPROTO);
	/* trailing bytes after the CSM (SAMPLE framing) */
	uint8_t trail[14];
	hex2bin("000C 0000 5CC3E2D4D6D2E85C 0000", trail, sizeof(trail));
	assert_int_equal(imsc_reply_decode(trail, 14, IMSC_EXIT_SAMPLE, &r), IGW_EPROTO);
	assert_int_equal(imsc_reply_decode(trail, 12, IMSC_EXIT_SAMPLE, &r), 0);
	/* a writer error leaves the buffer as it was */
	igw_buf_reset(&out);
	igw_buf_append(&out, "keep", 4);
	imsc_writer_start(&w, &out, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	imsc_put_segment(&w, "x", 1);
	imsc_put_rmm(&w, "NAMETOOLONG");
	imsc_put_csm(&w, 0, 0);
	assert_int_equal(imsc_writer_finish(&w), IGW_EINVAL);
	assert_int_equal(out.len, 4);
	igw_buf_free(&out);
}

/* ---------------------------------------------------------- framer */

static void framer_bounds(void **state)
{
	struct imsc_framer f;
	/* a declared length above max fails before anything is allocated */
	assert_int_equal(imsc_framer_init(&f, IMSC_FRAME_REQUEST, 4096), 0);
	assert_int_equal(imsc_framer_want(&f), 4);
	assert_int_equal(imsc_framer_push(&f, "\x7F\xFF\xFF\xFF", 4), IGW_ELIMIT);
	assert_true(f.buf.cap <= 64);
	assert_int_equal(imsc_framer_want(&f), IGW_ELIMIT);	/* sticky */
	assert_int_equal(imsc_framer_push(&f, "x", 1), IGW_ELIMIT);
	imsc_framer_reset(&f);
	/* negative and too-small lengths */
	assert_int_equal(imsc_framer_push(&f, "\x80\x00\x00\x58", 4), IGW_EPROTO);
	imsc_framer_reset(&f);
	assert_int_equal(imsc_framer_push(&f, "\x00\x00\x00\x08", 4), IGW_EPROTO);
	imsc_framer_reset(&f);
	/* pushing more than wanted is refused: no over-read of the next frame */
	assert_int_equal(imsc_framer_push(&f, "\x00\x00\x00\x58\x00", 5), IGW_EINVAL);
	imsc_framer_free(&f);

	/* two requests back to back come out one by one */
	uint8_t two[400];
	size_t n1 = base_request(two, sizeof(two), 0, ' ');
	size_t n2 = base_request(two + n1, sizeof(two) - n1, 0, 'A');
	assert_int_equal(imsc_framer_init(&f, IMSC_FRAME_REQUEST, 4096), 0);
	size_t pos = 0;
	for (int frame = 0; frame < 2; frame++) {
		long want;
		while ((want = imsc_framer_want(&f)) > 0) {
			assert_int_equal(imsc_framer_push(&f, two + pos, (size_t)want), 0);
			pos += (size_t)want;
		}
		size_t len;
		const uint8_t *p = imsc_framer_frame(&f, &len);
		assert_non_null(p);
		assert_int_equal(len, frame == 0 ? n1 : n2);
		struct imsc_request req;
		assert_int_equal(imsc_request_decode(p, len, &req, NULL), 0);
		assert_int_equal(req.irm.msgtype, frame == 0 ? ' ' : 'A');
		imsc_framer_reset(&f);
	}
	assert_int_equal(pos, n1 + n2);
	imsc_framer_free(&f);

	/* SAMPLE framing: a huge structure length is refused by the bound */
	assert_int_equal(imsc_framer_init(&f, IMSC_FRAME_REPLY_SAMPLE, 1000), 0);
	uint8_t co[12];
	/* a COR then a callout LLLL of 1 GiB */
	struct igw_buf out;
	igw_buf_init(&out, 4096);
	struct imsc_writer w;
	init_cortok();
	imsc_writer_start(&w, &out, IMSC_EXIT_SAMPLE, IMSC_CP_EBCDIC);
	imsc_put_cor(&w, cortok);
	assert_int_equal(imsc_writer_finish(&w), 52);
	long want;
	pos = 0;
	while ((want = imsc_framer_want(&f)) > 0 && pos < 52) {
		size_t step = (size_t)want;
		if (pos + step > 52)
			step = 52 - pos;
		assert_int_equal(imsc_framer_push(&f, out.data + pos, step), 0);
		pos += step;
	}
	hex2bin("40000000 0000 0000 0000 0000", co, sizeof(co));
	want = imsc_framer_want(&f);
	assert_int_equal(imsc_framer_push(&f, co, (size_t)want), IGW_ELIMIT);
	igw_buf_free(&out);
	imsc_framer_free(&f);
}

/* ------------------------------------------------------- timer, codes */

static void timer_grid(void **state)
{
	uint32_t ms;
	assert_int_equal(imsc_timer_decode(0x00, &ms), IMSC_TIMER_DEFAULT);
	assert_int_equal(imsc_timer_decode(0xE9, &ms), IMSC_TIMER_NOWAIT);
	assert_int_equal(imsc_timer_decode(0xFF, &ms), IMSC_TIMER_FOREVER);
	assert_int_equal(imsc_timer_decode(0x9F, &ms), IMSC_TIMER_INVALID);
	assert_int_equal(imsc_timer_decode(0xE8, &ms), IMSC_TIMER_INVALID);
	struct { uint8_t v; uint32_t ms; } pts[] = {
		{ 0x01, 10 }, { 0x19, 250 }, { 0x1A, 300 }, { 0x27, 950 },
		{ 0x28, 1000 }, { 0x45, 30000 }, { 0x63, 60000 }, { 0x64, 120000 },
		{ 0x9E, 3600000 },
	};
	for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
		assert_int_equal(imsc_timer_decode(pts[i].v, &ms), IMSC_TIMER_INTERVAL);
		assert_int_equal(ms, pts[i].ms);
	}
	/* encode(decode(v)) == v for every interval value (X'63' = 60 s) */
	for (unsigned v = 1; v <= 0x9E; v++) {
		uint8_t e;
		assert_int_equal(imsc_timer_decode((uint8_t)v, &ms), IMSC_TIMER_INTERVAL);
		assert_int_equal(imsc_timer_encode(ms, &e), 0);
		assert_int_equal(e, v);
	}
	/* rounding up */
	uint8_t e;
	assert_int_equal(imsc_timer_encode(1, &e), 0);
	assert_int_equal(e, 0x01);
	assert_int_equal(imsc_timer_encode(251, &e), 0);
	assert_int_equal(e, 0x1A);
	assert_int_equal(imsc_timer_encode(301, &e), 0);
	assert_int_equal(e, 0x1B);
	assert_int_equal(imsc_timer_encode(951, &e), 0);
	assert_int_equal(e, 0x28);
	assert_int_equal(imsc_timer_encode(60001, &e), 0);
	assert_int_equal(e, 0x64);
	assert_int_equal(imsc_timer_encode(0, &e), IGW_EINVAL);
	assert_int_equal(imsc_timer_encode(3600001, &e), IGW_EINVAL);
}

static void code_texts(void **state)
{
	assert_string_equal(imsc_rsn_name(56), "DUPECLNT");
	assert_string_equal(imsc_rsn_name(59), "CANTIMER");
	assert_string_equal(imsc_rsn_name(4), "");
	assert_string_equal(imsc_rsn_text(97), "DEALLOCATE CONFIRMED: IMS committed");
	assert_string_equal(imsc_rsn_text(1000), "unknown reason code");
	assert_string_equal(imsc_rc_text(44), "Cancel Timer completed");
	assert_string_equal(imsc_rc_text(3), "unknown return code");
	assert_string_equal(imsc_racfrc_text(0x1C), "user revoked");
	assert_true(imsc_rc_keeps_socket(40));
	assert_true(imsc_rc_keeps_socket(20));
	assert_false(imsc_rc_keeps_socket(32));
	assert_false(imsc_rc_keeps_socket(8));
}

static void ebcdic_tables(void **state)
{
	uint8_t all[256], e[256], back[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	for (int p = 0; p < 2; p++) {
		assert_int_equal(imsc_ebcdic_from_latin1((enum imsc_ebcdic_page)p, all, 256, e), 0);
		assert_int_equal(imsc_ebcdic_to_latin1((enum imsc_ebcdic_page)p, e, 256, back), 0);
		assert_memory_equal(all, back, 256);
	}
	/* the reference's IDs */
	uint8_t id[8];
	assert_int_equal(imsc_id_bytes("*CSMOKY*", IMSC_CP_EBCDIC, id), 0);
	assert_memory_equal(id, "\x5C\xC3\xE2\xD4\xD6\xD2\xE8\x5C", 8);
	assert_int_equal(imsc_id_bytes("*GENCID*", IMSC_CP_EBCDIC, id), 0);
	assert_memory_equal(id, "\x5C\xC7\xC5\xD5\xC3\xC9\xC4\x5C", 8);
	assert_int_equal(imsc_id_bytes("*XADPST*", IMSC_CP_EBCDIC, id), 0);
	assert_memory_equal(id, "\x5C\xE7\xC1\xC4\xD7\xE2\xE3\x5C", 8);
	/* CP037 and CP1047 differ on '[' */
	uint8_t a = '[', e37, e1047;
	imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, &a, 1, &e37);
	imsc_ebcdic_from_latin1(IMSC_EBCDIC_1047, &a, 1, &e1047);
	assert_int_equal(e37, 0xBA);
	assert_int_equal(e1047, 0xAD);
	assert_int_equal(imsc_ebcdic_page_parse("cp037"), IMSC_EBCDIC_037);
	assert_int_equal(imsc_ebcdic_page_parse("IBM-1047"), IMSC_EBCDIC_1047);
	assert_int_equal(imsc_ebcdic_page_parse("500"), -1);
	/* name decoding refuses control characters */
	char out[9];
	assert_int_equal(imsc_name_decode((const uint8_t *)"\x01\x40\x40\x40\x40\x40\x40\x40",
					  IMSC_CP_EBCDIC, out), IGW_ECONV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worked_example_request),
		cmocka_unit_test(worked_example_ack),
		cmocka_unit_test(worked_example_replies),
		cmocka_unit_test(request_roundtrip_all),
		cmocka_unit_test(request_semantic_checks),
		cmocka_unit_test(request_decode_reasons),
		cmocka_unit_test(reply_roundtrip_all),
		cmocka_unit_test(reply_truncations),
		cmocka_unit_test(reply_corruptions),
		cmocka_unit_test(reply_order_rules),
		cmocka_unit_test(framer_bounds),
		cmocka_unit_test(timer_grid),
		cmocka_unit_test(code_texts),
		cmocka_unit_test(ebcdic_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
