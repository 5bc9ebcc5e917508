/* The meaning of Google Cloud resource types in Terraform state.
 *
 * Failover: a Cloud DNS record set whose `routing_policy` has a
 * `primary_backup` block answers with its primary targets (internal load
 * balancers, or external endpoints) while they are healthy, and with the
 * `backup_geo` targets nearest the client otherwise. The primary is role
 * 0; each backup location is a standby in the order written. Targets of a
 * load balancer are judged by the balancer's own health checks (its
 * backend service's), external endpoints by the policy's `health_check`.
 *
 * Compute objects are known by their self links and ids, both written as
 * `gcp:projects/<p>/...`; they lie in the region or zone of the link and
 * belong to the project (account:gcp/<project>). */
#include "tfstate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/buf.h"
#include "tf_aws.h"
#include "tf_path.h"

#define MAX_TARGETS 64

/* `gcp:projects/...` from a self link, a partial URL or an id. */
static int gcp_key(const char *link, char *out, size_t outsz)
{
	static const char *const prefixes[] = {
		"https://www.googleapis.com/compute/v1/", "https://www.googleapis.com/compute/beta/",
		"https://compute.googleapis.com/compute/v1/", "https://compute.googleapis.com/compute/beta/",
		"//compute.googleapis.com/", "/",
	};
	const char *p = link;
	if (!link)
		return -1;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(p, prefixes[i], strlen(prefixes[i])) == 0) {
			p += strlen(prefixes[i]);
			break;
		}
	if (strncmp(p, "projects/", 9) != 0 || strlen(p) + 5 > outsz)
		return -1;
	snprintf(out, outsz, "gcp:%s", p);
	return 0;
}

static sf_node_id gcp_ref(tf_ctx *t, sf_kind kind, const char *link)
{
	char key[1100];
	return gcp_key(link, key, sizeof(key)) == 0 ? tf_ref(t, kind, key) : SF_NODE_NONE;
}

