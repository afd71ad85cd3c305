/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * COBOL copybooks, EBCDIC records and their XML form.
 *
 * Three pieces, used in this order:
 *
 *  1. Parse a copybook (igw_cb_parse_file / igw_cb_parse_mem) into an
 *     immutable layout: a tree of struct igw_cb_field per 01-level record,
 *     with the offsets and lengths an IBM Enterprise COBOL compiler allocates.
 *     Unsupported constructs are refused with file:line and what.
 *  2. Describe a message (struct igw_cb_msg): the records of its segments in
 *     order, the last one possibly repeated (multi-segment output).
 *  3. Convert: igw_cb_encode_* turns the XML of a request (the operation's
 *     wrapper element) into the IMS input message bytes; igw_cb_decode turns
 *     IMS output segments into the XML of the response wrapper.  Every value
 *     is checked; a refusal fills struct igw_cb_diag with a stable reason code
 *     (CONV-*, see core reason table), the field path and a detail for the log.
 *
 * XML element names (the "name rule"): a COBOL name is split at hyphens (and
 * underscores), lower-cased, and joined in lowerCamelCase: IN-NAME1 ->
 * inName1, OUT-SEGNO -> outSegno, WS-ORDER-TOTAL-AMT -> wsOrderTotalAmt.  A
 * name that would start with a digit gets a leading underscore (1ST-LINE ->
 * _1stLine).  Two visible siblings with the same derived name are refused at
 * parse time.  Not in XML: FILLER, the LL/ZZ/transaction-code prefix fields,
 * ODO counters (derived from the number of elements), REDEFINES alternatives
 * not selected.
 *
 * Ownership: a struct igw_cb_copybook owns all its fields; field pointers
 * stay valid until igw_cb_copybook_free.  A copybook, a message and a code
 * page are immutable after creation and may be shared by threads.
 *
 * Errors: functions return IGW_OK or a negative IGW_E* code (imsgw/error.h).
 * Parse errors: IGW_EPARSE (malformed), IGW_EUNSUPPORTED (construct refused),
 * IGW_ELIMIT; conversion refusals: IGW_ECONV with diag->reason set.
 */
#ifndef IMSGW_COPYBOOK_H
#define IMSGW_COPYBOOK_H

#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>
#include "imsgw/buf.h"
#include "imsgw/limits.h"

/* ------------------------------------------------------------------ */
/* Diagnostics                                                          */

#define IGW_CB_DIAG_TEXT_MAX 200u

struct igw_cb_diag {
	/* Conversion: static reason code ("CONV-IN-TOO-LONG"), NULL otherwise. */
	const char *reason;
	/* Parse: "file:line"; conversion: field path ("inputMsg/items[2]/qty"). */
	char where[IGW_CB_PATH_MAX];
	/* What went wrong, for the log (may quote the offending value). */
	char text[IGW_CB_DIAG_TEXT_MAX];
};

/* ------------------------------------------------------------------ */
/* Layout                                                               */

enum igw_cb_type {
	IGW_CB_GROUP = 0,	/* group item: children, no PIC              */
	IGW_CB_ALNUM,		/* PIC X(n) (or mixed X/A/9 without S/V)     */
	IGW_CB_ALPHA,		/* PIC A(n): letters and spaces only         */
	IGW_CB_ZONED,		/* PIC [S]9 USAGE DISPLAY (zoned decimal)    */
	IGW_CB_BINARY,		/* COMP, COMP-4, BINARY: big-endian, |v| < 10^digits */
	IGW_CB_COMP5,		/* COMP-5: big-endian, full binary range     */
	IGW_CB_PACKED,		/* COMP-3, PACKED-DECIMAL                    */
};

/* Why a field is (not) in the XML. */
enum igw_cb_role {
	IGW_CB_ROLE_DATA = 0,	/* visible */
	IGW_CB_ROLE_FILLER,	/* FILLER or unnamed */
	IGW_CB_ROLE_LL,		/* segment length prefix (filled automatically) */
	IGW_CB_ROLE_ZZ,		/* segment flags prefix (0 on input)           */
	IGW_CB_ROLE_TRANCODE,	/* transaction code (from the service)         */
	IGW_CB_ROLE_ODO_COUNT,	/* OCCURS DEPENDING ON object                  */
	IGW_CB_ROLE_UNSELECTED,	/* REDEFINES alternative not selected          */
};

