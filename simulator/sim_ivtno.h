/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IVTNO, the IMS installation-verification phone book (non-conversational
 * DFSIVP1 logic), on an in-memory store seeded with the IVP entries LAST1 ..
 * LAST5, optionally persisted to a file (one 37-character record a line).
 *
 * Record layouts (EBCDIC, see copybooks/ivtno.cpy):
 *   input  data: IN-TRCD X(10) IN-COMMAND X(8) IN-LAST-NAME X(10)
 *                IN-FIRST-NAME X(10) IN-EXTENSION X(10) IN-ZIP-CODE X(7)
 *   output data: OUT-MESSAGE X(40) OUT-COMMAND X(8) OUT-LAST-NAME X(10)
 *                OUT-FIRST-NAME X(10) OUT-EXTENSION X(10) OUT-ZIP-CODE X(7)
 *                OUT-SEGMENT-NO X(4)   (89 bytes; LL = 93)
 * Commands (first three characters count): ADD, TAD, DIS, DEL, UPD.
 *
 * Processing computes the answer and a pending change; the change is applied
 * by sim_ivtno_commit() when the transaction commits (so a NAKed CM1 reply
 * backs it out).  Thread-safe.
 */
#ifndef SIM_IVTNO_H
#define SIM_IVTNO_H

#include <stddef.h>
#include <stdint.h>

#define SIM_IVTNO_IN_LEN   55u
#define SIM_IVTNO_OUT_LEN  89u
#define SIM_IVTNO_REC_LEN  37u

struct sim_ivtno;

struct sim_ivtno_change {
	enum { SIM_IVTNO_NONE = 0, SIM_IVTNO_ADD, SIM_IVTNO_DEL, SIM_IVTNO_UPD } op;
	char rec[SIM_IVTNO_REC_LEN];	/* Latin-1, blank padded */
};

/* store: file path or NULL/"" for memory only.  A missing file is created
 * from the seed entries. */
int sim_ivtno_create(const char *store, struct sim_ivtno **out);
void sim_ivtno_destroy(struct sim_ivtno *pb);
/* Process one input message's first segment data (EBCDIC, len bytes; short
 * input is blank-extended).  Writes the 89-byte output data (EBCDIC). */
int sim_ivtno_process(struct sim_ivtno *pb, const uint8_t *in, size_t len,
                      uint8_t out[SIM_IVTNO_OUT_LEN], struct sim_ivtno_change *chg);
/* Apply a pending change (no-op for NONE).  Returns IGW_OK or IGW_EIO if the
 * store file could not be written (the memory change stays). */
int sim_ivtno_commit(struct sim_ivtno *pb, const struct sim_ivtno_change *chg);
/* Number of entries (tests, /DIS). */
unsigned sim_ivtno_count(struct sim_ivtno *pb);

#endif
