/* The zone floor: libzscanner's own parse of a zone file, counting records
 * and doing nothing else with them. sharedfate's zone import is measured
 * against this.
 *
 *   sf_bench_zs_count ZONE ORIGIN     prints the record count */
#include <libzscanner/scanner.h>

#include <stdio.h>
#include <stdlib.h>

static void on_record(zs_scanner_t *s)
{
	(*(unsigned long *)s->process.data)++;
}

int main(int argc, char **argv)
{
	zs_scanner_t *s = malloc(sizeof(*s));   /* 200 KB: not on the stack */
	unsigned long n = 0;
	int rc;

	if (argc != 3 || !s) {
		fprintf(stderr, "usage: sf_bench_zs_count ZONE ORIGIN\n");
		return 2;
	}
	if (zs_init(s, argv[2], 1, 3600) != 0 || zs_set_input_file(s, argv[1]) != 0 ||
	    zs_set_processing(s, on_record, NULL, &n) != 0) {
		fprintf(stderr, "%s: %s\n", argv[1], zs_strerror(s->error.code));
		return 2;
	}
	rc = zs_parse_all(s);
	zs_deinit(s);
	free(s);
	printf("%lu\n", n);
	return rc == 0 ? 0 : 1;
}
