/* The meaning of AWS resource types in Terraform state: load balancing,
 * Route 53, compute (this file); identity and administration
 * (tf_aws_iam.c); secrets, keys and certificates (tf_aws_secrets.c).
 *
 * Each type registers its node in a first pass (aliases by ARN or ID, the
 * few non-secret attributes it has) and makes its edges in a second, when
 * every node of the file exists. References by ARN or ID that the file
 * does not define become placeholder nodes keyed by that ARN/ID, which the
 * link phase merges with the resource of another input that defines it. */
#include "tf_aws.h"

#include <ctype.h>
#include <string.h>

#include "model/diag.h"
#include "tf_path.h"

#define ID_KEY(buf, prefix, id) snprintf(buf, sizeof(buf), "%s%s", prefix, id)

/* ---- helpers shared by the AWS files (tf_aws.h) ---- */

/* Two states that claim one ARN describe one object; when they disagree
 * about it (its type, name or DNS name), one of them is stale or wrong,
 * and the first read is the one references reach: say so. */
static void arn_conflict(tf_ctx *t, const tf_inst *in, sf_node_id owner)
{
	static const char *const facts[] = { "resource_type", "name", "dns_name", "domain_name" };
	const sf_node *o = sf_graph_node_at(t->g, owner);
	const char *their_path = o ? sf_graph_node_prov(t->g, o).path : NULL;
	if (!o || owner == in->node || !their_path || strcmp(their_path, t->ctx->path) == 0)
		return;
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const char *theirs = sf_graph_attr(t->g, owner, facts[i]);
		const char *mine = i == 0 ? in->type : tf_str(in, facts[i]);
		char clean[512];
		if (!theirs || !mine)
			continue;
		sf_sanitize(clean, sizeof(clean), mine, strlen(mine));
		if (strcmp(clean, theirs) == 0)
			continue;
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s has the ARN of %s in %s, with a different %s; the facts of %s are used",
		             in->address, sf_graph_attr(t->g, owner, "address") ?
		             sf_graph_attr(t->g, owner, "address") : "an object", their_path, facts[i],
		             their_path);
		return;
	}
}

void tf_aws_arn_alias(tf_ctx *t, tf_inst *in, int with_region)
{
	int rc;
	const char *arn = tf_str(in, "arn");
	if (!arn) {
		const char *id = tf_str(in, "id");
		if (id && strncmp(id, "arn:", 4) == 0)
			arn = id;
	}
	if (!arn)
		return;
	rc = tf_alias(t, arn, in->node);
	if (rc < 0)
		t->oom = 1;
	else if (rc == 1)
		arn_conflict(t, in, tf_find(t, arn));
	tf_attr(t, in->node, "arn", arn);
	tf_place(t, in->node, arn, in, with_region);
}

sf_node_id tf_aws_ref(tf_ctx *t, sf_kind kind, const char *arn, const tf_inst *in)
{
	sf_node_id id;
	if (!arn || strncmp(arn, "arn:", 4) != 0)
		return SF_NODE_NONE;
	id = tf_ref(t, kind, arn);
	/* A node some input defines was placed by it; a placeholder is placed
	 * here, so that an object outside the state still has its region. */
	if (id != SF_NODE_NONE && !sf_graph_node_at(t->g, id)->path)
		tf_place(t, id, arn, in, 1);
	return id;
}

int tf_aws_home(const tf_inst *in, tf_arn *out)
{
	const char *arn = tf_str(in, "arn");
	if (!arn || strncmp(arn, "arn:", 4) != 0)
		arn = tf_str(in, "id");
	if (tf_arn_parse(arn, out) < 0)
		return -1;
	return out->account[0] && out->region[0] ? 0 : -1;
}

