/* Unit tests: the certificate name matcher (RFC 6125), leaf-level
 * sensitivity of Terraform paths, issuer keys, and the check kinds that
 * walk what a side depends on (health_check, certificate_coverage,
 * replica_region, path_attribute) on small hand-made graphs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/checks.h"
#include "importers/tf_aws.h"
#include "importers/tf_path.h"

static void test_cert_names(void **state)
{
	(void)state;
	assert_true(sf_cert_name_matches("api.example.com", "api.example.com."));
	assert_true(sf_cert_name_matches("API.Example.com.", "api.example.com"));
	assert_true(sf_cert_name_matches("*.example.com", "api.example.com"));
	assert_true(sf_cert_name_matches("*.Example.COM", "API.example.com."));
	/* one label only, and not the parent itself */
	assert_false(sf_cert_name_matches("*.example.com", "a.b.example.com"));
	assert_false(sf_cert_name_matches("*.example.com", "example.com"));
	assert_false(sf_cert_name_matches("*.example.com", ".example.com"));
	/* at least two labels after the wildcard; no partial wildcards */
	assert_false(sf_cert_name_matches("*.com", "example.com"));
	assert_false(sf_cert_name_matches("*", "localhost"));
	assert_false(sf_cert_name_matches("a*.example.com", "api.example.com"));
	assert_false(sf_cert_name_matches("api.*.com", "api.example.com"));
	assert_false(sf_cert_name_matches("api.example.com", "api.example.co"));
	/* the rest must match whole, not as a prefix */
	assert_false(sf_cert_name_matches("*.example.com", "api.example.community"));
	assert_false(sf_cert_name_matches("*.example.com", "api.example.co"));
	assert_false(sf_cert_name_matches("", "api.example.com"));
	assert_false(sf_cert_name_matches(NULL, "api.example.com"));
}

static json_t *parse(const char *s)
{
	json_error_t e;
	json_t *v = json_loads(s, 0, &e);
	assert_non_null(v);
	return v;
}

static void test_path_sensitivity(void **state)
{
	tf_inst in;
	json_t *attrs = parse("{\"default_action\": [{\"authenticate_oidc\": [{\"issuer\": \"https://i\","
	                      " \"client_secret\": \"s\"}], \"target_group_arn\": \"tg\"}],"
	                      " \"forward\": {\"x\": \"bare\"}}");
	json_t *v4 = parse("[[{\"type\": \"get_attr\", \"value\": \"default_action\"},"
	                   " {\"type\": \"index\", \"value\": {\"value\": 0, \"type\": \"number\"}},"
	                   " {\"type\": \"get_attr\", \"value\": \"authenticate_oidc\"},"
	                   " {\"type\": \"index\", \"value\": {\"value\": 0, \"type\": \"number\"}},"
	                   " {\"type\": \"get_attr\", \"value\": \"client_secret\"}]]");
	json_t *show = parse("{\"default_action\": [{\"authenticate_oidc\": [{\"client_secret\": true}]}]}");
	(void)state;

	memset(&in, 0, sizeof(in));
	in.attrs = attrs;
	in.sensitive = v4;
	assert_string_equal(tf_path_str(&in, "default_action.0.authenticate_oidc.0.issuer"), "https://i");
	assert_string_equal(tf_path_str(&in, "default_action.%d.target_group_arn", 0), "tg");
	assert_null(tf_path_str(&in, "default_action.0.authenticate_oidc.0.client_secret"));
	/* a container holding a secret is refused whole; its size is not */
	assert_null(tf_path_get(&in, "default_action.0.authenticate_oidc"));
	assert_int_equal(tf_path_count(&in, "default_action.0.authenticate_oidc"), 1);
	/* a bare object stands for a one-element block list */
	assert_string_equal(tf_path_str(&in, "forward.0.x"), "bare");
	assert_null(tf_path_str(&in, "default_action.1.target_group_arn"));
	assert_null(tf_path_str(&in, "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r"));

	in.sensitive = show;
	assert_string_equal(tf_path_str(&in, "default_action.0.authenticate_oidc.0.issuer"), "https://i");
	assert_null(tf_path_str(&in, "default_action.0.authenticate_oidc.0.client_secret"));
	assert_null(tf_path_get(&in, "default_action"));

	/* a whole block marked sensitive hides everything under it, in both
	 * encodings (state v4 paths, show -json's `true` on an ancestor) */
	{
		json_t *v4_block = parse("[[{\"type\": \"get_attr\", \"value\": \"default_action\"}]]");
		json_t *show_block = parse("{\"default_action\": true}");
		json_t *show_elem = parse("{\"default_action\": [true]}");
		in.sensitive = v4_block;
		assert_null(tf_path_str(&in, "default_action.0.authenticate_oidc.0.issuer"));
		assert_null(tf_path_str(&in, "default_action.0.target_group_arn"));
		assert_string_equal(tf_path_str(&in, "forward.0.x"), "bare");
		in.sensitive = show_block;
		assert_null(tf_path_str(&in, "default_action.0.authenticate_oidc.0.issuer"));
		assert_null(tf_path_str(&in, "default_action.0.target_group_arn"));
		assert_string_equal(tf_path_str(&in, "forward.0.x"), "bare");
		in.sensitive = show_elem;
		assert_null(tf_path_str(&in, "default_action.0.target_group_arn"));
		json_decref(v4_block);
		json_decref(show_block);
		json_decref(show_elem);
	}

	json_decref(attrs);
	json_decref(v4);
	json_decref(show);
}

