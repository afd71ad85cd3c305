/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private helpers of the codec: big-endian access and a sticky cursor. */
#ifndef IMSC_CODEC_INTERNAL_H
#define IMSC_CODEC_INTERNAL_H

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

#endif
