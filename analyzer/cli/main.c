#include <stdio.h>
#include <string.h>

#include <igraph.h>
#include <libxml/parser.h>

#include "cli.h"
#include "analyzer/scan.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

typedef struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{ "scan", sf_cmd_scan, "analyse an infrastructure repository (default)" },
	{ "explain", sf_cmd_explain, "describe a rule: why it matters, how to fix" },
	{ "rules", sf_cmd_rules, "list the rules in force" },
	{ "baseline", sf_cmd_baseline, "record the current findings (scan --baseline FILE)" },
	{ "diff", sf_cmd_diff, "new, fixed and unchanged findings between two JSON results" },
	{ "simulate", sf_cmd_simulate, "fail nodes (--fail KEY|NAME=VALUE): what still serves" },
	{ "domains", sf_cmd_domains, "each failure domain and the services it takes down" },
	{ "graph", sf_cmd_graph, "the dependency graph: svg, png, pdf, dot, graphml, json" },
	{ "version", cmd_version, "print the version" },
	{ "help", cmd_help, "this help" },
	{ NULL, NULL, NULL },
};

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("sharedfate %s\n", SF_VERSION);
	return SF_EXIT_OK;
}

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: sharedfate <command> [options]\n\n"
	        "Finds the standby paths that share a failure domain with their primary:\n"
	        "the same load balancer, region, identity provider, secret store, key,\n"
	        "certificate authority, admin account or DNS provider.\n\n"
	        "commands:\n");
	for (const command *c = commands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fprintf(out, "\nexit codes: 0 clean, 1 findings at or above --fail-on, "
	             "2 usage or input error, 3 internal error\n"
	             "'sharedfate scan --help' lists the scan options.\n");
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return SF_EXIT_OK;
}

int main(int argc, char **argv)
{
	int rc = SF_EXIT_INPUT;

	LIBXML_TEST_VERSION
	if (argc < 2) {
		usage(stderr);
		return SF_EXIT_INPUT;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc - 1, argv + 1);
	for (const command *c = commands; c->name; c++)
		if (strcmp(argv[1], c->name) == 0) {
			rc = c->fn(argc - 1, argv + 1);
			xmlCleanupParser();
			return rc;
		}
	fprintf(stderr, "sharedfate: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return SF_EXIT_INPUT;
}
