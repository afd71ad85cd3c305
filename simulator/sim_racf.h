/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Simulated RACF: user store (passwords, groups, revoked, expired), in-band
 * password change (HWSPWCH), PassTicket evaluation with replay protection,
 * and permit checks (TIMS/RIMS profiles).
 *
 * Results are RACROUTE REQUEST=VERIFY return codes, the value IMS Connect
 * puts in RSM_RACFRC (reference section 5.3):
 *   0 OK, 0x04 user not defined, 0x08 password/PassTicket not authorized,
 *   0x0C password expired, 0x10 new password invalid, 0x14 not defined to
 *   group, 0x1C user revoked.
 *
 * Thread-safe (own mutex).  Passwords are kept in memory only and compared
 * with igw_ct_equal; nothing secret is logged.
 */
#ifndef SIM_RACF_H
#define SIM_RACF_H

#include <stdbool.h>
#include <stdint.h>
#include "sim_config.h"

#define SIM_RACF_OK          0x00u
#define SIM_RACF_NOUSER      0x04u
#define SIM_RACF_BADPW       0x08u
#define SIM_RACF_EXPIRED     0x0Cu
#define SIM_RACF_NEWPW_BAD   0x10u
#define SIM_RACF_NOTINGROUP  0x14u
#define SIM_RACF_REVOKED     0x1Cu

struct sim_racf;

/* Copies users and PassTicket applications out of cfg. */
int sim_racf_create(const struct sim_config *cfg, struct sim_racf **out);
void sim_racf_destroy(struct sim_racf *r);

/* VERIFY user with password-or-PassTicket pw (as sent, <= 8 chars) and
 * optional group ("" = the user's default group).  appl: the PassTicket
 * application ("" = none: PassTickets cannot match).  now_s: Unix time.
 * On success eff_group receives the group the user runs under. */
unsigned sim_racf_verify(struct sim_racf *r, const char *user, const char *group,
                         const char *pw, const char *appl, int64_t now_s,
                         sim_name eff_group);
/* HWSPWCH: change user's password from old to new1 (new1 == new2). */
unsigned sim_racf_change_password(struct sim_racf *r, const char *user,
                                  const char *old, const char *new1, const char *new2);
/* Group the user runs under when no password check happens (RACF=N):
 * the default group, "" if the user is unknown. */
void sim_racf_default_group(struct sim_racf *r, const char *user, sim_name out);
/* 1 if user (running under group) matches a permit entry (a user id, or a
 * group the user belongs to).  An empty list permits everyone. */
bool sim_racf_permitted(struct sim_racf *r, const char *user, const char *group,
                        const struct sim_permit *pl, unsigned n);

#endif
