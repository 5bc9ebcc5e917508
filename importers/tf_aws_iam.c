/* AWS identity and administration in Terraform state: IAM roles, users,
 * groups and their policies, OIDC/SAML identity providers, Cognito, and
 * the accounts of AWS Organizations.
 *
 * Two JSON documents are read here, both held in strings: a role's trust
 * policy (`assume_role_policy`), whose Federated principals are identity
 * providers the role depends on and whose AWS principals in other
 * accounts administer it; and permission policies, read only for one
 * question: who may change a hosted zone's records
 * (route53:ChangeResourceRecordSets)? Nothing from a policy is copied into
 * the graph but the names of what it points at. */
#include "tf_aws.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/diag.h"
#include "model/stats.h"
#include "tf_path.h"

/* Keys by name, for the attributes that name IAM objects without an ARN
 * (`role = "api"`). Names are unique per account; a state that mixes
 * accounts with equal names joins them (the first one wins). */
static sf_node_id iam_named(tf_ctx *t, const char *prefix, const char *name)
{
	char key[400];
	if (!name || strlen(name) > 300)
		return SF_NODE_NONE;
	/* A role may be given by ARN where a name is expected. */
	if (strncmp(name, "arn:", 4) == 0)
		return tf_ref(t, SF_KIND_PRINCIPAL, name);
	snprintf(key, sizeof(key), "%s%s", prefix, name);
	return tf_ref(t, SF_KIND_PRINCIPAL, key);
}

static void alias_named(tf_ctx *t, tf_inst *in, const char *prefix, const char *name)
{
	char key[400];
	if (!name || strlen(name) > 300)
		return;
	snprintf(key, sizeof(key), "%s%s", prefix, name);
	if (tf_alias(t, key, in->node) < 0)
		t->oom = 1;
}

/* ---- policy documents ---- */

/* IAM's wildcards: `*` any run, `?` one character. Iterative, with one
 * backtrack point: linear in practice, never exponential. */
static int glob(const char *pat, const char *s, int icase)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		char a = icase ? (char)tolower((unsigned char)*pat) : *pat;
		char b = icase ? (char)tolower((unsigned char)*s) : *s;
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat && (*pat == '?' || a == b)) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

/* Does any pattern of `v` (a string or a list of strings) match `s`? */
static int any_glob(json_t *v, const char *s, int icase)
{
	size_t i;
	json_t *x;
	if (json_is_string(v))
		return glob(json_string_value(v), s, icase);
	json_array_foreach(v, i, x)
		if (json_is_string(x) && glob(json_string_value(x), s, icase))
			return 1;
	return 0;
}

/* Does the statement cover `action` on `resource`? Action/NotAction and
 * Resource/NotResource; conditions are not evaluated (they can only
 * narrow, so the answer errs towards "may change"). */
static int stmt_covers(json_t *st, const char *action, const char *resource)
{
	json_t *a = json_object_get(st, "Action"), *na = json_object_get(st, "NotAction");
	json_t *r = json_object_get(st, "Resource"), *nr = json_object_get(st, "NotResource");
	int act, res;
	if (a)
		act = any_glob(a, action, 1);
	else
		act = na ? !any_glob(na, action, 1) : 0;
	if (r)
		res = any_glob(r, resource, 0);
	else
		res = nr ? !any_glob(nr, resource, 0) : 0;
	return act && res;
}

/* The statements of a document: `Statement` is an object or a list. */
static size_t statements(json_t *doc, json_t **out, size_t max)
{
	json_t *st = json_object_get(doc, "Statement"), *x;
	size_t i, n = 0;
	if (json_is_object(st)) {
		out[0] = st;
		return 1;
	}
	json_array_foreach(st, i, x)
		if (json_is_object(x) && n < max)
			out[n++] = x;
	return n;
}

static int effect_is(json_t *st, const char *effect)
{
	const char *e = tf_obj_str(st, "Effect");
	return e && strcmp(e, effect) == 0;
}

