#include "analyze.h"

#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "closure.h"
#include "model/buf.h"

typedef struct actx {
	sf_graph *g;
	const sf_ruleset *rs;
	const sf_analyze_opts *o;
	sf_findings *out;
	sf_closure *c;
	unsigned char *claimed;     /* per pair: reported by a rule already */
	unsigned char *blocked;
} actx;

/* Values a message template can name. */
typedef struct tvars {
	const sf_pair *pair;
	const char *shared;         /* key */
	const char *shared_kind;
	const char *through;        /* key, or NULL */
	const char *record;         /* key */
	const char *value;
	const char *plane;
} tvars;

static const char *key_of(sf_graph *g, sf_node_id id)
{
	const sf_node *n = id == SF_NODE_NONE ? NULL : sf_graph_node_at(g, id);
	return n ? sf_graph_node_key(g, n) : NULL;
}

/* The value of placeholder `name` (n bytes); *known = 0 when no such
 * placeholder exists. */
static const char *tvar(actx *a, const tvars *v, const char *name, size_t n, int *known,
                        char *thr, size_t thrsz)
{
	*known = 1;
#define IS(s) (n == sizeof(s) - 1 && strncmp(name, s, n) == 0)
	if (IS("service"))
		return v->pair ? v->pair->service : NULL;
	if (IS("name"))
		return v->pair ? v->pair->name : NULL;
	if (IS("host")) {
		/* the name as people write it: no trailing dot */
		size_t l;
		if (!v->pair || !v->pair->name || (l = strlen(v->pair->name)) == 0 || l >= thrsz)
			return v->pair ? v->pair->name : NULL;
		memcpy(thr, v->pair->name, l + 1);
		if (l > 1 && thr[l - 1] == '.')
			thr[l - 1] = '\0';
		return thr;
	}
	if (IS("primary"))
		return v->pair && v->pair->primary ? key_of(a->g, v->pair->primary->root) : NULL;
	if (IS("standby"))
		return v->pair && v->pair->nstandby ? key_of(a->g, v->pair->standby[0]->root) : NULL;
	if (IS("shared"))
		return v->shared;
	if (IS("shared_kind"))
		return v->shared_kind;
	if (IS("through"))
		return v->through;
	if (IS("record"))
		return v->record;
	if (IS("value"))
		return v->value;
	if (IS("plane"))
		return v->plane;
	if (IS("threshold")) {
		snprintf(thr, thrsz, "%ld", a->o->ttl_threshold);
		return thr;
	}
#undef IS
	*known = 0;
	return NULL;
}

/* Expand {placeholders} in a message template. A part in [brackets] is
 * left out when a placeholder inside it has no value; an unknown
 * placeholder stays as written. */
static int expand_into(actx *a, sf_buf *b, const char *tpl, const char *end, const tvars *v)
{
	int missing = 0;
	char thr[512];
	for (const char *p = tpl; p < end; p++) {
		const char *close, *val;
		int known;
		if (*p == '[' && (close = memchr(p, ']', (size_t)(end - p)))) {
			sf_buf part = SF_BUF_INIT;
			if (expand_into(a, &part, p + 1, close, v) == 0)
				sf_buf_add(b, part.ptr ? part.ptr : "", part.len);
			sf_buf_free(&part);
			p = close;
			continue;
		}
		if (*p != '{' || !(close = memchr(p, '}', (size_t)(end - p)))) {
			sf_buf_putc(b, *p);
			continue;
		}
		val = tvar(a, v, p + 1, (size_t)(close - p - 1), &known, thr, sizeof(thr));
		if (!known)
			sf_buf_add(b, p, (size_t)(close - p + 1));
		else if (!val)
			missing = 1;
		else
			sf_buf_puts(b, val);
		p = close;
	}
	return missing ? -1 : 0;
}

static char *expand(actx *a, const char *tpl, const tvars *v)
{
	sf_buf b = SF_BUF_INIT;
	expand_into(a, &b, tpl, tpl + strlen(tpl), v);
	if (b.failed) {
		sf_buf_free(&b);
		return NULL;
	}
	return b.ptr ? b.ptr : strdup("");
}

static const char **keys_of(sf_graph *g, const sf_node_id *ids, size_t n)
{
	const char **k;
	if (!n)
		return NULL;
	k = malloc(n * sizeof(*k));
	if (!k)
		return NULL;
	for (size_t i = 0; i < n; i++)
		k[i] = key_of(g, ids[i]);
	return k;
}

