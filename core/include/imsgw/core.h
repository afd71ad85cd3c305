/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The core library in one include: errors, reasons, limits, buffers,
 * secrets, logging, time.  libc only. */
#ifndef IMSGW_CORE_H
#define IMSGW_CORE_H
#include "imsgw/error.h"
#include "imsgw/reason.h"
#include "imsgw/limits.h"
#include "imsgw/buf.h"
#include "imsgw/secure.h"
#include "imsgw/log.h"
#include "imsgw/clock.h"
#endif
