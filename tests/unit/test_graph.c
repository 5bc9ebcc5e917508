/* Unit tests: the graph core (interning, nodes, edges, attributes, aliases,
 * merging) and its igraph export. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/arena.h"
#include "model/graph.h"
#include "model/stats.h"
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

/* Strings sit in blocks: one that fills a block exactly, one longer than
 * a block, the empty string and the strings between them all come back
 * whole, by pointer and by number, however the blocks fall. */
static void test_intern_blocks(void **state)
{
	sf_graph *g = *state;
	enum { BIG = 200000, EXACT = 65535 };
	char *big = malloc(BIG + 1), *exact = malloc(EXACT + 1);
	const char *pb, *pe, *pz;
	sf_str_id ib, ie;

	assert_non_null(big);
	assert_non_null(exact);
	for (size_t i = 0; i < BIG; i++)
		big[i] = (char)('a' + i % 26);
	big[BIG] = '\0';
	memset(exact, 'x', EXACT);
	exact[EXACT] = '\0';
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 3000; i++) {
			char k[32];
			snprintf(k, sizeof(k), "r%d-%d", round, i);
			assert_non_null(sf_graph_intern(g, k));
		}
		exact[0] = (char)('0' + round);
		assert_int_not_equal(ie = sf_graph_intern_id(g, exact, EXACT), SF_STR_NONE);
		big[0] = (char)('0' + round);
		assert_int_not_equal(ib = sf_graph_intern_id(g, big, BIG), SF_STR_NONE);
		pb = sf_graph_str(g, ib);
		pe = sf_graph_str(g, ie);
		assert_int_equal(strlen(pb), BIG);
		assert_memory_equal(pb, big, BIG + 1);
		assert_int_equal(strlen(pe), EXACT);
		assert_memory_equal(pe, exact, EXACT + 1);
	}
	pz = sf_graph_intern(g, "");
	assert_non_null(pz);
	assert_string_equal(pz, "");
	assert_ptr_equal(sf_graph_intern(g, ""), pz);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 3000; i += 7) {
			char k[32];
			const char *p;
			snprintf(k, sizeof(k), "r%d-%d", round, i);
			p = sf_graph_intern(g, k);
			assert_string_equal(p, k);
			assert_ptr_equal(sf_graph_str(g, sf_graph_intern_id(g, k, strlen(k))), p);
		}
	big[0] = '2';
	assert_ptr_equal(sf_graph_intern(g, big), pb);
	free(big);
	free(exact);
}

/* The index keeps 7 bits of a string's hash and hashes every string again
 * when it grows or is fitted: each string must still be found, under its
 * number, after many growths and a fit; a string with a NUL inside is the
 * C string before it, before and after. */
static void test_intern_regrow(void **state)
{
	sf_graph *g = *state;
	enum { N = 100000 };
	sf_str_id *ids = malloc(N * sizeof(*ids));
	sf_str_id nul;
	char k[32];

	assert_non_null(ids);
	nul = sf_graph_intern_id(g, "ab\0cd", 5);
	assert_int_not_equal(nul, SF_STR_NONE);
	assert_string_equal(sf_graph_str(g, nul), "ab");
	assert_int_equal(sf_graph_intern_id(g, "ab", 2), nul);
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof(k), "name-%d.example.", i);
		ids[i] = sf_graph_intern_id(g, k, strlen(k));
		assert_int_not_equal(ids[i], SF_STR_NONE);
	}
	for (int pass = 0; pass < 2; pass++) {
		size_t count = sf_graph_str_count(g);
		for (int i = 0; i < N; i++) {
			snprintf(k, sizeof(k), "name-%d.example.", i);
			assert_int_equal(sf_graph_intern_id(g, k, strlen(k)), ids[i]);
		}
		assert_int_equal(sf_graph_intern_id(g, "ab\0xy", 5), nul);
		assert_ptr_equal(sf_graph_internn(g, "ab", 2), sf_graph_str(g, nul));
		assert_int_equal(sf_graph_str_count(g), count);
		sf_graph_fit(g);
	}
	free(ids);
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
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, b)), "web");
	assert_string_equal(sf_graph_node_prov(g, sf_graph_node_at(g, b)).path, "x.tfstate");
	assert_int_equal(sf_graph_node_prov(g, sf_graph_node_at(g, b)).line, 7);
	/* a placeholder takes the kind of the definition that arrives later */
	a = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "ip:10.0.0.1", "lb", &p);
	assert_int_equal(sf_graph_node_at(g, a)->kind, SF_KIND_LOAD_BALANCER);
	assert_string_equal(sf_graph_node_prov(g, sf_graph_node_at(g, a)).path, "x.tfstate");
	/* but a defined node keeps its kind */
	sf_graph_node(g, SF_KIND_REGION, "aws_instance.web", NULL, NULL);
	assert_int_equal(sf_graph_node_at(g, b)->kind, SF_KIND_COMPUTE);
	/* a kind past the enum would not fit the node's bits: refused */
	assert_int_equal(sf_graph_node(g, (sf_kind)SF_KIND__COUNT, "aws_instance.web", NULL, NULL),
	                 SF_NODE_NONE);
	assert_int_equal(sf_graph_node(g, (sf_kind)40, "new", NULL, NULL), SF_NODE_NONE);
	assert_int_equal(sf_graph_node_at(g, b)->kind, SF_KIND_COMPUTE);
}

static void test_edges(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_COMPUTE, "b", NULL, NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_REGION, "a", NULL, NULL);
	sf_node_id c = sf_graph_node(g, SF_KIND_ACCOUNT, "c", NULL, NULL);
	size_t n;
	const sf_edge *out;

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
	assert_int_equal(out[0].to, b);
	assert_int_equal(out[0].kind, SF_EDGE_LOCATED_IN);
	assert_int_equal(out[1].kind, SF_EDGE_DEPENDS_ON);
	assert_int_equal(out[2].to, c);
	sf_graph_in(g, b, &n);
	assert_int_equal(n, 2);
	/* once the adjacency is built a duplicate is still one edge */
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_DEPENDS_ON, b, NULL), 0);
	assert_int_equal(sf_graph_edge_count(g), 3);
	/* adjacency is rebuilt after more edges */
	sf_graph_edge(g, c, SF_EDGE_LOCATED_IN, b, NULL);
	sf_graph_in(g, b, &n);
	assert_int_equal(n, 3);
	assert_int_equal(sf_graph_edge(g, c, SF_EDGE_LOCATED_IN, b, NULL), 0);
	assert_int_equal(sf_graph_edge_count(g), 4);
}

