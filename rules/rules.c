#include "model/buf.h"
#include "rules.h"

#include <dirent.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/files.h"
#include "model/yaml.h"

static const char *const severities[] = { "info", "low", "medium", "high", "critical", "none" };

static const char *const check_names[SF_CHECK__COUNT] = {
	[SF_CHECK_SHARED] = "shared",
	[SF_CHECK_REACHES] = "reaches",
	[SF_CHECK_ATTRIBUTE] = "attribute",
	[SF_CHECK_MISSING_EDGE] = "missing_edge",
	[SF_CHECK_PAIR_INCOMPLETE] = "pair_incomplete",
	[SF_CHECK_SINGLE_PROVIDER] = "single_provider",
	[SF_CHECK_UNRESOLVED] = "unresolved",
	[SF_CHECK_HEALTH_CHECK] = "health_check",
	[SF_CHECK_CERT_COVERAGE] = "certificate_coverage",
	[SF_CHECK_PATH_ATTRIBUTE] = "path_attribute",
	[SF_CHECK_REPLICA_REGION] = "replica_region",
	[SF_CHECK_SHARED_REDUNDANCY] = "shared_redundancy",
};

static const char *const ops[] = { "gt", "ge", "lt", "le", "eq", "ne", "in", "missing" };

const char *sf_severity_name(sf_severity s)
{
	return (unsigned)s <= SF_SEV_NONE ? severities[s] : "?";
}

int sf_severity_from_name(const char *name)
{
	for (int i = 0; i <= SF_SEV_NONE; i++)
		if (strcmp(severities[i], name) == 0)
			return i;
	return -1;
}

void sf_ruleset_init(sf_ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
}

static void rule_free(sf_rule *r)
{
	free(r->id);
	free(r->name);
	free(r->title);
	free(r->description);
	free(r->remediation);
	free(r->message);
	free(r->file);
	free(r->attribute);
	free(r->unless_attribute);
	free(r->unless_value);
	free(r->record_type);
	for (size_t i = 0; i < r->nsources; i++)
		free(r->sources[i]);
	for (size_t i = 0; i < r->nrefs; i++)
		free(r->refs[i]);
	for (size_t i = 0; i < r->nvalues; i++)
		free(r->values[i]);
}

