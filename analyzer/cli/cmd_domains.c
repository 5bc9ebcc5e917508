/* sharedfate domains: the blast-radius table. Every failure domain with
 * the services whose both sides, whose primary only, or whose standby
 * only its failure takes down; most services losing both sides first. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "analyzer/domains.h"
#include "analyzer/scan.h"
#include "model/diag.h"
#include "model/jsonw.h"

static void domains_usage(FILE *out)
{
	fprintf(out,
	        "usage: sharedfate domains [options] [PATH...]\n\n"
	        "Lists every failure domain (region, availability zone, account, identity\n"
	        "provider, secret store, KMS key, certificate authority, DNS provider, load\n"
	        "balancer) with the services whose both sides, primary only or standby only\n"
	        "its failure alone takes down; most services losing both sides first.\n\n"
	        "  -f, --format FMT     text (default) or json (sharedfate/domains/v1)\n"
	        "  -h, --help           this help\n");
}

static void put(FILE *out, const char *s)
{
	char clean[2048];
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	fputs(clean, out);
}

static void list_line(FILE *out, const char *label, const sf_pair *const *ps, size_t n)
{
	if (!n)
		return;
	fprintf(out, "    %-9s", label);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : " ", out);
		put(out, ps[i]->service);
	}
	fputc('\n', out);
}

static int write_text(FILE *out, sf_graph *g, const sf_domains *d)
{
	for (size_t i = 0; i < d->count; i++) {
		const sf_domain *x = &d->items[i];
		const sf_node *n = sf_graph_node_at(g, x->node);
		put(out, sf_graph_node_key(g, n));
		fprintf(out, " (%s%s): %zu %s both sides, %zu the primary only, %zu the standby only\n",
		        sf_kind_get(n->kind)->name, x->control ? ", control plane" : "", x->nboth,
		        x->control ? "cannot recover" : "lose", x->nprimary, x->nstandby);
		list_line(out, "both:", x->both, x->nboth);
		list_line(out, "primary:", x->primary, x->nprimary);
		list_line(out, "standby:", x->standby, x->nstandby);
	}
	fprintf(out, "%s%zu failure domain%s\n", d->count ? "\n" : "", d->count, d->count == 1 ? "" : "s");
	return ferror(out) ? -1 : 0;
}

static json_t *services(const sf_pair *const *ps, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(ps[i]->service));
	return a;
}

static int write_json(FILE *out, sf_graph *g, const sf_domains *d)
{
	json_t *root = json_object(), *items = json_array();
	json_object_set_new(root, "schema", json_string("sharedfate/domains/v1"));
	for (size_t i = 0; i < d->count; i++) {
		const sf_domain *x = &d->items[i];
		const sf_node *n = sf_graph_node_at(g, x->node);
		json_t *o = json_object();
		json_object_set_new(o, "domain", json_string(sf_graph_node_key(g, n)));
		json_object_set_new(o, "kind", json_string(sf_kind_get(n->kind)->name));
		json_object_set_new(o, "plane", json_string(x->control ? "control" : "data"));
		json_object_set_new(o, "lose_both", services(x->both, x->nboth));
		json_object_set_new(o, "lose_primary", services(x->primary, x->nprimary));
		json_object_set_new(o, "lose_standby", services(x->standby, x->nstandby));
		json_array_append_new(items, o);
	}
	json_object_set_new(root, "domains", items);
	return sf_json_write(out, root);
}

int sf_cmd_domains(int argc, char **argv)
{
	static const char *const text_json[] = { "text", "json", NULL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text";
	sf_scan_opts o;
	sf_scan s;
	sf_domains d;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'h':
			domains_usage(stdout);
			return SF_EXIT_OK;
		default:
			return sf_cli_option_error(c, argv, domains_usage);
		}
	}
	if (sf_cli_check_format(format, text_json) != SF_EXIT_OK)
		return SF_EXIT_INPUT;
	sf_cli_scan_defaults(&o, argv + optind, (size_t)(argc - optind));
	rc = sf_cli_scan(&s, &o);
	if (rc == SF_EXIT_OK && sf_domains_build(s.graph, &s.failover, &d) < 0)
		rc = SF_EXIT_INTERNAL;
	else if (rc == SF_EXIT_OK) {
		if (d.truncated)
			sf_diag_warn(&s.diags, NULL, 0, "%zu pair%s stopped at the work budget: their blast "
			             "radius may be incomplete", d.truncated, d.truncated == 1 ? "" : "s");
		if ((strcmp(format, "json") == 0 ? write_json(stdout, s.graph, &d)
		                                 : write_text(stdout, s.graph, &d)) < 0 ||
		    fflush(stdout) != 0) {
			fprintf(stderr, "sharedfate: error writing the report\n");
			rc = SF_EXIT_INTERNAL;
		}
		sf_domains_free(&d);
	}
	sf_diags_print(&s.diags, stderr);
	sf_scan_free(&s);
	return rc;
}
