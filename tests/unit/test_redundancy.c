/* Unit tests: SF110's search for shared redundancy (sf_closure_redundancy)
 * against a brute-force enumeration on small random graphs with ALL and
 * ANY gates, required and optional edges, cycles and several standbys;
 * the pair's blast radius (sf_closure_blast) against the same evaluator;
 * and the work budget. The brute force shares no code with closure.c: it
 * evaluates the gates to a fixed point over the whole graph and checks
 * every proper subset for minimality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/closure.h"
#include "model/failover.h"
#include "model/graph.h"

#define MAXN 14

typedef struct rg {
	sf_graph *g;
	sf_failover fo;
	size_t n;
	sf_node_id id[MAXN];
	int nstandby;
} rg;

static uint32_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift32: the same graphs on every platform */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void member(rg *r, int role, sf_node_id root)
{
	sf_failover_member m;
	memset(&m, 0, sizeof(m));
	m.group = "test:svc";
	m.source = "test";
	m.name = "svc.example.com.";
	m.role = role;
	m.record = SF_NODE_NONE;
	m.root = root;
	assert_int_equal(sf_failover_add(&r->fo, r->g, &m), 0);
}

/* Node 0 is the primary root, 1 (and 2 with two standbys) the standby
 * roots; the rest are dependencies. Edges point mostly downwards, with a
 * few back edges for cycles. */
static void build(rg *r)
{
	static const sf_edge_kind kinds[] = { SF_EDGE_ROUTES_TO, SF_EDGE_ROUTES_TO, SF_EDGE_RESOLVES_TO,
	                                      SF_EDGE_LOCATED_IN, SF_EDGE_MEMBER_OF };
	char key[32];
	memset(r, 0, sizeof(*r));
	assert_int_equal(sf_graph_new(&r->g), 0);
	sf_failover_init(&r->fo);
	r->n = 7 + rnd() % (MAXN - 6);
	r->nstandby = rnd() % 4 == 0 ? 2 : 1;
	for (size_t i = 0; i < r->n; i++) {
		snprintf(key, sizeof(key), "n%02zu", i);
		r->id[i] = sf_graph_node(r->g, SF_KIND_RESOURCE, key, NULL, NULL);
		assert_int_not_equal(r->id[i], SF_NODE_NONE);
		if (rnd() % (i <= 2 ? 4 : 2) != 0)
			sf_graph_set_gate(r->g, r->id[i], SF_GATE_ANY);
	}
	for (size_t i = 0; i < r->n; i++) {
		int any = sf_graph_node_at(r->g, r->id[i])->gate == SF_GATE_ANY;
		size_t deg = any || i <= (size_t)r->nstandby ? 2 + rnd() % 3 : 1 + rnd() % 2;
		for (size_t k = 0; k < deg; k++) {
			size_t j;
			if (i <= (size_t)r->nstandby && rnd() % 4)
				j = (size_t)r->nstandby + 1 + rnd() % 4;  /* roots meet in one layer */
			else if (rnd() % 10 == 0)
				j = rnd() % r->n;                       /* back edge: cycles */
			else if (i + 1 < r->n)
				j = i + 1 + rnd() % (r->n - i - 1);
			else
				continue;
			if (j == i || j <= (size_t)r->nstandby)
				continue;                               /* no edges into roots */
			assert_int_equal(sf_graph_edge(r->g, r->id[i], kinds[rnd() % 5], r->id[j], NULL), 0);
		}
	}
	member(r, 0, r->id[0]);
	for (int s = 1; s <= r->nstandby; s++)
		member(r, s, r->id[s]);
	assert_int_equal(sf_failover_build(&r->fo, r->g), 0);
	assert_int_equal(r->fo.npairs, 1);
}

static void destroy(rg *r)
{
	sf_failover_free(&r->fo);
	sf_graph_free(r->g);
}

/* Fixed point of the gates with the nodes in `set` (bit i: node i)
 * failed. Returns the failed nodes as a bit mask. */
static unsigned eval(rg *r, unsigned set)
{
	unsigned failed = set;
	int changed = 1;
	while (changed) {
		changed = 0;
		for (size_t v = 0; v < r->n; v++) {
			size_t cnt, opt = 0, opt_failed = 0;
			int fail = 0;
			const sf_edge *o;
			if (failed >> v & 1)
				continue;
			o = sf_graph_out(r->g, r->id[v], &cnt);
			for (size_t k = 0; k < cnt; k++) {
				const sf_edge *e = &o[k];
				int dep_failed;
				if (!sf_edge_propagates(e->kind, SF_PLANE_DATA))
					continue;
				dep_failed = (int)(failed >> e->to & 1);   /* ids are 0..n-1 */
				if (sf_graph_node_at(r->g, r->id[v])->gate == SF_GATE_ALL ||
				    sf_edge_kind_get(e->kind)->required)
					fail |= dep_failed;
				else {
					opt++;
					opt_failed += (size_t)dep_failed;
				}
			}
			if (opt && opt == opt_failed)
				fail = 1;
			if (fail) {
				failed |= 1u << v;
				changed = 1;
			}
		}
	}
	return failed;
}

