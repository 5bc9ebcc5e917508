#include "stats.h"

#include <stdlib.h>

static unsigned long long counters[SF_STAT__COUNT];

static const char *const names[SF_STAT__COUNT] = {
	[SF_STAT_DEP_PROBES] = "dependency_probes",
	[SF_STAT_POLICY_PARSES] = "policy_parses",
	[SF_STAT_MANIFEST_PARSES] = "manifest_parses",
	[SF_STAT_YAML_KEY_PROBES] = "yaml_key_probes",
	[SF_STAT_DISCOVER_COMPARES] = "discover_compares",
	[SF_STAT_MESSAGE_BYTES] = "message_bytes",
	[SF_STAT_TF_SPANS] = "tfstate_spans",
	[SF_STAT_TF_STRIPPED] = "tfstate_spans_stripped",
	[SF_STAT_TF_KEPT_DECODES] = "tfstate_kept_decodes",
	[SF_STAT_DEFERRED_ASKS] = "deferred_asks",
	[SF_STAT_TFLOCATE_ENTRIES] = "tflocate_entries",
	[SF_STAT_GRAPH_NODES] = "graph_nodes",
	[SF_STAT_GRAPH_EDGES] = "graph_edges",
	[SF_STAT_GRAPH_STRINGS] = "graph_strings",
	[SF_STAT_GRAPH_STRING_BYTES] = "graph_string_bytes",
	[SF_STAT_GRAPH_BYTES] = "graph_bytes",
	[SF_STAT_GRAPH_BYTES_NODES] = "graph_bytes_nodes",
	[SF_STAT_GRAPH_BYTES_EDGES] = "graph_bytes_edges",
	[SF_STAT_GRAPH_BYTES_STRTAB] = "graph_bytes_strtab",
	[SF_STAT_GRAPH_BYTES_DEDUP] = "graph_bytes_dedup",
	[SF_STAT_GRAPH_BYTES_ADJ] = "graph_bytes_adjacency",
	[SF_STAT_GRAPH_BYTES_ATTRS] = "graph_bytes_attrs",
};

void sf_stat_add(sf_stat which, unsigned long long n)
{
	if ((unsigned)which < SF_STAT__COUNT)
		counters[which] += n;
}

void sf_stat_set(sf_stat which, unsigned long long n)
{
	if ((unsigned)which < SF_STAT__COUNT)
		counters[which] = n;
}

unsigned long long sf_stat_get(sf_stat which)
{
	return (unsigned)which < SF_STAT__COUNT ? counters[which] : 0;
}

void sf_stats_print(FILE *out)
{
	const char *e = getenv("SHAREDFATE_STATS");
	if (!e || !e[0])
		return;
	for (int i = 0; i < SF_STAT__COUNT; i++)
		fprintf(out, "sharedfate: stat: %s %llu\n", names[i], counters[i]);
}
