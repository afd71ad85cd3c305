/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the client's direction of the codec.  Input byte 0 picks the
 * framing (even: *SAMPL1*, odd: *SAMPLE*); the rest is what IMS Connect
 * sent.  Runs the bounded framer (pushing whatever it asks for) and the
 * reply decoder, then walks the decoded data and re-encodes a CSM/RSM
 * reply from what was decoded, which must decode again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "imsgw/core.h"
#include "imsconnect/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum imsc_exit fr = (data[0] & 1) ? IMSC_EXIT_SAMPLE : IMSC_EXIT_SAMPL1;
	const uint8_t *p = data + 1;
	size_t n = size - 1;

	/* framer: push as much as wanted, never more */
	struct imsc_framer f;
	if (imsc_framer_init(&f, fr == IMSC_EXIT_SAMPL1 ? IMSC_FRAME_REPLY_SAMPL1
			     : IMSC_FRAME_REPLY_SAMPLE, 1u << 16) == 0) {
		size_t pos = 0;
		long want;
		while ((want = imsc_framer_want(&f)) > 0 && pos < n) {
			size_t k = (size_t)want < n - pos ? (size_t)want : n - pos;
			if (imsc_framer_push(&f, p + pos, k) != 0)
				break;
			pos += k;
		}
		size_t fl = 0;
		const uint8_t *frame = imsc_framer_frame(&f, &fl);
		if (frame) {
			struct imsc_reply r;
			(void)imsc_reply_decode(frame, fl, fr, &r);
		}
		imsc_framer_free(&f);
	}

	/* decoder on the raw bytes */
	struct imsc_reply r;
	if (imsc_reply_decode(p, n, fr, &r) == 0) {
		struct igw_buf d;
		igw_buf_init(&d, 1u << 20);
		if (imsc_reply_data(&r, &d) != 0 && r.data_len <= (1u << 20))
			abort();	/* a decoded reply's data must be walkable */
		igw_buf_free(&d);
		if (r.total != n)
			abort();
		/* re-encode the status and decode it again */
		struct igw_buf out;
		struct imsc_writer w;
		igw_buf_init(&out, 4096);
		imsc_writer_start(&w, &out, fr, r.cp);
		if (r.has_rsm)
			imsc_put_rsm(&w, r.rsm.flg1, r.rsm.racfrc, r.rsm.retcod, r.rsm.rsncod);
		else
			imsc_put_csm(&w, r.csm_flg1, r.csm_prlvl);
		struct imsc_reply r2;
		if (imsc_writer_finish(&w) <= 0 ||
		    imsc_reply_decode(out.data, out.len, fr, &r2) != 0)
			abort();
		igw_buf_free(&out);
	}
	return 0;
}