/* Allowed by the document: an Allow statement covers it and no Deny
 * statement of the same document does. */
static int doc_allows(json_t *doc, const char *action, const char *resource)
{
	json_t *st[512];
	size_t n = statements(doc, st, sizeof(st) / sizeof(st[0]));
	int allow = 0;
	for (size_t i = 0; i < n; i++) {
		if (effect_is(st[i], "Deny") && stmt_covers(st[i], action, resource))
			return 0;
		if (effect_is(st[i], "Allow") && stmt_covers(st[i], action, resource))
			allow = 1;
	}
	return allow;
}

/* AWS managed policies that grant route53:ChangeResourceRecordSets on
 * every zone. They are not in any state; their ARNs are well known. */
static int managed_changes_dns(const char *arn)
{
	static const char *const names[] = { "AdministratorAccess", "AmazonRoute53FullAccess",
	                                     "PowerUserAccess" };
	const char *p = arn ? strstr(arn, ":iam::aws:policy/") : NULL;
	if (!p)
		return 0;
	p += 17;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(p, names[i]) == 0)
			return 1;
	return 0;
}

/* What one import has learnt about permission policies, so that a policy
 * attached to thousands of principals is parsed and matched once: the
 * hosted zones of the state (with the ARN a policy names them by), and per
 * managed policy the zones it lets change. */
typedef struct iam_zone {
	sf_node_id node;
	char *arn;
} iam_zone;

typedef struct iam_policy {
	sf_node_id policy;          /* the aws_iam_policy node; NONE: free slot */
	sf_node_id *zones;          /* zones it allows changing; NULL when none */
	size_t nzones;
} iam_policy;

struct tf_iam_cache {
	int have_zones;
	iam_zone *zones;
	size_t nzones, zonecap;
	iam_policy *pol;            /* open addressing by node id */
	size_t npol, polcap;
};

void tf_aws_iam_cache_free(struct tf_iam_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nzones; i++)
		free(c->zones[i].arn);
	free(c->zones);
	for (size_t i = 0; i < c->polcap; i++)
		free(c->pol[i].zones);
	free(c->pol);
	free(c);
}

static struct tf_iam_cache *cache_of(tf_ctx *t)
{
	if (!t->iam && !(t->iam = calloc(1, sizeof(*t->iam))))
		t->oom = 1;
	return t->iam;
}

/* The hosted zones of this state, listed once per import. */
static struct tf_iam_cache *zones_of(tf_ctx *t)
{
	struct tf_iam_cache *c = cache_of(t);
	if (!c || c->have_zones)
		return c;
	c->have_zones = 1;
	for (size_t i = 0; i < t->ninst && !t->oom; i++) {
		tf_inst *z = &t->inst[i];
		const char *zid;
		char arn[400];
		iam_zone *p;
		if (z->node == SF_NODE_NONE || strcmp(z->type, "aws_route53_zone") != 0)
			continue;
		zid = tf_str(z, "zone_id");
		if (!zid)
			zid = tf_str(z, "id");
		if (!zid || strlen(zid) > 300)
			continue;
		snprintf(arn, sizeof(arn), "arn:aws:route53:::hostedzone/%s", zid);
		if (c->nzones == c->zonecap) {
			size_t cap = c->zonecap ? c->zonecap * 2 : 16;
			if (!(p = realloc(c->zones, cap * sizeof(*p)))) {
				t->oom = 1;
				break;
			}
			c->zones = p;
			c->zonecap = cap;
		}
		p = c->zones;
		p[c->nzones].node = z->node;
		if (!(p[c->nzones].arn = strdup(arn))) {
			t->oom = 1;
			break;
		}
		c->nzones++;
	}
	return c;
}

/* Every hosted zone of this state whose records `doc` (or, when doc is
 * NULL, a managed policy that allows everything) lets `principal` change
 * is administered by it: the control plane of the names it serves. */
