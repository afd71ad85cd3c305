/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the server's direction of the codec (what the simulator
 * reads).  Runs the bounded request framer and the request decoder; a
 * decoded request's segments must be walkable, and a decoded IRM must
 * encode again (without checks) and decode to the same fields.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imsgw/core.h"
#include "imsconnect/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imsc_framer f;
	if (imsc_framer_init(&f, IMSC_FRAME_REQUEST, 1u << 16) == 0) {
		size_t pos = 0;
		long want;
		while ((want = imsc_framer_want(&f)) > 0 && pos < size) {
			size_t k = (size_t)want < size - pos ? (size_t)want : size - pos;
			if (imsc_framer_push(&f, data + pos, k) != 0)
				break;
			pos += k;
		}
		imsc_framer_free(&f);
	}

	struct imsc_request req;
	uint32_t rsn = 0;
	int rc = imsc_request_decode(data, size, &req, &rsn);
	if (rc != 0 && rsn == 0)
		abort();	/* every rejection names an RSM reason */
	if (rc == 0 && req.irm.exit != IMSC_EXIT_OTHER) {
		struct igw_buf d;
		igw_buf_init(&d, 1u << 20);
		if (imsc_request_data(&req, &d) != 0 && req.body_len < (1u << 20))
			abort();
		igw_buf_free(&d);
		/* re-encode the IRM alone (no segments) and decode it again */
		struct imsc_irm irm = req.irm;
		irm.next = 0;
		irm.irm_len = 0;
		irm.f0 = (uint8_t)(irm.f0 & ~IMSC_F0_EXTENS);
		irm.extn_off = 0;
		struct igw_buf out;
		igw_buf_init(&out, 1u << 16);
		if (irm.arch <= IMSC_ARCH_MAX &&
		    imsc_request_encode(&irm, NULL, 0, IMSC_ENC_NOCHECK, &out) > 0) {
			struct imsc_request back;
			uint32_t r2 = 0;
			/* data-less types must decode; the fields must survive */
			if (!imsc_msgtype_has_data(irm.msgtype) &&
			    imsc_request_decode(out.data, out.len, &back, &r2) == 0 &&
			    (strcmp(back.irm.clientid, irm.clientid) != 0 ||
			     strcmp(back.irm.userid, irm.userid) != 0 ||
			     back.irm.msgtype != irm.msgtype || back.irm.timer != irm.timer))
				abort();
		}
		igw_buf_free(&out);
		imsc_irm_wipe(&irm);
	}
	return 0;
}
