/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IRM_TIMER: the documented grid (reference 2.6). */
#include "imsgw/error.h"
#include "imsconnect/codec.h"

enum imsc_timer_kind imsc_timer_decode(uint8_t v, uint32_t *ms)
{
	enum imsc_timer_kind k = IMSC_TIMER_INTERVAL;
	uint32_t t = 0;
	if (v == IMSC_TIMER_V_DEFAULT)
		k = IMSC_TIMER_DEFAULT;
	else if (v == IMSC_TIMER_V_NOWAIT)
		k = IMSC_TIMER_NOWAIT;
	else if (v == IMSC_TIMER_V_FOREVER)
		k = IMSC_TIMER_FOREVER;
	else if (v <= 0x19)
		t = 10u * v;				/* 0.01 .. 0.25 s */
	else if (v <= 0x27)
		t = 300u + 50u * (v - 0x1Au);		/* 0.30 .. 0.95 s */
	else if (v <= 0x63)
		t = 1000u * (v - 0x27u);		/* 1 .. 60 s      */
	else if (v <= 0x9E)
		t = 60000u * (v - 0x62u);		/* 2 .. 60 min    */
	else
		k = IMSC_TIMER_INVALID;
	if (ms)
		*ms = t;
	return k;
}

int imsc_timer_encode(uint32_t ms, uint8_t *v)
{
	int rc = 0;
	uint32_t x = 0;
	if (ms == 0 || ms > 3600000u)
		rc = IGW_EINVAL;
	else if (ms <= 250)
		x = (ms + 9) / 10;
	else if (ms <= 300)
		x = 0x1Au;
	else if (ms <= 950)
		x = 0x1Au + (ms - 300 + 49) / 50;
	else if (ms <= 60000)
		x = 0x27u + (ms + 999) / 1000;
	else
		x = 0x62u + (ms + 59999) / 60000;
	if (rc == 0)
		*v = (uint8_t)x;
	return rc;
}
