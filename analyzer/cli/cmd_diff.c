#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "analyzer/scan.h"
#include "model/diag.h"
#include "model/files.h"
#include "model/jsonw.h"

#define DIFF_MAX_BYTES ((size_t)256 * 1024 * 1024)

static void diff_usage(FILE *out)
{
	fprintf(out, "usage: sharedfate diff BASE.json HEAD.json [--format text|json] "
	             "[--fail-on SEV] [-o FILE]\n\n"
	             "Compares two 'scan --format json' results by fingerprint: the findings\n"
	             "new in HEAD, fixed since BASE, and unchanged. Exit 1 when a new finding\n"
	             "(not waived) is at or above --fail-on (default high).\n");
}

/* The findings list of a sharedfate/findings/v1 result, or NULL. */
static json_t *load(const char *path, sf_diags *d)
{
	char err[256], *data;
	size_t len;
	json_t *root, *list;
	const char *schema;
	if (sf_read_file(path, DIFF_MAX_BYTES, &data, &len, err, sizeof(err)) < 0) {
		sf_diag_error(d, path, 0, "%s", err);
		return NULL;
	}
	root = sf_json_load_input(d, path, data, len);
	free(data);
	if (!root)
		return NULL;
	schema = json_string_value(json_object_get(root, "schema"));
	list = json_object_get(root, "findings");
	if (!schema || strcmp(schema, "sharedfate/findings/v1") != 0 || !json_is_array(list)) {
		sf_diag_error(d, path, 1, "not a sharedfate/findings/v1 result "
		                          "(sharedfate scan --format json)");
		json_decref(root);
		return NULL;
	}
	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *fp = json_string_value(json_object_get(json_array_get(list, i),
		                                                   "fingerprint"));
		if (!fp || strlen(fp) != 16) {
			sf_diag_error(d, path, 0, "findings[%zu]: no fingerprint", i);
			json_decref(root);
			return NULL;
		}
	}
	json_incref(list);
	json_decref(root);
	return list;
}

/* The fingerprints of a list, as a hashed set (a jansson object). */
static json_t *fp_set(json_t *list)
{
	json_t *set = json_object();
	for (size_t i = 0; set && i < json_array_size(list); i++)
		json_object_set_new(set, json_string_value(json_object_get(json_array_get(list, i),
		                                                           "fingerprint")),
		                    json_true());
	return set;
}

/* Findings of `a` (not) in `b` by fingerprint, once each, in a's order. */
static json_t *minus(json_t *a, json_t *b, int want_in_b)
{
	json_t *out = json_array(), *inb = fp_set(b), *seen = json_object();
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *f = json_array_get(a, i);
		const char *fp = json_string_value(json_object_get(f, "fingerprint"));
		if ((json_object_get(inb, fp) != NULL) == want_in_b && !json_object_get(seen, fp)) {
			json_array_append(out, f);
			json_object_set_new(seen, fp, json_true());
		}
	}
	json_decref(inb);
	json_decref(seen);
	return out;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void text_section(FILE *out, const char *title, json_t *list)
{
	char clean[2048];
	fprintf(out, "%s (%zu)\n", title, json_array_size(list));
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *f = json_array_get(list, i);
		char line[4096];
		snprintf(line, sizeof(line), "%s %s %s [%s]%s: %s", str(f, "fingerprint"),
		         str(f, "severity"), str(f, "rule"), str(f, "service"),
		         json_object_get(f, "waived") ? " (waived)" : "", str(f, "message"));
		sf_sanitize(clean, sizeof(clean), line, strlen(line));
		fprintf(out, "  %s\n", clean);
	}
}

int sf_cmd_diff(int argc, char **argv)
{
	const char *files[2] = { NULL, NULL }, *format = "text", *output = NULL;
	int nfiles = 0, fail_on = SF_SEV_HIGH, rc = SF_EXIT_OK;
	json_t *base, *head, *added, *fixed, *same;
	sf_diags d;
	FILE *out = stdout;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			diff_usage(stdout);
			return SF_EXIT_OK;
		} else if ((strcmp(argv[i], "--format") == 0 || strcmp(argv[i], "-f") == 0) &&
		           i + 1 < argc) {
			format = argv[++i];
		} else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) &&
		           i + 1 < argc) {
			output = argv[++i];
		} else if (strcmp(argv[i], "--fail-on") == 0 && i + 1 < argc) {
			if ((fail_on = sf_severity_from_name(argv[++i])) < 0) {
				fprintf(stderr, "sharedfate: --fail-on: unknown severity '%s'\n", argv[i]);
				return SF_EXIT_INPUT;
			}
		} else if (argv[i][0] != '-' && nfiles < 2) {
			files[nfiles++] = argv[i];
		} else {
			diff_usage(stderr);
			return SF_EXIT_INPUT;
		}
	}
	if (nfiles != 2 || (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)) {
		diff_usage(stderr);
		return SF_EXIT_INPUT;
	}
	sf_diags_init(&d);
	base = load(files[0], &d);
	head = load(files[1], &d);
	sf_diags_print(&d, stderr);
	sf_diags_free(&d);
	if (!base || !head) {
		json_decref(base);
		json_decref(head);
		return SF_EXIT_INPUT;
	}
	added = minus(head, base, 0);
	fixed = minus(base, head, 0);
	same = minus(head, base, 1);
	if (output && strcmp(output, "-") != 0) {
		/* never through a link in the working tree, as scan -o */
		char err[256];
		int fd = sf_open_output(output, NULL, 0, 0, err, sizeof(err));
		if (fd < 0 || !(out = fdopen(fd, "w"))) {
			fprintf(stderr, "sharedfate: cannot write %s: %s\n", output,
			        fd < 0 ? err : "out of memory");
			if (fd >= 0)
				close(fd);
			out = stdout;
			rc = SF_EXIT_INPUT;
			goto done;
		}
	}
	if (strcmp(format, "json") == 0) {
		json_t *root = json_object();
		json_object_set_new(root, "schema", json_string("sharedfate/diff/v1"));
		json_object_set(root, "new", added);
		json_object_set(root, "fixed", fixed);
		json_object_set(root, "unchanged", same);
		if (sf_json_write(out, root) < 0)
			rc = SF_EXIT_INTERNAL;
	} else {
		text_section(out, "new", added);
		text_section(out, "fixed", fixed);
		fprintf(out, "unchanged (%zu)\n", json_array_size(same));
	}
	if (out != stdout && fclose(out) != 0)
		rc = SF_EXIT_INTERNAL;
	for (size_t i = 0; rc == SF_EXIT_OK && fail_on != SF_SEV_NONE && i < json_array_size(added);
	     i++) {
		json_t *f = json_array_get(added, i);
		int sev = sf_severity_from_name(str(f, "severity"));
		if (!json_object_get(f, "waived") && sev >= fail_on)
			rc = SF_EXIT_FINDINGS;
	}
done:
	json_decref(added);
	json_decref(fixed);
	json_decref(same);
	json_decref(base);
	json_decref(head);
	fflush(stdout);
	return rc;
}
