#include "scan.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "link.h"
#include "importers/importer.h"
#include "model/buf.h"

int sf_scan_init(sf_scan *s)
{
	memset(s, 0, sizeof(*s));
	sf_failover_init(&s->failover);
	sf_ruleset_init(&s->rules);
	sf_findings_init(&s->findings);
	sf_diags_init(&s->diags);
	return sf_graph_new(&s->graph);
}

void sf_scan_free(sf_scan *s)
{
	sf_findings_free(&s->findings);
	sf_failover_free(&s->failover);
	sf_ruleset_free(&s->rules);
	sf_inputs_free(&s->inputs);
	sf_diags_free(&s->diags);
	sf_deferred_free(s->deferred);
	sf_graph_free(s->graph);
	memset(s, 0, sizeof(*s));
}

static int import_one(sf_scan *s, sf_input *in, const sf_scan_opts *o)
{
	sf_import_ctx ctx;
	char err[256], stdin_real[4200];
	sf_file_data file = { NULL, 0, 0 };
	size_t len = 0, before = sf_graph_node_count(s->graph);
	int rc, fd = -1;

	if (in->realpath && in->importer->import_fd) {
		/* the importer reads the file itself, without holding it whole */
		if (sf_open_input(in->realpath, SF_INPUT_MAX, &fd, &len, err, sizeof(err)) < 0) {
			sf_diag_error(&s->diags, in->path, 0, "%s", err);
			return 0;
		}
	} else if (!in->realpath && o->stdin_data) {
		/* <stdin>: a copy, as importers may keep pointers into nothing */
		char *copy = malloc(o->stdin_len + 1);
		if (!copy)
			return -1;
		memcpy(copy, o->stdin_data, o->stdin_len);
		copy[o->stdin_len] = '\0';
		file.data = copy;
		file.len = o->stdin_len;
	} else if (sf_load_file(in->realpath, SF_INPUT_MAX, &file, err, sizeof(err)) < 0) {
		sf_diag_error(&s->diags, in->path, 0, "%s", err);
		return 0;
	}
	if (file.data)
		len = file.len;
	memset(&ctx, 0, sizeof(ctx));
	ctx.graph = s->graph;
	ctx.failover = &s->failover;
	ctx.diags = &s->diags;
	ctx.root = in->root;
	ctx.path = in->path;
	/* <stdin> sits in the working directory, for what it includes */
	snprintf(stdin_real, sizeof(stdin_real), "%s/<stdin>", in->root ? in->root : ".");
	ctx.realpath = in->realpath ? in->realpath : stdin_real;
	ctx.keep_going = o->keep_going;
	ctx.strict_zones = o->strict_zones;
	ctx.zone_max_records = o->zone_max_records;
	ctx.zone_max_generated = o->zone_max_generated;
	ctx.deferred = o->defer_nodes ? &s->deferred : NULL;
	rc = fd >= 0 ? in->importer->import_fd(&ctx, fd, len) : in->importer->import(&ctx, file.data, len);
	sf_unload_file(&file);
	if (fd >= 0)
		close(fd);
	/* the nodes this file added to what earlier files had made */
	in->nodes = sf_graph_node_count(s->graph) - before;
	if (rc < 0 && sf_diags_errors_for(&s->diags, in->path) == 0)
		sf_diag_error(&s->diags, in->path, 0, "could not be imported");
	return 0;
}

typedef struct included {
	char **paths;               /* included file */
	size_t *by;                 /* index of the including input */
	size_t n, cap;
	size_t current;
} included;

static void note_included(const char *real, void *payload)
{
	included *inc = payload;
	char *c;
	if (inc->n == inc->cap) {
		size_t cap = inc->cap ? inc->cap * 2 : 16;
		char **p = realloc(inc->paths, cap * sizeof(*p));
		size_t *b;
		if (!p)
			return;
		inc->paths = p;
		if (!(b = realloc(inc->by, cap * sizeof(*b))))
			return;
		inc->by = b;
		inc->cap = cap;
	}
	if ((c = strdup(real))) {
		inc->paths[inc->n] = c;
		inc->by[inc->n++] = inc->current;
	}
}

