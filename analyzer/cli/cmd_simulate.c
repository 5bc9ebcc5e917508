/* sharedfate simulate: fail nodes by key or selector and say, for every
 * service, whether it still serves, through which side, or why not. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "analyzer/scan.h"
#include "analyzer/simulate.h"
#include "model/diag.h"
#include "model/jsonw.h"

/* --fail given more often than this is refused: a game day fails a few
 * domains, not a list. */
#define MAX_FAIL 256

static void simulate_usage(FILE *out)
{
	fprintf(out,
	        "usage: sharedfate simulate --fail KEY|SELECTOR [--fail ...] [options] [PATH...]\n\n"
	        "Fails the nodes named and says, for every failover service, whether it still\n"
	        "serves, through which side, or why it is down.\n\n"
	        "  --fail KEY           a node key: region:aws/us-east-1, aws_kms_key.app,\n"
	        "                       idp:https://example.okta.com\n"
	        "  --fail NAME=VALUE    a selector: region=us-east-1, account=111122223333,\n"
	        "                       az=us-east-1a, category=identity, kind=kms_key, or any\n"
	        "                       node attribute (type=A)\n"
	        "  -f, --format FMT     text (default) or json (sharedfate/simulation/v1)\n"
	        "  -h, --help           this help\n\n"
	        "serves: the primary serves and can be recovered; degraded: it serves through\n"
	        "a standby, or what serves cannot be recovered (control plane); down: nothing\n"
	        "serves. Exit codes: 0 nothing down, 1 a service is down, 2 usage or input\n"
	        "error, 3 internal error.\n");
}

static void put(FILE *out, const char *s)
{
	char clean[2048];
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	fputs(clean, out);
}

static const char *key(sf_graph *g, sf_node_id id)
{
	return sf_graph_key(g, id);
}

static const char *plane_word(sf_plane p)
{
	return p == SF_PLANE_CONTROL ? "control" : "data";
}

static int write_text(FILE *out, sf_graph *g, const sf_simulation *sim)
{
	size_t counts[3] = { 0, 0, 0 };
	fputs("failed:", out);
	for (size_t i = 0; i < sim->nfailed; i++) {
		fputs(i ? ", " : " ", out);
		put(out, key(g, sim->failed[i]));
	}
	fputs("\n\n", out);
	for (size_t i = 0; i < sim->nservices; i++) {
		const sf_service_fate *s = &sim->services[i];
		counts[s->outcome]++;
		put(out, s->pair->service);
		fprintf(out, ": %s", sf_outcome_name(s->outcome));
		if (s->serving) {
			fprintf(out, ", serving through the %s ", s->serving == s->pair->primary ? "primary" : "standby");
			put(out, key(g, s->serving->root));
		}
		fputc('\n', out);
		for (size_t k = 0; k < s->nbecause; k++) {
			const sf_because *b = &s->because[k];
			const char *what = b->plane == SF_PLANE_CONTROL ? "cannot be recovered" : "is down";
			if (strcmp(b->side, "name") == 0)
				what = "no longer answers: its zone is down";
			fprintf(out, "    %s %s", strcmp(b->side, "name") == 0 ? "the name" : b->side, what);
			for (size_t j = 0; j < b->n; j++) {
				fputs(j ? " -> " : ": ", out);
				put(out, key(g, b->path[j]));
			}
			fputc('\n', out);
		}
	}
	fprintf(out, "%s%zu service%s: %zu serve%s, %zu degraded, %zu down\n", sim->nservices ? "\n" : "",
	        sim->nservices, sim->nservices == 1 ? "" : "s", counts[SF_OUTCOME_SERVES],
	        counts[SF_OUTCOME_SERVES] == 1 ? "s" : "", counts[SF_OUTCOME_DEGRADED],
	        counts[SF_OUTCOME_DOWN]);
	return ferror(out) ? -1 : 0;
}

