/* Unit tests: confined resolution (sf_confine) and outputs that never go
 * through a link (sf_open_output), in a scratch tree made per run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/files.h"

static char tmp[4096], root[4200], outside[4200];

static void path_of(char *out, size_t outsz, const char *base, const char *name)
{
	snprintf(out, outsz, "%s/%s", base, name);
}

static void touch(const char *base, const char *name, const char *text)
{
	char p[4400];
	FILE *f;
	path_of(p, sizeof(p), base, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *target, const char *base, const char *name)
{
	char p[4400];
	path_of(p, sizeof(p), base, name);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
	char t[] = "/tmp/sf-files-XXXXXX", *real, p[4400];
	(void)state;
	assert_non_null(mkdtemp(t));
	real = realpath(t, NULL);
	snprintf(tmp, sizeof(tmp), "%s", real);
	free(real);
	path_of(root, sizeof(root), tmp, "root");
	path_of(outside, sizeof(outside), tmp, "outside");
	mkdir(root, 0777);
	mkdir(outside, 0777);
	path_of(p, sizeof(p), root, "sub");
	mkdir(p, 0777);
	touch(root, "a.zone", "x\n");
	touch(root, "sub/b.inc", "y\n");
	touch(outside, "secret", "s\n");
	link_to("sub/b.inc", root, "rel");
	link_to("sub", root, "subdir");
	path_of(p, sizeof(p), root, "sub/b.inc");
	link_to(p, root, "abs");                    /* absolute, inside */
	link_to(outside, root, "out");              /* a directory outside */
	link_to("../outside/secret", root, "up");
	link_to("loop2", root, "loop1");
	link_to("loop1", root, "loop2");
	return 0;
}

static int teardown(void **state)
{
	char cmd[4400];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int confine(const char *name, char **out, char *err)
{
	return sf_confine(root, root, name, out, err, 256);
}

static void test_confine_inside(void **state)
{
	char err[256], want[4400], *out;
	(void)state;
	path_of(want, sizeof(want), root, "sub/b.inc");
	assert_int_equal(confine("sub/b.inc", &out, err), 0);
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(confine("rel", &out, err), 0);
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(confine("abs", &out, err), 0);
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(confine("subdir/../sub/./b.inc", &out, err), 0);
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(confine("subdir/b.inc", &out, err), 0);
	assert_string_equal(out, want);
	free(out);
}

static void test_confine_outside(void **state)
{
	char err[256], first[256], *out = NULL;
	(void)state;
	/* the same answer and message whether the outside file exists */
	assert_int_equal(confine("out/secret", &out, first), SF_CONFINE_OUTSIDE);
	assert_null(out);
	assert_int_equal(confine("out/no-such-file", &out, err), SF_CONFINE_OUTSIDE);
	assert_string_equal(err, first);
	assert_int_equal(confine("../outside/secret", &out, err), SF_CONFINE_OUTSIDE);
	assert_string_equal(err, first);
	assert_int_equal(confine("../outside/nothing", &out, err), SF_CONFINE_OUTSIDE);
	assert_string_equal(err, first);
	assert_int_equal(confine("up", &out, err), SF_CONFINE_OUTSIDE);
	assert_int_equal(confine("sub/../../outside/secret", &out, err), SF_CONFINE_OUTSIDE);
	assert_int_equal(confine("/etc/passwd", &out, err), SF_CONFINE_ERROR);
}

static void test_confine_odd(void **state)
{
	char err[256], name[600], *out = NULL;
	(void)state;
	assert_int_equal(confine("loop1", &out, err), SF_CONFINE_LOOP);
	assert_non_null(strstr(err, "loop"));
	assert_int_equal(confine("missing", &out, err), SF_CONFINE_MISSING);
	assert_int_equal(confine("a.zone/x", &out, err), SF_CONFINE_ERROR);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(confine(name, &out, err), SF_CONFINE_ERROR);
	assert_non_null(strstr(err, "limit of"));
	assert_null(out);
}

static void test_output(void **state)
{
	char err[256], p[4400];
	const char *trees[] = { root };
	struct stat st;
	int fd;
	(void)state;
	/* a plain file, created then truncated */
	path_of(p, sizeof(p), root, "report.json");
	fd = sf_open_output(p, trees, 1, 0, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	fd = sf_open_output(p, trees, 1, 0, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	close(fd);
	/* an existing link, to a file or nowhere: refused */
	path_of(p, sizeof(p), root, "up");
	assert_int_equal(sf_open_output(p, trees, 1, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "symbolic link"));
	/* a directory on the way that is a link inside the tree: refused */
	path_of(p, sizeof(p), root, "out/new.json");
	assert_int_equal(sf_open_output(p, trees, 1, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "symbolic link"));
	path_of(p, sizeof(p), outside, "new.json");
	assert_int_equal(access(p, F_OK), -1);
	/* --report DIR that is a link: refused; a new one is made */
	path_of(p, sizeof(p), root, "out");
	assert_int_equal(sf_open_output(p, trees, 1, 1, err, sizeof(err)), -1);
	path_of(p, sizeof(p), root, "review");
	fd = sf_open_output(p, trees, 1, 1, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	/* the same link is followed when it lies above every guarded tree */
	path_of(p, sizeof(p), root, "out/above.json");
	fd = sf_open_output(p, NULL, 0, 0, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
}

static void test_input_limit(void **state)
{
	(void)state;
	assert_true(sf_input_limit() >= SF_INPUT_MIN);
	assert_true(sf_input_limit() <= SF_INPUT_DEFAULT_MAX);
	sf_input_limit_set(1234);
	assert_int_equal(sf_input_limit(), 1234);
	sf_input_limit_set(0);
	assert_true(sf_input_limit() >= SF_INPUT_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confine_inside),
		cmocka_unit_test(test_confine_outside),
		cmocka_unit_test(test_confine_odd),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_input_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
