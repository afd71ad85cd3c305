/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-process replay cache: sharded, bounded, never forgets a fresh key.
 *
 * A key is the SHA-256 of (ns, NUL, key).  Each shard has a mutex, a fixed
 * pool of entries and an open hash table with chaining by index.  Eviction
 * rule: an entry is dropped only once its expiry has passed.  When a shard's
 * pool is full it is swept for expired entries; if none are, the new key is
 * refused (IGW_EOVERLOAD) - the caller rejects the message rather than risk
 * accepting a replay.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "internal.h"

/* Entry indices are 1-based so that calloc'ed (untouched, uncommitted)
 * bucket memory already means "empty": a large cache costs memory only as
 * it fills. */
#define NIL 0u
#define E(s, i) (&(s)->e[(i) - 1])

struct entry {
	uint8_t key[32];
	int64_t expires_ms;
	uint32_t next;		/* chain, or free list */
};

struct shard {
	pthread_mutex_t mu;
	struct entry *e;
	uint32_t *bucket;
	/* per bucket, a lower bound of its entries' expiry in whole seconds
	 * (floor): a sweep skips a bucket whose entries are all still fresh
	 * without reading them, which keeps the sweep from touching memory
	 * all over the pool while nothing can expire */
	uint32_t *bmin;
	uint32_t cap, nbucket, used, free_head;
	uint32_t hwm;		/* entries ever handed out (1..hwm) */
	uint32_t sweep_at;	/* incremental sweep cursor (bucket) */
};

struct mem_replay {
	struct igw_wss_replay ops;	/* must be first */
	unsigned nshard;
	struct shard *s;
};

static uint32_t floor_s(int64_t ms)
{
	return ms <= 0 ? 0 : ms / 1000 >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)(ms / 1000);
}

static void shard_remove_expired_bucket(struct shard *s, uint32_t b, int64_t now)
{
	uint32_t *link = &s->bucket[b], min = UINT32_MAX;
	if (*link == NIL || (int64_t)s->bmin[b] * 1000 > now)
		return;	/* empty, or everything in it is still fresh */
	while (*link != NIL) {
		struct entry *e = E(s, *link);
		if (e->expires_ms <= now) {
			uint32_t i = *link;
			*link = e->next;
			e->next = s->free_head;
			s->free_head = i;
			s->used--;
		} else {
			if (floor_s(e->expires_ms) < min)
				min = floor_s(e->expires_ms);
			link = &e->next;
		}
	}
	s->bmin[b] = min;
}

static int mem_check(struct igw_wss_replay *self, const char *ns, const void *key,
                     size_t keylen, int64_t now_ms, int64_t expires_ms)
{
	struct mem_replay *m = (struct mem_replay *)self;
	uint8_t h[EVP_MAX_MD_SIZE];
	unsigned hl = 0;
	const void *part[2] = { ns, key };
	size_t plen[2] = { strlen(ns) + 1, keylen };
	int rc = IGW_OK;
	if (wss_digest(wss_md_sha256(), part, plen, 2, h, &hl) != IGW_OK)
		return IGW_ECRYPTO;
	{
		uint32_t hv;
		memcpy(&hv, h, sizeof(hv));
		struct shard *s = &m->s[hv & (m->nshard - 1)];
		uint32_t b = (hv >> 8) & (s->nbucket - 1);
		pthread_mutex_lock(&s->mu);
		/* incremental sweeping keeps the pool fresh: one bucket per
		 * check, more when the free list is empty (the pool would grow),
		 * so that under a steady load the pool stops growing at about
		 * the live set plus one sweep cycle instead of filling to cap */
		for (unsigned k = s->free_head == NIL ? IGW_REPLAY_SWEEP_GROW : 1u; k > 0; k--) {
			shard_remove_expired_bucket(s, s->sweep_at, now_ms);
			s->sweep_at = (s->sweep_at + 1) & (s->nbucket - 1);
		}
		for (uint32_t i = s->bucket[b]; i != NIL; i = E(s, i)->next) {
			if (memcmp(E(s, i)->key, h, 32) == 0) {
				if (E(s, i)->expires_ms > now_ms) {
					rc = IGW_EREPLAY;
				} else {	/* stale entry: renew it */
					E(s, i)->expires_ms = expires_ms;
					rc = 1;
				}
				break;
			}
		}
		if (rc == IGW_OK && s->free_head == NIL && s->hwm == s->cap) {
			for (uint32_t k = 0; k < s->nbucket; k++)
				shard_remove_expired_bucket(s, k, now_ms);
		}
		if (rc == IGW_OK && s->free_head == NIL && s->hwm == s->cap) {
			rc = IGW_EOVERLOAD;	/* never evict a fresh key */
		} else if (rc == IGW_OK) {
			uint32_t i;
			if (s->free_head != NIL) {
				i = s->free_head;
				s->free_head = E(s, i)->next;
			} else {
				i = ++s->hwm;
			}
			memcpy(E(s, i)->key, h, 32);
			E(s, i)->expires_ms = expires_ms;
			E(s, i)->next = s->bucket[b];
			if (s->bucket[b] == NIL || floor_s(expires_ms) < s->bmin[b])
				s->bmin[b] = floor_s(expires_ms);
			s->bucket[b] = i;
			s->used++;
		}
		pthread_mutex_unlock(&s->mu);
	}
	return rc > 0 ? IGW_OK : rc;
}

