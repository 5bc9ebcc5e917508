/* Unit tests: shared fate of a pair, with gates, planes, cycles and the
 * nodes excluded by construction. Graphs are built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "analyzer/closure.h"
#include "model/failover.h"
#include "model/graph.h"

typedef struct fx {
	sf_graph *g;
	sf_failover fo;
	sf_closure *c;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	assert_int_equal(sf_graph_new(&f->g), 0);
	sf_failover_init(&f->fo);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	sf_closure_free(f->c);
	sf_failover_free(&f->fo);
	sf_graph_free(f->g);
	free(f);
	return 0;
}

static sf_node_id N(fx *f, sf_kind k, const char *key)
{
	return sf_graph_node(f->g, k, key, NULL, NULL);
}

static void E(fx *f, sf_node_id a, sf_edge_kind k, sf_node_id b)
{
	assert_int_equal(sf_graph_edge(f->g, a, k, b, NULL), 0);
}

static void member(fx *f, int role, sf_node_id record, sf_node_id root)
{
	sf_failover_member m;
	memset(&m, 0, sizeof(m));
	m.group = "test:svc";
	m.source = "test";
	m.name = "svc.example.com.";
	m.role = role;
	m.record = record;
	m.root = root;
	assert_int_equal(sf_failover_add(&f->fo, f->g, &m), 0);
}

/* Build the pair and compute its fate; returns "key/plane,key/plane" */
static char *fate_of(fx *f)
{
	sf_pair_fate fate;
	static char buf[1024];
	buf[0] = '\0';
	assert_int_equal(sf_failover_build(&f->fo, f->g), 0);
	assert_int_equal(f->fo.npairs, 1);
	assert_int_equal(sf_closure_new(&f->c, f->g), 0);
	assert_int_equal(sf_closure_pair(f->c, &f->fo.pairs[0], &fate), 0);
	for (size_t i = 0; i < fate.nshared; i++) {
		const sf_node *n = sf_graph_node_at(f->g, fate.shared[i].node);
		size_t o = strlen(buf);
		snprintf(buf + o, sizeof(buf) - o, "%s%s%s", o ? "," : "", sf_graph_node_key(f->g, n),
		         fate.shared[i].plane == SF_PLANE_DATA ? "/d" : "/c");
	}
	sf_pair_fate_free(&fate);
	return buf;
}

static void test_all_gate(void **state)
{
	fx *f = *state;
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id key = N(f, SF_KIND_KMS_KEY, "key"), own = N(f, SF_KIND_SECRET, "own");
	E(f, p, SF_EDGE_ENCRYPTED_BY, key);
	E(f, s, SF_EDGE_READS_SECRET, own);
	E(f, own, SF_EDGE_ENCRYPTED_BY, key);
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s);
	assert_string_equal(fate_of(f), "key/d");
}

static void test_any_gate(void **state)
{
	fx *f = *state;
	/* Both sides need target group tg (ANY over two targets): tg is a
	 * single point, each target alone is not. */
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id tg = N(f, SF_KIND_TARGET_GROUP, "tg");
	sf_node_id t1 = N(f, SF_KIND_COMPUTE, "t1"), t2 = N(f, SF_KIND_COMPUTE, "t2");
	sf_node_id z = N(f, SF_KIND_AVAILABILITY_ZONE, "z");
	sf_graph_set_gate(f->g, tg, SF_GATE_ANY);
	E(f, p, SF_EDGE_ROUTES_TO, tg);
	E(f, s, SF_EDGE_ROUTES_TO, tg);
	E(f, tg, SF_EDGE_ROUTES_TO, t1);
	E(f, tg, SF_EDGE_ROUTES_TO, t2);
	E(f, t1, SF_EDGE_LOCATED_IN, z);
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s);
	assert_string_equal(fate_of(f), "tg/d");
}

static void test_any_gate_common_cause(void **state)
{
	fx *f = *state;
	/* Both targets in one zone: the zone takes the ANY gate down. */
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id tg = N(f, SF_KIND_TARGET_GROUP, "tg");
	sf_node_id t1 = N(f, SF_KIND_COMPUTE, "t1"), t2 = N(f, SF_KIND_COMPUTE, "t2");
	sf_node_id z = N(f, SF_KIND_AVAILABILITY_ZONE, "z");
	sf_graph_set_gate(f->g, tg, SF_GATE_ANY);
	E(f, p, SF_EDGE_ROUTES_TO, tg);
	E(f, s, SF_EDGE_ROUTES_TO, tg);
	E(f, tg, SF_EDGE_ROUTES_TO, t1);
	E(f, tg, SF_EDGE_ROUTES_TO, t2);
	E(f, t1, SF_EDGE_LOCATED_IN, z);
	E(f, t2, SF_EDGE_LOCATED_IN, z);
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s);
	assert_string_equal(fate_of(f), "tg/d,z/d");
}

