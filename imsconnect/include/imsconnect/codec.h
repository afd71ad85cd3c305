/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IMS Connect user-written-client protocol codec (HWSSMPL1 "*SAMPL1*" and
 * HWSSMPL0 "*SAMPLE*" IRM).  Pure bytes <-> structures: no I/O, no threads,
 * no global state except the code-page tables, which are built once
 * (thread-safely) from iconv.
 *
 * Reference: shared/docs/imsconnect-protocol.md (sections 1-4).  Choices made
 * where the reference is open are listed in imsconnect/README.md.
 *
 * Conventions
 *  - Every function returns 0 (or a count) on success, a negative IGW_E* code
 *    (imsgw/error.h) on failure.  Malformed input is IGW_EPROTO, a value that
 *    cannot be encoded IGW_EINVAL, a bound hit IGW_ELIMIT, an unmappable
 *    character IGW_ECONV.  No input, however malformed, makes the codec read
 *    outside the buffer it was given or allocate more than the caller's bound.
 *  - Character fields of structures are held in memory as NUL-terminated
 *    ASCII text without the blank padding ("IVTNO", not "IVTNO   ").  On the
 *    wire they are 8-byte blank-padded fields in CP037 EBCDIC (IMSC_CP_EBCDIC)
 *    or ASCII (IMSC_CP_ASCII), chosen by the code page of the IRM_ID.
 *  - Binary fields (lengths, flags, timer, NAK reason) are never translated.
 *    Message data (segments) is never translated by the codec: it is the
 *    caller's bytes (see imsconnect/ebcdic.h to translate text).
 *  - Decoders that return pointers (segments, extensions, CTLDAT) point into
 *    the caller's input buffer: they are valid as long as that buffer is.
 *  - Structures holding a password/PassTicket must be wiped by the owner
 *    (imsc_irm_wipe) when no longer needed.
 */
#ifndef IMSCONNECT_CODEC_H
#define IMSCONNECT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imsgw/buf.h"

/* ------------------------------------------------------------------ sizes */
#define IMSC_NAME_LEN         8u	/* every IRM / structure name field      */
#define IMSC_NAME_BUF         9u	/* + NUL                                 */
#define IMSC_LLLL_LEN         4u
#define IMSC_EOM_LEN          4u	/* X'00040000'                           */
#define IMSC_IRM_FIXED_LEN    28u
#define IMSC_IRM_LEN_ARCH0    80u	/* X'50' */
#define IMSC_IRM_LEN_ARCH1    96u	/* X'60' */
#define IMSC_IRM_LEN_ARCH2    112u	/* X'70' */
#define IMSC_IRM_LEN_ARCH3    160u	/* X'A0' */
#define IMSC_IRM_LEN_ARCH4    168u
#define IMSC_IRM_LEN_ARCH5    172u	/* X'AC' */
#define IMSC_ARCH_MAX         5u
#define IMSC_MSG_MIN_LEN      88u	/* LLLL + 80-byte IRM + EOM              */
#define IMSC_MSG_MAX_LEN      0x7FFFFFFFu
#define IMSC_SEG_MAX_LEN      32767u	/* one LLZZ segment incl. LL and ZZ      */
#define IMSC_SEG_DATA_MAX     (IMSC_SEG_MAX_LEN - 4u)
#define IMSC_CORTKN_LEN       40u
#define IMSC_SESTKN_LEN       8u
#define IMSC_CSM_LEN          12u
#define IMSC_RSM_LEN          20u
#define IMSC_RMM_LEN          20u
#define IMSC_GENCID_LEN       20u
#define IMSC_COR_LEN          52u	/* 12-byte header + 40-byte token        */
#define IMSC_CTLDAT_HDR_LEN   16u	/* LLLL + *CTLDAT* + zzzz                */
#define IMSC_IRM_EXT_HDR_LEN  12u
#define IMSC_IRM_EXT_MAX      8u	/* extensions decoded/encoded per IRM    */

