/* The meaning of Cloudflare resource types in Terraform state, for the
 * provider's v4 and v5 attribute names.
 *
 * A load balancer fails over between pools: with steering "off" (the
 * default) traffic goes to the first healthy pool of `default_pool_ids`
 * (v4) / `default_pools` (v5), then the next, and to the fallback pool
 * (`fallback_pool_id` / `fallback_pool`) when none is healthy. Each pool
 * is a side of the pair: the primary is the first default pool, the
 * standbys follow in order. With any other steering policy the default
 * pools serve together, so the primary is all of them (an ANY node) and
 * the fallback pool is the standby. A pool is served by any of its
 * enabled origins; its monitor is its health check. */
#include "tfstate.h"

#include <ctype.h>
#include <string.h>

#include "tf_aws.h"
#include "tf_path.h"

#define MAX_POOLS 64

static int idkey(char *out, size_t outsz, const char *prefix, const char *id)
{
	if (!id || strlen(id) > 200)
		return -1;
	snprintf(out, outsz, "%s%s", prefix, id);
	return 0;
}

static void alias_id(tf_ctx *t, tf_inst *in, const char *prefix)
{
	char key[260];
	const char *id = tf_str(in, "id");
	if (idkey(key, sizeof(key), prefix, id) == 0 && tf_alias(t, key, in->node) < 0)
		t->oom = 1;
	tf_attr(t, in->node, "id", id);
}

static sf_node_id ref_id(tf_ctx *t, sf_kind kind, const char *prefix, const char *id)
{
	char key[260];
	return idkey(key, sizeof(key), prefix, id) == 0 ? tf_ref(t, kind, key) : SF_NODE_NONE;
}

static void zone_nodes(tf_ctx *t, tf_inst *in)
{
	const char *name = tf_str(in, "name");
	char key[300];
	sf_node_id prov;
	if (!name)
		name = tf_str(in, "zone");      /* v4 */
	alias_id(t, in, "cloudflare-zone:");
	if (name && tf_dns_key(name, key, sizeof(key)) == 0)
		tf_attr(t, in->node, "name", key + 4);
	prov = sf_graph_node(t->g, SF_KIND_DNS_PROVIDER, "dnsprovider:cloudflare", "Cloudflare", NULL);
	tf_edge(t, in->node, SF_EDGE_SERVED_BY, prov, in);
}

static void monitor_nodes(tf_ctx *t, tf_inst *in)
{
	const char *type = tf_str(in, "type");
	char up[32], buf[32];
	size_t i;
	alias_id(t, in, "cloudflare-monitor:");
	if (type && strlen(type) < sizeof(up)) {
		for (i = 0; type[i]; i++)
			up[i] = (char)toupper((unsigned char)type[i]);
		up[i] = '\0';
		tf_attr(t, in->node, "health_check_type", up);
	}
	tf_attr(t, in->node, "port", tf_num(in, "port", buf, sizeof(buf)));
	tf_attr(t, in->node, "resource_path", tf_str(in, "path"));
}

static void pool_nodes(tf_ctx *t, tf_inst *in)
{
	alias_id(t, in, "cloudflare-pool:");
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	/* Any healthy origin serves. */
	sf_graph_set_gate(t->g, in->node, SF_GATE_ANY);
}

static sf_node_id origin_node(tf_ctx *t, const char *address)
{
	sf_node_id n;
	if (!address)
		return SF_NODE_NONE;
	n = tf_ip_node(t, address);
	return n != SF_NODE_NONE ? n : tf_dns_node(t, address);
}

static void pool_edges(tf_ctx *t, tf_inst *in)
{
	size_t n = tf_path_count(in, "origins");
	for (size_t i = 0; i < n && i < 1000; i++) {
		if (tf_path_bool(in, "origins.%zu.enabled", i) == 0)
			continue;       /* a disabled origin serves nothing */
		tf_edge(t, in->node, SF_EDGE_ROUTES_TO,
		        origin_node(t, tf_path_str(in, "origins.%zu.address", i)), in);
	}
	tf_edge(t, in->node, SF_EDGE_CHECKED_BY,
	        ref_id(t, SF_KIND_HEALTH_CHECK, "cloudflare-monitor:", tf_str(in, "monitor")), in);
}

/* Pool ids of the load balancer: v4 and v5 names. */
static size_t default_pools(tf_ctx *t, const tf_inst *in, const char **out)
{
	json_t *v = tf_get(in, "default_pools"), *x;
	size_t i, n = 0;
	if (!json_is_array(v))
		v = tf_get(in, "default_pool_ids");
	json_array_foreach(v, i, x) {
		const char *id = json_is_string(x) ? json_string_value(x) : NULL;
		int dup = 0;
		if (!id || !id[0])
			continue;
		if (n == MAX_POOLS) {
			sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
			             "%s has more than %d default pools; the rest are not analysed",
			             in->address, MAX_POOLS);
			break;
		}
		for (size_t k = 0; k < n; k++)
			dup |= strcmp(out[k], id) == 0;
		if (!dup)
			out[n++] = id;
	}
	return n;
}

static void lb_nodes(tf_ctx *t, tf_inst *in)
{
	const char *name = tf_str(in, "name");
	char key[300];
	alias_id(t, in, "cloudflare-lb:");
	/* Any pool that is up serves the name. */
	sf_graph_set_gate(t->g, in->node, SF_GATE_ANY);
	if (name && tf_dns_key(name, key, sizeof(key)) == 0) {
		tf_attr(t, in->node, "name", key + 4);
		tf_edge(t, tf_dns_node(t, name), SF_EDGE_RESOLVES_TO, in->node, in);
	}
	tf_attr(t, in->node, "routing_policy", tf_str(in, "steering_policy"));
}

