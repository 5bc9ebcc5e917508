#include "report.h"

#include <string.h>

#include "analyzer/gate.h"
#include "model/diag.h"

/* A line being written: sanitised pieces, folded at the terminal width
 * (between words, or after " -> " in a path), continued with `indent`. */
typedef struct tline {
	FILE *out;
	int width, indent, col;
} tline;

static void put_word(tline *t, const char *w, size_t n)
{
	if (t->width > 0 && t->col > t->indent && t->col + (int)n > t->width) {
		fprintf(t->out, "\n%*s", t->indent, "");
		t->col = t->indent;
		while (n && *w == ' ') {
			w++;
			n--;
		}
	}
	fwrite(w, 1, n, t->out);
	t->col += (int)n;
}

/* Everything from the input is sanitised before it reaches a terminal. */
static void put(tline *t, const char *s)
{
	char clean[2048];
	const char *p;
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	if (t->width <= 0) {
		fputs(clean, t->out);
		t->col += (int)strlen(clean);
		return;
	}
	/* words keep their leading space, so a fold drops exactly it */
	for (p = clean; *p;) {
		const char *e = p + 1;
		while (*e && *e != ' ')
			e++;
		put_word(t, p, (size_t)(e - p));
		p = e;
	}
}

static void end_line(tline *t)
{
	fputc('\n', t->out);
	t->col = 0;
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

static void path_line(tline *t, const char *label, const char *const *keys, size_t n)
{
	if (!n)
		return;
	t->col = fprintf(t->out, "      %s:", label);
	t->indent = 8;
	for (size_t i = 0; i < n; i++) {
		char word[2048];
		/* " key" folds as one piece (its space dropped), never inside */
		if (i)
			put_word(t, " ->", 3);
		word[0] = ' ';
		sf_sanitize(word + 1, sizeof(word) - 1, keys[i], strlen(keys[i]));
		put_word(t, word, strlen(word));
	}
	end_line(t);
}

static void waiver_line(tline *t, const char *what, const sf_manifest_waiver *w,
                        const sf_gate_result *g)
{
	char loc[64];
	snprintf(loc, sizeof(loc), ":%ld", w->line);
	t->indent = 8;
	t->col = fprintf(t->out, "      %s ", what);
	put(t, w->expires);
	put(t, " (");
	put(t, g->manifest_path ? g->manifest_path : "sharedfate.yaml");
	put(t, loc);
	put(t, ", approved by ");
	put(t, w->approved_by);
	put(t, "): ");
	put(t, w->reason);
	end_line(t);
}

/* Is finding i a consequence of the cause printed above it? */
static int follows(const sf_findings *fs, size_t i)
{
	const sf_finding *f = &fs->items[i];
	return f->root_cause[0] && strcmp(f->root_cause, f->fingerprint) != 0;
}

static void finding(tline *t, const sf_findings *fs, const sf_report_opts *o, size_t i)
{
	const sf_finding *f = &fs->items[i];
	const sf_gate_result *g = o ? o->gate : NULL;
	int color = o && o->color;
	const char *reset = color ? "\033[0m" : "";
	char sev[16];
	snprintf(sev, sizeof(sev), "%s", sf_severity_name(f->severity));
	for (size_t k = 0; sev[k]; k++)
		sev[k] = (char)(sev[k] >= 'a' && sev[k] <= 'z' ? sev[k] - 32 : sev[k]);
	/* What follows from the finding before it (one root cause) is
	 * indented under it and says so. */
	t->col = fprintf(t->out, "  %s%s%-8s%s %s %s: ", follows(fs, i) ? "  + " : "",
	                 color ? sev_color(f->severity) : "", sev, reset, f->rule->id, f->rule->name);
	t->col -= color ? (int)(strlen(sev_color(f->severity)) + strlen(reset)) : 0;
	t->indent = 6;
	put(t, f->message);
	end_line(t);
	if (f->location.path) {
		t->col = fprintf(t->out, "      at ");
		t->indent = 8;
		put(t, f->location.path);
		if (f->location.line > 0)
			t->col += fprintf(t->out, ":%ld", f->location.line);
		end_line(t);
	}
	path_line(t, "primary", f->primary_path, f->nprimary_path);
	path_line(t, "standby", f->standby_path, f->nstandby_path);
	if (g && i < g->nmarks && g->marks[i].waiver)
		waiver_line(t, "waived until", g->marks[i].waiver, g);
	if (g && i < g->nmarks && g->marks[i].expired)
		waiver_line(t, "waiver EXPIRED on", g->marks[i].expired, g);
}

int sf_report_text(FILE *out, sf_scan *s, int color)
{
	sf_report_opts o;
	memset(&o, 0, sizeof(o));
	o.color = color;
	return sf_report_text_ex(out, s, &o);
}

static int waived(const sf_gate_result *g, size_t i)
{
	return g && i < g->nmarks && g->marks[i].waiver;
}

int sf_report_text_ex(FILE *out, sf_scan *s, const sf_report_opts *o)
{
	const sf_gate_result *g = o ? o->gate : NULL;
	const char *prev = NULL;
	size_t counts[5], nwaived = 0, shown = 0, sides = 0;
	int color = o && o->color;
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	tline t = { out, o ? o->width : 0, 0, 0 };

	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		const char *svc = f->service ? f->service : "(no service)";
		if (waived(g, i)) {
			nwaived++;
			continue;
		}
		shown++;
		if (o && o->quiet)
			continue;
		if (!prev || strcmp(prev, svc) != 0) {
			fprintf(out, "%s%s", prev ? "\n" : "", bold);
			t.indent = 2;
			t.col = 0;
			put(&t, svc);
			fprintf(out, "%s\n", reset);
			prev = svc;
		}
		finding(&t, &s->findings, o, i);
	}
	/* Waived findings apart: still visible, never mixed with what fails. */
	if (nwaived && !(o && o->quiet)) {
		fprintf(out, "%s%sWaived%s\n", shown ? "\n" : "", bold, reset);
		prev = NULL;
		for (size_t i = 0; i < s->findings.count; i++) {
			const sf_finding *f = &s->findings.items[i];
			if (!waived(g, i))
				continue;
			t.col = fprintf(out, "  [");
			put(&t, f->service ? f->service : "(no service)");
			fputs("]\n", out);
			finding(&t, &s->findings, o, i);
		}
	}
	if (g && g->baseline_path && !(o && o->quiet) && g->nstale) {
		fprintf(out, "%s%sBaseline entries no longer found%s (remove them from ",
		        shown || nwaived ? "\n" : "", bold, reset);
		t.col = 0;
		put(&t, g->baseline_path);
		fputs(")\n", out);
		for (size_t i = 0; i < g->nstale; i++) {
			t.col = fprintf(out, "  %s ", g->stale[i]->fingerprint);
			t.indent = 6;
			put(&t, g->stale[i]->rule ? g->stale[i]->rule : "?");
			put(&t, " ");
			put(&t, g->stale[i]->service ? g->stale[i]->service : "");
			put(&t, ": ");
			put(&t, g->stale[i]->message ? g->stale[i]->message : "");
			end_line(&t);
		}
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
		t.col = fprintf(out, "  ");
		t.indent = 4;
		put(&t, s->inputs.items[i].path);
		put(&t, ": ");
		put(&t, sf_graph_attr(s->graph, id, "side"));
		put(&t, " (");
		put(&t, sf_graph_attr(s->graph, id, "attributed_by"));
		put(&t, ")");
		end_line(&t);
	}
	sf_findings_summary(&s->findings, counts);
	if (nwaived)
		for (size_t i = 0; i < s->findings.count; i++)
			if (waived(g, i) && s->findings.items[i].severity <= SF_SEV_CRITICAL)
				counts[s->findings.items[i].severity]--;
	fprintf(out, "%s%zu input%s, %zu node%s, %zu failover pair%s: %zu critical, %zu high, "
	             "%zu medium, %zu low, %zu info",
	        (shown || nwaived || (g && g->nstale)) && !(o && o->quiet) ? "\n" : "",
	        s->inputs.count, s->inputs.count == 1 ? "" : "s",
	        sf_graph_live_count(s->graph), sf_graph_live_count(s->graph) == 1 ? "" : "s",
	        s->failover.npairs, s->failover.npairs == 1 ? "" : "s", counts[SF_SEV_CRITICAL],
	        counts[SF_SEV_HIGH], counts[SF_SEV_MEDIUM], counts[SF_SEV_LOW], counts[SF_SEV_INFO]);
	if (nwaived)
		fprintf(out, "; %zu waived", nwaived);
	if (g && g->baseline_path)
		fprintf(out, "; %zu in the baseline, %zu stale", g->baselined, g->nstale);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}