/* Offsets of IRM fields from the start of the message (LLLL at 0). */
#define IMSC_OFF_IRM_LEN      4u
#define IMSC_OFF_ARCH         6u
#define IMSC_OFF_F0           7u
#define IMSC_OFF_ID           8u
#define IMSC_OFF_NAK_RSNCDE   16u
#define IMSC_OFF_RES1         18u
#define IMSC_OFF_F5           20u
#define IMSC_OFF_TIMER        21u
#define IMSC_OFF_SOCT         22u
#define IMSC_OFF_ES           23u
#define IMSC_OFF_CLIENTID     24u
#define IMSC_OFF_F1           32u
#define IMSC_OFF_F2           33u
#define IMSC_OFF_F3           34u
#define IMSC_OFF_F4           35u
#define IMSC_OFF_TRNCOD       36u
#define IMSC_OFF_DESTID       44u
#define IMSC_OFF_LTERM        52u
#define IMSC_OFF_USERID       60u
#define IMSC_OFF_GROUP        68u
#define IMSC_OFF_PASSWORD     76u	/* never log bytes 76..83 */
#define IMSC_OFF_APPLNM       84u
#define IMSC_OFF_REROUT       92u
#define IMSC_OFF_TAG_ADAPT    100u
#define IMSC_OFF_TAG_MAP      108u
#define IMSC_OFF_CORTKN       116u
#define IMSC_OFF_MODNAME      156u
#define IMSC_OFF_SESTKN       164u
#define IMSC_OFF_EXTN_OFF     172u

/* ------------------------------------------------------------ flag values */
/* IRM_F0 (offset 7) */
#define IMSC_F0_SYNONLY   0x80u
#define IMSC_F0_SYNASYN   0x40u
#define IMSC_F0_SYNCNAK   0x20u	/* on a callout response (L/M)           */
#define IMSC_F0_CTLDATA   0x20u	/* on RESUME TPIPE: the client accepts
				 * *CTLDAT* (choice, see README: the OTMA
				 * callout-mode bit X'20', as X'80'/X'40') */
#define IMSC_F0_NAKRSN    0x10u
#define IMSC_F0_EXTENS    0x04u
#define IMSC_F0_XMLD      0x02u
#define IMSC_F0_XMLTD     0x01u
/* IRM_F1 (offset 32) -- ims-injector values, reference Q4 */
#define IMSC_F1_MFSREQ    0x80u
#define IMSC_F1_CIDREQ    0x40u
#define IMSC_F1_UC        0x20u
#define IMSC_F1_UCTC      0x10u
#define IMSC_F1_SOAPRSP   0x04u
#define IMSC_F1_NOWAIT    0x02u
#define IMSC_F1_TRNEXP    0x01u
/* IRM_F2 (offset 33) */
#define IMSC_F2_CM0       0x40u
#define IMSC_F2_CM1       0x20u
#define IMSC_F2_GENCID    0x01u
/* IRM_F3 (offset 34) */
#define IMSC_F3_SYNC_NONE 0x00u
#define IMSC_F3_SYNCNF    0x01u
#define IMSC_F3_SYNCPT    0x02u
#define IMSC_F3_PURGE     0x04u
#define IMSC_F3_REROUT    0x08u
#define IMSC_F3_ORDER     0x10u
#define IMSC_F3_IGNPURG   0x20u
#define IMSC_F3_DFS2082   0x40u
#define IMSC_F3_CANCID    0x80u
/* IRM_F5 (offset 20): high bits are flags, low bits the RESUME TPIPE option */
#define IMSC_F5_OTMAHDR   0x80u
#define IMSC_F5_XLATED    0x40u
#define IMSC_F5_RT_NOOPT  0x00u	/* behaves like NOAUTO */
#define IMSC_F5_RT_SINGLE 0x01u
#define IMSC_F5_RT_AUTO   0x02u
#define IMSC_F5_RT_NOAUTO 0x04u
#define IMSC_F5_XID       0x08u
#define IMSC_F5_RT_SWAIT  0x10u	/* reference Q5 */
#define IMSC_F5_RT_MASK   0x17u
/* IRM_SOCT (offset 22) */
#define IMSC_SOCT_TRANSACTION    0x00u
#define IMSC_SOCT_PERSISTENT     0x10u
#define IMSC_SOCT_NONPERSISTENT  0x40u
/* IRM_TIMER (offset 21) special values */
#define IMSC_TIMER_V_DEFAULT  0x00u
#define IMSC_TIMER_V_NOWAIT   0xE9u
#define IMSC_TIMER_V_FOREVER  0xFFu
/* CSM_FLG1 / RSM_FLG1 */
#define IMSC_FLG1_ASYNC_QUEUED  0x80u
#define IMSC_FLG1_CONVERSATION  0x40u
#define IMSC_FLG1_ACK_REQUIRED  0x20u
#define IMSC_FLG1_PRLVL_VALID   0x10u
/* CSM protocol levels */
#define IMSC_PRLVL_BASE         0x00u
#define IMSC_PRLVL_NOWAIT       0x02u
#define IMSC_PRLVL_RACFRC       0x03u