static void dns_change_edges(tf_ctx *t, tf_inst *in, json_t *doc, sf_node_id principal)
{
	struct tf_iam_cache *c;
	if (principal == SF_NODE_NONE || !(c = zones_of(t)))
		return;
	for (size_t i = 0; i < c->nzones && !t->oom; i++)
		if (!doc || doc_allows(doc, "route53:ChangeResourceRecordSets", c->zones[i].arn))
			tf_edge(t, c->zones[i].node, SF_EDGE_ADMINISTERED_BY, principal, in);
}

/* The document of a managed policy, parsed quietly (its own instance
 * reported a broken document already). */
static json_t *policy_doc(const tf_inst *p)
{
	json_t *v = tf_get(p, "policy"), *doc;
	json_error_t err;
	if (json_is_object(v))
		return json_incref(v);
	if (!json_is_string(v))
		return NULL;
	sf_stat_add(SF_STAT_POLICY_PARSES, 1);
	doc = json_loadb(json_string_value(v), json_string_length(v), JSON_REJECT_DUPLICATES, &err);
	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

static int cache_grow(struct tf_iam_cache *c)
{
	size_t cap = c->polcap ? c->polcap * 2 : 64;
	iam_policy *p = calloc(cap, sizeof(*p)), *old = c->pol;
	if (!p)
		return -1;
	for (size_t i = 0; i < cap; i++)
		p[i].policy = SF_NODE_NONE;
	for (size_t i = 0; i < c->polcap; i++) {
		size_t h;
		if (old[i].policy == SF_NODE_NONE)
			continue;
		for (h = old[i].policy & (cap - 1); p[h].policy != SF_NODE_NONE; h = (h + 1) & (cap - 1))
			;
		p[h] = old[i];
	}
	free(old);
	c->pol = p;
	c->polcap = cap;
	return 0;
}

/* The zones the managed policy `node` lets change: matched on first use,
 * remembered for the rest of the import. NULL when unknown or out of memory. */
static iam_policy *policy_zones(tf_ctx *t, sf_node_id node)
{
	struct tf_iam_cache *c = zones_of(t);
	tf_inst *p;
	iam_policy *e;
	json_t *doc;
	size_t h;

	if (!c)
		return NULL;
	if ((c->npol + 1) * 2 > c->polcap && cache_grow(c) < 0) {
		t->oom = 1;
		return NULL;
	}
	for (h = node & (c->polcap - 1); c->pol[h].policy != SF_NODE_NONE; h = (h + 1) & (c->polcap - 1))
		if (c->pol[h].policy == node)
			return &c->pol[h];
	e = &c->pol[h];
	e->policy = node;
	e->zones = NULL;
	e->nzones = 0;
	c->npol++;
	p = tf_aws_inst_of(t, node);
	if (!p || strcmp(p->type, "aws_iam_policy") != 0 || !(doc = policy_doc(p)))
		return e;
	for (size_t i = 0; i < c->nzones; i++) {
		if (!doc_allows(doc, "route53:ChangeResourceRecordSets", c->zones[i].arn))
			continue;
		if (!e->zones && !(e->zones = malloc(c->nzones * sizeof(*e->zones)))) {
			t->oom = 1;
			break;
		}
		e->zones[e->nzones++] = c->zones[i].node;
	}
	json_decref(doc);
	return e;
}

static void attach_policy(tf_ctx *t, tf_inst *in, const char *policy_arn, sf_node_id principal)
{
	sf_node_id node;
	iam_policy *e;
	if (!policy_arn || principal == SF_NODE_NONE)
		return;
	if (managed_changes_dns(policy_arn)) {
		dns_change_edges(t, in, NULL, principal);
		return;
	}
	if ((node = tf_find(t, policy_arn)) == SF_NODE_NONE || !(e = policy_zones(t, node)))
		return;
	for (size_t i = 0; i < e->nzones && !t->oom; i++)
		tf_edge(t, e->zones[i], SF_EDGE_ADMINISTERED_BY, principal, in);
}

static void inline_policy(tf_ctx *t, tf_inst *in, json_t *v, const char *what,
                          sf_node_id principal)
{
	json_t *doc = tf_aws_json_value(t, in, what, v);
	if (json_is_object(doc))
		dns_change_edges(t, in, doc, principal);
	else if (doc)
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s: %s is not a policy document (not an object); not analysed",
		             in->address, what);
	json_decref(doc);
}