void sf_ruleset_free(sf_ruleset *rs)
{
	for (size_t i = 0; i < rs->count; i++)
		rule_free(&rs->items[i]);
	free(rs->items);
	memset(rs, 0, sizeof(*rs));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A required string field; NULL (with a diagnostic) when missing. */
static const char *req_str(const sf_ynode *map, const char *key, const char *file, sf_diags *d)
{
	const sf_ynode *n = sf_yaml_get(map, key);
	const char *s = sf_yaml_str(n);
	if (!s || !s[0]) {
		sf_diag_error(d, file, n ? n->line : map->line, "rule: '%s' must be a non-empty string",
		              key);
		return NULL;
	}
	return s;
}

static int valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

static int parse_check(sf_rule *r, const sf_ynode *c, const char *file, sf_diags *d)
{
	const char *kind = req_str(c, "kind", file, d);
	const sf_ynode *n;
	int found = -1;

	if (!kind)
		return -1;
	for (int i = 0; i < SF_CHECK__COUNT; i++)
		if (strcmp(check_names[i], kind) == 0)
			found = i;
	if (found < 0) {
		sf_diag_error(d, file, c->line, "rule %s: unknown check kind '%s'", r->id, kind);
		return -1;
	}
	r->check = (sf_check_kind)found;
	r->plane = SF_PLANE_DATA;
	r->subject = SF_SUBJECT_BOTH;
	r->edge = -1;

	if ((n = sf_yaml_get(c, "categories"))) {
		if (n->type != SF_Y_SEQ) {
			sf_diag_error(d, file, n->line, "rule %s: categories must be a list", r->id);
			return -1;
		}
		for (size_t i = 0; i < n->count; i++) {
			const char *s = sf_yaml_str(n->items[i]);
			int cat = s ? sf_category_from_name(s) : -1;
			if (cat < 0) {
				sf_diag_error(d, file, n->items[i]->line, "rule %s: unknown category '%s'",
				              r->id, s ? s : "?");
				return -1;
			}
			r->categories |= 1u << cat;
		}
	}
	if ((n = sf_yaml_get(c, "kinds"))) {
		if (n->type != SF_Y_SEQ) {
			sf_diag_error(d, file, n->line, "rule %s: kinds must be a list", r->id);
			return -1;
		}
		for (size_t i = 0; i < n->count; i++) {
			const char *s = sf_yaml_str(n->items[i]);
			int k = s ? sf_kind_from_name(s) : -1;
			if (k < 0) {
				sf_diag_error(d, file, n->items[i]->line, "rule %s: unknown node kind '%s'",
				              r->id, s ? s : "?");
				return -1;
			}
			r->kinds |= 1ull << k;
		}
	}
	if ((n = sf_yaml_get(c, "plane"))) {
		const char *s = sf_yaml_str(n);
		if (s && strcmp(s, "data") == 0)
			r->plane = SF_PLANE_DATA;
		else if (s && strcmp(s, "control") == 0)
			r->plane = SF_PLANE_CONTROL;
		else if (s && strcmp(s, "any") == 0)
			r->plane = SF_PLANE_NONE;
		else {
			sf_diag_error(d, file, n->line, "rule %s: plane must be data, control or any", r->id);
			return -1;
		}
	}
	if ((n = sf_yaml_get(c, "unclaimed"))) {
		int b = sf_yaml_bool(n);
		if (b < 0) {
			sf_diag_error(d, file, n->line, "rule %s: unclaimed must be true or false", r->id);
			return -1;
		}
		r->unclaimed = b;
	}
	if ((n = sf_yaml_get(c, "subject"))) {
		const char *s = sf_yaml_str(n);
		if (s && strcmp(s, "primary") == 0)
			r->subject = SF_SUBJECT_PRIMARY;
		else if (s && strcmp(s, "standby") == 0)
			r->subject = SF_SUBJECT_STANDBY;
		else if (s && strcmp(s, "both") == 0)
			r->subject = SF_SUBJECT_BOTH;
		else {
			sf_diag_error(d, file, n->line, "rule %s: subject must be primary, standby or both",
			              r->id);
			return -1;
		}
	}
	if ((n = sf_yaml_get(c, "attribute"))) {
		const char *s = sf_yaml_str(n);
		if (!s || !sf_graph_attr_allowed(s)) {
			sf_diag_error(d, file, n->line, "rule %s: unknown attribute '%s'", r->id,
			              s ? s : "?");
			return -1;
		}
		r->attribute = strdup(s);
	}
	r->op = SF_OP_EQ;
	if ((n = sf_yaml_get(c, "op"))) {
		const char *s = sf_yaml_str(n);
		int found_op = -1;
		for (size_t i = 0; s && i < sizeof(ops) / sizeof(ops[0]); i++)
			if (strcmp(ops[i], s) == 0)
				found_op = (int)i;
		if (found_op < 0) {
			sf_diag_error(d, file, n->line, "rule %s: op must be one of gt ge lt le eq ne in missing",
			              r->id);
			return -1;
		}
		r->op = (sf_op)found_op;
	}
	if ((n = sf_yaml_get(c, "value"))) {
		if (n->type == SF_Y_SCALAR) {
			r->values[r->nvalues++] = strdup(n->value);
		} else if (n->type == SF_Y_SEQ && n->count <= SF_RULE_MAX_VALUES) {
			for (size_t i = 0; i < n->count; i++) {
				const char *s = sf_yaml_str(n->items[i]);
				if (!s) {
					sf_diag_error(d, file, n->items[i]->line, "rule %s: values must be strings",
					              r->id);
					return -1;
				}
				r->values[r->nvalues++] = strdup(s);
			}
		} else {
			sf_diag_error(d, file, n->line, "rule %s: value must be a string or a list of at most %d",
			              r->id, SF_RULE_MAX_VALUES);
			return -1;
		}
	}
	if ((n = sf_yaml_get(c, "edge"))) {
		const char *s = sf_yaml_str(n);
		if (!s || (r->edge = sf_edge_kind_from_name(s)) < 0) {
			sf_diag_error(d, file, n->line, "rule %s: unknown edge kind '%s'", r->id, s ? s : "?");
			return -1;
		}
	}
	if ((n = sf_yaml_get(c, "unless"))) {
		const char *a = sf_yaml_str(sf_yaml_get(n, "attribute"));
		const char *v = sf_yaml_str(sf_yaml_get(n, "value"));
		if (!a || !v || !sf_graph_attr_allowed(a)) {
			sf_diag_error(d, file, n->line, "rule %s: unless needs an attribute and a value",
			              r->id);
			return -1;
		}
		r->unless_attribute = strdup(a);
		r->unless_value = strdup(v);
	}
	if ((n = sf_yaml_get(c, "sources"))) {
		if (n->type != SF_Y_SEQ || n->count > SF_RULE_MAX_VALUES) {
			sf_diag_error(d, file, n->line, "rule %s: sources must be a list of at most %d",
			              r->id, SF_RULE_MAX_VALUES);
			return -1;
		}
		for (size_t i = 0; i < n->count; i++) {
			const char *src = sf_yaml_str(n->items[i]);
			if (!src) {
				sf_diag_error(d, file, n->items[i]->line, "rule %s: a source is a string", r->id);
				return -1;
			}
			r->sources[r->nsources++] = strdup(src);
		}
	}
	r->order = 3;
	r->budget = 2000000;
	if ((n = sf_yaml_get(c, "order"))) {
		long v;
		if (sf_yaml_long(n, &v) < 0 || v < 2 || v > 4) {
			sf_diag_error(d, file, n->line, "rule %s: order must be 2, 3 or 4", r->id);
			return -1;
		}
		r->order = (unsigned)v;
	}
	if ((n = sf_yaml_get(c, "budget"))) {
		long v;
		if (sf_yaml_long(n, &v) < 0 || v < 1000 || v > 1000000000L) {
			sf_diag_error(d, file, n->line, "rule %s: budget must be from 1000 to 1000000000 steps",
			              r->id);
			return -1;
		}
		r->budget = (unsigned long long)v;
	}
	if ((n = sf_yaml_get(c, "record_type")))
		r->record_type = dup_or_null(sf_yaml_str(n));

	if ((r->check == SF_CHECK_ATTRIBUTE) && (!r->attribute || (r->op != SF_OP_MISSING && !r->nvalues))) {
		sf_diag_error(d, file, c->line, "rule %s: an attribute check needs attribute, op and value",
		              r->id);
		return -1;
	}
	if (r->check == SF_CHECK_MISSING_EDGE && r->edge < 0) {
		sf_diag_error(d, file, c->line, "rule %s: a missing_edge check needs edge", r->id);
		return -1;
	}
	return 0;
}

static sf_rule *slot_for(sf_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->count; i++)
		if (strcmp(rs->items[i].id, id) == 0) {
			rule_free(&rs->items[i]);
			memset(&rs->items[i], 0, sizeof(rs->items[i]));
			return &rs->items[i];
		}
	if (rs->count == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		sf_rule *p = realloc(rs->items, cap * sizeof(*p));
		if (!p)
			return NULL;
		rs->items = p;
		rs->cap = cap;
	}
	memset(&rs->items[rs->count], 0, sizeof(rs->items[0]));
	return &rs->items[rs->count++];
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(((const sf_rule *)a)->id, ((const sf_rule *)b)->id);
}

