/* Unit tests: the keys of nodes named by a Terraform address
 * (importers/tf_scope.c). A node is keyed by the name it keeps, so no
 * key made only to be renamed stays in the string table; the keys the
 * link phase settles on depend only on which inputs share a name, never
 * on the order they were read in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/link.h"
#include "importers/importer.h"
#include "model/buf.h"

typedef struct env {
	sf_graph *g;
	sf_failover fo;
	sf_diags d;
} env;

static void env_open(env *e)
{
	memset(e, 0, sizeof(*e));
	assert_int_equal(sf_graph_new(&e->g), 0);
	sf_failover_init(&e->fo);
	sf_diags_init(&e->d);
}

static void env_close(env *e)
{
	sf_failover_free(&e->fo);
	sf_diags_free(&e->d);
	sf_graph_free(e->g);
}

static const sf_importer *importer(const char *format)
{
	for (size_t i = 0; sf_importers[i]; i++)
		if (strcmp(sf_importers[i]->format, format) == 0)
			return sf_importers[i];
	fail_msg("no importer %s", format);
	return NULL;
}

static int import(env *e, const char *format, const char *path, const char *text)
{
	sf_import_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.graph = e->g;
	ctx.failover = &e->fo;
	ctx.diags = &e->d;
	ctx.root = ".";
	ctx.path = path;
	ctx.realpath = path;
	return importer(format)->import(&ctx, text, strlen(text));
}

/* A format-4 state of the resources given as "type.name" or
 * "type.name=arn", each one instance; `lineage` tells states apart. */
static char *state(const char *lineage, const char *const *res)
{
	sf_buf b = SF_BUF_INIT;
	sf_buf_printf(&b, "{\"version\": 4, \"terraform_version\": \"1.5.7\", \"serial\": 1, "
	                  "\"lineage\": \"%s\", \"outputs\": {}, \"resources\": [", lineage);
	for (size_t i = 0; res[i]; i++) {
		const char *dot = strchr(res[i], '.'), *eq = strchr(res[i], '=');
		size_t nl = eq ? (size_t)(eq - dot - 1) : strlen(dot + 1);
		sf_buf_printf(&b, "%s{\"mode\": \"managed\", \"type\": \"%.*s\", \"name\": \"%.*s\", "
		                  "\"provider\": \"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\", "
		                  "\"instances\": [{\"schema_version\": 0, \"attributes\": {\"id\": \"i%zu\"%s%s%s}}]}",
		              i ? ", " : "", (int)(dot - res[i]), res[i], (int)nl, dot + 1, i,
		              eq ? ", \"arn\": \"" : "", eq ? eq + 1 : "", eq ? "\"" : "");
	}
	sf_buf_puts(&b, "]}");
	assert_false(b.failed);
	return b.ptr;
}

static int import_state(env *e, const char *path, const char *lineage, const char *const *res)
{
	char *text = state(lineage, res);
	int rc = import(e, "tfstate", path, text);
	free(text);
	return rc;
}

/* The node keyed `key` is `label` from `path`. */
static void assert_node(env *e, const char *key, const char *label, const char *path)
{
	sf_node_id id = sf_graph_find(e->g, key);
	const sf_node *n;
	if (id == SF_NODE_NONE)
		fail_msg("no node %s", key);
	n = sf_graph_node_at(e->g, id);
	assert_string_equal(sf_graph_node_key(e->g, n), key);
	assert_string_equal(sf_graph_node_label(e->g, n), label);
	assert_string_equal(sf_graph_node_prov(e->g, n).path, path);
}

/* No interned string starts with the old scope mark or with `path:`. */
static void assert_no_scoped_strings(env *e, const char *path)
{
	size_t pl = path ? strlen(path) : 0;
	for (size_t i = 0; i < sf_graph_str_count(e->g); i++) {
		const char *s = sf_graph_str(e->g, (sf_str_id)i);
		if (s[0] == SF_SCOPE_MARK)
			fail_msg("a scoped key is interned: %s", s + 1);
		if (path && strncmp(s, path, pl) == 0 && s[pl] == ':')
			fail_msg("a qualified key is interned: %s", s);
	}
}

static const char *const east[] = {
	"aws_lb.this=arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/e/1",
	"aws_instance.web", "aws_s3_bucket.logs", NULL,
};
static const char *const west[] = {
	"aws_lb.this=arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/w/1",
	"aws_instance.web", "aws_sqs_queue.jobs", NULL,
};

