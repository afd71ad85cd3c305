/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IVTNO phone book (IMS IVP) with a pending-change commit. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "imsconnect/ebcdic.h"
#include "sim_ivtno.h"

#define LAST_LEN 10u
#define FIRST_LEN 10u
#define EXT_LEN 10u
#define ZIP_LEN 7u

struct sim_ivtno {
	pthread_mutex_t mu;
	char (*rec)[SIM_IVTNO_REC_LEN];
	unsigned n;
	char path[IGW_PATH_MAX];
};

/* The IVP database as loaded by the installation jobs. */
static const char *const seed[] = {
	"LAST1     FIRST1    8-111-1111D01/R01",
	"LAST2     FIRST2    8-111-2222D02/R02",
	"LAST3     FIRST3    8-111-3333D03/R03",
	"LAST4     FIRST4    8-111-4444D04/R04",
	"LAST5     FIRST5    8-111-5555D05/R05",
};

/* Messages of the IVP program. */
#define MADD    "ENTRY WAS ADDED"
#define MDEL    "ENTRY WAS DELETED"
#define MDIS    "ENTRY WAS DISPLAYED"
#define MUPD    "ENTRY WAS UPDATED"
#define MMORE   "DATA IS NOT ENOUGH.  PLEASE KEY IN MORE"
#define MINV    "PROCESS CODE IS NOT VALID"
#define MNODATA "NO DATA WAS INPUT.  PLEASE KEY IN MORE"
#define MNONAME "LAST NAME WAS NOT SPECIFIED"
#define MNOENT  "SPECIFIED PERSON WAS NOT FOUND"
#define MISRTE  "ADDITION OF ENTRY HAS FAILED"

static int find(const struct sim_ivtno *pb, const char *last)
{
	int at = -1;
	for (unsigned i = 0; i < pb->n && at < 0; i++)
		if (!memcmp(pb->rec[i], last, LAST_LEN))
			at = (int)i;
	return at;
}

static int save(struct sim_ivtno *pb)
{
	int rc = IGW_OK;
	char tmp[IGW_PATH_MAX + 8];
	if (!pb->path[0])
		return IGW_OK;
	snprintf(tmp, sizeof(tmp), "%s.tmp", pb->path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		rc = IGW_EIO;
	} else {
		for (unsigned i = 0; i < pb->n; i++)
			fprintf(f, "%.*s\n", (int)SIM_IVTNO_REC_LEN, pb->rec[i]);
		if (fclose(f) != 0 || rename(tmp, pb->path) != 0)
			rc = IGW_EIO;
	}
	if (rc != IGW_OK)
		igw_log_error(NULL, "ivtno: cannot write %s: %s", pb->path, strerror(errno));
	return rc;
}

static int add_rec(struct sim_ivtno *pb, const char *rec)
{
	int rc = IGW_OK;
	if (pb->n >= IGW_SIM_IVTNO_ENTRIES_MAX)
		rc = IGW_ELIMIT;
	else
		memcpy(pb->rec[pb->n++], rec, SIM_IVTNO_REC_LEN);
	return rc;
}

static int load(struct sim_ivtno *pb)
{
	int rc = IGW_OK;
	char line[256];
	FILE *f = pb->path[0] ? fopen(pb->path, "r") : NULL;
	if (!f) {
		for (size_t i = 0; i < sizeof(seed) / sizeof(seed[0]); i++)
			add_rec(pb, seed[i]);
		rc = save(pb);
	} else {
		unsigned ln = 0;
		while (rc == IGW_OK && fgets(line, sizeof(line), f)) {
			char rec[SIM_IVTNO_REC_LEN];
			size_t n = strcspn(line, "\r\n");
			ln++;
			if (n == 0)
				continue;
			if (n > SIM_IVTNO_REC_LEN) {
				igw_log_error(NULL, "%s:%u: record longer than %u", pb->path, ln,
				              SIM_IVTNO_REC_LEN);
				rc = IGW_EPARSE;
			} else {
				memset(rec, ' ', sizeof(rec));
				memcpy(rec, line, n);
				if (find(pb, rec) < 0)
					rc = add_rec(pb, rec);
			}
		}
		fclose(f);
	}
	return rc;
}

int sim_ivtno_create(const char *store, struct sim_ivtno **out)
{
	int rc = IGW_OK;
	struct sim_ivtno *pb = calloc(1, sizeof(*pb));
	if (pb)
		pb->rec = calloc(IGW_SIM_IVTNO_ENTRIES_MAX, SIM_IVTNO_REC_LEN);
	if (!pb || !pb->rec) {
		rc = IGW_ENOMEM;
	} else {
		pthread_mutex_init(&pb->mu, NULL);
		snprintf(pb->path, sizeof(pb->path), "%s", store ? store : "");
		rc = load(pb);
	}
	if (rc != IGW_OK && pb) {
		sim_ivtno_destroy(pb);
		pb = NULL;
	}
	*out = pb;
	return rc;
}

void sim_ivtno_destroy(struct sim_ivtno *pb)
{
	if (pb) {
		if (pb->rec)
			pthread_mutex_destroy(&pb->mu);
		free(pb->rec);
		free(pb);
	}
}

static bool blank(const char *p, size_t n)
{
	bool b = true;
	for (size_t i = 0; i < n && b; i++)
		b = p[i] == ' ';
	return b;
}

/* Shift a field left over its leading blanks (the COBOL INSPECT/UNSTRING). */
static void ltrim_field(char *p, size_t n)
{
	size_t k = 0;
	while (k < n && p[k] == ' ')
		k++;
	if (k > 0 && k < n) {
		memmove(p, p + k, n - k);
		memset(p + n - k, ' ', k);
	}
}