/* 1 primary down, 2 every standby down. */
static int sides_down(rg *r, unsigned set)
{
	unsigned f = eval(r, set);
	int d = (f & 1) ? 1 : 0;
	int all = 1;
	for (int s = 1; s <= r->nstandby; s++)
		all &= (int)(f >> s & 1);
	return d | (all ? 2 : 0);
}

static unsigned reach(rg *r, unsigned from)
{
	unsigned seen = from;
	int changed = 1;
	while (changed) {
		changed = 0;
		for (size_t v = 0; v < r->n; v++) {
			size_t cnt;
			const sf_edge *o;
			if (!(seen >> v & 1))
				continue;
			o = sf_graph_out(r->g, r->id[v], &cnt);
			for (size_t k = 0; k < cnt; k++) {
				const sf_edge *e = &o[k];
				if (sf_edge_propagates(e->kind, SF_PLANE_DATA) && !(seen >> e->to & 1)) {
					seen |= 1u << e->to;
					changed = 1;
				}
			}
		}
	}
	return seen;
}

static int popcount(unsigned x)
{
	int c = 0;
	for (; x; x &= x - 1)
		c++;
	return c;
}

/* The sets as bit masks, sorted; returns how many. */
static size_t brute(rg *r, unsigned order, unsigned *out, size_t max)
{
	unsigned sb = 0, common, cand = 0, keep = 0;
	size_t nout = 0;
	for (int s = 1; s <= r->nstandby; s++)
		sb |= 1u << s;
	common = reach(r, 1) & reach(r, sb);
	for (size_t v = 0; v < r->n; v++)
		if ((common >> v & 1) && sides_down(r, 1u << v) == 0)
			cand |= 1u << v;
	/* the deeper of a candidate and its only dependency */
	for (size_t v = 0; v < r->n; v++) {
		size_t cnt, ndep = 0;
		sf_node_id dep = SF_NODE_NONE;
		const sf_edge *o;
		if (!(cand >> v & 1))
			continue;
		o = sf_graph_out(r->g, r->id[v], &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &o[k];
			if (!sf_edge_propagates(e->kind, SF_PLANE_DATA) || e->to == dep)
				continue;
			ndep++;
			dep = e->to;
		}
		if (!(ndep == 1 && (cand >> dep & 1)))
			keep |= 1u << v;
	}
	for (unsigned set = 1; set < (1u << r->n); set++) {
		int k = popcount(set), minimal = 1;
		if ((set & ~keep) || k < 2 || k > (int)order || sides_down(r, set) != 3)
			continue;
		for (unsigned sub = (set - 1) & set; sub && minimal; sub = (sub - 1) & set)
			if (sides_down(r, sub) == 3)
				minimal = 0;
		if (minimal && nout < max)
			out[nout++] = set;
	}
	return nout;
}

