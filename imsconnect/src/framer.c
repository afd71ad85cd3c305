/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Incremental bounded frame assembly for requests and both reply framings. */
#include <string.h>

#include "imsgw/error.h"
#include "imsconnect/codec.h"
#include "codec_internal.h"

/* Smallest frames: a request is LLLL + fixed IRM + EOM; a SAMPL1 reply is
 * LLLL + CSM. */
#define REQ_MIN   (IMSC_LLLL_LEN + IMSC_IRM_FIXED_LEN + IMSC_EOM_LEN)
#define REPLY_MIN (IMSC_LLLL_LEN + IMSC_CSM_LEN)
#define PEEK      12u	/* LL + ZZ + 8-byte ID */

int imsc_framer_init(struct imsc_framer *f, enum imsc_frame_kind kind, size_t max)
{
	int rc = 0;
	memset(f, 0, sizeof(*f));
	if (kind > IMSC_FRAME_REPLY_SAMPLE || max < REQ_MIN)
		rc = IGW_EINVAL;
	if (rc == 0)
		rc = igw_buf_init(&f->buf, max);
	f->kind = kind;
	f->max = max;
	f->target = kind == IMSC_FRAME_REPLY_SAMPLE ? PEEK : IMSC_LLLL_LEN;
	f->err = rc;
	return rc;
}

long imsc_framer_want(const struct imsc_framer *f)
{
	long w;
	if (f->err)
		w = f->err;
	else if (f->done)
		w = 0;
	else
		w = (long)(f->target - f->buf.len);
	return w;
}

/* LLLL-framed kinds: decide the total once 4 bytes are in. */
static int decide_llll(struct imsc_framer *f)
{
	int rc = 0;
	uint32_t total = imsc_be32(f->buf.data);
	size_t min = f->kind == IMSC_FRAME_REQUEST ? REQ_MIN : REPLY_MIN;
	if (total & 0x80000000u || total < min)
		rc = IGW_EPROTO;
	else if (total > f->max)
		rc = IGW_ELIMIT;
	else
		f->target = total;
	return rc;
}

/* SAMPLE replies: with PEEK bytes of the current element in, find its
 * length; finish on CSM/RSM. */
static int decide_sample(struct imsc_framer *f)
{
	struct imsc_elem e;
	int rc = imsc_elem_classify(f->buf.data + f->elem, f->buf.len - f->elem,
				    f->cor_seen && !f->data_seen, &e);
	if (rc == 0 && e.len > f->max - f->elem)
		rc = IGW_ELIMIT;
	if (rc == 0) {
		if (e.kind == IMSC_ELEM_COR)
			f->cor_seen = true;
		if (e.kind == IMSC_ELEM_CALLOUT_DATA)
			f->data_seen = true;
		if (e.kind == IMSC_ELEM_CSM || e.kind == IMSC_ELEM_RSM ||
		    e.kind == IMSC_ELEM_XASM) {
			if (f->elem + e.len < f->buf.len)
				rc = IGW_EPROTO;	/* cannot happen: CSM/RSM >= PEEK */
			f->target = f->elem + e.len;
			f->done = f->target == f->buf.len;
			f->elem = f->target;	/* no more elements */
		} else {
			f->elem += e.len;
			if (f->elem > f->max - PEEK)
				rc = IGW_ELIMIT;
			else
				f->target = f->elem + PEEK;
		}
	}
	return rc;
}

int imsc_framer_push(struct imsc_framer *f, const void *p, size_t n)
{
	int rc = f->err;
	if (rc == 0 && (f->done || n > f->target - f->buf.len || (n > 0 && p == NULL)))
		rc = IGW_EINVAL;
	if (rc == 0)
		rc = igw_buf_append(&f->buf, p, n);
	while (rc == 0 && !f->done && f->buf.len == f->target) {
		if (f->kind == IMSC_FRAME_REPLY_SAMPLE) {
			if (f->elem == f->target)	/* final CSM/RSM complete */
				f->done = true;
			else
				rc = decide_sample(f);
		} else if (f->buf.len == IMSC_LLLL_LEN && f->target == IMSC_LLLL_LEN) {
			rc = decide_llll(f);
		} else {
			f->done = true;
		}
	}
	if (rc != 0)
		f->err = rc;
	return rc;
}

const uint8_t *imsc_framer_frame(const struct imsc_framer *f, size_t *len)
{
	const uint8_t *p = NULL;
	if (f->err == 0 && f->done) {
		p = f->buf.data;
		*len = f->buf.len;
	}
	return p;
}

void imsc_framer_reset(struct imsc_framer *f)
{
	igw_buf_reset(&f->buf);
	f->target = f->kind == IMSC_FRAME_REPLY_SAMPLE ? PEEK : IMSC_LLLL_LEN;
	f->elem = 0;
	f->cor_seen = f->data_seen = false;
	f->done = false;
	f->err = f->buf.max ? 0 : IGW_EINVAL;
}

void imsc_framer_free(struct imsc_framer *f)
{
	igw_buf_free(&f->buf);
	f->done = false;
	f->err = IGW_EINVAL;
}