/* An edge keeps where it came from: a path by number and a 32-bit line. */
static void test_edge_prov(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_COMPUTE, "a", NULL, NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_REGION, "b", NULL, NULL);
	sf_node_id c = sf_graph_node(g, SF_KIND_ACCOUNT, "c", NULL, NULL);
	char path[32];
	sf_prov p1 = { path, 12 }, p2 = { "y/z.tfstate", 5000000000L }, got;

	snprintf(path, sizeof(path), "x.tfstate");
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_LOCATED_IN, b, &p1), 0);
	/* the caller's buffer changes: the edge keeps what it said then */
	snprintf(path, sizeof(path), "w.tfstate");
	p1.line = 3;
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_MEMBER_OF, c, &p1), 0);
	assert_int_equal(sf_graph_edge(g, b, SF_EDGE_MEMBER_OF, c, &p2), 0);
	assert_int_equal(sf_graph_edge(g, c, SF_EDGE_DEPENDS_ON, a, NULL), 0);
	got = sf_graph_edge_prov(g, 0);
	assert_string_equal(got.path, "x.tfstate");
	assert_int_equal(got.line, 12);
	got = sf_graph_edge_prov(g, 1);
	assert_string_equal(got.path, "w.tfstate");
	assert_int_equal(got.line, 3);
	got = sf_graph_edge_prov(g, 2);
	assert_string_equal(got.path, "y/z.tfstate");
	assert_int_equal(got.line, 0);      /* past 32 bits: unknown */
	got = sf_graph_edge_prov(g, 3);
	assert_null(got.path);
	assert_int_equal(got.line, 0);
	assert_null(sf_graph_edge_prov(g, 4).path);
}

/* An edge made where its `from` node was made holds no place of its own
 * but keeps it when the node's place changes later, or the edge moves to
 * another node in a merge. */
static void test_edge_prov_from_node(void **state)
{
	sf_graph *g = *state;
	sf_prov pa = { "a.tfstate", 7 }, pb = { "b.zone", 9 }, other = { "a.tfstate", 8 }, got;
	sf_node_id a = sf_graph_node(g, SF_KIND_DNS_NAME, "dns:a.", NULL, &pa);
	sf_node_id t = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "lb", NULL, &pa);
	sf_node_id ph = sf_graph_node(g, SF_KIND_ENDPOINT, "arn:ph", NULL, &pa);
	sf_node_id real = sf_graph_node(g, SF_KIND_COMPUTE, "svc", NULL, &pb);
	sf_node_id z = sf_graph_node(g, SF_KIND_REGION, "r", NULL, NULL);
	size_t n;

	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_RESOLVES_TO, t, &pa), 0);       /* 0: as its node */
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_DEPENDS_ON, z, &other), 0);     /* 1: its own */
	assert_int_equal(sf_graph_edge(g, t, SF_EDGE_LOCATED_IN, z, &other), 0);     /* 2: shares 1's */
	assert_int_equal(sf_graph_edge(g, ph, SF_EDGE_LOCATED_IN, z, &pa), 0);       /* 3: as its node */
	assert_int_equal(sf_graph_edge(g, z, SF_EDGE_DEPENDS_ON, a, &pa), 0);        /* 4: node has none */
	/* the name is read again from a zone: its edges keep their place */
	assert_int_equal(sf_graph_set_prov(g, a, &pb), 0);
	got = sf_graph_edge_prov(g, 0);
	assert_string_equal(got.path, "a.tfstate");
	assert_int_equal(got.line, 7);
	assert_string_equal(sf_graph_node_prov(g, sf_graph_node_at(g, a)).path, "b.zone");
	got = sf_graph_edge_prov(g, 2);
	assert_string_equal(got.path, "a.tfstate");
	assert_int_equal(got.line, 8);
	got = sf_graph_edge_prov(g, 4);
	assert_string_equal(got.path, "a.tfstate");
	assert_int_equal(got.line, 7);
	/* after the adjacency let the duplicate check go, the same */
	sf_graph_out(g, t, &n);
	assert_int_equal(n, 1);
	assert_int_equal(sf_graph_set_prov(g, t, NULL), 0);
	got = sf_graph_edge_prov(g, 2);
	assert_string_equal(got.path, "a.tfstate");
	assert_int_equal(got.line, 8);
	assert_int_equal(sf_graph_edge_count(g), 5);
	/* the placeholder merges into the service: its edge moves, and keeps
	 * the placeholder's place, not the service's */
	assert_int_equal(sf_graph_alias(g, "arn:ph", real), 0);
	assert_true(sf_graph_merge_aliases(g) > 0);
	for (size_t i = 0; i < sf_graph_edge_count(g); i++) {
		const sf_edge *e = sf_graph_edge_at(g, i);
		if (e->kind == SF_EDGE_LOCATED_IN && e->from == real) {
			got = sf_graph_edge_prov(g, i);
			assert_string_equal(got.path, "a.tfstate");
			assert_int_equal(got.line, 7);
			return;
		}
	}
	fail_msg("the merged edge is gone");
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
	assert_int_equal(sf_graph_attr_count(g, a), 2);
	{
		const char *n, *v;
		assert_int_equal(sf_graph_attr_at(g, a, 0, &n, &v), 0);
		assert_string_equal(n, "account");
		assert_string_equal(v, "1");
		assert_int_equal(sf_graph_attr_at(g, a, 1, &n, &v), 0);
		assert_string_equal(n, "region");
		assert_int_equal(sf_graph_attr_at(g, a, 2, &n, &v), -1);
	}
}

