/* Unit tests: the graph core (interning, nodes, edges, attributes, aliases,
 * merging) and its igraph export. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/graph.h"
#include "model/graph_igraph.h"

static int setup(void **state)
{
	sf_graph *g;
	assert_int_equal(sf_graph_new(&g), 0);
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	sf_graph_free(*state);
	return 0;
}

static void test_intern(void **state)
{
	sf_graph *g = *state;
	char buf[] = "hello";
	const char *a = sf_graph_intern(g, "hello");
	const char *b = sf_graph_intern(g, buf);
	assert_ptr_equal(a, b);
	assert_ptr_not_equal(a, buf);
	assert_ptr_equal(sf_graph_internn(g, "hello world", 5), a);
	/* many strings force the table to grow; earlier pointers stay valid */
	for (int i = 0; i < 5000; i++) {
		char k[32];
		snprintf(k, sizeof(k), "s%d", i);
		assert_non_null(sf_graph_intern(g, k));
	}
	assert_ptr_equal(sf_graph_intern(g, "hello"), a);
	assert_string_equal(a, "hello");
}

static void test_nodes(void **state)
{
	sf_graph *g = *state;
	sf_prov p = { "x.tfstate", 7 };
	sf_node_id a = sf_graph_node(g, SF_KIND_ENDPOINT, "ip:10.0.0.1", NULL, NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_COMPUTE, "aws_instance.web", "web", &p);
	assert_int_not_equal(a, SF_NODE_NONE);
	assert_int_not_equal(a, b);
	/* the same key gives the same node */
	assert_int_equal(sf_graph_node(g, SF_KIND_COMPUTE, "aws_instance.web", NULL, NULL), b);
	assert_int_equal(sf_graph_find(g, "aws_instance.web"), b);
	assert_int_equal(sf_graph_find(g, "nope"), SF_NODE_NONE);
	assert_string_equal(sf_graph_node_at(g, b)->label, "web");
	assert_string_equal(sf_graph_node_at(g, b)->prov.path, "x.tfstate");
	assert_int_equal(sf_graph_node_at(g, b)->prov.line, 7);
	/* a placeholder takes the kind of the definition that arrives later */
	a = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "ip:10.0.0.1", "lb", &p);
	assert_int_equal(sf_graph_node_at(g, a)->kind, SF_KIND_LOAD_BALANCER);
	assert_string_equal(sf_graph_node_at(g, a)->prov.path, "x.tfstate");
	/* but a defined node keeps its kind */
	sf_graph_node(g, SF_KIND_REGION, "aws_instance.web", NULL, NULL);
	assert_int_equal(sf_graph_node_at(g, b)->kind, SF_KIND_COMPUTE);
}

static void test_edges(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_COMPUTE, "b", NULL, NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_REGION, "a", NULL, NULL);
	sf_node_id c = sf_graph_node(g, SF_KIND_ACCOUNT, "c", NULL, NULL);
	size_t n;
	const size_t *out;

	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_LOCATED_IN, b, NULL), 0);
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_LOCATED_IN, b, NULL), 0);    /* duplicate */
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_DEPENDS_ON, b, NULL), 0);    /* other kind */
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_MEMBER_OF, c, NULL), 0);
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_ROUTES_TO, a, NULL), 0);     /* self-loop */
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_ROUTES_TO, 999, NULL), -1);  /* bad id */
	assert_int_equal(sf_graph_edge_count(g), 3);
	out = sf_graph_out(g, a, &n);
	assert_int_equal(n, 3);
	/* sorted by the target's key, then kind */
	assert_int_equal(sf_graph_edge_at(g, out[0])->to, b);
	assert_int_equal(sf_graph_edge_at(g, out[0])->kind, SF_EDGE_LOCATED_IN);
	assert_int_equal(sf_graph_edge_at(g, out[1])->kind, SF_EDGE_DEPENDS_ON);
	assert_int_equal(sf_graph_edge_at(g, out[2])->to, c);
	sf_graph_in(g, b, &n);
	assert_int_equal(n, 2);
	/* adjacency is rebuilt after more edges */
	sf_graph_edge(g, c, SF_EDGE_LOCATED_IN, b, NULL);
	sf_graph_in(g, b, &n);
	assert_int_equal(n, 3);
}

static void test_attrs(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_SECRET, "s", NULL, NULL);
	assert_int_equal(sf_graph_set_attr(g, a, "region", "us-east-1"), 0);
	assert_int_equal(sf_graph_set_attr(g, a, "region", "eu-west-1"), 0);
	assert_string_equal(sf_graph_attr(g, a, "region"), "eu-west-1");
	/* names off the allow-list are refused: no secret can be stored */
	assert_int_equal(sf_graph_set_attr(g, a, "password", "x"), -1);
	assert_int_equal(sf_graph_set_attr(g, a, "secret_string", "x"), -1);
	assert_null(sf_graph_attr(g, a, "password"));
	assert_false(sf_graph_attr_allowed("private_key"));
	assert_true(sf_graph_attr_allowed("ttl"));
	/* kept sorted by name */
	sf_graph_set_attr(g, a, "account", "1");
	assert_string_equal(sf_graph_node_at(g, a)->attrs->name, "account");
}

