/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Request messages: LLLL + IRM (+ extensions) + segments + EOM. */
#include <string.h>

#include "imsgw/error.h"
#include "imsgw/secure.h"
#include "imsconnect/codec.h"
#include "imsconnect/ebcdic.h"
#include "codec_internal.h"

static const char msgtypes[] = " ANDCRSKJLM";
static const char data_msgtypes[] = " SKJLM";

void imsc_irm_init(struct imsc_irm *irm, enum imsc_exit exit, enum imsc_cp cp)
{
	memset(irm, 0, sizeof(*irm));
	irm->exit = exit;
	irm->cp = cp;
	irm->arch = 0;
	irm->f2 = IMSC_F2_CM1;
	irm->f3 = IMSC_F3_SYNC_NONE;
	irm->msgtype = IMSC_MT_SENDRECV;
	irm->timer = IMSC_TIMER_V_DEFAULT;
	irm->soct = IMSC_SOCT_PERSISTENT;
}

void imsc_irm_wipe(struct imsc_irm *irm)
{
	igw_secure_zero(irm, sizeof(*irm));
}

unsigned imsc_irm_len_for_arch(unsigned arch)
{
	static const unsigned lens[] = {
		IMSC_IRM_LEN_ARCH0, IMSC_IRM_LEN_ARCH1, IMSC_IRM_LEN_ARCH2,
		IMSC_IRM_LEN_ARCH3, IMSC_IRM_LEN_ARCH4, IMSC_IRM_LEN_ARCH5,
	};
	return arch <= IMSC_ARCH_MAX ? lens[arch] : 0;
}

int imsc_msgtype_valid(char mt)
{
	return mt != 0 && strchr(msgtypes, mt) != NULL;
}

int imsc_msgtype_has_data(char mt)
{
	return mt != 0 && strchr(data_msgtypes, mt) != NULL;
}

/* ---------------------------------------------------------------- encode */

static const char *exit_id(enum imsc_exit exit)
{
	return exit == IMSC_EXIT_SAMPLE ? IMSC_ID_SAMPLE : IMSC_ID_SAMPL1;
}

/* A callout error response (F0 NAKRSN or SYNCNAK) carries no data. */
static bool callout_error(uint8_t f0)
{
	return (f0 & (IMSC_F0_NAKRSN | IMSC_F0_SYNCNAK)) != 0;
}

static int check_request(const struct imsc_irm *irm, size_t nseg)
{
	int rc = 0;
	bool callout = irm->msgtype == IMSC_MT_CALLOUT_RESP ||
		       irm->msgtype == IMSC_MT_CALLOUT_RESP_ACK;
	if (!imsc_msgtype_valid(irm->msgtype) || irm->arch > IMSC_ARCH_MAX ||
	    (irm->exit != IMSC_EXIT_SAMPL1 && irm->exit != IMSC_EXIT_SAMPLE))
		rc = IGW_EINVAL;
	else if (!imsc_msgtype_has_data(irm->msgtype) && nseg != 0)
		rc = IGW_EINVAL;
	else if (imsc_msgtype_has_data(irm->msgtype) && nseg == 0 &&
		 !(callout && callout_error(irm->f0)))
		rc = IGW_EINVAL;
	else if (callout && (irm->arch < 3 || nseg > 1))
		rc = IGW_EINVAL;
	else if ((irm->f0 & (IMSC_F0_SYNONLY | IMSC_F0_SYNASYN)) && irm->arch < 3)
		rc = IGW_EINVAL;
	else if (irm->next > IMSC_IRM_EXT_MAX || (irm->next > 0 && irm->arch < 5))
		rc = IGW_EINVAL;
	return rc;
}

/* Natural IRM length: user part of the arch plus the extensions. */
static int natural_irm_len(const struct imsc_irm *irm, size_t *out)
{
	int rc = 0;
	size_t n = imsc_irm_len_for_arch(irm->arch);
	if (n == 0)
		n = IMSC_IRM_LEN_ARCH0;
	for (unsigned i = 0; i < irm->next && i < IMSC_IRM_EXT_MAX; i++)
		n += IMSC_IRM_EXT_HDR_LEN + irm->ext[i].len;
	if (n > 0xFFFFu)
		rc = IGW_EINVAL;
	*out = n;
	return rc;
}