/* Attributes of nodes set in turns: each node's cells move or grow, and
 * every node keeps its own, sorted by name, whatever the order. */
static void test_attrs_interleaved(void **state)
{
	static const char *const names[] = {
		"zone", "arn", "region", "ttl", "account", "name", "type", "port", "id", "module",
	};
	sf_graph *g = *state;
	sf_node_id id[40];
	char key[16], val[32];

	for (int i = 0; i < 40; i++) {
		snprintf(key, sizeof(key), "n%d", i);
		id[i] = sf_graph_node(g, SF_KIND_RESOURCE, key, NULL, NULL);
	}
	/* every node one name, then every node the next: no node's cells are
	 * the last ones when it gets its next attribute */
	for (int k = 0; k < 10; k++)
		for (int i = 0; i < 40; i++) {
			snprintf(val, sizeof(val), "%s-%d", names[k], i);
			assert_int_equal(sf_graph_set_attr(g, id[i], names[k], val), 0);
		}
	/* a replaced value stays one attribute */
	assert_int_equal(sf_graph_set_attr(g, id[7], "ttl", "60"), 0);
	for (int i = 0; i < 40; i++) {
		const char *prev = "";
		assert_int_equal(sf_graph_attr_count(g, id[i]), 10);
		for (size_t k = 0; k < 10; k++) {
			const char *n, *v;
			assert_int_equal(sf_graph_attr_at(g, id[i], k, &n, &v), 0);
			assert_true(strcmp(prev, n) < 0);
			prev = n;
			if (i == 7 && strcmp(n, "ttl") == 0)
				snprintf(val, sizeof(val), "60");
			else
				snprintf(val, sizeof(val), "%s-%d", n, i);
			assert_string_equal(v, val);
			assert_string_equal(sf_graph_attr(g, id[i], n), val);
		}
	}
}

static void test_sorted(void **state)
{
	sf_graph *g = *state;
	const sf_node_id *o;
	sf_graph_node(g, SF_KIND_COMPUTE, "c", NULL, NULL);
	sf_graph_node(g, SF_KIND_COMPUTE, "a", NULL, NULL);
	sf_graph_node(g, SF_KIND_COMPUTE, "b", NULL, NULL);
	o = sf_graph_sorted(g);
	assert_string_equal(sf_graph_key(g, o[0]), "a");
	assert_string_equal(sf_graph_key(g, o[2]), "c");
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
	assert_true(sf_graph_node_at(g, ph)->merged);
	assert_false(sf_graph_node_at(g, lb)->merged);
	assert_int_equal(sf_graph_find(g, arn), lb);
	assert_int_equal(sf_graph_live_count(g), sf_graph_node_count(g) - 1);
	sf_graph_out(g, rec, &n);
	assert_int_equal(n, 1);
	assert_int_equal(sf_graph_out(g, rec, &n)[0].to, lb);
	sf_graph_out(g, ph, &n);
	assert_int_equal(n, 0);
	/* a reference made after the alias exists reaches the node directly */
	assert_int_equal(sf_graph_node(g, SF_KIND_ENDPOINT, arn, NULL, NULL), lb);
	assert_int_equal(sf_graph_merge_aliases(g), 0);
}

/* Every allowed name is found at its slot of the perfect hash, and names
 * beside them are not allowed. The list is the review record: a change to
 * the allow-list changes this test. */
static void test_attr_allow_list(void **state)
{
	static const char *const allowed[] = {
		"account", "address", "algorithm", "alias_zone_id", "arn", "disabled",
		"dns_name", "domain_name", "evaluate_target_health", "failover",
		"failure_threshold", "fqdn", "health_check_type", "hosted_zone", "id",
		"internal", "inverted", "ip", "issuer", "key_spec", "load_balancer_type",
		"module", "multi_region", "name", "nameservers", "port", "priority", "protocol",
		"provider", "region", "replica_regions", "resource_path", "resource_type",
		"rotation_days", "rotation_enabled", "routing_policy", "scheme", "set_identifier",
		"subject_alternative_names", "ttl", "type", "unresolved", "weight", "zone",
	};
	static const char *const refused[] = {
		"", "a", "i", "password", "secret_string", "private_key", "client_secret", "names",
		"nam", "Name", "ttl ", "regions", "zone_id", "value", "token", "idd",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		assert_true(sf_graph_attr_allowed(allowed[i]));
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_false(sf_graph_attr_allowed(refused[i]));
	assert_false(sf_graph_attr_allowed(NULL));
}

/* Adjacency lists come sorted by the neighbour's key, then by edge kind,
 * whatever the order the edges were added in. */
static void test_adjacency_order(void **state)
{
	sf_graph *g = *state;
	sf_node_id hub = sf_graph_node(g, SF_KIND_COMPUTE, "m", NULL, NULL);
	const char *keys[] = { "z", "b", "y", "a", "c" };
	sf_node_id ids[5];
	const sf_edge_id *o;
	const sf_edge *out;
	size_t n;
	for (int i = 0; i < 5; i++)
		ids[i] = sf_graph_node(g, SF_KIND_COMPUTE, keys[i], NULL, NULL);
	for (int i = 0; i < 5; i++) {
		sf_graph_edge(g, hub, SF_EDGE_READS_SECRET, ids[i], NULL);
		sf_graph_edge(g, ids[i], SF_EDGE_LOCATED_IN, hub, NULL);
	}
	sf_graph_edge(g, hub, SF_EDGE_ROUTES_TO, ids[3], NULL);    /* "a", a lower kind */
	out = sf_graph_out(g, hub, &n);
	assert_int_equal(n, 6);
	assert_string_equal(sf_graph_key(g, out[0].to), "a");
	assert_int_equal(out[0].kind, SF_EDGE_ROUTES_TO);
	assert_int_equal(out[1].kind, SF_EDGE_READS_SECRET);
	assert_string_equal(sf_graph_key(g, out[2].to), "b");
	assert_string_equal(sf_graph_key(g, out[5].to), "z");
	o = sf_graph_in(g, hub, &n);
	assert_int_equal(n, 5);
	assert_string_equal(sf_graph_key(g, sf_graph_edge_at(g, o[0])->from), "a");
	assert_string_equal(sf_graph_key(g, sf_graph_edge_at(g, o[4])->from), "z");
	/* an edge added later is seen: the index is rebuilt */
	sf_graph_edge(g, hub, SF_EDGE_ROUTES_TO, sf_graph_node(g, SF_KIND_COMPUTE, "0", NULL, NULL), NULL);
	out = sf_graph_out(g, hub, &n);
	assert_int_equal(n, 7);
	assert_string_equal(sf_graph_key(g, out[0].to), "0");
}

static void test_reserve(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_COMPUTE, "a", NULL, NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_COMPUTE, "b", NULL, NULL);
	size_t n;
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_ROUTES_TO, b, NULL), 0);
	/* growing keeps what is there, duplicates still found */
	assert_int_equal(sf_graph_reserve(g, 100000, 400000), 0);
	assert_int_equal(sf_graph_find(g, "b"), b);
	assert_int_equal(sf_graph_edge(g, a, SF_EDGE_ROUTES_TO, b, NULL), 0);
	assert_int_equal(sf_graph_edge_count(g), 1);
	sf_graph_out(g, a, &n);
	assert_int_equal(n, 1);
	/* an absurd hint is capped, not allocated */
	assert_int_equal(sf_graph_reserve(g, SIZE_MAX / 4, SIZE_MAX / 4), 0);
}

