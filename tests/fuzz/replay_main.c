/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Corpus replay driver: runs every file of the folders (or files) named on the
 * command line through LLVMFuzzerTestOneInput, so that fuzz corpora are
 * ordinary regression tests without clang.  A crash or sanitizer report fails
 * the test; otherwise prints "N passed, 0 failed".
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path, unsigned *count)
{
	int rc = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		rc = -1;
	} else {
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0;
		for (;;) {
			if (len == cap) {
				cap = cap ? cap * 2 : 4096;
				uint8_t *n = realloc(buf, cap);
				if (!n) { rc = -1; break; }
				buf = n;
			}
			size_t r = fread(buf + len, 1, cap - len, f);
			if (r == 0)
				break;
			len += r;
		}
		fclose(f);
		if (rc == 0) {
			/* an exact-size copy so that ASan sees reads past the end */
			uint8_t *exact = malloc(len ? len : 1);
			if (exact) {
				if (len)
					memcpy(exact, buf, len);
				LLVMFuzzerTestOneInput(exact, len);
				free(exact);
				(*count)++;
			}
		}
		free(buf);
	}
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int rc = 0;
	for (int i = 1; i < argc && rc == 0; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int n = scandir(argv[i], &names, NULL, alphasort);
			for (int j = 0; j < n; j++) {
				char path[4096];
				snprintf(path, sizeof(path), "%s/%s", argv[i], names[j]->d_name);
				if (names[j]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
					if (run_file(path, &count) != 0)
						rc = 1;
				free(names[j]);
			}
			free(names);
		} else if (run_file(argv[i], &count) != 0) {
			rc = 1;
		}
	}
	if (count == 0)
		rc = 1;		/* an empty corpus is a broken test */
	printf("%u passed, %d failed\n", count, rc);
	return rc;
}
