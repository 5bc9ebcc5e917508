/* Unit tests: the keys by which inventories meet other sources
 * (importers/inventory.c), and the SOPS gates and the Vault table shapes
 * over hand-made inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "importers/importer.h"
#include "importers/inventory.h"

typedef struct env {
	sf_graph *g;
	sf_failover fo;
	sf_diags d;
	sf_import_ctx ctx;
} env;

static int setup(void **state)
{
	env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	assert_int_equal(sf_graph_new(&e->g), 0);
	sf_failover_init(&e->fo);
	sf_diags_init(&e->d);
	e->ctx.graph = e->g;
	e->ctx.failover = &e->fo;
	e->ctx.diags = &e->d;
	e->ctx.path = "inv/input";
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	sf_failover_free(&e->fo);
	sf_diags_free(&e->d);
	sf_graph_free(e->g);
	free(e);
	return 0;
}

static void test_vault_key(void **state)
{
	char k[SF_INV_KEY_MAX];
	(void)state;
	assert_int_equal(sf_inv_vault_key("https://Vault.Example.com:8200/v1/", k, sizeof(k)), 0);
	assert_string_equal(k, "vault:https://vault.example.com:8200");
	/* the scheme's own port is no port; credentials never copied */
	assert_int_equal(sf_inv_vault_key("https://root:s3cret@vault.example.com:443", k, sizeof(k)), 0);
	assert_string_equal(k, "vault:https://vault.example.com");
	assert_null(strstr(k, "s3cret"));
	assert_int_equal(sf_inv_vault_key("vault.example.com:8200", k, sizeof(k)), 0);
	assert_string_equal(k, "vault:https://vault.example.com:8200");
	assert_int_equal(sf_inv_vault_key("https://vault.example.com:99x", k, sizeof(k)), -1);
	assert_int_equal(sf_inv_vault_key("https://", k, sizeof(k)), -1);
	assert_int_equal(sf_inv_vault_key("https://a b", k, sizeof(k)), -1);
	assert_int_equal(sf_inv_vault_key("https://vault.example.com\x1b[31m", k, sizeof(k)), -1);
}

static void test_arn_region(void **state)
{
	char out[300];
	(void)state;
	assert_int_equal(sf_inv_arn_in_region("arn:aws:secretsmanager:us-east-1:111122223333:secret:a-b:c",
	                                      "eu-west-3", out, sizeof(out)), 0);
	assert_string_equal(out, "arn:aws:secretsmanager:eu-west-3:111122223333:secret:a-b:c");
	assert_int_equal(sf_inv_arn_in_region("arn:aws:secretsmanager:us-east-1:1:secret:x",
	                                      "../etc", out, sizeof(out)), -1);
	assert_int_equal(sf_inv_arn_in_region("not-an-arn", "us-east-1", out, sizeof(out)), -1);
}

