/* The review report: one self-contained HTML page.
 *
 * Written with libxml2's xmlTextWriter, which escapes every attribute and
 * text; full end tags for non-void elements (an empty <div/> is wrong in
 * HTML). No script, no external fetch (a Content-Security-Policy says so
 * to the browser too); diagrams are inline SVG that passed
 * sf_diagrams_svg_check; links from the input are kept only for allowed
 * URL schemes. */
#include "report.h"

#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diagrams.h"
#include "model/diag.h"
#include "review.h"
#include "view.h"

#define X(s) ((const xmlChar *)(s))

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
	"margin:0 auto;max-width:1200px;padding:1em 2em;color:#202124}"
	"h1{font-size:1.6em}h2{border-bottom:1px solid #dadce0;padding-bottom:.2em;margin-top:2em}"
	"table{border-collapse:collapse;margin:.5em 0;font-size:.92em}th,td{border:1px solid #dadce0;"
	"padding:.25em .6em;text-align:left;vertical-align:top}td.n{text-align:right}"
	"th{background:#f1f3f4}td.hit{background:#f8d7da;font-weight:600}"
	"figure{margin:1em 0;overflow:auto;border:1px solid #dadce0;padding:.5em}"
	"figure svg{max-width:100%;height:auto}figcaption{color:#5f6368;font-size:.9em}"
	".finding{border-left:4px solid #9aa0a6;padding:.3em 1em;margin:1em 0;background:#fafafa}"
	".finding.critical{border-color:#8e24aa}.finding.high{border-color:#c5221f}"
	".finding.medium{border-color:#f29900}.finding.low{border-color:#1a73e8}"
	".sev{font-weight:700;text-transform:uppercase}dt{font-weight:600;margin-top:.4em}"
	"dd{margin-left:1.2em}code{background:#f1f3f4;padding:0 .2em;word-break:break-all}"
	".note{color:#5f6368;font-style:italic}.finding.consequence{margin-left:2.5em}"
	".finding.waived{border-left-style:dashed;background:#f1f3f4}"
	".waiver{color:#5f6368}.expired{color:#c5221f;font-weight:700}";

typedef struct html {
	xmlTextWriterPtr w;
	sf_scan *s;
	const sf_diagrams *d;
	const sf_report_opts *o;
} html;

static void start(html *h, const char *el)
{
	xmlTextWriterStartElement(h->w, X(el));
}

static void end(html *h)
{
	xmlTextWriterFullEndElement(h->w);
}

static void attr(html *h, const char *name, const char *value)
{
	xmlTextWriterWriteAttribute(h->w, X(name), X(value));
}

/* Text from the input: the writer escapes markup; control characters are
 * made visible first, as everywhere. */
static void text(html *h, const char *s)
{
	char clean[4096];
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	xmlTextWriterWriteString(h->w, X(clean));
}

static void el(html *h, const char *name, const char *s)
{
	start(h, name);
	text(h, s);
	end(h);
}

/* A table and its header row; the caller ends the table. */
static void table_head(html *h, const char *const *cols)
{
	start(h, "table");
	start(h, "tr");
	for (; *cols; cols++)
		el(h, "th", *cols);
	end(h);
}

