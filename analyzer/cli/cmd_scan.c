#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "analyzer/gate.h"
#include "analyzer/report/report.h"
#include "analyzer/report/tflocate.h"
#include "analyzer/scan.h"
#include "importers/importer.h"
#include "importers/manifest.h"
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
	        "  -f, --format FMT     text (default), json, sarif, junit, github, gitlab,\n"
	        "                       markdown (a PR comment), html (the review report),\n"
	        "                       or graph-json (the dependency graph)\n"
	        "  -o, --output FILE    write the report to FILE (never through a link; -: stdout)\n"
	        "                       several outputs: --format A -o FILE --format B -o FILE\n"
	        "                       (the n-th -o takes the n-th --format)\n"
	        "      --fail-on SEV    exit 1 when a finding is at or above SEV:\n"
	        "                       critical, high (default), medium, low, info, none\n"
	        "      --config FILE    settings and waivers (default: sharedfate.yaml in PATH)\n"
	        "      --baseline FILE  report and gate only findings not in FILE\n"
	        "                       (sharedfate baseline -o FILE, or a JSON result)\n"
	        "  -q, --quiet          text: the summary line and errors only\n"
	        "      --width N        wrap text at N columns (default: the terminal's; 0: never)\n"
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
	        "PATH '-' reads one input from standard input (its format sniffed).\n"
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

size_t sf_cli_scanned_trees(const char *const *paths, size_t np, char **out, size_t max)
{
	static const char *const dot[] = { "." };
	size_t n = 0;
	if (!np) {
		paths = dot;
		np = 1;
	}
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

void sf_cli_free_trees(char **trees, size_t n)
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
static int write_report_dir(const char *dir, sf_scan *s, const sf_report_opts *ro,
                            char *const *trees, size_t ntrees)
{
	char err[256];
	FILE *f;
	int rc, dfd, fd;

	if ((dfd = sf_open_output(dir, (const char *const *)trees, ntrees, 1, err, sizeof(err))) < 0) {
		fprintf(stderr, "sharedfate: cannot write into %s: %s\n", dir, err);
		return -1;
	}
	if (sf_report_dir(dfd, dir, s, ro, stderr) < 0) {
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
	rc = sf_report_json_ex(f, s, ro);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "sharedfate: error writing %s/findings.json\n", dir);
		return -1;
	}
	return 0;
}

/* "baseline" is what `sharedfate baseline` writes (analyzer/gate.h). */
static const char *const formats[] = { "text", "json", "graph-json", "sarif", "junit", "github",
                                       "gitlab", "markdown", "html", "baseline", NULL };

/* Outputs that show every node of the graph, not only what findings
 * reach: graph-json, and html with its overview diagram. */
static int whole_graph_format(const char *f)
{
	return strcmp(f, "graph-json") == 0 || strcmp(f, "html") == 0;
}

static int known_format(const char *f)
{
	for (size_t i = 0; formats[i]; i++)
		if (strcmp(formats[i], f) == 0)
			return 1;
	return 0;
}

#define MAX_OUTPUTS 8

typedef struct scan_cli {
	const char *format[MAX_OUTPUTS], *file[MAX_OUTPUTS];
	size_t nformat, nfile;
	const char *color, *report, *config, *baseline;
	int fail_on, quiet, width;      /* -1: not given */
	int ttl_given;
} scan_cli;

