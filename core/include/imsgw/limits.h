/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every limit imsgw enforces, named once.  Configuration may lower most of
 * them (and raise a few up to the *_MAX ceiling); code never uses a bare
 * number for a size, a depth, a count or a time-out.
 */
#ifndef IMSGW_LIMITS_H
#define IMSGW_LIMITS_H

/* ---- HTTP front end ---- */
#define IGW_HTTP_BODY_DEFAULT        (1u << 20)	/* 1 MiB request body      */
#define IGW_HTTP_BODY_MAX            (16u << 20)	/* ceiling for config      */
#define IGW_HTTP_CONN_MEMORY_DEFAULT (64u << 10)	/* per-connection MHD pool */
#define IGW_HTTP_CONN_MEMORY_MIN     (16u << 10)
#define IGW_HTTP_CONN_MEMORY_MAX     (1u << 20)
#define IGW_HTTP_CONNECTIONS_DEFAULT 1024u
#define IGW_HTTP_CONNECTIONS_MAX     16384u
#define IGW_HTTP_PER_IP_DEFAULT      256u
#define IGW_HTTP_TIMEOUT_S_DEFAULT   30u		/* idle connection          */
#define IGW_HTTP_TIMEOUT_S_MAX       3600u
#define IGW_HTTP_THREADS_DEFAULT     2u
#define IGW_HTTP_THREADS_MAX         64u
#define IGW_LISTENERS_MAX            8u

/* ---- configuration files ---- */
#define IGW_CONFIG_FILE_MAX          (1u << 20)	/* one config file          */
#define IGW_CONFIG_LINE_MAX          4096u
#define IGW_CONFIG_ERRORS_MAX        100u		/* reported per run         */
#define IGW_PATH_MAX                 4096u
#define IGW_PEM_FILE_MAX             (1u << 20)	/* cert/key/CA file         */

/* ---- logging ---- */
#define IGW_LOG_LINE_MAX             4096u
#define IGW_REQUEST_ID_LEN           16u		/* hex chars, no NUL        */

/* ---- identities ---- */
#define IGW_SUBJECT_MAX              1024u		/* certificate subject DN   */

#endif
