/* What the subcommands that scan have in common: how a bad option is
 * told, how --format is checked, and how a scan starts. One place, so that
 * `scan`, `graph`, `simulate` and `domains` answer the same mistake with
 * the same words and exit code. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "model/diag.h"

int sf_cli_option_error(int c, char **argv, void (*usage)(FILE *out))
{
	const char *opt = optind > 0 ? argv[optind - 1] : "?";
	char clean[256];

	sf_sanitize(clean, sizeof(clean), opt, strlen(opt));
	if (c == ':') {
		fprintf(stderr, "sharedfate: option '%s' needs a value\n", clean);
		return SF_EXIT_INPUT;
	}
	fprintf(stderr, "sharedfate: unknown option '%s'\n", clean);
	if (usage)
		usage(stderr);
	return SF_EXIT_INPUT;
}

int sf_cli_check_format(const char *format, const char *const *known)
{
	char list[256] = "", clean[128];
	size_t used = 0;

	for (size_t i = 0; known[i]; i++) {
		if (strcmp(format, known[i]) == 0)
			return SF_EXIT_OK;
		used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
		                         "%s%s", i ? ", " : "", known[i]);
		if (used >= sizeof(list))
			used = sizeof(list) - 1;
	}
	sf_sanitize(clean, sizeof(clean), format, strlen(format));
	fprintf(stderr, "sharedfate: --format: unknown format '%s' (%s)\n", clean, list);
	return SF_EXIT_INPUT;
}

void sf_cli_scan_defaults(sf_scan_opts *o, char **paths, size_t npaths)
{
	memset(o, 0, sizeof(*o));
	o->ttl_threshold = 60;
	o->paths = (const char *const *)paths;
	o->npaths = npaths;
}

int sf_cli_scan(sf_scan *s, const sf_scan_opts *o)
{
	if (sf_scan_init(s) < 0) {
		fprintf(stderr, "sharedfate: out of memory\n");
		return SF_EXIT_INTERNAL;
	}
	return sf_scan_run(s, o);
}