static void test_idp_keys(void **state)
{
	char k[200];
	(void)state;
	assert_int_equal(tf_aws_idp_key("https://Example.OKTA.com/", k, sizeof(k)), 0);
	assert_string_equal(k, "idp:https://example.okta.com");
	assert_int_equal(tf_aws_idp_key("oidc.eks.us-east-1.amazonaws.com/id/ABC?x=1", k, sizeof(k)), 0);
	assert_string_equal(k, "idp:https://oidc.eks.us-east-1.amazonaws.com/id/ABC");
	assert_int_equal(tf_aws_idp_key("HTTPS://login.example.com/tenant/v2.0/#frag", k, sizeof(k)), 0);
	assert_string_equal(k, "idp:https://login.example.com/tenant/v2.0");
	assert_int_equal(tf_aws_idp_key("https://user:pa55@Login.example.com/x", k, sizeof(k)), 0);
	assert_string_equal(k, "idp:https://login.example.com/x");
	assert_int_equal(tf_aws_idp_key("https://user@", k, sizeof(k)), -1);
	assert_int_equal(tf_aws_idp_key("https://", k, sizeof(k)), -1);
	assert_int_equal(tf_aws_idp_key("https://a b", k, sizeof(k)), -1);
	assert_int_equal(tf_aws_idp_key("", k, sizeof(k)), -1);
	assert_int_equal(tf_aws_idp_key("https://very-long.example.com/path", k, 20), -1);
}

/* A pair: primary p -> a, standby s -> b, each side's extra nodes given. */
typedef struct fixture {
	sf_graph *g;
	sf_failover_member pm, sm;
	const sf_failover_member *standby[1];
	sf_pair pair;
} fixture;

static sf_node_id node(sf_graph *g, sf_kind k, const char *key)
{
	sf_node_id id = sf_graph_node(g, k, key, NULL, NULL);
	assert_int_not_equal(id, SF_NODE_NONE);
	return id;
}