/* A state of its own: every node keyed by its address when made, and the
 * link phase interns nothing. */
static void test_unique_names_intern_no_key(void **st)
{
	env e;
	size_t before;
	(void)st;
	env_open(&e);
	assert_int_equal(import_state(&e, "east/terraform.tfstate", "e", east), 0);
	before = sf_graph_str_count(e.g);
	assert_int_equal(sf_link(e.g, &e.d), 0);
	assert_int_equal(sf_graph_str_count(e.g), before);
	assert_no_scoped_strings(&e, "east/terraform.tfstate");
	assert_node(&e, "aws_lb.this", "aws_lb.this", "east/terraform.tfstate");
	assert_node(&e, "aws_instance.web", "aws_instance.web", "east/terraform.tfstate");
	assert_true(sf_graph_node_at(e.g, sf_graph_find(e.g, "aws_lb.this"))->scoped);
	env_close(&e);
}

/* Per-region states share addresses: each shared one is qualified by its
 * state, whichever state is read first; the others stay bare. */
static void test_shared_names_any_order(void **st)
{
	(void)st;
	for (int order = 0; order < 2; order++) {
		env e;
		env_open(&e);
		if (order == 0) {
			assert_int_equal(import_state(&e, "east/terraform.tfstate", "e", east), 0);
			assert_int_equal(import_state(&e, "west/terraform.tfstate", "w", west), 0);
		} else {
			assert_int_equal(import_state(&e, "west/terraform.tfstate", "w", west), 0);
			assert_int_equal(import_state(&e, "east/terraform.tfstate", "e", east), 0);
		}
		assert_int_equal(sf_link(e.g, &e.d), 0);
		assert_node(&e, "east/terraform.tfstate:aws_lb.this", "aws_lb.this", "east/terraform.tfstate");
		assert_node(&e, "west/terraform.tfstate:aws_lb.this", "aws_lb.this", "west/terraform.tfstate");
		assert_node(&e, "east/terraform.tfstate:aws_instance.web", "aws_instance.web",
		            "east/terraform.tfstate");
		assert_node(&e, "west/terraform.tfstate:aws_instance.web", "aws_instance.web",
		            "west/terraform.tfstate");
		assert_int_equal(sf_graph_find(e.g, "aws_lb.this"), SF_NODE_NONE);
		assert_int_equal(sf_graph_find(e.g, "aws_instance.web"), SF_NODE_NONE);
		assert_node(&e, "aws_s3_bucket.logs", "aws_s3_bucket.logs", "east/terraform.tfstate");
		assert_node(&e, "aws_sqs_queue.jobs", "aws_sqs_queue.jobs", "west/terraform.tfstate");
		assert_no_scoped_strings(&e, NULL);
		env_close(&e);
	}
}

/* An attribute whose value is another state's address (an ARN that is
 * not one) names no node of that state: the address is taken, and shown
 * qualified, whichever state comes first. */
static void test_alias_claims_a_name(void **st)
{
	static const char *const other[] = { "aws_iam_role.app=aws_lb.this", NULL };
	(void)st;
	for (int order = 0; order < 2; order++) {
		env e;
		sf_node_id id;
		env_open(&e);
		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (order == 0))
				assert_int_equal(import_state(&e, "east/terraform.tfstate", "e", east), 0);
			else
				assert_int_equal(import_state(&e, "iam/terraform.tfstate", "i", other), 0);
		}
		assert_int_equal(sf_link(e.g, &e.d), 0);
		assert_node(&e, "east/terraform.tfstate:aws_lb.this", "aws_lb.this", "east/terraform.tfstate");
		id = sf_graph_find(e.g, "aws_lb.this");
		assert_int_not_equal(id, SF_NODE_NONE);
		assert_string_equal(sf_graph_key(e.g, id), "aws_iam_role.app");
		assert_node(&e, "aws_instance.web", "aws_instance.web", "east/terraform.tfstate");
		env_close(&e);
	}
}

/* A manifest's declared dependency named by an address makes a node of
 * its own, before or after the state that has that address. */
