/* The state floor: jansson loads the whole file and every value is
 * visited once (what any importer built on the DOM pays at least).
 *
 *   sf_bench_json_walk FILE      prints the number of values */
#include <jansson.h>

#include <stdio.h>

static unsigned long walk(json_t *v)
{
	unsigned long n = 1;
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, key, child)
			n += walk(child);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			n += walk(child);
	}
	return n;
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *root;

	if (argc != 2) {
		fprintf(stderr, "usage: sf_bench_json_walk FILE\n");
		return 2;
	}
	root = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		fprintf(stderr, "%s:%d: %s\n", argv[1], err.line, err.text);
		return 2;
	}
	printf("%lu\n", walk(root));
	json_decref(root);
	return 0;
}