/* IRM_F4 message types, held as the ASCII letter (encoded per code page). */
enum imsc_msgtype {
	IMSC_MT_SENDRECV      = ' ',
	IMSC_MT_ACK           = 'A',
	IMSC_MT_NAK           = 'N',
	IMSC_MT_DEALLOCATE    = 'D',
	IMSC_MT_CANCEL_TIMER  = 'C',
	IMSC_MT_RESUME_TPIPE  = 'R',
	IMSC_MT_SENDONLY      = 'S',
	IMSC_MT_SENDONLY_ACK  = 'K',
	IMSC_MT_SENDONLY_ERR  = 'J',
	IMSC_MT_CALLOUT_RESP_ACK = 'L',	/* sync callout response, CSM/RSM back */
	IMSC_MT_CALLOUT_RESP  = 'M',	/* sync callout response, nothing back */
};

/* Code page of the IRM character fields and of structure IDs. */
enum imsc_cp {
	IMSC_CP_EBCDIC = 0,	/* CP037 (recommended; no translation by the exit) */
	IMSC_CP_ASCII = 1,	/* IMS Connect translates                          */
};

/* User message exit named by IRM_ID; also decides the reply framing. */
enum imsc_exit {
	IMSC_EXIT_SAMPL1 = 0,	/* *SAMPL1*: replies start with a 4-byte LLLL */
	IMSC_EXIT_SAMPLE = 1,	/* *SAMPLE*: replies are bare LL structures   */
	IMSC_EXIT_OTHER = 2,	/* decoded an IRM_ID we do not implement      */
};

/* --------------------------------------------------------------- the IRM */
struct imsc_irm_ext {
	char id[IMSC_NAME_BUF];		/* e.g. "*NETUID*" (ASCII in memory)     */
	const uint8_t *data;		/* extension data (binary), borrowed      */
	uint16_t len;			/* data length (header excluded)          */
};

struct imsc_irm {
	enum imsc_exit exit;		/* IRM_ID: *SAMPL1* or *SAMPLE*           */
	enum imsc_cp cp;		/* code page of IRM_ID and name fields    */
	char irm_id[IMSC_NAME_BUF];	/* decoded IRM_ID text (decode only)      */
	uint16_t irm_len;		/* encode: 0 = natural length of arch     */
	uint8_t arch;			/* 0..5                                   */
	uint8_t f0, f1, f2, f3, f5;
	char msgtype;			/* IRM_F4, an enum imsc_msgtype value     */
	uint8_t f4_raw;			/* decode only: the byte on the wire      */
	uint16_t nak_rsncde;
	uint16_t res1;			/* IRM_RES1 (bytes 18-19), normally 0     */
	uint8_t timer, soct, es;
	char clientid[IMSC_NAME_BUF];
	char trncod[IMSC_NAME_BUF];
	char destid[IMSC_NAME_BUF];	/* IRM_IMSDESTID (datastore)              */
	char lterm[IMSC_NAME_BUF];
	char userid[IMSC_NAME_BUF];
	char group[IMSC_NAME_BUF];
	char password[IMSC_NAME_BUF];	/* password or PassTicket: SECRET         */
	char applnm[IMSC_NAME_BUF];	/* ARCH>=1 (decode: whenever IRM covers it)*/
	char rerout[IMSC_NAME_BUF];	/* REROUT_NM / RT_ALTCID, ARCH>=1         */
	char tag_adapt[IMSC_NAME_BUF];	/* ARCH>=2 */
	char tag_map[IMSC_NAME_BUF];	/* ARCH>=2 */
	uint8_t cortkn[IMSC_CORTKN_LEN];/* ARCH>=3, binary, copied verbatim      */
	char modname[IMSC_NAME_BUF];	/* ARCH>=3 */
	uint8_t sestkn[IMSC_SESTKN_LEN];/* ARCH>=4 */
	uint16_t extn_off;		/* ARCH>=5; encode: 0 = computed          */
	unsigned next;			/* number of extensions in ext[]          */
	struct imsc_irm_ext ext[IMSC_IRM_EXT_MAX];
};

