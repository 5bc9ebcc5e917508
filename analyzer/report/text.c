#include "report.h"

#include <string.h>

#include "model/diag.h"

/* Everything from the input is sanitised before it reaches a terminal. */
static void put(FILE *out, const char *s)
{
	char clean[2048];
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	fputs(clean, out);
}

static const char *sev_color(sf_severity s)
{
	switch (s) {
	case SF_SEV_CRITICAL: return "\033[1;35m";
	case SF_SEV_HIGH: return "\033[1;31m";
	case SF_SEV_MEDIUM: return "\033[33m";
	case SF_SEV_LOW: return "\033[36m";
	default: return "\033[2m";
	}
}

static void path_line(FILE *out, const char *label, const char *const *keys, size_t n)
{
	if (!n)
		return;
	fprintf(out, "      %s: ", label);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(" -> ", out);
		put(out, keys[i]);
	}
	fputc('\n', out);
}

/* Is finding i a consequence of the cause printed above it? */
static int follows(const sf_findings *fs, size_t i)
{
	const sf_finding *f = &fs->items[i];
	return f->root_cause[0] && strcmp(f->root_cause, f->fingerprint) != 0;
}

int sf_report_text(FILE *out, sf_scan *s, int color)
{
	const char *prev = NULL;
	size_t counts[5], sides = 0;
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";

	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		const char *svc = f->service ? f->service : "(no service)";
		char sev[16];
		size_t k;
		if (!prev || strcmp(prev, svc) != 0) {
			fprintf(out, "%s%s", prev ? "\n" : "", bold);
			put(out, svc);
			fprintf(out, "%s\n", reset);
			prev = svc;
		}
		snprintf(sev, sizeof(sev), "%s", sf_severity_name(f->severity));
		for (k = 0; sev[k]; k++)
			sev[k] = (char)(sev[k] >= 'a' && sev[k] <= 'z' ? sev[k] - 32 : sev[k]);
		/* What follows from the finding before it (one root cause) is
		 * indented under it and says so. */
		fprintf(out, "  %s%s%-8s%s %s %s: ",
		        follows(&s->findings, i) ? "  + " : "", color ? sev_color(f->severity) : "", sev,
		        reset, f->rule->id, f->rule->name);
		put(out, f->message);
		fputc('\n', out);
		if (f->location.path) {
			fputs("      at ", out);
			put(out, f->location.path);
			if (f->location.line > 0)
				fprintf(out, ":%ld", f->location.line);
			fputc('\n', out);
		}
		path_line(out, "primary", f->primary_path, f->nprimary_path);
		path_line(out, "standby", f->standby_path, f->nstandby_path);
	}
	/* which side each secret-store inventory was taken for */
	for (size_t i = 0; i < s->inputs.count; i++) {
		char key[4200];
		sf_node_id id;
		if ((size_t)snprintf(key, sizeof(key), "inventory:%s", s->inputs.items[i].path) >=
		        sizeof(key) || (id = sf_graph_find(s->graph, key)) == SF_NODE_NONE ||
		    !sf_graph_attr(s->graph, id, "side"))
			continue;
		fputs(sides++ ? "" : (s->findings.count ? "\ninventories:\n" : "inventories:\n"), out);
		fputs("  ", out);
		put(out, s->inputs.items[i].path);
		fputs(": ", out);
		put(out, sf_graph_attr(s->graph, id, "side"));
		fputs(" (", out);
		put(out, sf_graph_attr(s->graph, id, "attributed_by"));
		fputs(")\n", out);
	}
	sf_findings_summary(&s->findings, counts);
	fprintf(out, "%s%zu input%s, %zu node%s, %zu failover pair%s: %zu critical, %zu high, "
	             "%zu medium, %zu low, %zu info\n",
	        s->findings.count ? "\n" : "", s->inputs.count, s->inputs.count == 1 ? "" : "s",
	        sf_graph_live_count(s->graph), sf_graph_live_count(s->graph) == 1 ? "" : "s",
	        s->failover.npairs, s->failover.npairs == 1 ? "" : "s", counts[SF_SEV_CRITICAL],
	        counts[SF_SEV_HIGH], counts[SF_SEV_MEDIUM], counts[SF_SEV_LOW], counts[SF_SEV_INFO]);
	return ferror(out) ? -1 : 0;
}
