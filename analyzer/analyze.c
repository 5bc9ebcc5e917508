#include "analyze.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/buf.h"
#include "checks_dns.h"
#include "checks_tf.h"
#include "closure.h"

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
	return n ? n->key : NULL;
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

static sf_prov pair_location(sf_graph *g, const sf_pair *p, int prefer_standby)
{
	const sf_failover_member *m = NULL;
	sf_prov none = { NULL, 0 };
	if (prefer_standby && p->nstandby)
		m = p->standby[0];
	if (!m)
		m = p->primary ? p->primary : (p->nstandby ? p->standby[0] : NULL);
	if (!m)
		return none;
	if (m->prov.path)
		return m->prov;
	if (m->record != SF_NODE_NONE)
		return sf_graph_node_at(g, m->record)->prov;
	return none;
}

static int emit(actx *a, const sf_rule *r, const sf_pair *p, const char *subject,
                const tvars *v, const sf_node_id *shared, size_t nshared,
                const sf_node_id *pp, size_t npp, const sf_node_id *sp, size_t nsp,
                sf_plane plane, sf_prov loc)
{
	sf_finding f;
	memset(&f, 0, sizeof(f));
	f.rule = r;
	f.severity = r->severity;
	f.pair = p;
	f.service = p ? p->service : NULL;
	f.subject = subject;
	f.message = expand(a, r->message, v);
	f.shared = keys_of(a->g, shared, nshared);
	f.nshared = f.shared ? nshared : 0;
	f.primary_path = keys_of(a->g, pp, npp);
	f.nprimary_path = f.primary_path ? npp : 0;
	f.standby_path = keys_of(a->g, sp, nsp);
	f.nstandby_path = f.standby_path ? nsp : 0;
	f.plane = plane;
	f.location = loc;
	if (!f.message || (nshared && !f.shared) || (npp && !f.primary_path) ||
	    (nsp && !f.standby_path)) {
		free(f.message);
		free(f.shared);
		free(f.primary_path);
		free(f.standby_path);
		return -1;
	}
	return sf_findings_add(a->out, &f);
}

static int rule_matches_node(const sf_rule *r, const sf_node *n)
{
	const sf_kind_info *ki = sf_kind_get(n->kind);
	if (ki->category == SF_CAT_GOVERNANCE)
		return 0;       /* metadata, never a failure cause */
	if (r->kinds)
		return (r->kinds >> n->kind) & 1;
	if (r->categories)
		return (r->categories >> ki->category) & 1;
	return 1;
}

static int plane_matches(const sf_rule *r, sf_plane shared_plane)
{
	return r->plane == SF_PLANE_NONE || r->plane == shared_plane;
}

/* Shared-node rules. A node is reported by a rule when the rule matches it
 * and it is *topmost* among the nodes the rule matches: each side reaches it
 * by a path through no other such node. Without that, one shared load
 * balancer would also report every listener and target behind it. */
static int check_shared(actx *a, const sf_rule *r, const sf_pair *p, const sf_pair_fate *fate,
                        unsigned char *newly)
{
	int rc = 0;
	for (size_t i = 0; i < fate->nshared; i++) {
		const sf_shared *s = &fate->shared[i];
		const sf_node *node = sf_graph_node_at(a->g, s->node);
		const char *u;
		/* `unless` spares nodes every pair has by design (a public CA). */
		if (r->unless_attribute && (u = sf_graph_attr(a->g, s->node, r->unless_attribute)) &&
		    strcmp(u, r->unless_value) == 0)
			continue;
		if (r->unclaimed ? plane_matches(r, s->plane)
		                 : (rule_matches_node(r, node) && plane_matches(r, s->plane)))
			a->blocked[s->node] = 1;
	}
	for (size_t i = 0; i < fate->nshared; i++) {
		const sf_shared *s = &fate->shared[i];
		const sf_node *node = sf_graph_node_at(a->g, s->node);
		sf_node_id *pp = NULL, *sp = NULL;
		size_t npp, nsp = 0;
		sf_node_id through = SF_NODE_NONE;
		tvars v;

		if (!a->blocked[s->node] || a->claimed[s->node])
			continue;
		if (r->unclaimed && !rule_matches_node(r, node))
			continue;
		npp = sf_closure_path(a->c, p, s->plane, p->primary->root, s->node, a->blocked, &pp);
		for (size_t k = 0; k < p->nstandby && !nsp; k++)
			nsp = sf_closure_path(a->c, p, s->plane, p->standby[k]->root, s->node, a->blocked,
			                      &sp);
		if (!npp || !nsp) {
			free(pp);
			free(sp);
			continue;
		}
		/* Through what does the standby reach it? The first other shared
		 * node on its path. */
		for (size_t k = 0; k + 1 < nsp && through == SF_NODE_NONE; k++)
			for (size_t j = 0; j < fate->nshared; j++)
				if (fate->shared[j].node == sp[k])
					through = sp[k];
		/* Else, when the standby reaches it only through a dependency of
		 * its own (its identity provider, secret, key, certificate) that
		 * lies there: name that dependency. */
		if (through == SF_NODE_NONE && nsp > 2) {
			sf_category c = sf_kind_get(sf_graph_node_at(a->g, sp[nsp - 2])->kind)->category;
			if (c == SF_CAT_IDENTITY || c == SF_CAT_SECRETS || c == SF_CAT_CERTIFICATES ||
			    c == SF_CAT_ADMINISTRATION)
				through = sp[nsp - 2];
		}
		memset(&v, 0, sizeof(v));
		v.pair = p;
		v.shared = node->key;
		v.shared_kind = sf_kind_get(node->kind)->name;
		v.through = through != SF_NODE_NONE ? key_of(a->g, through) : NULL;
		v.plane = s->plane == SF_PLANE_CONTROL ? "control" : "data";
		rc = emit(a, r, p, node->key, &v, &s->node, 1, pp, npp, sp, nsp, s->plane,
		          pair_location(a->g, p, 1));
		free(pp);
		free(sp);
		if (rc < 0)
			break;
		newly[s->node] = 1;
	}
	/* Only shared nodes were marked: clearing them is enough. */
	for (size_t i = 0; i < fate->nshared; i++)
		a->blocked[fate->shared[i].node] = 0;
	return rc < 0 ? -1 : 0;
}

