/* SPDX-License-Identifier: GPL-2.0-or-later */
/* imsconnect-sim configuration loader (INI style, see sim.conf). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "imsgw/core.h"
#include "sim_config.h"

struct parser {
	struct sim_config *cfg;
	const char *file;
	unsigned line;
	unsigned errors;
	char dir[IGW_PATH_MAX];		/* directory of the file, for paths */
	enum { S_NONE, S_SERVER, S_HWS, S_OTMA, S_IVTNO, S_DS, S_USER,
	       S_APPL, S_TXN, S_TPIPE, S_CONV } sect;
	void *obj;			/* current table row                */
};

static void perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void perr(struct parser *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->errors < IGW_CONFIG_ERRORS_MAX)
		igw_log_error(NULL, "%s:%u: %s", p->file, p->line, msg);
	p->errors++;
}

int sim_name_set(sim_name out, const char *s, size_t n)
{
	int rc = 0;
	size_t i = 0;
	memset(out, 0, sizeof(sim_name));
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\0'))
		n--;
	if (n > SIM_NAME_LEN)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		int c = toupper((unsigned char)s[i]);
		if (!(isupper(c) || isdigit(c) || c == '@' || c == '#' || c == '$'))
			rc = -1;
		else
			out[i] = (char)c;
	}
	if (rc != 0)
		memset(out, 0, sizeof(sim_name));
	return rc;
}

void sim_config_defaults(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->address, sizeof(cfg->address), "127.0.0.1");
	cfg->port = 9999;
	cfg->max_connections = IGW_SIM_CONNECTIONS_DEFAULT;
	cfg->log_level = IGW_LOG_INFO;
	cfg->log_format = IGW_LOG_TEXT;
	snprintf(cfg->member, sizeof(cfg->member), "HWS1");
	snprintf(cfg->imsid, sizeof(cfg->imsid), "IMS1");
	cfg->racf = true;
	cfg->protocol_level = 3;
	cfg->timeout_ms = IGW_SIM_TIMEOUT_MS_DEFAULT;
	cfg->idleto_s = IGW_SIM_IDLETO_S_DEFAULT;
	cfg->maxsize = IGW_SIM_MAXSIZE_DEFAULT;
	cfg->close_unknown_irmid = true;
	cfg->otma_security = SIM_OTMA_FULL;
	cfg->tims_sense = 0x1A;
}

void sim_config_free(struct sim_config *cfg)
{
	igw_secure_zero(cfg->user, sizeof(cfg->user));
	igw_secure_zero(cfg->appl, sizeof(cfg->appl));
}

/* ---- value parsers ---- */

static int parse_bool(struct parser *p, const char *v, bool *out)
{
	int rc = 0;
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "y") || !strcasecmp(v, "true") ||
	    !strcasecmp(v, "on") || !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "n") || !strcasecmp(v, "false") ||
	         !strcasecmp(v, "off") || !strcmp(v, "0"))
		*out = false;
	else {
		perr(p, "expected yes or no, got \"%s\"", v);
		rc = -1;
	}
	return rc;
}

static int parse_uint(struct parser *p, const char *v, unsigned long min,
                      unsigned long max, unsigned long *out)
{
	int rc = 0;
	char *end = NULL;
	errno = 0;
	unsigned long x = strtoul(v, &end, 0);
	if (!*v || *end || errno || v[0] == '-') {
		perr(p, "expected a number, got \"%s\"", v);
		rc = -1;
	} else if (x < min || x > max) {
		perr(p, "%lu is out of range %lu..%lu", x, min, max);
		rc = -1;
	} else {
		*out = x;
	}
	return rc;
}

static int set_uint(struct parser *p, const char *v, unsigned long min,
                    unsigned long max, unsigned *out)
{
	unsigned long x = 0;
	int rc = parse_uint(p, v, min, max, &x);
	if (rc == 0)
		*out = (unsigned)x;
	return rc;
}

static int set_name(struct parser *p, const char *v, sim_name out)
{
	int rc = sim_name_set(out, v, strlen(v));
	if (rc != 0)
		perr(p, "\"%s\" is not a valid name (1-8 of A-Z 0-9 @ # $)", v);
	return rc;
}