/* Write an 8-byte name at message offset off if the IRM covers it. */
static int put_name(uint8_t *msg, size_t irm_end, size_t off, const char *name,
                    enum imsc_cp cp)
{
	int rc = 0;
	if (off + IMSC_NAME_LEN <= irm_end)
		rc = imsc_name_encode(name, cp, msg + off);
	return rc;
}

static void put_bytes(uint8_t *msg, size_t irm_end, size_t off, const void *p, size_t n)
{
	if (off + n <= irm_end)
		memcpy(msg + off, p, n);
}

static int encode_msgtype(const struct imsc_irm *irm, bool nocheck, uint8_t *out)
{
	int rc = 0;
	if (imsc_msgtype_valid(irm->msgtype)) {
		uint8_t c = (uint8_t)irm->msgtype;
		if (irm->cp == IMSC_CP_EBCDIC)
			rc = imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, &c, 1, &c);
		*out = c;
	} else if (nocheck) {
		*out = irm->f4_raw;
	} else {
		rc = IGW_EINVAL;
	}
	return rc;
}

static int write_irm(const struct imsc_irm *irm, bool nocheck, uint8_t *msg,
                     size_t irm_len)
{
	int rc = 0;
	size_t end = 4 + irm_len;	/* message offset where the IRM ends */
	enum imsc_cp cp = irm->cp;
	uint8_t f0 = irm->f0;
	uint16_t extn_off = irm->extn_off;

	if (irm->next > 0) {
		f0 |= IMSC_F0_EXTENS;
		if (extn_off == 0)
			extn_off = (uint16_t)IMSC_IRM_LEN_ARCH5;
	}
	imsc_put16(msg + IMSC_OFF_IRM_LEN, (uint16_t)irm_len);
	msg[IMSC_OFF_ARCH] = irm->arch;
	msg[IMSC_OFF_F0] = f0;
	rc = imsc_id_bytes(exit_id(irm->exit), cp, msg + IMSC_OFF_ID);
	imsc_put16(msg + IMSC_OFF_NAK_RSNCDE, irm->nak_rsncde);
	imsc_put16(msg + IMSC_OFF_RES1, irm->res1);
	msg[IMSC_OFF_F5] = irm->f5;
	msg[IMSC_OFF_TIMER] = irm->timer;
	msg[IMSC_OFF_SOCT] = irm->soct;
	msg[IMSC_OFF_ES] = irm->es;
	if (rc == 0)
		rc = put_name(msg, end, IMSC_OFF_CLIENTID, irm->clientid, cp);
	if (end >= IMSC_OFF_F4 + 1) {
		msg[IMSC_OFF_F1] = irm->f1;
		msg[IMSC_OFF_F2] = irm->f2;
		msg[IMSC_OFF_F3] = irm->f3;
		if (rc == 0)
			rc = encode_msgtype(irm, nocheck, msg + IMSC_OFF_F4);
	}
	if (rc == 0)
		rc = put_name(msg, end, IMSC_OFF_TRNCOD, irm->trncod, cp);
	if (rc == 0)
		rc = put_name(msg, end, IMSC_OFF_DESTID, irm->destid, cp);
	if (rc == 0)
		rc = put_name(msg, end, IMSC_OFF_LTERM, irm->lterm, cp);
	if (rc == 0)
		rc = put_name(msg, end, IMSC_OFF_USERID, irm->userid, cp);
	if (rc == 0)
		rc = put_name(msg, end, IMSC_OFF_GROUP, irm->group, cp);
	if (rc == 0)
		rc = put_name(msg, end, IMSC_OFF_PASSWORD, irm->password, cp);
	if (rc == 0 && (irm->arch >= 1 || irm->applnm[0] || irm->rerout[0])) {
		rc = put_name(msg, end, IMSC_OFF_APPLNM, irm->applnm, cp);
		if (rc == 0)
			rc = put_name(msg, end, IMSC_OFF_REROUT, irm->rerout, cp);
	}
	if (rc == 0 && irm->arch >= 2) {
		rc = put_name(msg, end, IMSC_OFF_TAG_ADAPT, irm->tag_adapt, cp);
		if (rc == 0)
			rc = put_name(msg, end, IMSC_OFF_TAG_MAP, irm->tag_map, cp);
	}
	if (rc == 0 && irm->arch >= 3) {
		put_bytes(msg, end, IMSC_OFF_CORTKN, irm->cortkn, IMSC_CORTKN_LEN);
		rc = put_name(msg, end, IMSC_OFF_MODNAME, irm->modname, cp);
	}
	if (rc == 0 && irm->arch >= 4)
		put_bytes(msg, end, IMSC_OFF_SESTKN, irm->sestkn, IMSC_SESTKN_LEN);
	if (rc == 0 && irm->arch >= 5 && IMSC_OFF_EXTN_OFF + 4 <= end)
		imsc_put16(msg + IMSC_OFF_EXTN_OFF, extn_off);
	/* extensions, back to back from IRM-relative offset extn_off */
	size_t pos = 4 + (size_t)extn_off;
	for (unsigned i = 0; rc == 0 && i < irm->next; i++) {
		const struct imsc_irm_ext *e = &irm->ext[i];
		size_t n = IMSC_IRM_EXT_HDR_LEN + e->len;
		if (pos + n > end || (e->len > 0 && e->data == NULL)) {
			rc = IGW_EINVAL;
		} else {
			imsc_put16(msg + pos, (uint16_t)n);
			imsc_put16(msg + pos + 2, 0);
			rc = imsc_id_bytes(e->id, cp, msg + pos + 4);
			if (e->len > 0)
				memcpy(msg + pos + IMSC_IRM_EXT_HDR_LEN, e->data, e->len);
			pos += n;
		}
	}
	return rc;
}