static void test_any_gate_required_edge(void **state)
{
	fx *f = *state;
	/* An ANY gate chooses among its targets, but the target group still
	 * fails with its region: located_in is required, not an alternative. */
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id tg = N(f, SF_KIND_TARGET_GROUP, "tg"), r = N(f, SF_KIND_REGION, "r");
	sf_graph_set_gate(f->g, tg, SF_GATE_ANY);
	E(f, p, SF_EDGE_ROUTES_TO, tg);
	E(f, s, SF_EDGE_ROUTES_TO, tg);
	E(f, tg, SF_EDGE_ROUTES_TO, N(f, SF_KIND_COMPUTE, "t1"));
	E(f, tg, SF_EDGE_ROUTES_TO, N(f, SF_KIND_COMPUTE, "t2"));
	E(f, tg, SF_EDGE_LOCATED_IN, r);
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s);
	assert_string_equal(fate_of(f), "r/d,tg/d");
}

static void test_standby_any_over_roots(void **state)
{
	fx *f = *state;
	/* Two standbys: a node takes the standby side down only when it takes
	 * down both. */
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p");
	sf_node_id s1 = N(f, SF_KIND_LOAD_BALANCER, "s1"), s2 = N(f, SF_KIND_LOAD_BALANCER, "s2");
	sf_node_id r1 = N(f, SF_KIND_REGION, "r1"), r2 = N(f, SF_KIND_REGION, "r2");
	E(f, p, SF_EDGE_LOCATED_IN, r1);
	E(f, s1, SF_EDGE_LOCATED_IN, r1);
	E(f, s2, SF_EDGE_LOCATED_IN, r2);
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s1);
	member(f, 2, SF_NODE_NONE, s2);
	assert_string_equal(fate_of(f), "");
}

static void test_planes(void **state)
{
	fx *f = *state;
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id acct = N(f, SF_KIND_ACCOUNT, "acct"), r = N(f, SF_KIND_REGION, "r");
	sf_node_id hc = N(f, SF_KIND_HEALTH_CHECK, "hc");
	E(f, p, SF_EDGE_MEMBER_OF, acct);
	E(f, s, SF_EDGE_MEMBER_OF, acct);
	E(f, p, SF_EDGE_LOCATED_IN, r);
	E(f, s, SF_EDGE_LOCATED_IN, r);
	/* checked_by and depends_on carry no failure */
	E(f, p, SF_EDGE_CHECKED_BY, hc);
	E(f, s, SF_EDGE_CHECKED_BY, hc);
	E(f, s, SF_EDGE_DEPENDS_ON, p);
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s);
	assert_string_equal(fate_of(f), "acct/c,r/d");
}

static void test_cycle_terminates(void **state)
{
	fx *f = *state;
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id a = N(f, SF_KIND_COMPUTE, "a"), b = N(f, SF_KIND_COMPUTE, "b");
	E(f, p, SF_EDGE_ROUTES_TO, a);
	E(f, a, SF_EDGE_ROUTES_TO, b);
	E(f, b, SF_EDGE_ROUTES_TO, a);
	E(f, s, SF_EDGE_ROUTES_TO, b);
	E(f, s, SF_EDGE_ROUTES_TO, p);      /* and the standby needs the primary */
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s);
	assert_string_equal(fate_of(f), "a/d,b/d,p/d");
}

static void test_excluded_zone(void **state)
{
	fx *f = *state;
	/* Records served by one zone at one provider: common by construction,
	 * never shared fate. */
	sf_node_id pr = N(f, SF_KIND_DNS_NAME, "rec-p"), sr = N(f, SF_KIND_DNS_NAME, "rec-s");
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id zone = N(f, SF_KIND_DNS_ZONE, "zone"), prov = N(f, SF_KIND_DNS_PROVIDER, "prov");
	E(f, pr, SF_EDGE_RESOLVES_TO, p);
	E(f, sr, SF_EDGE_RESOLVES_TO, s);
	E(f, pr, SF_EDGE_SERVED_BY, zone);
	E(f, sr, SF_EDGE_SERVED_BY, zone);
	E(f, zone, SF_EDGE_SERVED_BY, prov);
	/* ...even when a root is the record itself */
	member(f, 0, pr, pr);
	member(f, 1, sr, s);
	assert_string_equal(fate_of(f), "");
	assert_int_equal(f->fo.pairs[0].nexcluded, 4);
}