/* The segment after `/<what>/` in a key, into out. */
static int segment(const char *key, const char *what, char *out, size_t outsz)
{
	char pat[32];
	const char *p;
	size_t n;
	snprintf(pat, sizeof(pat), "/%s/", what);
	p = strstr(key, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	n = strcspn(p, "/");
	if (n == 0 || n >= outsz)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return strspn(out, "abcdefghijklmnopqrstuvwxyz0123456789-") == n ? 0 : -1;
}

static void gcp_alias(tf_ctx *t, tf_inst *in, const char *attr)
{
	char key[1100];
	if (gcp_key(tf_str(in, attr), key, sizeof(key)) == 0 && tf_alias(t, key, in->node) < 0)
		t->oom = 1;
}

/* Known by self link and id; placed in its zone (and so region) or region,
 * and its project. Nodes with an ANY gate get the attributes only: an edge
 * to the region would count as one more alternative. */
static void gcp_place(tf_ctx *t, tf_inst *in)
{
	int edges = sf_graph_node_at(t->g, in->node)->gate != SF_GATE_ANY;
	char key[1100], loc[64], proj[64], rkey[128];
	const char *link = tf_str(in, "self_link");
	sf_node_id r = SF_NODE_NONE;

	gcp_alias(t, in, "self_link");
	gcp_alias(t, in, "id");
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	if (gcp_key(link ? link : tf_str(in, "id"), key, sizeof(key)) < 0)
		return;
	if (segment(key, "zones", loc, sizeof(loc)) == 0) {
		/* us-central1-a lies in us-central1 */
		char region[64], *dash;
		sf_node_id z;
		snprintf(region, sizeof(region), "%s", loc);
		dash = strrchr(region, '-');
		if (dash)
			*dash = '\0';
		snprintf(rkey, sizeof(rkey), "az:gcp/%s", loc);
		z = sf_graph_node(t->g, SF_KIND_AVAILABILITY_ZONE, rkey, loc, NULL);
		snprintf(rkey, sizeof(rkey), "region:gcp/%s", region);
		r = sf_graph_node(t->g, SF_KIND_REGION, rkey, region, NULL);
		if (edges)
			tf_edge(t, in->node, SF_EDGE_LOCATED_IN, z, in);
		tf_edge(t, z, SF_EDGE_LOCATED_IN, r, in);
		tf_attr(t, in->node, "region", region);
	} else if (segment(key, "regions", loc, sizeof(loc)) == 0) {
		snprintf(rkey, sizeof(rkey), "region:gcp/%s", loc);
		r = sf_graph_node(t->g, SF_KIND_REGION, rkey, loc, NULL);
		if (edges)
			tf_edge(t, in->node, SF_EDGE_LOCATED_IN, r, in);
		tf_attr(t, in->node, "region", loc);
	}
	if (segment(key, "projects", proj, sizeof(proj)) == 0) {
		snprintf(rkey, sizeof(rkey), "account:gcp/%s", proj);
		if (edges)
			tf_edge(t, in->node, SF_EDGE_MEMBER_OF,
			        sf_graph_node(t->g, SF_KIND_ACCOUNT, rkey, proj, NULL), in);
		tf_attr(t, in->node, "account", proj);
	}
}

static void forwarding_rule_nodes(tf_ctx *t, tf_inst *in)
{
	gcp_place(t, in);
	tf_attr(t, in->node, "ip", tf_str(in, "ip_address"));
	tf_attr(t, in->node, "scheme", tf_str(in, "load_balancing_scheme"));
	tf_edge(t, tf_ip_node(t, tf_str(in, "ip_address")), SF_EDGE_RESOLVES_TO, in->node, in);
}

static void forwarding_rule_edges(tf_ctx *t, tf_inst *in)
{
	tf_edge(t, in->node, SF_EDGE_ROUTES_TO,
	        gcp_ref(t, SF_KIND_TARGET_GROUP, tf_str(in, "backend_service")), in);
	tf_edge(t, in->node, SF_EDGE_ROUTES_TO, gcp_ref(t, SF_KIND_RESOURCE, tf_str(in, "target")), in);
}

static void backend_service_nodes(tf_ctx *t, tf_inst *in)
{
	/* Any healthy backend serves. */
	sf_graph_set_gate(t->g, in->node, SF_GATE_ANY);
	gcp_place(t, in);
}

static void backend_service_edges(tf_ctx *t, tf_inst *in)
{
	json_t *hcs = tf_get(in, "health_checks"), *x;
	size_t i, n = tf_path_count(in, "backend");
	json_array_foreach(hcs, i, x)
		if (json_is_string(x))
			tf_edge(t, in->node, SF_EDGE_CHECKED_BY,
			        gcp_ref(t, SF_KIND_HEALTH_CHECK, json_string_value(x)), in);
	for (i = 0; i < n && i < 1000; i++)
		tf_edge(t, in->node, SF_EDGE_ROUTES_TO,
		        gcp_ref(t, SF_KIND_COMPUTE, tf_path_str(in, "backend.%zu.group", i)), in);
}

/* What a health check tests: its `type`, or the protocol block it has. */
static void health_check_nodes(tf_ctx *t, tf_inst *in)
{
	static const char *const blocks[][2] = {
		{ "tcp_health_check", "TCP" }, { "ssl_health_check", "SSL" },
		{ "http_health_check", "HTTP" }, { "https_health_check", "HTTPS" },
		{ "http2_health_check", "HTTP2" }, { "grpc_health_check", "GRPC" },
	};
	const char *type = tf_str(in, "type");
	char buf[32];
	gcp_place(t, in);
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		if (tf_path_count(in, "%s", blocks[i][0]) == 0)
			continue;
		if (!type)
			type = blocks[i][1];
		tf_attr(t, in->node, "port", tf_path_num(in, buf, sizeof(buf), "%s.0.port", blocks[i][0]));
		tf_attr(t, in->node, "resource_path", tf_path_str(in, "%s.0.request_path", blocks[i][0]));
		break;
	}
	tf_attr(t, in->node, "health_check_type", type);
}

static void instance_group_manager_nodes(tf_ctx *t, tf_inst *in)
{
	gcp_place(t, in);
	gcp_alias(t, in, "instance_group");
}

static void instance_nodes(tf_ctx *t, tf_inst *in)
{
	gcp_place(t, in);
	tf_edge(t, tf_ip_node(t, tf_path_str(in, "network_interface.0.network_ip")),
	        SF_EDGE_RESOLVES_TO, in->node, in);
	tf_edge(t, tf_ip_node(t, tf_path_str(in, "network_interface.0.access_config.0.nat_ip")),
	        SF_EDGE_RESOLVES_TO, in->node, in);
}

