/* Markdown for a pull-request comment: summary (with owners), the
 * baseline and the waivers, the blast radius of each failure domain,
 * findings per service (waived ones apart, expired waivers flagged), and
 * each failover pair as a Mermaid flowchart (GitHub and GitLab draw it)
 * with the shared nodes and SF110's sets styled.
 *
 * Input strings never reach the comment raw: control characters become
 * visible escapes (sf_sanitize), then every ASCII punctuation character is
 * written as an HTML character reference, so a name can open no link,
 * emphasis, table cell, HTML tag, code fence or @mention. Inside Mermaid
 * labels the same characters use Mermaid's own #NN; codes. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "model/buf.h"
#include "model/diag.h"
#include "review.h"
#include "view.h"

static int is_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == ' ' || c == '.' || c == ',' || c == ':' || c == '/' || c == ';' || c == '-' ||
	       c == '(' || c == ')' || c == '=' || c == '+' || c == '?' || c == '%' || c >= 0x80;
}

static void md_text(sf_buf *b, const char *s)
{
	char clean[2048];
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		if (is_plain(*p))
			sf_buf_putc(b, (char)*p);
		else
			sf_buf_printf(b, "&#%u;", *p);
	}
}

/* Mermaid entity codes: "#35;" stands for '#'. */
static void mm_text(sf_buf *b, const char *s)
{
	char clean[512];
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		if (is_plain(*p) && *p != ':')
			sf_buf_putc(b, (char)*p);
		else
			sf_buf_printf(b, "#%u;", *p);
	}
}

/* "<br/>SF110 set 1" or "<br/>SF110 sets 1, 3", as in the DOT diagram. */
static void mm_sets(sf_buf *b, const sf_view *v, unsigned sets)
{
	size_t n = 0, first = SF_VIEW_MAX_SETS;
	for (size_t k = 0; k < v->nsets; k++)
		if ((sets >> k) & 1u) {
			if (!n++)
				first = k;
		}
	sf_buf_puts(b, "<br/>");
	mm_text(b, v->set_rule[first]);
	sf_buf_puts(b, n > 1 ? " sets" : " set");
	n = 0;
	for (size_t k = 0; k < v->nsets; k++)
		if ((sets >> k) & 1u)
			sf_buf_printf(b, "%s%zu", n++ ? ", " : " ", k + 1);
}

/* A class `name` with `style` for the drawn nodes a finding names as
 * shared (or, with `sets`, that are in an SF110 set); nothing when none. */
static void mermaid_class(sf_buf *b, const sf_view *v, const char *name, const char *style,
                          int sets)
{
	int any = 0;
	for (size_t i = 0; i < v->count; i++) {
		if (!v->nodes[i].sides || !(sets ? v->nodes[i].sets != 0 : v->nodes[i].shared))
			continue;
		if (!any)
			sf_buf_printf(b, "  classDef %s %s\n  class ", name, style);
		sf_buf_printf(b, "%sn%zu", any ? "," : "", i);
		any = 1;
	}
	if (any)
		sf_buf_printf(b, " %s\n", name);
}

/* SF110: the members of each set joined by a dotted link naming the set,
 * and one class for all of them (Mermaid has no overlapping groups either,
 * see dot.c). */
static void mermaid_sets(sf_buf *b, const sf_view *v)
{
	for (size_t k = 0; k < v->nsets; k++) {
		long prev = -1;
		for (size_t i = 0; i < v->count; i++) {
			if (!((v->nodes[i].sets >> k) & 1u) || !v->nodes[i].sides)
				continue;
			if (prev >= 0) {
				sf_buf_printf(b, "  n%ld -. ", prev);
				mm_text(b, v->set_rule[k]);
				sf_buf_printf(b, " set %zu .- n%zu\n", k + 1, i);
			}
			prev = (long)i;
		}
	}
	mermaid_class(b, v, "sf110", "stroke:#8e24aa,stroke-width:3px,stroke-dasharray:6 3", 1);
}