static void edge(sf_graph *g, sf_node_id a, sf_edge_kind k, sf_node_id b)
{
	assert_int_equal(sf_graph_edge(g, a, k, b, NULL), 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(sf_graph_new(&f->g), 0);
	f->pm.record = node(f->g, SF_KIND_DNS_NAME, "rec-p");
	f->sm.record = node(f->g, SF_KIND_DNS_NAME, "rec-s");
	f->pm.root = node(f->g, SF_KIND_LOAD_BALANCER, "lb-p");
	f->sm.root = node(f->g, SF_KIND_LOAD_BALANCER, "lb-s");
	f->sm.role = 1;
	f->standby[0] = &f->sm;
	f->pair.id = "p";
	f->pair.name = "api.example.com.";
	f->pair.primary = &f->pm;
	f->pair.standby = f->standby;
	f->pair.nstandby = 1;
	sf_graph_set_attr(f->g, f->pm.root, "region", "us-east-1");
	sf_graph_set_attr(f->g, f->sm.root, "region", "us-west-2");
	*state = f;
	return 0;
}

/* Run rule `r` on the fixture's pair. */
static int run_rule(fixture *f, const sf_rule *r, sf_hits *h)
{
	sf_check_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.g = f->g;
	ctx.ttl_threshold = 60;
	return sf_check_run(&ctx, r, &f->pair, h);
}

static int teardown(void **state)
{
	fixture *f = *state;
	sf_graph_free(f->g);
	free(f);
	return 0;
}

static void test_health_checks(void **state)
{
	fixture *f = *state;
	sf_node_id tcp = node(f->g, SF_KIND_HEALTH_CHECK, "hc-tcp");
	sf_node_id off = node(f->g, SF_KIND_HEALTH_CHECK, "hc-off");
	sf_node_id http = node(f->g, SF_KIND_HEALTH_CHECK, "hc-http");
	sf_node_id tg = node(f->g, SF_KIND_TARGET_GROUP, "tg-p");
	char type[] = "health_check_type", tcpv[] = "TCP", disabled[] = "disabled", yes[] = "true";
	sf_rule r;
	sf_hits h = SF_HITS_INIT;

	sf_graph_set_attr(f->g, tcp, "health_check_type", "TCP");
	sf_graph_set_attr(f->g, off, "health_check_type", "TCP");
	sf_graph_set_attr(f->g, off, "disabled", "true");
	edge(f->g, f->pm.record, SF_EDGE_CHECKED_BY, tcp);
	edge(f->g, f->sm.root, SF_EDGE_CHECKED_BY, off);
	edge(f->g, f->sm.record, SF_EDGE_CHECKED_BY, off);   /* the same check twice: one hit */
	sf_graph_set_attr(f->g, http, "health_check_type", "HTTP");
	edge(f->g, f->pm.root, SF_EDGE_CHECKED_BY, http);
	memset(&r, 0, sizeof(r));
	r.check = SF_CHECK_HEALTH_CHECK;
	r.subject = SF_SUBJECT_BOTH;
	r.attribute = type;
	r.op = SF_OP_IN;
	r.values[0] = tcpv;
	r.nvalues = 1;
	/* the port-only rule: the TCP check; not the HTTP one (passes), nor
	 * the disabled TCP one (a rule on `disabled` judges it) */
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.items[0].subject, tcp);
	assert_string_equal(h.items[0].value, "TCP");
	assert_int_equal(h.items[0].record, f->pm.record);
	sf_hits_free(&h);

	/* the disabled rule: only the disabled check, on the standby */
	r.attribute = disabled;
	r.op = SF_OP_EQ;
	r.values[0] = yes;
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.items[0].subject, off);
	assert_string_equal(h.items[0].value, "disabled");
	assert_int_equal(h.items[0].record, f->sm.record);
	sf_hits_free(&h);
	r.subject = SF_SUBJECT_PRIMARY;
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 0);
	sf_hits_free(&h);

	/* the primary alias evaluates a target whose target group checks
	 * readiness: its TCP check no longer decides; a TCP target group
	 * would not do */
	r.subject = SF_SUBJECT_BOTH;
	r.attribute = type;
	r.op = SF_OP_IN;
	r.values[0] = tcpv;
	sf_graph_set_attr(f->g, f->pm.record, "evaluate_target_health", "true");
	/* nothing known behind the target: its health says nothing */
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 1);
	sf_hits_free(&h);
	edge(f->g, f->pm.root, SF_EDGE_ROUTES_TO, tg);
	sf_graph_set_attr(f->g, tg, "health_check_type", "TCP");
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 1);
	sf_hits_free(&h);
	sf_graph_set_attr(f->g, tg, "health_check_type", "HTTP");
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 0);
	sf_hits_free(&h);
	sf_graph_set_attr(f->g, f->pm.record, "evaluate_target_health", "false");
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 1);
	sf_hits_free(&h);
}