static int set_str(struct parser *p, const char *v, char *out, size_t cap)
{
	int rc = 0;
	if (strlen(v) >= cap) {
		perr(p, "value too long (max %zu)", cap - 1);
		rc = -1;
	} else {
		memcpy(out, v, strlen(v) + 1);
	}
	return rc;
}

/* Paths are relative to the config file's directory. */
static int set_path(struct parser *p, const char *v, char *out)
{
	int rc = 0;
	int n;
	if (v[0] == '/' || v[0] == '\0')
		n = snprintf(out, IGW_PATH_MAX, "%s", v);
	else
		n = snprintf(out, IGW_PATH_MAX, "%s/%s", p->dir, v);
	if (n < 0 || (size_t)n >= IGW_PATH_MAX) {
		perr(p, "path too long");
		out[0] = '\0';
		rc = -1;
	}
	return rc;
}

static int hexval(int c)
{
	int v = -1;
	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v;
}

static int set_hex(struct parser *p, const char *v, uint8_t *out, size_t min,
                   size_t max, size_t *outlen)
{
	int rc = 0;
	size_t n = strlen(v);
	if (n % 2 || n / 2 < min || n / 2 > max) {
		perr(p, "expected %zu to %zu bytes of hex", min, max);
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < n / 2; i++) {
		int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			perr(p, "bad hex digit in key");
			rc = -1;
		} else {
			out[i] = (uint8_t)(hi << 4 | lo);
		}
	}
	if (rc == 0 && outlen)
		*outlen = n / 2;
	return rc;
}

/* "USER1, GROUP:ADMINS" -> permit list. */
static int set_permits(struct parser *p, const char *v, struct sim_permit *pl,
                       unsigned *n)
{
	int rc = 0;
	char tmp[IGW_CONFIG_LINE_MAX];
	snprintf(tmp, sizeof(tmp), "%s", v);
	*n = 0;
	for (char *save = NULL, *tok = strtok_r(tmp, ", \t", &save); tok && rc == 0;
	     tok = strtok_r(NULL, ", \t", &save)) {
		bool grp = false;
		if (!strncasecmp(tok, "group:", 6)) {
			grp = true;
			tok += 6;
		}
		if (*n >= IGW_SIM_PERMITS_MAX) {
			perr(p, "too many permit entries (max %u)", IGW_SIM_PERMITS_MAX);
			rc = -1;
		} else if (set_name(p, tok, pl[*n].name) == 0) {
			pl[*n].is_group = grp;
			(*n)++;
		} else {
			rc = -1;
		}
	}
	return rc;
}

/* ---- sections ---- */

static void key_unknown(struct parser *p, const char *k)
{
	perr(p, "unknown key \"%s\" in this section", k);
}

static void kv_server(struct parser *p, const char *k, const char *v)
{
	struct sim_config *c = p->cfg;
	if (!strcmp(k, "address"))
		set_str(p, v, c->address, sizeof(c->address));
	else if (!strcmp(k, "port"))
		set_uint(p, v, 0, 65535, &c->port);
	else if (!strcmp(k, "tls_port")) {
		if (set_uint(p, v, 0, 65535, &c->tls_port) == 0)
			c->tls = c->tls_port != 0;
	}
	else if (!strcmp(k, "tls_cert"))
		set_path(p, v, c->tls_cert);
	else if (!strcmp(k, "tls_key"))
		set_path(p, v, c->tls_key);
	else if (!strcmp(k, "tls_ca"))
		set_path(p, v, c->tls_ca);
	else if (!strcmp(k, "port_file"))
		set_path(p, v, c->port_file);
	else if (!strcmp(k, "max_connections"))
		set_uint(p, v, 1, IGW_SIM_CONNECTIONS_MAX, &c->max_connections);
	else if (!strcmp(k, "log_level")) {
		c->log_level = igw_log_level_parse(v);
		if (c->log_level < 0)
			perr(p, "log_level must be error, warn, info or debug");
	} else if (!strcmp(k, "log_format")) {
		c->log_format = igw_log_format_parse(v);
		if (c->log_format < 0)
			perr(p, "log_format must be text or json");
	} else
		key_unknown(p, k);
}