/* ---- roles and their trust policies ---- */

/* An Allow statement's Principal entries of one type ("AWS", "Federated"):
 * a string or a list of strings. "*" is everyone, not a dependency. */
static size_t principals(json_t *st, const char *type, const char **out, size_t max)
{
	json_t *p = json_object_get(st, "Principal"), *v, *x;
	size_t i, n = 0;
	if (!json_is_object(p))
		return 0;
	v = json_object_get(p, type);
	if (json_is_string(v)) {
		out[n++] = json_string_value(v);
	} else {
		json_array_foreach(v, i, x)
			if (json_is_string(x) && n < max)
				out[n++] = json_string_value(x);
	}
	return n;
}

/* Cognito identity pool ids a statement's Condition pins the web
 * identity to (`cognito-identity.amazonaws.com:aud`). */
static size_t cognito_auds(json_t *st, const char **out, size_t max)
{
	json_t *cond = json_object_get(st, "Condition"), *ops;
	const char *op;
	size_t n = 0;
	if (!json_is_object(cond))
		return 0;
	json_object_foreach(cond, op, ops) {
		json_t *v = json_object_get(ops, "cognito-identity.amazonaws.com:aud"), *x;
		size_t i;
		if (json_is_string(v) && n < max)
			out[n++] = json_string_value(v);
		json_array_foreach(v, i, x)
			if (json_is_string(x) && n < max)
				out[n++] = json_string_value(x);
	}
	return n;
}

static void federated_edge(tf_ctx *t, tf_inst *in, json_t *st, const char *f)
{
	tf_arn a;
	const char *res;
	if (strcmp(f, "*") == 0)
		return;
	if (tf_arn_parse(f, &a) == 0) {
		res = strstr(f + 4, ":oidc-provider/");
		if (res) {
			/* the provider is known by its issuer URL: one node however it
			 * is named (ARN, EKS cluster issuer, the provider resource) */
			tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA, tf_aws_idp(t, res + 15, in), in);
			return;
		}
		tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA,
		        tf_aws_ref(t, SF_KIND_IDENTITY_PROVIDER, f, in), in);
		return;
	}
	if (strcmp(f, "cognito-identity.amazonaws.com") == 0) {
		const char *ids[16];
		size_t n = cognito_auds(st, ids, 16);
		char key[300];
		for (size_t i = 0; i < n; i++)
			if (strlen(ids[i]) < 200) {
				snprintf(key, sizeof(key), "cognito-identity:%s", ids[i]);
				tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA,
				        tf_ref(t, SF_KIND_IDENTITY_PROVIDER, key), in);
			}
		if (n)
			return;
	}
	/* accounts.google.com, graph.facebook.com, www.amazon.com, ... */
	tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA, tf_aws_idp(t, f, in), in);
}

/* An AWS principal of the trust policy in another account: that account
 * (or that principal in it) administers the role. */
