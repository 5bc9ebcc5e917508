/* Unit tests: the node set the check kinds walk with (analyzer/nodeset.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "analyzer/nodeset.h"

static void test_add_get_path(void **state)
{
	sf_nodeset s = SF_NODESET_INIT;
	sf_node_id *path;
	size_t n;
	(void)state;

	assert_false(sf_nodeset_has(&s, 1));
	assert_int_equal(sf_nodeset_get(&s, 1), SF_NODE_NONE);
	/* a chain 1000 <- 1001 <- ... <- 1299, past several growths */
	assert_int_equal(sf_nodeset_add(&s, 1000, SF_NODE_NONE), 1);
	for (sf_node_id v = 1001; v < 1300; v++)
		assert_int_equal(sf_nodeset_add(&s, v, v - 1), 1);
	assert_int_equal(s.count, 300);
	assert_int_equal(sf_nodeset_add(&s, 1005, 7), 0);      /* present: value kept */
	assert_int_equal(sf_nodeset_get(&s, 1005), 1004);
	assert_int_equal(sf_nodeset_add(&s, SF_NODE_NONE, 1), 0);
	for (sf_node_id v = 0; v < 300; v++)
		assert_int_equal(s.order[v], 1000 + v);
	path = sf_nodeset_path(&s, 1010, &n);
	assert_int_equal(n, 11);
	assert_int_equal(path[0], 1000);
	assert_int_equal(path[10], 1010);
	free(path);
	assert_null(sf_nodeset_path(&s, 5, &n));
	assert_int_equal(n, 0);

	sf_nodeset_set(&s, 1010, 42);
	assert_int_equal(sf_nodeset_get(&s, 1010), 42);
	sf_nodeset_set(&s, 5, 42);                              /* absent: nothing */
	assert_false(sf_nodeset_has(&s, 5));

	/* a cycle of values stops at the set's size */
	sf_nodeset_set(&s, 1000, 1001);
	path = sf_nodeset_path(&s, 1001, &n);
	assert_true(n > 0 && n <= s.count + 1);
	free(path);

	sf_nodeset_clear(&s);
	assert_int_equal(s.count, 0);
	assert_false(sf_nodeset_has(&s, 1000));
	assert_int_equal(sf_nodeset_add(&s, 1000, SF_NODE_NONE), 1);
	sf_nodeset_free(&s);
	assert_int_equal(s.cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_get_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