static int check_reaches(actx *a, const sf_rule *r, const sf_pair *p, const sf_pair_fate *fate,
                         unsigned char *newly)
{
	sf_node_id proot, *sp = NULL;
	size_t nsp = 0;
	tvars v;
	int rc;

	if (!fate->standby_needs_primary)
		return 0;
	proot = p->primary->root;
	/* Both records naming the same target is a shared node, not a
	 * standby that depends on its primary. */
	for (size_t k = 0; k < p->nstandby; k++)
		if (p->standby[k]->root == proot)
			return 0;
	for (size_t k = 0; k < p->nstandby && !nsp; k++)
		nsp = sf_closure_path(a->c, p, SF_PLANE_DATA, p->standby[k]->root, proot, NULL, &sp);
	memset(&v, 0, sizeof(v));
	v.pair = p;
	v.shared = key_of(a->g, proot);
	v.shared_kind = sf_kind_get(sf_graph_node_at(a->g, proot)->kind)->name;
	rc = emit(a, r, p, v.shared, &v, &proot, 1, &proot, 1, sp, nsp, SF_PLANE_DATA,
	          pair_location(a->g, p, 1));
	free(sp);
	newly[proot] = 1;
	return rc;
}

static int num(const char *s, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return s[0] && !*end && !errno;
}

static int compare(const sf_rule *r, const char *have, const char *want)
{
	double x, y;
	int c;
	if (num(have, &x) && num(want, &y))
		c = x < y ? -1 : x > y ? 1 : 0;
	else
		c = strcmp(have, want);
	switch (r->op) {
	case SF_OP_GT: return c > 0;
	case SF_OP_GE: return c >= 0;
	case SF_OP_LT: return c < 0;
	case SF_OP_LE: return c <= 0;
	case SF_OP_EQ: return c == 0;
	case SF_OP_NE: return c != 0;
	default: return 0;
	}
}

static const char *rule_value(actx *a, const char *v, char *buf, size_t bufsz)
{
	if (strcmp(v, "{threshold}") == 0) {
		snprintf(buf, bufsz, "%ld", a->o->ttl_threshold);
		return buf;
	}
	return v;
}

/* Does the node `id` violate attribute rule `r`? */
static int attribute_fires(actx *a, const sf_rule *r, sf_node_id id, const char **value)
{
	const char *have = sf_graph_attr(a->g, id, r->attribute);
	char buf[32];
	*value = have;
	if (r->op == SF_OP_MISSING)
		return have == NULL;
	if (!have)
		return 0;
	if (r->op == SF_OP_IN) {
		for (size_t i = 0; i < r->nvalues; i++)
			if (strcmp(have, rule_value(a, r->values[i], buf, sizeof(buf))) == 0)
				return 1;
		return 0;
	}
	return compare(r, have, rule_value(a, r->values[0], buf, sizeof(buf)));
}

