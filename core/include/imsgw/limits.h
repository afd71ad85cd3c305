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
#define IGW_HTTP_DISCARD_MAX         (1u << 20)	/* drained past max-body    */
/* Per-connection MHD pool.  MHD zeroes all of it after every request (CPU per
 * request grows with it); pools of 32 KiB or less are malloc'ed and resident
 * at once, larger ones are mmap'ed and cost nothing until used, so 36 KiB
 * keeps idle connections cheap (about 13 kB each, against 34 kB at 32 KiB). */
#define IGW_HTTP_CONN_MEMORY_DEFAULT (36u << 10)
#define IGW_HTTP_CONN_MEMORY_MIN     (16u << 10)
#define IGW_HTTP_CONN_MEMORY_MAX     (1u << 20)
#define IGW_HTTP_CONNECTIONS_DEFAULT 1024u
#define IGW_HTTP_CONNECTIONS_MAX     16384u
#define IGW_HTTP_PER_IP_DEFAULT      256u
#define IGW_HTTP_TIMEOUT_S_DEFAULT   30u		/* idle connection          */
#define IGW_HTTP_TIMEOUT_S_MAX       3600u
#define IGW_HTTP_REQUEST_TIMEOUT_S_DEFAULT 30u		/* whole request arrives in */
#define IGW_HTTP_THREADS_DEFAULT     2u
#define IGW_HTTP_THREADS_MAX         64u
#define IGW_LISTENERS_MAX            8u
#define IGW_PROVIDER_WORKERS_DEFAULT 32u		/* threads waiting on IMS   */
#define IGW_PROVIDER_WORKERS_MAX     256u
#define IGW_PROVIDER_QUEUE_MAX       1024u		/* SOAP requests queued     */
#define IGW_OUT_TIMEOUT_MS_DEFAULT   5000u		/* callout connect/send/recv */
#define IGW_OUT_RESPONSE_MAX         (4u << 20)	/* callout response body    */
#define IGW_CALLOUT_WORKERS_DEFAULT  5u		/* RESUME TPIPE sessions/tpipe */
#define IGW_CALLOUT_INFLIGHT_DEFAULT 64u		/* external calls at once   */
#define IGW_CALLOUT_MSG_MAX          (1u << 20)	/* one callout message      */
#define IGW_CALLOUT_ENVELOPE_MAX     (4u << 20)	/* outgoing SOAP envelope   */
#define IGW_CALLOUT_ATTEMPTS_TRACKED 65536u		/* async retry counters kept */
#define IGW_CALLOUT_URL_MAX          2048u		/* DFSENDPOINTURL override  */
#define IGW_SECRET_FILE_MAX          256u		/* password file            */
#define IGW_XMLA_SEG_MAX             32000u		/* XML-adapter data segment */
#define IGW_XMLA_SEGS_MAX            32u		/* ... segments per request */
#define IGW_REPLAY_SHARDS            16u		/* gateway replay store     */
#define IGW_REPLAY_ENTRIES_MAX       (1u << 20)	/* nonces/IDs remembered    */
#define IGW_REPLAY_SWEEP_GROW        8u		/* buckets swept per insert
							   when no entry is free */

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

/* ---- imsconnect-sim (simulator) ---- */
#define IGW_SIM_CONNECTIONS_DEFAULT  256u		/* live client sockets      */
#define IGW_SIM_CONNECTIONS_MAX      4096u
#define IGW_SIM_LISTEN_BACKLOG       64
#define IGW_SIM_MAXSIZE_DEFAULT      (10u << 20)	/* HWS MAXSIZE= (10 MB)     */
#define IGW_SIM_MAXSIZE_MAX          (64u << 20)
#define IGW_SIM_TIMEOUT_MS_DEFAULT   10000u		/* HWS TIMEOUT= default wait */
#define IGW_SIM_TIMEOUT_MS_MAX       3600000u
#define IGW_SIM_IDLETO_S_DEFAULT     300u		/* HWS IDLETO=              */
#define IGW_SIM_IDLETO_S_MAX         86400u
#define IGW_SIM_DATASTORES_MAX       16u
#define IGW_SIM_USERS_MAX            256u
#define IGW_SIM_GROUPS_PER_USER_MAX  8u
#define IGW_SIM_PASSWORD_MAX         100u		/* password or phrase bytes */
#define IGW_SIM_APPLS_MAX            16u		/* PassTicket applications  */
#define IGW_SIM_PTKT_KEY_MAX         64u		/* enhanced HMAC key bytes  */
#define IGW_SIM_PTKT_REPLAY_MAX      4096u		/* remembered used tickets  */
#define IGW_SIM_TXNS_MAX             64u
#define IGW_SIM_CONVERTERS_MAX       16u		/* XML adapter converters   */
#define IGW_SIM_PERMITS_MAX          32u		/* TIMS/RIMS permit entries */
#define IGW_SIM_TPIPES_MAX           256u
#define IGW_SIM_HOLDQ_DEPTH_MAX      10000u		/* messages per tpipe       */
#define IGW_SIM_SEGMENT_MAX          32767u		/* one LLZZ segment         */
#define IGW_SIM_SEGMENTS_MAX         4096u		/* segments in one message  */
#define IGW_SIM_CALLOUT_TIMEOUT_MS_DEFAULT 10000u	/* ICAL timeout             */
#define IGW_SIM_IVTNO_ENTRIES_MAX    1000u
#define IGW_SIM_SHUTDOWN_WAIT_MS     3000u