/* Does input `x` include the file `real`? */
static int includes_file(const included *inc, size_t x, const char *real)
{
	for (size_t k = 0; k < inc->n; k++)
		if (inc->by[k] == x && strcmp(inc->paths[k], real) == 0)
			return 1;
	return 0;
}

/* Files another input pulls in (a zone's $INCLUDE fragments) are imported
 * through it, not also on their own with a guessed origin; unless the user
 * named the file itself. */
static void skip_included(sf_scan *s)
{
	included inc = { NULL, NULL, 0, 0, 0 };
	unsigned char *drop;
	size_t w = 0;

	/* One input has no other to be included by: no need to read it for
	 * its includes before the import reads it (a large zone's text,
	 * mapped and lexed once more). */
	if (s->inputs.count < 2)
		return;
	for (size_t i = 0; i < s->inputs.count; i++) {
		sf_input *in = &s->inputs.items[i];
		sf_import_ctx ctx;
		char err[256];
		sf_file_data f;
		if (!in->importer->includes || !in->realpath ||
		    sf_load_file(in->realpath, SF_INPUT_MAX, &f, err, sizeof(err)) < 0)
			continue;
		memset(&ctx, 0, sizeof(ctx));
		ctx.root = in->root;
		ctx.path = in->path;
		ctx.realpath = in->realpath;
		inc.current = i;
		in->importer->includes(&ctx, f.data, f.len, note_included, &inc);
		sf_unload_file(&f);
	}
	drop = calloc(s->inputs.count ? s->inputs.count : 1, 1);
	for (size_t i = 0; drop && i < s->inputs.count; i++) {
		const sf_input *in = &s->inputs.items[i];
		/* Included by another input, which it does not include in turn (a
		 * cycle is the importer's to report, from both ends). */
		for (size_t k = 0; in->realpath && k < inc.n && !drop[i] && !in->explicit_file; k++)
			drop[i] = inc.by[k] != i && strcmp(inc.paths[k], in->realpath) == 0 &&
			          !includes_file(&inc, i, s->inputs.items[inc.by[k]].realpath);
	}
	for (size_t i = 0; drop && i < s->inputs.count; i++) {
		sf_input *in = &s->inputs.items[i];
		if (drop[i]) {
			free(in->path);
			free(in->realpath);
			free(in->root);
			continue;
		}
		s->inputs.items[w++] = *in;
	}
	if (drop)
		s->inputs.count = w;
	free(drop);
	for (size_t k = 0; k < inc.n; k++)
		free(inc.paths[k]);
	free(inc.paths);
	free(inc.by);
}

/* <stdin> as one more input: sniffed like a file, with no real path; its
 * "tree" (for $INCLUDE and the like) is the working directory. */
static int add_stdin(sf_scan *s, const sf_scan_opts *o)
{
	char head[SF_SNIFF_BYTES + 1];
	size_t n = o->stdin_len < SF_SNIFF_BYTES ? o->stdin_len : SF_SNIFF_BYTES;
	const sf_importer *best = NULL;
	int best_score = 0;
	sf_input *in;

	memcpy(head, o->stdin_data, n);
	head[n] = '\0';
	for (size_t i = 0; sf_importers[i]; i++) {
		int sc = sf_importers[i]->sniff("<stdin>", head, n);
		if (sc > best_score) {
			best_score = sc;
			best = sf_importers[i];
		}
	}
	if (!best) {
		sf_diag_error(&s->diags, "<stdin>", 0,
		              "not a format sharedfate reads (Terraform state or show -json, a zone, "
		              "Route 53 record sets)");
		return 0;
	}
	if (s->inputs.count == s->inputs.cap) {
		size_t cap = s->inputs.cap ? s->inputs.cap * 2 : 4;
		sf_input *p = realloc(s->inputs.items, cap * sizeof(*p));
		if (!p)
			return -1;
		s->inputs.items = p;
		s->inputs.cap = cap;
	}
	in = &s->inputs.items[s->inputs.count];
	memset(in, 0, sizeof(*in));
	in->path = strdup("<stdin>");
	in->root = realpath(".", NULL);
	in->importer = best;
	in->explicit_file = 1;
	if (!in->path || !in->root) {
		free(in->path);
		free(in->root);
		return -1;
	}
	s->inputs.count++;
	return 0;
}