/* Room for strings alone: the index is sized for them at once (its
 * slots are counted in the string table's bytes right away), and every
 * string interned after it is found again, numbered in order. */
static void test_reserve_strings(void **state)
{
	sf_graph *g = *state;
	enum { N = 20000 };
	char key[32];
	sf_str_id first = SF_STR_NONE;

	assert_int_equal(sf_graph_reserve_strings(g, N), 0);
	sf_graph_publish_memory(g);
	/* the numbering, six bytes a string, and the index, four bytes a
	 * slot, at most three quarters full */
	assert_true(sf_stat_get(SF_STAT_GRAPH_BYTES_STRTAB) >= (long long)N * 6 + (long long)N * 16 / 3);
	for (int i = 0; i < N; i++) {
		sf_str_id id;
		snprintf(key, sizeof(key), "zone:z%d.example.", i);
		id = sf_graph_intern_id(g, key, strlen(key));
		assert_int_not_equal(id, SF_STR_NONE);
		if (i == 0)
			first = id;
		assert_int_equal(id, first + (sf_str_id)i);
	}
	for (int i = 0; i < N; i += 97) {
		snprintf(key, sizeof(key), "zone:z%d.example.", i);
		assert_int_equal(sf_graph_intern_id(g, key, strlen(key)), first + (sf_str_id)i);
	}
	/* nothing more asked: nothing changes */
	assert_int_equal(sf_graph_reserve_strings(g, 0), 0);
}

/* Shrinking to size keeps every key, alias, label, attribute, edge and
 * duplicate check, and lets the graph grow again; the string index, now
 * of any size, still finds every string. */
static void test_fit(void **state)
{
	sf_graph *g = *state;
	enum { N = 20000 };
	sf_node_id prev = SF_NODE_NONE;
	size_t n, before;
	char key[32];

	for (int i = 0; i < N; i++) {
		sf_node_id id;
		snprintf(key, sizeof(key), "n%d", i);
		id = sf_graph_node(g, SF_KIND_COMPUTE, key, i % 7 ? NULL : "seven", NULL);
		assert_int_equal(id, (sf_node_id)i);
		snprintf(key, sizeof(key), "alias:%d", i);
		assert_int_equal(sf_graph_alias(g, key, id), 0);
		snprintf(key, sizeof(key), "%d", i % 100);
		assert_int_equal(sf_graph_set_attr(g, id, "port", key), 0);
		if (prev != SF_NODE_NONE)
			assert_int_equal(sf_graph_edge(g, prev, SF_EDGE_ROUTES_TO, id, NULL), 0);
		prev = id;
	}
	sf_graph_publish_memory(g);
	before = (size_t)sf_stat_get(SF_STAT_GRAPH_BYTES);
	sf_graph_fit(g);
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "n%d", i);
		assert_int_equal(sf_graph_find(g, key), (sf_node_id)i);
		snprintf(key, sizeof(key), "alias:%d", i);
		assert_int_equal(sf_graph_find(g, key), (sf_node_id)i);
		snprintf(key, sizeof(key), "%d", i % 100);
		assert_string_equal(sf_graph_attr(g, (sf_node_id)i, "port"), key);
		assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, (sf_node_id)i)),
		                    i % 7 ? sf_graph_key(g, (sf_node_id)i) : "seven");
	}
	/* a duplicate is still one edge; a new node and edge still go in */
	assert_int_equal(sf_graph_edge(g, 0, SF_EDGE_ROUTES_TO, 1, NULL), 0);
	assert_int_equal(sf_graph_edge_count(g), N - 1);
	prev = sf_graph_node(g, SF_KIND_COMPUTE, "after", NULL, NULL);
	assert_int_equal(prev, (sf_node_id)N);
	assert_int_equal(sf_graph_edge(g, 0, SF_EDGE_ROUTES_TO, prev, NULL), 0);
	assert_int_equal(sf_graph_find(g, "after"), prev);
	assert_int_equal(sf_graph_out(g, 0, &n)[0].to, prev);      /* "after" < "n1" */
	assert_int_equal(n, 2);
	/* the most held is kept: fitting lowers what is held now, not the peak */
	sf_graph_publish_memory(g);
	assert_true(sf_stat_get(SF_STAT_GRAPH_BYTES) >= before);
	/* fitting twice, and an empty graph, are no-ops */
	sf_graph_fit(g);
	assert_int_equal(sf_graph_find(g, "n19999"), (sf_node_id)(N - 1));
	/* the aliases' order went with the fit; one registered after it
	 * still joins its placeholder, and the earlier ones still find */
	prev = sf_graph_node(g, SF_KIND_RESOURCE, "arn:late", NULL, NULL);
	assert_int_equal(sf_graph_alias(g, "arn:late", 5), 0);
	assert_int_equal(sf_graph_alias(g, "arn:late", 6), 1);
	assert_int_equal(sf_graph_find(g, "arn:late"), prev);
	assert_int_equal(sf_graph_merge_aliases(g), 1);
	assert_int_equal(sf_graph_find(g, "arn:late"), 5);
	assert_int_equal(sf_graph_find(g, "alias:6"), 6);
}

