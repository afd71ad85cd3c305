/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Replies: [COR] [RMM] [GENCID] [CTLDAT] data... CSM | RSM; the writer. */
#include <string.h>

#include "imsgw/error.h"
#include "imsgw/secure.h"
#include "imsconnect/codec.h"
#include "codec_internal.h"

/* ------------------------------------------------------ correlation token */

int imsc_cortkn_build(const struct imsc_cortkn_fields *f, enum imsc_cp cp,
                      uint8_t tok[IMSC_CORTKN_LEN])
{
	uint8_t t[IMSC_CORTKN_LEN];
	uint8_t name[IMSC_NAME_LEN];
	int rc = 0;
	memset(t, 0, sizeof(t));
	imsc_put16(t, f->ll ? f->ll : (uint16_t)IMSC_CORTKN_LEN);
	imsc_put16(t + 2, f->pstnr);
	if (strnlen(f->imsid, sizeof(f->imsid)) > 4)
		rc = IGW_EINVAL;
	if (rc == 0)
		rc = imsc_name_encode(f->imsid, cp, name);	/* first 4 bytes used */
	if (rc == 0)
		memcpy(t + 4, name, 4);
	memcpy(t + 8, f->memtk, 8);
	memcpy(t + 16, f->awetk, 8);
	if (rc == 0)
		rc = imsc_name_encode(f->tpipe, cp, t + 24);
	if (rc == 0)
		rc = imsc_name_encode(f->userid, cp, t + 32);
	if (rc == 0)
		memcpy(tok, t, sizeof(t));
	return rc;
}

int imsc_cortkn_parse(const uint8_t tok[IMSC_CORTKN_LEN], enum imsc_cp cp,
                      struct imsc_cortkn_fields *f)
{
	uint8_t name[IMSC_NAME_LEN];
	char tmp[IMSC_NAME_BUF];
	int rc;
	memset(f, 0, sizeof(*f));
	f->ll = imsc_be16(tok);
	f->pstnr = imsc_be16(tok + 2);
	memcpy(name, tok + 4, 4);
	memset(name + 4, cp == IMSC_CP_EBCDIC ? 0x40 : 0x20, 4);
	rc = imsc_name_decode(name, cp, tmp);
	if (rc == 0)
		memcpy(f->imsid, tmp, 5);
	memcpy(f->memtk, tok + 8, 8);
	memcpy(f->awetk, tok + 16, 8);
	if (rc == 0)
		rc = imsc_name_decode(tok + 24, cp, f->tpipe);
	if (rc == 0)
		rc = imsc_name_decode(tok + 32, cp, f->userid);
	return rc;
}

/* ------------------------------------------------------------- classify */

static int id_match(const uint8_t *p, const char *id, int *cp)
{
	int found = 0;
	for (int c = IMSC_CP_EBCDIC; c <= IMSC_CP_ASCII && !found; c++) {
		if (imsc_id_is(p, id, c)) {
			found = 1;
			*cp = c;
		}
	}
	return found;
}

int imsc_elem_classify(const uint8_t *p, size_t avail, bool callout,
                       struct imsc_elem *e)
{
	int rc = 0;
	bool ids = avail >= 12;
	const uint8_t *id = p + 4;
	e->cp = IMSC_CP_EBCDIC;
	e->kind = IMSC_ELEM_DATA;
	e->len = imsc_be16(p);
	if (ids && id_match(id, IMSC_ID_CSM, &e->cp)) {
		e->kind = IMSC_ELEM_CSM;
		if (e->len != IMSC_CSM_LEN)
			rc = IGW_EPROTO;
	} else if (ids && id_match(id, IMSC_ID_RSM, &e->cp)) {
		e->kind = IMSC_ELEM_RSM;
		if (e->len != IMSC_RSM_LEN)
			rc = IGW_EPROTO;
	} else if (ids && id_match(id, IMSC_ID_XASM, &e->cp)) {
		e->kind = IMSC_ELEM_XASM;
		if (e->len != IMSC_RSM_LEN)
			rc = IGW_EPROTO;
	} else if (ids && id_match(id, IMSC_ID_RMM, &e->cp)) {
		e->kind = IMSC_ELEM_RMM;
		if (e->len != IMSC_RMM_LEN)
			rc = IGW_EPROTO;
	} else if (ids && id_match(id, IMSC_ID_GENCID, &e->cp)) {
		e->kind = IMSC_ELEM_GENCID;
		if (e->len != IMSC_GENCID_LEN)
			rc = IGW_EPROTO;
	} else if (ids && id_match(id, IMSC_ID_COR, &e->cp)) {
		e->kind = IMSC_ELEM_COR;
		if (e->len != IMSC_COR_LEN)
			rc = IGW_EPROTO;
	} else if (ids && callout && id_match(id, IMSC_ID_CTLDAT, &e->cp)) {
		e->kind = IMSC_ELEM_CTLDAT;
		e->len = imsc_be32(p);
		if (e->len < IMSC_CTLDAT_HDR_LEN)
			rc = IGW_EPROTO;
	} else if (callout) {
		e->kind = IMSC_ELEM_CALLOUT_DATA;
		e->len = imsc_be32(p);
		if (e->len <= 4)
			rc = IGW_EPROTO;
	} else if (e->len <= 4) {
		rc = IGW_EPROTO;	/* empty or impossible segment */
	}
	return rc;
}