static void mermaid(sf_buf *b, sf_scan *s, const sf_pair *p)
{
	sf_view v;
	static const struct {
		unsigned sides;
		const char *id, *label;
	} parts[] = { { SF_VIEW_PRIMARY, "primary", "primary" },
	              { SF_VIEW_PRIMARY | SF_VIEW_STANDBY, "both", "needed by both" },
	              { SF_VIEW_STANDBY, "standby", "standby" } };

	if (sf_view_pair(&v, s, p) < 0) {
		b->failed = 1;
		return;
	}
	sf_buf_puts(b, "\n```mermaid\nflowchart LR\n");
	for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
		int open = 0;
		for (size_t i = 0; i < v.count; i++) {
			const sf_node *n = sf_graph_node_at(s->graph, v.nodes[i].id);
			if (v.nodes[i].sides != parts[k].sides)
				continue;
			if (!open) {
				sf_buf_printf(b, "  subgraph %s [\"%s\"]\n", parts[k].id, parts[k].label);
				open = 1;
			}
			sf_buf_printf(b, "    n%zu[\"", i);
			mm_text(b, sf_graph_node_label(s->graph, n));
			sf_buf_puts(b, "<br/>");
			mm_text(b, sf_kind_get(n->kind)->name);
			if (v.nodes[i].rules[0]) {
				sf_buf_puts(b, "<br/>");
				mm_text(b, v.nodes[i].rules);
			}
			if (v.nodes[i].sets)
				mm_sets(b, &v, v.nodes[i].sets);
			sf_buf_puts(b, "\"]\n");
		}
		if (open)
			sf_buf_puts(b, "  end\n");
	}
	for (size_t i = 0; i < v.count; i++) {
		size_t cnt;
		const sf_edge *outs;
		if (!v.nodes[i].sides)
			continue;
		outs = sf_graph_out(s->graph, v.nodes[i].id, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			long to = sf_view_find(&v, sf_graph_live(s->graph, outs[k].to));
			if (to >= 0 && (size_t)to != i && v.nodes[to].sides)
				sf_buf_printf(b, "  n%zu --> n%ld\n", i, to);
		}
	}
	mermaid_class(b, &v, "shared", "fill:#f8d7da,stroke:#c5221f,stroke-width:3px", 0);
	mermaid_sets(b, &v);
	sf_buf_puts(b, "```\n");
	sf_view_free(&v);
}

static const char *const sev_upper[] = { "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL" };

static void md_count(sf_buf *b, size_t n, const char *what)
{
	sf_buf_printf(b, "%zu %s%s", n, what, n == 1 ? "" : "s");
}

/* "waived by X until D: reason" and its expired form, for finding lines. */
static void waiver_note(sf_buf *b, const sf_manifest_waiver *w, int expired)
{
	sf_buf_puts(b, expired ? "**waiver EXPIRED** on " : "waived until ");
	md_text(b, w->expires);
	sf_buf_puts(b, " (approved by ");
	md_text(b, w->approved_by);
	if (w->reason) {
		sf_buf_puts(b, ": ");
		md_text(b, w->reason);
	}
	sf_buf_puts(b, expired ? "): this finding is open again" : ")");
}

static void finding_line(sf_buf *b, const sf_finding *f, int nested)
{
	sf_buf_printf(b, "%s- **%s** `%s` %s: ", nested ? "  " : "", sev_upper[f->severity],
	              f->rule->id, f->rule->name);
	md_text(b, f->message);
	if (f->location.path) {
		sf_buf_puts(b, " (");
		md_text(b, f->location.path);
		if (f->location.line > 0)
			sf_buf_printf(b, "&#58;%ld", f->location.line);
		sf_buf_puts(b, ")");
	}
}

/* One list of a service's findings: the open ones (waived = 0) or the
 * waived ones. A consequence is nested under its root cause when that
 * cause is in the same list, just above it. */
static void finding_list(sf_buf *b, sf_scan *s, const sf_report_opts *o, const char *service,
                         int waived)
{
	const char *root = NULL;
	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		const sf_manifest_waiver *w = sf_review_waived(o, i), *x = sf_review_expired(o, i);
		int consequence = f->root_cause[0] && strcmp(f->root_cause, f->fingerprint) != 0;
		int nested;
		if (!sf_view_finding_in(f, service) || (w != NULL) != waived)
			continue;
		nested = consequence && root && strcmp(root, f->root_cause) == 0;
		if (!consequence)
			root = f->fingerprint;
		else if (!nested)
			root = NULL;
		finding_line(b, f, nested);
		if (w || x) {
			sf_buf_puts(b, " \xe2\x80\x94 ");
			waiver_note(b, w ? w : x, !w);
		}
		sf_buf_puts(b, "\n");
	}
}

