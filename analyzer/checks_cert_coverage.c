/* certificate_coverage: the certificates a member presents to clients (the
 * first TLS-terminating hop along resolves_to/routes_to) of which none
 * covers the failover name (SF205; RFC 6125: a wildcard stands for exactly
 * one left-most label). Certificates of unknown names are given the
 * benefit of the doubt. */
#include "checks.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int sf_cert_name_matches(const char *pattern, const char *name)
{
	size_t pl, nl;
	if (!pattern || !name)
		return 0;
	pl = strlen(pattern);
	nl = strlen(name);
	while (pl && pattern[pl - 1] == '.')
		pl--;
	while (nl && name[nl - 1] == '.')
		nl--;
	if (!pl || !nl)
		return 0;
	if (pattern[0] == '*') {
		const char *rest = pattern + 1, *dot;
		size_t rl = pl - 1;
		/* "*." then at least two labels: *.example.com, not *.com */
		if (rl < 2 || rest[0] != '.' || !memchr(rest + 1, '.', rl - 1))
			return 0;
		dot = memchr(name, '.', nl);
		if (!dot || dot == name)
			return 0;       /* the wildcard must stand for one non-empty label */
		return (size_t)(name + nl - dot) == rl && strncasecmp(dot, rest, rl) == 0;
	}
	if (memchr(pattern, '*', pl))
		return 0;           /* partial wildcards (f*.example.com): not honoured */
	return pl == nl && strncasecmp(pattern, name, pl) == 0;
}

/* Does any name of the certificate cover `name`? -1 when it has none. */
static int cert_covers(sf_graph *g, sf_node_id c, const char *name)
{
	const char *dn = sf_graph_attr(g, c, "domain_name");
	const char *sans = sf_graph_attr(g, c, "subject_alternative_names");
	if (!dn && !sans)
		return -1;
	if (sf_cert_name_matches(dn, name))
		return 1;
	for (const char *p = sans; p && *p;) {
		size_t l = strcspn(p, ",");
		char one[300];
		if (l < sizeof(one)) {
			memcpy(one, p, l);
			one[l] = '\0';
			if (sf_cert_name_matches(one, name))
				return 1;
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The certificate's names for a message: "a.example.com, *.example.com". */
static const char *cert_names(sf_graph *g, sf_node_id c)
{
	const char *dn = sf_graph_attr(g, c, "domain_name");
	const char *sans = sf_graph_attr(g, c, "subject_alternative_names");
	char buf[1024];
	size_t o = 0;
	if (dn)
		o = (size_t)snprintf(buf, sizeof(buf), "%s", dn);
	for (const char *p = sans; p && *p && o + 4 < sizeof(buf);) {
		size_t l = strcspn(p, ",");
		if (!(dn && l == strlen(dn) && strncmp(p, dn, l) == 0) && o + l + 3 < sizeof(buf)) {
			if (o) {
				buf[o++] = ',';
				buf[o++] = ' ';
			}
			memcpy(buf + o, p, l);
			o += l;
			buf[o] = '\0';
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return o ? sf_graph_internn(g, buf, o) : NULL;
}

/* Walk what clients of `root` reach through names and routing, stopping
 * at each node that terminates TLS: its certificates are what clients
 * see. Collects them into certs (in visit order). */
static int front_certs(sf_graph *g, const sf_pair *p, sf_node_id root, sf_nodeset *w,
                       sf_node_id *certs, size_t *ncerts, size_t max)
{
	size_t head = 0;
	*ncerts = 0;
	if (sf_nodeset_add(w, root, SF_NODE_NONE) < 0)
		return -1;
	while (head < w->count) {
		sf_node_id u = w->order[head++];
		size_t cnt, tls = 0;
		const sf_edge *o = sf_graph_out(g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &o[k];
			int added;
			if (e->kind != SF_EDGE_TERMINATES_TLS_WITH)
				continue;
			tls++;
			added = sf_nodeset_add(w, e->to, u);
			if (added < 0)
				return -1;
			if (added && *ncerts < max)
				certs[(*ncerts)++] = e->to;
		}
		if (tls)
			continue;
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &o[k];
			if ((e->kind != SF_EDGE_RESOLVES_TO && e->kind != SF_EDGE_ROUTES_TO) ||
			    sf_check_excluded(p, e->to))
				continue;
			if (sf_nodeset_add(w, e->to, u) < 0)
				return -1;
		}
	}
	return 0;
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_graph *g = ctx->g;
	const sf_failover_member *ms[64];
	size_t n = sf_check_members(p, r, ms, 64);
	sf_nodeset w = SF_NODESET_INIT;
	int rc = 0;

	if (!p->name || !p->name[0] || strlen(p->name) >= 300)
		return 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		sf_node_id certs[64], bad = SF_NODE_NONE;
		size_t nc;
		int covered = 0, unknown = 0;
		sf_hit hit;

		sf_nodeset_clear(&w);
		if (front_certs(g, p, ms[i]->root, &w, certs, &nc, 64) < 0) {
			rc = -1;
			break;
		}
		for (size_t k = 0; k < nc; k++) {
			int c = cert_covers(g, certs[k], p->name);
			if (c < 0)
				unknown = 1;
			else if (c)
				covered = 1;
			else if (bad == SF_NODE_NONE)
				bad = certs[k];
		}
		if (covered || unknown || bad == SF_NODE_NONE)
			continue;
		sf_hit_init(&hit);
		hit.subject = hit.shared = bad;
		hit.record = sf_check_member_node(ms[i]);
		hit.through = sf_nodeset_get(&w, bad);
		hit.value = cert_names(g, bad);
		hit.plane = SF_PLANE_DATA;
		hit.plane_word = "data";
		hit.loc = sf_check_member_location(g, p, ms[i]);
		if (ms[i] == p->primary)
			hit.ppath = sf_nodeset_path(&w, bad, &hit.npp);
		else
			hit.spath = sf_nodeset_path(&w, bad, &hit.nsp);
		rc = sf_hits_add(out, &hit);
	}
	sf_nodeset_free(&w);
	return rc;
}

const sf_checker sf_checker_cert_coverage = { "certificate_coverage", run };
