#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "analyzer/report/report.h"
#include "analyzer/scan.h"
#include "model/files.h"
#include "model/stats.h"

/* --max-input-size accepts up to this many bytes. */
#define SF_MAX_INPUT_SIZE_LIMIT (64ULL << 30)

static void scan_usage(FILE *out)
{
	fprintf(out,
	        "usage: sharedfate scan [options] [PATH...]\n\n"
	        "Discovers inputs under each PATH (default: .), imports them, finds every\n"
	        "failover pair and reports what the standby shares with the primary.\n\n"
	        "options:\n"
	        "  -f, --format FMT     text (default), json, graph-json (the dependency graph),\n"
	        "                       markdown (a PR comment) or html (the review report)\n"
	        "  -o, --output FILE    write the report to FILE (never through a link; -: stdout)\n"
	        "      --fail-on SEV    exit 1 when a finding is at or above SEV:\n"
	        "                       critical, high (default), medium, low, info, none\n"
	        "      --rules DIR      also load the rule files (*.yaml) in DIR\n"
	        "      --ttl-threshold SECONDS\n"
	        "                       highest acceptable TTL on a failover name (default 60)\n"
	        "      --keep-going     report findings despite unreadable inputs (exit 2 still)\n"
	        "      --strict-zones   refuse a zone with any record that cannot be read\n"
	        "      --zone-max-records N, --zone-max-generated N\n"
	        "                       records one zone may hold, and make by $GENERATE\n"
	        "      --color WHEN     auto (default), always or never\n"
	        "      --report DIR     also write the report into DIR: index.html, report.md,\n"
	        "                       findings.json, diagrams (.svg, and .dot always)\n"
	        "      --max-input-size SIZE\n"
	        "                       largest input file read (default: a 32nd of memory,\n"
	        "                       64M to 1G; e.g. 256M)\n"
	        "  -h, --help           this help\n\n"
	        "Inputs: Terraform state (v4, and `terraform show -json`); zone files\n"
	        "(*.zone, db.*, *.db, or text that starts like one); Route 53 record sets\n"
	        "(`aws route53 list-resource-record-sets` JSON, REST API XML); sharedfate.yaml.\n"
	        "Skipped: .git, .terraform, node_modules; links out of the scanned tree.\n");
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;
	if (!(*s >= '0' && *s <= '9'))
		return -1;      /* no sign, no leading space */
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* "1048576", "512K", "64M", "2G" (powers of 1024; KiB, MiB, GiB too). */
static int parse_size(const char *s, size_t *out)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = { { "", 0 }, { "K", 10 }, { "KiB", 10 }, { "M", 20 }, { "MiB", 20 },
	              { "G", 30 }, { "GiB", 30 } };
	char *end;
	unsigned long long v;
	if (!(*s >= '0' && *s <= '9'))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].suffix) == 0) {
			if (v == 0 || v > (SF_MAX_INPUT_SIZE_LIMIT >> units[i].shift))
				return -1;
			*out = (size_t)(v << units[i].shift);
			return 0;
		}
	return -1;
}

/* The trees a pull request controls: every scanned path (a file's
 * directory). Outputs never go through a link inside them. */
static size_t scanned_trees(const sf_scan_opts *o, char **out, size_t max)
{
	static const char *const dot[] = { "." };
	const char *const *paths = o->npaths ? o->paths : dot;
	size_t np = o->npaths ? o->npaths : 1, n = 0;
	for (size_t i = 0; i < np && n < max; i++) {
		char *r = realpath(paths[i], NULL);
		struct stat st;
		if (!r)
			continue;
		if (stat(r, &st) == 0 && !S_ISDIR(st.st_mode)) {
			char *slash = strrchr(r, '/');
			if (slash == r)
				slash[1] = '\0';
			else if (slash)
				*slash = '\0';
		}
		out[n++] = r;
	}
	return n;
}

static void free_trees(char **trees, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(trees[i]);
}

/* -o FILE, created without following links (see sf_open_output). */
static FILE *open_output(const char *path, char *const *trees, size_t ntrees)
{
	char err[256];
	FILE *f;
	int fd = sf_open_output(path, (const char *const *)trees, ntrees, 0, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "sharedfate: cannot write %s: %s\n", path, err);
		return NULL;
	}
	if (!(f = fdopen(fd, "w"))) {
		fprintf(stderr, "sharedfate: cannot write %s: %s\n", path, strerror(errno));
		close(fd);
	}
	return f;
}

/* --report DIR: the files a review or a CI artefact wants, in one folder. */
static int write_report_dir(const char *dir, sf_scan *s, char *const *trees, size_t ntrees)
{
	char err[256];
	FILE *f;
	int rc, dfd, fd;

	if ((dfd = sf_open_output(dir, (const char *const *)trees, ntrees, 1, err, sizeof(err))) < 0) {
		fprintf(stderr, "sharedfate: cannot write into %s: %s\n", dir, err);
		return -1;
	}
	if (sf_report_dir(dfd, dir, s, stderr) < 0) {
		close(dfd);
		return -1;
	}
	fd = sf_open_output_at(dfd, "findings.json", err, sizeof(err));
	close(dfd);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "sharedfate: cannot write %s/findings.json: %s\n", dir,
		        fd < 0 ? err : strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rc = sf_report_json(f, s);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "sharedfate: error writing %s/findings.json\n", dir);
		return -1;
	}
	return 0;
}

