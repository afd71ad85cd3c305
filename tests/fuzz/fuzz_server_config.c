/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the server configuration loader (tokenizer, directives,
 * validation) over arbitrary file contents. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include "imsgw/core.h"
#include "server_config.h"

static void quiet(void *ctx, const char *msg) { (void)ctx; (void)msg; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct igw_server_conf *conf = NULL;
	unsigned n = 0;
	int fd = memfd_create("imsgw-fuzz", MFD_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			igw_server_conf_load(path, quiet, NULL, &conf, &n);
			igw_server_conf_free(conf);
		}
		close(fd);
	}
	return 0;
}