static void aws_principal_edge(tf_ctx *t, tf_inst *in, const char *p, const tf_arn *home)
{
	tf_arn a;
	char key[128];
	const char *acct = NULL, *partition = home && home->partition[0] ? home->partition : "aws";
	int root = 0;

	if (strspn(p, "0123456789") == 12 && strlen(p) == 12) {
		acct = p;
		root = 1;
	} else if (tf_arn_parse(p, &a) == 0 && a.account[0]) {
		const char *res = p + strlen(p);
		acct = a.account;
		partition = a.partition;
		while (res > p && res[-1] != ':')
			res--;
		root = strcmp(res, "root") == 0;
	}
	if (!acct || strspn(acct, "0123456789") != strlen(acct))
		return;
	if (home && strcmp(acct, home->account) == 0)
		return;         /* its own account: member_of says that already */
	if (root) {
		snprintf(key, sizeof(key), "account:%s/%s", partition, acct);
		tf_edge(t, in->node, SF_EDGE_ADMINISTERED_BY,
		        sf_graph_node(t->g, SF_KIND_ACCOUNT, key, acct, NULL), in);
	} else {
		tf_edge(t, in->node, SF_EDGE_ADMINISTERED_BY, tf_aws_ref(t, SF_KIND_PRINCIPAL, p, in), in);
	}
}

static void trust_edges(tf_ctx *t, tf_inst *in, const tf_arn *home)
{
	json_t *doc = tf_aws_json_attr(t, in, "assume_role_policy");
	json_t *st[512];
	size_t n;

	if (!doc)
		return;
	if (!json_is_object(doc)) {
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s: assume_role_policy is not a policy document; not analysed", in->address);
		json_decref(doc);
		return;
	}
	n = statements(doc, st, sizeof(st) / sizeof(st[0]));
	for (size_t i = 0; i < n; i++) {
		const char *ps[64];
		size_t np;
		if (!effect_is(st[i], "Allow"))
			continue;
		np = principals(st[i], "Federated", ps, 64);
		for (size_t k = 0; k < np; k++)
			federated_edge(t, in, st[i], ps[k]);
		np = principals(st[i], "AWS", ps, 64);
		for (size_t k = 0; k < np; k++)
			aws_principal_edge(t, in, ps[k], home);
	}
	json_decref(doc);
}

static void role_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 0);         /* IAM is global: no region */
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	alias_named(t, in, "iam-role:", tf_str(in, "name"));
}

static void role_edges(tf_ctx *t, tf_inst *in)
{
	tf_arn home;
	json_t *arns = tf_get(in, "managed_policy_arns"), *x;
	size_t i, n = tf_path_count(in, "inline_policy");

	/* Only the account matters here; IAM ARNs have no region. */
	if (tf_arn_parse(tf_str(in, "arn"), &home) < 0 || !home.account[0])
		trust_edges(t, in, NULL);
	else
		trust_edges(t, in, &home);
	for (i = 0; i < n && i < 1000; i++) {
		json_t *pol = tf_path_get(in, "inline_policy.%zu.policy", i);
		if (pol)
			inline_policy(t, in, pol, "inline_policy", in->node);
	}
	json_array_foreach(arns, i, x)
		if (json_is_string(x))
			attach_policy(t, in, json_string_value(x), in->node);
}

static void user_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 0);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	alias_named(t, in, "iam-user:", tf_str(in, "name"));
}

static void group_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 0);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	alias_named(t, in, "iam-group:", tf_str(in, "name"));
}

static void instance_profile_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 0);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	alias_named(t, in, "iam-instance-profile:", tf_str(in, "name"));
}

/* An instance profile hands its role to the instance. */
static void instance_profile_edges(tf_ctx *t, tf_inst *in)
{
	tf_edge(t, in->node, SF_EDGE_ASSUMES, iam_named(t, "iam-role:", tf_str(in, "role")), in);
}

static void policy_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 0);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
}

/* Parsed once here for its diagnostics; attachments read it again. */
static void policy_edges(tf_ctx *t, tf_inst *in)
{
	json_t *doc = tf_aws_json_attr(t, in, "policy");
	if (doc && !json_is_object(doc))
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s: policy is not a policy document (not an object); not analysed",
		             in->address);
	json_decref(doc);
}

static void role_policy_edges(tf_ctx *t, tf_inst *in)
{
	inline_policy(t, in, tf_get(in, "policy"), "policy",
	              iam_named(t, "iam-role:", tf_str(in, "role")));
}