static void put(char *dst, size_t n, const char *s)
{
	size_t l = strlen(s);
	memset(dst, ' ', n);
	memcpy(dst, s, l < n ? l : n);
}

int sim_ivtno_process(struct sim_ivtno *pb, const uint8_t *in, size_t len,
                      uint8_t out[SIM_IVTNO_OUT_LEN], struct sim_ivtno_change *chg)
{
	char i[SIM_IVTNO_IN_LEN];
	char o[SIM_IVTNO_OUT_LEN];
	char *cmd = i + 10, *rec = i + 18;
	char *omsg = o, *ocmd = o + 40, *orec = o + 48, *oseg = o + 85;
	int rc = IGW_OK;

	memset(chg, 0, sizeof(*chg));
	memset(i, ' ', sizeof(i));
	memset(o, ' ', sizeof(o));
	memcpy(oseg, "0001", 4);
	size_t n = len < sizeof(i) ? len : sizeof(i);
	rc = imsc_ebcdic_to_latin1(IMSC_EBCDIC_037, in, n, i);
	for (size_t k = 0; k < sizeof(i); k++)	/* NULs and controls read as blanks */
		if ((unsigned char)i[k] < 0x20)
			i[k] = ' ';
	ltrim_field(cmd, 8);
	ltrim_field(rec, LAST_LEN);
	memcpy(ocmd, cmd, 8);

	pthread_mutex_lock(&pb->mu);
	if (rc != IGW_OK) {
		put(omsg, 40, MINV);
	} else if (len <= 10 || blank(cmd, 8 + SIM_IVTNO_REC_LEN)) {
		put(omsg, 40, MNODATA);
	} else if (blank(rec, LAST_LEN)) {
		put(omsg, 40, MNONAME);
	} else if (!memcmp(cmd, "ADD", 3) || !memcmp(cmd, "TAD", 3)) {
		if (blank(rec + 10, FIRST_LEN) || blank(rec + 20, EXT_LEN) ||
		    blank(rec + 30, ZIP_LEN)) {
			put(omsg, 40, MMORE);
		} else if (find(pb, rec) >= 0 || pb->n >= IGW_SIM_IVTNO_ENTRIES_MAX) {
			put(omsg, 40, MISRTE);
		} else {
			put(omsg, 40, MADD);
			memcpy(orec, rec, SIM_IVTNO_REC_LEN);
			chg->op = SIM_IVTNO_ADD;
			memcpy(chg->rec, rec, SIM_IVTNO_REC_LEN);
		}
	} else if (!memcmp(cmd, "DIS", 3) || !memcmp(cmd, "DEL", 3) ||
	           !memcmp(cmd, "UPD", 3)) {
		int at = find(pb, rec);
		if (at < 0) {
			put(omsg, 40, MNOENT);
		} else if (!memcmp(cmd, "DIS", 3)) {
			put(omsg, 40, MDIS);
			memcpy(orec, pb->rec[at], SIM_IVTNO_REC_LEN);
		} else if (!memcmp(cmd, "DEL", 3)) {
			put(omsg, 40, MDEL);
			memcpy(orec, pb->rec[at], SIM_IVTNO_REC_LEN);
			chg->op = SIM_IVTNO_DEL;
			memcpy(chg->rec, pb->rec[at], SIM_IVTNO_REC_LEN);
		} else if (blank(rec + 10, SIM_IVTNO_REC_LEN - 10)) {
			put(omsg, 40, MMORE);
		} else {
			char upd[SIM_IVTNO_REC_LEN];
			memcpy(upd, pb->rec[at], sizeof(upd));
			static const size_t off[] = { 10, 20, 30 }, fl[] = { 10, 10, 7 };
			for (int f = 0; f < 3; f++)
				if (!blank(rec + off[f], fl[f]))
					memcpy(upd + off[f], rec + off[f], fl[f]);
			put(omsg, 40, MUPD);
			memcpy(orec, upd, SIM_IVTNO_REC_LEN);
			chg->op = SIM_IVTNO_UPD;
			memcpy(chg->rec, upd, SIM_IVTNO_REC_LEN);
		}
	} else {
		put(omsg, 40, MINV);
	}
	pthread_mutex_unlock(&pb->mu);
	return imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, o, sizeof(o), out);
}

int sim_ivtno_commit(struct sim_ivtno *pb, const struct sim_ivtno_change *chg)
{
	int rc = IGW_OK;
	if (chg->op == SIM_IVTNO_NONE)
		return IGW_OK;
	pthread_mutex_lock(&pb->mu);
	int at = find(pb, chg->rec);
	if (chg->op == SIM_IVTNO_ADD && at < 0)
		rc = add_rec(pb, chg->rec);
	else if (chg->op == SIM_IVTNO_UPD && at >= 0)
		memcpy(pb->rec[at], chg->rec, SIM_IVTNO_REC_LEN);
	else if (chg->op == SIM_IVTNO_DEL && at >= 0) {
		memmove(pb->rec[at], pb->rec[at + 1],
		        (size_t)(pb->n - (unsigned)at - 1) * SIM_IVTNO_REC_LEN);
		pb->n--;
	}
	if (rc == IGW_OK)
		rc = save(pb);
	pthread_mutex_unlock(&pb->mu);
	return rc;
}

unsigned sim_ivtno_count(struct sim_ivtno *pb)
{
	pthread_mutex_lock(&pb->mu);
	unsigned n = pb->n;
	pthread_mutex_unlock(&pb->mu);
	return n;
}
