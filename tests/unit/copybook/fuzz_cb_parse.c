/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: copybook source -> layout -> listing, message, WSDL.
 * libFuzzer entry point; tests/fuzz/replay_main.c replays a corpus.
 */
#include <stddef.h>
#include <stdint.h>
#include "imsgw/core.h"
#include "copybook/copybook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_diag d;
	if (igw_cb_parse_mem("fuzz", (const char *)data, size, NULL, &cb, &d) == IGW_OK) {
		struct igw_cb_msg m;
		struct igw_buf b;
		igw_buf_init(&b, IGW_CB_WSDL_MAX);
		for (unsigned i = 0; i < igw_cb_record_count(cb); i++)
			(void)igw_cb_dump(igw_cb_record_at(cb, i), &b);
		if (igw_cb_msg_build(cb, NULL, &m, &d) == IGW_OK) {
			struct igw_cb_operation op = { "Op", "TRAN", &m, &m };
			struct igw_cb_wsdl_spec sp = { "Svc", "urn:fuzz", "http://localhost/", &op, 1 };
			igw_buf_reset(&b);
			(void)igw_cb_wsdl_write(&sp, &b, &d);
		}
		igw_buf_free(&b);
		igw_cb_copybook_free(cb);
	}
	return 0;
}
