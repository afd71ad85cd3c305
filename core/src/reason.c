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
	{ "GW-OPERATION",       500, C, "The request names no operation of this service" },
	{ "GW-IDENTITY-UNMAPPED", 500, C, "The caller's identity is not allowed to use this service" },
	{ "GW-IDENTITY-INVALID",  500, C, "The caller's identity cannot be mapped to IMS credentials" },
	/* WS-Security */
	{ "WSS-PARSE",          400, C, "The SOAP envelope could not be parsed" },
	{ "WSS-AUTH",           500, C, "The security token could not be authenticated" },
	{ "WSS-DENIED",         500, C, "Access denied by the security policy" },
	{ "WSS-REPLAY",         500, C, "The message was already received" },
	{ "WSS-EXPIRED",        500, C, "The security token is expired or not yet valid" },
	{ "WSS-SIGNATURE",      500, C, "The signature is invalid" },
	{ "WSS-UNSUPPORTED",    500, C, "Unsupported security token" },
	{ "WSS-OK",             200, S, "OK" },
	{ "WSS-DTD",            400, C, "Document type declarations are not allowed" },
	{ "WSS-LIMIT",          400, C, "The SOAP envelope exceeds a size limit" },
	{ "WSS-SOAP-STRUCTURE", 500, C, "The SOAP envelope is not valid" },
	{ "WSS-MUST-UNDERSTAND",500, C, "A mandatory header was not understood" },
	{ "WSS-DUPLICATE-ID",   500, C, "The message contains duplicate IDs" },
	{ "WSS-SECURITY-MISSING",500, C, "A WS-Security header is required" },
	{ "WSS-SECURITY-MULTIPLE",500, C, "More than one WS-Security header" },
	{ "WSS-SECURITY-MALFORMED",500, C, "The WS-Security header is malformed" },
	{ "WSS-TOKEN-MISSING",  500, C, "A security token is required" },
	{ "WSS-TOKEN-MULTIPLE", 500, C, "Only one security token is allowed" },
	{ "WSS-TOKEN-UNSUPPORTED",500, C, "The security token type is not accepted" },
	{ "WSS-UT-MALFORMED",   500, C, "The UsernameToken is malformed" },
	{ "WSS-UT-PASSWORD-TYPE",500, C, "The password type is not accepted" },
	{ "WSS-UT-POLICY",      500, C, "The UsernameToken does not meet the security policy" },
	{ "WSS-UT-BAD-PASSWORD",500, C, "The security token could not be authenticated" },
	{ "WSS-UT-EXPIRED",     500, C, "The UsernameToken is too old" },
	{ "WSS-UT-FUTURE",      500, C, "The UsernameToken is not yet valid" },
	{ "WSS-UT-NONCE-REPLAY",500, C, "The message was already received" },
	{ "WSS-TS-MISSING",     500, C, "A Timestamp is required" },
	{ "WSS-TS-MALFORMED",   500, C, "The Timestamp is malformed" },
	{ "WSS-TS-EXPIRED",     500, C, "The message has expired" },
	{ "WSS-TS-FUTURE",      500, C, "The message is not yet valid" },
	{ "WSS-REPLAY-FULL",    503, S, "The gateway is overloaded; retry later" },
	{ "WSS-REPLAY-UNAVAILABLE",500, S, "Replay protection is not available" },
	{ "WSS-CREDENTIALS",    500, S, "The credential store is not available" },
	{ "WSS-MODULE-DENIED",  500, C, "Access denied by the security policy" },
	{ "WSS-INTERNAL",       500, S, "Internal security error" },
	{ "SAML-MALFORMED",     500, C, "The SAML assertion is malformed" },
	{ "SAML-VERSION",       500, C, "The SAML version is not supported" },
	{ "SAML-NAMEID",        500, C, "The SAML subject is not acceptable" },
	{ "SAML-CONDITIONS",    500, C, "The SAML conditions are not supported" },
	{ "SAML-AUDIENCE",      500, C, "The SAML assertion is not for this service" },
	{ "SAML-EXPIRED",       500, C, "The SAML assertion has expired" },
	{ "SAML-NOT-YET-VALID", 500, C, "The SAML assertion is not yet valid" },
	{ "SAML-CONFIRMATION",  500, C, "The SAML confirmation method is not accepted" },
	{ "SAML-SV-NO-ATTESTER",500, C, "No trusted party vouches for the SAML subject" },
	{ "SAML-REPLAY",        500, C, "The SAML assertion was already used" },
	{ "SAML-SIG-REQUIRED",  500, C, "The SAML assertion must be signed" },
	{ "SAML-SIG-MALFORMED", 500, C, "The SAML signature is malformed" },
	{ "SAML-SIG-ALGORITHM", 500, C, "The SAML signature algorithm is not accepted" },
	{ "SAML-SIG-NO-CERT",   500, C, "The SAML signer certificate is missing or unusable" },
	{ "SAML-SIG-CERT-EXPIRED",500, C, "The SAML signer certificate is expired or not yet valid" },
	{ "SAML-SIG-UNTRUSTED", 500, C, "The SAML signer is not trusted" },
	{ "SAML-SIG-INVALID",   500, C, "The SAML signature is invalid" },
	{ "SAML-XSW",           500, C, "The SAML signature does not cover the assertion" },
	/* IMS Connect / IMS */
	{ "IMSC-CONNECT",       503, S, "IMS Connect is unreachable" },
	{ "IMSC-PROTOCOL",      502, S, "IMS Connect returned an invalid reply" },
	{ "IMSC-TIMEOUT",       504, S, "IMS Connect did not answer in time" },
	{ "IMSC-SECURITY",      500, C, "IMS Connect rejected the credentials" },
	{ "IMSC-DATASTORE",     503, S, "The IMS data store is unavailable" },
	{ "IMSC-DUPLICATE-CLIENT", 503, S, "The IMS Connect client ID is in use; retry later" },
	{ "IMSC-XML-ADAPTER",   500, S, "IMS Connect's XML adapter could not convert the message" },
	{ "IMSC-REJECTED",      502, S, "IMS Connect rejected the request" },
	{ "IMS-ERROR",          500, S, "IMS reported an error" },
	{ "IMS-DFS",            500, S, "IMS answered with an error message" },
	/* conversion */
	{ "CONV-INPUT",         500, C, "The request data does not fit the message layout" },
	{ "CONV-OUTPUT",        500, S, "The IMS reply does not fit the message layout" },
	{ "CONV-IN-MALFORMED",  500, C, "The request body is not well-formed XML" },
	{ "CONV-IN-LIMIT",      500, C, "The request data exceeds a conversion limit" },
	{ "CONV-IN-UNKNOWN",    500, C, "The request contains an unexpected element" },
	{ "CONV-IN-MISSING",    500, C, "The request lacks a required segment" },
	{ "CONV-IN-OCCURS",     500, C, "An element occurs too often or too rarely" },
	{ "CONV-IN-TOO-LONG",   500, C, "A text value is longer than its field" },
	{ "CONV-IN-CHARSET",    500, C, "A character cannot be represented in the host code page" },
	{ "CONV-IN-NOT-ALPHA",  500, C, "An alphabetic field contains a non-letter" },
	{ "CONV-IN-NOT-NUMERIC",500, C, "A numeric field contains a non-numeric value" },
	{ "CONV-IN-DIGITS",     500, C, "A numeric value has too many digits for its field" },
	{ "CONV-IN-SIGN",       500, C, "A negative value was sent for an unsigned field" },
	{ "CONV-OUT-LENGTH",    500, S, "An IMS output segment has the wrong length" },
	{ "CONV-OUT-SEGMENTS",  500, S, "The IMS output has missing or extra segments" },
	{ "CONV-OUT-ODO",       500, S, "An IMS output table count is out of range" },
	{ "CONV-OUT-ZONED",     500, S, "An IMS output field holds invalid zoned decimal data" },
	{ "CONV-OUT-PACKED",    500, S, "An IMS output field holds invalid packed decimal data" },
	{ "CONV-OUT-DIGITS",    500, S, "An IMS output binary field exceeds its digits" },
	{ "CONV-OUT-CHARSET",   500, S, "An IMS output text field holds unconvertible bytes" },
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
