/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Client IDs: prefix + unique suffix (reference 1.2). */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <openssl/rand.h>

#include "imsgw/clock.h"
#include "imsgw/error.h"
#include "imsgw/limits.h"
#include "imsconnect/client.h"

#define DEFAULT_PREFIX "IGW"

static atomic_uint_fast64_t counter;
static uint64_t base;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void seed(void)
{
	uint64_t r = 0;
	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		r = (uint64_t)igw_wall_ms() * 2654435761u;
	base = r;
}

static int valid_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' ||
	       c == '#' || c == '$';
}

int imsc_clientid_valid(const char *id)
{
	size_t n = id ? strnlen(id, IMSC_NAME_BUF) : 0;
	int ok = n >= 1 && n <= IMSC_NAME_LEN && strncmp(id, "HWS", 3) != 0;
	for (size_t i = 0; ok && i < n; i++)
		ok = valid_char(id[i]);
	return ok;
}

int imsc_clientid_generate(const char *prefix, char out[IMSC_NAME_BUF])
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	int rc = 0;
	const char *p = prefix && prefix[0] ? prefix : DEFAULT_PREFIX;
	size_t pl = strnlen(p, IMSC_NAME_BUF);
	if (pl > IGW_IMSC_CLIENTID_PREFIX_MAX || !imsc_clientid_valid(p))
		rc = IGW_EINVAL;
	if (rc == 0) {
		pthread_once(&once, seed);
		uint64_t v = base + atomic_fetch_add(&counter, 1);
		memcpy(out, p, pl);
		for (size_t i = IMSC_NAME_LEN; i > pl; i--) {
			out[i - 1] = digits[v % 36];
			v /= 36;
		}
		out[IMSC_NAME_LEN] = 0;
	} else {
		out[0] = 0;
	}
	return rc;
}