/* Standard input, whole, within the input size limit. */
static char *read_stdin(size_t *len)
{
	size_t cap = 65536, n = 0, max = SF_INPUT_MAX;
	char *buf = malloc(cap + 1);
	while (buf) {
		size_t got;
		if (n == cap) {
			char *p;
			if (cap >= max) {
				fprintf(stderr, "<stdin>: error: larger than the input size limit (%zu bytes; "
				                "--max-input-size)\n", max);
				free(buf);
				return NULL;
			}
			cap = cap * 2 > max ? max : cap * 2;
			if (!(p = realloc(buf, cap + 1))) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0)
			break;
	}
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

/* The configuration: --config FILE, else sharedfate.yaml (or .yml) at the
 * root of the first scanned directory, read through the manifest cache
 * the scan reads it with (one parse per run). Returns 1 with *out set, 0
 * when there is none, -1 when it is bad (diagnostics printed). */
static int load_config(const char *given, const sf_scan_opts *o, sf_manifest *own,
                       const sf_manifest **out, char *path, size_t pathsz)
{
	static const char *const names[] = { "sharedfate.yaml", "sharedfate.yml" };
	const char *first = o->npaths ? o->paths[0] : o->stdin_data ? NULL : ".";
	char err[256], *data;
	size_t len;
	sf_diags d;
	int rc;

	path[0] = '\0';
	*out = NULL;
	if (given) {
		if (own->version) {             /* parsed before the scan already */
			*out = own;
			return 1;
		}
		snprintf(path, pathsz, "%s", given);
	} else if (first) {
		struct stat st;
		char *root, *real;
		if (stat(first, &st) < 0 || !S_ISDIR(st.st_mode))
			return 0;
		for (size_t i = 0; i < 2 && !path[0]; i++) {
			size_t n = strlen(first);
			while (n > 1 && first[n - 1] == '/')
				n--;
			if (n == 1 && first[0] == '.')
				snprintf(path, pathsz, "%s", names[i]);
			else
				snprintf(path, pathsz, "%.*s/%s", (int)n, first, names[i]);
			/* stat, never open: a FIFO by that name would block */
			if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
				path[0] = '\0';
		}
		if (!path[0])
			return 0;
		root = realpath(first, NULL);
		real = realpath(path, NULL);
		if (root && real)
			*out = sf_manifest_cached(root, path, real);
		free(root);
		free(real);
		if (*out)
			return 1;
		/* it does not parse: again, for the diagnostics */
	} else {
		return 0;
	}
	if (sf_read_file(path, SF_MANIFEST_MAX_BYTES, &data, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: error: %s\n", path, err);
		return -1;
	}
	sf_diags_init(&d);
	rc = sf_manifest_parse(path, data, len, own, &d);
	free(data);
	sf_diags_print(&d, stderr);
	sf_diags_free(&d);
	if (rc < 0)
		return -1;
	*out = own;
	return 1;
}

/* "dir/of/sharedfate.yaml" + "rules" -> "dir/of/rules" */
static void beside(const char *file, const char *rel, char *out, size_t outsz)
{
	const char *slash = strrchr(file, '/');
	if (slash)
		snprintf(out, outsz, "%.*s/%s", (int)(slash - file), file, rel);
	else
		snprintf(out, outsz, "%s", rel);
}

/* --quiet: errors only, as the normal run prints them. */
static void print_diags(const sf_diags *d, int quiet)
{
	sf_diags view = *d;
	sf_diag *keep;
	if (!quiet) {
		sf_diags_print(d, stderr);
		return;
	}
	if (!(keep = calloc(d->count ? d->count : 1, sizeof(*keep))))
		return;
	view.items = keep;
	view.count = 0;
	view.dropped = 0;
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].level == SF_DIAG_ERROR)
			keep[view.count++] = d->items[i];
	sf_diags_print(&view, stderr);
	free(keep);
}