static int add_member(tf_ctx *t, tf_inst *in, const char *group, const char *name, int role,
                      sf_node_id root)
{
	if (root == SF_NODE_NONE)
		return 0;
	/* No record of its own: checks that look at a member's record (its
	 * monitor, SF201/SF202) look at the pool. */
	return tf_member(t, in, group, "cloudflare_load_balancer", name, role, SF_NODE_NONE, root, 0);
}

/* The default pools serving together: one ANY node over them, checked by
 * their monitors. */
static sf_node_id pools_together(tf_ctx *t, tf_inst *in, const char **ids, size_t n)
{
	sf_node_id all = tf_part_node(t, SF_KIND_TARGET_GROUP, in, "/default_pools", 600);
	if (all == SF_NODE_NONE)
		return all;
	sf_graph_set_gate(t->g, all, SF_GATE_ANY);
	for (size_t i = 0; i < n; i++) {
		sf_node_id pool = ref_id(t, SF_KIND_TARGET_GROUP, "cloudflare-pool:", ids[i]);
		tf_inst *pi = tf_aws_inst_of(t, pool);
		tf_edge(t, all, SF_EDGE_ROUTES_TO, pool, in);
		if (pi)
			tf_edge(t, all, SF_EDGE_CHECKED_BY,
			        ref_id(t, SF_KIND_HEALTH_CHECK, "cloudflare-monitor:", tf_str(pi, "monitor")),
			        in);
	}
	return all;
}

static void lb_edges(tf_ctx *t, tf_inst *in)
{
	const char *ids[MAX_POOLS];
	const char *fallback = tf_str(in, "fallback_pool"), *steering = tf_str(in, "steering_policy");
	const char *name = sf_graph_attr(t->g, in->node, "name");
	size_t n = default_pools(t, in, ids);
	char group[400];
	int role = 0, in_defaults = 0;

	if (!fallback)
		fallback = tf_str(in, "fallback_pool_id");
	tf_edge(t, in->node, SF_EDGE_SERVED_BY,
	        ref_id(t, SF_KIND_DNS_ZONE, "cloudflare-zone:", tf_str(in, "zone_id")), in);
	for (size_t i = 0; i < n; i++)
		tf_edge(t, in->node, SF_EDGE_ROUTES_TO,
		        ref_id(t, SF_KIND_TARGET_GROUP, "cloudflare-pool:", ids[i]), in);
	tf_edge(t, in->node, SF_EDGE_ROUTES_TO,
	        ref_id(t, SF_KIND_TARGET_GROUP, "cloudflare-pool:", fallback), in);
	if (!name) {
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s has no usable name; its pools are not analysed as a failover pair",
		             in->address);
		return;
	}
	snprintf(group, sizeof(group), "cloudflare:%s", name);
	for (size_t i = 0; fallback && i < n; i++)
		in_defaults |= strcmp(ids[i], fallback) == 0;
	if (steering && steering[0] && strcmp(steering, "off") != 0 && n > 1) {
		if (add_member(t, in, group, name, role++, pools_together(t, in, ids, n)) < 0)
			return;
	} else {
		for (size_t i = 0; i < n; i++)
			if (add_member(t, in, group, name, role++,
			               ref_id(t, SF_KIND_TARGET_GROUP, "cloudflare-pool:", ids[i])) < 0)
				return;
	}
	if (fallback && !in_defaults)
		add_member(t, in, group, name, role,
		           ref_id(t, SF_KIND_TARGET_GROUP, "cloudflare-pool:", fallback));
}

/* DNS records (v4 cloudflare_record, v5 cloudflare_dns_record): the name
 * resolves to its value. */
static void record_edges(tf_ctx *t, tf_inst *in)
{
	const char *name = tf_str(in, "hostname"), *type = tf_str(in, "type");
	const char *value = tf_str(in, "content");
	sf_node_id dn, vn = SF_NODE_NONE;
	if (!name)
		name = tf_str(in, "name");
	if (!value)
		value = tf_str(in, "value");
	if (!name || !type)
		return;
	tf_attr(t, in->node, "type", type);
	dn = tf_dns_node(t, name);
	if (dn == SF_NODE_NONE)
		return;
	tf_attr(t, in->node, "name", sf_graph_key(t->g, dn) + 4);
	tf_edge(t, dn, SF_EDGE_RESOLVES_TO, in->node, in);
	sf_graph_set_gate(t->g, dn, SF_GATE_ANY);
	if (strcmp(type, "A") == 0 || strcmp(type, "AAAA") == 0)
		vn = tf_ip_node(t, value);
	else if (strcmp(type, "CNAME") == 0)
		vn = tf_dns_node(t, value);
	tf_edge(t, in->node, SF_EDGE_RESOLVES_TO, vn, in);
	tf_edge(t, in->node, SF_EDGE_SERVED_BY,
	        ref_id(t, SF_KIND_DNS_ZONE, "cloudflare-zone:", tf_str(in, "zone_id")), in);
}

const tf_type tf_cloudflare_types[] = {
	{ "cloudflare_dns_record", SF_KIND_DNS_NAME, NULL, record_edges },
	{ "cloudflare_load_balancer", SF_KIND_LOAD_BALANCER, lb_nodes, lb_edges },
	{ "cloudflare_load_balancer_monitor", SF_KIND_HEALTH_CHECK, monitor_nodes, NULL },
	{ "cloudflare_load_balancer_pool", SF_KIND_TARGET_GROUP, pool_nodes, pool_edges },
	{ "cloudflare_record", SF_KIND_DNS_NAME, NULL, record_edges },
	{ "cloudflare_zone", SF_KIND_DNS_ZONE, zone_nodes, NULL },
	{ NULL, SF_KIND_RESOURCE, NULL, NULL },
};