/* Defaults for a send-receive: given exit and code page, ARCH 0, CM1 sync
 * NONE, persistent socket, default timer, blank names. */
void imsc_irm_init(struct imsc_irm *irm, enum imsc_exit exit, enum imsc_cp cp);
/* Zero the whole structure (password included). */
void imsc_irm_wipe(struct imsc_irm *irm);
/* Natural IRM_LEN for an architecture level (0 for an unknown level). */
unsigned imsc_irm_len_for_arch(unsigned arch);
/* 1 if a letter is a known IRM_F4 message type. */
int imsc_msgtype_valid(char mt);
/* 1 if the message type carries data (send-receive, S/K/J, L/M). */
int imsc_msgtype_has_data(char mt);

/* ------------------------------------------------------------- requests */
/* One data segment of a request, borrowed. */
struct imsc_seg {
	const uint8_t *data;
	size_t len;			/* data bytes (LL/ZZ or LLLL excluded)    */
};

/* Encoder flags */
#define IMSC_ENC_NOCHECK 0x1u	/* skip semantic checks (tests, simulator
				 * fault injection): still never overflows */

/*
 * Append one complete request message (LLLL IRM segments EOM) to out.
 * Segments are LLZZ (each <= IMSC_SEG_DATA_MAX bytes), except for callout
 * responses (msgtype L/M) whose data is LLLL-framed.  Unless
 * IMSC_ENC_NOCHECK: message types without data must have nseg == 0, types
 * with data at least one segment, except a callout error response (L/M
 * with IRM_F0_NAKRSN or IRM_F0_SYNCNAK), which has none; L/M need ARCH >= 3
 * and at most one (LLLL) data element; F0 SYNONLY/SYNASYN need ARCH >= 3; extensions need
 * ARCH 5 (F0_EXTENS and IRM_EXTN_OFF are then set by the encoder); name
 * fields must be <= 8 printable characters.
 * On failure out is left as it was.  Returns bytes appended.
 */
int imsc_request_encode(const struct imsc_irm *irm, const struct imsc_seg *segs,
                        size_t nseg, unsigned flags, struct igw_buf *out);

/* A decoded request.  body/irm_raw point into the decoded buffer. */
struct imsc_request {
	struct imsc_irm irm;
	uint32_t llll;			/* declared total length                  */
	const uint8_t *irm_raw;		/* the IRM as received (irm.irm_len bytes)*/
	const uint8_t *body;		/* first segment ... up to (excl.) EOM    */
	size_t body_len;
	size_t nseg;			/* number of segments in body             */
	bool llll_data;			/* segments use 4-byte LLLL (L/M)         */
};

/*
 * Decode one complete request message msg[0..len) (LLLL first).  On error
 * returns IGW_EPROTO and, if rsn is not NULL, stores the RSM reason code IMS
 * Connect would answer with (IMSC_RSN_*: 5, 6, 7, 9, 12, 113, 114...).
 * Accepts IRM_F4 in either code page.  An unknown IRM_ID decodes with exit
 * IMSC_EXIT_OTHER and only the fixed part filled; the caller decides.
 */
int imsc_request_decode(const uint8_t *msg, size_t len, struct imsc_request *req,
                        uint32_t *rsn);

/* Iterate the data segments of a decoded request (or any LLZZ/LLLL body).
 * Returns 1 and sets *data and *len for the next segment, 0 at the end, or
 * IGW_EPROTO (sticky) if the body is malformed. */
struct imsc_seg_iter {
	const uint8_t *p;
	size_t left;
	bool llll;
	int err;
};
void imsc_seg_iter_init(struct imsc_seg_iter *it, const uint8_t *body,
                        size_t len, bool llll);