static void test_manifest_claims_a_name(void **st)
{
	static const char manifest[] =
		"version: 1\n"
		"services:\n"
		"  - name: api\n"
		"    tier: high\n"
		"    function: other\n"
		"    dns: api.example.com\n"
		"    depends_on:\n"
		"      - {kind: load_balancer, key: \"aws_lb.this\", side: both}\n"
		"      - {kind: load_balancer, key: \"east/terraform.tfstate:aws_instance.web\", side: both}\n";
	(void)st;
	for (int order = 0; order < 2; order++) {
		env e;
		sf_node_id id;
		env_open(&e);
		for (int k = 0; k < 2; k++) {
			if ((k == 0) == (order == 0))
				assert_int_equal(import_state(&e, "east/terraform.tfstate", "e", east), 0);
			else
				assert_int_equal(import(&e, "manifest", "sharedfate.yaml", manifest), 0);
		}
		assert_int_equal(sf_link(e.g, &e.d), 0);
		assert_node(&e, "aws_lb.this", "aws_lb.this", "sharedfate.yaml");
		assert_int_equal(sf_graph_node_at(e.g, sf_graph_find(e.g, "aws_lb.this"))->scoped, 0);
		assert_node(&e, "east/terraform.tfstate:aws_lb.this", "aws_lb.this", "east/terraform.tfstate");
		/* a qualified name does not take the address: it stays bare */
		id = sf_graph_find(e.g, "east/terraform.tfstate:aws_instance.web");
		assert_int_not_equal(id, SF_NODE_NONE);
		assert_false(sf_graph_node_at(e.g, id)->scoped);
		assert_node(&e, "aws_instance.web", "aws_instance.web", "east/terraform.tfstate");
		assert_node(&e, "aws_s3_bucket.logs", "aws_s3_bucket.logs", "east/terraform.tfstate");
		env_close(&e);
	}
}

/* A state whose path is too long to keep the label inside a qualified
 * key still gets the bare or qualified key, labelled by the address; and
 * an address twice in one state is reported, in either kind of path. */
static void test_long_path_and_duplicates(void **st)
{
	static const char *const twice[] = { "aws_lb.this", "aws_sqs_queue.q", "aws_lb.this", NULL };
	static const char *const once[] = { "aws_lb.this", "aws_sns_topic.t", NULL };
	char longpath[400], qualified[500];
	(void)st;
	memset(longpath, 'd', 300);
	snprintf(longpath + 300, sizeof(longpath) - 300, "/terraform.tfstate");
	for (int order = 0; order < 2; order++) {
		env e;
		env_open(&e);
		if (order == 0) {
			assert_int_equal(import_state(&e, longpath, "l", once), 0);
			assert_int_equal(import_state(&e, "west/terraform.tfstate", "w", twice), -1);
		} else {
			assert_int_equal(import_state(&e, "west/terraform.tfstate", "w", twice), -1);
			assert_int_equal(import_state(&e, longpath, "l", once), 0);
		}
		assert_int_equal(e.d.errors, 1);
		assert_non_null(strstr(e.d.items[0].message, "resource aws_lb.this appears twice"));
		assert_int_equal(sf_link(e.g, &e.d), 0);
		snprintf(qualified, sizeof(qualified), "%s:aws_lb.this", longpath);
		assert_node(&e, qualified, "aws_lb.this", longpath);
		assert_node(&e, "west/terraform.tfstate:aws_lb.this", "aws_lb.this", "west/terraform.tfstate");
		assert_node(&e, "aws_sns_topic.t", "aws_sns_topic.t", longpath);
		assert_node(&e, "aws_sqs_queue.q", "aws_sqs_queue.q", "west/terraform.tfstate");
		env_close(&e);
	}
	/* the same state read twice: every address is a duplicate */
	{
		env e;
		env_open(&e);
		assert_int_equal(import_state(&e, longpath, "l", once), 0);
		assert_int_equal(import_state(&e, longpath, "l", once), -1);
		assert_int_equal(import_state(&e, "west/terraform.tfstate", "w", once), 0);
		assert_int_equal(import_state(&e, "west/terraform.tfstate", "w", once), -1);
		assert_int_equal(e.d.errors, 4);
		env_close(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unique_names_intern_no_key),
		cmocka_unit_test(test_shared_names_any_order),
		cmocka_unit_test(test_alias_claims_a_name),
		cmocka_unit_test(test_manifest_claims_a_name),
		cmocka_unit_test(test_long_path_and_duplicates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
