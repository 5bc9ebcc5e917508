#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "analyzer/scan.h"
#include "rules/rules.h"

static int load(sf_ruleset *rs, const char *dir)
{
	sf_diags d;
	int rc;
	sf_diags_init(&d);
	rc = sf_rules_load_builtin(rs, &d);
	if (rc == 0 && dir)
		rc = sf_rules_load_dir(rs, dir, &d);
	sf_diags_print(&d, stderr);
	sf_diags_free(&d);
	return rc;
}

/* Length of `s` without trailing newlines (YAML folded scalars end in one). */
static int trimmed(const char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return (int)n;
}

/* Rule texts may come from a rules directory in the repository: print
 * them line by line through sf_sanitize, so that no control character,
 * C1 code or bidirectional override reaches the terminal. */
static void put_text(const char *s, int n)
{
	char clean[4096];
	const char *end = s + n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		size_t off = 0;
		/* long lines go in slices the buffer holds, even all escaped,
		 * never splitting a UTF-8 sequence */
		do {
			size_t k = len - off;
			if (k > 512) {
				k = 512;
				while (k > 1 && ((unsigned char)s[off + k] & 0xc0) == 0x80)
					k--;
			}
			sf_sanitize(clean, sizeof(clean), s + off, k);
			fputs(clean, stdout);
			off += k;
		} while (off < len);
		if (nl)
			fputc('\n', stdout);
		s += len + (nl ? 1 : 0);
	}
}

/* `sharedfate explain SF101 [--rules DIR]` */
int sf_cmd_explain(int argc, char **argv)
{
	const char *id = NULL, *dir = NULL;
	sf_ruleset rs;
	const sf_rule *r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: sharedfate explain RULE [--rules DIR]\n");
			return SF_EXIT_OK;
		} else if (!id && argv[i][0] != '-')
			id = argv[i];
		else {
			fprintf(stderr, "usage: sharedfate explain RULE [--rules DIR]\n");
			return SF_EXIT_INPUT;
		}
	}
	if (!id) {
		fprintf(stderr, "usage: sharedfate explain RULE [--rules DIR]\n");
		return SF_EXIT_INPUT;
	}
	sf_ruleset_init(&rs);
	if (load(&rs, dir) < 0) {
		sf_ruleset_free(&rs);
		return SF_EXIT_INPUT;
	}
	if (!(r = sf_rules_find(&rs, id))) {
		fprintf(stderr, "sharedfate: no rule '%s'; 'sharedfate rules' lists them\n", id);
		sf_ruleset_free(&rs);
		return SF_EXIT_INPUT;
	}
	printf("%s %s (%s)\n", r->id, r->name, sf_severity_name(r->severity));
	put_text(r->title, trimmed(r->title));
	fputs("\n\n", stdout);
	put_text(r->description, trimmed(r->description));
	fputs("\n\nHow to fix:\n", stdout);
	put_text(r->remediation, trimmed(r->remediation));
	fputc('\n', stdout);
	if (r->nrefs) {
		printf("\nReferences:\n");
		for (size_t i = 0; i < r->nrefs; i++) {
			fputs("  - ", stdout);
			put_text(r->refs[i], (int)strlen(r->refs[i]));
			fputc('\n', stdout);
		}
	}
	sf_ruleset_free(&rs);
	return SF_EXIT_OK;
}

/* `sharedfate rules [--rules DIR]` */
int sf_cmd_rules(int argc, char **argv)
{
	const char *dir = NULL;
	sf_ruleset rs;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			dir = argv[++i];
		else {
			fprintf(stderr, "usage: sharedfate rules [--rules DIR]\n");
			return strcmp(argv[i], "--help") == 0 ? SF_EXIT_OK : SF_EXIT_INPUT;
		}
	}
	sf_ruleset_init(&rs);
	if (load(&rs, dir) < 0) {
		sf_ruleset_free(&rs);
		return SF_EXIT_INPUT;
	}
	for (size_t i = 0; i < rs.count; i++) {
		char title[512];
		sf_sanitize(title, sizeof(title), rs.items[i].title, strlen(rs.items[i].title));
		printf("%-6s %-9s %-32s %s\n", rs.items[i].id, sf_severity_name(rs.items[i].severity),
		       rs.items[i].name, title);
	}
	sf_ruleset_free(&rs);
	return SF_EXIT_OK;
}
