/* Unit tests: DNS name text/wire conversion, provider inference, and the
 * zone importer's scanner-free parts ($GENERATE, origin guesses). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "importers/dns_common.h"
#include "importers/zone.h"

static void test_wire_to_text(void **state)
{
	static const uint8_t www[] = { 3, 'W', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 0 };
	static const uint8_t odd[] = { 3, 'a', '.', 'b', 2, 0x01, ' ', 1, '*', 0 };
	static const uint8_t root[] = { 0 };
	static const uint8_t overrun[] = { 5, 'a', 'b', 0 };
	static const uint8_t noroot[] = { 1, 'a' };
	char out[SF_DNS_TEXT_MAX];
	(void)state;
	assert_int_equal(sf_dns_wire_to_text(www, sizeof(www), out, sizeof(out)), 12);
	assert_string_equal(out, "www.example.");
	assert_true(sf_dns_wire_to_text(odd, sizeof(odd), out, sizeof(out)) > 0);
	assert_string_equal(out, "a\\.b.\\001\\032.*.");
	assert_int_equal(sf_dns_wire_to_text(root, sizeof(root), out, sizeof(out)), 1);
	assert_string_equal(out, ".");
	assert_int_equal(sf_dns_wire_to_text(overrun, sizeof(overrun), out, sizeof(out)), -1);
	assert_int_equal(sf_dns_wire_to_text(noroot, sizeof(noroot), out, sizeof(out)), -1);
	/* the output buffer bounds the text too */
	assert_int_equal(sf_dns_wire_to_text(www, sizeof(www), out, 5), -1);
}

static void test_canon(void **state)
{
	char out[SF_DNS_TEXT_MAX], label[80];
	(void)state;
	assert_true(sf_dns_canon("API.Example.COM", 15, 0, out, sizeof(out)) > 0);
	assert_string_equal(out, "api.example.com.");
	assert_true(sf_dns_canon("api.example.com.", 16, 0, out, sizeof(out)) > 0);
	assert_string_equal(out, "api.example.com.");
	/* Route 53 writes escapes in octal: \052 is '*' */
	assert_true(sf_dns_canon("\\052.example.com.", 16, 1, out, sizeof(out)) > 0);
	assert_string_equal(out, "*.example.com.");
	/* RFC 1035 escapes are decimal: \052 is '4' */
	assert_true(sf_dns_canon("\\052.example.com.", 16, 0, out, sizeof(out)) > 0);
	assert_string_equal(out, "4.example.com.");
	assert_true(sf_dns_canon("a\\.b.c", 6, 0, out, sizeof(out)) > 0);
	assert_string_equal(out, "a\\.b.c.");
	assert_int_equal(sf_dns_canon("a..b", 4, 0, out, sizeof(out)), -1);
	assert_int_equal(sf_dns_canon(".a", 2, 0, out, sizeof(out)), -1);
	assert_int_equal(sf_dns_canon("", 0, 0, out, sizeof(out)), -1);
	assert_int_equal(sf_dns_canon("\\999", 4, 0, out, sizeof(out)), -1);
	assert_int_equal(sf_dns_canon("\\08", 3, 1, out, sizeof(out)), -1);
	memset(label, 'a', 64);
	assert_int_equal(sf_dns_canon(label, 64, 0, out, sizeof(out)), -1);
	assert_true(sf_dns_canon(label, 63, 0, out, sizeof(out)) > 0);
	{
		/* 128 labels of one byte: 256 bytes of wire, one too many */
		char longname[300];
		size_t n = 0;
		for (int i = 0; i < 128; i++) {
			longname[n++] = 'x';
			longname[n++] = '.';
		}
		assert_int_equal(sf_dns_canon(longname, n, 0, out, sizeof(out)), -1);
		assert_true(sf_dns_canon(longname, n - 2, 0, out, sizeof(out)) > 0);
	}
}

static void test_in_zone(void **state)
{
	(void)state;
	assert_true(sf_dns_in_zone("example.com.", "example.com."));
	assert_true(sf_dns_in_zone("a.b.example.com.", "example.com."));
	assert_false(sf_dns_in_zone("badexample.com.", "example.com."));
	assert_false(sf_dns_in_zone("example.org.", "example.com."));
	/* an escaped dot does not separate labels */
	assert_false(sf_dns_in_zone("a\\.example.com.", "example.com."));
	assert_true(sf_dns_in_zone("a\\\\.example.com.", "example.com."));
	assert_true(sf_dns_in_zone("anything.", "."));
}