/* ---- Cloud DNS ---- */

static void managed_zone_nodes(tf_ctx *t, tf_inst *in)
{
	const char *name = tf_str(in, "name"), *project = tf_str(in, "project");
	const char *dns = tf_str(in, "dns_name");
	char key[600];
	if (name && project &&
	    (size_t)snprintf(key, sizeof(key), "gcp-zone:%s/%s", project, name) < sizeof(key)) {
		if (tf_alias(t, key, in->node) < 0)
			t->oom = 1;
	}
	if (dns && tf_dns_key(dns, key, sizeof(key)) == 0)
		tf_attr(t, in->node, "name", key + 4);
	tf_edge(t, in->node, SF_EDGE_SERVED_BY,
	        sf_graph_node(t->g, SF_KIND_DNS_PROVIDER, "dnsprovider:google-cloud-dns",
	                      "Google Cloud DNS", NULL), in);
}

static void record_set_nodes(tf_ctx *t, tf_inst *in)
{
	const char *name = tf_str(in, "name");
	char key[300], buf[32];
	if (name && tf_dns_key(name, key, sizeof(key)) == 0)
		tf_attr(t, in->node, "name", key + 4);
	tf_attr(t, in->node, "type", tf_str(in, "type"));
	tf_attr(t, in->node, "ttl", tf_num(in, "ttl", buf, sizeof(buf)));
	if (tf_path_count(in, "routing_policy.0.primary_backup"))
		tf_attr(t, in->node, "routing_policy", "primary_backup");
	else if (tf_path_count(in, "routing_policy.0.geo"))
		tf_attr(t, in->node, "routing_policy", "geo");
	else if (tf_path_count(in, "routing_policy.0.wrr"))
		tf_attr(t, in->node, "routing_policy", "weighted");
	else
		tf_attr(t, in->node, "routing_policy", "simple");
}

static sf_node_id value_node(tf_ctx *t, const char *type, const char *v)
{
	if (!type || !v)
		return SF_NODE_NONE;
	if (strcmp(type, "A") == 0 || strcmp(type, "AAAA") == 0)
		return tf_ip_node(t, v);
	if (strcmp(type, "CNAME") == 0)
		return tf_dns_node(t, v);
	return SF_NODE_NONE;
}

/* The file's forwarding rules by address. */
typedef struct rule_at {
	char *ip;
	size_t inst;
} rule_at;

struct tf_gcp_index {
	rule_at *v;
	size_t n, cap;
};

void tf_gcp_index_free(struct tf_gcp_index *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i].ip);
	free(x->v);
	free(x);
}

static int cmp_rule_at(const void *a, const void *b)
{
	const rule_at *x = a, *y = b;
	int c = strcmp(x->ip, y->ip);
	if (c)
		return c;
	return x->inst < y->inst ? -1 : x->inst > y->inst;
}

/* The forwarding rules by address, in the file's order within one: made
 * at the first record set that names an internal balancer, so that each
 * finds its rules in a range rather than in every instance of the file
 * (which made a state of many record sets quadratic). NULL out of
 * memory. */
static const struct tf_gcp_index *rule_index(tf_ctx *t)
{
	struct tf_gcp_index *x;

	if (t->gcp)
		return t->gcp;
	if (!(x = calloc(1, sizeof(*x))))
		return NULL;
	for (size_t i = 0; i < t->ninst; i++) {
		tf_inst *fr = &t->inst[i];
		const char *addr;
		if (fr->node == SF_NODE_NONE || (strcmp(fr->type, "google_compute_forwarding_rule") != 0 &&
		                                 strcmp(fr->type, "google_compute_global_forwarding_rule") != 0) ||
		    !(addr = tf_str(fr, "ip_address")))
			continue;
		if (x->n == x->cap) {
			size_t cap = x->cap ? x->cap * 2 : 64;
			rule_at *v = realloc(x->v, cap * sizeof(*v));
			if (!v)
				goto oom;
			x->v = v;
			x->cap = cap;
		}
		if (!(x->v[x->n].ip = strdup(addr)))
			goto oom;
		x->v[x->n++].inst = i;
	}
	sf_sort(x->v, x->n, sizeof(*x->v), cmp_rule_at);
	return t->gcp = x;
oom:
	tf_gcp_index_free(x);
	return NULL;
}