static void people_line(sf_buf *b, sf_scan *s, const char *service)
{
	sf_review_people pp;
	sf_review_people_of(s, service, &pp);
	if (!pp.nowner && !pp.nrunbook && !pp.declared)
		return;
	sf_buf_puts(b, "Owner: ");
	if (!pp.nowner)
		sf_buf_puts(b, "_none declared_");
	for (size_t i = 0; i < pp.nowner; i++) {
		sf_buf_puts(b, i ? ", " : "");
		md_text(b, pp.owner[i]);
	}
	sf_buf_puts(b, "; runbook: ");
	if (!pp.nrunbook)
		sf_buf_puts(b, "_none declared_");
	for (size_t i = 0; i < pp.nrunbook; i++) {
		sf_buf_puts(b, i ? ", " : "");
		md_text(b, pp.runbook[i]);
	}
	if (pp.declared) {
		sf_buf_puts(b, " (declared as service ");
		md_text(b, pp.declared);
		sf_buf_puts(b, ")");
	}
	sf_buf_puts(b, "\n\n");
}

static void service_block(sf_buf *b, sf_scan *s, const sf_report_opts *o, const char *service)
{
	int any_waived = 0;
	sf_buf_puts(b, "\n### ");
	md_text(b, service);
	sf_buf_puts(b, "\n\n");
	people_line(b, s, service);
	finding_list(b, s, o, service, 0);
	for (size_t i = 0; i < s->findings.count && !any_waived; i++)
		any_waived = sf_review_waived(o, i) && sf_view_finding_in(&s->findings.items[i], service);
	if (any_waived) {
		sf_buf_puts(b, "\nWaived (not counted against the threshold):\n\n");
		finding_list(b, s, o, service, 1);
	}
	for (size_t i = 0; i < s->failover.npairs; i++) {
		const sf_pair *p = &s->failover.pairs[i];
		if (strcmp(p->service ? p->service : SF_VIEW_NO_SERVICE, service) != 0)
			continue;
		sf_buf_puts(b, "\nFailover pair ");
		md_text(b, p->name);
		sf_buf_puts(b, ":\n");
		mermaid(b, s, p);
	}
}

/* Against the baseline: counts, and the entries not seen again (fixed). */
static void baseline_section(sf_buf *b, sf_scan *s, const sf_gate_result *g)
{
	sf_buf_puts(b, "\n### Against the baseline\n\nBaseline ");
	md_text(b, g->baseline_path);
	sf_buf_puts(b, ": **");
	md_count(b, s->findings.count, "new finding");
	sf_buf_puts(b, "** (reported here), ");
	md_count(b, g->baselined, "known finding");
	sf_buf_puts(b, " (in the baseline, not repeated), **");
	md_count(b, g->nstale, "fixed");
	sf_buf_puts(b, "** (in the baseline, not seen again)");
	if (!g->nstale) {
		sf_buf_puts(b, ".\n");
		return;
	}
	sf_buf_puts(b, ":\n\n");
	for (size_t i = 0; i < g->nstale && i < SF_REVIEW_MAX_ROWS; i++) {
		const sf_gate_entry *e = g->stale[i];
		sf_buf_puts(b, "- fixed: ");
		md_text(b, e->rule ? e->rule : "?");
		sf_buf_puts(b, " in ");
		md_text(b, e->service ? e->service : SF_VIEW_NO_SERVICE);
		sf_buf_puts(b, ": ");
		md_text(b, e->message ? e->message : "");
		sf_buf_printf(b, " (fingerprint %s)\n", e->fingerprint);
	}
	if (g->nstale > SF_REVIEW_MAX_ROWS)
		sf_buf_printf(b, "- _and %zu more: see findings.json and the text report_\n",
		              g->nstale - SF_REVIEW_MAX_ROWS);
}

static const char *const waiver_states[] = {
	[SF_REVIEW_WAIVES] = "waives",
	[SF_REVIEW_WAIVES_NOTHING] = "waives nothing",
	[SF_REVIEW_EXPIRED_OPEN] = "**EXPIRED**",
	[SF_REVIEW_EXPIRED] = "**EXPIRED**, waives nothing",
};