static void kv_hws(struct parser *p, const char *k, const char *v)
{
	struct sim_config *c = p->cfg;
	unsigned x = 0;
	if (!strcmp(k, "member"))
		set_name(p, v, c->member);
	else if (!strcmp(k, "imsid")) {
		if (set_name(p, v, c->imsid) == 0 && strlen(c->imsid) > 4)
			perr(p, "imsid has at most 4 characters");
	} else if (!strcmp(k, "racf"))
		parse_bool(p, v, &c->racf);
	else if (!strcmp(k, "racfid"))
		set_name(p, v, c->racfid);
	else if (!strcmp(k, "racfgenrc"))
		parse_bool(p, v, &c->racfgenrc);
	else if (!strcmp(k, "protocol_level")) {
		if (set_uint(p, v, 0, 3, &x) == 0) {
			if (x == 1)
				perr(p, "protocol_level must be 0, 2 or 3");
			else
				c->protocol_level = x;
		}
	} else if (!strcmp(k, "timeout_ms"))
		set_uint(p, v, 1, IGW_SIM_TIMEOUT_MS_MAX, &c->timeout_ms);
	else if (!strcmp(k, "idleto_s"))
		set_uint(p, v, 0, IGW_SIM_IDLETO_S_MAX, &c->idleto_s);
	else if (!strcmp(k, "maxsize")) {
		if (set_uint(p, v, 256, IGW_SIM_MAXSIZE_MAX, &x) == 0)
			c->maxsize = x;
	} else if (!strcmp(k, "close_unknown_irmid"))
		parse_bool(p, v, &c->close_unknown_irmid);
	else if (!strcmp(k, "trusted_user_flag"))
		set_uint(p, v, 0, 0xFFFF, &c->trusted_flag);
	else
		key_unknown(p, k);
}

static void kv_otma(struct parser *p, const char *k, const char *v)
{
	struct sim_config *c = p->cfg;
	if (!strcmp(k, "security")) {
		if (!strcasecmp(v, "none") || !strcasecmp(v, "n"))
			c->otma_security = SIM_OTMA_NONE;
		else if (!strcasecmp(v, "check") || !strcasecmp(v, "c"))
			c->otma_security = SIM_OTMA_CHECK;
		else if (!strcasecmp(v, "full") || !strcasecmp(v, "f"))
			c->otma_security = SIM_OTMA_FULL;
		else if (!strcasecmp(v, "profile") || !strcasecmp(v, "p"))
			c->otma_security = SIM_OTMA_PROFILE;
		else
			perr(p, "security must be none, check, full or profile");
	} else if (!strcmp(k, "tims_sense"))
		set_uint(p, v, 1, 0xFFFF, &c->tims_sense);
	else if (!strcmp(k, "command_permit"))
		set_permits(p, v, c->cmd_permit, &c->ncmd_permit);
	else
		key_unknown(p, k);
}

static void kv_ivtno(struct parser *p, const char *k, const char *v)
{
	if (!strcmp(k, "store"))
		set_path(p, v, p->cfg->ivtno_store);
	else
		key_unknown(p, k);
}

static void kv_ds(struct parser *p, const char *k, const char *v)
{
	struct sim_datastore *d = p->obj;
	if (!strcmp(k, "appl"))
		set_name(p, v, d->appl);
	else if (!strcmp(k, "ackto"))
		set_uint(p, v, 0, 255, &d->ackto_s);
	else if (!strcmp(k, "state")) {
		if (!strcasecmp(v, "up"))
			d->up = true;
		else if (!strcasecmp(v, "down"))
			d->up = false;
		else
			perr(p, "state must be up or down");
	} else if (!strcmp(k, "down_reason"))
		set_uint(p, v, 72, 77, &d->down_rsn);
	else if (!strcmp(k, "join")) {
		if (!strcasecmp(v, "permit"))
			d->join_denied = false;
		else if (!strcasecmp(v, "deny"))
			d->join_denied = true;
		else
			perr(p, "join must be permit or deny");
	}
	else
		key_unknown(p, k);
}