typedef struct generation {
	size_t input;
	char lineage[128];
	long long serial;
	int backup;                 /* *.tfstate.backup */
	int known;                  /* lineage and serial read */
} generation;

static int is_backup(const char *path)
{
	size_t n = strlen(path);
	return n > 7 && strcmp(path + n - 7, ".backup") == 0;
}

/* Lineage first; in one lineage the copy to keep first: highest serial, a
 * state before its backup, then path order. */
static int cmp_generation(const void *a, const void *b)
{
	const generation *x = a, *y = b;
	int c;
	if (x->known != y->known)
		return x->known ? -1 : 1;
	if ((c = strcmp(x->lineage, y->lineage)))
		return c;
	if (x->serial != y->serial)
		return x->serial > y->serial ? -1 : 1;
	if (x->backup != y->backup)
		return x->backup - y->backup;
	return (x->input > y->input) - (x->input < y->input);
}

static int cmp_input_path(const void *a, const void *b)
{
	return strcmp((*(const sf_input *const *)a)->path, (*(const sf_input *const *)b)->path);
}

/* The input shown as path[0..len), by binary search in `by_path`. */
static const sf_input *input_by_path(const sf_input *const *by_path, size_t n, const char *path,
                                     size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(by_path[mid]->path, path, len);
		if (c == 0 && by_path[mid]->path[len] != '\0')
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else if (c > 0)
			hi = mid;
		else
			return by_path[mid];
	}
	return NULL;
}

/* Older copies of a state are not imported: Terraform's backup beside its
 * state, and any state whose lineage another input holds at a higher
 * serial (a copy kept "just in case"). Importing them too would put an
 * instance in its old and its new place at once. Each is named in a
 * warning. */