/* A forwarding rule of this state with that address: its backend
 * service's health checks judge the balancer. */
static void ilb_health_edges(tf_ctx *t, tf_inst *in, const char *ip)
{
	const struct tf_gcp_index *rules = ip ? rule_index(t) : NULL;
	size_t lo = 0, hi;

	if (!rules) {
		if (ip)
			t->oom = 1;
		return;
	}
	for (hi = rules->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(rules->v[mid].ip, ip) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < rules->n && strcmp(rules->v[i].ip, ip) == 0; i++) {
		tf_inst *fr = &t->inst[rules->v[i].inst];
		char key[1100];
		tf_inst *bs;
		json_t *hcs, *x;
		size_t k;
		if (gcp_key(tf_str(fr, "backend_service"), key, sizeof(key)) < 0)
			continue;
		bs = tf_aws_inst_of(t, tf_find(t, key));
		hcs = bs ? tf_get(bs, "health_checks") : NULL;
		json_array_foreach(hcs, k, x)
			if (json_is_string(x))
				tf_edge(t, in->node, SF_EDGE_CHECKED_BY,
				        gcp_ref(t, SF_KIND_HEALTH_CHECK, json_string_value(x)), in);
	}
}

/* The targets of one side (`base` is the path of its block): internal
 * load balancers by address, external endpoints, and (backups) rrdatas.
 * One target is the root; several serve together behind an ANY node. */
static sf_node_id side_root(tf_ctx *t, tf_inst *in, const char *base, const char *label,
                            int *has_ilb)
{
	const char *type = tf_str(in, "type");
	sf_node_id ts[MAX_TARGETS], root;
	size_t n = 0, c;
	json_t *v, *x;
	char key[700];

	c = tf_path_count(in, "%s.internal_load_balancers", base);
	for (size_t i = 0; i < c && n < MAX_TARGETS; i++) {
		const char *ip = tf_path_str(in, "%s.internal_load_balancers.%zu.ip_address", base, i);
		sf_node_id ipn = tf_ip_node(t, ip);
		if (ipn == SF_NODE_NONE)
			continue;
		ts[n++] = ipn;
		*has_ilb = 1;
		ilb_health_edges(t, in, ip);
	}
	v = tf_path_get(in, "%s.external_endpoints", base);
	json_array_foreach(v, c, x)
		if (json_is_string(x) && n < MAX_TARGETS &&
		    (ts[n] = tf_ip_node(t, json_string_value(x))) != SF_NODE_NONE)
			n++;
	v = tf_path_get(in, "%s.rrdatas", base);
	json_array_foreach(v, c, x)
		if (json_is_string(x) && n < MAX_TARGETS &&
		    (ts[n] = value_node(t, type, json_string_value(x))) != SF_NODE_NONE)
			n++;
	if (n == 0)
		return SF_NODE_NONE;
	if (n == 1)
		return ts[0];
	snprintf(key, sizeof(key), "%s/%s", in->address, label);
	if ((root = tf_scoped_node(t, SF_KIND_TARGET_GROUP, key, NULL, in)) == SF_NODE_NONE)
		return root;
	sf_graph_set_gate(t->g, root, SF_GATE_ANY);
	for (size_t i = 0; i < n; i++)
		tf_edge(t, root, SF_EDGE_ROUTES_TO, ts[i], in);
	return root;
}

static void add_member(tf_ctx *t, tf_inst *in, const char *group, const char *name, int role,
                       sf_node_id root)
{
	if (root != SF_NODE_NONE)
		tf_member(t, in, group, "google_dns_record_set", name, role, in->node, root, 0);
}