static void kv_user(struct parser *p, const char *k, const char *v)
{
	struct sim_user_def *u = p->obj;
	if (!strcmp(k, "password")) {
		if (strlen(v) < 1)
			perr(p, "empty password");
		else
			set_str(p, v, u->password, sizeof(u->password));
	} else if (!strcmp(k, "groups")) {
		char tmp[IGW_CONFIG_LINE_MAX];
		snprintf(tmp, sizeof(tmp), "%s", v);
		u->ngroups = 0;
		for (char *save = NULL, *t = strtok_r(tmp, ", \t", &save); t;
		     t = strtok_r(NULL, ", \t", &save)) {
			if (u->ngroups >= IGW_SIM_GROUPS_PER_USER_MAX) {
				perr(p, "too many groups (max %u)", IGW_SIM_GROUPS_PER_USER_MAX);
				break;
			}
			if (set_name(p, t, u->groups[u->ngroups]) == 0)
				u->ngroups++;
		}
	} else if (!strcmp(k, "revoked"))
		parse_bool(p, v, &u->revoked);
	else if (!strcmp(k, "expired"))
		parse_bool(p, v, &u->expired);
	else
		key_unknown(p, k);
}

static void kv_appl(struct parser *p, const char *k, const char *v)
{
	struct sim_appl_def *a = p->obj;
	if (!strcmp(k, "legacy_key")) {
		if (set_hex(p, v, a->legacy_key, 8, 8, NULL) == 0)
			a->has_legacy = true;
	} else if (!strcmp(k, "enhanced_key")) {
		if (set_hex(p, v, a->enh_key, 32, IGW_SIM_PTKT_KEY_MAX, &a->enh_key_len) == 0)
			a->has_enhanced = true;
	} else if (!strcmp(k, "enhanced_type")) {
		if (!strcasecmp(v, "upper"))
			a->enh_mixed = false;
		else if (!strcasecmp(v, "mixed"))
			a->enh_mixed = true;
		else
			perr(p, "enhanced_type must be upper or mixed");
	} else if (!strcmp(k, "timeout_s"))
		set_uint(p, v, 1, 600, &a->enh_timeout_s);
	else if (!strcmp(k, "replay"))
		parse_bool(p, v, &a->replay);
	else
		key_unknown(p, k);
}

static const struct { const char *name; enum sim_handler h; } handlers[] = {
	{ "ivtno", SIM_H_IVTNO }, { "echo", SIM_H_ECHO }, { "slow", SIM_H_SLOW },
	{ "callout_sync", SIM_H_CALLSYNC }, { "callout_async", SIM_H_CALLASYNC },
	{ "callout_sync_url", SIM_H_CALLSYNC_URL },
	{ "abend", SIM_H_ABEND }, { "noreply", SIM_H_NOREPLY },
	{ "conversational", SIM_H_CONVERSE },
};

static void kv_txn(struct parser *p, const char *k, const char *v)
{
	struct sim_txn *t = p->obj;
	if (!strcmp(k, "handler")) {
		size_t i;
		for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
			if (!strcasecmp(v, handlers[i].name))
				break;
		if (i == sizeof(handlers) / sizeof(handlers[0]))
			perr(p, "unknown handler \"%s\" (ivtno, echo, slow, callout_sync, "
			        "callout_sync_url, callout_async, abend, noreply, conversational)", v);
		else
			t->handler = handlers[i].h;
	} else if (!strcmp(k, "delay_ms"))
		set_uint(p, v, 0, IGW_SIM_TIMEOUT_MS_MAX, &t->delay_ms);
	else if (!strcmp(k, "tpipe"))
		set_name(p, v, t->tpipe);
	else if (!strcmp(k, "callout_timeout_ms"))
		set_uint(p, v, 1, IGW_SIM_TIMEOUT_MS_MAX, &t->callout_timeout_ms);
	else if (!strcmp(k, "cm0"))
		parse_bool(p, v, &t->cm0_allowed);
	else if (!strcmp(k, "fault")) {
		unsigned rc = 0, rsn = 0;
		char tail = 0;
		if (!strcasecmp(v, "none"))
			t->fault = SIM_FAULT_NONE;
		else if (!strcasecmp(v, "close"))
			t->fault = SIM_FAULT_CLOSE;
		else if (!strcasecmp(v, "truncate"))
			t->fault = SIM_FAULT_TRUNCATE;
		else if (!strcasecmp(v, "bad_length"))
			t->fault = SIM_FAULT_BADLEN;
		else if (sscanf(v, "rsm %u %u%c", &rc, &rsn, &tail) == 2) {
			t->fault = SIM_FAULT_RSM;
			t->force_rc = rc;
			t->force_rsn = rsn;
		} else
			perr(p, "fault must be none, close, truncate, bad_length or \"rsm RC RSN\"");
	}
	else if (!strcmp(k, "permit"))
		set_permits(p, v, t->permit, &t->npermit);
	else
		key_unknown(p, k);
}

