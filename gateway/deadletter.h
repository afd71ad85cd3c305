/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dead letters: asynchronous callout messages that could not be delivered
 * after the configured attempts, kept on disk so that nothing is discarded.
 *
 * One file per message in the callout's deadLetterDir, named
 * <epoch-ms>-<tpipe>-<random>.dl, mode 0600:
 *
 *   imsgw-dead-letter 1\n
 *   callout: NAME\n  tpipe: NAME\n  attempts: N\n  reason: CODE\n
 *   time: RFC3339\n  length: BYTES\n
 *   \n
 *   <the IMS message bytes, unchanged>
 *
 * A file is written under a temporary name, fsync'ed, renamed, and the
 * folder fsync'ed: once igw_dl_write returns IGW_OK the message survives a
 * crash or power loss, and only then is it ACKed to IMS.
 */
#ifndef IMSGW_DEADLETTER_H
#define IMSGW_DEADLETTER_H

#include <stddef.h>
#include "imsgw/buf.h"

#define IGW_DL_NAME_MAX 96u

struct igw_dl_entry {
	char callout[72];
	char tpipe[16];
	unsigned attempts;
	char reason[48];
	char time[40];
	struct igw_buf data;		/* the message (owned; igw_dl_entry_free) */
};

/* Write one dead letter durably.  name_out (IGW_DL_NAME_MAX) gets the file
 * name.  IGW_EIO (errno logged) when it could not be made durable. */
int igw_dl_write(const char *dir, const char *callout, const char *tpipe, unsigned attempts,
                 const char *reason, const void *data, size_t len, char *name_out);
/* Read and check one dead-letter file.  IGW_EPROTO for a file that is not
 * one (bad header, length mismatch), IGW_EIO, IGW_ELIMIT. */
int igw_dl_read(const char *path, struct igw_dl_entry *out);
void igw_dl_entry_free(struct igw_dl_entry *e);
/* Call fn for every *.dl file of dir in name (= time) order; stops at the
 * first non-zero return, which is returned.  IGW_EIO if dir cannot be read. */
int igw_dl_each(const char *dir, int (*fn)(void *arg, const char *dir, const char *name),
                void *arg);

#endif
