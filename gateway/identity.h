/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Identity mapping: the verified identity of a request -> IMS Connect
 * credentials (RACF user id, group, password or PassTicket), by the ordered
 * rules of the service.  The first rule that matches decides; no match is a
 * refusal (GW-IDENTITY-UNMAPPED).
 */
#ifndef IMSGW_IDENTITY_H
#define IMSGW_IDENTITY_H

#include <stdint.h>
#include "service.h"

/* What was verified about the caller. */
struct igw_identity {
	enum igw_wss_kind kind;		/* NONE, USERNAMETOKEN, SAML, CERT */
	const char *user;		/* token user / NameID / cert subject; NULL for NONE */
	const char *issuer;		/* SAML Issuer / cert issuer; may be NULL */
	const char *password;		/* PasswordText passed on; may be NULL */
};

/* The credentials to send.  password holds a password or PassTicket: SECRET,
 * wiped by igw_ims_creds_wipe(). */
struct igw_ims_creds {
	char user[IMSC_NAME_BUF];
	char group[IMSC_NAME_BUF];
	char password[IMSC_NAME_BUF];
	int rule_line;			/* the rule that matched (for the log) */
	const char *cred_kind;		/* "token", "passticket", "bundle", "trusted", "none" */
	unsigned res1;			/* IRM_RES1 bits to set (trusted user), 0: none */
};

/* Map id through s's rules.  now_s is the wall-clock time for PassTickets.
 * Returns IGW_OK, or IGW_EDENIED with *reason set to a stable reason code
 * ("GW-IDENTITY-UNMAPPED", "GW-IDENTITY-INVALID"). */
int igw_identity_map(const struct igw_service *s, const struct igw_identity *id, uint64_t now_s,
                     struct igw_ims_creds *out, const char **reason);
void igw_ims_creds_wipe(struct igw_ims_creds *c);

#endif
