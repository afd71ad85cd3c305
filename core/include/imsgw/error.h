/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * imsgw error space.
 *
 * Every function in imsgw that can fail returns an int: 0 (IGW_OK) or a
 * positive count on success, one of the negative IGW_E* codes below on
 * failure.  Codes are stable within a release; their names and texts come from
 * igw_strerror().  Nothing else (errno, library codes) crosses a part
 * boundary: convert at the call site.
 *
 * Client-visible rejections additionally carry a *reason code* (a stable
 * string such as "WSS-TOKEN-EXPIRED"); see reason.h, which maps reason codes
 * to HTTP statuses and SOAP fault codes in one table.
 */
#ifndef IMSGW_ERROR_H
#define IMSGW_ERROR_H

#define IGW_ERROR_LIST(X) \
	X(IGW_OK,           0,  "success") \
	X(IGW_ENOMEM,      -1,  "out of memory") \
	X(IGW_EINVAL,      -2,  "invalid argument") \
	X(IGW_ELIMIT,      -3,  "configured limit exceeded") \
	X(IGW_EIO,         -4,  "input/output error") \
	X(IGW_ETIMEOUT,    -5,  "deadline expired") \
	X(IGW_EPARSE,      -6,  "malformed input") \
	X(IGW_EPROTO,      -7,  "protocol violation") \
	X(IGW_ETLS,        -8,  "TLS failure") \
	X(IGW_EAUTH,       -9,  "authentication failed") \
	X(IGW_EDENIED,     -10, "not authorised") \
	X(IGW_ENOTFOUND,   -11, "not found") \
	X(IGW_EREPLAY,     -12, "replayed message") \
	X(IGW_EEXPIRED,    -13, "expired or not yet valid") \
	X(IGW_ECONFIG,     -14, "configuration error") \
	X(IGW_ECLOSED,     -15, "connection closed by peer") \
	X(IGW_EOVERLOAD,   -16, "overloaded") \
	X(IGW_EUNSUPPORTED,-17, "unsupported") \
	X(IGW_ECONV,       -18, "data conversion error") \
	X(IGW_EIMS,        -19, "IMS or IMS Connect reported an error") \
	X(IGW_ECONNECT,    -20, "connection failed") \
	X(IGW_EBUSY,       -21, "resource busy") \
	X(IGW_ECRYPTO,     -22, "cryptographic operation failed") \
	X(IGW_ESIGNATURE,  -23, "signature invalid") \
	X(IGW_EINTERNAL,   -24, "internal error")

enum igw_error {
#define IGW_ERROR_ENUM(name, value, text) name = value,
	IGW_ERROR_LIST(IGW_ERROR_ENUM)
#undef IGW_ERROR_ENUM
};

/* Lowest (most negative) code; used by tests to walk the table. */
#define IGW_ERROR_MIN IGW_EINTERNAL

/* Human text of a code; never NULL ("unknown error" for codes not listed). */
const char *igw_strerror(int code);
/* Symbolic name of a code ("IGW_ETIMEOUT"); never NULL ("IGW_E?" if unknown). */
const char *igw_errname(int code);

#endif