int imsc_seg_iter_next(struct imsc_seg_iter *it, const uint8_t **data, size_t *len);
/* Append the data of all segments of a request to out. */
int imsc_request_data(const struct imsc_request *req, struct igw_buf *out);

/* --------------------------------------------------------------- replies */
/* Correlation token (the 40 bytes at COR rel 12..51, and IRM_CORTKN). */
struct imsc_cortkn_fields {
	uint16_t ll;			/* token length, 40                      */
	uint16_t pstnr;			/* region (PST) number                   */
	char imsid[5];			/* 4 characters                          */
	uint8_t memtk[8];		/* TMEMBER token (binary)                */
	uint8_t awetk[8];		/* AWE / message token (binary)          */
	char tpipe[IMSC_NAME_BUF];
	char userid[IMSC_NAME_BUF];
};
int imsc_cortkn_build(const struct imsc_cortkn_fields *f, enum imsc_cp cp,
                      uint8_t tok[IMSC_CORTKN_LEN]);
int imsc_cortkn_parse(const uint8_t tok[IMSC_CORTKN_LEN], enum imsc_cp cp,
                      struct imsc_cortkn_fields *f);

struct imsc_rsm {
	uint8_t flg1;
	uint8_t racfrc;			/* RSM_RACFRC / RSM_OTMRSN               */
	uint32_t retcod;
	uint32_t rsncod;
	bool xasm;			/* ID was *XADPST* (XML adapter status)   */
};

/* A decoded reply.  Pointers point into the decoded buffer. */
struct imsc_reply {
	enum imsc_cp cp;		/* code page the IDs were found in        */
	bool has_csm, has_rsm, has_rmm, has_gencid, has_cor, has_ctldat;
	uint8_t csm_flg1;		/* IMSC_FLG1_*                           */
	uint8_t csm_prlvl;		/* meaningful if csm_flg1 & PRLVL_VALID   */
	struct imsc_rsm rsm;
	char modname[IMSC_NAME_BUF];	/* RMM                                   */
	char clientid[IMSC_NAME_BUF];	/* GENCID                                */
	uint8_t cortkn[IMSC_CORTKN_LEN];/* COR token, to copy into IRM_CORTKN    */
	struct imsc_cortkn_fields cor;	/* the token's fields                    */
	const uint8_t *ctldat;		/* CTLDAT content after its 16-byte hdr   */
	size_t ctldat_len;
	const uint8_t *data;		/* first data element ... last (excl CSM) */
	size_t data_len;
	size_t nseg;			/* number of data elements               */
	bool llll_data;			/* data is 4-byte LLLL framed (callout)   */
	size_t total;			/* bytes the reply occupied              */
};

/*
 * Decode one complete reply.  framing IMSC_EXIT_SAMPL1: msg starts with LLLL,
 * which must equal len.  IMSC_EXIT_SAMPLE: msg is the structures, the last of
 * which must end exactly at len.  Structure order enforced:
 *   [COR] [RMM] [GENCID] [CTLDAT] data... CSM     or     RSM/XASM alone.
 * After a COR the first data element is 4-byte LLLL framed (callout data).
 * Any truncation, overlap, trailing byte, bad structure length or order is
 * IGW_EPROTO.
 */
int imsc_reply_decode(const uint8_t *msg, size_t len, enum imsc_exit framing,
                      struct imsc_reply *r);
/* Append the data of all data elements of a reply to out. */
int imsc_reply_data(const struct imsc_reply *r, struct igw_buf *out);
/* 1 if the client must answer the reply with ACK or NAK. */
int imsc_reply_needs_ack(const struct imsc_reply *r);

/*
 * Reply writer (simulator side), sticky error: start, add structures in
 * order, finish.  For SAMPL1 framing finish() patches the leading LLLL.
 * After the first error every call is a no-op and finish() returns it;
 * out is then restored to its length at start.
 */
struct imsc_writer {
	struct igw_buf *out;
	size_t start;
	enum imsc_exit framing;
	enum imsc_cp cp;
	int err;
};
void imsc_writer_start(struct imsc_writer *w, struct igw_buf *out,
                       enum imsc_exit framing, enum imsc_cp cp);
