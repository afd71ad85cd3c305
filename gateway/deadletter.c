/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/rand.h>
#include "imsgw/core.h"
#include "imsgw/conffile.h"
#include "deadletter.h"

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	int rc = IGW_OK;
	while (n > 0 && rc == IGW_OK) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = IGW_EIO;
		} else {
			c += w;
			n -= (size_t)w;
		}
	}
	return rc;
}

/* Only printable ASCII without blanks goes into the header. */
static void clean(char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			*s = '_';
}

int igw_dl_write(const char *dir, const char *callout, const char *tpipe, unsigned attempts,
                 const char *reason, const void *data, size_t len, char *name_out)
{
	int rc = IGW_OK, fd = -1, dfd = -1;
	unsigned char rnd[6];
	char hdr[512], tmp[IGW_PATH_MAX], fin[IGW_PATH_MAX], ts[40], c[72], t[16], r[48];
	int64_t now = igw_wall_ms();
	time_t secs = (time_t)(now / 1000);
	struct tm tm;

	snprintf(c, sizeof(c), "%s", callout);
	snprintf(t, sizeof(t), "%s", tpipe);
	snprintf(r, sizeof(r), "%s", reason);
	clean(c);
	clean(t);
	clean(r);
	gmtime_r(&secs, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		rc = IGW_EIO;
	if (rc == IGW_OK) {
		snprintf(name_out, IGW_DL_NAME_MAX, "%013lld-%s-%02x%02x%02x%02x%02x%02x.dl",
		         (long long)now, t, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name_out) >= sizeof(tmp) ||
		    (size_t)snprintf(fin, sizeof(fin), "%s/%s", dir, name_out) >= sizeof(fin))
			rc = IGW_ELIMIT;
	}
	if (rc == IGW_OK) {
		int n = snprintf(hdr, sizeof(hdr),
		                 "imsgw-dead-letter 1\ncallout: %s\ntpipe: %s\nattempts: %u\n"
		                 "reason: %s\ntime: %s\nlength: %zu\n\n", c, t, attempts, r, ts, len);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write_all(fd, hdr, (size_t)n) != IGW_OK ||
		    write_all(fd, data, len) != IGW_OK || fsync(fd) != 0)
			rc = IGW_EIO;
	}
	if (fd >= 0 && close(fd) != 0)
		rc = IGW_EIO;
	if (rc == IGW_OK && rename(tmp, fin) != 0)
		rc = IGW_EIO;
	if (rc == IGW_OK) {
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0 || fsync(dfd) != 0)
			rc = IGW_EIO;
		if (dfd >= 0)
			close(dfd);
	}
	if (rc != IGW_OK) {
		igw_log_error(NULL, "dead letter in %s: %s", dir, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	}
	return rc;
}

static int field(const char **p, const char *end, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	int rc = IGW_EPROTO;
	if (nl && (size_t)(nl - *p) > kl + 2 && memcmp(*p, key, kl) == 0 && (*p)[kl] == ':' &&
	    (*p)[kl + 1] == ' ' && (size_t)(nl - *p) - kl - 2 < outlen) {
		size_t n = (size_t)(nl - *p) - kl - 2;
		memcpy(out, *p + kl + 2, n);
		out[n] = 0;
		*p = nl + 1;
		rc = IGW_OK;
	}
	return rc;
}

int igw_dl_read(const char *path, struct igw_dl_entry *out)
{
	char *text = NULL, num[32], lenbuf[32];
	size_t len = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = igw_conf_read_file(path, IGW_CALLOUT_MSG_MAX + 1024u, &text, &len);
	if (rc == IGW_OK) {
		const char *p = text, *end = text + len;
		static const char magic[] = "imsgw-dead-letter 1\n";
		if (len < sizeof(magic) - 1 || memcmp(p, magic, sizeof(magic) - 1) != 0)
			rc = IGW_EPROTO;
		else
			p += sizeof(magic) - 1;
		if (rc == IGW_OK)
			rc = field(&p, end, "callout", out->callout, sizeof(out->callout));
		if (rc == IGW_OK)
			rc = field(&p, end, "tpipe", out->tpipe, sizeof(out->tpipe));
		if (rc == IGW_OK)
			rc = field(&p, end, "attempts", num, sizeof(num));
		if (rc == IGW_OK)
			rc = field(&p, end, "reason", out->reason, sizeof(out->reason));
		if (rc == IGW_OK)
			rc = field(&p, end, "time", out->time, sizeof(out->time));
		if (rc == IGW_OK)
			rc = field(&p, end, "length", lenbuf, sizeof(lenbuf));
		unsigned dlen = 0;
		if (rc == IGW_OK && (igw_conf_uint(num, 0, 0xFFFFFFFFu, &out->attempts) != IGW_OK ||
		                     igw_conf_uint(lenbuf, 0, IGW_CALLOUT_MSG_MAX, &dlen) != IGW_OK))
			rc = IGW_EPROTO;
		if (rc == IGW_OK && (p >= end || *p != '\n' || (size_t)(end - p - 1) != dlen))
			rc = IGW_EPROTO;
		if (rc == IGW_OK)
			rc = igw_buf_init(&out->data, IGW_CALLOUT_MSG_MAX);
		if (rc == IGW_OK)
			rc = igw_buf_append(&out->data, p + 1, dlen);
	} else if (rc != IGW_ELIMIT) {
		rc = IGW_EIO;
	}
	if (rc != IGW_OK)
		igw_dl_entry_free(out);
	free(text);
	return rc;
}

void igw_dl_entry_free(struct igw_dl_entry *e)
{
	igw_buf_free(&e->data);
	memset(e, 0, sizeof(*e));
}

static int dl_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 3 && strcmp(d->d_name + n - 3, ".dl") == 0;
}

int igw_dl_each(const char *dir, int (*fn)(void *arg, const char *dir, const char *name),
                void *arg)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, dl_file, alphasort);
	int rc = n < 0 ? IGW_EIO : IGW_OK;
	for (int i = 0; i < n; i++) {
		if (rc == IGW_OK)
			rc = fn(arg, dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return rc;
}