/* A hint of one node or one edge (a zone of one record) must still let
 * the graph grow past it: growing by half of 1 is no growth. */
static void test_reserve_small(void **state)
{
	sf_graph *g = *state;
	sf_node_id prev = SF_NODE_NONE;
	assert_int_equal(sf_graph_reserve(g, 1, 1), 0);
	for (int i = 0; i < 600; i++) {
		char key[16];
		sf_node_id id;
		snprintf(key, sizeof(key), "n%d", i);
		id = sf_graph_node(g, SF_KIND_COMPUTE, key, NULL, NULL);
		assert_int_not_equal(id, SF_NODE_NONE);
		if (prev != SF_NODE_NONE)
			assert_int_equal(sf_graph_edge(g, prev, SF_EDGE_ROUTES_TO, id, NULL), 0);
		prev = id;
	}
	assert_int_equal(sf_graph_node_count(g), 600);
	assert_int_equal(sf_graph_edge_count(g), 599);
	assert_string_equal(sf_graph_key(g, sf_graph_find(g, "n599")), "n599");
}

/* Keys crafted to collide under unseeded FNV-1a (issue 9: 50-119 s): the
 * low 32 bits of FNV-1a's state depend only on the low 32 bits before each
 * byte, so two 4-byte blocks that collide there from one state collide
 * whatever follows, and 17 such pairs chained give 2^17 keys with the same
 * low 32 bits: one slot of any table up to 2^32 entries. Found by birthday
 * search at test time. */
#define FNV_PRIME 1099511628211ull

static uint32_t fnv_step(uint32_t h, const char *b, size_t n)
{
	uint64_t x = h;         /* only the low 32 bits matter */
	for (size_t i = 0; i < n; i++)
		x = ((x ^ (unsigned char)b[i]) * FNV_PRIME) & 0xffffffffu;
	return (uint32_t)x;
}

enum { BLK = 8 };

typedef struct seen_block {
	uint32_t h;
	uint32_t v;
} seen_block;

static int cmp_seen(const void *a, const void *b)
{
	const seen_block *x = a, *y = b;
	return x->h < y->h ? -1 : x->h > y->h;
}

/* The v-th candidate block: letters and digits, as a DNS label allows. */
static void block_text(uint32_t v, char out[BLK])
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	uint64_t x = (v + 1) * 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < BLK; i++) {
		out[i] = al[x % 36];
		x /= 36;
	}
}

/* Two different blocks that collide from state h: out[0], out[1]. */
static uint32_t collide_from(uint32_t h, char out[2][BLK])
{
	enum { TRIES = 1 << 18 };
	seen_block *t = malloc(TRIES * sizeof(*t));
	uint32_t next = 0;
	int found = 0;
	assert_non_null(t);
	for (uint32_t v = 0; v < TRIES; v++) {
		char b[BLK];
		block_text(v, b);
		t[v].h = fnv_step(h, b, BLK);
		t[v].v = v;
	}
	qsort(t, TRIES, sizeof(*t), cmp_seen);
	for (uint32_t i = 1; i < TRIES && !found; i++)
		if (t[i].h == t[i - 1].h) {
			block_text(t[i - 1].v, out[0]);
			block_text(t[i].v, out[1]);
			found = memcmp(out[0], out[1], BLK) != 0;
			next = t[i].h;
		}
	free(t);
	assert_true(found);
	return next;
}

