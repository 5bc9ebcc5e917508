/* sharedfate graph: the dependency graph itself, for people (DOT, SVG,
 * PNG, PDF) and for other tools (GraphML for Gephi, yEd and Neo4j; JSON). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "analyzer/report/render.h"
#include "analyzer/report/report.h"
#include "analyzer/report/view.h"
#include "analyzer/scan.h"
#include "model/diag.h"
#include "model/files.h"

static void graph_usage(FILE *out)
{
	fprintf(out,
	        "usage: sharedfate graph [options] [PATH...]\n\n"
	        "Writes the dependency graph of the inputs under each PATH (default: .).\n\n"
	        "options:\n"
	        "  -f, --format FMT     svg (default), png, pdf, dot, graphml, or json\n"
	        "      --service NAME   only what the failover pairs of service NAME need\n"
	        "                       (json: always the whole graph)\n"
	        "  -o, --output FILE    write to FILE (never through a link; -: stdout)\n"
	        "      --rules DIR      also load the rule files (*.yaml) in DIR\n"
	        "      --keep-going     draw what could be imported despite bad inputs\n"
	        "  -h, --help           this help\n\n"
	        "Diagrams are drawn by sharedfate-render (beside sharedfate, or\n"
	        "$SHAREDFATE_RENDER) within $SHAREDFATE_RENDER_TIMEOUT seconds (default %d);\n"
	        "without it, or past the limit, the DOT source is written instead (exit 3).\n"
	        "An overview over %d nodes is collapsed by failure domain.\n",
	        SF_RENDER_TIMEOUT_DEFAULT, SF_VIEW_COLLAPSE);
}

/* The folders a pull request controls: outputs never go through a link there. */
static int write_out(const char *output, char **paths, size_t np, const char *data, size_t len)
{
	char *trees[64], err[256];
	size_t nt;
	int fd;

	if (!output || strcmp(output, "-") == 0)
		return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
	nt = sf_cli_scanned_trees((const char *const *)paths, np, trees,
	                          sizeof(trees) / sizeof(trees[0]));
	fd = sf_open_output(output, (const char *const *)trees, nt, 0, err, sizeof(err));
	sf_cli_free_trees(trees, nt);
	if (fd < 0) {
		fprintf(stderr, "sharedfate: cannot write %s: %s\n", output, err);
		return -1;
	}
	return sf_write_fd(fd, data, len);
}

int sf_cmd_graph(int argc, char **argv)
{
	static const char *const formats[] = { "svg", "png", "pdf", "dot", "graphml", "json", NULL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "service", required_argument, NULL, 's' },
		{ "rules", required_argument, NULL, 'R' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "svg", *output = NULL, *service = NULL;
	sf_scan_opts o;
	sf_scan s;
	sf_view v;
	int c, rc, have_view = 0;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	sf_cli_scan_defaults(&o, NULL, 0);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 's': service = optarg; break;
		case 'R': o.rules_dir = optarg; break;
		case 'k': o.keep_going = 1; break;
		case 'h':
			graph_usage(stdout);
			return SF_EXIT_OK;
		default:
			return sf_cli_option_error(c, argv, graph_usage);
		}
	}
	if (sf_cli_check_format(format, formats) != SF_EXIT_OK)
		return SF_EXIT_INPUT;
	o.paths = (const char *const *)(argv + optind);
	o.npaths = (size_t)(argc - optind);
	rc = sf_cli_scan(&s, &o);
	sf_diags_print(&s.diags, stderr);
	if (rc == SF_EXIT_INTERNAL || (rc == SF_EXIT_INPUT && !o.keep_going))
		goto done;
	if (service) {
		size_t i;
		for (i = 0; i < s.failover.npairs; i++)
			if (s.failover.pairs[i].service && strcmp(s.failover.pairs[i].service, service) == 0)
				break;
		if (i == s.failover.npairs) {
			char clean[256];
			sf_sanitize(clean, sizeof(clean), service, strlen(service));
			fprintf(stderr, "sharedfate: --service: no failover pair of service '%s'\n", clean);
			rc = SF_EXIT_INPUT;
			goto done;
		}
	}
	if (strcmp(format, "json") != 0) {
		if (sf_view_overview(&v, &s, service) < 0) {
			rc = SF_EXIT_INTERNAL;
			goto done;
		}
		have_view = 1;
	}
	if (!(mem = open_memstream(&text, &len))) {
		rc = SF_EXIT_INTERNAL;
		goto done;
	}
	{
		int wrc = strcmp(format, "json") == 0      ? sf_report_graph_json(mem, &s)
		          : strcmp(format, "graphml") == 0 ? sf_report_graphml(mem, &s, service ? &v : NULL)
		                                           : sf_report_dot_overview(mem, &v, "");
		if (fclose(mem) != 0 || wrc < 0) {
			fprintf(stderr, "sharedfate: out of memory writing the graph\n");
			rc = SF_EXIT_INTERNAL;
			goto done;
		}
	}
	if (!strcmp(format, "svg") || !strcmp(format, "png") || !strcmp(format, "pdf")) {
		char *drawn, err[512];
		size_t dlen;
		int r = sf_render(text, len, format, &drawn, &dlen, err, sizeof(err));
		if (r != SF_RENDER_OK) {
			fprintf(stderr, "sharedfate: cannot draw the %s: %s; writing DOT instead\n", format,
			        err);
			write_out(output, argv + optind, (size_t)(argc - optind), text, len);
			rc = SF_EXIT_INTERNAL;
			goto done;
		}
		free(text);
		text = drawn;
		len = dlen;
	}
	if (write_out(output, argv + optind, (size_t)(argc - optind), text, len) < 0) {
		fprintf(stderr, "sharedfate: error writing the graph\n");
		rc = SF_EXIT_INTERNAL;
		goto done;
	}
	if (rc != SF_EXIT_INPUT)
		rc = SF_EXIT_OK;
done:
	free(text);
	if (have_view)
		sf_view_free(&v);
	sf_scan_free(&s);
	return rc;
}
