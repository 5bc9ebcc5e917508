/* Failover members and pairs: one pair per name (A and AAAA together),
 * and adding members is a hash lookup, not a scan of every member (a
 * Route 53 export of 50,000 pairs took 18-42 s when it was). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/failover.h"
#include "model/graph.h"

static sf_node_id node(sf_graph *g, const char *key)
{
	sf_node_id id = sf_graph_node(g, SF_KIND_DNS_NAME, key, NULL, NULL);
	assert_int_not_equal(id, SF_NODE_NONE);
	return id;
}

static void add(sf_failover *fo, sf_graph *g, const char *group, const char *name, int role,
                sf_node_id record, sf_node_id root)
{
	sf_failover_member m;
	memset(&m, 0, sizeof(m));
	m.group = group;
	m.source = "aws_route53_record";
	m.name = name;
	m.role = role;
	m.record = record;
	m.root = root;
	assert_int_equal(sf_failover_add(fo, g, &m), 0);
}

/* A and AAAA records of one name, aliases of the same two load balancers:
 * one pair whose id is the A group's, with one standby. */
static void test_types_of_one_name_are_one_pair(void **state)
{
	sf_graph *g;
	sf_failover fo;
	sf_node_id lb1, lb2;
	(void)state;
	assert_int_equal(sf_graph_new(&g), 0);
	sf_failover_init(&fo);
	lb1 = node(g, "dns:lb1.example.net.");
	lb2 = node(g, "dns:lb2.example.net.");
	add(&fo, g, "route53:api.example.com./AAAA", "api.example.com.", 0, node(g, "r-aaaa-p"), lb1);
	add(&fo, g, "route53:api.example.com./A", "api.example.com.", 0, node(g, "r-a-p"), lb1);
	add(&fo, g, "route53:api.example.com./A", "api.example.com.", 1, node(g, "r-a-s"), lb2);
	add(&fo, g, "route53:api.example.com./AAAA", "api.example.com.", 1, node(g, "r-aaaa-s"), lb2);
	/* another name, and a group of another shape, stay pairs of their own */
	add(&fo, g, "route53:www.example.com./A", "www.example.com.", 0, node(g, "w-p"), lb1);
	add(&fo, g, "manifest:api.example.com.", "api.example.com.", 0, node(g, "m-p"), lb1);
	assert_int_equal(sf_failover_build(&fo, g), 0);
	assert_int_equal(fo.npairs, 3);
	assert_string_equal(fo.pairs[1].id, "route53:api.example.com./A");
	assert_non_null(fo.pairs[1].primary);
	assert_int_equal(fo.pairs[1].nstandby, 1);
	assert_int_equal(fo.pairs[1].standby[0]->root, lb2);
	assert_string_equal(fo.pairs[2].id, "route53:www.example.com./A");
	sf_failover_free(&fo);
	sf_graph_free(g);
}

/* 50,000 pairs, each member added twice: the work (slots probed) grows
 * with the number of members, not with its square. */
static void test_many_pairs_linear(void **state)
{
	enum { PAIRS = 50000 };
	sf_graph *g;
	sf_failover fo;
	char group[96], name[64];
	sf_node_id lb1, lb2;
	(void)state;
	assert_int_equal(sf_graph_new(&g), 0);
	sf_failover_init(&fo);
	lb1 = node(g, "dns:lb1.example.net.");
	lb2 = node(g, "dns:lb2.example.net.");
	for (int rep = 0; rep < 2; rep++)
		for (int i = 0; i < PAIRS; i++) {
			snprintf(name, sizeof(name), "s%d.example.com.", i);
			snprintf(group, sizeof(group), "route53:%s/A", name);
			add(&fo, g, group, name, 0, SF_NODE_NONE, lb1);
			add(&fo, g, group, name, 1, SF_NODE_NONE, lb2);
		}
	assert_int_equal(fo.nmembers, 2 * PAIRS);
	/* a scan would look at ~n^2/2 = 5e9 members; a table at half load
	 * looks at a few per lookup */
	assert_true(fo.probes < 20ull * 4 * PAIRS);
	assert_int_equal(sf_failover_build(&fo, g), 0);
	assert_int_equal(fo.npairs, PAIRS);
	sf_failover_free(&fo);
	sf_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_of_one_name_are_one_pair),
		cmocka_unit_test(test_many_pairs_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