static void test_crafted_collisions(void **state)
{
	enum { STEPS = 16, KEYS = 1 << STEPS };
	sf_graph *g = *state;
	char blocks[STEPS][2][BLK];
	const uint32_t basis = (uint32_t)14695981039346656037ull;
	uint32_t h = basis, first = 0;
	sf_graph_stats st;
	struct timespec t0, t1;
	for (int i = 0; i < STEPS; i++)
		h = collide_from(h, blocks[i]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t k = 0; k < KEYS; k++) {
		char key[STEPS * BLK + 1];
		for (int i = 0; i < STEPS; i++)
			memcpy(key + BLK * i, blocks[i][(k >> i) & 1], BLK);
		key[STEPS * BLK] = '\0';
		/* the construction works: the keys share their low 32 bits */
		if (k == 0)
			first = fnv_step(basis, key, STEPS * BLK);
		else if (k < 64)
			assert_int_equal(fnv_step(basis, key, STEPS * BLK), first);
		assert_int_not_equal(sf_graph_node(g, SF_KIND_DNS_NAME, key, NULL, NULL), SF_NODE_NONE);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(sf_graph_node_count(g), KEYS);
	sf_graph_get_stats(g, &st);
	/* keyed hashing spreads them: a few probes per lookup (tables fill
	 * to 3/4), not KEYS/2 */
	assert_true(st.lookups >= KEYS);
	assert_true(st.probes <= 8 * st.lookups);
	/* a backstop: milliseconds now, 80 s with unseeded FNV-1a */
	assert_true(t1.tv_sec - t0.tv_sec < 20);
}

/* Strings are packed without alignment; every other allocation is still
 * aligned for any type and zeroed, also after a string of odd length and
 * beside a block bigger than the arena's. */
static void test_arena(void **state)
{
	sf_arena a;
	(void)state;
	sf_arena_init(&a);
	for (int i = 0; i < 2000; i++) {
		char *s = sf_arena_strndup(&a, "abcdefg", (size_t)(i % 7));
		unsigned char *p = sf_arena_alloc(&a, (size_t)(i % 40) + 1);
		assert_non_null(s);
		assert_int_equal(strlen(s), (size_t)(i % 7));
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (int k = 0; k <= i % 40; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xff, (size_t)(i % 40) + 1);
		if (i % 500 == 0)
			assert_non_null(sf_arena_alloc(&a, 200000));
	}
	sf_arena_free(&a);
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

/* Names by string number: one string is key and label, and the node is the
 * one sf_graph_node finds, made first by either function. */
static void test_node_by_str(void **state)
{
	sf_graph *g = *state;
	sf_str_id k = sf_graph_intern_id(g, "dns:api.example.", 16);
	sf_str_id k2 = sf_graph_intern_id(g, "ip:192.0.2.1", 12);
	sf_node_id a, b, c;

	assert_int_not_equal(k, SF_STR_NONE);
	assert_int_equal(sf_graph_intern_id(g, "dns:api.example.", 16), k);
	assert_ptr_equal(sf_graph_str(g, k), sf_graph_intern(g, "dns:api.example."));
	assert_null(sf_graph_str(g, (sf_str_id)sf_graph_str_count(g)));
	a = sf_graph_node_by_str(g, SF_KIND_DNS_NAME, k, 4, NULL);
	assert_int_not_equal(a, SF_NODE_NONE);
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, a)), "api.example.");
	assert_ptr_equal(sf_graph_node_label(g, sf_graph_node_at(g, a)), sf_graph_key(g, a) + 4);
	assert_int_equal(sf_graph_find(g, "dns:api.example."), a);
	assert_int_equal(sf_graph_node(g, SF_KIND_DNS_NAME, "dns:api.example.", "x", NULL), a);
	/* a placeholder made by key takes the kind and the label later */
	b = sf_graph_node(g, SF_KIND_ENDPOINT, "ip:192.0.2.1", NULL, NULL);
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, b)), "ip:192.0.2.1");
	c = sf_graph_node_by_str(g, SF_KIND_COMPUTE, k2, 3, NULL);
	assert_int_equal(c, b);
	assert_int_equal(sf_graph_node_at(g, b)->kind, SF_KIND_COMPUTE);
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, b)), "192.0.2.1");
	/* a skip past the end of the key is refused */
	assert_int_equal(sf_graph_node_by_str(g, SF_KIND_DNS_NAME, k, 17, NULL), SF_NODE_NONE);
}

/* Duplicate edges are dropped whether their node has few out-edges (found
 * in its list) or many (found in the hash set), before and after merging. */
static void test_edge_dedup_hub(void **state)
{
	sf_graph *g = *state;
	sf_node_id hub = sf_graph_node(g, SF_KIND_COMPUTE, "hub", NULL, NULL), t[100];
	char key[16];

	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "t%d", i);
		t[i] = sf_graph_node(g, SF_KIND_COMPUTE, key, NULL, NULL);
	}
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 100; i++) {
			assert_int_equal(sf_graph_edge(g, hub, SF_EDGE_ROUTES_TO, t[i], NULL), 0);
			/* another kind is another edge */
			if (i < 10)
				assert_int_equal(sf_graph_edge(g, hub, SF_EDGE_DEPENDS_ON, t[i], NULL), 0);
		}
	assert_int_equal(sf_graph_edge_count(g), 110);
	/* t1 merges into t0: hub -> t1 becomes hub -> t0, a duplicate */
	assert_int_equal(sf_graph_alias(g, "t1", t[0]), 0);
	assert_int_equal(sf_graph_merge_aliases(g), 1);
	assert_int_equal(sf_graph_edge_count(g), 108);
	assert_int_equal(sf_graph_edge(g, hub, SF_EDGE_ROUTES_TO, t[50], NULL), 0);
	assert_int_equal(sf_graph_edge(g, t[2], SF_EDGE_ROUTES_TO, t[3], NULL), 0);
	assert_int_equal(sf_graph_edge(g, t[2], SF_EDGE_ROUTES_TO, t[3], NULL), 0);
	assert_int_equal(sf_graph_edge_count(g), 109);
}

/* A rekeyed node is found by its new key only, and a batch may hand one
 * node's old key to another. */
static void test_rekey_swap(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_COMPUTE, "a", NULL, NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_COMPUTE, "b", NULL, NULL);
	sf_node_id ids[2] = { a, b };
	const char *keys[2] = { "c", "a" };

	assert_int_equal(sf_graph_rekey(g, ids, keys, 2), 0);
	assert_int_equal(sf_graph_find(g, "c"), a);
	assert_int_equal(sf_graph_find(g, "a"), b);
	assert_int_equal(sf_graph_find(g, "b"), SF_NODE_NONE);
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, a)), "c");
}

/* A node or edge a caller holds stays valid while it asks for the
 * adjacency (the graph reports do): building it moves neither array. The
 * sanitizer build, whose realloc always moves, catches a move. */
static void test_pointers_across_adjacency(void **state)
{
	sf_graph *g = *state;
	char key[16];
	const sf_node *n;
	const sf_edge *e;
	size_t cnt;

	/* counts that leave the arrays room to spare */
	for (int i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "n%03d", i);
		sf_graph_node(g, SF_KIND_RESOURCE, key, NULL, NULL);
		if (i)
			sf_graph_edge(g, (sf_node_id)i, SF_EDGE_DEPENDS_ON, (sf_node_id)(i - 1), NULL);
	}
	n = sf_graph_node_at(g, 7);
	e = sf_graph_edge_at(g, 5);
	sf_graph_out(g, 7, &cnt);
	assert_int_equal(cnt, 1);
	assert_string_equal(sf_graph_node_key(g, n), "n007");
	assert_int_equal(e->from, 6);
	assert_int_equal(e->to, 5);
}

/* A string both a node's key and another node's alias: the key wins while
 * it is one, the alias is back when the key moves, and both again after. */
