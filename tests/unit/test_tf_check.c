/* Unit tests: the checker of undecoded state bytes (importers/tf_check.h)
 * never vouches for text jansson refuses, vouches for what Terraform
 * writes, and strips exactly the instances' attributes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "importers/tf_check.h"

static int check(const char *text, size_t len)
{
	tf_checker ck;
	int rc;
	memset(&ck, 0, sizeof(ck));
	rc = tf_check(&ck, text, len);
	tf_checker_free(&ck);
	return rc;
}

static int jansson_takes(const char *text, size_t len)
{
	json_error_t err;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	int ok = v && json_is_object(v);
	json_decref(v);
	return ok;
}

/* What jansson refuses, each for a different rule. */
static void test_refused(void **state)
{
	static const char *const bad[] = {
		"", " ", "[1]", "\"x\"", "1", "{", "}", "{\"a\"}", "{\"a\" 1}", "{\"a\":}",
		"{\"a\":1,}", "{,}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":[1,]}", "{\"a\":[1 2]}",
		"{\"a\":[,1]}", "{'a':1}", "{a:1}", "{\"a\":1,\"a\":2}",
		"{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
		"{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\ud800x\"}", "{\"a\":\"\\u12\"}",
		"{\"a\":\"\\u12g4\"}", "{\"a\":\"\\q\"}", "{\"a\":\"\\\"}", "{\"a\":\"x}",
		"{\"a\":\"\x01\"}", "{\"a\":\"\t\"}", "{\"a\":\"\n\"}",
		"{\"a\":\"\xc0\x80\"}", "{\"a\":\"\xc1\xbf\"}", "{\"a\":\"\xe0\x80\x80\"}",
		"{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xf0\x80\x80\x80\"}", "{\"a\":\"\xf4\x90\x80\x80\"}",
		"{\"a\":\"\xf5\x80\x80\x80\"}", "{\"a\":\"\xff\"}", "{\"a\":\"\xc3\"}", "{\"a\":\"\x80\"}",
		"{\"a\":01}", "{\"a\":-01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e+}",
		"{\"a\":+1}", "{\"a\":-}", "{\"a\":0x10}", "{\"a\":1e400}", "{\"a\":-1e400}",
		"{\"a\":99999999999999999999}", "{\"a\":-99999999999999999999}",
		"{\"a\":9223372036854775808}", "{\"a\":-9223372036854775809}",
		"{\"a\":18446744073709551615}",
		"{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":NaN}",
		"{\"a\":Infinity}", "{\"a\":\"x\"\"y\"}", "{\"a\":1 /* c */}", "\xef\xbb\xbf{}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i]);
		if (check(bad[i], len) != 0)
			fail_msg("vouched for %s", bad[i]);
	}
	/* a NUL byte inside the text: jansson stops at it, as a bad byte */
	assert_int_equal(check("{\"a\":\"x\0\"}", 10), 0);
	assert_int_equal(check("{\"a\":1}\0", 8), 0);
}

/* What the checker leaves to jansson though jansson takes it: it is not
 * vouched for, so it costs time, never correctness. */