static void test_cert_coverage(void **state)
{
	fixture *f = *state;
	sf_node_id l80 = node(f->g, SF_KIND_LISTENER, "l80");
	sf_node_id l443 = node(f->g, SF_KIND_LISTENER, "l443");
	sf_node_id cf = node(f->g, SF_KIND_LOAD_BALANCER, "cdn");
	sf_node_id c1 = node(f->g, SF_KIND_CERTIFICATE, "cert-west");
	sf_node_id c2 = node(f->g, SF_KIND_CERTIFICATE, "cert-origin");
	sf_rule r;
	sf_hits h = SF_HITS_INIT;

	/* standby: lb-s -> l80 (no TLS) and l443 (cert-west); behind l443 a
	 * CDN with another certificate that clients never see */
	edge(f->g, f->sm.root, SF_EDGE_ROUTES_TO, l80);
	edge(f->g, f->sm.root, SF_EDGE_ROUTES_TO, l443);
	edge(f->g, l443, SF_EDGE_TERMINATES_TLS_WITH, c1);
	edge(f->g, l443, SF_EDGE_ROUTES_TO, cf);
	edge(f->g, cf, SF_EDGE_TERMINATES_TLS_WITH, c2);
	sf_graph_set_attr(f->g, c1, "domain_name", "api-west.example.com");
	sf_graph_set_attr(f->g, c2, "domain_name", "api.example.com");
	memset(&r, 0, sizeof(r));
	r.check = SF_CHECK_CERT_COVERAGE;
	r.subject = SF_SUBJECT_STANDBY;
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.items[0].subject, c1);
	assert_int_equal(h.items[0].through, l443);
	assert_string_equal(h.items[0].value, "api-west.example.com");
	assert_int_equal(h.items[0].nsp, 3);
	sf_hits_free(&h);

	/* a SAN that covers the name clears it */
	sf_graph_set_attr(f->g, c1, "subject_alternative_names", "api-west.example.com,*.example.com");
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 0);
	sf_hits_free(&h);
}

static void test_replicas_and_paths(void **state)
{
	fixture *f = *state;
	sf_node_id td = node(f->g, SF_KIND_COMPUTE, "taskdef-s");
	sf_node_id sec = node(f->g, SF_KIND_SECRET, "secret");
	sf_node_id key = node(f->g, SF_KIND_KMS_KEY, "key");
	sf_rule r;
	sf_hits h = SF_HITS_INIT;

	edge(f->g, f->sm.root, SF_EDGE_ROUTES_TO, td);
	edge(f->g, td, SF_EDGE_READS_SECRET, sec);
	edge(f->g, sec, SF_EDGE_ENCRYPTED_BY, key);
	edge(f->g, f->pm.root, SF_EDGE_READS_SECRET, sec);
	sf_graph_set_attr(f->g, sec, "region", "us-east-1");
	sf_graph_set_attr(f->g, key, "region", "us-east-1");
	memset(&r, 0, sizeof(r));
	r.check = SF_CHECK_REPLICA_REGION;
	r.subject = SF_SUBJECT_BOTH;
	r.kinds = 1ull << SF_KIND_SECRET;
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.items[0].subject, sec);
	assert_int_equal(h.items[0].through, td);
	assert_string_equal(h.items[0].value, "us-west-2");
	sf_hits_free(&h);
	/* a copy in the standby's region: nothing to say */
	sf_graph_set_attr(f->g, sec, "replica_regions", "us-east-1,us-west-2");
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 0);
	sf_hits_free(&h);

	/* the secret is on both paths, the key too (through it) */
	r.check = SF_CHECK_PATH_ATTRIBUTE;
	r.kinds = (1ull << SF_KIND_SECRET) | (1ull << SF_KIND_KMS_KEY);
	assert_int_equal(run_rule(f, &r, &h), 0);
	assert_int_equal(h.count, 2);
	assert_int_equal(h.items[0].subject, sec);
	assert_int_equal(h.items[1].subject, key);
	assert_int_equal(h.items[1].through, sec);
	for (size_t i = 0; i < h.count; i++) {
		assert_string_equal(h.items[i].value, "the primary and the standby");
		assert_true(h.items[i].npp > 0 && h.items[i].nsp > 0);
	}
	sf_hits_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cert_names),
		cmocka_unit_test(test_path_sensitivity),
		cmocka_unit_test(test_idp_keys),
		cmocka_unit_test_setup_teardown(test_health_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cert_coverage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replicas_and_paths, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