static void test_alias_and_key(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_RESOURCE, "k1", NULL, NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "lb", NULL, NULL);
	sf_node_id ids[1] = { a };
	const char *to_k2[1] = { "k2" }, *to_k1[1] = { "k1" };

	assert_int_equal(sf_graph_alias(g, "arn:b", b), 0);        /* an alias alone */
	assert_int_equal(sf_graph_alias(g, "k1", b), 0);           /* a key, now both */
	assert_int_equal(sf_graph_find(g, "arn:b"), b);
	assert_int_equal(sf_graph_find(g, "k1"), a);
	assert_int_equal(sf_graph_rekey(g, ids, to_k2, 1), 0);
	assert_int_equal(sf_graph_find(g, "k1"), b);
	assert_int_equal(sf_graph_find(g, "k2"), a);
	assert_int_equal(sf_graph_rekey(g, ids, to_k1, 1), 0);
	assert_int_equal(sf_graph_find(g, "k1"), a);
	assert_int_equal(sf_graph_find(g, "k2"), SF_NODE_NONE);
	assert_int_equal(sf_graph_alias(g, "k1", a), 1);           /* an alias already */
	assert_int_equal(sf_graph_alias(g, "arn:b", a), 1);
	/* merging: the placeholder keyed "k1" joins the node the alias names */
	assert_int_equal(sf_graph_merge_aliases(g), 1);
	assert_int_equal(sf_graph_live(g, a), b);
	assert_int_equal(sf_graph_find(g, "k1"), b);
}

/* Labels: the key, the end of the key, or another string; each survives a
 * new key and a placeholder taking a kind. */
static void test_labels(void **state)
{
	sf_graph *g = *state;
	char longkey[600];
	sf_node_id a = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "us-west-2/x.tfstate:aws_lb.this", "aws_lb.this", NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_ACCOUNT, "account:aws/1", "production", NULL);
	sf_node_id c = sf_graph_node(g, SF_KIND_RESOURCE, "arn:aws:x", NULL, NULL);
	sf_node_id d;
	sf_node_id ids[3] = { a, b, c };
	const char *keys[3] = { "aws_lb.this", "account:aws/2", "arn:aws:y" };

	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, a)), "aws_lb.this");
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, b)), "production");
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, c)), "arn:aws:x");
	/* a placeholder met with a kind takes the label given with it */
	assert_int_equal(sf_graph_node(g, SF_KIND_SECRET, "arn:aws:x", "db password", NULL), c);
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, c)), "db password");
	/* a kind met again with another label keeps its own */
	assert_int_equal(sf_graph_node(g, SF_KIND_ACCOUNT, "account:aws/1", "1", NULL), b);
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, b)), "production");
	assert_int_equal(sf_graph_rekey(g, ids, keys, 3), 0);
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, a)), "aws_lb.this");
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, b)), "production");
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, c)), "db password");
	/* the end of a key too long to count in a byte */
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	d = sf_graph_node(g, SF_KIND_RESOURCE, longkey, longkey + 500, NULL);
	assert_int_equal(strlen(sf_graph_node_label(g, sf_graph_node_at(g, d))), 99);
	d = sf_graph_node(g, SF_KIND_RESOURCE, longkey + 1, longkey + 100, NULL);
	assert_int_equal(strlen(sf_graph_node_label(g, sf_graph_node_at(g, d))), 499);
}

/* A Terraform instance's `address` is its label, and holds no cell of its
 * own: it still reads as an attribute, in name order, and keeps its value
 * when the label changes or the node is rekeyed. */
static void test_address_label(void **state)
{
	sf_graph *g = *state;
	sf_node_id a = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "aws_lb.a", "aws_lb.a", NULL);
	sf_node_id b = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "aws_lb.b", "aws_lb.b", NULL);
	sf_node_id c = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "x/aws_lb.c", "aws_lb.c", NULL);
	const char *name, *value;
	const char *keys[] = { "y/aws_lb.a" };

	assert_int_equal(sf_graph_set_attr(g, a, "region", "us-east-1"), 0);
	assert_int_equal(sf_graph_set_attr(g, a, "address", "aws_lb.a"), 0);
	assert_int_equal(sf_graph_set_attr(g, a, "account", "1"), 0);
	assert_int_equal(sf_graph_attr_count(g, a), 3);
	assert_int_equal(sf_graph_attr_at(g, a, 0, &name, &value), 0);
	assert_string_equal(name, "account");
	assert_int_equal(sf_graph_attr_at(g, a, 1, &name, &value), 0);
	assert_string_equal(name, "address");
	assert_string_equal(value, "aws_lb.a");
	assert_int_equal(sf_graph_attr_at(g, a, 2, &name, &value), 0);
	assert_string_equal(name, "region");
	assert_string_equal(value, "us-east-1");
	assert_int_equal(sf_graph_attr_at(g, a, 3, &name, &value), -1);
	/* the label changes: the address stays */
	assert_int_equal(sf_graph_set_label(g, a, "the a"), 0);
	assert_string_equal(sf_graph_attr(g, a, "address"), "aws_lb.a");
	assert_int_equal(sf_graph_attr_count(g, a), 3);
	/* an address apart from the label, and back */
	assert_int_equal(sf_graph_set_attr(g, b, "address", "aws_lb.b"), 0);
	assert_int_equal(sf_graph_set_attr(g, b, "address", "other"), 0);
	assert_string_equal(sf_graph_attr(g, b, "address"), "other");
	assert_int_equal(sf_graph_attr_count(g, b), 1);
	assert_int_equal(sf_graph_set_attr(g, b, "address", "aws_lb.b"), 0);
	assert_string_equal(sf_graph_attr(g, b, "address"), "aws_lb.b");
	assert_int_equal(sf_graph_attr_count(g, b), 1);
	/* a label that is the end of the key; then a rekey, where a label
	 * that is the whole key follows the key */
	assert_int_equal(sf_graph_set_attr(g, c, "address", "aws_lb.c"), 0);
	assert_string_equal(sf_graph_attr(g, c, "address"), "aws_lb.c");
	assert_int_equal(sf_graph_set_attr(g, b, "name", "b"), 0);
	keys[0] = "y/aws_lb.b";
	assert_int_equal(sf_graph_rekey(g, &b, keys, 1), 0);
	assert_string_equal(sf_graph_node_label(g, sf_graph_node_at(g, b)), "y/aws_lb.b");
	assert_string_equal(sf_graph_attr(g, b, "address"), "aws_lb.b");
	assert_int_equal(sf_graph_attr_count(g, b), 2);
	assert_int_equal(sf_graph_attr_at(g, b, 0, &name, &value), 0);
	assert_string_equal(name, "address");
	assert_string_equal(value, "aws_lb.b");
	assert_null(sf_graph_attr(g, sf_graph_node(g, SF_KIND_REGION, "r", NULL, NULL), "address"));
}