static void test_pass_through_name(void **state)
{
	fx *f = *state;
	/* Both records alias one name that resolves to one load balancer:
	 * the load balancer is reported, not the name in front of it. */
	sf_node_id name = N(f, SF_KIND_DNS_NAME, "dns:lb.");
	sf_node_id lb = N(f, SF_KIND_LOAD_BALANCER, "lb");
	E(f, name, SF_EDGE_RESOLVES_TO, lb);
	member(f, 0, SF_NODE_NONE, name);
	member(f, 1, N(f, SF_KIND_DNS_NAME, "rec-s"), name);
	assert_string_equal(fate_of(f), "lb/d");
}

static void test_incomplete(void **state)
{
	fx *f = *state;
	sf_pair_fate fate;
	member(f, 0, SF_NODE_NONE, N(f, SF_KIND_LOAD_BALANCER, "p"));
	assert_int_equal(sf_failover_build(&f->fo, f->g), 0);
	assert_non_null(f->fo.pairs[0].primary);
	assert_int_equal(f->fo.pairs[0].nstandby, 0);
	assert_int_equal(sf_closure_new(&f->c, f->g), 0);
	assert_int_equal(sf_closure_pair(f->c, &f->fo.pairs[0], &fate), 0);
	assert_int_equal(fate.nshared, 0);
}

static void test_path(void **state)
{
	fx *f = *state;
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id a = N(f, SF_KIND_COMPUTE, "a"), b = N(f, SF_KIND_COMPUTE, "b");
	sf_node_id k = N(f, SF_KIND_KMS_KEY, "k");
	sf_node_id *path;
	unsigned char blocked[16] = { 0 };
	size_t n;
	E(f, p, SF_EDGE_ROUTES_TO, a);
	E(f, a, SF_EDGE_ENCRYPTED_BY, k);
	E(f, p, SF_EDGE_ROUTES_TO, b);
	E(f, b, SF_EDGE_ROUTES_TO, a);
	E(f, s, SF_EDGE_ENCRYPTED_BY, k);
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s);
	fate_of(f);
	n = sf_closure_path(f->c, &f->fo.pairs[0], SF_PLANE_DATA, p, k, NULL, &path);
	assert_int_equal(n, 3);
	assert_int_equal(path[0], p);
	assert_int_equal(path[1], a);
	assert_int_equal(path[2], k);
	free(path);
	/* a blocked node is not passed through */
	blocked[a] = 1;
	n = sf_closure_path(f->c, &f->fo.pairs[0], SF_PLANE_DATA, p, k, blocked, &path);
	assert_int_equal(n, 0);
	assert_null(path);
}

static void test_long_shared_chain(void **state)
{
	fx *f = *state;
	/* Both sides run into one chain of 50,000 nodes, with an ANY gate
	 * beside it so the failure must be simulated. Without the early stop at
	 * known-shared nodes this is 50,000^2 steps, past the work budget. */
	enum { L = 50000 };
	sf_node_id p = N(f, SF_KIND_LOAD_BALANCER, "p"), s = N(f, SF_KIND_LOAD_BALANCER, "s");
	sf_node_id any = N(f, SF_KIND_TARGET_GROUP, "any"), prev = SF_NODE_NONE;
	sf_pair_fate fate;
	char key[32];
	sf_graph_set_gate(f->g, any, SF_GATE_ANY);
	E(f, p, SF_EDGE_ROUTES_TO, any);
	E(f, any, SF_EDGE_ROUTES_TO, N(f, SF_KIND_COMPUTE, "t1"));
	E(f, any, SF_EDGE_ROUTES_TO, N(f, SF_KIND_COMPUTE, "t2"));
	for (int i = 0; i < L; i++) {
		sf_node_id n;
		snprintf(key, sizeof(key), "c%06d", i);
		n = N(f, SF_KIND_COMPUTE, key);
		if (prev == SF_NODE_NONE) {
			E(f, p, SF_EDGE_ROUTES_TO, n);
			E(f, s, SF_EDGE_ROUTES_TO, n);
		} else {
			E(f, prev, SF_EDGE_ROUTES_TO, n);
		}
		prev = n;
	}
	member(f, 0, SF_NODE_NONE, p);
	member(f, 1, SF_NODE_NONE, s);
	assert_int_equal(sf_failover_build(&f->fo, f->g), 0);
	assert_int_equal(sf_closure_new(&f->c, f->g), 0);
	assert_int_equal(sf_closure_pair(f->c, &f->fo.pairs[0], &fate), 0);
	assert_int_equal(fate.truncated, 0);
	assert_int_equal(fate.nshared, L);
	sf_pair_fate_free(&fate);
}