static void test_types(void **state)
{
	char buf[16];
	(void)state;
	assert_string_equal(sf_dns_type_name(5, buf, sizeof(buf)), "CNAME");
	assert_string_equal(sf_dns_type_name(65534, buf, sizeof(buf)), "TYPE65534");
	assert_int_equal(sf_dns_type_from_name("aaaa"), 28);
	assert_int_equal(sf_dns_type_from_name("TYPE65534"), 65534);
	assert_int_equal(sf_dns_type_from_name("TYPE65536"), -1);
	assert_int_equal(sf_dns_type_from_name("CNMAE"), -1);
}

static void test_providers(void **state)
{
	static const struct {
		const char *ns, *key;
	} cases[] = {
		{ "ns-1234.awsdns-12.org.", "dnsprovider:route53" },
		{ "ns-1536.awsdns-00.co.uk.", "dnsprovider:route53" },
		{ "kara.ns.cloudflare.com.", "dnsprovider:cloudflare" },
		{ "ns1-03.azure-dns.com.", "dnsprovider:azure" },
		{ "ns4-03.azure-dns.info.", "dnsprovider:azure" },
		{ "ns-cloud-a1.googledomains.com.", "dnsprovider:clouddns" },
		{ "dns1.p01.nsone.net.", "dnsprovider:ns1" },
		{ "pdns1.ultradns.net.", "dnsprovider:ultradns" },
		{ "a1-64.akam.net.", "dnsprovider:akamai" },
		{ "ns1.p23.dynect.net.", "dnsprovider:dyn" },
		/* anyone else: the registrable domain of the server */
		{ "ns1.example.com.", "dnsprovider:example.com" },
		{ "dns.corp.example.co.uk.", "dnsprovider:example.co.uk" },
		{ "ns.example.", "dnsprovider:ns.example" },
		/* a look-alike is not Cloud DNS */
		{ "ns1.googledomains.com.", "dnsprovider:googledomains.com" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char key[SF_DNS_TEXT_MAX + 16], label[SF_DNS_TEXT_MAX + 32];
		sf_dns_provider(cases[i].ns, key, sizeof(key), label, sizeof(label));
		assert_string_equal(key, cases[i].key);
		assert_true(label[0] != '\0');
	}
	{
		/* the labels read as before; a short buffer cuts as snprintf does */
		char key[20], label[24];
		sf_dns_provider("ns1.example.com.", key, sizeof(key), label, sizeof(label));
		assert_string_equal(key, "dnsprovider:example");
		assert_string_equal(label, "DNS servers of example.");
		sf_dns_provider("kara.ns.cloudflare.com.", key, sizeof(key), label, sizeof(label));
		assert_string_equal(key, "dnsprovider:cloudfl");
		assert_string_equal(label, "Cloudflare DNS");
		sf_dns_provider("", key, sizeof(key), label, 8);
		assert_string_equal(key, "dnsprovider:root");
		assert_string_equal(label, "DNS ser");
	}
}

static char *gen(const char *line, long *n)
{
	sf_buf b = SF_BUF_INIT;
	char err[256];
	char *out;
	*n = sf_zone_generate(line, strlen(line), 1000000, &b, err, sizeof(err));
	if (*n < 0) {
		sf_buf_free(&b);
		return strdup(err);
	}
	out = strdup(sf_buf_cstr(&b));
	sf_buf_free(&b);
	return out;
}

static void test_generate(void **state)
{
	static const struct {
		const char *line;
		long n;
		const char *out;        /* the expansion, or the start of the error */
	} cases[] = {
		{ "$GENERATE 1-3 host$ A 10.0.0.$", 3,
		  "host1 A 10.0.0.1\nhost2 A 10.0.0.2\nhost3 A 10.0.0.3\n" },
		{ "$GENERATE 1-5/2 h${10,3,d} 60 IN CNAME host$ ; comment", 3,
		  "h011 60 IN CNAME host1\nh013 60 IN CNAME host3\nh015 60 IN CNAME host5\n" },
		{ "$GENERATE 10-11 ${0,4,x} TXT \"a\\$b$$\"", 2,
		  "000a TXT \"a$b$\"\n000b TXT \"a$b$\"\n" },
		{ "$GENERATE 1024-1024 ${0,3,n} AAAA 2001:db8::${0,4,X}", 1,
		  "0.0.4 AAAA 2001:db8::0400\n" },
		{ "$GENERATE 10-10 ${0,2,N} PTR x", 1, "A. PTR x\n" },
		{ "$GENERATE 19-28/2147483645 $ CNAME x", 1, "19 CNAME x\n" },
		{ "$GENERATE 1-1 c$ CNAME c${1}", 1, "c1 CNAME c2\n" },
		{ "$GENERATE 9--10 host$ A 10.0.0.$", -1, "$GENERATE: invalid range" },
		{ "$GENERATE 1-3/ $ A 1.2.3.$", -1, "$GENERATE: invalid range" },
		{ "$GENERATE 1-3/0 $ A 1.2.3.$", -1, "$GENERATE: invalid range" },
		{ "$GENERATE 3-1 $ A 1.2.3.$", -1, "$GENERATE: invalid range" },
		{ "$GENERATE 0-7 host$ A 1.2.3.${1,0,dgarbage}", -1, "$GENERATE: syntax error" },
		{ "$GENERATE 0-7 host$ A 1.2.3.${1000", -1, "$GENERATE: syntax error" },
		{ "$GENERATE 1-1 host$ TXT foo${2147483647}", -1, "$GENERATE: value out of range" },
		{ "$GENERATE 0-7 tkey$ TKEY \"x\"", -1, "$GENERATE: meta RR type" },
		{ "$GENERATE 0-100000 h$ A 10.0.0.1", -1, "$GENERATE: range makes more than" },
		{ "$GENERATE 1-2 h$", -1, "$GENERATE: syntax error" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long n;
		char *out = gen(cases[i].line, &n);
		assert_int_equal(n, cases[i].n);
		if (n >= 0)
			assert_string_equal(out, cases[i].out);
		else
			assert_memory_equal(out, cases[i].out, strlen(cases[i].out));
		free(out);
	}
}

static void test_origin(void **state)
{
	char out[SF_DNS_TEXT_MAX];
	static const char soa[] = "; comment\n$TTL 60\nExample.ORG. IN SOA ns hm 1 2 3 4 5\n";
	static const char origin[] = "\n$TTL 1h\n$ORIGIN corp.example.com.\n@ IN SOA a b 1 2 3 4 5\n";
	static const char relative[] = "$ORIGIN corp\n";
	static const char blank_owner[] = "  IN SOA a. b. 1 2 3 4 5\n";
	static const char relative_soa[] = "@ IN SOA a b 1 2 3 4 5\n";
	(void)state;
	assert_int_equal(sf_zone_origin_from_text(soa, strlen(soa), out, sizeof(out)), 0);
	assert_string_equal(out, "example.org.");
	assert_int_equal(sf_zone_origin_from_text(origin, strlen(origin), out, sizeof(out)), 0);
	assert_string_equal(out, "corp.example.com.");
	assert_int_equal(sf_zone_origin_from_text(relative, strlen(relative), out, sizeof(out)), -1);
	assert_int_equal(sf_zone_origin_from_text(blank_owner, strlen(blank_owner), out, sizeof(out)),
	                 -1);
	assert_int_equal(sf_zone_origin_from_text(relative_soa, strlen(relative_soa), out,
	                                          sizeof(out)), -1);

	assert_int_equal(sf_zone_origin_from_filename("zones/Example.com.zone", out, sizeof(out)), 0);
	assert_string_equal(out, "example.com.");
	assert_int_equal(sf_zone_origin_from_filename("db.example.net", out, sizeof(out)), 0);
	assert_string_equal(out, "example.net.");
	assert_int_equal(sf_zone_origin_from_filename("x/example.org.db", out, sizeof(out)), 0);
	assert_string_equal(out, "example.org.");
	/* `.db` alone is too common an extension to mean a zone name */
	assert_int_equal(sf_zone_origin_from_filename("users.db", out, sizeof(out)), -1);
	assert_int_equal(sf_zone_origin_from_filename("notes.txt", out, sizeof(out)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_to_text),
		cmocka_unit_test(test_canon),
		cmocka_unit_test(test_in_zone),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_providers),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