/* The adjacency sorts the edge array: a node's out-edges are a range, in
 * the key order of their `to` node and then kind, long lists too; in-edge
 * numbers lead to the edges; every edge keeps its place. */
static void test_out_ranges(void **state)
{
	sf_graph *g = *state;
	enum { N = 40 };
	sf_node_id hub, t[N];
	sf_prov at = { "h.tfstate", 5 }, other = { "h.tfstate", 0 };
	char key[16];
	size_t cnt, total = 0;
	const sf_edge *out, *first;

	hub = sf_graph_node(g, SF_KIND_COMPUTE, "hub", NULL, &at);
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "t%02d", (i * 17) % N);    /* keys out of number order */
		t[i] = sf_graph_node(g, SF_KIND_COMPUTE, key, NULL, NULL);
	}
	for (int i = N; i-- > 0;) {
		other.line = 100 + i;
		assert_int_equal(sf_graph_edge(g, hub, SF_EDGE_ROUTES_TO, t[i], i % 3 ? &at : &other), 0);
		if (i % 5 == 0)
			assert_int_equal(sf_graph_edge(g, hub, SF_EDGE_ASSUMES, t[i], &other), 0);
		assert_int_equal(sf_graph_edge(g, t[i], SF_EDGE_LOCATED_IN, hub, NULL), 0);
	}
	out = sf_graph_out(g, hub, &cnt);
	first = sf_graph_edge_at(g, 0);
	assert_int_equal(cnt, N + N / 5);
	for (size_t k = 0; k < cnt; k++) {
		size_t idx = (size_t)(&out[k] - first);
		sf_prov p = sf_graph_edge_prov(g, idx);
		int i = -1;
		assert_int_equal(out[k].from, hub);
		for (int j = 0; j < N; j++)
			if (t[j] == out[k].to)
				i = j;
		assert_true(i >= 0);
		if (k)
			assert_true(strcmp(sf_graph_key(g, out[k - 1].to), sf_graph_key(g, out[k].to)) < 0 ||
			            (out[k - 1].to == out[k].to && out[k - 1].kind < out[k].kind));
		assert_string_equal(p.path, "h.tfstate");
		if (out[k].kind == SF_EDGE_ROUTES_TO && i % 3)
			assert_int_equal(p.line, 5);
		else
			assert_int_equal(p.line, 100 + i);
	}
	for (sf_node_id v = 0; v < sf_graph_node_count(g); v++) {
		const sf_edge_id *in = sf_graph_in(g, v, &cnt);
		for (size_t k = 0; k < cnt; k++)
			assert_int_equal(sf_graph_edge_at(g, in[k])->to, v);
		total += cnt;
		out = sf_graph_out(g, v, &cnt);
		for (size_t k = 0; k < cnt; k++)
			assert_int_equal(out[k].from, v);
	}
	assert_int_equal(total, sf_graph_edge_count(g));
	out = sf_graph_out(g, t[0], &cnt);
	assert_int_equal(cnt, 1);
	assert_null(sf_graph_edge_prov(g, (size_t)(out - first)).path);    /* none given */
}

/* An edge's own place is 8 bytes while its path is among the first 127
 * and its line below 2^24; a place past either is kept apart, and reads
 * back the same, after the adjacency's sort too. */
static void test_edge_prov_far(void **state)
{
	sf_graph *g = *state;
	enum { PATHS = 140 };
	char path[32];
	sf_node_id a = sf_graph_node(g, SF_KIND_COMPUTE, "a", NULL, NULL), b;
	const sf_edge *out, *first;
	size_t cnt;

	for (int i = 0; i < PATHS; i++) {
		sf_prov p = { path, i % 2 ? 20000000L + i : 7 };
		snprintf(path, sizeof(path), "p%03d.tfstate", i);
		snprintf(path + 16, sizeof(path) - 16, "t%03d", i);
		b = sf_graph_node(g, SF_KIND_COMPUTE, path + 16, NULL, NULL);
		assert_int_equal(sf_graph_edge(g, a, SF_EDGE_DEPENDS_ON, b, &p), 0);
	}
	out = sf_graph_out(g, a, &cnt);
	first = sf_graph_edge_at(g, 0);
	assert_int_equal(cnt, PATHS);
	for (size_t k = 0; k < cnt; k++) {
		sf_prov got = sf_graph_edge_prov(g, (size_t)(&out[k] - first));
		int i = (int)strtol(sf_graph_key(g, out[k].to) + 1, NULL, 10);
		snprintf(path, sizeof(path), "p%03d.tfstate", i);
		assert_string_equal(got.path, path);
		assert_int_equal(got.line, i % 2 ? 20000000L + i : 7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intern, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge_prov, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge_prov_from_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attrs_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attr_allow_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adjacency_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserve_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserve_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crafted_collisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node_by_str, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge_dedup_hub, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_swap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_label, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge_prov_far, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_and_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intern_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intern_regrow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pointers_across_adjacency, setup, teardown),
		cmocka_unit_test(test_arena),
		cmocka_unit_test_setup_teardown(test_igraph, setup, teardown),
	};
	sf_igraph_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