static void skip_generations(sf_scan *s)
{
	generation *gen;
	unsigned char *drop;
	const sf_input **by_path;
	size_t ng = 0, w = 0;

	for (size_t i = 0; i < s->inputs.count; i++)
		ng += s->inputs.items[i].importer == &sf_importer_tfstate;
	if (ng < 2)
		return;         /* one state cannot have an older copy here */
	gen = calloc(ng, sizeof(*gen));
	drop = calloc(s->inputs.count, 1);
	by_path = malloc(s->inputs.count * sizeof(*by_path));
	if (!gen || !drop || !by_path) {
		free(gen);
		free(drop);
		free(by_path);
		return;
	}
	for (size_t i = 0; i < s->inputs.count; i++)
		by_path[i] = &s->inputs.items[i];
	sf_sort(by_path, s->inputs.count, sizeof(*by_path), cmp_input_path);
	ng = 0;
	for (size_t i = 0; i < s->inputs.count; i++) {
		sf_input *in = &s->inputs.items[i];
		char err[256];
		size_t len;
		int fd;
		if (in->importer != &sf_importer_tfstate)
			continue;
		gen[ng].input = i;
		gen[ng].backup = is_backup(in->path);
		if (sf_open_input(in->realpath, SF_INPUT_MAX, &fd, &len, err, sizeof(err)) == 0) {
			gen[ng].known = sf_tfstate_generation_fd(fd, len, gen[ng].lineage,
			                                         sizeof(gen[ng].lineage), &gen[ng].serial) == 0;
			close(fd);
		}
		ng++;
	}
	sf_sort(gen, ng, sizeof(*gen), cmp_generation);
	for (size_t i = 0; i < ng; i++) {
		const generation *g = &gen[i];
		const sf_input *in = &s->inputs.items[g->input];
		const sf_input *state = g->backup && !in->explicit_file ?
		                        input_by_path(by_path, s->inputs.count, in->path,
		                                      strlen(in->path) - 7) : NULL;
		size_t first = i;
		/* gen[first] is the newest of this lineage */
		while (g->known && first > 0 && gen[first - 1].known &&
		       strcmp(gen[first - 1].lineage, g->lineage) == 0)
			first--;
		if (state) {
			sf_diag_warn(&s->diags, in->path, 0,
			             "Terraform's backup of %s (the state before its last change); not imported",
			             state->path);
			drop[g->input] = 1;
		} else if (first < i && gen[first].serial > g->serial && !in->explicit_file) {
			sf_diag_warn(&s->diags, in->path, 0,
			             "an older copy of the state in %s (same lineage, serial %lld below "
			             "%lld); not imported", s->inputs.items[gen[first].input].path,
			             g->serial, gen[first].serial);
			drop[g->input] = 1;
		}
	}
	for (size_t i = 0; i < s->inputs.count; i++) {
		sf_input *in = &s->inputs.items[i];
		if (drop[i]) {
			free(in->path);
			free(in->realpath);
			free(in->root);
			continue;
		}
		s->inputs.items[w++] = *in;
	}
	s->inputs.count = w;
	free(by_path);
	free(drop);
	free(gen);
}

int sf_scan_run(sf_scan *s, const sf_scan_opts *o)
{
	sf_analyze_opts ao;
	static const char *const dot[] = { "." };
	const char *const *paths = o->npaths ? o->paths : dot;
	size_t npaths = o->npaths ? o->npaths : 1;
	size_t input_errors;

	if (sf_rules_load_builtin(&s->rules, &s->diags) < 0)
		return SF_EXIT_INTERNAL;
	if (o->rules_dir && sf_rules_load_dir(&s->rules, o->rules_dir, &s->diags) < 0)
		return SF_EXIT_INPUT;
	if ((o->npaths || !o->stdin_data) &&
	    sf_discover(paths, npaths, &s->inputs, &s->diags) < 0)
		return SF_EXIT_INTERNAL;
	skip_included(s);
	skip_generations(s);
	if (o->stdin_data && add_stdin(s, o) < 0)
		return SF_EXIT_INTERNAL;
	if (s->inputs.count == 0 && s->diags.errors == 0)
		sf_diag_warn(&s->diags, NULL, 0, "no inputs found");
	for (size_t i = 0; i < s->inputs.count; i++)
		import_one(s, &s->inputs.items[i], o);
	input_errors = s->diags.errors;
	if (input_errors && !o->keep_going)
		return SF_EXIT_INPUT;
	if (sf_deferred_resolve(s->deferred, s->graph, &s->failover) < 0) {
		s->deferred = NULL;
		return SF_EXIT_INTERNAL;
	}
	s->deferred = NULL;
	if (sf_link(s->graph, &s->diags) < 0 || sf_failover_settle(&s->failover, s->graph) < 0)
		return SF_EXIT_INTERNAL;
	/* every input is read: the graph grows little from here on */
	sf_graph_fit(s->graph);
	if (sf_failover_build(&s->failover, s->graph) < 0)
		return SF_EXIT_INTERNAL;
	ao.ttl_threshold = o->ttl_threshold >= 0 ? o->ttl_threshold : 60;
	if (sf_analyze(s->graph, &s->failover, &s->rules, &ao, &s->findings, &s->diags) < 0)
		return SF_EXIT_INTERNAL;
	sf_findings_finish(&s->findings, s->graph);
	return input_errors ? SF_EXIT_INPUT : SF_EXIT_OK;
}