static void test_kms_default(void **state)
{
	env *e = *state;
	sf_node_id k = sf_inv_kms_ref(&e->ctx, NULL, "arn:aws:secretsmanager:us-east-1:111122223333:secret:x",
	                              "us-west-2", "aws/secretsmanager", 3);
	assert_int_not_equal(k, SF_NODE_NONE);
	assert_string_equal(sf_graph_key(e->g, k),
	                    "arn:aws:kms:us-west-2:111122223333:alias/aws/secretsmanager");
	k = sf_inv_kms_ref(&e->ctx, "1234abcd-12ab-34cd-56ef-1234567890ab",
	                   "arn:aws:secretsmanager:us-east-1:111122223333:secret:x", NULL, "x", 3);
	assert_string_equal(sf_graph_key(e->g, k),
	                    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
	assert_string_equal(sf_graph_attr(e->g, k, "region"), "us-east-1");
	assert_int_not_equal(sf_graph_find(e->g, "region:aws/us-east-1"), SF_NODE_NONE);
	assert_int_not_equal(sf_graph_find(e->g, "account:aws/111122223333"), SF_NODE_NONE);
}

static void test_idp(void **state)
{
	env *e = *state;
	sf_node_id i = sf_inv_idp(&e->ctx, "HTTPS://SSO.example.com/realms/ops/?x=1", 1);
	assert_int_not_equal(i, SF_NODE_NONE);
	assert_string_equal(sf_graph_key(e->g, i), "idp:https://sso.example.com/realms/ops");
	assert_int_not_equal(sf_graph_find(e->g, "dns:sso.example.com."), SF_NODE_NONE);
}

static int import_text(env *e, const sf_importer *imp, const char *path, const char *text)
{
	e->ctx.path = path;
	return imp->import(&e->ctx, text, strlen(text));
}

static void test_sops_gates(void **state)
{
	env *e = *state;
	static const char three[] =
		"a: ENC[AES256_GCM,data:eA==,iv:eA==,tag:eA==,type:str]\n"
		"sops:\n"
		"  key_groups:\n"
		"    - age: [{recipient: age1aaa, enc: x}]\n"
		"    - age: [{recipient: age1bbb, enc: x}]\n"
		"    - pgp: [{fp: 85D77543B3D624B63CEA9E6DBC17301B491B3F21, enc: x}]\n"
		"  shamir_threshold: 2\n";
	static const char all[] =
		"sops:\n"
		"  key_groups:\n"
		"    - age: [{recipient: age1aaa}]\n"
		"    - age: [{recipient: age1bbb}]\n";
	sf_node_id f;
	assert_int_equal(import_text(e, &sf_importer_sops, "s/three.yaml", three), 0);
	f = sf_graph_find(e->g, "sops:s/three.yaml");
	assert_int_not_equal(f, SF_NODE_NONE);
	/* 2 of 3: losing one group is survived */
	assert_int_equal(sf_graph_node_at(e->g, f)->gate, SF_GATE_ANY);
	assert_string_equal(sf_graph_attr(e->g, f, "shamir_threshold"), "2 of 3");
	assert_int_equal(sf_graph_node_at(e->g, sf_graph_find(e->g, "sops:s/three.yaml#group1"))->gate,
	                 SF_GATE_ANY);
	assert_int_not_equal(sf_graph_find(e->g, "pgp:85D77543B3D624B63CEA9E6DBC17301B491B3F21"),
	                     SF_NODE_NONE);
	/* no threshold: every group */
	assert_int_equal(import_text(e, &sf_importer_sops, "s/all.yaml", all), 0);
	f = sf_graph_find(e->g, "sops:s/all.yaml");
	assert_int_equal(sf_graph_node_at(e->g, f)->gate, SF_GATE_ALL);
	assert_int_equal(e->d.errors, 0);
}

static void test_vault_tables(void **state)
{
	env *e = *state;
	static const char secrets[] =
		"{\"VAULT_ADDR\": \"https://v.example.com:8200\",\n"
		" \"aws/\": {\"type\": \"aws\", \"accessor\": \"aws_1\", \"local\": false, \"seal_wrap\": false}}\n";
	static const char auth[] =
		"{\"VAULT_ADDR\": \"https://v.example.com:8200\",\n"
		" \"aws/\": {\"type\": \"aws\", \"accessor\": \"auth_aws_1\", \"local\": false, \"seal_wrap\": false}}\n";
	sf_node_id m;
	/* "aws" is both an engine and an auth method: the accessor tells */
	assert_int_equal(import_text(e, &sf_importer_vault, "v/secrets.json", secrets), 0);
	assert_int_equal(import_text(e, &sf_importer_vault, "v/auth.json", auth), 0);
	m = sf_graph_find(e->g, "vault:https://v.example.com:8200/aws/");
	assert_int_equal(sf_graph_node_at(e->g, m)->kind, SF_KIND_SECRET_STORE);
	m = sf_graph_find(e->g, "vault:https://v.example.com:8200/auth/aws/");
	assert_int_equal(sf_graph_node_at(e->g, m)->kind, SF_KIND_IDENTITY_PROVIDER);
	assert_string_equal(sf_graph_attr(e->g, m, "login"), "workloads");
	assert_int_equal(sf_importer_vault.sniff("x.json", secrets, strlen(secrets)), 85);
	assert_int_equal(sf_importer_vault.sniff("x.json", "{\"terraform_version\": \"1\", \"accessor\": 1, \"seal_wrap\": 1, \"type\": 1}", 60), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vault_key),
		cmocka_unit_test(test_arn_region),
		cmocka_unit_test_setup_teardown(test_kms_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sops_gates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vault_tables, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