void imsc_put_rmm(struct imsc_writer *w, const char *modname);
void imsc_put_gencid(struct imsc_writer *w, const char *clientid);
void imsc_put_cor(struct imsc_writer *w, const uint8_t tok[IMSC_CORTKN_LEN]);
void imsc_put_ctldat(struct imsc_writer *w, const uint8_t *content, size_t len);
void imsc_put_segment(struct imsc_writer *w, const void *data, size_t len);
/* Data longer than one segment, split into LLZZ segments of <= seg_max. */
void imsc_put_data(struct imsc_writer *w, const void *data, size_t len, size_t seg_max);
void imsc_put_callout_data(struct imsc_writer *w, const void *data, size_t len);
void imsc_put_csm(struct imsc_writer *w, uint8_t flg1, uint8_t prlvl);
void imsc_put_rsm(struct imsc_writer *w, uint8_t flg1, uint8_t racfrc,
                  uint32_t retcod, uint32_t rsncod);
void imsc_put_xasm(struct imsc_writer *w, uint8_t flg1, uint8_t racfrc,
                   uint32_t retcod, uint32_t rsncod);
/* Returns bytes written or the sticky error. */
int imsc_writer_finish(struct imsc_writer *w);

/* ---------------------------------------------------------------- framer */
/*
 * Incremental, bounded frame assembler for a byte stream (no I/O).  The I/O
 * layer asks how many bytes are still needed (never more than belong to the
 * current frame, so it never over-reads the next one), reads at most that
 * many, pushes them, and repeats until want is 0.  A declared length above
 * max is IGW_ELIMIT before anything is allocated; storage grows only with the
 * bytes actually pushed.  Errors are sticky until reset.
 */
enum imsc_frame_kind {
	IMSC_FRAME_REQUEST = 0,		/* LLLL-framed request (server side)    */
	IMSC_FRAME_REPLY_SAMPL1 = 1,	/* LLLL-framed reply                    */
	IMSC_FRAME_REPLY_SAMPLE = 2,	/* LL structures until CSM/RSM          */
};
struct imsc_framer {
	enum imsc_frame_kind kind;
	struct igw_buf buf;		/* the frame so far                       */
	size_t max;
	size_t target;			/* bytes needed to make the next decision */
	size_t elem;			/* SAMPLE: offset of the current element  */
	bool cor_seen, data_seen;	/* SAMPLE: callout element switching      */
	bool done;
	int err;
};
int imsc_framer_init(struct imsc_framer *f, enum imsc_frame_kind kind, size_t max);
/* Bytes still needed: > 0 read that many (at most), 0 frame complete;
 * negative: the sticky error. */
long imsc_framer_want(const struct imsc_framer *f);
/* Push n bytes (n <= want).  Returns 0 or the sticky error. */
int imsc_framer_push(struct imsc_framer *f, const void *p, size_t n);
/* The complete frame (NULL until want is 0). */
const uint8_t *imsc_framer_frame(const struct imsc_framer *f, size_t *len);
/* Forget the frame, keep storage, clear the error. */
void imsc_framer_reset(struct imsc_framer *f);
void imsc_framer_free(struct imsc_framer *f);

/* ----------------------------------------------------------------- timer */
enum imsc_timer_kind {
	IMSC_TIMER_DEFAULT = 0,		/* X'00'                                 */
	IMSC_TIMER_INTERVAL = 1,	/* *ms is the interval                   */
	IMSC_TIMER_NOWAIT = 2,		/* X'E9'                                 */
	IMSC_TIMER_FOREVER = 3,		/* X'FF'                                 */
	IMSC_TIMER_INVALID = 4,		/* treated as default; expiry RC 36      */
};
/* Meaning of an IRM_TIMER byte; *ms set for INTERVAL (else 0). */
enum imsc_timer_kind imsc_timer_decode(uint8_t v, uint32_t *ms);
/* Smallest grid value whose interval is >= ms (1 ms .. 60 min).
 * IGW_EINVAL for 0 or more than 60 minutes. */
int imsc_timer_encode(uint32_t ms, uint8_t *v);

