/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * imsconnect-sim configuration: what the simulated IMS Connect, OTMA, RACF
 * and IMS look like.  Loaded once from an INI-style file (see sim.conf and
 * README.md); immutable afterwards except for the RACF user store, which has
 * its own lock (sim_racf.h).
 *
 * Errors are reported as "FILE:LINE: reason" through the core logger; loading
 * stops after IGW_CONFIG_ERRORS_MAX errors.
 *
 * Ownership: sim_config_load() fills *cfg; sim_config_free() releases it
 * (passwords and keys are zeroed).
 */
#ifndef SIM_CONFIG_H
#define SIM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "imsgw/limits.h"

/* 8-character IMS/RACF names: stored as ASCII, upper case, NUL-terminated,
 * without trailing blanks. */
#define SIM_NAME_LEN 8
typedef char sim_name[SIM_NAME_LEN + 1];

enum sim_otma_sec {
	SIM_OTMA_NONE = 0,	/* no user or transaction checks           */
	SIM_OTMA_CHECK,		/* TIMS/RIMS checks for the message's user  */
	SIM_OTMA_FULL,		/* as CHECK (plus region ACEE: not visible) */
	SIM_OTMA_PROFILE,	/* per message: its OMSECFLG decides        */
};

enum sim_handler {
	SIM_H_IVTNO = 0,	/* IVP phone book                            */
	SIM_H_ECHO,		/* input + user id + group                   */
	SIM_H_SLOW,		/* echo after delay_ms                       */
	SIM_H_CALLSYNC,		/* ICAL SENDRECV to a tpipe, reply answer    */
	SIM_H_CALLSYNC_URL,	/* same, first word = DFSENDPOINTURL control data */
	SIM_H_CALLASYNC,	/* ISRT ALTPCB to a tpipe, reply "queued"    */
	SIM_H_ABEND,		/* program abend: DFS555I text               */
	SIM_H_NOREPLY,		/* ends without replying                     */
	SIM_H_CONVERSE,		/* conversational: steps until "END"         */
};

/* Test hooks: what the simulator does instead of a normal reply. */
enum sim_fault {
	SIM_FAULT_NONE = 0,
	SIM_FAULT_CLOSE,	/* close the socket, no reply                */
	SIM_FAULT_TRUNCATE,	/* send the first half of the reply, close   */
	SIM_FAULT_BADLEN,	/* reply whose LLLL claims 100 more bytes    */
	SIM_FAULT_RSM,		/* reply RSM force_rc/force_rsn              */
};

/* A permit list entry: a user id or, with is_group, a RACF group. */
struct sim_permit {
	sim_name name;
	bool is_group;
};

struct sim_datastore {
	sim_name id;		/* IRM_IMSDESTID                             */
	sim_name appl;		/* APPL= PassTicket application (may be "") */
	unsigned ackto_s;	/* ACKTO= (informational)                    */
	bool up;		/* false: requests get RSM RC 8 RSN down_rsn */
	unsigned down_rsn;	/* 72..77, default 74                        */
	bool join_denied;	/* OTMA client-bid (JOIN) refused: the datastore
				 * is unavailable, RSN 74                    */
};

struct sim_txn {
	sim_name name;
	enum sim_handler handler;
	unsigned delay_ms;	/* program run time before the reply         */
	sim_name tpipe;		/* callout destination tpipe (CALLSYNC/ASYNC) */
	unsigned callout_timeout_ms;	/* ICAL timeout                      */
	bool cm0_allowed;	/* false: CM0 input rejected                 */
	enum sim_fault fault;	/* test hook, default none                   */
	unsigned force_rc, force_rsn;	/* SIM_FAULT_RSM                     */
	struct sim_permit permit[IGW_SIM_PERMITS_MAX];	/* TIMS; none = open */
	unsigned npermit;
};

/* A tpipe that is protected by a RIMS profile. */
struct sim_tpipe_rule {
	sim_name name;
	struct sim_permit permit[IGW_SIM_PERMITS_MAX];
	unsigned npermit;
};

/* XML adapter converter (IRM_TAG_MAP name): XML <-> the transaction's
 * records through a COBOL copybook (copybook/include/copybook/copybook.h). */
struct sim_conv_def {
	sim_name name;
	sim_name tran;			/* transaction it drives              */
	char copybook[IGW_PATH_MAX];
	char in_spec[128];		/* igw_cb_msg_build spec of the input  */
	char out_spec[128];		/* ... of the output                   */
	char codepage[32];		/* default 037                         */
	char ns[256];			/* response namespace (may be "")      */
	char wrapper[128];		/* response wrapper; default TRANResponse */
};

