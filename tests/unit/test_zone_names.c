/* Unit tests: the zone importer's table of wire-format names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "importers/dns_common.h"
#include "importers/zone_names.h"

/* The fold accepts what sf_dns_wire_to_text accepts, lower-cases letters
 * only, and says where the name ends. */
static void test_fold(void **state)
{
	static const uint8_t mixed[] = { 3, 'W', 'w', 'W', 2, 'E', 0xc9, 0, 'x', 'y' };
	static const uint8_t overrun[] = { 5, 'a', 'b', 0 };
	static const uint8_t noroot[] = { 1, 'a' };
	static const uint8_t big[] = { 64, 'a' };
	uint8_t out[256], longname[300];
	char text[SF_DNS_TEXT_MAX];
	(void)state;

	assert_int_equal(sf_znames_fold(mixed, sizeof(mixed), out), 8);
	assert_memory_equal(out, "\003www\002e\311\000", 8);
	assert_int_equal(sf_znames_fold(overrun, sizeof(overrun), out), -1);
	assert_int_equal(sf_znames_fold(noroot, sizeof(noroot), out), -1);
	assert_int_equal(sf_znames_fold(big, sizeof(big), out), -1);
	/* past 255 bytes no root label fits: refused, as the text form does */
	for (size_t i = 0; i + 1 < sizeof(longname); i += 2) {
		longname[i] = 1;
		longname[i + 1] = 'a';
	}
	longname[sizeof(longname) - 1] = 0;
	assert_int_equal(sf_znames_fold(longname, sizeof(longname), out), -1);
	assert_int_equal(sf_dns_wire_to_text(longname, sizeof(longname), text, sizeof(text)), -1);
}

/* Equal bytes of one kind are one id; ids are dense; a look-up never
 * adds; the table grows past its first guess and keeps every entry. */
static void test_intern(void **state)
{
	sf_znames t;
	uint8_t w[64];
	size_t len;
	const uint8_t *b;
	enum { N = 20000 };
	(void)state;

	assert_int_equal(sf_znames_init(&t, 100), 0);
	for (unsigned i = 0; i < N; i++) {
		int n = snprintf((char *)w + 1, sizeof(w) - 1, "h%u", i);
		w[0] = (uint8_t)n;
		w[n + 1] = 0;
		assert_int_equal(sf_znames_intern(&t, SF_ZNAME_NAME, w, (size_t)n + 2), i);
	}
	for (unsigned i = 0; i < N; i += 997) {
		int n = snprintf((char *)w + 1, sizeof(w) - 1, "h%u", i);
		w[0] = (uint8_t)n;
		w[n + 1] = 0;
		assert_int_equal(sf_znames_intern(&t, SF_ZNAME_NAME, w, (size_t)n + 2), i);
		assert_int_equal(sf_znames_find(&t, SF_ZNAME_NAME, w, (size_t)n + 2), i);
		assert_int_equal(sf_znames_find(&t, SF_ZNAME_NAME + 1, w, (size_t)n + 2), SF_ZNAME_NONE);
		b = sf_znames_bytes(&t, i, &len);
		assert_int_equal(len, (size_t)n + 2);
		assert_memory_equal(b, w, len);
	}
	assert_int_equal(sf_znames_find(&t, SF_ZNAME_NAME, (const uint8_t *)"\001x", 3),
	                 SF_ZNAME_NONE);
	assert_int_equal(t.count, N);
	/* the hashed entry points agree with the plain ones */
	memcpy(w, "\002zz\000", 4);
	{
		uint32_t h = sf_znames_hash(&t, SF_ZNAME_NAME, w, 4);
		sf_znames_prefetch(&t, h, 0);
		sf_znames_prefetch(&t, h, 1);
		assert_int_equal(sf_znames_intern_hashed(&t, SF_ZNAME_NAME, w, 4, h), N);
		assert_int_equal(sf_znames_find_hashed(&t, SF_ZNAME_NAME, w, 4, h), N);
	}
	sf_znames_free(&t);
}

/* The whole-word reads (the last word overlapping the one before, short
 * names in two loads) agree with a byte at a time at every length and
 * offset: sf_znames_word tells bytes of one length apart, the lower-casing
 * matches the plain one (and hashes what it writes as sf_znames_hash
 * does), and equal bytes hash alike wherever they lie. */
static void test_words(void **state)
{
	sf_znames t;
	uint8_t a[64], b[80], la[64], lb[64];
	(void)state;

	assert_int_equal(sf_znames_init(&t, 100), 0);
	for (size_t n = 0; n <= 40; n++) {
		for (size_t i = 0; i < n; i++)
			a[i] = (uint8_t)("AbZ@[`az{0"[(i * 7 + n) % 10]);
		for (size_t off = 0; off < 9; off++) {
			memcpy(b + off, a, n);
			assert_int_equal(sf_znames_hash(&t, SF_ZNAME_NAME, a, n),
			                 sf_znames_hash(&t, SF_ZNAME_NAME, b + off, n));
			assert_int_equal(sf_znames_word(a, n), sf_znames_word(b + off, n));
			int upper = 0;
			for (size_t i = 0; i < n; i++) {
				lb[i] = a[i] >= 'A' && a[i] <= 'Z' ? (uint8_t)(a[i] + 32) : a[i];
				upper |= lb[i] != a[i];
			}
			memset(la, 0xee, sizeof(la));
			assert_int_equal(sf_znames_lower(b + off, n, la), upper);
			assert_memory_equal(la, lb, n);
			assert_int_equal(la[n], 0xee);
			assert_int_equal(sf_znames_lower(lb, n, la), 0);
			/* lowered and hashed in one pass: as in two */
			{
				uint8_t lc[64];
				uint32_t h = 0;
				assert_int_equal(sf_znames_lower_hash(&t, SF_ZNAME_NAME, b + off, n, lc, &h),
				                 upper);
				assert_memory_equal(lc, lb, n);
				assert_int_equal(h, sf_znames_hash(&t, SF_ZNAME_NAME, lb, n));
			}
		}
		/* each byte counts, the last ones too */
		for (size_t i = 0; i < n && n < 8; i++) {
			memcpy(b, a, n);
			b[i] ^= 1;
			assert_true(sf_znames_word(a, n) != sf_znames_word(b, n));
		}
	}
	sf_znames_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