int imsc_request_encode(const struct imsc_irm *irm, const struct imsc_seg *segs,
                        size_t nseg, unsigned flags, struct igw_buf *out)
{
	int rc = 0;
	bool nocheck = (flags & IMSC_ENC_NOCHECK) != 0;
	bool llll = irm->msgtype == IMSC_MT_CALLOUT_RESP ||
		    irm->msgtype == IMSC_MT_CALLOUT_RESP_ACK;
	size_t irm_len = 0, body = 0;

	if (!nocheck)
		rc = check_request(irm, nseg);
	if (rc == 0 && nseg > 0 && segs == NULL)
		rc = IGW_EINVAL;
	if (rc == 0)
		rc = natural_irm_len(irm, &irm_len);
	if (rc == 0 && irm->irm_len != 0) {
		if ((!nocheck && irm->irm_len < irm_len) || irm->irm_len < IMSC_IRM_FIXED_LEN)
			rc = IGW_EINVAL;
		else
			irm_len = irm->irm_len;
	}
	for (size_t i = 0; rc == 0 && i < nseg; i++) {
		size_t max = llll ? IMSC_MSG_MAX_LEN - 4u : IMSC_SEG_DATA_MAX;
		if (segs[i].len > max || (segs[i].len > 0 && segs[i].data == NULL))
			rc = IGW_EINVAL;
		else if (body > IMSC_MSG_MAX_LEN)
			rc = IGW_EINVAL;
		else
			body += 4 + segs[i].len;
	}
	size_t total = 4 + irm_len + body + IMSC_EOM_LEN;
	if (rc == 0 && (body > IMSC_MSG_MAX_LEN || total > IMSC_MSG_MAX_LEN))
		rc = IGW_EINVAL;
	if (rc == 0)
		rc = igw_buf_reserve(out, total);
	if (rc == 0) {
		uint8_t *msg = out->data + out->len;
		memset(msg, 0, total);
		imsc_put32(msg, (uint32_t)total);
		rc = write_irm(irm, nocheck, msg, irm_len);
		size_t pos = 4 + irm_len;
		for (size_t i = 0; rc == 0 && i < nseg; i++) {
			if (llll) {
				imsc_put32(msg + pos, (uint32_t)(4 + segs[i].len));
			} else {
				imsc_put16(msg + pos, (uint16_t)(4 + segs[i].len));
				imsc_put16(msg + pos + 2, 0);
			}
			if (segs[i].len > 0)
				memcpy(msg + pos + 4, segs[i].data, segs[i].len);
			pos += 4 + segs[i].len;
		}
		imsc_put32(msg + pos, 0x00040000u);
		if (rc == 0) {
			out->len += total;
			out->data[out->len] = 0;
			rc = (int)(total > (size_t)0x7FFFFFFF ? 0x7FFFFFFF : total);
		} else {
			igw_secure_zero(msg, total);
			out->data[out->len] = 0;
		}
	}
	return rc;
}

/* ---------------------------------------------------------------- decode */