static void test_sorted(void **state)
{
	sf_graph *g = *state;
	const sf_node_id *o;
	sf_graph_node(g, SF_KIND_COMPUTE, "c", NULL, NULL);
	sf_graph_node(g, SF_KIND_COMPUTE, "a", NULL, NULL);
	sf_graph_node(g, SF_KIND_COMPUTE, "b", NULL, NULL);
	o = sf_graph_sorted(g);
	assert_string_equal(sf_graph_node_at(g, o[0])->key, "a");
	assert_string_equal(sf_graph_node_at(g, o[2])->key, "c");
}

static void test_alias_merge(void **state)
{
	sf_graph *g = *state;
	const char *arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1";
	/* a reference seen before the definition: a placeholder */
	sf_node_id rec = sf_graph_node(g, SF_KIND_DNS_NAME, "aws_route53_record.r", NULL, NULL);
	sf_node_id ph = sf_graph_node(g, SF_KIND_ENDPOINT, arn, NULL, NULL);
	sf_node_id lb, reg;
	size_t n;
	sf_graph_edge(g, rec, SF_EDGE_RESOLVES_TO, ph, NULL);
	/* the definition registers the ARN as its alias */
	lb = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "aws_lb.x", NULL, NULL);
	reg = sf_graph_node(g, SF_KIND_REGION, "region:aws/us-east-1", NULL, NULL);
	sf_graph_edge(g, lb, SF_EDGE_LOCATED_IN, reg, NULL);
	assert_int_equal(sf_graph_alias(g, arn, lb), 0);
	assert_int_equal(sf_graph_alias(g, arn, rec), 1);      /* first claim wins */
	assert_int_equal(sf_graph_merge_aliases(g), 1);
	assert_int_equal(sf_graph_live(g, ph), lb);
	assert_int_equal(sf_graph_find(g, arn), lb);
	assert_int_equal(sf_graph_live_count(g), sf_graph_node_count(g) - 1);
	sf_graph_out(g, rec, &n);
	assert_int_equal(n, 1);
	assert_int_equal(sf_graph_edge_at(g, sf_graph_out(g, rec, &n)[0])->to, lb);
	sf_graph_out(g, ph, &n);
	assert_int_equal(n, 0);
	/* a reference made after the alias exists reaches the node directly */
	assert_int_equal(sf_graph_node(g, SF_KIND_ENDPOINT, arn, NULL, NULL), lb);
	assert_int_equal(sf_graph_merge_aliases(g), 0);
}

static void test_igraph(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_COMPUTE, "a", NULL, NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_COMPUTE, "b", NULL, NULL);
	sf_node_id c = sf_graph_node(g, SF_KIND_COMPUTE, "c", NULL, NULL);
	sf_node_id d = sf_graph_node(g, SF_KIND_ACCOUNT, "d", NULL, NULL);
	igraph_t ig;
	igraph_vector_int_t order;
	long *memb, cycles;

	sf_graph_edge(g, a, SF_EDGE_ROUTES_TO, b, NULL);
	sf_graph_edge(g, b, SF_EDGE_ROUTES_TO, c, NULL);
	sf_graph_edge(g, c, SF_EDGE_ROUTES_TO, b, NULL);        /* b <-> c */
	sf_graph_edge(g, a, SF_EDGE_MEMBER_OF, d, NULL);        /* control plane */
	sf_graph_edge(g, d, SF_EDGE_DEPENDS_ON, a, NULL);       /* no plane */

	assert_int_equal(sf_igraph_export(g, SF_PLANE_DATA, &ig), 0);
	assert_int_equal(igraph_vcount(&ig), 4);
	assert_int_equal(igraph_ecount(&ig), 3);
	/* igraph would abort the process on this error by default */
	igraph_vector_int_init(&order, 0);
	assert_int_not_equal(igraph_topological_sorting(&ig, &order, IGRAPH_OUT), IGRAPH_SUCCESS);
	assert_non_null(strstr(sf_igraph_last_error(), "cycle"));
	igraph_vector_int_destroy(&order);
	igraph_destroy(&ig);

	assert_int_equal(sf_igraph_export(g, SF_PLANE_CONTROL, &ig), 0);
	assert_int_equal(igraph_ecount(&ig), 4);
	igraph_destroy(&ig);
	assert_int_equal(sf_igraph_export(g, SF_PLANE_NONE, &ig), 0);
	assert_int_equal(igraph_ecount(&ig), 5);
	igraph_destroy(&ig);

	cycles = sf_igraph_cycles(g, SF_PLANE_DATA, &memb);
	assert_int_equal(cycles, 1);
	assert_int_equal(memb[a], -1);
	assert_int_equal(memb[b], 0);
	assert_int_equal(memb[c], 0);
	assert_int_equal(memb[d], -1);
	free(memb);
	/* with the plane-less edge d -> a and a -> d, a and d form a cycle */
	cycles = sf_igraph_cycles(g, SF_PLANE_NONE, &memb);
	assert_int_equal(cycles, 2);
	free(memb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intern, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_igraph, setup, teardown),
	};
	sf_igraph_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