static void kv_conv(struct parser *p, const char *k, const char *v)
{
	struct sim_conv_def *d = p->obj;
	if (!strcmp(k, "transaction"))
		set_name(p, v, d->tran);
	else if (!strcmp(k, "copybook"))
		set_path(p, v, d->copybook);
	else if (!strcmp(k, "input"))
		set_str(p, v, d->in_spec, sizeof(d->in_spec));
	else if (!strcmp(k, "output"))
		set_str(p, v, d->out_spec, sizeof(d->out_spec));
	else if (!strcmp(k, "codepage"))
		set_str(p, v, d->codepage, sizeof(d->codepage));
	else if (!strcmp(k, "namespace"))
		set_str(p, v, d->ns, sizeof(d->ns));
	else if (!strcmp(k, "wrapper"))
		set_str(p, v, d->wrapper, sizeof(d->wrapper));
	else
		key_unknown(p, k);
}

static void kv_tpipe(struct parser *p, const char *k, const char *v)
{
	struct sim_tpipe_rule *r = p->obj;
	if (!strcmp(k, "permit"))
		set_permits(p, v, r->permit, &r->npermit);
	else
		key_unknown(p, k);
}

/* Start a table row: [kind NAME]; rejects duplicates and overflow. */
#define NEW_ROW(arr, n, max, what) do { \
	sim_name nm; \
	if (arg == NULL || set_name(p, arg, nm) != 0) { \
		if (arg == NULL) perr(p, "[%s] needs a name", what); \
	} else { \
		for (unsigned i_ = 0; i_ < (n); i_++) \
			if (!strcmp((arr)[i_].NAMEFIELD, nm)) { \
				perr(p, "duplicate [%s %s]", what, nm); \
				dup = true; \
			} \
		if (!dup && (n) >= (max)) \
			perr(p, "too many [%s] sections (max %u)", what, (unsigned)(max)); \
		else if (!dup) { \
			memcpy((arr)[(n)].NAMEFIELD, nm, sizeof(nm)); \
			p->obj = &(arr)[(n)++]; \
		} \
	} \
} while (0)