/* ---------------------------------------------------------------- decode */

/* Order of structures in a reply: each element's stage must not go back. */
static int stage_of(enum imsc_elem_kind k)
{
	static const int stage[] = {
		[IMSC_ELEM_COR] = 1, [IMSC_ELEM_RMM] = 2, [IMSC_ELEM_GENCID] = 3,
		[IMSC_ELEM_CTLDAT] = 4, [IMSC_ELEM_DATA] = 5,
		[IMSC_ELEM_CALLOUT_DATA] = 5, [IMSC_ELEM_CSM] = 6,
		[IMSC_ELEM_RSM] = 6, [IMSC_ELEM_XASM] = 6,
	};
	return stage[k];
}

static int take_elem(struct imsc_reply *r, const uint8_t *p, const struct imsc_elem *e)
{
	int rc = 0;
	enum imsc_cp cp = (enum imsc_cp)e->cp;
	switch (e->kind) {
	case IMSC_ELEM_CSM:
		r->has_csm = true;
		r->cp = cp;
		r->csm_flg1 = p[2];
		r->csm_prlvl = p[3];
		break;
	case IMSC_ELEM_RSM:
	case IMSC_ELEM_XASM:
		r->has_rsm = true;
		r->cp = cp;
		r->rsm.flg1 = p[2];
		r->rsm.racfrc = p[3];
		r->rsm.retcod = imsc_be32(p + 12);
		r->rsm.rsncod = imsc_be32(p + 16);
		r->rsm.xasm = e->kind == IMSC_ELEM_XASM;
		break;
	case IMSC_ELEM_RMM:
		r->has_rmm = true;
		rc = imsc_name_decode(p + 12, cp, r->modname);
		break;
	case IMSC_ELEM_GENCID:
		r->has_gencid = true;
		rc = imsc_name_decode(p + 12, cp, r->clientid);
		break;
	case IMSC_ELEM_COR:
		r->has_cor = true;
		memcpy(r->cortkn, p + 12, IMSC_CORTKN_LEN);
		/* The token is made by OTMA: its character fields are
		 * informative only, tried in the structure's code page, then
		 * in the other one. */
		if (imsc_cortkn_parse(r->cortkn, cp, &r->cor) != 0 &&
		    imsc_cortkn_parse(r->cortkn, cp == IMSC_CP_EBCDIC ? IMSC_CP_ASCII
				      : IMSC_CP_EBCDIC, &r->cor) != 0)
			memset(&r->cor, 0, sizeof(r->cor));
		break;
	case IMSC_ELEM_CTLDAT:
		r->has_ctldat = true;
		r->ctldat = p + IMSC_CTLDAT_HDR_LEN;
		r->ctldat_len = e->len - IMSC_CTLDAT_HDR_LEN;
		break;
	case IMSC_ELEM_DATA:
	case IMSC_ELEM_CALLOUT_DATA:
		if (r->nseg == 0)
			r->data = p;
		r->nseg++;
		r->data_len = (size_t)(p + e->len - r->data);
		r->llll_data = e->kind == IMSC_ELEM_CALLOUT_DATA;
		break;
	}
	return rc == 0 ? 0 : IGW_EPROTO;
}