int tf_aws_arn(char *out, size_t outsz, const tf_arn *home, const char *service,
               const char *region, const char *resource)
{
	int n;
	if (!home || !home->account[0] || !resource)
		return -1;
	n = snprintf(out, outsz, "arn:%s:%s:%s:%s:%s", home->partition[0] ? home->partition : "aws",
	             service, region ? region : home->region, home->account, resource);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

sf_node_id tf_aws_kms_ref(tf_ctx *t, const char *name, const tf_arn *home, const char *region,
                          const char *default_alias, const tf_inst *in)
{
	char arn[600], res[520];
	if (!region && home)
		region = home->region;
	if (!name || !name[0]) {
		if (!default_alias)
			return SF_NODE_NONE;
		snprintf(res, sizeof(res), "alias/%s", default_alias);
	} else if (strncmp(name, "arn:", 4) == 0) {
		return tf_aws_ref(t, SF_KIND_KMS_KEY, name, in);
	} else if (strlen(name) >= 500) {
		return SF_NODE_NONE;
	} else if (strncmp(name, "alias/", 6) == 0) {
		snprintf(res, sizeof(res), "%s", name);
	} else {
		snprintf(res, sizeof(res), "key/%s", name);
	}
	if (!region || !region[0] || tf_aws_arn(arn, sizeof(arn), home, "kms", region, res) < 0)
		return SF_NODE_NONE;
	return tf_aws_ref(t, SF_KIND_KMS_KEY, arn, in);
}

int tf_aws_idp_key(const char *url, char *out, size_t outsz)
{
	const char *p = url, *sep, *host, *end;
	size_t o, hl;

	if (!url || !url[0])
		return -1;
	for (const char *q = url; *q; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return -1;
	if (strlen(url) > 1024 || outsz < 16)
		return -1;
	memcpy(out, "idp:", 4);
	o = 4;
	sep = strstr(p, "://");
	if (sep) {
		if (sep == p || (size_t)(sep - p) > 16)
			return -1;
		for (const char *q = p; q < sep; q++)
			out[o++] = (char)tolower((unsigned char)*q);
		p = sep + 3;
	} else {
		memcpy(out + o, "https", 5);
		o += 5;
	}
	memcpy(out + o, "://", 3);
	o += 3;
	host = p;
	hl = strcspn(host, "/?#");
	/* user:password@host: credentials in a URL are never copied */
	for (size_t i = hl; i > 0; i--)
		if (host[i - 1] == '@') {
			host += i;
			hl -= i;
			break;
		}
	if (hl == 0 || o + hl + 1 >= outsz)
		return -1;
	for (size_t i = 0; i < hl; i++)
		out[o++] = (char)tolower((unsigned char)host[i]);
	p = host + hl;
	end = p + strcspn(p, "?#");
	while (end > p && end[-1] == '/')
		end--;
	if (o + (size_t)(end - p) + 1 >= outsz)
		return -1;
	memcpy(out + o, p, (size_t)(end - p));
	o += (size_t)(end - p);
	out[o] = '\0';
	return 0;
}

/* `<prefix><region>.amazonaws.com`: the region of an AWS-run issuer. */
static int aws_host_region(const char *host, size_t hl, const char *prefix, char *region,
                           size_t regionsz)
{
	static const char suffix[] = ".amazonaws.com";
	size_t pl = strlen(prefix), sl = sizeof(suffix) - 1, rl;
	if (hl <= pl + sl || strncmp(host, prefix, pl) != 0 ||
	    strncmp(host + hl - sl, suffix, sl) != 0)
		return -1;
	rl = hl - pl - sl;
	if (rl == 0 || rl >= regionsz)
		return -1;
	memcpy(region, host + pl, rl);
	region[rl] = '\0';
	return strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") == rl ? 0 : -1;
}

sf_node_id tf_aws_idp(tf_ctx *t, const char *url, const tf_inst *in)
{
	char key[1100], region[64];
	const char *host;
	size_t hl;
	sf_node_id id;

	if (tf_aws_idp_key(url, key, sizeof(key)) < 0)
		return SF_NODE_NONE;
	id = sf_graph_node(t->g, SF_KIND_IDENTITY_PROVIDER, key, key + 4, NULL);
	if (id == SF_NODE_NONE) {
		t->oom = 1;
		return id;
	}
	host = strstr(key, "://") + 3;
	hl = strcspn(host, "/:");
	if (aws_host_region(host, hl, "oidc.eks.", region, sizeof(region)) == 0 ||
	    aws_host_region(host, hl, "cognito-idp.", region, sizeof(region)) == 0) {
		char rkey[96];
		snprintf(rkey, sizeof(rkey), "region:aws/%s", region);
		tf_edge(t, id, SF_EDGE_LOCATED_IN,
		        sf_graph_node(t->g, SF_KIND_REGION, rkey, region, NULL), in);
		tf_attr(t, id, "region", region);
	}
	return id;
}

json_t *tf_aws_json_value(tf_ctx *t, const tf_inst *in, const char *what, json_t *v)
{
	json_error_t err;
	json_t *doc;
	char why[sizeof(err.text)];

	if (!v || json_is_null(v))
		return NULL;
	if (json_is_object(v) || json_is_array(v))
		return json_incref(v);
	if (!json_is_string(v)) {
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s: %s is neither a JSON document nor a string holding one; not analysed",
		             in->address, what);
		return NULL;
	}
	if (json_string_length(v) == 0)
		return NULL;
	doc = json_loadb(json_string_value(v), json_string_length(v), JSON_REJECT_DUPLICATES, &err);
	if (!doc) {
		/* The message never quotes the text: it may hold a secret. */
		sf_json_error_text(&err, why, sizeof(why));
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s: %s is not valid JSON (%s); the references in it are not analysed",
		             in->address, what, why);
	}
	return doc;
}

json_t *tf_aws_json_attr(tf_ctx *t, const tf_inst *in, const char *key)
{
	return tf_aws_json_value(t, in, key, tf_get(in, key));
}

tf_inst *tf_aws_inst_of(tf_ctx *t, sf_node_id id)
{
	if (id == SF_NODE_NONE)
		return NULL;
	for (size_t i = 0; i < t->ninst; i++)
		if (t->inst[i].node == id)
			return &t->inst[i];
	return NULL;
}

const char *tf_aws_join(json_t *v, char *out, size_t outsz)
{
	size_t o = 0, i;
	json_t *x;
	if (json_is_string(v))
		return snprintf(out, outsz, "%s", json_string_value(v)) > 0 ? out : NULL;
	if (!json_is_array(v) || outsz == 0)
		return NULL;
	out[0] = '\0';
	json_array_foreach(v, i, x) {
		size_t l;
		if (!json_is_string(x) || !json_string_value(x)[0])
			continue;
		l = json_string_length(x);
		if (o + l + 2 >= outsz)
			break;
		if (o)
			out[o++] = ',';
		memcpy(out + o, json_string_value(x), l);
		o += l;
		out[o] = '\0';
	}
	return o ? out : NULL;
}

static void arn_alias(tf_ctx *t, tf_inst *in, int with_region)
{
	tf_aws_arn_alias(t, in, with_region);
}

/* ---- Route 53 ---- */

static void zone_nodes(tf_ctx *t, tf_inst *in)
{
	const char *zid = tf_str(in, "zone_id");
	const char *name = tf_str(in, "name");
	char key[300];
	sf_node_id prov;

	if (!zid)
		zid = tf_str(in, "id");
	arn_alias(t, in, 0);
	if (zid) {
		ID_KEY(key, "route53-zone:", zid);
		if (tf_alias(t, key, in->node) < 0)
			t->oom = 1;
		tf_attr(t, in->node, "id", zid);
	}
	if (name && tf_dns_key(name, key, sizeof(key)) == 0) {
		json_t *vpc = tf_get(in, "vpc");
		tf_attr(t, in->node, "name", key + 4);
		/* A public zone is the same zone a zone file or an export of it
		 * describes: `zone:<apex>`. A private zone (bound to VPCs) may share
		 * its apex with the public one, so it keeps its address only. */
		if (!json_is_array(vpc) || json_array_size(vpc) == 0) {
			char zkey[310];
			snprintf(zkey, sizeof(zkey), "zone:%s", key + 4);
			if (tf_alias(t, zkey, in->node) < 0)
				t->oom = 1;
		}
	}
	prov = sf_graph_node(t->g, SF_KIND_DNS_PROVIDER, "dnsprovider:route53", "Route 53", NULL);
	tf_edge(t, in->node, SF_EDGE_SERVED_BY, prov, in);
}

