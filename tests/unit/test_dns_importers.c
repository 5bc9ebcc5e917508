/* Unit tests: the zone, Route 53 (JSON, XML) and sharedfate.yaml importers
 * on small inputs, and the DNS check kinds (single_provider, unresolved). */
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

#include "analyzer/checks.h"
#include "analyzer/discover.h"
#include "importers/importer.h"
#include "importers/manifest.h"
#include "model/buf.h"

typedef struct env {
	sf_graph *g;
	sf_failover fo;
	sf_diags d;
	char root[4096];
} env;

static int setup(void **state)
{
	env *e = calloc(1, sizeof(*e));
	char tmpl[] = "/tmp/sf-dns-test-XXXXXX";
	char *real;
	assert_non_null(e);
	assert_int_equal(sf_graph_new(&e->g), 0);
	sf_failover_init(&e->fo);
	sf_diags_init(&e->d);
	assert_non_null(mkdtemp(tmpl));
	real = realpath(tmpl, NULL);
	assert_non_null(real);
	snprintf(e->root, sizeof(e->root), "%s", real);
	free(real);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->root);
	assert_int_equal(system(cmd), 0);
	sf_failover_free(&e->fo);
	sf_diags_free(&e->d);
	sf_graph_free(e->g);
	free(e);
	return 0;
}

static void put(env *e, const char *name, const char *text)
{
	char path[4300];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", e->root, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Import `text` as file `name` of the tree (written there too, for
 * includes relative to it). Returns the importer's result. */
static int import(env *e, const sf_importer *imp, const char *name, const char *text)
{
	sf_import_ctx ctx;
	char real[4300];
	put(e, name, text);
	snprintf(real, sizeof(real), "%s/%s", e->root, name);
	memset(&ctx, 0, sizeof(ctx));
	ctx.graph = e->g;
	ctx.failover = &e->fo;
	ctx.diags = &e->d;
	ctx.root = e->root;
	ctx.path = name;
	ctx.realpath = real;
	return imp->import(&ctx, text, strlen(text));
}

static int has_diag(const env *e, const char *path, long line, const char *part)
{
	for (size_t i = 0; i < e->d.count; i++) {
		const sf_diag *x = &e->d.items[i];
		if ((!path || (x->path && strcmp(x->path, path) == 0)) && (line < 0 || x->line == line) &&
		    strstr(x->message, part))
			return 1;
	}
	return 0;
}

static int has_edge(env *e, const char *from, sf_edge_kind k, const char *to)
{
	sf_node_id f = sf_graph_find(e->g, from), t = sf_graph_find(e->g, to);
	size_t cnt;
	const sf_edge *out;
	if (f == SF_NODE_NONE || t == SF_NODE_NONE)
		return 0;
	out = sf_graph_out(e->g, f, &cnt);
	for (size_t i = 0; i < cnt; i++) {
		const sf_edge *x = &out[i];
		if (x->to == t && x->kind == k)
			return 1;
	}
	return 0;
}

static const char *attr(env *e, const char *key, const char *name)
{
	return sf_graph_attr(e->g, sf_graph_find(e->g, key), name);
}

static const char zone_head[] =
	"$ORIGIN example.com.\n"
	"$TTL 300\n"
	"@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
	"  IN NS ns-1.awsdns-01.org.\n"
	"  IN NS kara.ns.cloudflare.com.\n";