static int write_json(FILE *out, sf_graph *g, const sf_simulation *sim)
{
	json_t *root = json_object(), *failed = json_array(), *services = json_array();
	json_object_set_new(root, "schema", json_string("sharedfate/simulation/v1"));
	for (size_t i = 0; i < sim->nfailed; i++)
		json_array_append_new(failed, json_string(key(g, sim->failed[i])));
	json_object_set_new(root, "failed", failed);
	for (size_t i = 0; i < sim->nservices; i++) {
		const sf_service_fate *s = &sim->services[i];
		json_t *o = json_object(), *because = json_array();
		json_object_set_new(o, "service", json_string(s->pair->service));
		json_object_set_new(o, "name", json_string(s->pair->name));
		json_object_set_new(o, "outcome", json_string(sf_outcome_name(s->outcome)));
		json_object_set_new(o, "serving", !s->serving ? json_null()
		                                  : json_string(s->serving == s->pair->primary ? "primary"
		                                                                                : "standby"));
		for (size_t k = 0; k < s->nbecause; k++) {
			json_t *b = json_object(), *path = json_array();
			json_object_set_new(b, "side", json_string(s->because[k].side));
			json_object_set_new(b, "plane", json_string(plane_word(s->because[k].plane)));
			for (size_t j = 0; j < s->because[k].n; j++)
				json_array_append_new(path, json_string(key(g, s->because[k].path[j])));
			json_object_set_new(b, "path", path);
			json_array_append_new(because, b);
		}
		json_object_set_new(o, "because", because);
		json_array_append_new(services, o);
	}
	json_object_set_new(root, "services", services);
	return sf_json_write(out, root);
}

int sf_cmd_simulate(int argc, char **argv)
{
	static const char *const text_json[] = { "text", "json", NULL };
	static const struct option longopts[] = {
		{ "fail", required_argument, NULL, 'x' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *specs[MAX_FAIL];
	size_t nspecs = 0, nsel = 0;
	sf_node_id *sel = NULL;
	sf_scan_opts o;
	sf_scan s;
	sf_simulation sim;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			if (nspecs == MAX_FAIL) {
				fprintf(stderr, "sharedfate: --fail: at most %d\n", MAX_FAIL);
				return SF_EXIT_INPUT;
			}
			specs[nspecs++] = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'h':
			simulate_usage(stdout);
			return SF_EXIT_OK;
		default:
			return sf_cli_option_error(c, argv, simulate_usage);
		}
	}
	if (sf_cli_check_format(format, text_json) != SF_EXIT_OK)
		return SF_EXIT_INPUT;
	if (nspecs == 0) {
		fprintf(stderr, "sharedfate: simulate: say what fails with --fail KEY or --fail NAME=VALUE\n");
		return SF_EXIT_INPUT;
	}
	sf_cli_scan_defaults(&o, argv + optind, (size_t)(argc - optind));
	rc = sf_cli_scan(&s, &o);
	sf_diags_print(&s.diags, stderr);
	if (rc != SF_EXIT_OK)
		goto done;
	for (size_t i = 0; i < nspecs; i++) {
		long m = sf_simulate_select(s.graph, specs[i], &sel, &nsel);
		char clean[512];
		if (m < 0 && m != -2) {
			rc = SF_EXIT_INTERNAL;
			goto done;
		}
		if (m > 0)
			continue;
		sf_sanitize(clean, sizeof(clean), specs[i], strlen(specs[i]));
		fprintf(stderr, m == -2 ? "sharedfate: --fail %s: no node has this key, and it is no "
		                          "selector (region=, account=, az=, category=, kind=, or an "
		                          "attribute)\n"
		                        : "sharedfate: --fail %s: no node matches\n", clean);
		rc = SF_EXIT_INPUT;
		goto done;
	}
	if (sf_simulate_run(s.graph, &s.failover, sel, nsel, &sim) < 0) {
		rc = SF_EXIT_INTERNAL;
		goto done;
	}
	if ((strcmp(format, "json") == 0 ? write_json(stdout, s.graph, &sim)
	                                 : write_text(stdout, s.graph, &sim)) < 0 ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "sharedfate: error writing the report\n");
		rc = SF_EXIT_INTERNAL;
	} else {
		for (size_t i = 0; i < sim.nservices; i++)
			if (sim.services[i].outcome == SF_OUTCOME_DOWN)
				rc = SF_EXIT_FINDINGS;
	}
	sf_simulation_free(&sim);
done:
	free(sel);
	sf_scan_free(&s);
	return rc;
}