static void health_check_nodes(tf_ctx *t, tf_inst *in)
{
	const char *id = tf_str(in, "id");
	char buf[64], key[300];
	int b;

	arn_alias(t, in, 0);
	if (id) {
		ID_KEY(key, "route53-healthcheck:", id);
		if (tf_alias(t, key, in->node) < 0)
			t->oom = 1;
	}
	tf_attr(t, in->node, "health_check_type", tf_str(in, "type"));
	tf_attr(t, in->node, "port", tf_num(in, "port", buf, sizeof(buf)));
	tf_attr(t, in->node, "resource_path", tf_str(in, "resource_path"));
	tf_attr(t, in->node, "fqdn", tf_str(in, "fqdn"));
	tf_attr(t, in->node, "failure_threshold", tf_num(in, "failure_threshold", buf, sizeof(buf)));
	if ((b = tf_bool(in, "disabled")) >= 0)
		tf_attr(t, in->node, "disabled", b ? "true" : "false");
	if ((b = tf_bool(in, "invert_healthcheck")) >= 0)
		tf_attr(t, in->node, "inverted", b ? "true" : "false");
}

/* The record's absolute name: `fqdn` when the provider computed it, else
 * `name`, made absolute within the zone's name when relative. */
static int record_name(tf_ctx *t, tf_inst *in, char *out, size_t outsz)
{
	const char *fqdn = tf_str(in, "fqdn");
	const char *name = tf_str(in, "name");
	if (fqdn && tf_dns_key(fqdn, out, outsz) == 0)
		return 0;
	if (!name)
		return -1;
	if (tf_dns_key(name, out, outsz) < 0)
		return -1;
	{
		/* relative to the zone? */
		const char *zid = tf_str(in, "zone_id");
		char zkey[300];
		sf_node_id z;
		const char *zname;
		size_t n = strlen(out), zl;
		if (!zid)
			return 0;
		snprintf(zkey, sizeof(zkey), "route53-zone:%s", zid);
		z = tf_find(t, zkey);
		zname = z != SF_NODE_NONE ? sf_graph_attr(t->g, z, "name") : NULL;
		if (!zname)
			return 0;
		zl = strlen(zname);
		if ((n - 4 == zl && strcmp(out + 4, zname) == 0) ||
		    (n - 4 > zl && out[n - zl - 1] == '.' && strcmp(out + n - zl, zname) == 0))
			return 0;
		if (n + zl >= outsz)
			return -1;
		memcpy(out + n, zname, zl + 1);
	}
	return 0;
}

static void record_nodes(tf_ctx *t, tf_inst *in)
{
	char name[300], buf[64];
	const char *type = tf_str(in, "type");
	json_t *blk;
	int b;

	if (record_name(t, in, name, sizeof(name)) == 0)
		tf_attr(t, in->node, "name", name + 4);
	tf_attr(t, in->node, "type", type);
	tf_attr(t, in->node, "ttl", tf_num(in, "ttl", buf, sizeof(buf)));
	tf_attr(t, in->node, "set_identifier", tf_str(in, "set_identifier"));
	if ((blk = tf_block(in, "failover_routing_policy"))) {
		tf_attr(t, in->node, "routing_policy", "failover");
		tf_attr(t, in->node, "failover", tf_obj_str(blk, "type"));
	} else if ((blk = tf_block(in, "weighted_routing_policy"))) {
		json_t *w = json_object_get(blk, "weight");
		tf_attr(t, in->node, "routing_policy", "weighted");
		if (json_is_integer(w)) {
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(w));
			tf_attr(t, in->node, "weight", buf);
		}
	} else if ((blk = tf_block(in, "latency_routing_policy"))) {
		tf_attr(t, in->node, "routing_policy", "latency");
		tf_attr(t, in->node, "region", tf_obj_str(blk, "region"));
	} else if (tf_block(in, "geolocation_routing_policy")) {
		tf_attr(t, in->node, "routing_policy", "geolocation");
	} else {
		tf_attr(t, in->node, "routing_policy", "simple");
	}
	if ((blk = tf_block(in, "alias"))) {
		json_t *eth = json_object_get(blk, "evaluate_target_health");
		if (json_is_boolean(eth))
			tf_attr(t, in->node, "evaluate_target_health", json_is_true(eth) ? "true" : "false");
		else if (json_is_string(eth))
			tf_attr(t, in->node, "evaluate_target_health", json_string_value(eth));
	}
	(void)b;
}

/* Values of `records`: a list or set of strings. */
static sf_node_id value_node(tf_ctx *t, const char *type, const char *v)
{
	if (type && (strcmp(type, "A") == 0 || strcmp(type, "AAAA") == 0))
		return tf_ip_node(t, v);
	if (type && (strcmp(type, "CNAME") == 0 || strcmp(type, "ALIAS") == 0))
		return tf_dns_node(t, v);
	return SF_NODE_NONE;
}

static void record_edges(tf_ctx *t, tf_inst *in)
{
	const char *name = sf_graph_attr(t->g, in->node, "name");
	const char *type = tf_str(in, "type");
	const char *zid = tf_str(in, "zone_id");
	const char *hc = tf_str(in, "health_check_id");
	const char *failover = sf_graph_attr(t->g, in->node, "failover");
	json_t *alias = tf_block(in, "alias");
	json_t *records = tf_get(in, "records");
	sf_node_id root = SF_NODE_NONE, dn;
	size_t nvalues = 0;
	char key[300];

	if (!name || !type) {
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s has no usable name or type; not analysed", in->address);
		return;
	}
	/* The name resolves through its records: any one of them serves it. */
	dn = tf_dns_node(t, name);
	if (dn != SF_NODE_NONE) {
		tf_edge(t, dn, SF_EDGE_RESOLVES_TO, in->node, in);
		sf_graph_set_gate(t->g, dn, SF_GATE_ANY);
	}
	if (zid) {
		snprintf(key, sizeof(key), "route53-zone:%s", zid);
		tf_edge(t, in->node, SF_EDGE_SERVED_BY, tf_ref(t, SF_KIND_DNS_ZONE, key), in);
	}
	if (hc) {
		snprintf(key, sizeof(key), "route53-healthcheck:%s", hc);
		tf_edge(t, in->node, SF_EDGE_CHECKED_BY, tf_ref(t, SF_KIND_HEALTH_CHECK, key), in);
	}
	if (alias) {
		root = tf_dns_node(t, tf_obj_str(alias, "name"));
		tf_edge(t, in->node, SF_EDGE_RESOLVES_TO, root, in);
		nvalues = root != SF_NODE_NONE;
	} else if (json_is_array(records)) {
		size_t i;
		json_t *v;
		/* Several values: DNS hands out all of them, any one serves. */
		sf_graph_set_gate(t->g, in->node, SF_GATE_ANY);
		json_array_foreach(records, i, v) {
			sf_node_id vn;
			if (!json_is_string(v))
				continue;
			vn = value_node(t, type, json_string_value(v));
			if (vn == SF_NODE_NONE)
				continue;
			tf_edge(t, in->node, SF_EDGE_RESOLVES_TO, vn, in);
			root = vn;
			nvalues++;
		}
	}
	if (nvalues != 1)
		root = in->node;
	if (failover) {
		char group[400];
		int role;
		if (strcmp(failover, "PRIMARY") == 0)
			role = 0;
		else if (strcmp(failover, "SECONDARY") == 0)
			role = 1;
		else {
			sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
			             "%s: failover type is neither PRIMARY nor SECONDARY", in->address);
			return;
		}
		snprintf(group, sizeof(group), "route53:%s/%s", name, type);
		tf_member(t, in, group, "aws_route53_record", name, role, in->node, root, 0);
	}
}

