/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Return and reason code names and texts (reference 3.8, 5.3). */
#include <stddef.h>

#include "imsconnect/codec.h"

struct code_row {
	uint32_t code;
	const char *name;
	const char *text;
};

static const struct code_row rcs[] = {
	{ 4,  "", "exit-detected request error" },
	{ 8,  "", "error detected by IMS Connect" },
	{ 12, "", "error returned by IMS OTMA" },
	{ 16, "", "OTMA NAK (reason holds the OTMA sense code)" },
	{ 20, "", "exit-internal: PING or password-change response" },
	{ 24, "", "SCI error (reason holds the CSL code)" },
	{ 28, "", "OM error (reason holds the CSL code)" },
	{ 32, "", "IRM_TIMER expired (reason holds the timer value)" },
	{ 36, "", "default timer expired (reason holds the timer value)" },
	{ 40, "", "IRM_TIMER expired, socket kept (reason holds the timer value)" },
	{ 44, "", "Cancel Timer completed" },
};

static const struct code_row rsns[] = {
	{ 4,   "",          "input data exceeds buffer size" },
	{ 5,   "",          "negative length value" },
	{ 6,   "",          "IRM length invalid" },
	{ 7,   "",          "total message length invalid" },
	{ 8,   "",          "OTMA NAK with no sense code or return code" },
	{ 9,   "INVBUF",    "contents of buffer invalid" },
	{ 10,  "",          "output data exceeds buffer size" },
	{ 11,  "",          "invalid Unicode definition" },
	{ 12,  "",          "invalid message, no data" },
	{ 16,  "",          "do not know who client is" },
	{ 20,  "",          "OTMA segment length error" },
	{ 24,  "",          "FIC missing" },
	{ 28,  "",          "LIC missing" },
	{ 32,  "",          "sequence number error" },
	{ 34,  "",          "unable to locate context token" },
	{ 36,  "",          "protocol error" },
	{ 40,  "SECFAIL",   "security violation" },
	{ 44,  "",          "message incomplete" },
	{ 48,  "",          "incorrect message length" },
	{ 51,  "NOSECHDR",  "no OTMA security header" },
	{ 52,  "INVESECHL", "no security data in OTMA security header" },
	{ 53,  "SECFNOPW",  "no password in OTMA user data header" },
	{ 54,  "SECFNUID",  "no user ID in OTMA security header" },
	{ 55,  "SECFNPUI",  "no password and no user ID" },
	{ 56,  "DUPECLNT",  "duplicate client ID in use" },
	{ 57,  "INVLDTOK",  "internal error: invalid token" },
	{ 58,  "INVLDSTA",  "internal error: invalid state" },
	{ 59,  "CANTIMER",  "Cancel Timer completed successfully" },
	{ 70,  "NFNDCOMP",  "component not found" },
	{ 71,  "NFNDFUNC",  "function not found" },
	{ 72,  "",          "data store not found, or stopped by IMS Connect command" },
	{ 73,  "",          "IMS Connect shutting down" },
	{ 74,  "",          "data store or IMSplex in stop or close process, or disconnected" },
	{ 75,  "",          "data store communication error" },
	{ 76,  "",          "data store or IMSplex stopped by command" },
	{ 77,  "",          "data store or IMSplex communication error to pending client" },
	{ 78,  "",          "security failure: RACF call failed or IMS Connect call failed" },
	{ 79,  "",          "IMS Connect protocol error" },
	{ 80,  "",          "IMSplex connection not active" },
	{ 81,  "",          "IMS cancelled the RESUME TPIPE (ACKTO timeout or /STO TMEMBER TPIPE)" },
	{ 82,  "",          "IMS suspended the tpipe (/STO TMEMBER TPIPE)" },
	{ 83,  "",          "RESUME TPIPE cancelled: new output before the previous one was confirmed" },
	{ 93,  "",          "invalid commit mode 1 on RESUME TPIPE" },
	{ 94,  "",          "request" },
	{ 95,  "",          "conversation" },
	{ 96,  "",          "request and conversation" },
	{ 97,  "",          "DEALLOCATE CONFIRMED: IMS committed" },
	{ 98,  "",          "DEALLOCATE ABORT: abnormal termination or backout" },
	{ 99,  "",          "default reason code" },
	{ 113, "",          "bad IRM extension length or offset" },
	{ 114, "",          "offset to first IRM extension is zero" },
	{ 117, "",          "NETUID longer than 246 bytes" },
	{ 118, "",          "NETSID longer than 254 bytes" },
};

static const struct code_row racfrcs[] = {
	{ 0x00, "", "no RACF error" },
	{ 0x04, "", "user not defined to RACF" },
	{ 0x08, "", "password, phrase or PassTicket not authorized" },
	{ 0x0C, "", "password expired" },
	{ 0x10, "", "new password invalid" },
	{ 0x14, "", "user not defined to group" },
	{ 0x18, "", "failed by installation exit" },
	{ 0x1C, "", "user revoked" },
	{ 0x20, "", "RACF not active" },
	{ 0x24, "", "access to group revoked" },
	{ 0x28, "", "OIDCARD required" },
	{ 0x2C, "", "OIDCARD invalid" },
	{ 0x30, "", "not authorized to port of entry" },
	{ 0x34, "", "not authorized to the application" },
	{ 0x38, "", "SECLABEL failure" },
};

static const struct code_row *find(const struct code_row *t, size_t n, uint32_t code)
{
	const struct code_row *r = NULL;
	for (size_t i = 0; i < n && r == NULL; i++) {
		if (t[i].code == code)
			r = &t[i];
	}
	return r;
}

#define FIND(t, c) find(t, sizeof(t) / sizeof(t[0]), c)

const char *imsc_rc_text(uint32_t rc)
{
	const struct code_row *r = FIND(rcs, rc);
	return r ? r->text : "unknown return code";
}

const char *imsc_rsn_name(uint32_t rsn)
{
	const struct code_row *r = FIND(rsns, rsn);
	return r ? r->name : "";
}

const char *imsc_rsn_text(uint32_t rsn)
{
	const struct code_row *r = FIND(rsns, rsn);
	return r ? r->text : "unknown reason code";
}

const char *imsc_racfrc_text(uint8_t racfrc)
{
	const struct code_row *r = FIND(racfrcs, racfrc);
	return r ? r->text : "unknown RACF return code";
}

int imsc_rc_keeps_socket(uint32_t rc)
{
	return rc == IMSC_RC_EXIT_INTERNAL || rc == IMSC_RC_TIMER_KEPT;
}