int sf_cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "rules", required_argument, NULL, 'R' },
		{ "ttl-threshold", required_argument, NULL, 'T' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "strict-zones", no_argument, NULL, 'S' },
		{ "zone-max-records", required_argument, NULL, 'Z' },
		{ "zone-max-generated", required_argument, NULL, 'G' },
		{ "color", required_argument, NULL, 'C' },
		{ "report", required_argument, NULL, 'r' },
		{ "max-input-size", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *output = NULL, *color = "auto", *report = NULL;
	sf_scan_opts o;
	sf_scan s;
	int fail_on = SF_SEV_HIGH, c, rc;
	FILE *out = stdout;
	char *trees[64];
	size_t ntrees = 0;

	memset(&o, 0, sizeof(o));
	o.ttl_threshold = 60;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'F':
			if ((fail_on = sf_severity_from_name(optarg)) < 0) {
				fprintf(stderr, "sharedfate: --fail-on: unknown severity '%s' "
				                "(critical, high, medium, low, info, none)\n", optarg);
				return SF_EXIT_INPUT;
			}
			break;
		case 'R':
			o.rules_dir = optarg;
			break;
		case 'T':
			/* 0 is a threshold too: every cached failover answer is flagged */
			if (parse_long(optarg, 0, 2147483647L, &o.ttl_threshold) < 0) {
				fprintf(stderr, "sharedfate: --ttl-threshold: expected whole seconds from 0 to "
				                "2147483647 (a DNS TTL), not '%s'\n", optarg);
				return SF_EXIT_INPUT;
			}
			break;
		case 'M': {
			size_t max;
			if (parse_size(optarg, &max) < 0) {
				fprintf(stderr, "sharedfate: --max-input-size: expected a size from 1 byte to "
				                "64G (1048576, 512K, 64M, 2G), not '%s'\n", optarg);
				return SF_EXIT_INPUT;
			}
			sf_input_limit_set(max);
			break;
		}
		case 'k':
			o.keep_going = 1;
			break;
		case 'S':
			o.strict_zones = 1;
			break;
		case 'Z':
		case 'G': {
			long v;
			if (parse_long(optarg, 1, 2147483647L, &v) < 0) {
				fprintf(stderr, "sharedfate: --%s: not a positive number: '%s'\n",
				        c == 'Z' ? "zone-max-records" : "zone-max-generated", optarg);
				return SF_EXIT_INPUT;
			}
			*(c == 'Z' ? &o.zone_max_records : &o.zone_max_generated) = (size_t)v;
			break;
		}
		case 'C':
			color = optarg;
			break;
		case 'r':
			report = optarg;
			break;
		case 'h':
			scan_usage(stdout);
			return SF_EXIT_OK;
		case ':':
			fprintf(stderr, "sharedfate: option '%s' needs a value\n", argv[optind - 1]);
			return SF_EXIT_INPUT;
		default:
			fprintf(stderr, "sharedfate: unknown option '%s'\n", argv[optind - 1]);
			scan_usage(stderr);
			return SF_EXIT_INPUT;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "graph-json") != 0 && strcmp(format, "markdown") != 0 &&
	    strcmp(format, "html") != 0) {
		fprintf(stderr, "sharedfate: --format: unknown format '%s' (text, json, graph-json, "
		                "markdown, html)\n", format);
		return SF_EXIT_INPUT;
	}
	if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 &&
	    strcmp(color, "never") != 0) {
		fprintf(stderr, "sharedfate: --color: expected auto, always or never\n");
		return SF_EXIT_INPUT;
	}
	o.paths = (const char *const *)(argv + optind);
	o.npaths = (size_t)(argc - optind);

	if (sf_scan_init(&s) < 0) {
		fprintf(stderr, "sharedfate: out of memory\n");
		return SF_EXIT_INTERNAL;
	}
	rc = sf_scan_run(&s, &o);
	sf_diags_print(&s.diags, stderr);
	sf_stats_print(stderr);
	if (rc == SF_EXIT_INTERNAL || (rc == SF_EXIT_INPUT && !o.keep_going)) {
		sf_scan_free(&s);
		return rc;
	}
	ntrees = scanned_trees(&o, trees, sizeof(trees) / sizeof(trees[0]));
	if (output && strcmp(output, "-") == 0)
		output = NULL;
	if (output && !(out = open_output(output, trees, ntrees))) {
		free_trees(trees, ntrees);
		sf_scan_free(&s);
		return SF_EXIT_INPUT;
	}
	{
		int use_color = strcmp(color, "always") == 0 ||
		                (strcmp(color, "auto") == 0 && !output && isatty(STDOUT_FILENO) &&
		                 !getenv("NO_COLOR"));
		int wrc = strcmp(format, "json") == 0         ? sf_report_json(out, &s)
		          : strcmp(format, "graph-json") == 0 ? sf_report_graph_json(out, &s)
		          : strcmp(format, "markdown") == 0   ? sf_report_markdown(out, &s)
		          : strcmp(format, "html") == 0       ? sf_report_html(out, &s)
		                                              : sf_report_text(out, &s, use_color);
		if (out != stdout && fclose(out) != 0)
			wrc = -1;
		else if (out == stdout && fflush(stdout) != 0)
			wrc = -1;
		if (wrc < 0) {
			fprintf(stderr, "sharedfate: error writing the report\n");
			free_trees(trees, ntrees);
			sf_scan_free(&s);
			return SF_EXIT_INTERNAL;
		}
	}
	if (report && write_report_dir(report, &s, trees, ntrees) < 0) {
		free_trees(trees, ntrees);
		sf_scan_free(&s);
		return SF_EXIT_INPUT;
	}
	free_trees(trees, ntrees);
	if (rc == SF_EXIT_OK && fail_on != SF_SEV_NONE) {
		for (size_t i = 0; i < s.findings.count; i++)
			if ((int)s.findings.items[i].severity >= fail_on)
				rc = SF_EXIT_FINDINGS;
	}
	sf_scan_free(&s);
	return rc;
}
