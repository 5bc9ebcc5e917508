/* Markdown for a pull-request comment: summary, findings per service, and
 * each failover pair as a Mermaid flowchart (GitHub and GitLab draw it)
 * with the shared nodes styled.
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

static void mermaid(sf_buf *b, sf_scan *s, const sf_pair *p)
{
	sf_view v;
	static const struct {
		unsigned sides;
		const char *id, *label;
	} parts[] = { { SF_VIEW_PRIMARY, "primary", "primary" },
	              { SF_VIEW_PRIMARY | SF_VIEW_STANDBY, "both", "needed by both" },
	              { SF_VIEW_STANDBY, "standby", "standby" } };
	int any_shared = 0;

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
			mm_text(b, n->label ? n->label : n->key);
			sf_buf_puts(b, "<br/>");
			mm_text(b, sf_kind_get(n->kind)->name);
			if (v.nodes[i].rules[0]) {
				sf_buf_puts(b, "<br/>");
				mm_text(b, v.nodes[i].rules);
			}
			sf_buf_puts(b, "\"]\n");
		}
		if (open)
			sf_buf_puts(b, "  end\n");
	}
	for (size_t i = 0; i < v.count; i++) {
		size_t cnt;
		const size_t *outs;
		if (!v.nodes[i].sides)
			continue;
		outs = sf_graph_out(s->graph, v.nodes[i].id, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			long to = sf_view_find(&v, sf_graph_live(s->graph, sf_graph_edge_at(s->graph, outs[k])->to));
			if (to >= 0 && (size_t)to != i && v.nodes[to].sides)
				sf_buf_printf(b, "  n%zu --> n%ld\n", i, to);
		}
	}
	for (size_t i = 0; i < v.count; i++)
		if (v.nodes[i].shared && v.nodes[i].sides) {
			if (!any_shared)
				sf_buf_puts(b, "  classDef shared fill:#f8d7da,stroke:#c5221f,stroke-width:3px\n"
				               "  class ");
			sf_buf_printf(b, "%sn%zu", any_shared ? "," : "", i);
			any_shared = 1;
		}
	if (any_shared)
		sf_buf_puts(b, " shared\n");
	sf_buf_puts(b, "```\n");
	sf_view_free(&v);
}

static const char *const sev_upper[] = { "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL" };

static void service_block(sf_buf *b, sf_scan *s, const char *service)
{
	sf_buf_puts(b, "\n### ");
	md_text(b, service);
	sf_buf_puts(b, "\n\n");
	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		if (!sf_view_finding_in(f, service))
			continue;
		/* a consequence of the root cause above it is nested under it */
		sf_buf_printf(b, "%s- **%s** `%s` %s: ",
		              f->root_cause[0] && strcmp(f->root_cause, f->fingerprint) ? "  " : "",
		              sev_upper[f->severity], f->rule->id, f->rule->name);
		md_text(b, f->message);
		if (f->location.path) {
			sf_buf_puts(b, " (");
			md_text(b, f->location.path);
			if (f->location.line > 0)
				sf_buf_printf(b, "&#58;%ld", f->location.line);
			sf_buf_puts(b, ")");
		}
		sf_buf_puts(b, "\n");
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

int sf_report_markdown(FILE *out, sf_scan *s)
{
	const char **services = NULL;
	size_t nsvc = 0, counts[5], shown = 0;
	sf_buf head = SF_BUF_INIT, block = SF_BUF_INIT, tail = SF_BUF_INIT;
	int rc = -1;
	const size_t budget = SF_MARKDOWN_MAX - 600; /* room for the closing note */

	if (sf_view_services(s, &services, &nsvc) < 0)
		return -1;
	sf_findings_summary(&s->findings, counts);
	sf_buf_printf(&head, "## sharedfate: %zu finding%s in %zu failover pair%s\n\n",
	              s->findings.count, s->findings.count == 1 ? "" : "s", s->failover.npairs,
	              s->failover.npairs == 1 ? "" : "s");
	sf_buf_puts(&head, "| service | critical | high | medium | low | info |\n"
	                   "|---|---:|---:|---:|---:|---:|\n");
	for (size_t k = 0; k < nsvc; k++) {
		size_t c[5] = { 0 };
		if (head.len > budget / 2) {
			/* thousands of services: the table alone would pass the limit */
			sf_buf_printf(&head, "| %zu more | | | | | |\n", nsvc - k);
			break;
		}
		for (size_t i = 0; i < s->findings.count; i++)
			if (sf_view_finding_in(&s->findings.items[i], services[k]))
				c[s->findings.items[i].severity]++;
		sf_buf_puts(&head, "| ");
		md_text(&head, services[k]);
		sf_buf_printf(&head, " | %zu | %zu | %zu | %zu | %zu |\n", c[4], c[3], c[2], c[1], c[0]);
	}
	sf_buf_printf(&head, "| **all** | %zu | %zu | %zu | %zu | %zu |\n", counts[4], counts[3],
	              counts[2], counts[1], counts[0]);
	for (size_t k = 0; k < nsvc; k++) {
		sf_buf_clear(&block);
		service_block(&block, s, services[k]);
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
	if (head.failed || tail.failed)
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