/* ---- copybooks and record conversion (copybook/) ---- */
#define IGW_CB_SOURCE_MAX            (1u << 20)	/* one copybook file        */
#define IGW_CB_FIELDS_MAX            20000u		/* data entries per copybook */
#define IGW_CB_NAME_MAX              30u		/* COBOL user-defined word  */
#define IGW_CB_XML_NAME_MAX          64u		/* derived element name     */
#define IGW_CB_DIGITS_MAX            31u		/* PIC 9 digits (ARITH(EXTEND)) */
#define IGW_CB_BINARY_DIGITS_MAX     18u		/* COMP/COMP-5 digits       */
#define IGW_CB_OCCURS_MAX            32767u		/* OCCURS n upper bound     */
#define IGW_CB_OCCURS_DEPTH_MAX      7u		/* nested OCCURS levels     */
#define IGW_CB_RECORD_MAX            32767u		/* one segment (LL halfword) */
#define IGW_CB_MSG_SPECS_MAX         8u		/* segment kinds per message */
#define IGW_CB_SEGMENTS_MAX          4096u		/* segments per message     */
#define IGW_CB_MESSAGE_MAX           (4u << 20)	/* encoded message bytes    */
#define IGW_CB_XML_IN_MAX            (1u << 20)	/* request XML parsed here  */
#define IGW_CB_XML_DEPTH_MAX         64u		/* element nesting          */
#define IGW_CB_XML_OUT_MAX           (16u << 20)	/* response XML produced    */
#define IGW_CB_PATH_MAX              256u		/* field path in a diagnosis */
#define IGW_CB_WSDL_MAX              (4u << 20)	/* generated WSDL           */
#define IGW_CB_OPERATIONS_MAX        32u		/* operations per WSDL      */

/* ---- WS-Security (wss) ---- */
#define IGW_WSS_ENVELOPE_MAX         (1u << 20)	/* envelope bytes parsed    */
#define IGW_WSS_DEPTH_MAX            64u		/* element nesting          */
#define IGW_WSS_ATTRS_MAX            32u		/* attributes per element   */
#define IGW_WSS_TEXT_MAX             (256u << 10)	/* one text node            */
#define IGW_WSS_NODES_MAX            100000u	/* nodes per envelope       */
#define IGW_WSS_FIELD_MAX            1024u		/* user, nonce, NameID, ... */
#define IGW_WSS_SAML_ATTRS_MAX       64u		/* SAML attributes kept     */
/* UsernameToken / Timestamp elements are read while parsing, not built as a
 * tree (wss/src/capture.c): per envelope at most this many of them, children
 * kept per token, attributes and ID values kept over all their children,
 * and bytes of names, attribute values and text kept. */
#define IGW_WSS_TOKENS_MAX           8u		/* UT + Timestamp elements  */
#define IGW_WSS_TOKEN_CHILDREN_MAX   8u		/* children kept per token  */
#define IGW_WSS_TOKEN_ATTRS_MAX      64u		/* their attributes, total  */
#define IGW_WSS_TOKEN_IDS_MAX        16u		/* their ID values, total   */
#define IGW_WSS_TOKEN_BYTES          16384u	/* their names and text     */
/* A SOAP Header made only of wsse:Security blocks of such tokens is not
 * built either: start tags kept to build it if something else turns up. */
#define IGW_WSS_DEFER_TAGS           16u		/* Header, Security, tokens */
#define IGW_WSS_CERT_DER_MAX         16384u	/* one signer certificate   */
#define IGW_WSS_CERT_CACHE           1024u		/* chain results per policy */
#define IGW_WSS_RSA_MIN_BITS         2048u		/* SAML signer RSA key      */
#define IGW_WSS_EC_MIN_BITS          256u		/* SAML signer EC key       */
#define IGW_WSS_C14N_PREFIXES_MAX    32u		/* InclusiveNamespaces list */
#define IGW_WSS_SIGVALUE_MAX         2048u		/* SignatureValue bytes     */
#define IGW_WSS_B64_FAST_MAX         8192u		/* one-shot base64 decode   */
#define IGW_WSS_REPLAY_DEFAULT       (1u << 20)	/* replay cache entries     */
#define IGW_WSS_REPLAY_SHARDS        16u
#define IGW_WSS_SAML_LIFETIME_S      86400u	/* max ID memory, default   */

/* ---- IMS Connect (imsconnect/) ---- */
#define IGW_IMSC_MSG_DEFAULT         (10u << 20)	/* frame bound (HWS MAXSIZE) */
#define IGW_IMSC_MSG_MAX             (100u << 20)	/* ceiling for config        */
#define IGW_IMSC_POOL_DEFAULT        8u		/* connections per endpoint  */
#define IGW_IMSC_READ_AHEAD          8192u		/* read buffer per connection */
#define IGW_IMSC_POOL_MAX            256u
#define IGW_IMSC_CONNECT_MS_DEFAULT  10000u		/* connect + TLS handshake   */
#define IGW_IMSC_DEADLINE_MS_MAX     3600000u	/* one interaction           */
#define IGW_IMSC_BACKOFF_MS_MIN      100u		/* reconnect back-off        */
#define IGW_IMSC_BACKOFF_MS_MAX      30000u
#define IGW_IMSC_IDLE_PING_MS_DEFAULT 60000u		/* PING idle pooled sockets  */
#define IGW_IMSC_KEY_FILE_MAX        4096u		/* PassTicket key file       */
#define IGW_IMSC_CLIENTID_PREFIX_MAX 4u		/* rest is a unique suffix   */

#endif
