/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared helpers for the igw_wss unit tests (fixtures from gen_fixtures.py). */
#ifndef WSS_TEST_UTIL_H
#define WSS_TEST_UTIL_H
#include <stddef.h>
#include "wss/wss.h"

/* Bytes of fixtures/<name> (malloc'ed, NUL-terminated); aborts the test if missing. */
char *fx_load(const char *name, size_t *len);
/* Value of KEY in fixtures/meta.txt (static storage). */
const char *fx_meta(const char *key);
/* Path of certs/dev/<name> or fixtures/<name> (static rotating storage). */
const char *fx_cert(const char *name);
const char *fx_path(const char *name);
/* Credential store: the fixture user with the fixture password. */
extern const struct igw_wss_credentials fx_creds;
/* Verify and check reason (and return code sign); returns the result for
 * further checks (caller frees).  Fails the test on mismatch. */
struct igw_wss_result *fx_expect(const struct igw_wss_policy *p, const char *buf, size_t len,
                                 const struct igw_wss_request *req, const char *reason,
                                 const char *file, int line);
#define EXPECT(p, buf, len, req, reason) fx_expect(p, buf, len, req, reason, __FILE__, __LINE__)
/* Load fixture `name` and EXPECT; frees the result. */
void fx_case(const struct igw_wss_policy *p, const char *name, const struct igw_wss_request *req,
             const char *reason, const char *file, int line);
#define CASE(p, name, req, reason) fx_case(p, name, req, reason, __FILE__, __LINE__)
/* Compile or fail the test. */
struct igw_wss_policy *fx_policy(const struct igw_wss_policy_conf *c);
#endif
