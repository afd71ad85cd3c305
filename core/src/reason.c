/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one table of client-visible reason codes.  Keep rows sorted by layer. */
#include <string.h>
#include "imsgw/error.h"
#include "imsgw/reason.h"

#define C IGW_FAULT_CLIENT
#define S IGW_FAULT_SERVER

static const struct igw_reason reasons[] = {
	/* gateway / HTTP */
	{ "GW-OK",              200, S, "OK" },
	{ "GW-BAD-REQUEST",     400, C, "The request is malformed" },
	{ "GW-CLIENT-CERT",     403, C, "A valid client certificate is required" },
	{ "GW-FORBIDDEN",       403, C, "Access denied" },
	{ "GW-NOT-FOUND",       404, C, "No such service" },
	{ "GW-METHOD",          405, C, "Method not allowed" },
	{ "GW-TOO-LARGE",       413, C, "The request body is too large" },
	{ "GW-MEDIA-TYPE",      415, C, "Unsupported content type" },
	{ "GW-LIMIT",           400, C, "A request limit was exceeded" },
	{ "GW-INTERNAL",        500, S, "Internal gateway error" },
	{ "GW-OVERLOADED",      503, S, "The gateway is overloaded; retry later" },
	{ "GW-TIMEOUT",         504, S, "The request did not complete in time" },
	{ "GW-UNAVAILABLE",     503, S, "The back end is unavailable" },
	/* WS-Security */
	{ "WSS-PARSE",          400, C, "The SOAP envelope could not be parsed" },
	{ "WSS-AUTH",           500, C, "The security token could not be authenticated" },
	{ "WSS-DENIED",         500, C, "Access denied by the security policy" },
	{ "WSS-REPLAY",         500, C, "The message was already received" },
	{ "WSS-EXPIRED",        500, C, "The security token is expired or not yet valid" },
	{ "WSS-SIGNATURE",      500, C, "The signature is invalid" },
	{ "WSS-UNSUPPORTED",    500, C, "Unsupported security token" },
	/* IMS Connect / IMS */
	{ "IMSC-CONNECT",       503, S, "IMS Connect is unreachable" },
	{ "IMSC-PROTOCOL",      502, S, "IMS Connect returned an invalid reply" },
	{ "IMSC-TIMEOUT",       504, S, "IMS Connect did not answer in time" },
	{ "IMS-ERROR",          500, S, "IMS reported an error" },
	/* conversion */
	{ "CONV-INPUT",         500, C, "The request data does not fit the message layout" },
	{ "CONV-OUTPUT",        500, S, "The IMS reply does not fit the message layout" },
};

#undef C
#undef S

const struct igw_reason *igw_reason_table(unsigned *count)
{
	*count = (unsigned)(sizeof(reasons) / sizeof(reasons[0]));
	return reasons;
}

const struct igw_reason *igw_reason_find(const char *code)
{
	const struct igw_reason *found = 0;
	if (code) {
		for (unsigned i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
			if (strcmp(reasons[i].code, code) == 0) {
				found = &reasons[i];
				break;
			}
		}
	}
	return found;
}

const struct igw_reason *igw_reason_for_error(int err)
{
	const char *code;
	switch (err) {
	case IGW_OK:           code = "GW-OK"; break;
	case IGW_EINVAL:
	case IGW_EPARSE:       code = "GW-BAD-REQUEST"; break;
	case IGW_ELIMIT:       code = "GW-LIMIT"; break;
	case IGW_ETIMEOUT:     code = "GW-TIMEOUT"; break;
	case IGW_EAUTH:        code = "WSS-AUTH"; break;
	case IGW_EDENIED:      code = "WSS-DENIED"; break;
	case IGW_ENOTFOUND:    code = "GW-NOT-FOUND"; break;
	case IGW_EREPLAY:      code = "WSS-REPLAY"; break;
	case IGW_EEXPIRED:     code = "WSS-EXPIRED"; break;
	case IGW_ESIGNATURE:   code = "WSS-SIGNATURE"; break;
	case IGW_EUNSUPPORTED: code = "WSS-UNSUPPORTED"; break;
	case IGW_EOVERLOAD:    code = "GW-OVERLOADED"; break;
	case IGW_ECONNECT:
	case IGW_ECLOSED:      code = "IMSC-CONNECT"; break;
	case IGW_EPROTO:       code = "IMSC-PROTOCOL"; break;
	case IGW_EIMS:         code = "IMS-ERROR"; break;
	case IGW_ECONV:        code = "CONV-INPUT"; break;
	case IGW_ETLS:         code = "GW-CLIENT-CERT"; break;
	default:               code = "GW-INTERNAL"; break;
	}
	return igw_reason_find(code);
}