/* ---- load balancing ---- */

static void lb_nodes(tf_ctx *t, tf_inst *in)
{
	const char *dns = tf_str(in, "dns_name");
	int b;
	arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	tf_attr(t, in->node, "dns_name", dns);
	tf_attr(t, in->node, "load_balancer_type", tf_str(in, "load_balancer_type"));
	if ((b = tf_bool(in, "internal")) >= 0)
		tf_attr(t, in->node, "internal", b ? "true" : "false");
	/* A record aliasing the load balancer's name reaches it. */
	tf_edge(t, tf_dns_node(t, dns), SF_EDGE_RESOLVES_TO, in->node, in);
}

static void listener_nodes(tf_ctx *t, tf_inst *in)
{
	char buf[32];
	arn_alias(t, in, 1);
	tf_attr(t, in->node, "port", tf_num(in, "port", buf, sizeof(buf)));
	tf_attr(t, in->node, "protocol", tf_str(in, "protocol"));
}

/* One action of a listener or rule (`default_action`/`action` element i):
 * the target groups it forwards to (`target_group_arn`, or the weighted
 * `forward { target_group { arn } }` form), and the identity provider an
 * authenticate action sends users to. Read leaf by leaf: the same block
 * holds the OIDC client secret. */
static void action_edges(tf_ctx *t, tf_inst *in, const char *top, size_t i)
{
	const char *tg = tf_path_str(in, "%s.%zu.target_group_arn", top, i);
	const char *issuer = tf_path_str(in, "%s.%zu.authenticate_oidc.0.issuer", top, i);
	const char *pool = tf_path_str(in, "%s.%zu.authenticate_cognito.0.user_pool_arn", top, i);
	size_t n = tf_path_count(in, "%s.%zu.forward.0.target_group", top, i);

	if (tg)
		tf_edge(t, in->node, SF_EDGE_ROUTES_TO, tf_ref(t, SF_KIND_TARGET_GROUP, tg), in);
	for (size_t k = 0; k < n && k < 1000; k++) {
		const char *arn = tf_path_str(in, "%s.%zu.forward.0.target_group.%zu.arn", top, i, k);
		if (arn)
			tf_edge(t, in->node, SF_EDGE_ROUTES_TO, tf_ref(t, SF_KIND_TARGET_GROUP, arn), in);
	}
	if (issuer)
		tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA, tf_aws_idp(t, issuer, in), in);
	if (pool)
		tf_edge(t, in->node, SF_EDGE_AUTHENTICATES_VIA,
		        tf_aws_ref(t, SF_KIND_IDENTITY_PROVIDER, pool, in), in);
}

static void actions_edges(tf_ctx *t, tf_inst *in, const char *top)
{
	size_t n = tf_path_count(in, "%s", top);
	for (size_t i = 0; i < n && i < 1000; i++)
		action_edges(t, in, top, i);
}

static void listener_edges(tf_ctx *t, tf_inst *in)
{
	const char *lb = tf_str(in, "load_balancer_arn");
	const char *cert = tf_str(in, "certificate_arn");
	/* The load balancer serves through its listeners. */
	if (lb)
		tf_edge(t, tf_ref(t, SF_KIND_LOAD_BALANCER, lb), SF_EDGE_ROUTES_TO, in->node, in);
	if (cert)
		tf_edge(t, in->node, SF_EDGE_TERMINATES_TLS_WITH,
		        tf_aws_ref(t, SF_KIND_CERTIFICATE, cert, in), in);
	actions_edges(t, in, "default_action");
}

static void listener_rule_edges(tf_ctx *t, tf_inst *in)
{
	const char *l = tf_str(in, "listener_arn");
	if (l)
		tf_edge(t, tf_ref(t, SF_KIND_LISTENER, l), SF_EDGE_ROUTES_TO, in->node, in);
	actions_edges(t, in, "action");
}

/* More certificates of an HTTPS listener (SNI): clients get whichever
 * matches the name they ask for. */
static void listener_cert_edges(tf_ctx *t, tf_inst *in)
{
	const char *l = tf_str(in, "listener_arn"), *cert = tf_str(in, "certificate_arn");
	if (l && cert)
		tf_edge(t, tf_ref(t, SF_KIND_LISTENER, l), SF_EDGE_TERMINATES_TLS_WITH,
		        tf_aws_ref(t, SF_KIND_CERTIFICATE, cert, in), in);
}