/* Turn one hit of rule `r` into a finding. */
static int emit(actx *a, const sf_rule *r, const sf_pair *p, const sf_hit *h)
{
	sf_finding f;
	tvars v;
	size_t nshared = h->shared != SF_NODE_NONE;
	const sf_node_id *shared = &h->shared;
	sf_buf names = SF_BUF_INIT;

	memset(&v, 0, sizeof(v));
	v.pair = p;
	v.shared = key_of(a->g, h->shared);
	v.shared_kind = nshared ? sf_kind_get(sf_graph_node_at(a->g, h->shared)->kind)->name : NULL;
	if (h->nset) {
		/* a set (SF110): {shared} names every member, {shared_kind}
		 * their kind when they have one */
		shared = h->set;
		nshared = h->nset;
		v.shared_kind = sf_kind_get(sf_graph_node_at(a->g, h->set[0])->kind)->name;
		for (size_t i = 0; i < h->nset; i++) {
			if (i)
				sf_buf_puts(&names, i + 1 == h->nset ? " and " : ", ");
			sf_buf_puts(&names, key_of(a->g, h->set[i]));
			if (sf_graph_node_at(a->g, h->set[i])->kind != sf_graph_node_at(a->g, h->set[0])->kind)
				v.shared_kind = "dependencies";
		}
		if (names.failed) {
			sf_buf_free(&names);
			return -1;
		}
		v.shared = names.ptr;
	}
	v.through = key_of(a->g, h->through);
	v.record = key_of(a->g, h->record);
	v.value = h->value;
	v.plane = h->plane_word;

	memset(&f, 0, sizeof(f));
	f.rule = r;
	f.severity = r->severity;
	/* one step up for what sharedfate.yaml calls critical */
	if (p && f.severity < SF_SEV_CRITICAL) {
		sf_node_id svc = sf_check_service(a->g, p);
		const char *tier = svc == SF_NODE_NONE ? NULL : sf_graph_attr(a->g, svc, "tier");
		if (tier && strcmp(tier, "critical") == 0)
			f.severity = (sf_severity)(f.severity + 1);
	}
	f.pair = p;
	f.service = p ? p->service : NULL;
	f.subject = key_of(a->g, h->subject);
	f.message = expand(a, r->message, &v);
	sf_buf_free(&names);
	f.shared = keys_of(a->g, shared, nshared);
	f.nshared = f.shared ? nshared : 0;
	f.primary_path = keys_of(a->g, h->ppath, h->npp);
	f.nprimary_path = f.primary_path ? h->npp : 0;
	f.standby_path = keys_of(a->g, h->spath, h->nsp);
	f.nstandby_path = f.standby_path ? h->nsp : 0;
	f.plane = h->plane;
	f.location = h->loc;
	if (!f.message || (nshared && !f.shared) || (h->npp && !f.primary_path) ||
	    (h->nsp && !f.standby_path)) {
		free(f.message);
		free(f.shared);
		free(f.primary_path);
		free(f.standby_path);
		return -1;
	}
	return sf_findings_add(a->out, &f);
}

/* Run rule `r` on pair `p` and report its hits; a hit that claims its
 * subject marks it in `newly`. */
static int check(actx *a, sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p,
                 unsigned char *newly)
{
	sf_hits hits = SF_HITS_INIT;
	int rc = sf_check_run(ctx, r, p, &hits);
	for (size_t i = 0; rc == 0 && i < hits.count; i++) {
		rc = emit(a, r, p, &hits.items[i]);
		if (hits.items[i].claims)
			newly[hits.items[i].subject] = 1;
	}
	sf_hits_free(&hits);
	return rc < 0 ? -1 : 0;
}

/* Rules run in this order, so that the most specific claims a node first:
 * reaches, then shared rules with categories, then the catch-all. */
static int phase_of(const sf_rule *r)
{
	if (r->check == SF_CHECK_REACHES)
		return 0;
	if (r->check == SF_CHECK_SHARED && !r->unclaimed)
		return 1;
	if (r->check == SF_CHECK_SHARED)
		return 2;
	return 3;
}

int sf_analyze(sf_graph *g, const sf_failover *fo, const sf_ruleset *rs,
               const sf_analyze_opts *o, sf_findings *out, sf_diags *d)
{
	actx a;
	sf_check_ctx ctx;
	size_t n = sf_graph_node_count(g) + 1;
	unsigned char *newly = NULL;
	int rc = -1;

	memset(&a, 0, sizeof(a));
	memset(&ctx, 0, sizeof(ctx));
	a.g = g;
	a.rs = rs;
	a.o = o;
	a.out = out;
	a.claimed = calloc(n, 1);
	a.blocked = calloc(n, 1);
	newly = calloc(n, 1);
	if (!a.claimed || !a.blocked || !newly || sf_closure_new(&a.c, g) < 0)
		goto cleanup;
	memset(&ctx, 0, sizeof(ctx));
	ctx.g = g;
	ctx.ttl_threshold = o->ttl_threshold;
	ctx.closure = a.c;
	ctx.claimed = a.claimed;
	ctx.blocked = a.blocked;
	ctx.diags = d;
	for (size_t i = 0; i < fo->npairs; i++) {
		const sf_pair *p = &fo->pairs[i];
		sf_pair_fate fate;
		if (sf_closure_pair(a.c, p, &fate) < 0)
			goto cleanup;
		if (fate.truncated)
			sf_diag_warn(d, p->primary && p->primary->prov.path ? p->primary->prov.path : NULL,
			             p->primary ? p->primary->prov.line : 0,
			             "pair %s: shared-fate analysis stopped after %llu steps; its "
			             "shared dependencies may be incomplete", p->id, SF_CLOSURE_MAX_WORK);
		ctx.fate = &fate;
		for (int phase = 0; phase < 4; phase++) {
			for (size_t k = 0; k < rs->count; k++) {
				const sf_rule *r = &rs->items[k];
				if (phase_of(r) != phase || !sf_rule_applies_to_source(r, p->source))
					continue;
				if (check(&a, &ctx, r, p, newly) < 0) {
					sf_pair_fate_free(&fate);
					goto cleanup;
				}
			}
			/* Rules mark only shared nodes and the primary root. */
			for (size_t k = 0; k < fate.nshared; k++) {
				a.claimed[fate.shared[k].node] |= newly[fate.shared[k].node];
				newly[fate.shared[k].node] = 0;
			}
			if (p->primary) {
				a.claimed[p->primary->root] |= newly[p->primary->root];
				newly[p->primary->root] = 0;
			}
		}
		for (size_t k = 0; k < fate.nshared; k++)
			a.claimed[fate.shared[k].node] = 0;
		if (p->primary)
			a.claimed[p->primary->root] = 0;
		sf_pair_fate_free(&fate);
	}
	rc = 0;
cleanup:
	sf_check_ctx_release(&ctx);
	sf_closure_free(a.c);
	free(a.claimed);
	free(a.blocked);
	free(newly);
	return rc;
}