static int decode_msgtype(uint8_t b, enum imsc_cp cp, char *mt)
{
	int rc = IGW_EPROTO;
	uint8_t e2a = 0;
	if (imsc_ebcdic_to_latin1(IMSC_EBCDIC_037, &b, 1, &e2a) != 0)
		e2a = 0;
	char first = (char)(cp == IMSC_CP_EBCDIC ? e2a : b);
	char second = (char)(cp == IMSC_CP_EBCDIC ? b : e2a);
	if (imsc_msgtype_valid(first)) {
		*mt = first;
		rc = 0;
	} else if (imsc_msgtype_valid(second)) {
		*mt = second;
		rc = 0;
	}
	return rc;
}

static void detect_exit(const uint8_t *id, struct imsc_irm *irm)
{
	irm->exit = IMSC_EXIT_OTHER;
	irm->cp = id[0] == '*' ? IMSC_CP_ASCII : IMSC_CP_EBCDIC;
	for (int cp = IMSC_CP_EBCDIC; cp <= IMSC_CP_ASCII; cp++) {
		if (imsc_id_is(id, IMSC_ID_SAMPL1, cp)) {
			irm->exit = IMSC_EXIT_SAMPL1;
			irm->cp = (enum imsc_cp)cp;
		} else if (imsc_id_is(id, IMSC_ID_SAMPLE, cp)) {
			irm->exit = IMSC_EXIT_SAMPLE;
			irm->cp = (enum imsc_cp)cp;
		}
	}
	if (imsc_name_decode(id, irm->cp, irm->irm_id) != 0)
		irm->irm_id[0] = 0;
}

/* Decode the name at message offset off if the IRM covers it. */
static int get_name(const uint8_t *msg, size_t irm_end, size_t off, enum imsc_cp cp,
                    char out[IMSC_NAME_BUF])
{
	int rc = 0;
	out[0] = 0;
	if (off + IMSC_NAME_LEN <= irm_end)
		rc = imsc_name_decode(msg + off, cp, out);
	return rc;
}

static int decode_extensions(const uint8_t *msg, size_t irm_len, struct imsc_irm *irm,
                             uint32_t *rsn)
{
	int rc = 0;
	if (irm->arch < 5 || irm_len < IMSC_IRM_LEN_ARCH5) {
		rc = IGW_EPROTO;
		*rsn = IMSC_RSN_EXT_BAD;
	} else if (irm->extn_off == 0) {
		rc = IGW_EPROTO;
		*rsn = IMSC_RSN_EXT_OFF_ZERO;
	} else if (irm->extn_off < IMSC_IRM_LEN_ARCH5 || irm->extn_off >= irm_len) {
		rc = IGW_EPROTO;
		*rsn = IMSC_RSN_EXT_BAD;
	}
	size_t pos = irm->extn_off;	/* IRM-relative */
	const uint8_t *base = msg + 4;
	while (rc == 0 && pos < irm_len) {
		size_t ll = irm_len - pos >= 2 ? imsc_be16(base + pos) : 0;
		if (ll < IMSC_IRM_EXT_HDR_LEN || ll > irm_len - pos ||
		    irm->next >= IMSC_IRM_EXT_MAX) {
			rc = IGW_EPROTO;
			*rsn = IMSC_RSN_EXT_BAD;
		} else {
			struct imsc_irm_ext *e = &irm->ext[irm->next];
			if (imsc_name_decode(base + pos + 4, irm->cp, e->id) != 0)
				e->id[0] = 0;
			e->data = base + pos + IMSC_IRM_EXT_HDR_LEN;
			e->len = (uint16_t)(ll - IMSC_IRM_EXT_HDR_LEN);
			if (strcmp(e->id, "*NETUID*") == 0 && e->len > 246) {
				rc = IGW_EPROTO;
				*rsn = IMSC_RSN_NETUID_LEN;
			} else if (strcmp(e->id, "*NETSID*") == 0 && e->len > 254) {
				rc = IGW_EPROTO;
				*rsn = IMSC_RSN_NETSID_LEN;
			}
			irm->next++;
			pos += ll;
		}
	}
	return rc;
}

