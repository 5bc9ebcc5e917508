#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "analyzer/scan.h"

#define DEFAULT_BASELINE ".sharedfate-baseline.json"

/* `sharedfate baseline [PATH...] [-o FILE] [scan options]`: a scan whose
 * one output is the baseline, and which never fails on findings (they
 * are what it records). Settings and waivers apply as in `scan`, so the
 * baseline holds what `scan` would report. */
int sf_cmd_baseline(int argc, char **argv)
{
	/* writable: getopt may permute the vector it is given */
	static char a_scan[] = "scan", a_format[] = "--format", a_baseline[] = "baseline",
	            a_fail[] = "--fail-on", a_none[] = "none", a_o[] = "-o",
	            a_file[] = DEFAULT_BASELINE;
	char **args;
	int n = 0, has_out = 0, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: sharedfate baseline [PATH...] [-o FILE] [scan options]\n\n"
			       "Records the current findings by fingerprint into FILE (default %s);\n"
			       "'sharedfate scan --baseline FILE' then reports only new ones.\n",
			       DEFAULT_BASELINE);
			return SF_EXIT_OK;
		}
		if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--format") == 0 ||
		    strncmp(argv[i], "--format=", 9) == 0) {
			fprintf(stderr, "sharedfate: baseline writes one format; use 'scan' for others\n");
			return SF_EXIT_INPUT;
		}
		if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0 ||
		    strncmp(argv[i], "--output=", 9) == 0)
			has_out = 1;
	}
	if (!(args = calloc((size_t)argc + 8, sizeof(*args))))
		return SF_EXIT_INTERNAL;
	args[n++] = a_scan;
	args[n++] = a_format;
	args[n++] = a_baseline;
	args[n++] = a_fail;
	args[n++] = a_none;
	if (!has_out) {
		args[n++] = a_o;
		args[n++] = a_file;
	}
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	rc = sf_cmd_scan(n, args);
	free(args);
	return rc;
}
