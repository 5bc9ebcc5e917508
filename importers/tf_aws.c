/* The meaning of AWS resource types in Terraform state.
 *
 * Each type registers its node in a first pass (aliases by ARN or ID, the
 * few non-secret attributes it has) and makes its edges in a second, when
 * every node of the file exists. References by ARN or ID that the file
 * does not define become placeholder nodes keyed by that ARN/ID, which the
 * link phase merges with the resource of another input that defines it. */
#include "tfstate.h"

#include <string.h>

#define ID_KEY(buf, prefix, id) snprintf(buf, sizeof(buf), "%s%s", prefix, id)

/* Every resource that has an ARN: alias it, and place it. */
static void arn_alias(tf_ctx *t, tf_inst *in, int with_region)
{
	const char *arn = tf_str(in, "arn");
	if (!arn) {
		const char *id = tf_str(in, "id");
		if (id && strncmp(id, "arn:", 4) == 0)
			arn = id;
	}
	if (!arn)
		return;
	if (sf_graph_alias(t->g, arn, in->node) < 0)
		t->oom = 1;
	tf_attr(t, in->node, "arn", arn);
	tf_place(t, in->node, arn, in, with_region);
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
		if (sf_graph_alias(t->g, key, in->node) < 0)
			t->oom = 1;
		tf_attr(t, in->node, "id", zid);
	}
	if (name && tf_dns_key(name, key, sizeof(key)) == 0)
		tf_attr(t, in->node, "name", key + 4);
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
		if (sf_graph_alias(t->g, key, in->node) < 0)
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
		z = sf_graph_find(t->g, zkey);
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
		sf_failover_member m;
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
		memset(&m, 0, sizeof(m));
		snprintf(group, sizeof(group), "route53:%s/%s", name, type);
		m.group = group;
		m.source = "aws_route53_record";
		m.name = name;
		m.role = role;
		m.record = in->node;
		m.root = root;
		m.prov.path = t->ctx->path;
		m.prov.line = in->line;
		if (sf_failover_add(t->ctx->failover, t->g, &m) < 0)
			t->oom = 1;
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

/* Target groups of a forward action: `target_group_arn`, or the weighted
 * `forward { target_group { arn } }` form. */
static void forward_edges(tf_ctx *t, tf_inst *in, json_t *action)
{
	const char *tg = tf_obj_str(action, "target_group_arn");
	json_t *fwd = json_object_get(action, "forward"), *tgs, *x;
	size_t i;
	if (tg)
		tf_edge(t, in->node, SF_EDGE_ROUTES_TO, tf_ref(t, SF_KIND_TARGET_GROUP, tg), in);
	if (json_is_array(fwd))
		fwd = json_array_get(fwd, 0);
	tgs = json_object_get(fwd, "target_group");
	json_array_foreach(tgs, i, x) {
		const char *arn = tf_obj_str(x, "arn");
		if (arn)
			tf_edge(t, in->node, SF_EDGE_ROUTES_TO, tf_ref(t, SF_KIND_TARGET_GROUP, arn), in);
	}
}

static void listener_edges(tf_ctx *t, tf_inst *in)
{
	const char *lb = tf_str(in, "load_balancer_arn");
	json_t *actions = tf_get(in, "default_action"), *a;
	size_t i;
	/* The load balancer serves through its listeners. */
	if (lb)
		tf_edge(t, tf_ref(t, SF_KIND_LOAD_BALANCER, lb), SF_EDGE_ROUTES_TO, in->node, in);
	json_array_foreach(actions, i, a)
		forward_edges(t, in, a);
}

static void listener_rule_edges(tf_ctx *t, tf_inst *in)
{
	const char *l = tf_str(in, "listener_arn");
	json_t *actions = tf_get(in, "action"), *a;
	size_t i;
	if (l)
		tf_edge(t, tf_ref(t, SF_KIND_LISTENER, l), SF_EDGE_ROUTES_TO, in->node, in);
	json_array_foreach(actions, i, a)
		forward_edges(t, in, a);
}

static void tg_nodes(tf_ctx *t, tf_inst *in)
{
	char buf[32];
	arn_alias(t, in, 1);
	/* Any healthy target serves. */
	sf_graph_set_gate(t->g, in->node, SF_GATE_ANY);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	tf_attr(t, in->node, "port", tf_num(in, "port", buf, sizeof(buf)));
	tf_attr(t, in->node, "protocol", tf_str(in, "protocol"));
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

	if (arn && sf_graph_alias(t->g, arn, in->node) < 0)
		t->oom = 1;
	if (id) {
		snprintf(key, sizeof(key), "ec2-instance:%s", id);
		if (sf_graph_alias(t->g, key, in->node) < 0)
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
	const char *cluster = tf_str(in, "cluster");
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
}

/* CloudFront answers for its domain name like a load balancer does. */
static void cloudfront_nodes(tf_ctx *t, tf_inst *in)
{
	arn_alias(t, in, 0);
	tf_attr(t, in->node, "domain_name", tf_str(in, "domain_name"));
	tf_edge(t, tf_dns_node(t, tf_str(in, "domain_name")), SF_EDGE_RESOLVES_TO, in->node, in);
}

/* Resources with nothing to add but their ARN's region and account. */
static void generic_nodes(tf_ctx *t, tf_inst *in)
{
	arn_alias(t, in, 1);
}

const tf_type tf_aws_types[] = {
	{ "aws_alb", SF_KIND_LOAD_BALANCER, lb_nodes, NULL },
	{ "aws_alb_listener", SF_KIND_LISTENER, listener_nodes, listener_edges },
	{ "aws_alb_listener_rule", SF_KIND_LISTENER, generic_nodes, listener_rule_edges },
	{ "aws_alb_target_group", SF_KIND_TARGET_GROUP, tg_nodes, NULL },
	{ "aws_alb_target_group_attachment", SF_KIND_ENDPOINT, NULL, tg_attachment_edges },
	{ "aws_cloudfront_distribution", SF_KIND_LOAD_BALANCER, cloudfront_nodes, NULL },
	{ "aws_ecs_cluster", SF_KIND_COMPUTE, ecs_cluster_nodes, NULL },
	{ "aws_ecs_service", SF_KIND_COMPUTE, ecs_service_nodes, ecs_service_edges },
	{ "aws_eip", SF_KIND_ENDPOINT, eip_nodes, NULL },
	{ "aws_instance", SF_KIND_COMPUTE, instance_nodes, NULL },
	{ "aws_lb", SF_KIND_LOAD_BALANCER, lb_nodes, NULL },
	{ "aws_lb_listener", SF_KIND_LISTENER, listener_nodes, listener_edges },
	{ "aws_lb_listener_rule", SF_KIND_LISTENER, generic_nodes, listener_rule_edges },
	{ "aws_lb_target_group", SF_KIND_TARGET_GROUP, tg_nodes, NULL },
	{ "aws_lb_target_group_attachment", SF_KIND_ENDPOINT, NULL, tg_attachment_edges },
	{ "aws_route53_health_check", SF_KIND_HEALTH_CHECK, health_check_nodes, NULL },
	{ "aws_route53_record", SF_KIND_DNS_NAME, record_nodes, record_edges },
	{ "aws_route53_zone", SF_KIND_DNS_ZONE, zone_nodes, NULL },
	{ NULL, SF_KIND_RESOURCE, NULL, NULL },
};