static void tg_nodes(tf_ctx *t, tf_inst *in)
{
	const char *arn = tf_str(in, "arn");
	char buf[32];
	tf_arn a;
	/* Any healthy target serves. An ANY gate counts every dependency as an
	 * alternative, so the group gets no located_in/member_of edges (its
	 * region would stand in for a failed target); its load balancer holds
	 * the region and account, and the attributes record them. */
	sf_graph_set_gate(t->g, in->node, SF_GATE_ANY);
	if (arn && tf_alias(t, arn, in->node) < 0)
		t->oom = 1;
	tf_attr(t, in->node, "arn", arn);
	if (tf_arn_parse(arn, &a) == 0) {
		tf_attr(t, in->node, "region", a.region[0] ? a.region : NULL);
		tf_attr(t, in->node, "account", a.account[0] ? a.account : NULL);
	}
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	tf_attr(t, in->node, "port", tf_num(in, "port", buf, sizeof(buf)));
	tf_attr(t, in->node, "protocol", tf_str(in, "protocol"));
	/* What its health check tests: an alias that evaluates the load
	 * balancer's target health fails over on exactly this. */
	if (!json_is_false(tf_path_get(in, "health_check.0.enabled"))) {
		tf_attr(t, in->node, "health_check_type", tf_path_str(in, "health_check.0.protocol"));
		tf_attr(t, in->node, "resource_path", tf_path_str(in, "health_check.0.path"));
	}
}

static sf_node_id target_node(tf_ctx *t, const char *id)
{
	char key[300];
	if (!id)
		return SF_NODE_NONE;
	if (strncmp(id, "arn:", 4) == 0)
		return tf_ref(t, SF_KIND_COMPUTE, id);
	if (strncmp(id, "i-", 2) == 0) {
		snprintf(key, sizeof(key), "ec2-instance:%s", id);
		return tf_ref(t, SF_KIND_COMPUTE, key);
	}
	return tf_ip_node(t, id);
}

static void tg_attachment_edges(tf_ctx *t, tf_inst *in)
{
	const char *tg = tf_str(in, "target_group_arn");
	if (tg)
		tf_edge(t, tf_ref(t, SF_KIND_TARGET_GROUP, tg), SF_EDGE_ROUTES_TO, in->node, in);
	tf_edge(t, in->node, SF_EDGE_ROUTES_TO, target_node(t, tf_str(in, "target_id")), in);
}

/* ---- compute ---- */

static void instance_nodes(tf_ctx *t, tf_inst *in)
{
	const char *id = tf_str(in, "id"), *az = tf_str(in, "availability_zone");
	const char *arn = tf_str(in, "arn");
	char key[300];

	if (arn && tf_alias(t, arn, in->node) < 0)
		t->oom = 1;
	if (id) {
		snprintf(key, sizeof(key), "ec2-instance:%s", id);
		if (tf_alias(t, key, in->node) < 0)
			t->oom = 1;
		tf_attr(t, in->node, "id", id);
	}
	tf_edge(t, tf_ip_node(t, tf_str(in, "private_ip")), SF_EDGE_RESOLVES_TO, in->node, in);
	tf_edge(t, tf_ip_node(t, tf_str(in, "public_ip")), SF_EDGE_RESOLVES_TO, in->node, in);
	tf_edge(t, tf_dns_node(t, tf_str(in, "public_dns")), SF_EDGE_RESOLVES_TO, in->node, in);
	tf_edge(t, tf_dns_node(t, tf_str(in, "private_dns")), SF_EDGE_RESOLVES_TO, in->node, in);
	if (az && strlen(az) > 1 && strlen(az) < 60) {
		/* us-east-1a lies in us-east-1: the instance is placed through its
		 * zone, so two instances in one region but different zones share
		 * the region and not the zone. */
		tf_arn a;
		char region[64], zkey[128], rkey[128];
		const char *partition = "aws";
		sf_node_id zn, rn;
		size_t n = strlen(az);
		if (arn && tf_arn_parse(arn, &a) == 0)
			partition = a.partition[0] ? a.partition : "aws";
		memcpy(region, az, n - 1);
		region[n - 1] = '\0';
		while (n > 2 && region[strlen(region) - 1] >= 'a' && region[strlen(region) - 1] <= 'z' &&
		       strlen(region) + 1 < n)
			region[strlen(region) - 1] = '\0';
		snprintf(zkey, sizeof(zkey), "az:%s/%s", partition, az);
		snprintf(rkey, sizeof(rkey), "region:%s/%s", partition, region);
		zn = sf_graph_node(t->g, SF_KIND_AVAILABILITY_ZONE, zkey, az, NULL);
		rn = sf_graph_node(t->g, SF_KIND_REGION, rkey, region, NULL);
		tf_edge(t, in->node, SF_EDGE_LOCATED_IN, zn, in);
		tf_edge(t, zn, SF_EDGE_LOCATED_IN, rn, in);
		tf_attr(t, in->node, "region", region);
		if (arn)
			tf_place(t, in->node, arn, in, 0);
	} else if (arn) {
		tf_place(t, in->node, arn, in, 1);
	}
}

static void eip_nodes(tf_ctx *t, tf_inst *in)
{
	const char *inst = tf_str(in, "instance");
	char key[300];
	tf_edge(t, tf_ip_node(t, tf_str(in, "public_ip")), SF_EDGE_RESOLVES_TO, in->node, in);
	if (inst) {
		snprintf(key, sizeof(key), "ec2-instance:%s", inst);
		tf_edge(t, in->node, SF_EDGE_ROUTES_TO, tf_ref(t, SF_KIND_COMPUTE, key), in);
	}
}

static void ecs_cluster_nodes(tf_ctx *t, tf_inst *in)
{
	arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
}

static void ecs_service_nodes(tf_ctx *t, tf_inst *in)
{
	arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
}