/* ------------------------------------------------- return / reason codes */
#define IMSC_RC_EXIT_ERROR     4u
#define IMSC_RC_ICON_ERROR     8u
#define IMSC_RC_OTMA_ERROR     12u
#define IMSC_RC_OTMA_NAK       16u
#define IMSC_RC_EXIT_INTERNAL  20u
#define IMSC_RC_SCI_ERROR      24u
#define IMSC_RC_OM_ERROR       28u
#define IMSC_RC_TIMER          32u
#define IMSC_RC_DEFAULT_TIMER  36u
#define IMSC_RC_TIMER_KEPT     40u
#define IMSC_RC_CANCEL_TIMER   44u

#define IMSC_RSN_INPUT_TOO_BIG   4u
#define IMSC_RSN_NEG_LENGTH      5u
#define IMSC_RSN_IRM_LEN         6u
#define IMSC_RSN_TOTAL_LEN       7u
#define IMSC_RSN_OTMA_NAK        8u
#define IMSC_RSN_INVBUF          9u
#define IMSC_RSN_OUTPUT_TOO_BIG  10u
#define IMSC_RSN_UNICODE         11u
#define IMSC_RSN_NO_DATA         12u
#define IMSC_RSN_UNKNOWN_CLIENT  16u
#define IMSC_RSN_PROTOCOL        36u
#define IMSC_RSN_SECFAIL         40u
#define IMSC_RSN_NOSECHDR        51u
#define IMSC_RSN_INVESECHL       52u
#define IMSC_RSN_SECFNOPW        53u
#define IMSC_RSN_SECFNUID        54u
#define IMSC_RSN_SECFNPUI        55u
#define IMSC_RSN_DUPECLNT        56u
#define IMSC_RSN_CANTIMER        59u
#define IMSC_RSN_DS_NOT_FOUND    72u
#define IMSC_RSN_SHUTDOWN        73u
#define IMSC_RSN_DS_STOPPING     74u
#define IMSC_RSN_DS_COMM         75u
#define IMSC_RSN_DS_STOPPED      76u
#define IMSC_RSN_DS_COMM_PENDING 77u
#define IMSC_RSN_RACF_FAILED     78u
#define IMSC_RSN_ICON_PROTOCOL   79u
#define IMSC_RSN_RT_CANCELLED    81u
#define IMSC_RSN_RT_SUSPENDED    82u
#define IMSC_RSN_RT_OVERLAP      83u
#define IMSC_RSN_RT_CM1          93u
#define IMSC_RSN_DEALLOC_CONFIRM 97u
#define IMSC_RSN_DEALLOC_ABORT   98u
#define IMSC_RSN_DEFAULT         99u
#define IMSC_RSN_EXT_BAD         113u
#define IMSC_RSN_EXT_OFF_ZERO    114u
#define IMSC_RSN_NETUID_LEN      117u
#define IMSC_RSN_NETSID_LEN      118u

/* Texts; never NULL ("unknown ..." for unlisted codes). */
const char *imsc_rc_text(uint32_t rc);
/* Symbolic name ("DUPECLNT") or "" when IBM gives none. */
const char *imsc_rsn_name(uint32_t rsn);
const char *imsc_rsn_text(uint32_t rsn);
/* RACROUTE REQUEST=VERIFY return code carried in RSM_RACFRC. */
const char *imsc_racfrc_text(uint8_t racfrc);
/* 1 if IMS Connect keeps the socket after an RSM with this RC (RC 20, 40). */
int imsc_rc_keeps_socket(uint32_t rc);

/* ------------------------------------------------------- name fields */
/* Encode an ASCII name (<= 8 printable chars) as an 8-byte blank-padded
 * field in the code page.  IGW_EINVAL if too long or not printable. */
int imsc_name_encode(const char *name, enum imsc_cp cp, uint8_t out[IMSC_NAME_LEN]);
/* Decode an 8-byte field to ASCII, trailing blanks (and NULs) removed.
 * IGW_ECONV if a byte has no printable ASCII equivalent. */
int imsc_name_decode(const uint8_t in[IMSC_NAME_LEN], enum imsc_cp cp,
                     char out[IMSC_NAME_BUF]);
/* The 8 wire bytes of a structure/exit ID ("*CSMOKY*") in a code page. */
int imsc_id_bytes(const char *id, enum imsc_cp cp, uint8_t out[IMSC_NAME_LEN]);

#endif