/* A message is expanded once per finding, each {placeholder} by a name
 * of up to a few hundred bytes: a template of 170,000 placeholders on 500
 * pairs wrote 2.8 GB. Both its length and its placeholders are bounded. */
static int message_too_big(const char *msg, const char *id, const char *file, long line,
                           sf_diags *d)
{
	size_t n = strlen(msg), holes = 0;
	if (n > SF_RULE_MAX_MESSAGE) {
		sf_diag_error(d, file, line, "rule %s: message is %zu bytes long (the limit is %d)",
		              valid_id(id) ? id : "?", n, SF_RULE_MAX_MESSAGE);
		return -1;
	}
	for (const char *p = msg; (p = strchr(p, '{')); p++)
		holes += strchr(p, '}') != NULL;
	if (holes > SF_RULE_MAX_PLACEHOLDERS) {
		sf_diag_error(d, file, line,
		              "rule %s: message has %zu {placeholders} (the limit is %d)",
		              valid_id(id) ? id : "?", holes, SF_RULE_MAX_PLACEHOLDERS);
		return -1;
	}
	return 0;
}

int sf_rules_load_text(sf_ruleset *rs, const char *file, const char *text, size_t len,
                       sf_diags *d)
{
	static const char *const known[] = { "id", "name", "severity", "title", "description",
	                                     "remediation", "message", "references", "check" };
	sf_ydoc doc;
	const sf_ynode *root, *n;
	const char *id, *name, *sev, *title, *desc, *rem, *msg;
	sf_rule tmp, *slot;
	int s;

	if (sf_yaml_parse(file, text, len, &doc, d) < 0)
		return -1;
	if (doc.ndocs != 1 || doc.docs[0]->type != SF_Y_MAP) {
		sf_diag_error(d, file, 1, "a rule file holds one mapping");
		sf_yaml_free(&doc);
		return -1;
	}
	root = doc.docs[0];
	for (size_t i = 0; i < root->count; i++) {
		int ok = 0;
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			ok |= strcmp(known[k], root->keys[i]) == 0;
		if (!ok) {
			sf_diag_error(d, file, root->key_lines[i], "rule: unknown field '%s'", root->keys[i]);
			sf_yaml_free(&doc);
			return -1;
		}
	}
	id = req_str(root, "id", file, d);
	name = req_str(root, "name", file, d);
	sev = req_str(root, "severity", file, d);
	title = req_str(root, "title", file, d);
	desc = req_str(root, "description", file, d);
	rem = req_str(root, "remediation", file, d);
	msg = req_str(root, "message", file, d);
	if (!id || !name || !sev || !title || !desc || !rem || !msg) {
		sf_yaml_free(&doc);
		return -1;
	}
	if (message_too_big(msg, id, file, sf_yaml_get(root, "message")->line, d) < 0) {
		sf_yaml_free(&doc);
		return -1;
	}
	if (!valid_id(id) || !valid_id(name)) {
		sf_diag_error(d, file, root->line, "rule: id and name take letters, digits, - and _");
		sf_yaml_free(&doc);
		return -1;
	}
	if ((s = sf_severity_from_name(sev)) < 0 || s == SF_SEV_NONE) {
		sf_diag_error(d, file, sf_yaml_get(root, "severity")->line,
		              "rule %s: unknown severity '%s'", id, sev);
		sf_yaml_free(&doc);
		return -1;
	}
	memset(&tmp, 0, sizeof(tmp));
	tmp.id = strdup(id);
	tmp.name = strdup(name);
	tmp.severity = (sf_severity)s;
	tmp.title = strdup(title);
	tmp.description = strdup(desc);
	tmp.remediation = strdup(rem);
	tmp.message = strdup(msg);
	tmp.file = strdup(file);
	if ((n = sf_yaml_get(root, "references"))) {
		if (n->type != SF_Y_SEQ || n->count > SF_RULE_MAX_REFS) {
			sf_diag_error(d, file, n->line, "rule %s: references must be a list of at most %d",
			              id, SF_RULE_MAX_REFS);
			rule_free(&tmp);
			sf_yaml_free(&doc);
			return -1;
		}
		for (size_t i = 0; i < n->count; i++) {
			const char *ref = sf_yaml_str(n->items[i]);
			if (!ref) {
				sf_diag_error(d, file, n->items[i]->line, "rule %s: a reference is a string", id);
				rule_free(&tmp);
				sf_yaml_free(&doc);
				return -1;
			}
			tmp.refs[tmp.nrefs++] = strdup(ref);
		}
	}
	n = sf_yaml_get(root, "check");
	if (!n || n->type != SF_Y_MAP) {
		sf_diag_error(d, file, root->line, "rule %s: 'check' must be a mapping", id);
		rule_free(&tmp);
		sf_yaml_free(&doc);
		return -1;
	}
	if (parse_check(&tmp, n, file, d) < 0) {
		rule_free(&tmp);
		sf_yaml_free(&doc);
		return -1;
	}
	sf_yaml_free(&doc);
	if (!(slot = slot_for(rs, tmp.id))) {
		rule_free(&tmp);
		return -1;
	}
	*slot = tmp;
	sf_sort(rs->items, rs->count, sizeof(*rs->items), cmp_rule);
	return 0;
}