static void ecs_service_edges(tf_ctx *t, tf_inst *in)
{
	json_t *lbs = tf_get(in, "load_balancer"), *x;
	const char *cluster = tf_str(in, "cluster"), *td = tf_str(in, "task_definition");
	tf_arn home;
	size_t i;
	/* Each target group sends traffic to the service's tasks. */
	json_array_foreach(lbs, i, x) {
		const char *tg = tf_obj_str(x, "target_group_arn");
		if (tg)
			tf_edge(t, tf_ref(t, SF_KIND_TARGET_GROUP, tg), SF_EDGE_ROUTES_TO, in->node, in);
	}
	if (cluster && strncmp(cluster, "arn:", 4) == 0) {
		sf_node_id c = tf_ref(t, SF_KIND_COMPUTE, cluster);
		tf_edge(t, in->node, SF_EDGE_LOCATED_IN, c, in);
		if (!sf_graph_attr(t->g, in->node, "region"))
			tf_place(t, in->node, cluster, in, 1);
	}
	/* The tasks run what the task definition says: its roles and secrets
	 * are the service's. `family:revision` or `family` is resolved in the
	 * service's region. */
	if (td && strncmp(td, "arn:", 4) == 0) {
		tf_edge(t, in->node, SF_EDGE_SERVED_BY, tf_aws_ref(t, SF_KIND_COMPUTE, td, in), in);
	} else if (td && (tf_aws_home(in, &home) == 0 ||
	                  (cluster && tf_arn_parse(cluster, &home) == 0 && home.region[0]))) {
		char key[600];
		if ((size_t)snprintf(key, sizeof(key), "ecs-taskdef:%s/%s", home.region, td) < sizeof(key))
			tf_edge(t, in->node, SF_EDGE_SERVED_BY, tf_ref(t, SF_KIND_COMPUTE, key), in);
	}
}

static void taskdef_nodes(tf_ctx *t, tf_inst *in)
{
	const char *family = tf_str(in, "family"), *nr = tf_str(in, "arn_without_revision");
	char rev[32], key[600];
	tf_arn home;

	arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", family);
	if (nr && tf_alias(t, nr, in->node) < 0)
		t->oom = 1;
	if (!family || tf_aws_home(in, &home) < 0)
		return;
	if ((size_t)snprintf(key, sizeof(key), "ecs-taskdef:%s/%s", home.region, family) < sizeof(key) &&
	    tf_alias(t, key, in->node) < 0)
		t->oom = 1;
	if (tf_num(in, "revision", rev, sizeof(rev)) &&
	    (size_t)snprintf(key, sizeof(key), "ecs-taskdef:%s/%s:%s", home.region, family, rev) <
	        sizeof(key) &&
	    tf_alias(t, key, in->node) < 0)
		t->oom = 1;
}

/* A secret named in a container definition (`valueFrom`,
 * `credentialsParameter`): a Secrets Manager ARN (with an optional
 * `:json-key:version-stage:version-id` suffix, dropped), an SSM parameter
 * ARN, or a bare name, which ECS looks up in the task's own region: a
 * Secrets Manager secret of that name when the state has one, else an SSM
 * parameter. */
static sf_node_id secret_value_ref(tf_ctx *t, const tf_inst *in, const char *v, const tf_arn *home)
{
	char arn[2100];
	tf_arn a;
	size_t n;

	if (!v || (n = strlen(v)) == 0 || n > 2048)
		return SF_NODE_NONE;
	if (strncmp(v, "arn:", 4) == 0) {
		const char *res, *colon;
		if (tf_arn_parse(v, &a) < 0)
			return SF_NODE_NONE;
		if (strcmp(a.service, "secretsmanager") == 0) {
			/* arn:p:secretsmanager:r:a:secret:NAME-AbCdEf[:key:stage:id] */
			res = strstr(v, ":secret:");
			if (!res)
				return SF_NODE_NONE;
			colon = strchr(res + 8, ':');
			n = colon ? (size_t)(colon - v) : n;
			memcpy(arn, v, n);
			arn[n] = '\0';
			return tf_aws_ref(t, SF_KIND_SECRET, arn, in);
		}
		return tf_aws_ref(t, SF_KIND_SECRET, v, in);
	}
	if (!home)
		return SF_NODE_NONE;
	{
		char res[2100];
		snprintf(res, sizeof(res), "secret:%s", v);
		if (tf_aws_arn(arn, sizeof(arn), home, "secretsmanager", NULL, res) == 0 &&
		    tf_find(t, arn) != SF_NODE_NONE)
			return tf_aws_ref(t, SF_KIND_SECRET, arn, in);
		snprintf(res, sizeof(res), "parameter%s%s", v[0] == '/' ? "" : "/", v);
		if (tf_aws_arn(arn, sizeof(arn), home, "ssm", NULL, res) < 0)
			return SF_NODE_NONE;
	}
	return tf_aws_ref(t, SF_KIND_SECRET, arn, in);
}

/* ---- container images ---- */

/* "123456789012.dkr.ecr.us-east-1.amazonaws.com" (also ecr-fips, and
 * .amazonaws.com.cn in China): account, region and partition. */