static int decode_irm(const uint8_t *msg, size_t irm_len, struct imsc_irm *irm,
                      uint32_t *rsn)
{
	int rc = 0;
	size_t end = 4 + irm_len;
	irm->irm_len = (uint16_t)irm_len;
	irm->arch = msg[IMSC_OFF_ARCH];
	irm->f0 = msg[IMSC_OFF_F0];
	detect_exit(msg + IMSC_OFF_ID, irm);
	irm->nak_rsncde = imsc_be16(msg + IMSC_OFF_NAK_RSNCDE);
	irm->res1 = imsc_be16(msg + IMSC_OFF_RES1);
	irm->f5 = msg[IMSC_OFF_F5];
	irm->timer = msg[IMSC_OFF_TIMER];
	irm->soct = msg[IMSC_OFF_SOCT];
	irm->es = msg[IMSC_OFF_ES];
	enum imsc_cp cp = irm->cp;
	rc = get_name(msg, end, IMSC_OFF_CLIENTID, cp, irm->clientid);
	if (rc == 0 && irm->exit != IMSC_EXIT_OTHER) {
		if (irm_len < IMSC_IRM_LEN_ARCH0) {
			rc = IGW_EPROTO;
			*rsn = IMSC_RSN_IRM_LEN;
		} else if (irm->arch > IMSC_ARCH_MAX) {
			rc = IGW_EPROTO;
			*rsn = IMSC_RSN_INVBUF;
		} else if (irm_len < imsc_irm_len_for_arch(irm->arch)) {
			rc = IGW_EPROTO;
			*rsn = IMSC_RSN_IRM_LEN;
		}
		if (rc == 0) {
			irm->f1 = msg[IMSC_OFF_F1];
			irm->f2 = msg[IMSC_OFF_F2];
			irm->f3 = msg[IMSC_OFF_F3];
			irm->f4_raw = msg[IMSC_OFF_F4];
			rc = decode_msgtype(irm->f4_raw, cp, &irm->msgtype);
		}
		static const struct { size_t off; size_t field; } names[] = {
			{ IMSC_OFF_TRNCOD, offsetof(struct imsc_irm, trncod) },
			{ IMSC_OFF_DESTID, offsetof(struct imsc_irm, destid) },
			{ IMSC_OFF_LTERM, offsetof(struct imsc_irm, lterm) },
			{ IMSC_OFF_USERID, offsetof(struct imsc_irm, userid) },
			{ IMSC_OFF_GROUP, offsetof(struct imsc_irm, group) },
			{ IMSC_OFF_PASSWORD, offsetof(struct imsc_irm, password) },
			{ IMSC_OFF_APPLNM, offsetof(struct imsc_irm, applnm) },
			{ IMSC_OFF_REROUT, offsetof(struct imsc_irm, rerout) },
			{ IMSC_OFF_TAG_ADAPT, offsetof(struct imsc_irm, tag_adapt) },
			{ IMSC_OFF_TAG_MAP, offsetof(struct imsc_irm, tag_map) },
		};
		for (size_t i = 0; rc == 0 && i < sizeof(names) / sizeof(names[0]); i++)
			rc = get_name(msg, end, names[i].off, cp,
				      (char *)irm + names[i].field);
		if (rc == 0 && irm->arch >= 3) {
			memcpy(irm->cortkn, msg + IMSC_OFF_CORTKN, IMSC_CORTKN_LEN);
			rc = get_name(msg, end, IMSC_OFF_MODNAME, cp, irm->modname);
		}
		if (rc == 0 && irm->arch >= 4)
			memcpy(irm->sestkn, msg + IMSC_OFF_SESTKN, IMSC_SESTKN_LEN);
		if (rc == 0 && irm->arch >= 5)
			irm->extn_off = imsc_be16(msg + IMSC_OFF_EXTN_OFF);
		if (rc != 0 && *rsn == 0) {
			rc = IGW_EPROTO;
			*rsn = IMSC_RSN_INVBUF;
		}
		if (rc == 0 && (irm->f0 & IMSC_F0_EXTENS))
			rc = decode_extensions(msg, irm_len, irm, rsn);
	}
	if (rc != 0 && *rsn == 0) {
		rc = IGW_EPROTO;
		*rsn = IMSC_RSN_INVBUF;
	}
	return rc;
}

static int count_segments(const uint8_t *body, size_t len, bool llll, size_t *nseg)
{
	struct imsc_seg_iter it;
	const uint8_t *d;
	size_t n = 0, dl;
	int r;
	imsc_seg_iter_init(&it, body, len, llll);
	while ((r = imsc_seg_iter_next(&it, &d, &dl)) == 1)
		n++;
	*nseg = n;
	return r;
}

