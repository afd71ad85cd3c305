/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decimal values in digit form: parsing the xs:decimal text of a request
 * and formatting the canonical text of a response.  No floating point: a
 * value is its digits, so 31-digit packed fields round-trip exactly.
 */
#include <string.h>
#include "imsgw/error.h"
#include "cb_internal.h"

static const char R_NOTNUM[] = "CONV-IN-NOT-NUMERIC";
static const char R_DIGITS[] = "CONV-IN-DIGITS";
static const char R_SIGN[] = "CONV-IN-SIGN";

static int xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *cb_num_parse(const char *s, size_t n, unsigned digits,
                         unsigned scale, int is_signed, struct cb_num *out)
{
	const char *reason = NULL;
	size_t i = 0, e = n;
	size_t ib, ie, fb = 0, fe = 0;
	int neg = 0;

	memset(out, 0, sizeof(*out));
	out->ndig = digits;
	while (i < e && xml_space(s[i]))
		i++;
	while (e > i && xml_space(s[e - 1]))
		e--;
	if (i < e && (s[i] == '+' || s[i] == '-')) {
		neg = s[i] == '-';
		i++;
	}
	ib = i;
	while (i < e && s[i] >= '0' && s[i] <= '9')
		i++;
	ie = i;
	if (i < e && s[i] == '.') {
		fb = ++i;
		while (i < e && s[i] >= '0' && s[i] <= '9')
			i++;
		fe = i;
	}
	if (i != e || (ie == ib && fe == fb)) {
		reason = R_NOTNUM;
	} else {
		/* drop leading zeros of the integer part, trailing zeros of the fraction */
		while (ib < ie && s[ib] == '0')
			ib++;
		while (fe > fb && s[fe - 1] == '0')
			fe--;
		if (ie - ib > digits - scale || fe - fb > scale) {
			reason = R_DIGITS;
		} else {
			unsigned ipos = digits - scale - (unsigned)(ie - ib);
			int nonzero = 0;
			for (size_t k = ib; k < ie; k++) {
				out->d[ipos++] = (uint8_t)(s[k] - '0');
				nonzero |= s[k] != '0';
			}
			for (size_t k = fb; k < fe; k++) {
				out->d[ipos++] = (uint8_t)(s[k] - '0');
				nonzero |= s[k] != '0';
			}
			out->neg = neg && nonzero;
			if (out->neg && !is_signed)
				reason = R_SIGN;
		}
	}
	return reason;
}

int cb_num_format(const struct cb_num *v, unsigned scale, struct igw_buf *out)
{
	char tmp[IGW_CB_DIGITS_MAX + 8];
	size_t o = 0;
	unsigned i = 0, intd = v->ndig - scale;
	int nonzero = 0;
	for (unsigned k = 0; k < v->ndig; k++)
		nonzero |= v->d[k] != 0;
	if (v->neg && nonzero)
		tmp[o++] = '-';
	while (i + 1 < intd && v->d[i] == 0)
		i++;
	if (intd == 0)
		tmp[o++] = '0';
	for (; i < intd; i++)
		tmp[o++] = (char)('0' + v->d[i]);
	if (scale > 0) {
		tmp[o++] = '.';
		for (i = intd; i < v->ndig; i++)
			tmp[o++] = (char)('0' + v->d[i]);
	}
	return igw_buf_append(out, tmp, o);
}

int cb_num_to_u64(const struct cb_num *v, uint64_t *mag)
{
	uint64_t m = 0;
	int rc = 0;
	for (unsigned i = 0; i < v->ndig && rc == 0; i++) {
		if (m > (UINT64_MAX - v->d[i]) / 10)
			rc = -1;
		else
			m = m * 10 + v->d[i];
	}
	*mag = m;
	return rc;
}

void cb_num_from_u64(uint64_t mag, int neg, unsigned ndig, struct cb_num *v)
{
	memset(v, 0, sizeof(*v));
	v->ndig = ndig;
	v->neg = neg && mag != 0;
	for (unsigned i = ndig; i > 0; i--) {
		v->d[i - 1] = (uint8_t)(mag % 10);
		mag /= 10;
	}
}
