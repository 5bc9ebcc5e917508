/* shared_redundancy: sets of common dependencies whose joint failure takes
 * down the primary and every standby, while no smaller part of the set
 * does (SF110). Two pools listing the same three origins, two zones under
 * both target groups: no single node is shared, yet the standby's
 * redundancy is the primary's own. The search is closure.c's
 * (sf_closure_redundancy); this file turns each set into a hit. */
#include "checks.h"

#include <stdlib.h>
#include <string.h>

/* The last ANY node before the set on a side's path: the redundancy the
 * set takes away. SF_NODE_NONE when the path has none. */
static sf_node_id gate_on(sf_graph *g, const sf_node_id *path, size_t n)
{
	for (size_t k = n; k-- > 0;)
		if (k + 1 < n && sf_graph_node_at(g, path[k])->gate == SF_GATE_ANY)
			return path[k];
	return SF_NODE_NONE;
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_redundancy red;
	sf_redundancy_opts o;
	sf_plane plane = r->plane == SF_PLANE_CONTROL ? SF_PLANE_CONTROL : SF_PLANE_DATA;
	int rc = 0;

	if (!p->primary || p->nstandby == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.plane = plane;
	o.order = r->order;
	o.budget = r->budget;
	if (sf_closure_redundancy(ctx->closure, p, &o, &red) < 0)
		return -1;
	if (red.truncated && ctx->diags)
		sf_diag_warn(ctx->diags, p->primary->prov.path, p->primary->prov.line,
		             "pair %s: %s stopped after %llu steps over %zu common dependencies; sets "
		             "of up to %u of them may be missing (raise check.budget in the rule)",
		             p->id, r->id, r->budget, red.ncandidates, r->order);
	for (size_t i = 0; rc == 0 && i < red.nsets; i++) {
		const sf_cutset *s = &red.sets[i];
		sf_node_id *pp = NULL, *sp = NULL;
		size_t npp, nsp = 0;
		sf_hit hit;

		/* The paths into the set: from each side to its first member. */
		npp = sf_closure_path(ctx->closure, p, plane, p->primary->root, s->member[0], NULL, &pp);
		for (size_t k = 0; k < p->nstandby && !nsp; k++)
			nsp = sf_closure_path(ctx->closure, p, plane, p->standby[k]->root, s->member[0],
			                      NULL, &sp);
		sf_hit_init(&hit);
		hit.subject = hit.shared = s->member[0];
		hit.set = malloc(s->n * sizeof(*hit.set));
		if (!hit.set) {
			free(pp);
			free(sp);
			rc = -1;
			break;
		}
		memcpy(hit.set, s->member, s->n * sizeof(*hit.set));
		hit.nset = s->n;
		hit.through = gate_on(ctx->g, sp, nsp);
		hit.plane = plane;
		hit.plane_word = plane == SF_PLANE_CONTROL ? "control" : "data";
		hit.ppath = pp;
		hit.npp = npp;
		hit.spath = sp;
		hit.nsp = nsp;
		hit.loc = sf_check_pair_location(ctx->g, p, 1);
		rc = sf_hits_add(out, &hit);
	}
	sf_redundancy_free(&red);
	return rc;
}

const sf_checker sf_checker_shared_redundancy = { "shared_redundancy", run };