int imsc_request_decode(const uint8_t *msg, size_t len, struct imsc_request *req,
                        uint32_t *rsn)
{
	int rc = 0;
	uint32_t reason = 0;
	memset(req, 0, sizeof(*req));
	if (msg == NULL || len < 4) {
		rc = IGW_EPROTO;
		reason = IMSC_RSN_TOTAL_LEN;
	} else {
		req->llll = imsc_be32(msg);
		if (req->llll & 0x80000000u) {
			rc = IGW_EPROTO;
			reason = IMSC_RSN_NEG_LENGTH;
		} else if (req->llll != len || len < IMSC_LLLL_LEN + IMSC_IRM_FIXED_LEN + IMSC_EOM_LEN) {
			rc = IGW_EPROTO;
			reason = IMSC_RSN_TOTAL_LEN;
		}
	}
	size_t irm_len = 0;
	if (rc == 0) {
		irm_len = imsc_be16(msg + IMSC_OFF_IRM_LEN);
		if (irm_len & 0x8000u) {
			rc = IGW_EPROTO;
			reason = IMSC_RSN_NEG_LENGTH;
		} else if (irm_len < IMSC_IRM_FIXED_LEN || 4 + irm_len + IMSC_EOM_LEN > len) {
			rc = IGW_EPROTO;
			reason = IMSC_RSN_IRM_LEN;
		}
	}
	if (rc == 0)
		rc = decode_irm(msg, irm_len, &req->irm, &reason);
	if (rc == 0 && imsc_be32(msg + len - 4) != 0x00040000u) {
		rc = IGW_EPROTO;
		reason = IMSC_RSN_TOTAL_LEN;
	}
	if (rc == 0) {
		char mt = req->irm.msgtype;
		req->irm_raw = msg + 4;
		req->body = msg + 4 + irm_len;
		req->body_len = len - 4 - irm_len - IMSC_EOM_LEN;
		req->llll_data = mt == IMSC_MT_CALLOUT_RESP || mt == IMSC_MT_CALLOUT_RESP_ACK;
		if (count_segments(req->body, req->body_len, req->llll_data, &req->nseg) < 0) {
			rc = IGW_EPROTO;
			reason = IMSC_RSN_INVBUF;
		} else if (req->irm.exit != IMSC_EXIT_OTHER) {
			bool err_resp = req->llll_data && callout_error(req->irm.f0);
			if (imsc_msgtype_has_data(mt) && req->nseg == 0 && !err_resp) {
				rc = IGW_EPROTO;
				reason = IMSC_RSN_NO_DATA;
			} else if (!imsc_msgtype_has_data(mt) && req->nseg != 0) {
				rc = IGW_EPROTO;
				reason = IMSC_RSN_INVBUF;
			}
		}
	}
	if (rc != 0)
		igw_secure_zero(req->irm.password, sizeof(req->irm.password));
	if (rsn)
		*rsn = rc == 0 ? 0 : reason;
	return rc;
}

/* -------------------------------------------------------------- segments */

void imsc_seg_iter_init(struct imsc_seg_iter *it, const uint8_t *body, size_t len,
                        bool llll)
{
	it->p = body;
	it->left = body ? len : 0;
	it->llll = llll;
	it->err = 0;
}

int imsc_seg_iter_next(struct imsc_seg_iter *it, const uint8_t **data, size_t *len)
{
	int rc = it->err;
	if (rc == 0 && it->left > 0) {
		size_t hl = 4;
		size_t ll = 0;
		if (it->left < hl) {
			rc = IGW_EPROTO;
		} else {
			ll = it->llll ? imsc_be32(it->p) : imsc_be16(it->p);
			/* an LL of 4 inside a body would be a premature EOM */
			if (ll <= hl || ll > it->left)
				rc = IGW_EPROTO;
		}
		if (rc == 0) {
			*data = it->p + hl;
			*len = ll - hl;
			it->p += ll;
			it->left -= ll;
			rc = 1;
		} else {
			it->err = rc;
		}
	}
	return rc;
}

int imsc_request_data(const struct imsc_request *req, struct igw_buf *out)
{
	struct imsc_seg_iter it;
	const uint8_t *d;
	size_t n;
	int r;
	size_t start = out->len;
	imsc_seg_iter_init(&it, req->body, req->body_len, req->llll_data);
	while ((r = imsc_seg_iter_next(&it, &d, &n)) == 1) {
		r = igw_buf_append(out, d, n);
		if (r < 0)
			break;
	}
	if (r < 0)
		out->len = start;
	return r < 0 ? r : 0;
}
