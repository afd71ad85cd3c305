/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "imsgw/error.h"

struct err_row { int code; const char *name; const char *text; };

static const struct err_row err_rows[] = {
#define IGW_ERROR_ROW(name, value, text) { value, #name, text },
	IGW_ERROR_LIST(IGW_ERROR_ROW)
#undef IGW_ERROR_ROW
};

static const struct err_row *err_find(int code)
{
	const struct err_row *row = 0;
	for (unsigned i = 0; i < sizeof(err_rows) / sizeof(err_rows[0]); i++) {
		if (err_rows[i].code == code) {
			row = &err_rows[i];
			break;
		}
	}
	return row;
}

const char *igw_strerror(int code)
{
	const struct err_row *row = err_find(code);
	return row ? row->text : "unknown error";
}

const char *igw_errname(int code)
{
	const struct err_row *row = err_find(code);
	return row ? row->name : "IGW_E?";
}