static void test_zone_graph(void **state)
{
	env *e = *state;
	char text[2048];
	snprintf(text, sizeof(text), "%s"
	         "api 60 IN CNAME api-use1\n"
	         "api-use1 IN CNAME LB.Example.NET.\n"
	         "web IN A 192.0.2.1\n"
	         "web IN AAAA 2001:DB8::1\n"
	         "svc IN HTTPS 0 web\n"
	         "sub IN NS ns1.sub\n"
	         "ns1.sub IN A 192.0.2.53\n"
	         "host.sub IN A 192.0.2.54\n"
	         "other.org. IN A 192.0.2.99\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), 0);
	assert_int_equal(e->d.errors, 0);
	assert_true(has_diag(e, "example.com.zone", 14, "outside the zone"));
	assert_true(has_edge(e, "dns:api.example.com.", SF_EDGE_RESOLVES_TO, "dns:api-use1.example.com."));
	assert_true(has_edge(e, "dns:api-use1.example.com.", SF_EDGE_RESOLVES_TO, "dns:lb.example.net."));
	assert_true(has_edge(e, "dns:web.example.com.", SF_EDGE_RESOLVES_TO, "ip:2001:db8::1"));
	assert_true(has_edge(e, "dns:svc.example.com.", SF_EDGE_RESOLVES_TO, "dns:web.example.com."));
	assert_true(has_edge(e, "dns:api.example.com.", SF_EDGE_SERVED_BY, "zone:example.com."));
	assert_true(has_edge(e, "zone:example.com.", SF_EDGE_SERVED_BY, "dnsprovider:route53"));
	assert_true(has_edge(e, "zone:example.com.", SF_EDGE_SERVED_BY, "dnsprovider:cloudflare"));
	assert_int_equal(sf_graph_node_at(e->g, sf_graph_find(e->g, "zone:example.com."))->gate,
	                 SF_GATE_ANY);
	assert_string_equal(attr(e, "zone:example.com.", "nameservers"),
	                    "kara.ns.cloudflare.com.,ns-1.awsdns-01.org.");
	/* below a delegation: the child zone and the parent both serve it */
	assert_true(has_edge(e, "dns:host.sub.example.com.", SF_EDGE_SERVED_BY, "zone:sub.example.com."));
	assert_true(has_edge(e, "dns:host.sub.example.com.", SF_EDGE_SERVED_BY, "zone:example.com."));
	assert_true(has_edge(e, "zone:sub.example.com.", SF_EDGE_SERVED_BY, "dnsprovider:example.com"));
	/* TTL: the record that matters for cutover */
	assert_string_equal(attr(e, "dns:api.example.com.", "ttl"), "60");
	assert_string_equal(attr(e, "dns:web.example.com.", "ttl"), "300");
	assert_int_equal(sf_graph_find(e->g, "dns:other.org."), SF_NODE_NONE);
}

static void test_zone_include(void **state)
{
	env *e = *state;
	char text[4200];
	snprintf(text, sizeof(text), "%s/inc", e->root);
	assert_int_equal(mkdir(text, 0755), 0);
	put(e, "inc/hosts.inc", "mail IN A 192.0.2.25\n$INCLUDE ../deeper.inc\n");
	put(e, "deeper.inc", "deep IN A 192.0.2.26\n");
	snprintf(text, sizeof(text), "%s"
	         "$INCLUDE inc/hosts.inc\n"
	         "$INCLUDE inc/hosts.inc eu.example.com.\n"
	         "after IN A 192.0.2.27\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), 0);
	assert_int_equal(e->d.errors, 0);
	assert_int_not_equal(sf_graph_find(e->g, "dns:mail.example.com."), SF_NODE_NONE);
	assert_int_not_equal(sf_graph_find(e->g, "dns:deep.example.com."), SF_NODE_NONE);
	assert_int_not_equal(sf_graph_find(e->g, "dns:mail.eu.example.com."), SF_NODE_NONE);
	assert_int_not_equal(sf_graph_find(e->g, "dns:deep.eu.example.com."), SF_NODE_NONE);
	/* the origin is back after the include */
	assert_int_not_equal(sf_graph_find(e->g, "dns:after.example.com."), SF_NODE_NONE);
	/* provenance names the included file and its own line */
	{
		const sf_node *n = sf_graph_node_at(e->g, sf_graph_find(e->g, "dns:deep.example.com."));
		assert_string_equal(sf_graph_node_prov(e->g, n).path, "deeper.inc");
		assert_int_equal(sf_graph_node_prov(e->g, n).line, 1);
	}
}

static void test_zone_include_refused(void **state)
{
	env *e = *state;
	char text[2048];
	put(e, "loop.inc", "x IN A 192.0.2.1\n$INCLUDE loop.inc\n");
	snprintf(text, sizeof(text), "%s"
	         "$INCLUDE /etc/passwd\n"
	         "$INCLUDE ../../../../../../etc/passwd\n"
	         "$INCLUDE missing.inc\n"
	         "$INCLUDE loop.inc\n"
	         "$INCLUDE .\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), -1);
	assert_true(has_diag(e, "example.com.zone", 6, "absolute path not allowed"));
	assert_true(has_diag(e, "example.com.zone", 7, "outside the scanned tree"));
	assert_true(has_diag(e, "example.com.zone", 8, "No such file"));
	assert_true(has_diag(e, "loop.inc", 2, "include cycle"));
	assert_true(has_diag(e, "example.com.zone", 10, "not a regular file"));
	/* a zone with errors adds nothing to the graph */
	assert_int_equal(sf_graph_find(e->g, "dns:x.example.com."), SF_NODE_NONE);
}

static void test_zone_include_depth(void **state)
{
	env *e = *state;
	char text[2048];
	for (int i = 0; i < 12; i++) {
		char name[32], body[64];
		snprintf(name, sizeof(name), "d%d.inc", i);
		snprintf(body, sizeof(body), "n%d IN A 192.0.2.%d\n$INCLUDE d%d.inc\n", i, i + 1, i + 1);
		put(e, name, body);
	}
	snprintf(text, sizeof(text), "%s$INCLUDE d0.inc\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), -1);
	assert_true(has_diag(e, "d7.inc", 2, "nested deeper than 8"));
}

static void test_zone_errors(void **state)
{
	env *e = *state;
	static const char text[] =
		"$ORIGIN example.com.\n"
		"$TTL 300\n"
		"www IN CNAME a\n"
		"www IN A 192.0.2.1\n"
		"bad IN A 192.0.2.300\n"
		"$GENERATE 5-1 h$ A 192.0.2.$\n"
		"ok IN A 192.0.2.2\n";
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), -1);
	assert_true(has_diag(e, "example.com.zone", 5, "invalid IPv4 address"));
	assert_true(has_diag(e, "example.com.zone", 6, "$GENERATE: invalid range"));
	assert_true(has_diag(e, "example.com.zone", 4, "CNAME and other data"));
}

static void test_zone_no_origin(void **state)
{
	env *e = *state;
	assert_int_equal(import(e, &sf_importer_zone, "zonefile", "www IN A 192.0.2.1\n"), -1);
	assert_true(has_diag(e, "zonefile", 1, "cannot tell the zone's origin"));
}

static void test_zone_origin_from_manifest(void **state)
{
	env *e = *state;
	put(e, "sharedfate.yaml", "version: 1\nzones:\n  - file: internal\n    origin: corp.example\n");
	assert_int_equal(import(e, &sf_importer_zone, "internal", "@ IN SOA a b 1 2 3 4 5\nwww IN A 192.0.2.1\n"),
	                 0);
	assert_int_not_equal(sf_graph_find(e->g, "dns:www.corp.example."), SF_NODE_NONE);
	assert_int_not_equal(sf_graph_find(e->g, "zone:corp.example."), SF_NODE_NONE);
}

static void test_zone_chains(void **state)
{
	env *e = *state;
	char text[2048];
	snprintf(text, sizeof(text), "%s"
	         "a IN CNAME b\nb IN CNAME c\nc IN CNAME a\n"
	         "$GENERATE 0-29 l$ CNAME l${1}\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), 0);
	assert_true(has_diag(e, "example.com.zone", 6, "CNAME loop: a.example.com. -> b.example.com."));
	assert_true(has_diag(e, "example.com.zone", 9, "CNAME chain of 31 names from l0.example.com."));
}

/* A record the analysis does not use and libzscanner cannot read is a
 * warning at its own line naming its type; its owner stays, the zone is
 * imported, and no follow-on error comes from the lines it spans. With
 * strict_zones the same zone is refused. */
static void test_zone_unread_records(void **state)
{
	env *e = *state;
	char text[2048];
	snprintf(text, sizeof(text), "%s"
	         "old IN NXT a.example.com. A\n"
	         "sig IN SIG ( A 1 3 3600 20300101000000\n"
	         "    20000101000000 1234 example.com.\n"
	         "    AAAA BBBB )\n"
	         "www IN A 192.0.2.1\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), 0);
	assert_int_equal(e->d.errors, 0);
	assert_true(has_diag(e, "example.com.zone", 6, "NXT record not read"));
	assert_true(has_diag(e, "example.com.zone", 7, "SIG record not read"));
	assert_int_equal(e->d.count, 2);
	assert_int_not_equal(sf_graph_find(e->g, "dns:old.example.com."), SF_NODE_NONE);
	assert_int_not_equal(sf_graph_find(e->g, "dns:sig.example.com."), SF_NODE_NONE);
	assert_true(has_edge(e, "dns:www.example.com.", SF_EDGE_RESOLVES_TO, "ip:192.0.2.1"));
}

static void test_zone_unread_strict(void **state)
{
	env *e = *state;
	sf_import_ctx ctx;
	char text[2048], real[4300];
	snprintf(text, sizeof(text), "%sold IN NXT a.example.com. A\nwww IN A 192.0.2.1\n", zone_head);
	put(e, "example.com.zone", text);
	snprintf(real, sizeof(real), "%s/example.com.zone", e->root);
	memset(&ctx, 0, sizeof(ctx));
	ctx.graph = e->g;
	ctx.failover = &e->fo;
	ctx.diags = &e->d;
	ctx.root = e->root;
	ctx.path = "example.com.zone";
	ctx.realpath = real;
	ctx.strict_zones = 1;
	assert_int_equal(sf_importer_zone.import(&ctx, text, strlen(text)), -1);
	assert_true(has_diag(e, "example.com.zone", 6, "unsupported record type NXT"));
}

/* A record of another class: the class is named, not the type. */
static void test_zone_other_class(void **state)
{
	env *e = *state;
	char text[2048];
	snprintf(text, sizeof(text), "%sx CLASS5 A 192.0.2.1\nz CLASS1 A 192.0.2.2\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), 0);
	assert_true(has_diag(e, "example.com.zone", 6, "record of class CLASS5 not read"));
	assert_int_equal(e->d.count, 1);
	assert_true(has_edge(e, "dns:z.example.com.", SF_EDGE_RESOLVES_TO, "ip:192.0.2.2"));
}

/* A record the analysis uses stays an error, at the real line inside its
 * parentheses, and nothing about a parenthesis follows. */
static void test_zone_used_record_error(void **state)
{
	env *e = *state;
	char text[2048];
	snprintf(text, sizeof(text), "%swww IN A (\n  192.0.2.300 )\nok IN A 192.0.2.2\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), -1);
	assert_true(has_diag(e, "example.com.zone", 7, "A record: invalid IPv4 address"));
	assert_int_equal(e->d.count, 1);
}

/* CRLF, relative $ORIGIN and $INCLUDE origins, CLASS1, base64 in pieces:
 * read as BIND reads them, without a word. */
static void test_zone_bind_shapes(void **state)
{
	env *e = *state;
	static const char text[] =
		"$ORIGIN example.com.\r\n"
		"@ IN SOA ns1 h 1 2 3 4 5\r\n"
		"@ IN DNSKEY 256 3 8 AwEAAa Qk7w==\r\n"
		"a CLASS1 A 192.0.2.1\r\n"
		"$ORIGIN eu\r\n"
		"b A 192.0.2.2\r\n"
		"$INCLUDE frag.inc us\r\n";
	put(e, "frag.inc", "c A 192.0.2.3\n");
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), 0);
	assert_int_equal(e->d.count, 0);
	assert_int_not_equal(sf_graph_find(e->g, "dns:a.example.com."), SF_NODE_NONE);
	assert_int_not_equal(sf_graph_find(e->g, "dns:b.eu.example.com."), SF_NODE_NONE);
	assert_int_not_equal(sf_graph_find(e->g, "dns:c.us.eu.example.com."), SF_NODE_NONE);
}

/* Two DNAMEs with different targets are refused; a repeated one is not. */
static void test_zone_singletons(void **state)
{
	env *e = *state;
	char text[2048];
	snprintf(text, sizeof(text), "%s"
	         "x IN DNAME a.example.net.\nx IN DNAME a.example.net.\n"
	         "y IN DNAME a.example.net.\ny IN DNAME b.example.net.\n", zone_head);
	assert_int_equal(import(e, &sf_importer_zone, "example.com.zone", text), -1);
	assert_int_equal(e->d.errors, 1);
	assert_true(has_diag(e, "example.com.zone", 9, "more than one DNAME (the first on line 8)"));
}

/* $GENERATE: one message for all its bad records, and the zone's budget,
 * checked before a range is made. */
static void test_zone_generate_budget(void **state)
{
	env *e = *state;
	sf_import_ctx ctx;
	char text[2048], real[4300];
	snprintf(text, sizeof(text), "%s"
	         "$GENERATE 1-50 h$ A 10.0.0.300\n"
	         "$GENERATE 1-50 g$ A 10.0.0.1\n"
	         "$GENERATE 1-50 f$ A 10.0.0.1\n", zone_head);
	put(e, "example.com.zone", text);
	snprintf(real, sizeof(real), "%s/example.com.zone", e->root);
	memset(&ctx, 0, sizeof(ctx));
	ctx.graph = e->g;
	ctx.failover = &e->fo;
	ctx.diags = &e->d;
	ctx.root = e->root;
	ctx.path = "example.com.zone";
	ctx.realpath = real;
	ctx.zone_max_generated = 100;
	ctx.keep_going = 1;
	assert_int_equal(sf_importer_zone.import(&ctx, text, strlen(text)), 0);
	assert_true(has_diag(e, "example.com.zone", 6, "(and 49 more of the 50 records it makes)"));
	assert_true(has_diag(e, "example.com.zone", 8, "more than 100 records"));
	assert_int_equal(e->d.count, 2);
	assert_int_not_equal(sf_graph_find(e->g, "dns:g50.example.com."), SF_NODE_NONE);
	assert_int_equal(sf_graph_find(e->g, "dns:f1.example.com."), SF_NODE_NONE);
}

static void note_found(const char *realpath, void *payload)
{
	const char *base = strrchr(realpath, '/');
	sf_buf *b = payload;
	sf_buf_puts(b, base ? base + 1 : realpath);
	sf_buf_putc(b, ' ');
}

/* The scan's includes hook: the same parse as the import, so nested
 * includes are found and a `$INCLUDE` line inside parentheses is not one. */
static void test_zone_includes_hook(void **state)
{
	env *e = *state;
	sf_import_ctx ctx;
	sf_buf found = SF_BUF_INIT;
	char real[4300];
	static const char text[] =
		"$ORIGIN example.com.\n"
		"note TXT ( \"a\"\n$INCLUDE hidden.inc\n )\n"
		"$INCLUDE a.inc\n";
	put(e, "a.inc", "$TTL 60\n$INCLUDE b.inc\n");
	put(e, "b.inc", "$ORIGIN sub.example.com.\nx A 192.0.2.1\n");
	put(e, "hidden.inc", "y A 192.0.2.1\n");
	put(e, "example.com.zone", text);
	snprintf(real, sizeof(real), "%s/example.com.zone", e->root);
	memset(&ctx, 0, sizeof(ctx));
	ctx.root = e->root;
	ctx.path = "example.com.zone";
	ctx.realpath = real;
	sf_importer_zone.includes(&ctx, text, strlen(text), note_found, &found);
	assert_string_equal(sf_buf_cstr(&found), "a.inc b.inc ");
	sf_buf_free(&found);
}

static void test_zone_sniff(void **state)
{
	static const char zone[] = "; c\n$TTL 60\n@ IN SOA a b 1 2 3 4 5\n";
	static const char yaml[] = "key: value\nsoa: SOA\n";
	(void)state;
	assert_true(sf_importer_zone.sniff("x/example.com.zone", "", 0) > 0);
	assert_true(sf_importer_zone.sniff("db.example.com", zone, strlen(zone)) > 0);
	assert_true(sf_importer_zone.sniff("zones/anything", zone, strlen(zone)) > 0);
	assert_int_equal(sf_importer_zone.sniff("db.py", "import os\n", 10), 0);
	/* recognised by content, whatever the first record's type */
	assert_true(sf_importer_zone.sniff("db.example", "example. 60 IN NSEC a. A\n", 25) >= 70);
	/* text named like a zone: the importer says why it is not one */
	assert_true(sf_importer_zone.sniff("db.example", "hello world\n", 12) > 0);
	assert_int_equal(sf_importer_zone.sniff("users.db", "SQLite format 3\0\0\0", 18), 0);
	assert_int_equal(sf_importer_zone.sniff("config.yaml", yaml, strlen(yaml)), 0);
}

static const char r53_json[] =
	"{\n"
	"  \"ResourceRecordSets\": [\n"
	"    {\"Name\": \"example.com.\", \"Type\": \"SOA\", \"TTL\": 900,\n"
	"     \"ResourceRecords\": [{\"Value\": \"ns-1.awsdns-01.org. h. 1 2 3 4 5\"}]},\n"
	"    {\"Name\": \"example.com.\", \"Type\": \"NS\", \"TTL\": 900,\n"
	"     \"ResourceRecords\": [{\"Value\": \"ns-1.awsdns-01.org.\"}]},\n"
	"    {\"Name\": \"API.example.com.\", \"Type\": \"A\", \"SetIdentifier\": \"p\",\n"
	"     \"Failover\": \"PRIMARY\", \"HealthCheckId\": \"hc-1\",\n"
	"     \"AliasTarget\": {\"HostedZoneId\": \"Z1\", \"DNSName\": \"dualstack.LB-1.elb.amazonaws.com.\",\n"
	"                     \"EvaluateTargetHealth\": true}},\n"
	"    {\"Name\": \"api.example.com.\", \"Type\": \"A\", \"SetIdentifier\": \"s\",\n"
	"     \"Failover\": \"SECONDARY\", \"TTL\": 300,\n"
	"     \"ResourceRecords\": [{\"Value\": \"192.0.2.1\"}, {\"Value\": \"192.0.2.2\"}]},\n"
	"    {\"Name\": \"\\\\052.example.com.\", \"Type\": \"CNAME\", \"TTL\": 60,\n"
	"     \"ResourceRecords\": [{\"Value\": \"api.example.com\"}]}\n"
	"  ]\n"
	"}\n";

static void check_r53_graph(env *e)
{
	const sf_pair *p;
	assert_int_equal(sf_failover_build(&e->fo, e->g), 0);
	assert_int_equal(e->fo.npairs, 1);
	p = &e->fo.pairs[0];
	assert_string_equal(p->id, "route53:api.example.com./A");
	assert_string_equal(sf_graph_key(e->g, p->primary->root), "dns:lb-1.elb.amazonaws.com.");
	/* several values: the standby's root is the record itself */
	assert_string_equal(sf_graph_key(e->g, p->standby[0]->root),
	                    "route53:api.example.com./A/s");
	assert_true(has_edge(e, "route53:api.example.com./A/p", SF_EDGE_CHECKED_BY,
	                     "route53-healthcheck:hc-1"));
	assert_true(has_edge(e, "route53:api.example.com./A/s", SF_EDGE_RESOLVES_TO, "ip:192.0.2.2"));
	assert_true(has_edge(e, "dns:api.example.com.", SF_EDGE_RESOLVES_TO, "route53:api.example.com./A/s"));
	assert_true(has_edge(e, "route53:api.example.com./A/s", SF_EDGE_SERVED_BY, "zone:example.com."));
	assert_true(has_edge(e, "zone:example.com.", SF_EDGE_SERVED_BY, "dnsprovider:route53"));
	assert_true(has_edge(e, "dns:*.example.com.", SF_EDGE_RESOLVES_TO, "route53:*.example.com./CNAME"));
	assert_string_equal(attr(e, "route53:api.example.com./A/p", "evaluate_target_health"), "true");
	assert_string_equal(attr(e, "route53:api.example.com./A/s", "ttl"), "300");
	assert_string_equal(attr(e, "route53:api.example.com./A/s", "failover"), "SECONDARY");
	assert_string_equal(attr(e, "zone:example.com.", "nameservers"), "ns-1.awsdns-01.org.");
}

static void test_route53_json(void **state)
{
	env *e = *state;
	assert_true(sf_importer_route53_json.sniff("x.json", r53_json, strlen(r53_json)) > 0);
	assert_int_equal(import(e, &sf_importer_route53_json, "records.json", r53_json), 0);
	assert_int_equal(e->d.errors, 0);
	check_r53_graph(e);
}

static void test_route53_xml(void **state)
{
	env *e = *state;
	static const char xml[] =
		"<?xml version=\"1.0\"?>\n"
		"<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\n"
		"<ResourceRecordSets>\n"
		"<ResourceRecordSet><Name>example.com.</Name><Type>SOA</Type><TTL>900</TTL>\n"
		"<ResourceRecords><ResourceRecord><Value>a. b. 1 2 3 4 5</Value></ResourceRecord></ResourceRecords>\n"
		"</ResourceRecordSet>\n"
		"<ResourceRecordSet><Name>example.com.</Name><Type>NS</Type><TTL>900</TTL>\n"
		"<ResourceRecords><ResourceRecord><Value>ns-1.awsdns-01.org.</Value></ResourceRecord></ResourceRecords>\n"
		"</ResourceRecordSet>\n"
		"<ResourceRecordSet><Name>API.example.com.</Name><Type>A</Type><SetIdentifier>p</SetIdentifier>\n"
		"<Failover>PRIMARY</Failover><AliasTarget><HostedZoneId>Z1</HostedZoneId>\n"
		"<DNSName>dualstack.LB-1.elb.amazonaws.com.</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth>\n"
		"</AliasTarget><HealthCheckId>hc-1</HealthCheckId></ResourceRecordSet>\n"
		"<ResourceRecordSet><Name>api.example.com.</Name><Type>A</Type><SetIdentifier>s</SetIdentifier>\n"
		"<Failover>SECONDARY</Failover><TTL>300</TTL><ResourceRecords>\n"
		"<ResourceRecord><Value>192.0.2.1</Value></ResourceRecord>\n"
		"<ResourceRecord><Value><![CDATA[192.0.2.2]]></Value></ResourceRecord></ResourceRecords>\n"
		"</ResourceRecordSet>\n"
		"<ResourceRecordSet><Name>\\052.example.com.</Name><Type>CNAME</Type><TTL>60</TTL>\n"
		"<ResourceRecords><ResourceRecord><Value>api.example.com</Value></ResourceRecord></ResourceRecords>\n"
		"</ResourceRecordSet>\n"
		"</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>\n"
		"</ListResourceRecordSetsResponse>\n";
	assert_true(sf_importer_route53_xml.sniff("x.xml", xml, strlen(xml)) > 0);
	assert_int_equal(import(e, &sf_importer_route53_xml, "records.xml", xml), 0);
	assert_int_equal(e->d.errors, 0);
	check_r53_graph(e);
}

static void test_route53_xml_hostile(void **state)
{
	env *e = *state;
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		"<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet>\n"
		"<Name>&x;</Name><Type>A</Type></ResourceRecordSet></ResourceRecordSets>\n"
		"</ListResourceRecordSetsResponse>\n";
	static const char entity[] =
		"<ListResourceRecordSetsResponse>\n<ResourceRecordSets>&x;</ResourceRecordSets>\n"
		"</ListResourceRecordSetsResponse>\n";
	static const char other[] = "<ListResourceRecordSetsResponse xmlns=\"urn:other\"/>\n";
	static const char broken[] = "<ListResourceRecordSetsResponse>\n<a>\n</b>\n";
	assert_int_equal(import(e, &sf_importer_route53_xml, "a.xml", xxe), -1);
	assert_true(has_diag(e, "a.xml", 2, "document type declarations are not allowed"));
	assert_int_equal(import(e, &sf_importer_route53_xml, "b.xml", entity), -1);
	assert_true(has_diag(e, "b.xml", 2, "not defined"));
	assert_int_equal(import(e, &sf_importer_route53_xml, "c.xml", other), -1);
	assert_true(has_diag(e, "c.xml", 1, "not a Route 53"));
	assert_int_equal(import(e, &sf_importer_route53_xml, "d.xml", broken), -1);
	assert_true(has_diag(e, "d.xml", 3, "invalid XML"));
	assert_int_equal(sf_graph_node_count(e->g), 0);
}

static void test_route53_json_errors(void **state)
{
	env *e = *state;
	static const char dup[] = "{\"ResourceRecordSets\": [], \"ResourceRecordSets\": []}\n";
	static const char notlist[] = "{\n\"ResourceRecordSets\": {}\n}\n";
	static const char bad[] =
		"{\"ResourceRecordSets\": [\n"
		"  {\"Name\": \"a.example.com.\", \"Type\": \"A\", \"TTL\": 60},\n"
		"  {\"Name\": \"b.example.com.\", \"Type\": \"A\", \"TTL\": -1,\n"
		"   \"ResourceRecords\": [{\"Value\": \"192.0.2.1\"}]},\n"
		"  \"not an object\",\n"
		"  {\"Name\": \"c.example.com.\", \"Type\": \"A\", \"Failover\": \"PRIMARY\",\n"
		"   \"ResourceRecords\": [{\"Value\": \"192.0.2.1\"}]}\n"
		"]}\n";
	assert_int_equal(import(e, &sf_importer_route53_json, "dup.json", dup), -1);
	assert_true(has_diag(e, "dup.json", 1, "duplicate"));
	assert_int_equal(import(e, &sf_importer_route53_json, "notlist.json", notlist), -1);
	assert_true(has_diag(e, "notlist.json", 1, "no ResourceRecordSets list"));
	assert_int_equal(import(e, &sf_importer_route53_json, "bad.json", bad), -1);
	assert_true(has_diag(e, "bad.json", 2, "neither ResourceRecords nor AliasTarget"));
	assert_true(has_diag(e, "bad.json", 3, "TTL must be a number"));
	assert_true(has_diag(e, "bad.json", 5, "not an object"));
	assert_true(has_diag(e, "bad.json", 6, "needs a SetIdentifier"));
}

static void test_manifest(void **state)
{
	env *e = *state;
	static const char good[] =
		"version: 1\n"
		"services:\n"
		"  - name: api\n"
		"    dns: API.example.com\n"
		"    primary: api-use1.example.com\n"
		"    standby: [api-usw2.example.com, {dns: api-euw1.example.com}]\n";
	const sf_pair *p;
	assert_int_equal(sf_importer_manifest.sniff("a/sharedfate.yaml", "", 0), 100);
	assert_int_equal(sf_importer_manifest.sniff("a/other.yaml", "", 0), 0);
	assert_int_equal(import(e, &sf_importer_manifest, "sharedfate.yaml", good), 0);
	assert_int_equal(sf_failover_build(&e->fo, e->g), 0);
	assert_int_equal(e->fo.npairs, 1);
	p = &e->fo.pairs[0];
	assert_string_equal(p->id, "manifest:api");
	assert_string_equal(p->service, "api");
	assert_string_equal(p->name, "api.example.com.");
	assert_int_equal(p->nstandby, 2);
	assert_string_equal(sf_graph_key(e->g, p->primary->root), "dns:api-use1.example.com.");
	assert_string_equal(sf_graph_key(e->g, p->standby[1]->root), "dns:api-euw1.example.com.");
	assert_string_equal(sf_graph_key(e->g, p->primary->record), "dns:api.example.com.");
}

static void test_manifest_invalid(void **state)
{
	env *e = *state;
	sf_manifest m;
	static const char bad[] =
		"version: 2\n"
		"services:\n"
		"  - name: api\n"
		"    dns: api.example.com\n"
		"    primary: 42\n"
		"    standby: []\n"
		"    ownr: me\n"
		"  - name: 'a b'\n"
		"    dns: x\n"
		"    primary: y\n"
		"    standby: z\n"
		"zones: nope\n";
	assert_int_equal(sf_manifest_parse("m.yaml", bad, strlen(bad), &m, &e->d), -1);
	assert_true(has_diag(e, "m.yaml", 1, "only version 1"));
	assert_true(has_diag(e, "m.yaml", 6, "a list of 1 to 8"));
	assert_true(has_diag(e, "m.yaml", 7, "unknown field 'ownr'"));
	assert_true(has_diag(e, "m.yaml", 8, "service name 'a b'"));
	assert_true(has_diag(e, "m.yaml", 12, "zones must be a list"));
	assert_int_equal(sf_manifest_parse("n.yaml", "- 1\n", 4, &m, &e->d), -1);
	assert_true(has_diag(e, "n.yaml", -1, "must be a mapping"));
	{
		/* an alias is a copy: here, of a whole service, which is then
		 * declared twice (the copy keeps the anchor's lines) */
		static const char alias[] = "version: 1\nservices:\n  - &s\n    name: api\n"
		                            "    dns: api.example.com\n    primary: a.example.com\n"
		                            "    standby: b.example.com\n  - *s\n";
		assert_int_equal(sf_manifest_parse("o.yaml", alias, strlen(alias), &m, &e->d), -1);
		assert_true(has_diag(e, "o.yaml", -1, "service 'api' is declared twice"));
	}
	assert_int_equal(sf_manifest_parse("p.yaml", "services: []\n", 13, &m, &e->d), -1);
	assert_true(has_diag(e, "p.yaml", -1, "'version' is required"));
}

/* The DNS check kinds over a hand-made graph. */
static void test_checks(void **state)
{
	env *e = *state;
	sf_graph *g = e->g;
	sf_node_id zone = sf_graph_node(g, SF_KIND_DNS_ZONE, "zone:example.com.", NULL, NULL);
	sf_node_id prov = sf_graph_node(g, SF_KIND_DNS_PROVIDER, "dnsprovider:ns1", "NS1", NULL);
	sf_node_id name = sf_graph_node(g, SF_KIND_DNS_NAME, "dns:app.example.com.", NULL, NULL);
	sf_node_id p = sf_graph_node(g, SF_KIND_DNS_NAME, "dns:p.example.com.", NULL, NULL);
	sf_node_id s1 = sf_graph_node(g, SF_KIND_DNS_NAME, "dns:s1.example.com.", NULL, NULL);
	sf_node_id s2 = sf_graph_node(g, SF_KIND_DNS_NAME, "dns:s2.example.com.", NULL, NULL);
	sf_node_id ext = sf_graph_node(g, SF_KIND_DNS_NAME, "dns:x.example.net.", NULL, NULL);
	sf_node_id lb = sf_graph_node(g, SF_KIND_LOAD_BALANCER, "aws_lb.p", NULL, NULL);
	sf_failover_member m;
	sf_hits hits = SF_HITS_INIT;
	sf_check_ctx ctx;
	sf_rule r;
	const sf_pair *pair;

	sf_graph_edge(g, name, SF_EDGE_SERVED_BY, zone, NULL);
	sf_graph_edge(g, zone, SF_EDGE_SERVED_BY, prov, NULL);
	sf_graph_set_attr(g, zone, "nameservers", "dns1.p01.nsone.net.");
	sf_graph_edge(g, p, SF_EDGE_RESOLVES_TO, lb, NULL);
	/* s1 -> s2 -> s1, and s1 -> x.example.net., which nothing defines */
	sf_graph_edge(g, s1, SF_EDGE_RESOLVES_TO, s2, NULL);
	sf_graph_edge(g, s2, SF_EDGE_RESOLVES_TO, s1, NULL);
	sf_graph_edge(g, s1, SF_EDGE_RESOLVES_TO, ext, NULL);
	sf_graph_set_attr(g, ext, "unresolved", "true");
	memset(&m, 0, sizeof(m));
	m.group = "manifest:app";
	m.name = "app.example.com.";
	m.record = name;
	m.root = p;
	assert_int_equal(sf_failover_add(&e->fo, g, &m), 0);
	m.role = 1;
	m.root = s1;
	assert_int_equal(sf_failover_add(&e->fo, g, &m), 0);
	assert_int_equal(sf_failover_build(&e->fo, g), 0);
	pair = &e->fo.pairs[0];

	memset(&ctx, 0, sizeof(ctx));
	ctx.g = g;
	memset(&r, 0, sizeof(r));
	r.subject = SF_SUBJECT_BOTH;
	r.check = SF_CHECK_SINGLE_PROVIDER;
	assert_int_equal(sf_check_run(&ctx, &r, pair, &hits), 0);
	assert_int_equal(hits.count, 1);
	assert_int_equal(hits.items[0].subject, zone);
	assert_int_equal(hits.items[0].shared, prov);
	sf_hits_free(&hits);

	r.check = SF_CHECK_UNRESOLVED;
	assert_int_equal(sf_check_run(&ctx, &r, pair, &hits), 0);
	assert_int_equal(hits.count, 2);
	for (size_t i = 0; i < hits.count; i++) {
		if (hits.items[i].subject == s1) {
			assert_string_equal(hits.items[i].value, "its chain loops back to dns:s1.example.com.");
		} else {
			assert_int_equal(hits.items[i].subject, ext);
			assert_int_equal(hits.items[i].nsp, 2);
			assert_string_equal(hits.items[i].value,
			                    "its chain ends at dns:x.example.net., which no input defines");
		}
	}
	sf_hits_free(&hits);
	/* a kinds filter that leaves out dns_name: only the loop */
	r.subject = SF_SUBJECT_STANDBY;
	r.kinds = 1ull << SF_KIND_ENDPOINT;
	assert_int_equal(sf_check_run(&ctx, &r, pair, &hits), 0);
	assert_int_equal(hits.count, 1);
	assert_int_equal(hits.items[0].subject, s1);
	sf_hits_free(&hits);
	/* a second provider makes the zone redundant */
	sf_graph_edge(g, zone, SF_EDGE_SERVED_BY,
	              sf_graph_node(g, SF_KIND_DNS_PROVIDER, "dnsprovider:route53", NULL, NULL), NULL);
	r.check = SF_CHECK_SINGLE_PROVIDER;
	assert_int_equal(sf_check_run(&ctx, &r, pair, &hits), 0);
	assert_int_equal(hits.count, 0);
	sf_hits_free(&hits);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_zone_graph),
		T(test_zone_include),
		T(test_zone_include_refused),
		T(test_zone_include_depth),
		T(test_zone_errors),
		T(test_zone_no_origin),
		T(test_zone_origin_from_manifest),
		T(test_zone_chains),
		T(test_zone_unread_records),
		T(test_zone_unread_strict),
		T(test_zone_other_class),
		T(test_zone_used_record_error),
		T(test_zone_bind_shapes),
		T(test_zone_singletons),
		T(test_zone_generate_budget),
		T(test_zone_includes_hook),
		T(test_zone_sniff),
		T(test_route53_json),
		T(test_route53_xml),
		T(test_route53_xml_hostile),
		T(test_route53_json_errors),
		T(test_manifest),
		T(test_manifest_invalid),
		T(test_checks),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