static void user_policy_edges(tf_ctx *t, tf_inst *in)
{
	inline_policy(t, in, tf_get(in, "policy"), "policy",
	              iam_named(t, "iam-user:", tf_str(in, "user")));
}

static void group_policy_edges(tf_ctx *t, tf_inst *in)
{
	inline_policy(t, in, tf_get(in, "policy"), "policy",
	              iam_named(t, "iam-group:", tf_str(in, "group")));
}

static void role_attachment_edges(tf_ctx *t, tf_inst *in)
{
	attach_policy(t, in, tf_str(in, "policy_arn"), iam_named(t, "iam-role:", tf_str(in, "role")));
}

static void user_attachment_edges(tf_ctx *t, tf_inst *in)
{
	attach_policy(t, in, tf_str(in, "policy_arn"), iam_named(t, "iam-user:", tf_str(in, "user")));
}

static void group_attachment_edges(tf_ctx *t, tf_inst *in)
{
	attach_policy(t, in, tf_str(in, "policy_arn"),
	              iam_named(t, "iam-group:", tf_str(in, "group")));
}

/* aws_iam_policy_attachment: one policy, sets of roles, users, groups. */
static void policy_attachment_edges(tf_ctx *t, tf_inst *in)
{
	static const char *const sets[][2] = {
		{ "roles", "iam-role:" }, { "users", "iam-user:" }, { "groups", "iam-group:" },
	};
	const char *arn = tf_str(in, "policy_arn");
	for (size_t s = 0; s < 3; s++) {
		json_t *v = tf_get(in, sets[s][0]), *x;
		size_t i;
		json_array_foreach(v, i, x)
			if (json_is_string(x))
				attach_policy(t, in, arn, iam_named(t, sets[s][1], json_string_value(x)));
	}
}

/* ---- identity providers ---- */

static void oidc_provider_nodes(tf_ctx *t, tf_inst *in)
{
	const char *url = tf_str(in, "url");
	char key[1100];
	tf_aws_arn_alias(t, in, 0);
	if (!url || tf_aws_idp_key(url, key, sizeof(key)) < 0)
		return;
	tf_attr(t, in->node, "issuer", key + 4);
	/* The provider is the issuer: references by URL (EKS, trust
	 * policies) reach this node. */
	if (tf_alias(t, key, in->node) < 0)
		t->oom = 1;
	tf_aws_idp(t, url, in);     /* the issuer's region, when AWS runs it */
}

static void saml_provider_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 0);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
}

/* ---- Cognito ---- */

static void user_pool_nodes(tf_ctx *t, tf_inst *in)
{
	const char *ep = tf_str(in, "endpoint");
	char key[1100];
	tf_aws_arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	alias_named(t, in, "cognito-pool:", tf_str(in, "id"));
	/* Its issuer URL: what OIDC clients (and identity pools) name. */
	if (ep && strlen(ep) < 1000) {
		char url[1100];
		snprintf(url, sizeof(url), "https://%s", ep);
		if (tf_aws_idp_key(url, key, sizeof(key)) == 0) {
			tf_attr(t, in->node, "issuer", key + 4);
			if (tf_alias(t, key, in->node) < 0)
				t->oom = 1;
		}
	}
}

