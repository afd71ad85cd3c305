/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interaction results: the reply frame and its meaning as an IGW error. */
#include <string.h>

#include "imsgw/error.h"
#include "imsgw/limits.h"
#include "imsconnect/client.h"

void imsc_result_init(struct imsc_result *res, size_t max)
{
	memset(res, 0, sizeof(*res));
	igw_buf_init(&res->raw, max ? max : IGW_IMSC_MSG_DEFAULT);
}

void imsc_result_reset(struct imsc_result *res)
{
	igw_buf_reset(&res->raw);
	memset(&res->reply, 0, sizeof(res->reply));
	res->have = false;
}

void imsc_result_free(struct imsc_result *res)
{
	igw_buf_free(&res->raw);
	memset(&res->reply, 0, sizeof(res->reply));
	res->have = false;
}

int imsc_result_data(const struct imsc_result *res, struct igw_buf *out)
{
	return res->have ? imsc_reply_data(&res->reply, out) : IGW_EINVAL;
}

static int is_security(uint32_t rsn)
{
	return rsn == IMSC_RSN_SECFAIL || (rsn >= IMSC_RSN_NOSECHDR && rsn <= IMSC_RSN_SECFNPUI) ||
	       rsn == IMSC_RSN_RACF_FAILED;
}

/* OTMA NAK (RC 16) whose sense code reports a security violation (TIMS /
 * RIMS / CIMS under OTMA security CHECK or FULL).  The reference leaves the
 * sense code open (Q8); X'1A' is the value the simulator is configured with
 * (simulator/sim.conf tims_sense) and the one imsgw treats as security. */
#define IMSC_OTMA_SENSE_SECURITY 0x1Au

static int is_datastore(uint32_t rsn)
{
	return (rsn >= IMSC_RSN_DS_NOT_FOUND && rsn <= IMSC_RSN_DS_COMM_PENDING) || rsn == 80;
}

int imsc_result_error(const struct imsc_result *res)
{
	int err = 0;
	if (!res->have) {
		err = IGW_EINVAL;
	} else if (res->reply.has_rsm) {
		uint32_t rc = res->reply.rsm.retcod, rsn = res->reply.rsm.rsncod;
		if (rc == IMSC_RC_TIMER || rc == IMSC_RC_DEFAULT_TIMER || rc == IMSC_RC_TIMER_KEPT)
			err = IGW_ETIMEOUT;
		else if (rc == IMSC_RC_OTMA_NAK ? rsn == IMSC_OTMA_SENSE_SECURITY : is_security(rsn))
			err = IGW_EAUTH;
		else if (rsn == IMSC_RSN_DUPECLNT)
			err = IGW_EBUSY;
		else if (is_datastore(rsn))
			err = IGW_ECONNECT;
		else
			err = IGW_EIMS;
	}
	return err;
}

const char *imsc_result_reason(const struct imsc_result *res)
{
	const char *r = NULL;
	switch (imsc_result_error(res)) {
	case 0:
		break;
	case IGW_ETIMEOUT:
		r = "IMSC-TIMEOUT";
		break;
	case IGW_EAUTH:
		r = "IMSC-SECURITY";
		break;
	case IGW_EBUSY:
		r = "IMSC-DUPLICATE-CLIENT";
		break;
	case IGW_ECONNECT:
		r = "IMSC-DATASTORE";
		break;
	case IGW_EINVAL:
		r = "IMSC-PROTOCOL";
		break;
	default:
		r = "IMSC-REJECTED";
		break;
	}
	return r;
}
