/* Terraform 0.11 flatmaps decoded into the shapes format 4 writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "importers/tfstate.h"

static json_t *decode(const char *flat_json)
{
	json_error_t err;
	json_t *flat = json_loads(flat_json, 0, &err), *out;
	assert_non_null(flat);
	out = tf_flat_decode(flat);
	json_decref(flat);
	assert_non_null(out);
	return out;
}

static void assert_json(json_t *got, const char *want_json)
{
	json_error_t err;
	json_t *want = json_loads(want_json, 0, &err);
	char *g = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
	char *w = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
	assert_non_null(want);
	if (strcmp(g, w) != 0)
		fprintf(stderr, "got  %s\nwant %s\n", g, w);
	assert_string_equal(g, w);
	free(g);
	free(w);
	json_decref(want);
}

/* A Route 53 record: alias is a set keyed by a hash, the failover policy
 * a list, records a set of strings, tags a map whose keys hold dots. */
static void test_record(void **state)
{
	json_t *out = decode("{"
		"\"alias.#\": \"1\","
		"\"alias.1587383817.evaluate_target_health\": \"true\","
		"\"alias.1587383817.name\": \"lb.example.net\","
		"\"alias.1587383817.zone_id\": \"Z35SXDOTRQ7X7K\","
		"\"alias_note\": \"x\","
		"\"failover_routing_policy.#\": \"1\","
		"\"failover_routing_policy.0.type\": \"PRIMARY\","
		"\"records.#\": \"2\","
		"\"records.3619153832\": \"192.0.2.1\","
		"\"records.1181318012\": \"192.0.2.2\","
		"\"tags.%\": \"1\","
		"\"tags.kubernetes.io/role\": \"web\","
		"\"name\": \"api.example.com\"}");
	(void)state;
	assert_json(out, "{"
		"\"alias\": [{\"evaluate_target_health\": \"true\", \"name\": \"lb.example.net\","
		"             \"zone_id\": \"Z35SXDOTRQ7X7K\"}],"
		"\"alias_note\": \"x\","
		"\"failover_routing_policy\": [{\"type\": \"PRIMARY\"}],"
		"\"records\": [\"192.0.2.2\", \"192.0.2.1\"],"
		"\"tags\": {\"kubernetes.io/role\": \"web\"},"
		"\"name\": \"api.example.com\"}");
	json_decref(out);
}

/* Indexes in numeric order (10 after 9), nested lists, and an empty list. */
static void test_nested_lists(void **state)
{
	char flat[4096];
	size_t o = 0;
	json_t *out, *arr;
	(void)state;
	o += (size_t)snprintf(flat + o, sizeof(flat) - o, "{\"l.#\": \"11\", \"e.#\": \"0\"");
	for (int i = 0; i <= 10; i++)
		o += (size_t)snprintf(flat + o, sizeof(flat) - o,
		                      ", \"l.%d.x.#\": \"1\", \"l.%d.x.0.v\": \"%d\"", i, i, i);
	snprintf(flat + o, sizeof(flat) - o, "}");
	out = decode(flat);
	arr = json_object_get(out, "l");
	assert_int_equal(json_array_size(arr), 11);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(json_array_get(arr, 10), "x"), 0), "v")), "10");
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(json_array_get(arr, 9), "x"), 0), "v")), "9");
	assert_int_equal(json_array_size(json_object_get(out, "e")), 0);
	json_decref(out);
}

/* A key of a thousand segments: decoded to a bounded depth, no crash. */
static void test_deep(void **state)
{
	static char key[4000], flat[4100];
	size_t o = 0;
	json_t *out;
	(void)state;
	for (int i = 0; i < 1000; i++)
		o += (size_t)snprintf(key + o, sizeof(key) - o, "%sa", i ? "." : "");
	snprintf(flat, sizeof(flat), "{\"%s\": \"v\", \"b\": \"w\"}", key);
	out = decode(flat);
	assert_string_equal(json_string_value(json_object_get(out, "b")), "w");
	assert_true(json_is_object(json_object_get(out, "a")));
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_nested_lists),
		cmocka_unit_test(test_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