static void section(struct parser *p, char *s)
{
	struct sim_config *c = p->cfg;
	char *arg = NULL;
	bool dup = false;
	char *sp = strpbrk(s, " \t");
	if (sp) {
		*sp = '\0';
		arg = sp + 1;
		while (*arg == ' ' || *arg == '\t')
			arg++;
		if (*arg == '\0')
			arg = NULL;
	}
	p->obj = NULL;
	p->sect = S_NONE;
	if (!strcmp(s, "server") || !strcmp(s, "hws") || !strcmp(s, "otma") ||
	    !strcmp(s, "ivtno")) {
		if (arg)
			perr(p, "[%s] takes no name", s);
		p->sect = !strcmp(s, "server") ? S_SERVER : !strcmp(s, "hws") ? S_HWS :
		          !strcmp(s, "otma") ? S_OTMA : S_IVTNO;
	} else if (!strcmp(s, "datastore")) {
#define NAMEFIELD id
		NEW_ROW(c->ds, c->nds, IGW_SIM_DATASTORES_MAX, "datastore");
		if (p->obj) {
			((struct sim_datastore *)p->obj)->up = true;
			((struct sim_datastore *)p->obj)->down_rsn = 74;
		}
		p->sect = S_DS;
	} else if (!strcmp(s, "user")) {
		NEW_ROW(c->user, c->nuser, IGW_SIM_USERS_MAX, "user");
#undef NAMEFIELD
		p->sect = S_USER;
	} else if (!strcmp(s, "passticket")) {
#define NAMEFIELD appl
		NEW_ROW(c->appl, c->nappl, IGW_SIM_APPLS_MAX, "passticket");
#undef NAMEFIELD
		if (p->obj)
			((struct sim_appl_def *)p->obj)->enh_timeout_s = 60;
		p->sect = S_APPL;
	} else if (!strcmp(s, "transaction")) {
#define NAMEFIELD name
		NEW_ROW(c->txn, c->ntxn, IGW_SIM_TXNS_MAX, "transaction");
		if (p->obj) {
			((struct sim_txn *)p->obj)->cm0_allowed = true;
			((struct sim_txn *)p->obj)->callout_timeout_ms =
				IGW_SIM_CALLOUT_TIMEOUT_MS_DEFAULT;
		}
		p->sect = S_TXN;
	} else if (!strcmp(s, "tpipe")) {
		NEW_ROW(c->tprule, c->ntprule, IGW_SIM_TPIPES_MAX, "tpipe");
		p->sect = S_TPIPE;
	} else if (!strcmp(s, "converter")) {
		NEW_ROW(c->conv, c->nconv, IGW_SIM_CONVERTERS_MAX, "converter");
#undef NAMEFIELD
		p->sect = S_CONV;
	} else {
		perr(p, "unknown section [%s]", s);
	}
	if (p->sect >= S_DS && p->obj == NULL)
		p->sect = S_NONE;	/* error already reported; skip its keys */
}