static void mem_destroy(struct igw_wss_replay *self)
{
	struct mem_replay *m = (struct mem_replay *)self;
	for (unsigned i = 0; m->s && i < m->nshard; i++) {
		pthread_mutex_destroy(&m->s[i].mu);
		free(m->s[i].e);
		free(m->s[i].bucket);
		free(m->s[i].bmin);
	}
	free(m->s);
	free(m);
}

struct igw_wss_replay *igw_wss_replay_mem_new(unsigned shards, size_t max_entries)
{
	struct mem_replay *m = wss_init() == IGW_OK ? calloc(1, sizeof(*m)) : NULL;
	unsigned n = 1;
	int ok = m != NULL;
	while (n < shards && n < 256)
		n <<= 1;
	if (ok && (max_entries < n || max_entries > ((size_t)1 << 30)))
		ok = 0;
	if (ok) {
		m->ops.check_and_store = mem_check;
		m->ops.destroy = mem_destroy;
		m->nshard = n;
		m->s = calloc(n, sizeof(*m->s));
		ok = m->s != NULL;
	}
	for (unsigned i = 0; ok && i < n; i++) {
		struct shard *s = &m->s[i];
		uint32_t cap = (uint32_t)(max_entries / n), nb = 1;
		while (nb < cap)
			nb <<= 1;
		pthread_mutex_init(&s->mu, NULL);
		s->cap = cap;
		s->nbucket = nb;
		s->e = malloc(sizeof(*s->e) * cap);
		s->bucket = calloc(nb, sizeof(*s->bucket));
		s->bmin = calloc(nb, sizeof(*s->bmin));
		s->free_head = NIL;
		s->hwm = 0;
		ok = s->e && s->bucket && s->bmin;
	}
	if (!ok && m) {
		if (m->s)
			mem_destroy(&m->ops);
		else
			free(m);
		m = NULL;
	}
	return m ? &m->ops : NULL;
}

size_t igw_wss_replay_mem_count(struct igw_wss_replay *r)
{
	struct mem_replay *m = (struct mem_replay *)r;
	size_t n = 0;
	for (unsigned i = 0; m && i < m->nshard; i++) {
		pthread_mutex_lock(&m->s[i].mu);
		n += m->s[i].used;
		pthread_mutex_unlock(&m->s[i].mu);
	}
	return n;
}

void igw_wss_replay_free(struct igw_wss_replay *r)
{
	if (r && r->destroy)
		r->destroy(r);
}

int wss_replay_check(struct wss_ctx *x, const char *ns, const void *key, size_t keylen,
                     int64_t expires_ms, const char *replay_reason)
{
	struct igw_wss_replay *r = x->p->c.replay;
	int rc;
	if (!r)
		return wss_fail(x, IGW_ECONFIG, "WSS-REPLAY-UNAVAILABLE", "no replay cache for %s", ns);
	rc = r->check_and_store(r, ns, key, keylen, x->now_ms, expires_ms);
	if (rc == IGW_EREPLAY)
		rc = wss_fail(x, IGW_EREPLAY, replay_reason, "%s seen before", ns);
	else if (rc == IGW_EOVERLOAD)
		rc = wss_fail(x, IGW_EOVERLOAD, "WSS-REPLAY-FULL", "replay cache full of fresh entries");
	else if (rc != IGW_OK)
		rc = wss_fail(x, rc, "WSS-INTERNAL", "replay cache error %s", igw_errname(rc));
	return rc;
}
