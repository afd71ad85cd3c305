/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * imsconnect-sim: IMS Connect + OTMA + RACF simulator.
 *
 *   imsconnect-sim -c FILE [-p PORT] [--tls-port PORT] [--port-file FILE]
 *   imsconnect-sim -c FILE --check
 *   imsconnect-sim --version
 *
 * SIGTERM/SIGINT stop it cleanly.  Exit status: 0 ok, 1 runtime error,
 * 2 usage or configuration error.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "imsgw/core.h"
#include "sim_server.h"

#ifndef IMSGW_VERSION
#define IMSGW_VERSION "0.0.0"
#endif

static struct sim_server *g_server;

static void on_signal(int sig)
{
	(void)sig;
	if (g_server)
		sim_server_stop(g_server);
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: imsconnect-sim -c FILE [-p PORT] [--tls-port PORT | --no-tls] [--port-file FILE]\n"
	        "       (-p 0 / --tls-port 0: any free port; see --port-file)\n"
	        "       imsconnect-sim -c FILE --check\n"
	        "       imsconnect-sim --version\n"
	        "IMS Connect + OTMA + RACF simulator (see simulator/README.md).\n");
}

static int parse_port(const char *s, unsigned *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	int rc = (!*s || *end || errno || v > 65535) ? -1 : 0;
	if (rc == 0)
		*out = (unsigned)v;
	return rc;
}

static int write_port_file(const char *path, unsigned port, unsigned tls_port)
{
	int rc = IGW_OK;
	char tmp[IGW_PATH_MAX + 8];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u %u\n", port, tls_port) < 0 || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		igw_log_error(NULL, "cannot write port file %s: %s", path, strerror(errno));
		rc = IGW_EIO;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *port_file = NULL;
	bool check = false, have_port = false, have_tls_port = false, no_tls = false;
	unsigned port = 0, tls_port = 0;
	int status = 0;

	for (int i = 1; i < argc && status == 0; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--version")) {
			printf("imsconnect-sim %s\n", IMSGW_VERSION);
			return 0;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--check")) {
			check = true;
		} else if ((!strcmp(a, "-c") || !strcmp(a, "--config")) && i + 1 < argc) {
			file = argv[++i];
		} else if ((!strcmp(a, "-p") || !strcmp(a, "--port")) && i + 1 < argc) {
			have_port = parse_port(argv[++i], &port) == 0;
			if (!have_port)
				status = 2;
		} else if (!strcmp(a, "--tls-port") && i + 1 < argc) {
			have_tls_port = parse_port(argv[++i], &tls_port) == 0;
			if (!have_tls_port)
				status = 2;
		} else if (!strcmp(a, "--no-tls")) {
			no_tls = true;
		} else if (!strcmp(a, "--port-file") && i + 1 < argc) {
			port_file = argv[++i];
		} else {
			status = 2;
		}
	}
	if (status != 0 || !file) {
		usage(stderr);
		return 2;
	}

	static struct sim_config cfg;
	igw_log_setup(2, IGW_LOG_INFO, IGW_LOG_TEXT);
	if (sim_config_load(&cfg, file) != IGW_OK) {
		sim_config_free(&cfg);
		return 2;
	}
	if (have_port)
		cfg.port = port;
	if (have_tls_port) {
		cfg.tls_port = tls_port;
		cfg.tls = true;
	}
	if (no_tls)
		cfg.tls = false;
	if (cfg.tls && (!cfg.tls_cert[0] || !cfg.tls_key[0])) {
		igw_log_error(NULL, "%s: TLS needs tls_cert and tls_key in [server]", file);
		sim_config_free(&cfg);
		return 2;
	}
	if (port_file)
		snprintf(cfg.port_file, sizeof(cfg.port_file), "%s", port_file);
	if (check) {
		printf("%s: OK (%u datastores, %u users, %u transactions)\n", file, cfg.nds,
		       cfg.nuser, cfg.ntxn);
		sim_config_free(&cfg);
		return 0;
	}
	igw_log_setup(2, (enum igw_log_level)cfg.log_level, (enum igw_log_format)cfg.log_format);

	static struct sim_server srv;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (sim_server_init(&srv, &cfg) != IGW_OK) {
		sim_server_destroy(&srv);
		sim_config_free(&cfg);
		return 1;
	}
	g_server = &srv;
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	char tlsdesc[32] = "";
	if (cfg.tls)
		snprintf(tlsdesc, sizeof(tlsdesc), ", TLS port %u", srv.tls_port);
	igw_log_info(NULL, "imsconnect-sim %s listening on %s port %u%s (RACF=%s, OTMA "
	             "security %s)", IMSGW_VERSION, cfg.address, srv.port, tlsdesc,
	             cfg.racf ? "Y" : "N",
	             cfg.otma_security == SIM_OTMA_NONE ? "NONE" :
	             cfg.otma_security == SIM_OTMA_CHECK ? "CHECK" :
	             cfg.otma_security == SIM_OTMA_PROFILE ? "PROFILE" : "FULL");
	if (cfg.port_file[0] && write_port_file(cfg.port_file, srv.port, srv.tls_port) != IGW_OK)
		status = 1;
	if (status == 0 && sim_server_run(&srv) != IGW_OK)
		status = 1;
	g_server = NULL;
	sim_server_destroy(&srv);
	sim_config_free(&cfg);
	igw_log_info(NULL, "imsconnect-sim stopped");
	return status;
}
