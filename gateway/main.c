/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * imsgw: the gateway daemon.
 *
 *   imsgw -c FILE            run
 *   imsgw -c FILE --check    validate the configuration and exit
 *   imsgw --version
 *
 * Exit codes: 0 clean stop or valid configuration, 1 invalid configuration,
 * 2 usage error, 3 start-up failure (port, TLS material).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include "imsgw/core.h"
#include "server_config.h"
#include "listener.h"
#include "router.h"
#include "version.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: imsgw -c CONFIG [--check]\n"
	        "       imsgw --version\n"
	        "  -c, --config FILE   server configuration file\n"
	        "      --check         validate the configuration (every file it names) and exit;\n"
	        "                      problems are printed as file:line: reason\n"
	        "      --version       print the version and exit\n");
}

static void print_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static int run(struct igw_server_conf *conf)
{
	struct igw_listener *ls[IGW_LISTENERS_MAX] = { 0 };
	struct igw_router router = { IMSGW_VERSION, igw_wall_ms() };
	sigset_t set;
	int rc = 0, sig = 0;

	/* Signals are taken synchronously by this thread; workers never see them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (unsigned i = 0; i < conf->n_listeners && rc == 0; i++)
		if (igw_listener_start(&conf->listeners[i], igw_router_handle, &router, &ls[i]) != IGW_OK)
			rc = 3;
	if (rc == 0) {
		igw_log_info(NULL, "imsgw %s ready (pid %d)", IMSGW_VERSION, (int)getpid());
		for (;;) {
			if (sigwait(&set, &sig) != 0)
				continue;
			if (sig == SIGHUP) {
				igw_log_info(NULL, "SIGHUP: the server file is read at start only; "
				             "restart to change listeners");
				continue;
			}
			break;
		}
		igw_log_info(NULL, "signal %d: stopping (no new connections, finishing requests)", sig);
	}
	for (unsigned i = 0; i < conf->n_listeners; i++)
		igw_listener_quiesce(ls[i]);
	for (unsigned i = 0; i < conf->n_listeners; i++)
		igw_listener_stop(ls[i]);
	if (rc == 0)
		igw_log_info(NULL, "stopped");
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'k' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	int check = 0, opt, rc = 0;
	struct igw_server_conf *conf = NULL;
	unsigned nerr = 0;

	while ((opt = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'k': check = 1; break;
		case 'V': printf("imsgw %s\n", IMSGW_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!config || optind != argc) {
		usage(stderr);
		return 2;
	}
	xmlInitParser();
	if (igw_server_conf_load(config, print_error, NULL, &conf, &nerr) != IGW_OK) {
		fprintf(stderr, "imsgw: %s: %u problem%s found\n", config, nerr, nerr == 1 ? "" : "s");
		rc = 1;
	} else if (check) {
		printf("imsgw: %s: configuration OK (%u listener%s)\n", config, conf->n_listeners,
		       conf->n_listeners == 1 ? "" : "s");
	} else {
		igw_log_setup(2, (enum igw_log_level)conf->log_level,
		              (enum igw_log_format)conf->log_format);
		rc = run(conf);
	}
	igw_server_conf_free(conf);
	xmlCleanupParser();
	return rc;
}