static int write_one(const char *format, const char *file, sf_scan *s, sf_report_opts *ro,
                     const char *color, char *const *trees, size_t ntrees)
{
	FILE *out = stdout;
	int wrc;
	if (file && strcmp(file, "-") == 0)
		file = NULL;
	if (file && !(out = open_output(file, trees, ntrees)))
		return SF_EXIT_INPUT;
	ro->color = strcmp(color, "always") == 0 ||
	            (strcmp(color, "auto") == 0 && !file && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	wrc = strcmp(format, "json") == 0         ? sf_report_json_ex(out, s, ro)
	      : strcmp(format, "graph-json") == 0 ? sf_report_graph_json(out, s)
	      : strcmp(format, "sarif") == 0      ? sf_report_sarif(out, s, ro)
	      : strcmp(format, "junit") == 0      ? sf_report_junit(out, s, ro)
	      : strcmp(format, "github") == 0     ? sf_report_github(out, s, ro)
	      : strcmp(format, "gitlab") == 0     ? sf_report_gitlab(out, s, ro)
	      : strcmp(format, "markdown") == 0   ? sf_report_markdown(out, s, ro)
	      : strcmp(format, "html") == 0       ? sf_report_html(out, s, ro)
	      : strcmp(format, "baseline") == 0   ? sf_gate_baseline_write(out, s)
	                                          : sf_report_text_ex(out, s, ro);
	if (out != stdout && fclose(out) != 0)
		wrc = -1;
	else if (out == stdout && fflush(stdout) != 0)
		wrc = -1;
	if (wrc < 0) {
		fprintf(stderr, "sharedfate: error writing the %s report\n", format);
		return SF_EXIT_INTERNAL;
	}
	return SF_EXIT_OK;
}

static int terminal_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
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
		{ "config", required_argument, NULL, 'c' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "width", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	scan_cli cl;
	sf_scan_opts o;
	sf_scan s;
	sf_manifest own;
	const sf_manifest *m = NULL;
	sf_gate_baseline base;
	sf_gate_result gate;
	sf_tflocate tf;
	sf_report_opts ro;
	char mpath[4096], rules_dir[4200], today[11], *stdin_buf = NULL;
	const char **paths = NULL;
	int c, rc, have_m = 0, have_base = 0, want_tf = 0;
	char *trees[64];
	size_t ntrees = 0, np = 0;

	memset(&cl, 0, sizeof(cl));
	cl.color = "auto";
	cl.fail_on = cl.quiet = cl.width = -1;
	sf_cli_scan_defaults(&o, NULL, 0);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!known_format(optarg)) {
				fprintf(stderr, "sharedfate: --format: unknown format '%s' (text, json, sarif, "
				                "junit, github, gitlab, markdown, html, graph-json, baseline)\n", optarg);
				return SF_EXIT_INPUT;
			}
			if (cl.nformat == MAX_OUTPUTS) {
				fprintf(stderr, "sharedfate: at most %d outputs\n", MAX_OUTPUTS);
				return SF_EXIT_INPUT;
			}
			cl.format[cl.nformat++] = optarg;
			break;
		case 'o':
			if (cl.nfile == MAX_OUTPUTS) {
				fprintf(stderr, "sharedfate: at most %d outputs\n", MAX_OUTPUTS);
				return SF_EXIT_INPUT;
			}
			cl.file[cl.nfile++] = optarg;
			break;
		case 'F':
			if ((cl.fail_on = sf_severity_from_name(optarg)) < 0) {
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
			cl.ttl_given = 1;
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
			cl.color = optarg;
			break;
		case 'r':
			cl.report = optarg;
			break;
		case 'c':
			cl.config = optarg;
			break;
		case 'B':
			cl.baseline = optarg;
			break;
		case 'q':
			cl.quiet = 1;
			break;
		case 'W': {
			long v;
			if (parse_long(optarg, 0, 10000, &v) < 0) {
				fprintf(stderr, "sharedfate: --width: expected columns from 0 to 10000\n");
				return SF_EXIT_INPUT;
			}
			cl.width = (int)v;
			break;
		}
		case 'h':
			scan_usage(stdout);
			return SF_EXIT_OK;
		default:
			return sf_cli_option_error(c, argv, scan_usage);
		}
	}
	/* One --format and one -o pair in either order, as they always did;
	 * several pair up in order. */
	if (cl.nfile > 1 && cl.nfile != cl.nformat) {
		fprintf(stderr, "sharedfate: %zu outputs for %zu formats: give each --format its "
		                "own -o FILE, in order\n", cl.nfile, cl.nformat);
		return SF_EXIT_INPUT;
	}
	if (cl.nformat > 1 && cl.nfile < cl.nformat) {
		fprintf(stderr, "sharedfate: several --format options need an -o FILE each\n");
		return SF_EXIT_INPUT;
	}
	if (strcmp(cl.color, "auto") != 0 && strcmp(cl.color, "always") != 0 &&
	    strcmp(cl.color, "never") != 0) {
		fprintf(stderr, "sharedfate: --color: expected auto, always or never\n");
		return SF_EXIT_INPUT;
	}
	/* PATH '-': standard input, once */
	if (!(paths = calloc((size_t)(argc - optind) + 1, sizeof(*paths))))
		return SF_EXIT_INTERNAL;
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0) {
			paths[np++] = argv[i];
			continue;
		}
		if (stdin_buf) {
			fprintf(stderr, "sharedfate: '-' (standard input) given twice\n");
			free(stdin_buf);
			free(paths);
			return SF_EXIT_INPUT;
		}
		if (!(stdin_buf = read_stdin(&o.stdin_len))) {
			free(paths);
			return SF_EXIT_INPUT;
		}
		o.stdin_data = stdin_buf;
	}
	o.paths = paths;
	o.npaths = np;

	memset(&own, 0, sizeof(own));
	if ((have_m = load_config(cl.config, &o, &own, &m, mpath, sizeof(mpath))) < 0) {
		sf_stats_print(stderr);
		free(stdin_buf);
		free(paths);
		return SF_EXIT_INPUT;
	}
	/* the command line wins over settings; what the scan needs first: */
	if (have_m) {
		const sf_manifest_settings *st = &m->settings;
		if (cl.fail_on < 0 && st->fail_on >= 0)
			cl.fail_on = st->fail_on;
		if (!cl.ttl_given && st->ttl_threshold >= 0)
			o.ttl_threshold = st->ttl_threshold;
		if (!o.rules_dir && st->rules_dir) {
			beside(mpath, st->rules_dir, rules_dir, sizeof(rules_dir));
			o.rules_dir = rules_dir;
		}
		if (cl.quiet < 0 && st->quiet >= 0)
			cl.quiet = st->quiet;
	}

	if (sf_scan_init(&s) < 0) {
		fprintf(stderr, "sharedfate: out of memory\n");
		sf_manifest_free(&own);
		free(stdin_buf);
		free(paths);
		return SF_EXIT_INTERNAL;
	}
	/* Only the graph itself and the diagrams need every node. */
	o.defer_nodes = !cl.report;
	for (size_t i = 0; i < cl.nformat; i++)
		o.defer_nodes &= !whole_graph_format(cl.format[i]);
	for (size_t i = 0; have_m && !cl.nformat && !cl.nfile && i < m->settings.noutputs; i++)
		o.defer_nodes &= !whole_graph_format(m->settings.outputs[i].format);
	rc = sf_scan_run(&s, &o);
	/* importing may have refreshed the cache: the manifest again */
	if (have_m && load_config(cl.config, &o, &own, &m, mpath, sizeof(mpath)) < 1) {
		have_m = 0;
		m = NULL;
		if (rc == SF_EXIT_OK)
			rc = SF_EXIT_INPUT;
	}
	if (have_m && !cl.nformat && !cl.nfile) {
		const sf_manifest_settings *st = &m->settings;
		for (size_t i = 0; i < st->noutputs; i++) {
			if (!known_format(st->outputs[i].format)) {
				fprintf(stderr, "%s:%ld: error: settings: unknown output format '%s'\n",
				        mpath, st->line, st->outputs[i].format);
				rc = SF_EXIT_INPUT;
				break;
			}
			cl.format[cl.nformat++] = st->outputs[i].format;
			cl.file[cl.nfile++] = st->outputs[i].file ? st->outputs[i].file : "-";
		}
	}
	if (!cl.nformat)
		cl.format[cl.nformat++] = "text";
	sf_gate_init(&gate);
	memset(&base, 0, sizeof(base));
	if (cl.baseline && rc != SF_EXIT_INTERNAL) {
		if (sf_gate_baseline_load(&base, cl.baseline, &s.diags) < 0)
			rc = SF_EXIT_INPUT;
		else
			have_base = 1;
	}
	if (rc != SF_EXIT_INTERNAL) {
		sf_gate_today(today);
		gate.fail_on = cl.fail_on >= 0 ? cl.fail_on : SF_SEV_HIGH;
		gate.manifest_path = have_m ? mpath : NULL;
		if (sf_gate_apply(&gate, &s, have_m ? m : NULL, have_base ? &base : NULL, today,
		                  &s.diags) < 0)
			rc = SF_EXIT_INTERNAL;
	}
	print_diags(&s.diags, cl.quiet > 0);
	sf_graph_publish_memory(s.graph);
	if (rc == SF_EXIT_INTERNAL || (rc == SF_EXIT_INPUT && !o.keep_going)) {
		sf_stats_print(stderr);
		goto done;
	}
	ntrees = sf_cli_scanned_trees(o.paths, o.npaths, trees, sizeof(trees) / sizeof(trees[0]));
	memset(&ro, 0, sizeof(ro));
	memset(&tf, 0, sizeof(tf));
	for (size_t i = 0; i < cl.nformat && !want_tf; i++)
		want_tf = strcmp(cl.format[i], "sarif") == 0;
	/* Only SARIF points at .tf sources: no walk of the tree for them
	 * otherwise (a zone in a large directory meets every file in it). */
	if (want_tf) {
		/* a state file named on its own: the .tf files beside it */
		char dir[4096];
		struct stat st;
		snprintf(dir, sizeof(dir), "%s", np ? paths[0] : ".");
		if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
			char *slash = strrchr(dir, '/');
			if (slash)
				*slash = '\0';
			else
				snprintf(dir, sizeof(dir), ".");
		}
		rc = sf_tflocate_build(&tf, dir) < 0 ? SF_EXIT_INTERNAL : rc;
	}
	sf_stats_print(stderr);
	if (rc == SF_EXIT_INTERNAL) {
		rc = SF_EXIT_INTERNAL;
		goto done_trees;
	}
	ro.gate = &gate;
	ro.tf = &tf;
	ro.manifest = have_m ? m : NULL;    /* every waiver, for the review report */
	ro.today = today;
	ro.quiet = cl.quiet > 0;
	ro.width = cl.width >= 0 ? cl.width : terminal_width();
	for (size_t i = 0; i < cl.nformat; i++) {
		int wrc = write_one(cl.format[i], i < cl.nfile ? cl.file[i] : NULL, &s, &ro, cl.color,
		                    trees, ntrees);
		if (wrc != SF_EXIT_OK) {
			rc = wrc;
			goto done_tf;
		}
	}
	if (cl.report && write_report_dir(cl.report, &s, &ro, trees, ntrees) < 0) {
		rc = SF_EXIT_INPUT;
		goto done_tf;
	}
	if (rc == SF_EXIT_OK)
		rc = sf_gate_exit(&gate, &s);
done_tf:
	sf_tflocate_free(&tf);
done_trees:
	sf_cli_free_trees(trees, ntrees);
done:
	sf_gate_free(&gate);
	sf_gate_baseline_free(&base);
	sf_scan_free(&s);
	sf_manifest_free(&own);
	free(stdin_buf);
	free(paths);
	return rc;
}
