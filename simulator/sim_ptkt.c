/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PassTicket evaluation: search the validity window with the client
 * library's generator (imsconnect/passticket.h). */
#include <string.h>
#include "imsgw/core.h"
#include "imsconnect/passticket.h"
#include "sim_ptkt.h"

static int gen_legacy(const uint8_t key[8], const char *user, const char *appl,
                      int64_t t, char out[IMSC_PT_LEN + 1])
{
	return imsc_passticket(IMSC_PT_LEGACY, key, IMSC_PT_LEGACY_KEY_LEN, user, appl,
	                       (uint64_t)t, out, NULL);
}

static int gen_enhanced(const struct sim_appl_def *a, const char *user, int64_t t,
                        char out[IMSC_PT_LEN + 1])
{
	return imsc_passticket(a->enh_mixed ? IMSC_PT_ENHANCED_MIXED : IMSC_PT_ENHANCED_UPPER,
	                       a->enh_key, a->enh_key_len, user, a->appl, (uint64_t)t, out,
	                       NULL);
}

int sim_ptkt_available(void) { return 1; }

static int same(const char *a, const char *b)
{
	return igw_ct_equal(a, strlen(a), b, strlen(b));
}

int sim_ptkt_evaluate(const struct sim_appl_def *a, const char *user,
                      const char *ticket, int64_t now_s, int64_t *when,
                      bool *enhanced)
{
	int found = 0;
	char cand[IMSC_PT_LEN + 1];
	if (strlen(ticket) != 8)
		return 0;
	if (a->has_enhanced) {
		/* the window [now - timeout, now + skew], nearest times first: a
		 * ticket made just now (the usual case) costs one HMAC */
		int64_t lo = now_s - (int64_t)a->enh_timeout_s, hi = now_s + SIM_PTKT_SKEW_S;
		for (int64_t d = 0; !found && (now_s - d >= lo || now_s + d <= hi); d++) {
			for (int s = 0; s < 2 && !found; s++) {
				int64_t t = s ? now_s + d : now_s - d;
				if ((s && d == 0) || t < lo || t > hi)
					continue;
				if (gen_enhanced(a, user, t, cand) == IGW_OK && same(cand, ticket)) {
					found = 1;
					*when = t;
					*enhanced = true;
				}
			}
		}
	}
	if (a->has_legacy) {
		for (int64_t d = 0; !found && d <= SIM_PTKT_LEGACY_WINDOW_S; d++) {
			for (int s = 0; s < 2 && !found; s++) {
				int64_t t = s ? now_s - d : now_s + d;
				if (s && d == 0)
					continue;
				if (gen_legacy(a->legacy_key, user, a->appl, t, cand) == IGW_OK &&
				    same(cand, ticket)) {
					found = 1;
					*when = t;
					*enhanced = false;
				}
			}
		}
	}
	igw_secure_zero(cand, sizeof(cand));
	return found;
}