static int edge_missing(actx *a, const sf_rule *r, sf_node_id id)
{
	size_t cnt;
	const size_t *out = sf_graph_out(a->g, id, &cnt);
	const char *u;
	for (size_t k = 0; k < cnt; k++)
		if ((int)sf_graph_edge_at(a->g, out[k])->kind == r->edge)
			return 0;
	if (r->unless_attribute && (u = sf_graph_attr(a->g, id, r->unless_attribute)) &&
	    strcmp(u, r->unless_value) == 0)
		return 0;
	return 1;
}

/* Checks on the nodes a pair's members declare: their records, or the
 * roots when a member has no record of its own. */
static int check_members(actx *a, const sf_rule *r, const sf_pair *p)
{
	const sf_failover_member *ms[64];
	size_t n = 0;

	if (p->primary && r->subject != SF_SUBJECT_STANDBY)
		ms[n++] = p->primary;
	for (size_t i = 0; i < p->nstandby && n < 64 && r->subject != SF_SUBJECT_PRIMARY; i++)
		ms[n++] = p->standby[i];
	for (size_t i = 0; i < n; i++) {
		sf_node_id id = ms[i]->record != SF_NODE_NONE ? ms[i]->record : ms[i]->root;
		const char *value = NULL;
		int fires, seen = 0;
		tvars v;
		/* Members may share their record (a pair declared in
		 * sharedfate.yaml: both sides hang off the one failover name):
		 * check it once. */
		for (size_t k = 0; k < i; k++)
			seen |= (ms[k]->record != SF_NODE_NONE ? ms[k]->record : ms[k]->root) == id;
		if (id == SF_NODE_NONE || seen)
			continue;
		if (r->record_type && r->record_type[0]) {
			const char *t = sf_graph_attr(a->g, id, "type");
			if (!t || strcmp(t, r->record_type) != 0)
				continue;
		}
		fires = r->check == SF_CHECK_ATTRIBUTE ? attribute_fires(a, r, id, &value)
		                                       : edge_missing(a, r, id);
		if (!fires)
			continue;
		memset(&v, 0, sizeof(v));
		v.pair = p;
		v.record = key_of(a->g, id);
		v.value = value;
		{
			sf_prov loc = ms[i]->prov.path ? ms[i]->prov : sf_graph_node_at(a->g, id)->prov;
			if (emit(a, r, p, v.record, &v, NULL, 0, NULL, 0, NULL, 0, SF_PLANE_NONE, loc) < 0)
				return -1;
		}
	}
	return 0;
}

static int check_incomplete(actx *a, const sf_rule *r, const sf_pair *p)
{
	tvars v;
	const char *have;
	if (p->primary && p->nstandby)
		return 0;
	have = p->primary ? "a primary but no standby" : "a standby but no primary";
	memset(&v, 0, sizeof(v));
	v.pair = p;
	v.value = have;
	v.record = p->primary ? key_of(a->g, p->primary->record)
	                      : key_of(a->g, p->standby[0]->record);
	return emit(a, r, p, v.record, &v, NULL, 0, NULL, 0, NULL, 0, SF_PLANE_NONE,
	            pair_location(a->g, p, 0));
}

/* SF207 and its kind: a zone serving the failover name, all of whose name
 * servers one provider runs. */
static int check_single_provider(actx *a, const sf_rule *r, const sf_pair *p)
{
	sf_dns_hits hits = { NULL, 0, 0 };
	int rc = sf_check_single_provider(a->g, p, &hits);
	for (size_t i = 0; rc == 0 && i < hits.count; i++) {
		const sf_dns_hit *h = &hits.items[i];
		tvars v;
		memset(&v, 0, sizeof(v));
		v.pair = p;
		v.record = key_of(a->g, h->subject);
		v.shared = key_of(a->g, h->shared);
		v.shared_kind = sf_kind_get(sf_graph_node_at(a->g, h->shared)->kind)->name;
		v.value = sf_graph_node_at(a->g, h->shared)->label;
		rc = emit(a, r, p, v.record, &v, &h->shared, 1, NULL, 0, NULL, 0, SF_PLANE_NONE,
		          sf_graph_node_at(a->g, h->subject)->prov);
	}
	sf_dns_hits_free(&hits);
	return rc;
}

