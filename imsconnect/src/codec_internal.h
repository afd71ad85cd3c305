/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private helpers of the codec: big-endian access and a sticky cursor. */
#ifndef IMSC_CODEC_INTERNAL_H
#define IMSC_CODEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "imsgw/error.h"

static inline uint16_t imsc_be16(const uint8_t *p)
{
	return (uint16_t)(((unsigned)p[0] << 8) | p[1]);
}

static inline uint32_t imsc_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void imsc_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void imsc_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Known structure IDs as ASCII text. */
#define IMSC_ID_SAMPL1 "*SAMPL1*"
#define IMSC_ID_SAMPLE "*SAMPLE*"
#define IMSC_ID_CSM    "*CSMOKY*"
#define IMSC_ID_RSM    "*REQSTS*"
#define IMSC_ID_RMM    "*REQMOD*"
#define IMSC_ID_GENCID "*GENCID*"
#define IMSC_ID_COR    "*CORTKN*"
#define IMSC_ID_CTLDAT "*CTLDAT*"
#define IMSC_ID_XASM   "*XADPST*"

/* 1 if the 8 bytes at p are the ID in the code page. */
int imsc_id_is(const uint8_t *p, const char *id, int cp);

/* Reply element classification (shared by the decoder and the framer). */
enum imsc_elem_kind {
	IMSC_ELEM_DATA = 0,	/* LLZZ data segment                     */
	IMSC_ELEM_CALLOUT_DATA,	/* LLLL callout data                     */
	IMSC_ELEM_CSM,
	IMSC_ELEM_RSM,
	IMSC_ELEM_XASM,
	IMSC_ELEM_RMM,
	IMSC_ELEM_GENCID,
	IMSC_ELEM_COR,
	IMSC_ELEM_CTLDAT,
};
struct imsc_elem {
	enum imsc_elem_kind kind;
	size_t len;		/* whole element incl. its length field */
	int cp;			/* code page of the ID (structures)     */
};
/* Classify the element at p with avail bytes available (>= 4; IDs are
 * recognised only when avail >= 12).  callout: a COR was seen and the
 * callout data element has not been read yet.  Returns 0 or IGW_EPROTO
 * (length below its minimum or not the fixed length of its structure). */
int imsc_elem_classify(const uint8_t *p, size_t avail, bool callout,
                       struct imsc_elem *e);

#endif