static int cmp_sets(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

static void test_against_brute_force(void **state)
{
	size_t graphs_with_sets = 0, total = 0, larger = 0;
	(void)state;
	rng_state = 2463534242u;
	for (int round = 0; round < 1500; round++) {
		rg r;
		sf_closure *c;
		sf_redundancy red;
		sf_redundancy_opts o = { SF_PLANE_DATA, 3, 100000000ull };
		unsigned want[512], got[512];
		size_t nwant, ngot = 0;

		build(&r);
		nwant = brute(&r, 3, want, 512);
		assert_int_equal(sf_closure_new(&c, r.g), 0);
		assert_int_equal(sf_closure_redundancy(c, &r.fo.pairs[0], &o, &red), 0);
		assert_false(red.truncated);
		for (size_t i = 0; i < red.nsets; i++) {
			unsigned m = 0;
			for (unsigned k = 0; k < red.sets[i].n; k++)
				m |= 1u << red.sets[i].member[k];
			got[ngot++] = m;
			larger += red.sets[i].n == 3;
		}
		qsort(want, nwant, sizeof(*want), cmp_sets);
		qsort(got, ngot, sizeof(*got), cmp_sets);
		if (nwant != ngot || memcmp(want, got, nwant * sizeof(*want)) != 0) {
			fprintf(stderr, "round %d: brute force %zu sets, search %zu\n", round, nwant, ngot);
			for (size_t i = 0; i < nwant; i++)
				fprintf(stderr, "  want %#x\n", want[i]);
			for (size_t i = 0; i < ngot; i++)
				fprintf(stderr, "  got  %#x\n", got[i]);
			fail();
		}
		graphs_with_sets += ngot > 0;
		total += ngot;
		sf_redundancy_free(&red);
		sf_closure_free(c);
		destroy(&r);
	}
	fprintf(stderr, "graphs with sets %zu, sets %zu, of three %zu\n", graphs_with_sets, total, larger);
	/* the random graphs are not all trivially independent */
	assert_true(graphs_with_sets >= 100);
	assert_true(larger >= 10);
	(void)total;
}

static void test_blast_against_brute_force(void **state)
{
	(void)state;
	rng_state = 88172645u;
	for (int round = 0; round < 500; round++) {
		rg r;
		sf_closure *c;
		sf_blast b;
		int want[MAXN] = { 0 }, got[MAXN] = { 0 };
		unsigned sb = 0, uni;
		build(&r);
		for (int s = 1; s <= r.nstandby; s++)
			sb |= 1u << s;
		uni = reach(&r, 1) | reach(&r, sb);
		for (size_t v = 0; v < r.n; v++)
			if (uni >> v & 1)
				want[v] = sides_down(&r, 1u << v);
		assert_int_equal(sf_closure_new(&c, r.g), 0);
		assert_int_equal(sf_closure_blast(c, &r.fo.pairs[0], SF_PLANE_DATA, &b), 0);
		for (size_t i = 0; i < b.n; i++)
			got[b.node[i]] = b.down[i];
		for (size_t v = 0; v < r.n; v++)
			assert_int_equal(want[v], got[v]);
		sf_blast_free(&b);
		sf_closure_free(c);
		destroy(&r);
	}
}

/* Identical pools of three origins: one set of three; at order 2, none. */
static void test_identical_pools_and_order(void **state)
{
	rg r;
	sf_closure *c;
	sf_redundancy red;
	sf_redundancy_opts o = { SF_PLANE_DATA, 3, 100000 };
	sf_node_id p, s, origin[3];
	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(sf_graph_new(&r.g), 0);
	sf_failover_init(&r.fo);
	p = sf_graph_node(r.g, SF_KIND_LOAD_BALANCER, "pool-a", NULL, NULL);
	s = sf_graph_node(r.g, SF_KIND_LOAD_BALANCER, "pool-b", NULL, NULL);
	sf_graph_set_gate(r.g, p, SF_GATE_ANY);
	sf_graph_set_gate(r.g, s, SF_GATE_ANY);
	for (int i = 0; i < 3; i++) {
		char key[32];
		snprintf(key, sizeof(key), "ip:%d", i);
		origin[i] = sf_graph_node(r.g, SF_KIND_ENDPOINT, key, NULL, NULL);
		assert_int_equal(sf_graph_edge(r.g, p, SF_EDGE_ROUTES_TO, origin[i], NULL), 0);
		assert_int_equal(sf_graph_edge(r.g, s, SF_EDGE_ROUTES_TO, origin[i], NULL), 0);
	}
	member(&r, 0, p);
	member(&r, 1, s);
	assert_int_equal(sf_failover_build(&r.fo, r.g), 0);
	assert_int_equal(sf_closure_new(&c, r.g), 0);
	assert_int_equal(sf_closure_redundancy(c, &r.fo.pairs[0], &o, &red), 0);
	assert_int_equal(red.nsets, 1);
	assert_int_equal(red.sets[0].n, 3);
	assert_int_equal(red.sets[0].member[0], origin[0]);
	assert_int_equal(red.sets[0].member[2], origin[2]);
	sf_redundancy_free(&red);
	o.order = 2;
	assert_int_equal(sf_closure_redundancy(c, &r.fo.pairs[0], &o, &red), 0);
	assert_int_equal(red.nsets, 0);
	sf_redundancy_free(&red);
	/* a budget too small for the search stops it and says so */
	o.order = 3;
	o.budget = 10;
	assert_int_equal(sf_closure_redundancy(c, &r.fo.pairs[0], &o, &red), 0);
	assert_true(red.truncated);
	assert_int_equal(red.nsets, 0);
	sf_redundancy_free(&red);
	sf_closure_free(c);
	destroy(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_blast_against_brute_force),
		cmocka_unit_test(test_identical_pools_and_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
