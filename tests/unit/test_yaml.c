/* Unit tests: the bounded YAML reader (model/yaml.c), above all its
 * anchors, aliases and merge keys, which must expand like YAML says and
 * never past the node budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/yaml.h"

static int has_diag(const sf_diags *d, long line, const char *part)
{
	for (size_t i = 0; i < d->count; i++)
		if ((line < 0 || d->items[i].line == line) && strstr(d->items[i].message, part))
			return 1;
	return 0;
}

static int parse(const char *text, sf_ydoc *doc, sf_diags *d)
{
	sf_diags_init(d);
	return sf_yaml_parse("t.yaml", text, strlen(text), doc, d);
}

static const char *str_at(const sf_ynode *map, const char *a, const char *b)
{
	const sf_ynode *n = sf_yaml_get(map, a);
	return sf_yaml_str(b ? sf_yaml_get(n, b) : n);
}

static void test_alias_is_a_copy(void **state)
{
	static const char text[] = "base: &b\n"
	                           "  image: app:1\n"
	                           "  port: 80\n"
	                           "one: *b\n"
	                           "two: *b\n"
	                           "name: &n web\n"
	                           "again: *n\n";
	sf_ydoc doc;
	sf_diags d;
	const sf_ynode *r;
	(void)state;

	assert_int_equal(parse(text, &doc, &d), 0);
	assert_int_equal(doc.ndocs, 1);
	r = doc.docs[0];
	assert_string_equal(str_at(r, "one", "image"), "app:1");
	assert_string_equal(str_at(r, "two", "port"), "80");
	assert_string_equal(str_at(r, "again", NULL), "web");
	/* copies, not shared nodes: the tree frees cleanly (ASan would say) */
	assert_ptr_not_equal(sf_yaml_get(r, "one"), sf_yaml_get(r, "two"));
	/* a copy keeps the anchor's lines: a message points at the text */
	assert_int_equal(sf_yaml_get(sf_yaml_get(r, "two"), "image")->line, 2);
	sf_yaml_free(&doc);
	sf_diags_free(&d);
}

static void test_merge_keys(void **state)
{
	static const char text[] = "defaults: &d\n"
	                           "  region: us-east-1\n"
	                           "  tier: high\n"
	                           "extra: &e\n"
	                           "  tier: low\n"
	                           "  owner: team-a\n"
	                           "svc:\n"
	                           "  tier: critical\n"
	                           "  <<: [*d, *e]\n"
	                           "  name: api\n"
	                           "inline:\n"
	                           "  <<: {a: 1}\n";
	sf_ydoc doc;
	sf_diags d;
	const sf_ynode *svc;
	(void)state;

	assert_int_equal(parse(text, &doc, &d), 0);
	svc = sf_yaml_get(doc.docs[0], "svc");
	/* its own key wins wherever it stands; among sources the first wins */
	assert_string_equal(str_at(svc, "tier", NULL), "critical");
	assert_string_equal(str_at(svc, "region", NULL), "us-east-1");
	assert_string_equal(str_at(svc, "owner", NULL), "team-a");
	assert_string_equal(str_at(svc, "name", NULL), "api");
	/* the merge key itself is gone, and no key twice */
	assert_null(sf_yaml_get(svc, "<<"));
	assert_int_equal(svc->count, 4);
	assert_string_equal(str_at(doc.docs[0], "inline", "a"), "1");
	sf_yaml_free(&doc);
	sf_diags_free(&d);

	/* a quoted "<<" is an ordinary key */
	assert_int_equal(parse("m:\n  '<<': x\n", &doc, &d), 0);
	assert_string_equal(str_at(doc.docs[0], "m", "<<"), "x");
	sf_yaml_free(&doc);
	sf_diags_free(&d);
}

static void test_refused(void **state)
{
	sf_ydoc doc;
	sf_diags d;
	(void)state;

	/* an alias before its anchor, or inside it: no cycles */
	assert_int_equal(parse("a: *x\nb: &x 1\n", &doc, &d), -1);
	assert_true(has_diag(&d, 1, "names no anchor defined before it"));
	sf_diags_free(&d);
	assert_int_equal(parse("loop: &x [1, *x]\n", &doc, &d), -1);
	assert_true(has_diag(&d, 1, "names no anchor"));
	sf_diags_free(&d);
	/* merging a scalar */
	assert_int_equal(parse("s: &s 1\nm:\n  <<: *s\n", &doc, &d), -1);
	assert_true(has_diag(&d, 1, "takes a mapping or a list of mappings"));
	sf_diags_free(&d);
	/* two merge keys in one mapping are a duplicate key */
	assert_int_equal(parse("m:\n  <<: {a: 1}\n  <<: {b: 2}\n", &doc, &d), -1);
	assert_true(has_diag(&d, 3, "duplicate key '<<'"));
	sf_diags_free(&d);
	/* anchors do not cross documents */
	assert_int_equal(parse("a: &x 1\n---\nb: *x\n", &doc, &d), -1);
	assert_true(has_diag(&d, 3, "names no anchor"));
	sf_diags_free(&d);
}

/* Nine aliases of nine aliases of ...: a billion laughs. It must stop at
 * the node budget, quickly, with a message. */
static void test_alias_bomb(void **state)
{
	char text[4096];
	size_t used = 0;
	sf_ydoc doc;
	sf_diags d;
	(void)state;

	used += (size_t)snprintf(text + used, sizeof(text) - used, "a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 10; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		                         "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
		                         i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	assert_true(used < sizeof(text));
	assert_int_equal(parse(text, &doc, &d), -1);
	assert_true(has_diag(&d, -1, "YAML nodes (an alias counts what it expands to)"));
	sf_diags_free(&d);
}

/* A deep anchor aliased deep in the tree passes the depth limit. */
static void test_alias_depth(void **state)
{
	char text[8192];
	size_t used = 0;
	sf_ydoc doc;
	sf_diags d;
	(void)state;

	/* an anchor 40 levels deep, aliased 40 levels deep: 80 > 64 */
	used += (size_t)snprintf(text + used, sizeof(text) - used, "a: &deep ");
	for (int i = 0; i < 40; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "[");
	for (int i = 0; i < 40; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "]");
	used += (size_t)snprintf(text + used, sizeof(text) - used, "\nb: ");
	for (int i = 0; i < 40; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "[");
	used += (size_t)snprintf(text + used, sizeof(text) - used, "*deep");
	for (int i = 0; i < 40; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "]");
	used += (size_t)snprintf(text + used, sizeof(text) - used, "\n");
	assert_true(used < sizeof(text));
	assert_int_equal(parse(text, &doc, &d), -1);
	assert_true(has_diag(&d, 2, "nested deeper than 64 levels (through *deep)"));
	sf_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alias_is_a_copy),
		cmocka_unit_test(test_merge_keys),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_alias_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