/* A pool id is `<region>_<suffix>`. */
static int pool_region(const char *id, char *out, size_t outsz)
{
	const char *us = id ? strchr(id, '_') : NULL;
	size_t n = us ? (size_t)(us - id) : 0;
	if (!n || n >= outsz || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		return -1;
	memcpy(out, id, n);
	out[n] = '\0';
	return 0;
}

/* The hosted sign-in domain of a pool: `<prefix>.auth.<region>.
 * amazoncognito.com`, or a custom domain with its own certificate. */
static void pool_domain_edges(tf_ctx *t, tf_inst *in)
{
	const char *pool = tf_str(in, "user_pool_id"), *domain = tf_str(in, "domain");
	const char *cert = tf_str(in, "certificate_arn");
	char region[64], name[400];

	if (pool && strlen(pool) < 200) {
		snprintf(name, sizeof(name), "cognito-pool:%s", pool);
		tf_edge(t, in->node, SF_EDGE_ROUTES_TO, tf_ref(t, SF_KIND_IDENTITY_PROVIDER, name), in);
	}
	if (cert)
		tf_edge(t, in->node, SF_EDGE_TERMINATES_TLS_WITH,
		        tf_aws_ref(t, SF_KIND_CERTIFICATE, cert, in), in);
	if (!domain || strlen(domain) > 250)
		return;
	if (strchr(domain, '.'))
		snprintf(name, sizeof(name), "%s", domain);
	else if (pool_region(pool, region, sizeof(region)) == 0)
		snprintf(name, sizeof(name), "%s.auth.%s.amazoncognito.com", domain, region);
	else
		return;
	tf_attr(t, in->node, "domain_name", name);
	tf_edge(t, tf_dns_node(t, name), SF_EDGE_RESOLVES_TO, in->node, in);
}

/* The origin (scheme://host) of a SAML metadata URL: the IdP's failure
 * domain; the path and query are per-application detail. */
static sf_node_id saml_origin_idp(tf_ctx *t, const char *url, const tf_inst *in)
{
	char origin[600];
	const char *sep = url ? strstr(url, "://") : NULL;
	size_t n;
	if (!sep)
		return SF_NODE_NONE;
	n = (size_t)(sep + 3 - url) + strcspn(sep + 3, "/?#");
	if (n >= sizeof(origin))
		return SF_NODE_NONE;
	memcpy(origin, url, n);
	origin[n] = '\0';
	return tf_aws_idp(t, origin, in);
}

/* A pool's federated sign-in: the upstream identity provider. Only the
 * issuer and metadata URL are read from provider_details; it also holds
 * the client secret. */
static void cognito_idp_edges(tf_ctx *t, tf_inst *in)
{
	static const char *const social[][2] = {
		{ "Google", "https://accounts.google.com" },
		{ "Facebook", "https://www.facebook.com" },
		{ "LoginWithAmazon", "https://www.amazon.com" },
		{ "SignInWithApple", "https://appleid.apple.com" },
	};
	const char *pool = tf_str(in, "user_pool_id"), *type = tf_str(in, "provider_type");
	sf_node_id up = SF_NODE_NONE, pn;
	char key[300];

	if (!pool || strlen(pool) > 200 || !type)
		return;
	snprintf(key, sizeof(key), "cognito-pool:%s", pool);
	pn = tf_ref(t, SF_KIND_IDENTITY_PROVIDER, key);
	tf_attr(t, in->node, "type", type);
	if (strcmp(type, "OIDC") == 0)
		up = tf_aws_idp(t, tf_path_str(in, "provider_details.oidc_issuer"), in);
	else if (strcmp(type, "SAML") == 0)
		up = saml_origin_idp(t, tf_path_str(in, "provider_details.MetadataURL"), in);
	for (size_t i = 0; i < sizeof(social) / sizeof(social[0]); i++)
		if (strcmp(type, social[i][0]) == 0)
			up = tf_aws_idp(t, social[i][1], in);
	tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA, up, in);
	tf_edge(t, pn, SF_EDGE_AUTHENTICATES_VIA, up, in);
}

static void identity_pool_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", tf_str(in, "identity_pool_name"));
	alias_named(t, in, "cognito-identity:", tf_str(in, "id"));
}

/* Who an identity pool trusts: user pools (by issuer), OIDC and SAML
 * providers, and social logins. */