struct igw_cb_field {
	char name[IGW_CB_NAME_MAX + 1];		/* COBOL name, upper case; "FILLER" */
	char xml_name[IGW_CB_XML_NAME_MAX + 1];	/* see the name rule above    */
	unsigned level;		/* 1..49 */
	unsigned line;		/* source line of the entry */
	enum igw_cb_type type;
	enum igw_cb_role role;
	unsigned offset;	/* from the record start, first occurrence */
	unsigned rel;		/* from the start of one occurrence of the parent */
	unsigned size;		/* bytes of one occurrence */
	unsigned digits;	/* numeric: digits in PIC (integer + fraction) */
	unsigned scale;		/* numeric: digits after V */
	unsigned is_signed : 1;
	unsigned sign_leading : 1;	/* SIGN LEADING (zoned) */
	unsigned sign_separate : 1;	/* SIGN ... SEPARATE (zoned) */
	unsigned justified : 1;		/* JUSTIFIED RIGHT (alphanumeric) */
	unsigned hidden : 1;		/* not in XML (role != DATA, or inside one) */
	unsigned occurs_min;	/* 1 when no OCCURS; ODO: the TO lower bound */
	unsigned occurs_max;	/* 1 when no OCCURS */
	const struct igw_cb_field *depending;	/* ODO object, or NULL */
	const struct igw_cb_field *redefines;	/* redefined item, or NULL */
	const struct igw_cb_field *parent;	/* NULL for a 01 record */
	const struct igw_cb_field *child;	/* first child (groups) */
	const struct igw_cb_field *next;	/* next sibling */
};

struct igw_cb_copybook;

enum igw_cb_format {
	IGW_CB_FORMAT_AUTO = 0,	/* fixed if every line fits the fixed layout */
	IGW_CB_FORMAT_FIXED,	/* cols 1-6 sequence, 7 indicator, 8-72 text */
	IGW_CB_FORMAT_FREE,
};

struct igw_cb_parse_opts {
	enum igw_cb_format format;
	/* NULL-terminated list of REDEFINES alternatives to expose instead of
	 * the first definition of their storage (names, any case), or NULL. */
	const char *const *select;
	/* Name of the transaction-code field when the default rule (the field
	 * after ZZ whose name ends in TRCD, TRANCODE, TRAN-CODE or TRANCD) does
	 * not fit; NULL for the default. */
	const char *trancode_field;
};

/* Parse a copybook held in memory (need not be NUL-terminated).  name is
 * used in diagnostics ("file:line").  opts may be NULL.  On success *out owns
 * the layout; on failure *out is NULL and diag (may be NULL) says where/what. */
int igw_cb_parse_mem(const char *name, const char *src, size_t len,
                     const struct igw_cb_parse_opts *opts,
                     struct igw_cb_copybook **out, struct igw_cb_diag *diag);
/* Same, reading path (at most IGW_CB_SOURCE_MAX bytes). */
int igw_cb_parse_file(const char *path, const struct igw_cb_parse_opts *opts,
                      struct igw_cb_copybook **out, struct igw_cb_diag *diag);
void igw_cb_copybook_free(struct igw_cb_copybook *cb);

/* 01-level records in source order (REDEFINES of a whole 01 included). */
unsigned igw_cb_record_count(const struct igw_cb_copybook *cb);
const struct igw_cb_field *igw_cb_record_at(const struct igw_cb_copybook *cb,
                                            unsigned i);
/* Record by COBOL name (any case), or NULL. */
const struct igw_cb_field *igw_cb_record(const struct igw_cb_copybook *cb,
                                         const char *name);
/* Find a field anywhere in a record by COBOL name (first in source order). */
const struct igw_cb_field *igw_cb_find(const struct igw_cb_field *rec,
                                       const char *name);
/* Fixed bytes of a record: its size without the ODO table's variable part
 * (equals rec->size when the record has no ODO). */
