#include "graph_igraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static char last_error[256];

/* igraph calls the handler several times while it unwinds (IGRAPH_CHECK
 * re-raises with an empty reason): keep the first real reason, free what
 * igraph registered, and return. Never abort, never longjmp. */
static void on_error(const char *reason, const char *file, int line, igraph_error_t code)
{
	(void)file;
	(void)line;
	if (!last_error[0] && reason && reason[0])
		snprintf(last_error, sizeof(last_error), "%s (%s)", reason, igraph_strerror(code));
	IGRAPH_FINALLY_FREE();
}

static void on_warning(const char *reason, const char *file, int line)
{
	(void)reason;
	(void)file;
	(void)line;
}

void sf_igraph_init(void)
{
	static int done;
	if (done)
		return;
	igraph_set_error_handler(on_error);
	igraph_set_warning_handler(on_warning);
	done = 1;
}

const char *sf_igraph_last_error(void)
{
	return last_error;
}

int sf_igraph_export(sf_graph *g, sf_plane plane, igraph_t *out)
{
	size_t n = sf_graph_node_count(g), m = sf_graph_edge_count(g), k = 0;
	igraph_vector_int_t edges;
	igraph_error_t rc;

	sf_igraph_init();
	last_error[0] = '\0';
	if (igraph_vector_int_init(&edges, (igraph_integer_t)(2 * m)) != IGRAPH_SUCCESS)
		return -1;
	for (size_t i = 0; i < m; i++) {
		const sf_edge *e = sf_graph_edge_at(g, i);
		if (plane != SF_PLANE_NONE && !sf_edge_propagates(e->kind, plane))
			continue;
		VECTOR(edges)[k++] = (igraph_integer_t)e->from;
		VECTOR(edges)[k++] = (igraph_integer_t)e->to;
	}
	if (igraph_vector_int_resize(&edges, (igraph_integer_t)k) != IGRAPH_SUCCESS) {
		igraph_vector_int_destroy(&edges);
		return -1;
	}
	rc = igraph_create(out, &edges, (igraph_integer_t)n, IGRAPH_DIRECTED);
	igraph_vector_int_destroy(&edges);
	return rc == IGRAPH_SUCCESS ? 0 : -1;
}

long sf_igraph_cycles(sf_graph *g, sf_plane plane, long **membership)
{
	igraph_t ig;
	igraph_vector_int_t memb, csize;
	igraph_integer_t ncomp;
	size_t n = sf_graph_node_count(g);
	long cycles = 0, *out = NULL, *renum = NULL;

	*membership = NULL;
	if (sf_igraph_export(g, plane, &ig) < 0)
		return -1;
	if (igraph_vector_int_init(&memb, 0) != IGRAPH_SUCCESS) {
		igraph_destroy(&ig);
		return -1;
	}
	if (igraph_vector_int_init(&csize, 0) != IGRAPH_SUCCESS) {
		igraph_vector_int_destroy(&memb);
		igraph_destroy(&ig);
		return -1;
	}
	if (igraph_connected_components(&ig, &memb, &csize, &ncomp, IGRAPH_STRONG) != IGRAPH_SUCCESS)
		goto cleanup;
	out = malloc((n ? n : 1) * sizeof(*out));
	renum = malloc(((size_t)ncomp ? (size_t)ncomp : 1) * sizeof(*renum));
	if (!out || !renum) {
		free(out);
		out = NULL;
		goto cleanup;
	}
	/* Number the cycles in order of their first node, so the numbering is
	 * the same whatever igraph's internal order. */
	for (igraph_integer_t c = 0; c < ncomp; c++)
		renum[c] = -1;
	for (size_t v = 0; v < n; v++) {
		igraph_integer_t c = VECTOR(memb)[v];
		if (VECTOR(csize)[c] < 2) {
			out[v] = -1;
			continue;
		}
		if (renum[c] < 0)
			renum[c] = cycles++;
		out[v] = renum[c];
	}
	*membership = out;
cleanup:
	free(renum);
	igraph_vector_int_destroy(&memb);
	igraph_vector_int_destroy(&csize);
	igraph_destroy(&ig);
	return *membership ? cycles : -1;
}