static void elf(html *h, const char *name, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void elf(html *h, const char *name, const char *cls, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	start(h, name);
	if (cls)
		attr(h, "class", cls);
	xmlTextWriterWriteString(h->w, X(buf));
	end(h);
}

/* Only these URL schemes become links; anything else stays text. */
static int url_allowed(const char *u)
{
	return !strncmp(u, "https://", 8) || !strncmp(u, "http://", 7);
}

static void link_or_text(html *h, const char *s)
{
	char clean[2048];
	sf_sanitize(clean, sizeof(clean), s, strlen(s));
	if (url_allowed(clean) && !strpbrk(clean, " \\\"'<>")) {
		start(h, "a");
		attr(h, "href", clean);
		attr(h, "rel", "noopener noreferrer");
		xmlTextWriterWriteString(h->w, X(clean));
		end(h);
	} else {
		xmlTextWriterWriteString(h->w, X(clean));
	}
}

static void diagram(html *h, const sf_diagram *dg, const char *caption)
{
	start(h, "figure");
	if (dg->svg)
		xmlTextWriterWriteRaw(h->w, X(dg->svg));
	else
		el(h, "p", dg->note[0] ? dg->note : "diagram not drawn");
	start(h, "figcaption");
	text(h, caption);
	end(h);
	end(h);
}

static const char *const sev_names[] = { "info", "low", "medium", "high", "critical" };

static void summary(html *h)
{
	sf_scan *s = h->s;
	const sf_diagrams *d = h->d;
	size_t counts[5] = { 0 }, nwaived = sf_review_nwaived(h->o, s);

	for (size_t i = 0; i < s->findings.count; i++)
		if (!sf_review_waived(h->o, i))
			counts[s->findings.items[i].severity]++;
	elf(h, "p", NULL, "%zu input%s, %zu failover pair%s, %zu finding%s: %zu critical, %zu high, "
	                  "%zu medium, %zu low, %zu info.",
	    s->inputs.count, s->inputs.count == 1 ? "" : "s", s->failover.npairs,
	    s->failover.npairs == 1 ? "" : "s", s->findings.count - nwaived,
	    s->findings.count - nwaived == 1 ? "" : "s", counts[4], counts[3], counts[2], counts[1],
	    counts[0]);
	if (nwaived)
		elf(h, "p", NULL, "And %zu waived finding%s, listed apart under their service and not "
		                  "counted in the severity columns.", nwaived, nwaived == 1 ? "" : "s");
	el(h, "h2", "Summary by service and failure domain");
	start(h, "table");
	start(h, "tr");
	el(h, "th", "service");
	el(h, "th", "owner");
	for (int sv = SF_SEV_CRITICAL; sv >= SF_SEV_INFO; sv--)
		el(h, "th", sev_names[sv]);
	if (nwaived)
		el(h, "th", "waived");
	for (int c = 0; c < SF_CAT__COUNT; c++)
		el(h, "th", sf_category_name((sf_category)c));
	end(h);
	for (size_t k = 0; k < d->nservices; k++) {
		size_t sev[5] = { 0 }, cat[SF_CAT__COUNT] = { 0 }, w = 0;
		sf_review_people pp;
		char id[32];
		for (size_t i = 0; i < s->findings.count; i++) {
			const sf_finding *f = &s->findings.items[i];
			if (!sf_view_finding_in(f, d->services[k]))
				continue;
			if (sf_review_waived(h->o, i)) {
				w++;
				continue;
			}
			sev[f->severity]++;
			cat[sf_view_finding_category(s, f)]++;
		}
		start(h, "tr");
		start(h, "td");
		start(h, "a");
		snprintf(id, sizeof(id), "#svc-%zu", k + 1);
		attr(h, "href", id);
		text(h, d->services[k]);
		end(h);
		end(h);
		sf_review_people_of(s, d->services[k], &pp);
		start(h, "td");
		for (size_t i = 0; i < pp.nowner; i++) {
			if (i)
				xmlTextWriterWriteString(h->w, X(", "));
			text(h, pp.owner[i]);
		}
		end(h);
		for (int sv = SF_SEV_CRITICAL; sv >= SF_SEV_INFO; sv--)
			elf(h, "td", sev[sv] ? "n hit" : "n", "%zu", sev[sv]);
		if (nwaived)
			elf(h, "td", "n", "%zu", w);
		for (int c = 0; c < SF_CAT__COUNT; c++)
			elf(h, "td", cat[c] ? "n hit" : "n", "%zu", cat[c]);
		end(h);
	}
	end(h);
}

static void count_text(html *h, size_t n, const char *what)
{
	xmlTextWriterWriteFormatString(h->w, "%zu %s%s", n, what, n == 1 ? "" : "s");
}

/* With --baseline: what is new, what was known, what was fixed. */
static void baseline(html *h)
{
	const sf_gate_result *g = h->o ? h->o->gate : NULL;
	if (!g || !g->baseline_path)
		return;
	start(h, "section");
	attr(h, "id", "baseline");
	el(h, "h2", "Against the baseline");
	start(h, "p");
	xmlTextWriterWriteString(h->w, X("Baseline "));
	el(h, "code", g->baseline_path);
	xmlTextWriterWriteString(h->w, X(": "));
	start(h, "strong");
	count_text(h, h->s->findings.count, "new finding");
	end(h);
	xmlTextWriterWriteString(h->w, X(" (the findings in this report), "));
	count_text(h, g->baselined, "known finding");
	xmlTextWriterWriteString(h->w, X(" (in the baseline, not repeated), "));
	start(h, "strong");
	count_text(h, g->nstale, "fixed");
	end(h);
	xmlTextWriterWriteString(h->w, X(" (in the baseline, not seen again)."));
	end(h);
	if (g->nstale) {
		el(h, "h3", "Fixed since the baseline");
		{
			static const char *const cols[] = { "rule", "service", "message", "fingerprint", NULL };
			table_head(h, cols);
		}
		for (size_t i = 0; i < g->nstale && i < SF_REVIEW_MAX_ROWS_HTML; i++) {
			const sf_gate_entry *e = g->stale[i];
			start(h, "tr");
			el(h, "td", e->rule ? e->rule : "?");
			el(h, "td", e->service ? e->service : SF_VIEW_NO_SERVICE);
			el(h, "td", e->message ? e->message : "");
			start(h, "td");
			el(h, "code", e->fingerprint);
			end(h);
			end(h);
		}
		end(h);
		if (g->nstale > SF_REVIEW_MAX_ROWS_HTML)
			elf(h, "p", "note", "and %zu more (findings.json, the text report)",
			    g->nstale - SF_REVIEW_MAX_ROWS_HTML);
	}
	end(h);
}

/* Every waiver of the manifest: what it waives, for how long, who said so;
 * expired ones and those that waive nothing stand out. */
static void waivers(html *h)
{
	const sf_manifest *m = h->o ? h->o->manifest : NULL;
	const sf_gate_result *g = h->o ? h->o->gate : NULL;
	if (!m || !m->nwaivers)
		return;
	start(h, "section");
	attr(h, "id", "waivers");
	el(h, "h2", "Waivers");
	{
		static const char *const cols[] = { "rule", "service", "fingerprint", "reason", "approved by", "expires", "state", "where", NULL };
		table_head(h, cols);
	}
	for (size_t k = 0; k < m->nwaivers && k < SF_REVIEW_MAX_ROWS_HTML; k++) {
		const sf_manifest_waiver *w = &m->waivers[k];
		size_t nw, nopen;
		sf_review_waiver_state st = sf_review_waiver(h->o, w, &nw, &nopen);
		start(h, "tr");
		el(h, "td", w->rule);
		el(h, "td", w->service ? w->service : "any");
		start(h, "td");
		if (w->fingerprint)
			el(h, "code", w->fingerprint);
		else
			xmlTextWriterWriteString(h->w, X("any"));
		end(h);
		el(h, "td", w->reason);
		el(h, "td", w->approved_by);
		el(h, "td", w->expires);
		start(h, "td");
		switch (st) {
		case SF_REVIEW_WAIVES:
			xmlTextWriterWriteString(h->w, X("waives "));
			count_text(h, nw, "finding");
			break;
		case SF_REVIEW_WAIVES_NOTHING:
			elf(h, "span", "note", "waives nothing");
			break;
		case SF_REVIEW_EXPIRED_OPEN:
			start(h, "span");
			attr(h, "class", "expired");
			xmlTextWriterWriteString(h->w, X("EXPIRED: "));
			count_text(h, nopen, "finding");
			xmlTextWriterWriteString(h->w, X(" open again"));
			end(h);
			break;
		case SF_REVIEW_EXPIRED:
			elf(h, "span", "expired", "EXPIRED (waives nothing)");
			break;
		}
		end(h);
		start(h, "td");
		if (g && g->manifest_path) {
			start(h, "code");
			text(h, g->manifest_path);
			xmlTextWriterWriteFormatString(h->w, ":%ld", w->line);
			end(h);
		}
		end(h);
		end(h);
	}
	end(h);
	if (m->nwaivers > SF_REVIEW_MAX_ROWS_HTML)
		elf(h, "p", "note", "and %zu more waivers", m->nwaivers - SF_REVIEW_MAX_ROWS_HTML);
	end(h);
}

static void names_cell(html *h, const sf_pair *const *ps, size_t n)
{
	const char *names[SF_REVIEW_MAX_NAMES_HTML];
	size_t total = sf_review_services(ps, n, names, SF_REVIEW_MAX_NAMES_HTML);
	start(h, "td");
	if (total) {
		elf(h, "strong", NULL, "%zu", total);
		xmlTextWriterWriteString(h->w, X(": "));
	} else {
		xmlTextWriterWriteString(h->w, X("0"));
	}
	for (size_t i = 0; i < total && i < SF_REVIEW_MAX_NAMES_HTML; i++) {
		if (i)
			xmlTextWriterWriteString(h->w, X(", "));
		text(h, names[i]);
	}
	if (total > SF_REVIEW_MAX_NAMES_HTML)
		xmlTextWriterWriteFormatString(h->w, " and %zu more", total - SF_REVIEW_MAX_NAMES_HTML);
	end(h);
}

/* The blast radius of every failure domain (issue: what a review board
 * asks first), in `sharedfate domains` order. */
static int domains(html *h)
{
	sf_domains own;
	int built;
	const sf_domains *d = sf_review_domains(h->o, h->s, &own, &built);
	if (!d)
		return -1;
	if (d->count) {
		start(h, "section");
		attr(h, "id", "domains");
		el(h, "h2", "Failure domains: blast radius");
		el(h, "p", "The services whose both sides, primary only or standby only each failure "
		           "domain takes down on its own (gates honoured); on the control plane it "
		           "blocks recovery rather than serving. Most services losing both sides first.");
		{
			static const char *const cols[] = { "failure domain", "kind", "both sides", "primary only", "standby only", NULL };
			table_head(h, cols);
		}
		for (size_t i = 0; i < d->count && i < SF_REVIEW_MAX_DOMAINS_HTML; i++) {
			const sf_domain *x = &d->items[i];
			const sf_node *n = sf_graph_node_at(h->s->graph, x->node);
			start(h, "tr");
			start(h, "td");
			el(h, "code", sf_graph_node_key(h->s->graph, n));
			end(h);
			start(h, "td");
			text(h, sf_kind_get(n->kind)->name);
			if (x->control)
				xmlTextWriterWriteString(h->w, X(" (control plane: blocks recovery)"));
			end(h);
			names_cell(h, x->both, x->nboth);
			names_cell(h, x->primary, x->nprimary);
			names_cell(h, x->standby, x->nstandby);
			end(h);
		}
		end(h);
		if (d->count > SF_REVIEW_MAX_DOMAINS_HTML)
			elf(h, "p", "note", "and %zu more failure domains (sharedfate domains lists them all)",
			    d->count - SF_REVIEW_MAX_DOMAINS_HTML);
		if (d->truncated)
			elf(h, "p", "note", "%zu pair%s stopped at the work budget: their blast radius may "
			                    "be incomplete.", d->truncated, d->truncated == 1 ? "" : "s");
		end(h);
	}
	if (built)
		sf_domains_free(&own);
	return 0;
}

/* "Waived by X until D: reason", or the expired form: the finding is
 * open again. */
static void waiver_note(html *h, const sf_manifest_waiver *w, int expired)
{
	start(h, "p");
	attr(h, "class", expired ? "expired" : "waiver");
	if (expired) {
		xmlTextWriterWriteString(h->w, X("Waiver EXPIRED on "));
		text(h, w->expires);
		xmlTextWriterWriteString(h->w, X(" (approved by "));
		text(h, w->approved_by);
		xmlTextWriterWriteString(h->w, X("): this finding is open again"));
	} else {
		xmlTextWriterWriteString(h->w, X("Waived by "));
		text(h, w->approved_by);
		xmlTextWriterWriteString(h->w, X(" until "));
		text(h, w->expires);
	}
	if (w->reason) {
		xmlTextWriterWriteString(h->w, X(": "));
		text(h, w->reason);
	}
	end(h);
}

static void finding(html *h, size_t fi)
{
	const sf_finding *f = &h->s->findings.items[fi];
	const sf_manifest_waiver *waived = sf_review_waived(h->o, fi);
	const sf_manifest_waiver *expired = sf_review_expired(h->o, fi);
	char id[32];
	snprintf(id, sizeof(id), "f-%s", f->fingerprint);
	start(h, "div");
	attr(h, "id", id);
	xmlTextWriterWriteFormatAttribute(h->w, X("class"), "finding %s%s%s", sev_names[f->severity],
	                                  f->root_cause[0] && strcmp(f->root_cause, f->fingerprint)
	                                      ? " consequence"
	                                      : "",
	                                  waived ? " waived" : "");
	start(h, "h4");
	elf(h, "span", "sev", "%s", sev_names[f->severity]);
	xmlTextWriterWriteFormatString(h->w, " %s %s: ", f->rule->id, f->rule->name);
	text(h, f->rule->title);
	end(h);
	el(h, "p", f->message);
	if (waived || expired)
		waiver_note(h, waived ? waived : expired, !waived);
	if (f->root_cause[0] && strcmp(f->root_cause, f->fingerprint) != 0) {
		/* a consequence: fixing the cause above fixes it too */
		char href[32];
		snprintf(href, sizeof(href), "#f-%s", f->root_cause);
		start(h, "p");
		attr(h, "class", "note");
		xmlTextWriterWriteString(h->w, X("Follows from the root cause "));
		start(h, "a");
		attr(h, "href", href);
		xmlTextWriterWriteString(h->w, X(f->root_cause));
		end(h);
		xmlTextWriterWriteString(h->w, X(": fixing that fixes this."));
		end(h);
	}
	start(h, "dl");
	if (f->nshared) {
		size_t set = sf_view_set_number(h->s, f);
		el(h, "dt", "What is shared");
		start(h, "dd");
		for (size_t i = 0; i < f->nshared; i++) {
			if (i)
				xmlTextWriterWriteString(h->w, X(", "));
			el(h, "code", f->shared[i]);
		}
		if (set) {
			/* the ring that draws this set in the pair diagram */
			xmlTextWriterWriteString(h->w, X(" (fail only together: drawn as "));
			text(h, f->rule->id);
			xmlTextWriterWriteFormatString(h->w, " set %zu in the pair diagram)", set);
		}
		end(h);
	}
	el(h, "dt", "Why it matters for recovery");
	el(h, "dd", f->rule->description);
	el(h, "dt", "How to fix");
	el(h, "dd", f->rule->remediation);
	if (f->rule->nrefs) {
		el(h, "dt", "References");
		start(h, "dd");
		for (size_t i = 0; i < f->rule->nrefs; i++) {
			if (i)
				xmlTextWriterWriteString(h->w, X("; "));
			link_or_text(h, f->rule->refs[i]);
		}
		end(h);
	}
	if (f->location.path) {
		char line[32] = "";
		el(h, "dt", "Where");
		start(h, "dd");
		start(h, "code");
		text(h, f->location.path);
		if (f->location.line > 0)
			snprintf(line, sizeof(line), ":%ld", f->location.line);
		xmlTextWriterWriteString(h->w, X(line));
		end(h);
		end(h);
	}
	for (int side = 0; side < 2; side++) {
		const char *const *path = side ? f->standby_path : f->primary_path;
		size_t n = side ? f->nstandby_path : f->nprimary_path;
		if (!n)
			continue;
		el(h, "dt", side ? "Standby path" : "Primary path");
		start(h, "dd");
		for (size_t i = 0; i < n; i++) {
			if (i)
				xmlTextWriterWriteString(h->w, X(" \xe2\x86\x92 "));
			el(h, "code", path[i]);
		}
		end(h);
	}
	elf(h, "dt", NULL, "Fingerprint");
	elf(h, "dd", NULL, "%s", f->fingerprint);
	end(h);
	end(h);
}

/* Owner and runbook of a service, when sharedfate.yaml or a Backstage
 * catalog gave them (joined as SF401/SF403 join: review.h). */
static void people(html *h, const char *name)
{
	sf_review_people pp;
	sf_review_people_of(h->s, name, &pp);
	if (!pp.nowner && !pp.nrunbook && !pp.declared)
		return;
	start(h, "dl");
	el(h, "dt", "Owner");
	start(h, "dd");
	if (!pp.nowner)
		elf(h, "span", "note", "none declared");
	for (size_t i = 0; i < pp.nowner; i++) {
		if (i)
			xmlTextWriterWriteString(h->w, X(", "));
		text(h, pp.owner[i]);
	}
	end(h);
	el(h, "dt", "Runbook");
	start(h, "dd");
	if (!pp.nrunbook)
		elf(h, "span", "note", "none declared");
	for (size_t i = 0; i < pp.nrunbook; i++) {
		if (i)
			xmlTextWriterWriteString(h->w, X(", "));
		link_or_text(h, pp.runbook[i]);
	}
	end(h);
	if (pp.declared) {
		el(h, "dt", "Declared as service");
		el(h, "dd", pp.declared);
	}
	end(h);
}

static void service(html *h, size_t k)
{
	sf_scan *s = h->s;
	const sf_diagrams *d = h->d;
	const char *name = d->services[k];
	char id[32];
	int any = 0;

	start(h, "section");
	snprintf(id, sizeof(id), "svc-%zu", k + 1);
	attr(h, "id", id);
	start(h, "h2");
	xmlTextWriterWriteString(h->w, X("Service "));
	text(h, name);
	end(h);
	people(h, name);
	for (size_t i = 0; i < s->failover.npairs; i++) {
		const sf_pair *p = &s->failover.pairs[i];
		char cap[64];
		if (strcmp(p->service ? p->service : SF_VIEW_NO_SERVICE, name) != 0)
			continue;
		start(h, "h3");
		xmlTextWriterWriteString(h->w, X("Failover pair "));
		el(h, "code", p->name);
		end(h);
		snprintf(cap, sizeof(cap), "primary and standby paths (%s)", d->pairs[i].file);
		diagram(h, &d->pairs[i], cap);
	}
	el(h, "h3", "Findings");
	for (size_t i = 0; i < s->findings.count; i++)
		if (sf_view_finding_in(&s->findings.items[i], name) && !sf_review_waived(h->o, i)) {
			finding(h, i);
			any = 1;
		}
	if (!any)
		elf(h, "p", "note", "No open finding.");
	any = 0;
	for (size_t i = 0; i < s->findings.count; i++)
		if (sf_view_finding_in(&s->findings.items[i], name) && sf_review_waived(h->o, i)) {
			if (!any)
				el(h, "h3", "Waived findings");
			finding(h, i);
			any = 1;
		}
	start(h, "details");
	el(h, "summary", "Everything the service needs (overview)");
	diagram(h, &d->service[k], d->service[k].file);
	end(h);
	end(h);
}

static void references(html *h)
{
	const sf_ruleset *rs = &h->s->rules;
	el(h, "h2", "Framework references");
	el(h, "p", "Each rule and the controls it gives evidence for (NIST CSF 2.0, OWASP Non-Human "
	           "Identities Top 10, and others named in the rule).");
	{
		static const char *const cols[] = { "rule", "name", "severity", "findings", "references", NULL };
		table_head(h, cols);
	}
	for (size_t r = 0; r < rs->count; r++) {
		const sf_rule *rule = &rs->items[r];
		size_t n = 0;
		for (size_t i = 0; i < h->s->findings.count; i++)
			n += h->s->findings.items[i].rule == rule;
		start(h, "tr");
		el(h, "td", rule->id);
		el(h, "td", rule->name);
		el(h, "td", sev_names[rule->severity <= SF_SEV_CRITICAL ? rule->severity : 0]);
		elf(h, "td", n ? "n hit" : "n", "%zu", n);
		start(h, "td");
		for (size_t i = 0; i < rule->nrefs; i++) {
			if (i) {
				start(h, "br");
				xmlTextWriterEndElement(h->w);  /* a void element: <br/> */
			}
			link_or_text(h, rule->refs[i]);
		}
		end(h);
		end(h);
	}
	end(h);
}

int sf_report_html_diagrams(FILE *out, sf_scan *s, const sf_diagrams *d, const sf_report_opts *o)
{
	xmlBufferPtr buf = xmlBufferCreate();
	html h = { buf ? xmlNewTextWriterMemory(buf, 0) : NULL, s, d, o };
	int rc = -1;

	if (!h.w)
		goto cleanup;
	xmlTextWriterWriteDTD(h.w, X("html"), NULL, NULL, NULL);
	start(&h, "html");
	attr(&h, "lang", "en");
	start(&h, "head");
	start(&h, "meta");
	attr(&h, "charset", "utf-8");
	xmlTextWriterEndElement(h.w);
	start(&h, "meta");
	attr(&h, "http-equiv", "Content-Security-Policy");
	attr(&h, "content", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
	xmlTextWriterEndElement(h.w);
	el(&h, "title", "sharedfate: shared failure domains");
	el(&h, "style", css);
	end(&h);
	start(&h, "body");
	el(&h, "h1", "Shared failure domains: architecture review");
	summary(&h);
	baseline(&h);
	waivers(&h);
	if (domains(&h) < 0)
		goto cleanup;
	el(&h, "h2", "Overview");
	diagram(&h, &d->overview, "every failover pair and what it needs; shared nodes in red");
	for (size_t k = 0; k < d->nservices; k++)
		service(&h, k);
	references(&h);
	elf(&h, "p", "note", "sharedfate %s", SF_VERSION);
	end(&h);
	end(&h);
	if (xmlTextWriterEndDocument(h.w) < 0)
		goto cleanup;
	xmlFreeTextWriter(h.w);
	h.w = NULL;
	rc = fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out) ==
	             (size_t)xmlBufferLength(buf)
	         ? 0
	         : -1;
cleanup:
	if (h.w)
		xmlFreeTextWriter(h.w);
	if (buf)
		xmlBufferFree(buf);
	return rc;
}

int sf_report_html(FILE *out, sf_scan *s, const sf_report_opts *o)
{
	sf_diagrams d;
	int rc = -1;
	if (sf_diagrams_build(&d, s, 1, "", stderr) == 0)
		rc = sf_report_html_diagrams(out, s, &d, o);
	sf_diagrams_free(&d);
	return rc;
}
