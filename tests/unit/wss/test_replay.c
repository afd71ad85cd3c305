/* SPDX-License-Identifier: GPL-2.0-or-later */
/* In-process replay cache: replays, expiry, refusal when full, threads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "wss/wss.h"

#define CHECK(r, ns, k, now, exp) (r)->check_and_store((r), (ns), (k), sizeof(k) - 1, (now), (exp))

static void test_basic(void **st)
{
	struct igw_wss_replay *r = igw_wss_replay_mem_new(4, 64);
	(void)st;
	assert_non_null(r);
	assert_int_equal(CHECK(r, "n", "abc", 1000, 5000), 0);
	assert_int_equal(CHECK(r, "n", "abc", 2000, 5000), IGW_EREPLAY);
	/* another key space */
	assert_int_equal(CHECK(r, "m", "abc", 2000, 5000), 0);
	/* after expiry the key is forgotten (the token is stale anyway) */
	assert_int_equal(CHECK(r, "n", "abc", 5000, 9000), 0);
	assert_int_equal(CHECK(r, "n", "abc", 6000, 9000), IGW_EREPLAY);
	igw_wss_replay_free(r);
}

static void test_full_refuses(void **st)
{
	struct igw_wss_replay *r = igw_wss_replay_mem_new(1, 8);
	char key[16];
	(void)st;
	for (int i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(r->check_and_store(r, "n", key, 2, 0, 10000), 0);
	}
	assert_int_equal(igw_wss_replay_mem_count(r), 8);
	/* full of fresh keys: refuse, and every fresh key is still known */
	assert_int_equal(CHECK(r, "n", "new", 100, 10000), IGW_EOVERLOAD);
	for (int i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(r->check_and_store(r, "n", key, 2, 200, 10000), IGW_EREPLAY);
	}
	/* once they expire, room is made */
	assert_int_equal(CHECK(r, "n", "new", 10000, 20000), 0);
	igw_wss_replay_free(r);
}

static void test_bad_sizes(void **st)
{
	(void)st;
	assert_null(igw_wss_replay_mem_new(16, 4));	/* fewer entries than shards */
}

struct worker {
	struct igw_wss_replay *r;
	int base;
	int fresh;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	char key[32];
	for (int i = 0; i < 2000; i++) {
		/* both threads insert the same 2000 keys */
		snprintf(key, sizeof(key), "key-%d", i);
		if (w->r->check_and_store(w->r, "n", key, strlen(key), 0, 1000) == 0)
			w->fresh++;
	}
	return NULL;
}

static void test_threads(void **st)
{
	struct igw_wss_replay *r = igw_wss_replay_mem_new(8, 1 << 14);
	struct worker w[2] = { { r, 0, 0 }, { r, 1, 0 } };
	pthread_t t[2];
	(void)st;
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	/* each key accepted exactly once across both threads */
	assert_int_equal(w[0].fresh + w[1].fresh, 2000);
	igw_wss_replay_free(r);
}

/* Under a steady load the pool stops growing near the live set: expired
 * entries are swept and reused long before the pool reaches its bound. */
static void test_steady_state(void **st)
{
	(void)st;
	struct igw_wss_replay *r = igw_wss_replay_mem_new(1, 1u << 16);
	size_t peak = 0;
	assert_non_null(r);
	for (unsigned i = 0; i < 300000; i++) {
		char key[16];
		int n = snprintf(key, sizeof(key), "k%u", i);
		/* one insert per ms, each key fresh for 1 s: 1000 live keys */
		assert_int_equal(r->check_and_store(r, "n", key, (size_t)n, i, (int64_t)i + 1000), 0);
		size_t used = igw_wss_replay_mem_count(r);
		peak = used > peak ? used : peak;
	}
	/* Measured: 14 164 with IGW_REPLAY_SWEEP_GROW 8; 34 043 when one bucket
	 * is swept per insert (the pool then holds about half its bound of
	 * expired entries).  The bound below tells the two apart. */
	assert_true(peak <= 20000);
	/* and the keys still fresh are still refused */
	assert_int_equal(CHECK(r, "n", "k299999", 299999, 300999), IGW_EREPLAY);
	igw_wss_replay_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_full_refuses),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_steady_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