static void record_set_edges(tf_ctx *t, tf_inst *in)
{
	const char *name = sf_graph_attr(t->g, in->node, "name"), *type = tf_str(in, "type");
	const char *zone = tf_str(in, "managed_zone"), *project = tf_str(in, "project");
	const char *pb = "routing_policy.0.primary_backup.0";
	json_t *rr = tf_get(in, "rrdatas"), *x;
	char key[600], group[400];
	sf_node_id dn, primary;
	size_t i, nb;
	int ilb = 0;

	if (!name || !type)
		return;
	dn = tf_dns_node(t, name);
	tf_edge(t, dn, SF_EDGE_RESOLVES_TO, in->node, in);
	sf_graph_set_gate(t->g, dn, SF_GATE_ANY);
	if (zone && project &&
	    (size_t)snprintf(key, sizeof(key), "gcp-zone:%s/%s", project, zone) < sizeof(key)) {
		tf_edge(t, in->node, SF_EDGE_SERVED_BY, tf_ref(t, SF_KIND_DNS_ZONE, key), in);
	}
	/* Any answer serves the name. */
	sf_graph_set_gate(t->g, in->node, SF_GATE_ANY);
	json_array_foreach(rr, i, x)
		if (json_is_string(x))
			tf_edge(t, in->node, SF_EDGE_RESOLVES_TO, value_node(t, type, json_string_value(x)), in);
	if (!tf_path_count(in, "%s", pb))
		return;
	tf_edge(t, in->node, SF_EDGE_CHECKED_BY,
	        gcp_ref(t, SF_KIND_HEALTH_CHECK, tf_path_str(in, "routing_policy.0.health_check")), in);
	snprintf(group, sizeof(group), "gcp:%s/%s", name, type);
	snprintf(key, sizeof(key), "%s.primary.0", pb);
	primary = side_root(t, in, key, "primary", &ilb);
	tf_edge(t, in->node, SF_EDGE_RESOLVES_TO, primary, in);
	/* Load balancer targets are judged by the balancer's health checks:
	 * the record evaluates its target's health. */
	if (ilb)
		tf_attr(t, in->node, "evaluate_target_health", "true");
	add_member(t, in, group, name, 0, primary);
	nb = tf_path_count(in, "%s.backup_geo", pb);
	for (i = 0; i < nb && i < 64; i++) {
		const char *loc = tf_path_str(in, "%s.backup_geo.%zu.location", pb, i);
		char base[200], label[120];
		sf_node_id root, r2;
		int unused = 0;
		if (!loc || strlen(loc) >= 64)
			loc = "?";
		snprintf(label, sizeof(label), "backup/%s", loc);
		snprintf(base, sizeof(base), "%s.backup_geo.%zu", pb, i);
		root = side_root(t, in, base, label, &unused);
		/* Targets that Cloud DNS health-checks in a backup location. */
		snprintf(base, sizeof(base), "%s.backup_geo.%zu.health_checked_targets.0", pb, i);
		snprintf(label, sizeof(label), "backup/%s/checked", loc);
		r2 = side_root(t, in, base, label, &unused);
		if (root == SF_NODE_NONE)
			root = r2;
		else if (r2 != SF_NODE_NONE)
			tf_edge(t, root, SF_EDGE_ROUTES_TO, r2, in);
		tf_edge(t, in->node, SF_EDGE_RESOLVES_TO, root, in);
		add_member(t, in, group, name, (int)i + 1, root);
	}
}

const tf_type tf_gcp_types[] = {
	{ "google_compute_backend_service", SF_KIND_TARGET_GROUP, backend_service_nodes,
	  backend_service_edges },
	{ "google_compute_forwarding_rule", SF_KIND_LOAD_BALANCER, forwarding_rule_nodes,
	  forwarding_rule_edges },
	{ "google_compute_global_forwarding_rule", SF_KIND_LOAD_BALANCER, forwarding_rule_nodes,
	  forwarding_rule_edges },
	{ "google_compute_health_check", SF_KIND_HEALTH_CHECK, health_check_nodes, NULL },
	{ "google_compute_instance", SF_KIND_COMPUTE, instance_nodes, NULL },
	{ "google_compute_instance_group_manager", SF_KIND_COMPUTE, instance_group_manager_nodes, NULL },
	{ "google_compute_region_backend_service", SF_KIND_TARGET_GROUP, backend_service_nodes,
	  backend_service_edges },
	{ "google_compute_region_health_check", SF_KIND_HEALTH_CHECK, health_check_nodes, NULL },
	{ "google_compute_region_instance_group_manager", SF_KIND_COMPUTE,
	  instance_group_manager_nodes, NULL },
	{ "google_dns_managed_zone", SF_KIND_DNS_ZONE, managed_zone_nodes, NULL },
	{ "google_dns_record_set", SF_KIND_DNS_NAME, record_set_nodes, record_set_edges },
	{ NULL, SF_KIND_RESOURCE, NULL, NULL },
};
