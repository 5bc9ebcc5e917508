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
};

void sf_stat_add(sf_stat which, unsigned long long n)
{
	if ((unsigned)which < SF_STAT__COUNT)
		counters[which] += n;
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