unsigned igw_cb_record_min_size(const struct igw_cb_field *rec);
/* The ODO table of a record (it is the last item), or NULL. */
const struct igw_cb_field *igw_cb_record_odo(const struct igw_cb_field *rec);
/* Write a human-readable layout listing (name, offset, size, type). */
int igw_cb_dump(const struct igw_cb_field *rec, struct igw_buf *out);
/* Derive the XML element name of a COBOL name into out[IGW_CB_XML_NAME_MAX+1].
 * Returns IGW_EINVAL for an empty name. */
int igw_cb_xml_name(const char *cobol, char *out);

/* ------------------------------------------------------------------ */
/* Messages                                                             */

struct igw_cb_segspec {
	const struct igw_cb_field *rec;	/* 01-level record */
	unsigned min, max;		/* occurrences; 1,1 for a single segment */
};

/* A message: segments in order.  Only the last spec may have min != max or
 * max > 1 (header segment(s) then repeated detail segments).  A message with
 * more than one segment needs every record to declare its LL field. */
struct igw_cb_msg {
	struct igw_cb_segspec seg[IGW_CB_MSG_SPECS_MAX];
	unsigned nseg;
};

/* Build a message from a spec string over one copybook:
 *   ""  or NULL      every 01 record that is not a REDEFINES, once each
 *   "HDR,DETAIL*"    HDR once, then DETAIL 0..IGW_CB_SEGMENTS_MAX times
 *   "HDR,DETAIL+"    ... 1..max times
 *   "HDR,DETAIL{2,10}" ... 2..10 times
 * Returns IGW_ECONFIG with diag->text on an unknown record or a bad spec. */
int igw_cb_msg_build(const struct igw_cb_copybook *cb, const char *spec,
                     struct igw_cb_msg *msg, struct igw_cb_diag *diag);

/* ------------------------------------------------------------------ */
/* Code pages                                                           */

struct igw_cb_codepage;

/* Open an EBCDIC code page by name: "IBM-037", "IBM037", "CP037", "037",
 * "1047", "IBM-1140" ... (037 1047 500 273 277 280 284 285 297 1140-1148,
 * and any other single-byte code page iconv knows as IBMnnn).  The
 * translation tables are built from iconv(3) once, here; conversions then
 * do not call iconv and are thread-safe.  IGW_ENOTFOUND if iconv does not
 * know the code page, IGW_EUNSUPPORTED if it is not single-byte. */
int igw_cb_codepage_open(const char *name, struct igw_cb_codepage **out);
void igw_cb_codepage_free(struct igw_cb_codepage *cp);
/* iconv name in use ("IBM037"). */
const char *igw_cb_codepage_name(const struct igw_cb_codepage *cp);
/* UTF-8 text -> EBCDIC bytes.  *outlen set to the bytes written.
 * IGW_ECONV: invalid UTF-8 or a character the code page lacks;
 * IGW_ELIMIT: more than outmax bytes would be needed (nothing more written). */
int igw_cb_to_ebcdic(const struct igw_cb_codepage *cp, const char *utf8,
                     size_t n, uint8_t *out, size_t outmax, size_t *outlen);
/* EBCDIC bytes -> UTF-8 appended to out.  IGW_ECONV for a byte with no
 * mapping or one that maps to a character XML 1.0 cannot carry. */
int igw_cb_from_ebcdic(const struct igw_cb_codepage *cp, const uint8_t *e,
                       size_t n, struct igw_buf *out);

/* ------------------------------------------------------------------ */
/* Conversion                                                           */

struct igw_cb_conv {
	const struct igw_cb_codepage *cp;	/* required */
	/* Transaction code written into the TRANCODE field (space padded);
	 * NULL leaves it spaces. */
	const char *trancode;
	/* Cut text longer than PIC X(n) instead of refusing it. */
	unsigned allow_truncate : 1;
	/* Namespace of the response wrapper and its children (may be NULL). */
	const char *ns;
};

/* Configuration-time check of a conversion against an input message: the
 * transaction code fits the TRANCODE field of every segment that has one and
 * is representable in the code page.  IGW_ECONFIG + diag->text otherwise
 * (igw_cb_encode_* would fail the same way on every request). */
int igw_cb_conv_check(const struct igw_cb_msg *msg, const struct igw_cb_conv *cv,
                      struct igw_cb_diag *diag);