static void waivers_section(sf_buf *b, const sf_report_opts *o)
{
	const sf_manifest *m = o->manifest;
	sf_buf_puts(b, "\n### Waivers\n\n"
	               "| rule | service | fingerprint | reason | approved by | expires | state |\n"
	               "|---|---|---|---|---|---|---|\n");
	for (size_t k = 0; k < m->nwaivers && k < SF_REVIEW_MAX_ROWS; k++) {
		const sf_manifest_waiver *w = &m->waivers[k];
		size_t nw, nopen;
		sf_review_waiver_state st = sf_review_waiver(o, w, &nw, &nopen);
		sf_buf_puts(b, "| ");
		md_text(b, w->rule);
		sf_buf_puts(b, " | ");
		md_text(b, w->service ? w->service : "any");
		sf_buf_puts(b, " | ");
		md_text(b, w->fingerprint ? w->fingerprint : "any");
		sf_buf_puts(b, " | ");
		md_text(b, w->reason);
		sf_buf_puts(b, " | ");
		md_text(b, w->approved_by);
		sf_buf_puts(b, " | ");
		md_text(b, w->expires);
		sf_buf_printf(b, " | %s", waiver_states[st]);
		if (st == SF_REVIEW_WAIVES) {
			sf_buf_puts(b, " ");
			md_count(b, nw, "finding");
		} else if (st == SF_REVIEW_EXPIRED_OPEN) {
			sf_buf_puts(b, ": ");
			md_count(b, nopen, "finding");
			sf_buf_puts(b, " open again");
		}
		sf_buf_puts(b, " |\n");
	}
	if (m->nwaivers > SF_REVIEW_MAX_ROWS)
		sf_buf_printf(b, "\n_and %zu more waivers: see index.html_\n",
		              m->nwaivers - SF_REVIEW_MAX_ROWS);
}

static void names_cell(sf_buf *b, const sf_pair *const *ps, size_t n)
{
	const char *names[SF_REVIEW_MAX_NAMES];
	size_t total = sf_review_services(ps, n, names, SF_REVIEW_MAX_NAMES);
	sf_buf_printf(b, " | %zu", total);
	for (size_t i = 0; i < total && i < SF_REVIEW_MAX_NAMES; i++) {
		sf_buf_puts(b, i ? ", " : ": ");
		md_text(b, names[i]);
	}
	if (total > SF_REVIEW_MAX_NAMES)
		sf_buf_printf(b, " and %zu more", total - SF_REVIEW_MAX_NAMES);
}

static int domains_section(sf_buf *b, sf_scan *s, const sf_report_opts *o)
{
	sf_domains own;
	int built;
	const sf_domains *d = sf_review_domains(o, s, &own, &built);
	if (!d)
		return -1;
	if (!d->count)
		goto done;
	sf_buf_puts(b, "\n### Failure domains: blast radius\n\n"
	               "Services each failure domain takes down alone, most services losing "
	               "both sides first.\n\n"
	               "| failure domain | kind | both sides | primary only | standby only |\n"
	               "|---|---|---|---|---|\n");
	for (size_t i = 0; i < d->count && i < SF_REVIEW_MAX_DOMAINS; i++) {
		const sf_domain *x = &d->items[i];
		const sf_node *n = sf_graph_node_at(s->graph, x->node);
		sf_buf_puts(b, "| ");
		md_text(b, sf_graph_node_key(s->graph, n));
		sf_buf_puts(b, " | ");
		md_text(b, sf_kind_get(n->kind)->name);
		if (x->control)
			sf_buf_puts(b, ", control plane: blocks recovery");
		names_cell(b, x->both, x->nboth);
		names_cell(b, x->primary, x->nprimary);
		names_cell(b, x->standby, x->nstandby);
		sf_buf_puts(b, " |\n");
	}
	if (d->count > SF_REVIEW_MAX_DOMAINS)
		sf_buf_printf(b, "\n_and %zu more failure domains: see index.html or `sharedfate "
		                 "domains`_\n", d->count - SF_REVIEW_MAX_DOMAINS);
	if (d->truncated)
		sf_buf_printf(b, "\n_%zu pair%s stopped at the work budget: their blast radius may be "
		                 "incomplete._\n", d->truncated, d->truncated == 1 ? "" : "s");
done:
	if (built)
		sf_domains_free(&own);
	return 0;
}

/* Move `sec` to the end of `head` when it fits the budget, else a line
 * saying where it is; `sec` is emptied either way. */
static void add_section(sf_buf *head, sf_buf *sec, size_t budget, const char *title)
{
	if (sec->failed)
		return;
	if (head->len + sec->len <= budget * 3 / 4)
		sf_buf_add(head, sec->ptr, sec->len);
	else
		sf_buf_printf(head, "\n### %s\n\n_Too long for this comment: see index.html._\n", title);
	sf_buf_clear(sec);
}