int sf_rules_load_builtin(sf_ruleset *rs, sf_diags *d)
{
	int rc = 0;
	for (const sf_embedded_rule *e = sf_builtin_rules; e->file; e++) {
		char file[256];
		snprintf(file, sizeof(file), "rules/builtin/%s", e->file);
		if (sf_rules_load_text(rs, file, e->text, e->len, d) < 0)
			rc = -1;
	}
	return rc;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sf_rules_load_dir(sf_ruleset *rs, const char *dir, sf_diags *d)
{
	DIR *dh;
	struct dirent *de;
	char **names = NULL, *root;
	size_t n = 0, cap = 0;
	int rc = 0;

	/* The directory may sit in the repository under review: its files are
	 * read only when they resolve inside it, and nothing outside is ever
	 * opened or quoted. */
	{
		/* nor may the directory itself be reached through a link in the
		 * current directory (the checkout): that link is the PR's */
		char err[256];
		int fd = sf_open_dir_guarded(dir, NULL, 0, err, sizeof(err));
		if (fd < 0) {
			sf_diag_error(d, dir, 0, "cannot read rules directory: %s", err);
			return -1;
		}
		close(fd);
	}
	if (!(root = realpath(dir, NULL)) || !(dh = opendir(root))) {
		sf_diag_error(d, dir, 0, "cannot read rules directory");
		free(root);
		return -1;
	}
	while ((de = readdir(dh))) {
		size_t l = strlen(de->d_name);
		char **p;
		if (!((l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0) ||
		      (l > 4 && strcmp(de->d_name + l - 4, ".yml") == 0)))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(p = realloc(names, cap * sizeof(*p)))) {
				rc = -1;
				break;
			}
			names = p;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(dh);
	if (n)
		sf_sort(names, n, sizeof(*names), cmp_cstr);
	for (size_t i = 0; i < n; i++) {
		char path[4096], err[256];
		char *text, *real = NULL;
		size_t len;
		int c;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		c = sf_confine(root, root, names[i], &real, err, sizeof(err));
		if (c == SF_CONFINE_OUTSIDE) {
			sf_diag_error(d, path, 0, "symbolic link leads outside the rules directory; not read");
			rc = -1;
		} else if (c < 0) {
			sf_diag_error(d, path, 0, "%s", err);
			rc = -1;
		} else if (sf_read_file(real, SF_RULE_MAX_FILE, &text, &len, err, sizeof(err)) < 0) {
			sf_diag_error(d, path, 0, "%s", err);
			rc = -1;
		} else {
			if (sf_rules_load_text(rs, path, text, len, d) < 0)
				rc = -1;
			free(text);
		}
		free(real);
		free(names[i]);
	}
	free(names);
	free(root);
	return rc;
}

const sf_rule *sf_rules_find(const sf_ruleset *rs, const char *id_or_name)
{
	for (size_t i = 0; i < rs->count; i++)
		if (strcasecmp(rs->items[i].id, id_or_name) == 0 ||
		    strcmp(rs->items[i].name, id_or_name) == 0)
			return &rs->items[i];
	return NULL;
}

int sf_rule_applies_to_source(const sf_rule *r, const char *source)
{
	if (!r->nsources)
		return 1;
	for (size_t i = 0; i < r->nsources; i++)
		if (source && strcmp(r->sources[i], source) == 0)
			return 1;
	return 0;
}