struct sim_user_def {
	sim_name id;
	char password[IGW_SIM_PASSWORD_MAX + 1];
	sim_name groups[IGW_SIM_GROUPS_PER_USER_MAX];	/* [0] = default */
	unsigned ngroups;
	bool revoked;
	bool expired;
};

struct sim_appl_def {
	sim_name appl;
	bool has_legacy;
	uint8_t legacy_key[8];
	bool has_enhanced;
	uint8_t enh_key[IGW_SIM_PTKT_KEY_MAX];
	size_t enh_key_len;
	bool enh_mixed;		/* TYPE(MIXED); false = UPPER                 */
	unsigned enh_timeout_s;	/* TIMEOUT(1..600), default 60                */
	bool replay;		/* REPLAY(YES): a ticket may be used again    */
};

struct sim_config {
	char path[IGW_PATH_MAX];	/* the file loaded                    */
	/* [server] */
	char address[64];		/* listen address, default 127.0.0.1  */
	unsigned port;			/* plain TCP port (0 = ephemeral)     */
	bool tls;			/* TLS listener enabled               */
	unsigned tls_port;		/* its port (0 = ephemeral)           */
	char tls_cert[IGW_PATH_MAX];
	char tls_key[IGW_PATH_MAX];
	char tls_ca[IGW_PATH_MAX];	/* set: client certificates required  */
	unsigned max_connections;
	int log_level;			/* enum igw_log_level                 */
	int log_format;			/* enum igw_log_format                */
	char port_file[IGW_PATH_MAX];	/* write "port tls_port\n" here       */
	/* [hws] */
	sim_name member;		/* IMS Connect XCF member (HWS1)      */
	sim_name imsid;			/* IMS ID for correlation tokens      */
	bool racf;
	sim_name racfid;		/* default user id                    */
	bool racfgenrc;
	unsigned protocol_level;	/* CSM_PRLVLFLG: 0, 2 or 3            */
	unsigned timeout_ms;		/* TIMEOUT=: default IRM_TIMER wait   */
	unsigned idleto_s;		/* IDLETO=                            */
	uint32_t maxsize;		/* MAXSIZE=                           */
	bool close_unknown_irmid;	/* unknown IRM_ID: close, no RSM      */
	unsigned trusted_flag;		/* IRM_RES1 bits marking a trusted user
					 * (installation-defined), 0 = off    */
	/* [otma] */
	enum sim_otma_sec otma_security;
	unsigned tims_sense;		/* RC 16 RSN for TIMS/RIMS failures   */
	struct sim_permit cmd_permit[IGW_SIM_PERMITS_MAX];	/* CIMS        */
	unsigned ncmd_permit;
	/* [ivtno] */
	char ivtno_store[IGW_PATH_MAX];	/* "" = in memory only                */
	/* tables */
	struct sim_datastore ds[IGW_SIM_DATASTORES_MAX];
	unsigned nds;
	struct sim_txn txn[IGW_SIM_TXNS_MAX];
	unsigned ntxn;
	struct sim_tpipe_rule tprule[IGW_SIM_TPIPES_MAX];
	unsigned ntprule;
	struct sim_user_def user[IGW_SIM_USERS_MAX];
	unsigned nuser;
	struct sim_appl_def appl[IGW_SIM_APPLS_MAX];
	unsigned nappl;
	struct sim_conv_def conv[IGW_SIM_CONVERTERS_MAX];
	unsigned nconv;
};

/* Defaults (no datastores, users or transactions). */
void sim_config_defaults(struct sim_config *cfg);
/* Load FILE into *cfg (defaults first).  Returns IGW_OK or IGW_ECONFIG after
 * logging every error as "FILE:LINE: reason"; IGW_EIO if unreadable. */
int sim_config_load(struct sim_config *cfg, const char *file);
/* Zero secrets.  *cfg may be reloaded afterwards. */
void sim_config_free(struct sim_config *cfg);

const struct sim_datastore *sim_config_datastore(const struct sim_config *cfg,
                                                 const char *id);
const struct sim_txn *sim_config_txn(const struct sim_config *cfg, const char *name);
const struct sim_tpipe_rule *sim_config_tprule(const struct sim_config *cfg,
                                               const char *tpipe);
const struct sim_appl_def *sim_config_appl(const struct sim_config *cfg,
                                           const char *appl);

/* Copy s (up to 8 chars, stopping at blank or NUL) into an upper-cased name.
 * Returns 0, or -1 if s is longer than 8 or has characters outside
 * A-Z 0-9 @ # $. */
int sim_name_set(sim_name out, const char *s, size_t n);

#endif