int sf_report_markdown(FILE *out, sf_scan *s, const sf_report_opts *o)
{
	const char **services = NULL;
	const sf_gate_result *g = o ? o->gate : NULL;
	size_t nsvc = 0, counts[5] = { 0 }, shown = 0, nwaived = sf_review_nwaived(o, s);
	sf_buf head = SF_BUF_INIT, block = SF_BUF_INIT, tail = SF_BUF_INIT;
	int rc = -1;
	const size_t budget = SF_MARKDOWN_MAX - 600; /* room for the closing note */

	if (sf_view_services(s, &services, &nsvc) < 0)
		return -1;
	for (size_t i = 0; i < s->findings.count; i++)
		if (!sf_review_waived(o, i))
			counts[s->findings.items[i].severity]++;
	sf_buf_printf(&head, "## sharedfate: %zu finding%s in %zu failover pair%s\n\n",
	              s->findings.count, s->findings.count == 1 ? "" : "s", s->failover.npairs,
	              s->failover.npairs == 1 ? "" : "s");
	if (nwaived)
		sf_buf_printf(&head, "%zu open, %zu waived (the severity columns count the open "
		                     "ones).\n\n", s->findings.count - nwaived, nwaived);
	sf_buf_printf(&head, "| service | owner | critical | high | medium | low | info |%s\n"
	                     "|---|---|---:|---:|---:|---:|---:|%s\n",
	              nwaived ? " waived |" : "", nwaived ? "---:|" : "");
	for (size_t k = 0; k < nsvc; k++) {
		size_t c[5] = { 0 }, w = 0;
		sf_review_people pp;
		if (head.len > budget / 2) {
			/* thousands of services: the table alone would pass the limit */
			sf_buf_printf(&head, "| %zu more | | | | | | |%s\n", nsvc - k, nwaived ? " |" : "");
			break;
		}
		for (size_t i = 0; i < s->findings.count; i++) {
			if (!sf_view_finding_in(&s->findings.items[i], services[k]))
				continue;
			if (sf_review_waived(o, i))
				w++;
			else
				c[s->findings.items[i].severity]++;
		}
		sf_review_people_of(s, services[k], &pp);
		sf_buf_puts(&head, "| ");
		md_text(&head, services[k]);
		sf_buf_puts(&head, " | ");
		for (size_t i = 0; i < pp.nowner; i++) {
			sf_buf_puts(&head, i ? ", " : "");
			md_text(&head, pp.owner[i]);
		}
		sf_buf_printf(&head, " | %zu | %zu | %zu | %zu | %zu |", c[4], c[3], c[2], c[1], c[0]);
		if (nwaived)
			sf_buf_printf(&head, " %zu |", w);
		sf_buf_puts(&head, "\n");
	}
	sf_buf_printf(&head, "| **all** | | %zu | %zu | %zu | %zu | %zu |", counts[4], counts[3],
	              counts[2], counts[1], counts[0]);
	if (nwaived)
		sf_buf_printf(&head, " %zu |", nwaived);
	sf_buf_puts(&head, "\n");
	/* what a review board asks before the details; a section that would
	 * pass the limit (thousands of waivers, long hostile texts) is only
	 * named */
	if (g && g->baseline_path) {
		baseline_section(&block, s, g);
		add_section(&head, &block, budget, "Against the baseline");
	}
	if (o && o->manifest && o->manifest->nwaivers) {
		waivers_section(&block, o);
		add_section(&head, &block, budget, "Waivers");
	}
	if (domains_section(&block, s, o) < 0)
		goto cleanup;
	add_section(&head, &block, budget, "Failure domains");
	if (block.failed)
		goto cleanup;
	for (size_t k = 0; k < nsvc; k++) {
		sf_buf_clear(&block);
		service_block(&block, s, o, services[k]);
		if (block.failed)
			goto cleanup;
		if (head.len + tail.len + block.len > budget)
			break;
		sf_buf_add(&tail, block.ptr, block.len);
		shown++;
	}
	if (shown < nsvc)
		sf_buf_printf(&tail, "\n_%zu more service%s left out to keep this comment under %d "
		                     "characters: see the full report (`index.html`, "
		                     "`findings.json`)._\n",
		              nsvc - shown, nsvc - shown == 1 ? "" : "s", SF_MARKDOWN_MAX);
	if (head.failed || tail.failed || block.failed)
		goto cleanup;
	fputs(sf_buf_cstr(&head), out);
	fputs(sf_buf_cstr(&tail), out);
	rc = ferror(out) ? -1 : 0;
cleanup:
	sf_buf_free(&head);
	sf_buf_free(&block);
	sf_buf_free(&tail);
	free(services);
	return rc;
}
