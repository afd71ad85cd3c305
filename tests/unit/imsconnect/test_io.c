/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The connection's read-ahead (imsconnect/src/io.c): whatever the writer's
 * chunking and the reader's request sizes, the bytes come out once, in
 * order; buffered bytes are served before the socket is read again; end of
 * stream and deadlines are reported after the buffer drains. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "imsgw/core.h"
#include "io.h"

#define TOTAL 50000u

static void fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 131u + i / 251u);
}

/* Writer chunk sizes x reader request sizes, over a socketpair. */
static void chunkings(void **st)
{
	static const size_t wsz[] = { 1, 3, 4, 12, 4096, 8191, 8192, 8193, 20000, TOTAL };
	static const size_t rsz[] = { 1, 2, 4, 7, 100, 8191, 8192, 9000, 65536 };
	static uint8_t src[TOTAL], dst[TOTAL];
	(void)st;
	fill(src, sizeof(src));
	for (size_t wi = 0; wi < sizeof(wsz) / sizeof(wsz[0]); wi++) {
		for (size_t ri = 0; ri < sizeof(rsz) / sizeof(rsz[0]); ri++) {
			int sv[2];
			struct imsc_io io;
			size_t got = 0;
			assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
			assert_int_equal(imsc_io_adopt(sv[0], &io), 0);
			/* non-blocking writer: it writes what the socket takes, the
			 * reader makes room */
			assert_int_equal(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
			size_t off = 0;
			while (got < TOTAL) {
				while (off < TOTAL) {
					size_t n = TOTAL - off < wsz[wi] ? TOTAL - off : wsz[wi];
					ssize_t w = write(sv[1], src + off, n);
					if (w <= 0)
						break;
					off += (size_t)w;
				}
				size_t want = TOTAL - got < rsz[ri] ? TOTAL - got : rsz[ri];
				int r = imsc_io_read_some(&io, dst + got, want, igw_deadline_after(5000));
				assert_true(r > 0 && (size_t)r <= want);
				got += (size_t)r;
			}
			assert_memory_equal(src, dst, TOTAL);
			/* nothing more: end of stream once the writer closes */
			close(sv[1]);
			uint8_t b;
			assert_int_equal(imsc_io_read_some(&io, &b, 1, igw_deadline_after(2000)), IGW_ECLOSED);
			imsc_io_close(&io);
		}
	}
}

/* Two messages in one write: the second is served from the buffer, before
 * and without another read; a deadline with nothing buffered or arriving is
 * a time-out; closing empties the buffer. */
static void leftovers_and_deadline(void **st)
{
	int sv[2];
	struct imsc_io io;
	uint8_t b[16];
	(void)st;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(imsc_io_adopt(sv[0], &io), 0);
	assert_int_equal(write(sv[1], "FIRST|SECOND", 12), 12);
	assert_int_equal(imsc_io_read_some(&io, b, 6, igw_deadline_after(2000)), 6);
	assert_memory_equal(b, "FIRST|", 6);
	/* the writer's end is gone, but the buffered bytes still come out */
	close(sv[1]);
	assert_int_equal(imsc_io_read_some(&io, b, 16, igw_deadline_after(2000)), 6);
	assert_memory_equal(b, "SECOND", 6);
	assert_int_equal(imsc_io_read_some(&io, b, 16, igw_deadline_after(2000)), IGW_ECLOSED);
	imsc_io_close(&io);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(imsc_io_adopt(sv[0], &io), 0);
	assert_int_equal(imsc_io_read_some(&io, b, 4, igw_deadline_after(100)), IGW_ETIMEOUT);
	assert_int_equal(write(sv[1], "ABCDEFGH", 8), 8);
	assert_int_equal(imsc_io_read_some(&io, b, 4, igw_deadline_after(2000)), 4);
	imsc_io_close(&io);			/* "EFGH" dropped with the connection */
	assert_int_equal(imsc_io_read_some(&io, b, 4, igw_deadline_after(100)), IGW_ECLOSED);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chunkings),
		cmocka_unit_test(leftovers_and_deadline),
	};
	igw_log_setup(2, IGW_LOG_ERROR, IGW_LOG_TEXT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