int imsc_reply_decode(const uint8_t *msg, size_t len, enum imsc_exit framing,
                      struct imsc_reply *r)
{
	int rc = 0;
	size_t pos = 0;
	memset(r, 0, sizeof(*r));
	if (msg == NULL || (framing != IMSC_EXIT_SAMPL1 && framing != IMSC_EXIT_SAMPLE))
		rc = IGW_EINVAL;
	else if (framing == IMSC_EXIT_SAMPL1) {
		if (len < IMSC_LLLL_LEN || imsc_be32(msg) != len)
			rc = IGW_EPROTO;
		pos = IMSC_LLLL_LEN;
	}
	int stage = 0;
	enum imsc_elem_kind prev = IMSC_ELEM_CSM;
	bool callout = false, ended = false;
	while (rc == 0 && !ended && pos < len) {
		struct imsc_elem e;
		size_t avail = len - pos;
		if (avail < 4)
			rc = IGW_EPROTO;
		if (rc == 0)
			rc = imsc_elem_classify(msg + pos, avail, callout, &e);
		if (rc == 0 && e.len > avail)
			rc = IGW_EPROTO;
		if (rc == 0) {
			int s = stage_of(e.kind);
			bool repeat_ok = e.kind == IMSC_ELEM_DATA && prev == IMSC_ELEM_DATA;
			if (s < stage || (s == stage && !repeat_ok))
				rc = IGW_EPROTO;
			else if ((e.kind == IMSC_ELEM_RSM || e.kind == IMSC_ELEM_XASM) && stage != 0)
				rc = IGW_EPROTO;	/* a status reply is the RSM alone */
			else if (e.kind == IMSC_ELEM_CALLOUT_DATA && !callout)
				rc = IGW_EPROTO;
			stage = s;
			prev = e.kind;
		}
		if (rc == 0)
			rc = take_elem(r, msg + pos, &e);
		if (rc == 0) {
			if (e.kind == IMSC_ELEM_COR)
				callout = true;
			else if (e.kind == IMSC_ELEM_CALLOUT_DATA)
				callout = false;
			ended = e.kind == IMSC_ELEM_CSM || e.kind == IMSC_ELEM_RSM ||
				e.kind == IMSC_ELEM_XASM;
			pos += e.len;
		}
	}
	if (rc == 0 && (!ended || pos != len))
		rc = IGW_EPROTO;	/* no final CSM/RSM, or bytes after it */
	if (rc == 0)
		r->total = len;
	return rc;
}

int imsc_reply_data(const struct imsc_reply *r, struct igw_buf *out)
{
	struct imsc_seg_iter it;
	const uint8_t *d;
	size_t n;
	int rv;
	size_t start = out->len;
	imsc_seg_iter_init(&it, r->data, r->data_len, r->llll_data);
	while ((rv = imsc_seg_iter_next(&it, &d, &n)) == 1) {
		rv = igw_buf_append(out, d, n);
		if (rv < 0)
			break;
	}
	if (rv < 0)
		out->len = start;
	return rv < 0 ? rv : 0;
}

int imsc_reply_needs_ack(const struct imsc_reply *r)
{
	return r->has_csm && (r->csm_flg1 & IMSC_FLG1_ACK_REQUIRED) != 0;
}

/* ---------------------------------------------------------------- writer */

void imsc_writer_start(struct imsc_writer *w, struct igw_buf *out,
                       enum imsc_exit framing, enum imsc_cp cp)
{
	static const uint8_t zero4[4];
	w->out = out;
	w->start = out->len;
	w->framing = framing;
	w->cp = cp;
	w->err = 0;
	if (framing != IMSC_EXIT_SAMPL1 && framing != IMSC_EXIT_SAMPLE)
		w->err = IGW_EINVAL;
	else if (cp != IMSC_CP_EBCDIC && cp != IMSC_CP_ASCII)
		w->err = IGW_EINVAL;
	else if (framing == IMSC_EXIT_SAMPL1)
		w->err = igw_buf_append(out, zero4, 4);
}

static void w_append(struct imsc_writer *w, const void *p, size_t n)
{
	if (w->err == 0)
		w->err = igw_buf_append(w->out, p, n);
}

/* LL ZZ *ID* + tail (tail_len bytes) */
static void w_struct(struct imsc_writer *w, const char *id, uint8_t b2, uint8_t b3,
                     const uint8_t *tail, size_t tail_len)
{
	uint8_t s[IMSC_COR_LEN];
	size_t n = 12 + tail_len;
	if (w->err == 0 && n > sizeof(s))
		w->err = IGW_EINVAL;
	if (w->err == 0) {
		imsc_put16(s, (uint16_t)n);
		s[2] = b2;
		s[3] = b3;
		w->err = imsc_id_bytes(id, w->cp, s + 4);
	}
	if (w->err == 0 && tail_len > 0)
		memcpy(s + 12, tail, tail_len);
	w_append(w, s, n);
}

static void w_named(struct imsc_writer *w, const char *id, const char *name)
{
	uint8_t field[IMSC_NAME_LEN];
	if (w->err == 0)
		w->err = imsc_name_encode(name, w->cp, field);
	w_struct(w, id, 0, 0, field, sizeof(field));
}