static void test_unsure(void **state)
{
	static const char *const unsure[] = {
		"{\"a\\u0062\":1}",             /* an escaped key */
		"{\"a\":1e299}",
	};
	char deep[2 * TF_CHECK_MAX_DEPTH + 16];
	size_t n = 0;
	(void)state;
	for (size_t i = 0; i < sizeof(unsure) / sizeof(unsure[0]); i++) {
		assert_true(jansson_takes(unsure[i], strlen(unsure[i])));
		assert_int_equal(check(unsure[i], strlen(unsure[i])), 0);
	}
	deep[n++] = '{';
	memcpy(deep + n, "\"a\":", 4);
	n += 4;
	for (int i = 0; i < TF_CHECK_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i < TF_CHECK_MAX_DEPTH; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	assert_true(jansson_takes(deep, n));
	assert_int_equal(check(deep, n), 0);
}

/* What Terraform and the providers write is vouched for. */
static void test_vouched(void **state)
{
	static const char *const good[] = {
		"{}", " {\"a\":1} \r\n\t", "{\"\":\"\"}",
		"{\"a\":[],\"b\":{},\"c\":[[]],\"d\":[{}]}",
		"{\"a\":\"\\u003c\\u003e\\u0026\\ud83d\\ude00\\n\\\"\\\\\\/\\b\\f\\r\\t\"}",
		"{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\"}",
		"{\"a\":[0,-0,1.5,-2.25e-3,1E+10,123456789012345678,-123456789012345678,0.5e-250,9e250]}",
		"{\"a\":[9223372036854775807,-9223372036854775808,8486823339612136543]}",
		"{\"a\":true,\"b\":false,\"c\":null}",
		"{\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,"
		"\"k10\":10,\"k11\":11,\"k12\":12,\"k13\":13,\"k14\":14,\"k\":{\"k1\":1}}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		size_t len = strlen(good[i]);
		assert_true(jansson_takes(good[i], len));
		if (check(good[i], len) != 1)
			fail_msg("did not vouch for %s", good[i]);
	}
	/* a duplicate among many keys, found by the sorted comparison */
	assert_int_equal(check("{\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,"
	                       "\"k8\":8,\"k9\":9,\"k10\":10,\"k11\":11,\"k12\":12,\"k13\":13,\"k7\":0}",
	                       strlen("{\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,"
	                              "\"k8\":8,\"k9\":9,\"k10\":10,\"k11\":11,\"k12\":12,\"k13\":13,"
	                              "\"k7\":0}")),
	                 0);
	/* keys equal in another object are not duplicates */
	{
		static const char nested[] = "{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}";
		assert_int_equal(check(nested, sizeof(nested) - 1), 1);
	}
}

/* Only the `attributes` objects of the elements of the top-level
 * `instances` array are stripped; everything else stays. */
static void test_strip(void **state)
{
	static const char text[] =
		"{\"mode\":\"managed\",\"x\":{\"instances\":[{\"attributes\":{\"n\":1}}]},"
		"\"instances\":[{\"attributes\":{\"a\":[1,{\"attributes\":{}}]},\"s\":2},"
		"{\"attributes_flat\":{\"b\":\"1\"}},{\"attributes\":null},{\"attributes\" : { }},"
		"[{\"attributes\":{\"c\":3}}]]}";
	static const char want[] =
		"{\"mode\":\"managed\",\"x\":{\"instances\":[{\"attributes\":{\"n\":1}}]},"
		"\"instances\":[{\"attributes\":{},\"s\":2},"
		"{\"attributes_flat\":{\"b\":\"1\"}},{\"attributes\":null},{\"attributes\" : {}},"
		"[{\"attributes\":{\"c\":3}}]]}";
	tf_checker ck;
	sf_buf out = SF_BUF_INIT;
	(void)state;
	memset(&ck, 0, sizeof(ck));
	assert_int_equal(tf_check(&ck, text, sizeof(text) - 1), 1);
	assert_int_equal(ck.nattrs, 2);
	assert_int_equal(tf_check_strip(&ck, text, sizeof(text) - 1, &out), 0);
	assert_string_equal(out.ptr, want);
	sf_buf_free(&out);
	tf_checker_free(&ck);
}

/* Mutants of real shapes: whatever the checker vouches for, jansson
 * takes; and it vouches for most of what jansson takes, or it would
 * save nothing. Deterministic: a fixed xorshift. */
static void test_mutants(void **state)
{
	static const char *const seeds[] = {
		"{\"mode\":\"managed\",\"type\":\"aws_lb\",\"name\":\"web\",\"instances\":[{"
		"\"schema_version\":0,\"attributes\":{\"arn\":\"arn:aws:x\",\"dns_name\":\"w.example\","
		"\"internal\":false,\"idle_timeout\":60,\"subnets\":[\"s-1\",\"s-2\"],\"tags\":{\"t\":"
		"\"a\\u0026b\"},\"ratio\":-1.5e3,\"timeouts\":null},\"sensitive_attributes\":[],"
		"\"dependencies\":[\"aws_sg.web\"]}]}",
		"{\"a\":\"\xc3\xa9\\ud83d\\ude00\",\"b\":[{\"c\":{\"d\":[0.5,1e-2,true]}}],\"e\":\"\\\\\"}",
	};
	static const char alphabet[] = "{}[]\",:\\u0123456789eE.-+ tfnlrsa\n\t\xc3\xa9\xed\xa0\xff\x01";
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t vouched = 0, taken = 0;
	(void)state;
	for (int round = 0; round < 60000; round++) {
		char buf[1024];
		const char *seed = seeds[round % 2];
		size_t len = strlen(seed);
		int edits = 1 + round % 3;
		memcpy(buf, seed, len);
		for (int e = 0; e < edits; e++) {
			size_t at, op;
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			at = (size_t)(x % (len + 1));
			op = (size_t)(x >> 32) % 3;
			if (op == 0 && len > 1 && at < len) {               /* delete */
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
			} else if (op == 1 && len + 1 < sizeof(buf)) {      /* insert */
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = alphabet[(x >> 40) % (sizeof(alphabet) - 1)];
				len++;
			} else if (at < len) {                               /* replace */
				buf[at] = alphabet[(x >> 40) % (sizeof(alphabet) - 1)];
			}
		}
		{
			int c = check(buf, len), j = jansson_takes(buf, len);
			if (c == 1 && !j)
				fail_msg("vouched for what jansson refuses: %.*s", (int)len, buf);
			vouched += c == 1;
			taken += j;
		}
	}
	assert_true(taken > 1000);
	assert_true(vouched * 10 >= taken * 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_unsure),
		cmocka_unit_test(test_vouched),
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_mutants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
