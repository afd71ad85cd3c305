/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: what the callout engine reads from outside.  First byte:
 * even = ICAL control data (CTLDAT items, the <DFSENDPOINTURL> allow-list),
 * odd = a dead-letter file (--dead-letters / --redrive read them back). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "imsgw/core.h"
#include "callout.h"
#include "deadletter.h"

static struct igw_callout co;
static char p1[] = "https://quotes.example.com/quote", p2[] = "http://127.0.0.1:8080/";
static char *prefixes[] = { p1, p2 };
static char name[] = "fuzz";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!co.cp) {
		co.name = name;
		co.overrides = prefixes;
		co.noverrides = 2;
		if (igw_cb_codepage_open("IBM-037", &co.cp) != IGW_OK)
			return 0;
	}
	if (size == 0)
		return 0;
	if ((data[0] & 1) == 0) {
		char url[IGW_CALLOUT_URL_MAX];
		const struct igw_co_status *st =
			igw_callout_control_endpoint(&co, data + 1, size - 1, url, sizeof(url));
		/* an accepted URL is always one of the allowed prefixes */
		if (!st && url[0] && strncmp(url, p1, strlen(p1)) != 0 &&
		    strncmp(url, p2, strlen(p2)) != 0)
			__builtin_trap();
	} else {
		char path[64];
		struct igw_dl_entry e;
		int fd = memfd_create("imsgw-fuzz-dl", MFD_CLOEXEC);
		if (fd >= 0) {
			if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1)) {
				snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
				if (igw_dl_read(path, &e) == IGW_OK)
					igw_dl_entry_free(&e);
			}
			close(fd);
		}
	}
	return 0;
}