void imsc_put_rmm(struct imsc_writer *w, const char *modname)
{
	w_named(w, IMSC_ID_RMM, modname);
}

void imsc_put_gencid(struct imsc_writer *w, const char *clientid)
{
	w_named(w, IMSC_ID_GENCID, clientid);
}

void imsc_put_cor(struct imsc_writer *w, const uint8_t tok[IMSC_CORTKN_LEN])
{
	w_struct(w, IMSC_ID_COR, 0, 0, tok, IMSC_CORTKN_LEN);
}

void imsc_put_ctldat(struct imsc_writer *w, const uint8_t *content, size_t len)
{
	uint8_t h[IMSC_CTLDAT_HDR_LEN];
	if (w->err == 0 && (len > IMSC_MSG_MAX_LEN - IMSC_CTLDAT_HDR_LEN ||
			    (len > 0 && content == NULL)))
		w->err = IGW_EINVAL;
	if (w->err == 0) {
		memset(h, 0, sizeof(h));
		imsc_put32(h, (uint32_t)(IMSC_CTLDAT_HDR_LEN + len));
		w->err = imsc_id_bytes(IMSC_ID_CTLDAT, w->cp, h + 4);
	}
	w_append(w, h, sizeof(h));
	if (len > 0)
		w_append(w, content, len);
}

void imsc_put_segment(struct imsc_writer *w, const void *data, size_t len)
{
	uint8_t h[4];
	if (w->err == 0 && (len == 0 || len > IMSC_SEG_DATA_MAX || data == NULL))
		w->err = IGW_EINVAL;
	if (w->err == 0) {
		imsc_put16(h, (uint16_t)(len + 4));
		imsc_put16(h + 2, 0);
	}
	w_append(w, h, sizeof(h));
	w_append(w, data, len);
}

void imsc_put_data(struct imsc_writer *w, const void *data, size_t len, size_t seg_max)
{
	const uint8_t *p = data;
	if (seg_max == 0 || seg_max > IMSC_SEG_DATA_MAX)
		seg_max = IMSC_SEG_DATA_MAX;
	while (w->err == 0 && len > 0) {
		size_t n = len < seg_max ? len : seg_max;
		imsc_put_segment(w, p, n);
		p += n;
		len -= n;
	}
}

void imsc_put_callout_data(struct imsc_writer *w, const void *data, size_t len)
{
	uint8_t h[4];
	if (w->err == 0 && (len == 0 || len > IMSC_MSG_MAX_LEN - 4 || data == NULL))
		w->err = IGW_EINVAL;
	if (w->err == 0)
		imsc_put32(h, (uint32_t)(len + 4));
	w_append(w, h, sizeof(h));
	w_append(w, data, len);
}

void imsc_put_csm(struct imsc_writer *w, uint8_t flg1, uint8_t prlvl)
{
	w_struct(w, IMSC_ID_CSM, flg1, prlvl, NULL, 0);
}

static void put_status(struct imsc_writer *w, const char *id, uint8_t flg1,
                       uint8_t racfrc, uint32_t retcod, uint32_t rsncod)
{
	uint8_t tail[8];
	imsc_put32(tail, retcod);
	imsc_put32(tail + 4, rsncod);
	w_struct(w, id, flg1, racfrc, tail, sizeof(tail));
}

void imsc_put_rsm(struct imsc_writer *w, uint8_t flg1, uint8_t racfrc,
                  uint32_t retcod, uint32_t rsncod)
{
	put_status(w, IMSC_ID_RSM, flg1, racfrc, retcod, rsncod);
}

void imsc_put_xasm(struct imsc_writer *w, uint8_t flg1, uint8_t racfrc,
                   uint32_t retcod, uint32_t rsncod)
{
	put_status(w, IMSC_ID_XASM, flg1, racfrc, retcod, rsncod);
}

int imsc_writer_finish(struct imsc_writer *w)
{
	int rc = w->err;
	size_t n = 0;
	if (rc == 0) {
		n = w->out->len - w->start;
		if (n > IMSC_MSG_MAX_LEN)
			rc = IGW_EINVAL;
	}
	if (rc == 0 && w->framing == IMSC_EXIT_SAMPL1)
		imsc_put32(w->out->data + w->start, (uint32_t)n);
	if (rc != 0 && w->out->data && w->out->len > w->start) {
		igw_secure_zero(w->out->data + w->start, w->out->len - w->start);
		w->out->len = w->start;
		w->out->data[w->out->len] = 0;
	}
	w->err = rc;
	return rc == 0 ? (int)n : rc;
}