static int ecr_host(const char *host, size_t len, char *acct, size_t acctsz, char *region,
                    size_t regionsz, const char **partition)
{
	const char *p = host, *end = host + len, *dot;
	size_t n = strspn(p, "0123456789");
	if (n != 12 || n >= acctsz || p[n] != '.')
		return -1;
	memcpy(acct, p, n);
	acct[n] = '\0';
	p += n + 1;
	if (strncmp(p, "dkr.ecr.", 8) == 0)
		p += 8;
	else if (strncmp(p, "dkr.ecr-fips.", 13) == 0)
		p += 13;
	else
		return -1;
	dot = memchr(p, '.', (size_t)(end - p));
	if (!dot || dot == p || (size_t)(dot - p) >= regionsz)
		return -1;
	for (const char *q = p; q < dot; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-'))
			return -1;
	memcpy(region, p, (size_t)(dot - p));
	region[dot - p] = '\0';
	if ((size_t)(end - dot) == 14 && strncmp(dot, ".amazonaws.com", 14) == 0)
		*partition = "aws";
	else if ((size_t)(end - dot) == 17 && strncmp(dot, ".amazonaws.com.cn", 17) == 0)
		*partition = "aws-cn";
	else
		return -1;
	return 0;
}

/* A container image from a regional registry: ECR's
 * ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO[:TAG|@DIGEST]. A task or
 * function cannot start when its image cannot be pulled, so the
 * repository is a data-plane dependency located in the registry's region,
 * wherever the task runs. Other registries (Docker Hub, public.ecr.aws)
 * are not regional and not modelled. The node's key is the repository
 * URL, which an aws_ecr_repository of any state answers to. */
static sf_node_id image_ref(tf_ctx *t, const char *image, const tf_inst *in)
{
	char acct[16], region[64], key[700], arn[800];
	const char *partition, *slash, *repo_end, *at, *colon;
	sf_node_id id;
	size_t hl, rl;

	if (!image || strlen(image) > 512 || !(slash = strchr(image, '/')))
		return SF_NODE_NONE;
	hl = (size_t)(slash - image);
	if (ecr_host(image, hl, acct, sizeof(acct), region, sizeof(region), &partition) < 0)
		return SF_NODE_NONE;
	at = strchr(slash, '@');
	repo_end = at ? at : slash + strlen(slash);
	colon = memchr(slash, ':', (size_t)(repo_end - slash));
	if (colon && !memchr(colon, '/', (size_t)(repo_end - colon)))
		repo_end = colon;       /* a tag */
	rl = (size_t)(repo_end - slash - 1);
	if (rl == 0 ||
	    (size_t)snprintf(key, sizeof(key), "image:%.*s/%.*s", (int)hl, image, (int)rl, slash + 1) >=
	    sizeof(key) ||
	    (size_t)snprintf(arn, sizeof(arn), "arn:%s:ecr:%s:%s:repository/%.*s", partition, region,
	                     acct, (int)rl, slash + 1) >= sizeof(arn))
		return SF_NODE_NONE;
	for (char *q = key; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	id = tf_ref(t, SF_KIND_RESOURCE, key);
	if (id != SF_NODE_NONE && !sf_graph_node_at(t->g, id)->path) {
		tf_place(t, id, arn, in, 1);
		tf_attr(t, id, "resource_type", "container_image_repository");
	}
	return id;
}

static void ecr_repository_nodes(tf_ctx *t, tf_inst *in)
{
	const char *url = tf_str(in, "repository_url");
	char key[700];
	arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	if (url && strlen(url) < 600) {
		snprintf(key, sizeof(key), "image:%s", url);
		for (char *q = key; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		if (tf_alias(t, key, in->node) < 0)
			t->oom = 1;
	}
}

/* `container_definitions` is a JSON string. Only the references to
 * secrets and the images are taken from it; environment values, commands
 * and labels (where secrets do end up) are never read. */
static void container_edges(tf_ctx *t, tf_inst *in, const tf_arn *home)
{
	json_t *defs = tf_aws_json_attr(t, in, "container_definitions"), *c;
	size_t i;

	if (!defs)
		return;
	if (!json_is_array(defs)) {
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s: container_definitions is not a list of containers; not analysed",
		             in->address);
		json_decref(defs);
		return;
	}
	json_array_foreach(defs, i, c) {
		json_t *secrets = json_object_get(c, "secrets"), *s;
		json_t *creds = json_object_get(c, "repositoryCredentials");
		size_t k;
		if (!json_is_object(c))
			continue;
		json_array_foreach(secrets, k, s)
			tf_edge(t, in->node, SF_EDGE_READS_SECRET,
			        secret_value_ref(t, in, tf_obj_str(s, "valueFrom"), home), in);
		tf_edge(t, in->node, SF_EDGE_READS_SECRET,
		        secret_value_ref(t, in, tf_obj_str(creds, "credentialsParameter"), home), in);
		tf_edge(t, in->node, SF_EDGE_STORED_IN, image_ref(t, tf_obj_str(c, "image"), in), in);
	}
	json_decref(defs);
}

/* The task role is what the application runs as; the execution role is
 * what ECS uses to pull the image and fetch the secrets. */
static void taskdef_edges(tf_ctx *t, tf_inst *in)
{
	tf_arn home;
	int have_home = tf_aws_home(in, &home) == 0;
	tf_edge(t, in->node, SF_EDGE_ASSUMES,
	        tf_aws_ref(t, SF_KIND_PRINCIPAL, tf_str(in, "task_role_arn"), in), in);
	tf_edge(t, in->node, SF_EDGE_ASSUMES,
	        tf_aws_ref(t, SF_KIND_PRINCIPAL, tf_str(in, "execution_role_arn"), in), in);
	container_edges(t, in, have_home ? &home : NULL);
}

static void lambda_nodes(tf_ctx *t, tf_inst *in)
{
	const char *q = tf_str(in, "qualified_arn");
	arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", tf_str(in, "function_name"));
	if (q && tf_alias(t, q, in->node) < 0)
		t->oom = 1;
}

/* A function runs as its role; its environment is encrypted with
 * `kms_key_arn`, or the AWS managed aws/lambda key of its region. */
static void lambda_edges(tf_ctx *t, tf_inst *in)
{
	tf_arn home;
	tf_edge(t, in->node, SF_EDGE_ASSUMES,
	        tf_aws_ref(t, SF_KIND_PRINCIPAL, tf_str(in, "role"), in), in);
	tf_edge(t, in->node, SF_EDGE_STORED_IN, image_ref(t, tf_str(in, "image_uri"), in), in);
	if (tf_aws_home(in, &home) == 0 &&
	    (tf_str(in, "kms_key_arn") || tf_path_count(in, "environment.0.variables") > 0))
		tf_edge(t, in->node, SF_EDGE_ENCRYPTED_BY,
		        tf_aws_kms_ref(t, tf_str(in, "kms_key_arn"), &home, NULL, "aws/lambda", in), in);
}

static void eks_cluster_nodes(tf_ctx *t, tf_inst *in)
{
	const char *name = tf_str(in, "name");
	const char *issuer = tf_path_str(in, "identity.0.oidc.0.issuer");
	char key[1100];
	tf_arn home;

	arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", name);
	if (name && tf_aws_home(in, &home) == 0 &&
	    (size_t)snprintf(key, sizeof(key), "eks-cluster:%s/%s", home.region, name) < sizeof(key) &&
	    tf_alias(t, key, in->node) < 0)
		t->oom = 1;
	/* The cluster's OIDC issuer: what IRSA roles federate with. */
	if (issuer && tf_aws_idp_key(issuer, key, sizeof(key)) == 0) {
		tf_attr(t, in->node, "issuer", key + 4);
		tf_aws_idp(t, issuer, in);
	}
}

static void eks_cluster_edges(tf_ctx *t, tf_inst *in)
{
	tf_edge(t, in->node, SF_EDGE_ASSUMES,
	        tf_aws_ref(t, SF_KIND_PRINCIPAL, tf_str(in, "role_arn"), in), in);
}

static void eks_node_group_edges(tf_ctx *t, tf_inst *in)
{
	const char *cluster = tf_str(in, "cluster_name");
	char key[400];
	tf_arn home;
	tf_edge(t, in->node, SF_EDGE_ASSUMES,
	        tf_aws_ref(t, SF_KIND_PRINCIPAL, tf_str(in, "node_role_arn"), in), in);
	if (cluster && tf_aws_home(in, &home) == 0 &&
	    (size_t)snprintf(key, sizeof(key), "eks-cluster:%s/%s", home.region, cluster) < sizeof(key))
		tf_edge(t, in->node, SF_EDGE_LOCATED_IN, tf_ref(t, SF_KIND_COMPUTE, key), in);
}

/* An instance runs as the role of its instance profile (by name). */
static void instance_edges(tf_ctx *t, tf_inst *in)
{
	const char *prof = tf_str(in, "iam_instance_profile");
	char key[400];
	if (prof && (size_t)snprintf(key, sizeof(key), "iam-instance-profile:%s", prof) < sizeof(key))
		tf_edge(t, in->node, SF_EDGE_ASSUMES, tf_ref(t, SF_KIND_PRINCIPAL, key), in);
}

/* CloudFront answers for its domain name like a load balancer does. */
static void cloudfront_nodes(tf_ctx *t, tf_inst *in)
{
	arn_alias(t, in, 0);
	tf_attr(t, in->node, "domain_name", tf_str(in, "domain_name"));
	tf_edge(t, tf_dns_node(t, tf_str(in, "domain_name")), SF_EDGE_RESOLVES_TO, in->node, in);
}

sf_node_id tf_aws_public_ca(tf_ctx *t)
{
	sf_node_id ca = sf_graph_node(t->g, SF_KIND_CERTIFICATE_AUTHORITY, "ca:amazon",
	                              "Amazon Trust Services (public CA)", NULL);
	if (ca == SF_NODE_NONE)
		t->oom = 1;
	else
		tf_attr(t, ca, "type", "public");
	return ca;
}

/* The certificate viewers get: an ACM certificate (in us-east-1), or
 * CloudFront's own *.cloudfront.net one, which covers no alias. */
static void cloudfront_edges(tf_ctx *t, tf_inst *in)
{
	const char *acm = tf_path_str(in, "viewer_certificate.0.acm_certificate_arn");
	if (acm) {
		tf_edge(t, in->node, SF_EDGE_TERMINATES_TLS_WITH,
		        tf_aws_ref(t, SF_KIND_CERTIFICATE, acm, in), in);
	} else if (tf_path_bool(in, "viewer_certificate.0.cloudfront_default_certificate") == 1) {
		sf_node_id c = sf_graph_node(t->g, SF_KIND_CERTIFICATE, "certificate:cloudfront-default",
		                             "CloudFront default certificate", NULL);
		tf_attr(t, c, "domain_name", "*.cloudfront.net");
		tf_edge(t, c, SF_EDGE_ADMINISTERED_BY, tf_aws_public_ca(t), in);
		tf_edge(t, in->node, SF_EDGE_TERMINATES_TLS_WITH, c, in);
	}
}

/* Resources with nothing to add but their ARN's region and account. */
static void generic_nodes(tf_ctx *t, tf_inst *in)
{
	arn_alias(t, in, 1);
}

const tf_type tf_aws_types[] = {
	{ "aws_alb", SF_KIND_LOAD_BALANCER, lb_nodes, NULL },
	{ "aws_alb_listener", SF_KIND_LISTENER, listener_nodes, listener_edges },
	{ "aws_alb_listener_certificate", SF_KIND_RESOURCE, NULL, listener_cert_edges },
	{ "aws_alb_listener_rule", SF_KIND_LISTENER, generic_nodes, listener_rule_edges },
	{ "aws_alb_target_group", SF_KIND_TARGET_GROUP, tg_nodes, NULL },
	{ "aws_alb_target_group_attachment", SF_KIND_ENDPOINT, NULL, tg_attachment_edges },
	{ "aws_cloudfront_distribution", SF_KIND_LOAD_BALANCER, cloudfront_nodes, cloudfront_edges },
	{ "aws_ecr_repository", SF_KIND_RESOURCE, ecr_repository_nodes, NULL },
	{ "aws_ecs_cluster", SF_KIND_COMPUTE, ecs_cluster_nodes, NULL },
	{ "aws_ecs_service", SF_KIND_COMPUTE, ecs_service_nodes, ecs_service_edges },
	{ "aws_ecs_task_definition", SF_KIND_COMPUTE, taskdef_nodes, taskdef_edges },
	{ "aws_eip", SF_KIND_ENDPOINT, eip_nodes, NULL },
	{ "aws_eks_cluster", SF_KIND_COMPUTE, eks_cluster_nodes, eks_cluster_edges },
	{ "aws_eks_node_group", SF_KIND_COMPUTE, generic_nodes, eks_node_group_edges },
	{ "aws_instance", SF_KIND_COMPUTE, instance_nodes, instance_edges },
	{ "aws_lambda_function", SF_KIND_COMPUTE, lambda_nodes, lambda_edges },
	{ "aws_lb", SF_KIND_LOAD_BALANCER, lb_nodes, NULL },
	{ "aws_lb_listener", SF_KIND_LISTENER, listener_nodes, listener_edges },
	{ "aws_lb_listener_certificate", SF_KIND_RESOURCE, NULL, listener_cert_edges },
	{ "aws_lb_listener_rule", SF_KIND_LISTENER, generic_nodes, listener_rule_edges },
	{ "aws_lb_target_group", SF_KIND_TARGET_GROUP, tg_nodes, NULL },
	{ "aws_lb_target_group_attachment", SF_KIND_ENDPOINT, NULL, tg_attachment_edges },
	{ "aws_route53_health_check", SF_KIND_HEALTH_CHECK, health_check_nodes, NULL },
	{ "aws_route53_record", SF_KIND_DNS_NAME, record_nodes, record_edges },
	{ "aws_route53_zone", SF_KIND_DNS_ZONE, zone_nodes, NULL },
	{ NULL, SF_KIND_RESOURCE, NULL, NULL },
};
