/* Work counters for the hostile-input tests: how many probes, parses and
 * comparisons a run made, so a test can assert a work bound that does not
 * depend on the machine's speed. Printed to standard error only when the
 * environment variable SHAREDFATE_STATS is set; never part of any report. */
#ifndef SF_STATS_H
#define SF_STATS_H

#include <stdio.h>

typedef enum sf_stat {
	SF_STAT_DEP_PROBES,         /* tfstate: instances looked at per `dependencies` entry */
	SF_STAT_POLICY_PARSES,      /* tfstate: managed IAM policies parsed for their attachments */
	SF_STAT_MANIFEST_PARSES,    /* sharedfate.yaml files parsed */
	SF_STAT_YAML_KEY_PROBES,    /* YAML: duplicate-key hash probes */
	SF_STAT_DISCOVER_COMPARES,  /* discovery: path comparisons while removing duplicates */
	SF_STAT_MESSAGE_BYTES,      /* rules: bytes of finding messages expanded */
	SF_STAT_TF_SPANS,           /* tfstate: resources decoded one at a time (not the whole file) */
	SF_STAT_TF_STRIPPED,        /* of those, decoded without their attributes (tf_check.h) */
	SF_STAT_TF_KEPT_DECODES,    /* tfstate: kept attribute values decoded (tf_inst_attr) */
	SF_STAT_DEFERRED_ASKS,      /* deferred sources (zones) asked about a key, and names checked
	                             * against the graph when a zone is handed over */
	SF_STAT_TFLOCATE_ENTRIES,   /* directory entries looked at for .tf sources (SARIF only) */
	/* the run's graph: its size, and the most memory it held at once
	 * (arrays at their capacity and arena blocks), strings apart from
	 * the rest, and the rest by structure at that moment */
	SF_STAT_GRAPH_NODES,
	SF_STAT_GRAPH_EDGES,
	SF_STAT_GRAPH_STRINGS,
	SF_STAT_GRAPH_STRING_BYTES, /* the strings' own bytes, NUL included */
	SF_STAT_GRAPH_BYTES,        /* everything else: the sum of the six below */
	SF_STAT_GRAPH_BYTES_NODES,
	SF_STAT_GRAPH_BYTES_EDGES,
	SF_STAT_GRAPH_BYTES_STRTAB, /* string numbers, their index, aliases, paths */
	SF_STAT_GRAPH_BYTES_DEDUP,  /* what finds duplicate edges */
	SF_STAT_GRAPH_BYTES_ADJ,    /* adjacency and key order, with their scratch */
	SF_STAT_GRAPH_BYTES_ATTRS,  /* attributes, and arena bytes that are not strings */
	SF_STAT__COUNT
} sf_stat;

void sf_stat_add(sf_stat which, unsigned long long n);
unsigned long long sf_stat_get(sf_stat which);
/* Overwrite a counter: for sizes, which are states, not sums. */
void sf_stat_set(sf_stat which, unsigned long long n);

/* "sharedfate: stat: NAME N" lines, when SHAREDFATE_STATS is set. */
void sf_stats_print(FILE *out);

#endif