/* SF203 and its kind: a side whose chain ends at a name nothing defines. */
static int check_unresolved(actx *a, const sf_rule *r, const sf_pair *p)
{
	sf_dns_hits hits = { NULL, 0, 0 };
	int rc = sf_check_unresolved(a->g, p, r->subject != SF_SUBJECT_STANDBY,
	                             r->subject != SF_SUBJECT_PRIMARY, r->kinds, &hits);
	for (size_t i = 0; rc == 0 && i < hits.count; i++) {
		const sf_dns_hit *h = &hits.items[i];
		int primary = h->member == p->primary;
		sf_prov loc = h->member->prov.path ? h->member->prov
		                                   : pair_location(a->g, p, !primary);
		char *reason;
		tvars v;
		memset(&v, 0, sizeof(v));
		v.pair = p;
		v.record = key_of(a->g, h->member->root);
		v.shared = key_of(a->g, h->subject);
		v.shared_kind = sf_kind_get(sf_graph_node_at(a->g, h->subject)->kind)->name;
		v.value = reason = sf_dns_hit_reason(a->g, h);
		rc = reason ? emit(a, r, p, v.shared, &v, &h->subject, 1, primary ? h->path : NULL,
		                   primary ? h->npath : 0, primary ? NULL : h->path,
		                   primary ? 0 : h->npath, SF_PLANE_DATA, loc)
		            : -1;
		free(reason);
	}
	sf_dns_hits_free(&hits);
	return rc;
}

/* SF202, SF205, SF301, SF302 and their kinds (checks_tf.c). A hit stands
 * when it says so (a disabled health check) or passes the rule's
 * attribute test. */
static int check_tf(actx *a, const sf_rule *r, const sf_pair *p)
{
	sf_tf_hits hits = { NULL, 0, 0 };
	int rc = sf_check_tf(a->g, p, r, &hits);
	for (size_t i = 0; rc == 0 && i < hits.count; i++) {
		const sf_tf_hit *h = &hits.items[i];
		const char *av = NULL;
		sf_prov loc;
		tvars v;
		if (!h->always && r->attribute && !attribute_fires(a, r, h->subject, &av))
			continue;
		memset(&v, 0, sizeof(v));
		v.pair = p;
		v.record = key_of(a->g, h->record);
		v.shared = key_of(a->g, h->subject);
		v.shared_kind = sf_kind_get(sf_graph_node_at(a->g, h->subject)->kind)->name;
		v.through = key_of(a->g, h->through);
		v.value = h->value ? h->value : av;
		v.plane = h->plane == SF_PLANE_CONTROL ? "control" : "data";
		loc = h->member && h->member->prov.path ? h->member->prov
		                                        : pair_location(a->g, p, h->member != p->primary);
		rc = emit(a, r, p, v.shared, &v, &h->subject, 1, h->ppath, h->npp, h->spath, h->nsp,
		          h->plane, loc);
	}
	sf_tf_hits_free(&hits);
	return rc;
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
	size_t n = sf_graph_node_count(g) + 1;
	unsigned char *newly = NULL;
	int rc = -1;

	memset(&a, 0, sizeof(a));
	a.g = g;
	a.rs = rs;
	a.o = o;
	a.out = out;
	a.claimed = calloc(n, 1);
	a.blocked = calloc(n, 1);
	newly = calloc(n, 1);
	if (!a.claimed || !a.blocked || !newly || sf_closure_new(&a.c, g) < 0)
		goto cleanup;
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
		for (int phase = 0; phase < 4; phase++) {
			for (size_t k = 0; k < rs->count; k++) {
				const sf_rule *r = &rs->items[k];
				int crc = 0;
				if (phase_of(r) != phase || !sf_rule_applies_to_source(r, p->source))
					continue;
				switch (r->check) {
				case SF_CHECK_SHARED:
					if (fate.nshared)
						crc = check_shared(&a, r, p, &fate, newly);
					break;
				case SF_CHECK_REACHES:
					if (p->primary && p->nstandby)
						crc = check_reaches(&a, r, p, &fate, newly);
					break;
				case SF_CHECK_ATTRIBUTE:
				case SF_CHECK_MISSING_EDGE:
					crc = check_members(&a, r, p);
					break;
				case SF_CHECK_PAIR_INCOMPLETE:
					crc = check_incomplete(&a, r, p);
					break;
				case SF_CHECK_SINGLE_PROVIDER:
					crc = check_single_provider(&a, r, p);
					break;
				case SF_CHECK_UNRESOLVED:
					crc = check_unresolved(&a, r, p);
					break;
				case SF_CHECK_HEALTH_CHECK:
				case SF_CHECK_CERT_COVERAGE:
				case SF_CHECK_PATH_ATTRIBUTE:
				case SF_CHECK_REPLICA_REGION:
					crc = check_tf(&a, r, p);
					break;
				default:
					break;  /* checks implemented by later stages */
				}
				if (crc < 0) {
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
	sf_closure_free(a.c);
	free(a.claimed);
	free(a.blocked);
	free(newly);
	return rc;
}