/* Request XML -> IMS input message.  wrapper is the operation element; its
 * children are one element per segment (record xml_name), each holding the
 * record's visible fields.  Missing elementary elements get spaces (text) or
 * zero (numbers).  Appends the segments (LL/ZZ/trancode filled) to out.
 * IGW_ECONV + diag on a refused value; IGW_ELIMIT if out overflows. */
int igw_cb_encode_node(const struct igw_cb_msg *msg,
                       const struct igw_cb_conv *cv, const xmlNode *wrapper,
                       struct igw_buf *out, struct igw_cb_diag *diag);
/* Same, parsing xml[0..len) first (the root element is the wrapper).  The
 * parse is safe for untrusted input: no DTD (refused), no entities, no
 * network, size <= IGW_CB_XML_IN_MAX, depth <= IGW_CB_XML_DEPTH_MAX. */
int igw_cb_encode_xml(const struct igw_cb_msg *msg,
                      const struct igw_cb_conv *cv, const char *xml,
                      size_t len, struct igw_buf *out,
                      struct igw_cb_diag *diag);

/* IMS output message -> response XML.  data holds the segments back to back
 * (each starting with its LL when the record declares one; a single segment
 * without LL is the whole of data).  Appends
 *   <wrapper xmlns="ns"><seg>...</seg>...</wrapper>
 * to out.  IGW_ECONV + diag (CONV-OUT-*) on a record that does not fit. */
int igw_cb_decode(const struct igw_cb_msg *msg, const struct igw_cb_conv *cv,
                  const char *wrapper, const uint8_t *data, size_t len,
                  struct igw_buf *out, struct igw_cb_diag *diag);

/* Field-level access to one record in memory (for programs that play the
 * IMS side, such as the simulator's transactions).  off is the field's
 * offset in rec: f->offset for the first occurrence, plus i * f->size (and
 * the enclosing tables' strides) for others; the field must lie within
 * rec[0..reclen).  Values use the XML text forms above, without escaping.
 *
 * igw_cb_field_get appends the value's text to out (IGW_ECONV + diag on
 * invalid data, out unchanged); igw_cb_field_set checks and stores text
 * (IGW_ECONV + diag on a refused value, record unchanged); both return
 * IGW_EINVAL for a group or a field outside the record.
 * igw_cb_record_init writes the default image of a record (spaces, numeric
 * items zero) into buf[0..rec->size); IGW_EINVAL if buflen is too small. */
int igw_cb_field_get(const struct igw_cb_codepage *cp, const struct igw_cb_field *f,
                     const uint8_t *rec, size_t reclen, unsigned off,
                     struct igw_buf *out, struct igw_cb_diag *diag);
int igw_cb_field_set(const struct igw_cb_codepage *cp, const struct igw_cb_field *f,
                     uint8_t *rec, size_t reclen, unsigned off, const char *text,
                     size_t n, int allow_truncate, struct igw_cb_diag *diag);
int igw_cb_record_init(const struct igw_cb_codepage *cp, const struct igw_cb_field *rec,
                       uint8_t *buf, size_t buflen);

/* ------------------------------------------------------------------ */
/* WSDL                                                                 */

struct igw_cb_operation {
	const char *name;		/* operation; request wrapper element */
	const char *trancode;		/* documented in the WSDL */
	const struct igw_cb_msg *in;
	const struct igw_cb_msg *out;	/* NULL: one-way operation (no response) */
};

struct igw_cb_wsdl_spec {
	const char *service;		/* wsdl:service name */
	const char *ns;			/* target namespace */
	const char *endpoint;		/* soap:address location */
	const struct igw_cb_operation *ops;
	unsigned nops;
};

/* Write a WSDL 1.1 document/literal wrapped description (embedded XSD,
 * SOAP 1.1 and SOAP 1.2 bindings, WS-I BP 1.1) to out.  Response wrapper
 * element: <operation>Response.  soapAction: <ns>/<operation> (ns without a
 * trailing slash).  IGW_EINVAL on a bad spec (names not NCNames). */
int igw_cb_wsdl_write(const struct igw_cb_wsdl_spec *spec,
                      struct igw_buf *out, struct igw_cb_diag *diag);

#endif
