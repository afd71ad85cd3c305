/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PassTicket evaluation for the simulated RACF.  Generation is the client
 * library's (imsconnect/passticket.h); this file only searches the validity
 * window: legacy tickets +-10 minutes around now, enhanced tickets from
 * now - TIMEOUT to now + 10 s of clock skew.
 */
#ifndef SIM_PTKT_H
#define SIM_PTKT_H

#include <stdbool.h>
#include <stdint.h>
#include "sim_config.h"

#define SIM_PTKT_LEGACY_WINDOW_S 600
#define SIM_PTKT_SKEW_S          10

/* 1 available, 0 if the library was built without PassTicket support. */
int sim_ptkt_available(void);
/* If ticket is a valid PassTicket for user/appl at some second of the
 * window around now_s, return 1 and store that second in *when; else 0.
 * *enhanced tells which algorithm matched. */
int sim_ptkt_evaluate(const struct sim_appl_def *a, const char *user,
                      const char *ticket, int64_t now_s, int64_t *when,
                      bool *enhanced);

#endif