/* Both sides resolve through one CNAME chain of `len` names (issue 9: a
 * chain of 100k names took 12 s, quadratic in the shared set), with an ANY
 * gate beside it so that failures are simulated. Returns the steps. */
static unsigned long long cname_chain(int len, size_t *nshared, double *seconds)
{
	fx f;
	sf_pair_fate fate;
	sf_node_id p, s, any, prev, lb;
	struct timespec t0, t1;
	char key[48];
	unsigned long long steps;

	memset(&f, 0, sizeof(f));
	assert_int_equal(sf_graph_new(&f.g), 0);
	sf_failover_init(&f.fo);
	p = N(&f, SF_KIND_DNS_NAME, "dns:p.example.com.");
	s = N(&f, SF_KIND_DNS_NAME, "dns:s.example.com.");
	any = N(&f, SF_KIND_TARGET_GROUP, "any");
	lb = N(&f, SF_KIND_LOAD_BALANCER, "lb");
	sf_graph_set_gate(f.g, any, SF_GATE_ANY);
	E(&f, p, SF_EDGE_ROUTES_TO, any);
	E(&f, any, SF_EDGE_ROUTES_TO, N(&f, SF_KIND_COMPUTE, "t1"));
	E(&f, any, SF_EDGE_ROUTES_TO, N(&f, SF_KIND_COMPUTE, "t2"));
	prev = p;
	for (int i = 0; i < len; i++) {
		sf_node_id n;
		snprintf(key, sizeof(key), "dns:c%06d.example.com.", i);
		n = N(&f, SF_KIND_DNS_NAME, key);
		E(&f, prev, SF_EDGE_RESOLVES_TO, n);
		if (i == 0)
			E(&f, s, SF_EDGE_RESOLVES_TO, n);
		prev = n;
	}
	E(&f, prev, SF_EDGE_RESOLVES_TO, lb);
	member(&f, 0, SF_NODE_NONE, p);
	member(&f, 1, SF_NODE_NONE, s);
	assert_int_equal(sf_failover_build(&f.fo, f.g), 0);
	assert_int_equal(sf_closure_new(&f.c, f.g), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sf_closure_pair(f.c, &f.fo.pairs[0], &fate), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(fate.truncated, 0);
	/* every name of the chain points at the next: only the end is news */
	*nshared = fate.nshared;
	if (fate.nshared == 1)
		assert_string_equal(sf_graph_key(f.g, fate.shared[0].node), "lb");
	steps = sf_closure_steps(f.c);
	sf_pair_fate_free(&fate);
	sf_closure_free(f.c);
	sf_failover_free(&f.fo);
	sf_graph_free(f.g);
	return steps;
}

static void test_cname_chain_linear(void **state)
{
	size_t n1, n2;
	double t1, t2;
	unsigned long long s1 = cname_chain(50000, &n1, &t1), s2 = cname_chain(100000, &n2, &t2);
	(void)state;
	assert_int_equal(n1, 1);
	assert_int_equal(n2, 1);
	/* linear: twice the chain, about twice the steps, and a few per node */
	assert_true(s2 <= s1 * 2 + s1 / 5);
	assert_true(s2 <= 100000ull * 40);
	/* a backstop only, generous for a loaded sanitizer build: the step
	 * counts above are what tell linear from quadratic (12 s before) */
	assert_true(t2 < 60.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_gate_common_cause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_gate_required_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standby_any_over_roots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cycle_terminates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_excluded_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pass_through_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_shared_chain, setup, teardown),
		cmocka_unit_test(test_cname_chain_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