static void keyval(struct parser *p, const char *k, const char *v)
{
	switch (p->sect) {
	case S_SERVER: kv_server(p, k, v); break;
	case S_HWS: kv_hws(p, k, v); break;
	case S_OTMA: kv_otma(p, k, v); break;
	case S_IVTNO: kv_ivtno(p, k, v); break;
	case S_DS: kv_ds(p, k, v); break;
	case S_USER: kv_user(p, k, v); break;
	case S_APPL: kv_appl(p, k, v); break;
	case S_TXN: kv_txn(p, k, v); break;
	case S_TPIPE: kv_tpipe(p, k, v); break;
	case S_CONV: kv_conv(p, k, v); break;
	case S_NONE: break;	/* bad section header, reported already */
	}
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
	                 s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static void parse_line(struct parser *p, char *raw)
{
	char *s = trim(raw);
	if (*s == '\0' || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		char *e = strchr(s, ']');
		if (!e || trim(e + 1)[0] != '\0') {
			perr(p, "malformed section header");
			p->sect = S_NONE;
		} else {
			*e = '\0';
			section(p, trim(s + 1));
		}
		return;
	}
	char *eq = strchr(s, '=');
	if (!eq) {
		perr(p, "expected key = value");
		return;
	}
	*eq = '\0';
	char *k = trim(s), *v = trim(eq + 1);
	/* An inline comment starts with whitespace followed by # or ;. */
	for (char *c = v; *c; c++)
		if ((*c == '#' || *c == ';') && c > v && (c[-1] == ' ' || c[-1] == '\t')) {
			*c = '\0';
			v = trim(v);
			break;
		}
	if (*k == '\0')
		perr(p, "empty key");
	else if (p->sect == S_NONE)
		perr(p, "key \"%s\" outside a valid section", k);
	else
		keyval(p, k, v);
}

static void validate(struct parser *p)
{
	struct sim_config *c = p->cfg;
	p->line = 0;
	if (c->tls && (!c->tls_cert[0] || !c->tls_key[0]))
		perr(p, "[server] tls_port needs tls_cert and tls_key");
	if (c->tls && c->tls_port && c->tls_port == c->port)
		perr(p, "[server] tls_port equals port");
	for (unsigned i = 0; i < c->nuser; i++)
		if (!c->user[i].password[0])
			perr(p, "[user %s] has no password", c->user[i].id);
	for (unsigned i = 0; i < c->ntxn; i++) {
		const struct sim_txn *t = &c->txn[i];
		if ((t->handler == SIM_H_CALLSYNC || t->handler == SIM_H_CALLASYNC ||
		     t->handler == SIM_H_CALLSYNC_URL) &&
		    !t->tpipe[0])
			perr(p, "[transaction %s] callout handler needs tpipe", t->name);
	}
	for (unsigned i = 0; i < c->nappl; i++)
		if (!c->appl[i].has_legacy && !c->appl[i].has_enhanced)
			perr(p, "[passticket %s] needs legacy_key or enhanced_key",
			     c->appl[i].appl);
	if (c->nds == 0)
		perr(p, "no [datastore] defined");
	for (unsigned i = 0; i < c->nconv; i++) {
		const struct sim_conv_def *d = &c->conv[i];
		if (!d->tran[0] || !d->copybook[0])
			perr(p, "[converter %s] needs transaction and copybook", d->name);
		else if (!sim_config_txn(c, d->tran))
			perr(p, "[converter %s]: no [transaction %s]", d->name, d->tran);
	}
}

int sim_config_load(struct sim_config *cfg, const char *file)
{
	int rc = IGW_OK;
	struct parser p = { .cfg = cfg, .file = file };
	char line[IGW_CONFIG_LINE_MAX + 2];
	FILE *f = NULL;
	long total = 0;

	sim_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", file);
	snprintf(p.dir, sizeof(p.dir), "%s", file);
	char *slash = strrchr(p.dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(p.dir, sizeof(p.dir), ".");

	f = fopen(file, "r");
	if (!f) {
		igw_log_error(NULL, "%s: cannot open: %s", file, strerror(errno));
		rc = IGW_EIO;
	}
	while (rc == IGW_OK && f && fgets(line, sizeof(line), f)) {
		p.line++;
		total += (long)strlen(line);
		if (total > (long)IGW_CONFIG_FILE_MAX) {
			perr(&p, "file larger than %u bytes", IGW_CONFIG_FILE_MAX);
			break;
		}
		if (strlen(line) > IGW_CONFIG_LINE_MAX && !strchr(line, '\n')) {
			perr(&p, "line longer than %u characters", IGW_CONFIG_LINE_MAX);
			int ch;
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		parse_line(&p, line);
		if (p.errors >= IGW_CONFIG_ERRORS_MAX)
			break;
	}
	if (f) {
		if (ferror(f))
			perr(&p, "read error");
		fclose(f);
	}
	if (rc == IGW_OK && p.errors == 0)
		validate(&p);
	if (rc == IGW_OK && p.errors > 0)
		rc = IGW_ECONFIG;
	igw_secure_zero(line, sizeof(line));
	return rc;
}

const struct sim_datastore *sim_config_datastore(const struct sim_config *cfg,
                                                 const char *id)
{
	const struct sim_datastore *d = NULL;
	for (unsigned i = 0; i < cfg->nds && !d; i++)
		if (!strcmp(cfg->ds[i].id, id))
			d = &cfg->ds[i];
	return d;
}

const struct sim_txn *sim_config_txn(const struct sim_config *cfg, const char *name)
{
	const struct sim_txn *t = NULL;
	for (unsigned i = 0; i < cfg->ntxn && !t; i++)
		if (!strcmp(cfg->txn[i].name, name))
			t = &cfg->txn[i];
	return t;
}

const struct sim_tpipe_rule *sim_config_tprule(const struct sim_config *cfg,
                                               const char *tpipe)
{
	const struct sim_tpipe_rule *r = NULL;
	for (unsigned i = 0; i < cfg->ntprule && !r; i++)
		if (!strcmp(cfg->tprule[i].name, tpipe))
			r = &cfg->tprule[i];
	return r;
}

const struct sim_appl_def *sim_config_appl(const struct sim_config *cfg,
                                           const char *appl)
{
	const struct sim_appl_def *a = NULL;
	for (unsigned i = 0; i < cfg->nappl && !a; i++)
		if (!strcmp(cfg->appl[i].appl, appl))
			a = &cfg->appl[i];
	return a;
}