static void identity_pool_edges(tf_ctx *t, tf_inst *in)
{
	size_t n = tf_path_count(in, "cognito_identity_providers");
	json_t *v, *x;
	const char *k;
	size_t i;

	for (i = 0; i < n && i < 100; i++) {
		const char *pn = tf_path_str(in, "cognito_identity_providers.%zu.provider_name", i);
		tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA, tf_aws_idp(t, pn, in), in);
	}
	v = tf_get(in, "openid_connect_provider_arns");
	json_array_foreach(v, i, x) {
		const char *arn = json_is_string(x) ? json_string_value(x) : NULL;
		const char *res = arn ? strstr(arn, ":oidc-provider/") : NULL;
		if (res)
			tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA, tf_aws_idp(t, res + 15, in), in);
	}
	v = tf_get(in, "saml_provider_arns");
	json_array_foreach(v, i, x)
		if (json_is_string(x))
			tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA,
			        tf_aws_ref(t, SF_KIND_IDENTITY_PROVIDER, json_string_value(x), in), in);
	/* keys are provider domains; the values are app ids */
	v = tf_get(in, "supported_login_providers");
	json_object_foreach(v, k, x)
		tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA, tf_aws_idp(t, k, in), in);
}

/* ---- accounts ---- */

/* A member account of an organization: the account node every ARN of it
 * leads to. Its own ARN names the management account; that link is not
 * made, since every account of an organization would share it. */
static void org_account_nodes(tf_ctx *t, tf_inst *in)
{
	const char *id = tf_str(in, "id");
	tf_arn a;
	char key[128];
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	if (!id || strlen(id) != 12 || strspn(id, "0123456789") != 12)
		return;
	tf_attr(t, in->node, "account", id);
	snprintf(key, sizeof(key), "account:%s/%s",
	         tf_arn_parse(tf_str(in, "arn"), &a) == 0 && a.partition[0] ? a.partition : "aws", id);
	if (tf_alias(t, key, in->node) < 0)
		t->oom = 1;
}

const tf_type tf_aws_iam_types[] = {
	{ "aws_cognito_identity_pool", SF_KIND_IDENTITY_PROVIDER, identity_pool_nodes,
	  identity_pool_edges },
	{ "aws_cognito_identity_provider", SF_KIND_IDENTITY_PROVIDER, NULL, cognito_idp_edges },
	{ "aws_cognito_user_pool", SF_KIND_IDENTITY_PROVIDER, user_pool_nodes, NULL },
	{ "aws_cognito_user_pool_domain", SF_KIND_ENDPOINT, NULL, pool_domain_edges },
	{ "aws_iam_group", SF_KIND_PRINCIPAL, group_nodes, NULL },
	{ "aws_iam_group_policy", SF_KIND_RESOURCE, NULL, group_policy_edges },
	{ "aws_iam_group_policy_attachment", SF_KIND_RESOURCE, NULL, group_attachment_edges },
	{ "aws_iam_instance_profile", SF_KIND_PRINCIPAL, instance_profile_nodes, instance_profile_edges },
	{ "aws_iam_openid_connect_provider", SF_KIND_IDENTITY_PROVIDER, oidc_provider_nodes, NULL },
	{ "aws_iam_policy", SF_KIND_RESOURCE, policy_nodes, policy_edges },
	{ "aws_iam_policy_attachment", SF_KIND_RESOURCE, NULL, policy_attachment_edges },
	{ "aws_iam_role", SF_KIND_PRINCIPAL, role_nodes, role_edges },
	{ "aws_iam_role_policy", SF_KIND_RESOURCE, NULL, role_policy_edges },
	{ "aws_iam_role_policy_attachment", SF_KIND_RESOURCE, NULL, role_attachment_edges },
	{ "aws_iam_saml_provider", SF_KIND_IDENTITY_PROVIDER, saml_provider_nodes, NULL },
	{ "aws_iam_user", SF_KIND_PRINCIPAL, user_nodes, NULL },
	{ "aws_iam_user_policy", SF_KIND_RESOURCE, NULL, user_policy_edges },
	{ "aws_iam_user_policy_attachment", SF_KIND_RESOURCE, NULL, user_attachment_edges },
	{ "aws_organizations_account", SF_KIND_ACCOUNT, org_account_nodes, NULL },
	{ NULL, SF_KIND_RESOURCE, NULL, NULL },
};
