/* The meaning of Azure (azurerm) resource types in Terraform state.
 *
 * Failover: a Traffic Manager profile with traffic_routing_method
 * "Priority" answers with its enabled endpoint of lowest `priority` that
 * its monitor finds healthy, then the next. The endpoints (azure, external
 * and nested ones, and the legacy azurerm_traffic_manager_endpoint) are
 * the members, in priority order; each points at its target (a resource
 * by id, or an external name or address). The profile's `monitor_config`
 * is the health check of every endpoint.
 *
 * Every resource with an `id` is known by it (lower-cased: Azure ids are
 * case-insensitive), lies in its `location` (region:azure/<location>) and
 * belongs to its subscription (account:azure/<subscription>). */
#include "tfstate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/buf.h"
#include "tf_aws.h"
#include "tf_path.h"

#define MAX_ENDPOINTS 256

/* Lower-case copy of an Azure id (or any key); -1 when unusable. */
static int lower_key(const char *s, char *out, size_t outsz)
{
	size_t n;
	if (!s || (n = strlen(s)) == 0 || n >= outsz)
		return -1;
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	return 0;
}

static sf_node_id id_ref(tf_ctx *t, sf_kind kind, const char *id)
{
	char key[1100];
	return lower_key(id, key, sizeof(key)) == 0 ? tf_ref(t, kind, key) : SF_NODE_NONE;
}

/* The subscription of an id: /subscriptions/<sub>/... */
static int subscription(const char *id, char *out, size_t outsz)
{
	const char *p;
	size_t n;
	if (!id || strncasecmp(id, "/subscriptions/", 15) != 0)
		return -1;
	p = id + 15;
	n = strcspn(p, "/");
	if (n == 0 || n >= outsz)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[n] = '\0';
	return 0;
}

/* "East US 2" -> "eastus2". */
static int location_key(const char *loc, char *out, size_t outsz)
{
	size_t o = 0;
	if (!loc)
		return -1;
	for (const char *p = loc; *p; p++) {
		if (*p == ' ')
			continue;
		if (!isalnum((unsigned char)*p) || o + 1 >= outsz)
			return -1;
		out[o++] = (char)tolower((unsigned char)*p);
	}
	out[o] = '\0';
	return o ? 0 : -1;
}

static void azure_place(tf_ctx *t, tf_inst *in)
{
	const char *id = tf_str(in, "id");
	char key[1100], loc[64], sub[64];

	if (lower_key(id, key, sizeof(key)) == 0) {
		if (tf_alias(t, key, in->node) < 0)
			t->oom = 1;
		tf_attr(t, in->node, "id", id);
	}
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	/* Traffic Manager and Front Door are "global": no region. */
	if (location_key(tf_str(in, "location"), loc, sizeof(loc)) == 0 && strcmp(loc, "global") != 0) {
		snprintf(key, sizeof(key), "region:azure/%s", loc);
		tf_edge(t, in->node, SF_EDGE_LOCATED_IN,
		        sf_graph_node(t->g, SF_KIND_REGION, key, loc, NULL), in);
		tf_attr(t, in->node, "region", loc);
	}
	if (subscription(id, sub, sizeof(sub)) == 0) {
		snprintf(key, sizeof(key), "account:azure/%s", sub);
		tf_edge(t, in->node, SF_EDGE_MEMBER_OF,
		        sf_graph_node(t->g, SF_KIND_ACCOUNT, key, sub, NULL), in);
		tf_attr(t, in->node, "account", sub);
	}
}

static void generic_nodes(tf_ctx *t, tf_inst *in)
{
	azure_place(t, in);
}

/* Names a resource answers to: public IPs (address and FQDN), web apps
 * (their default host name). */
static void public_ip_nodes(tf_ctx *t, tf_inst *in)
{
	azure_place(t, in);
	tf_edge(t, tf_ip_node(t, tf_str(in, "ip_address")), SF_EDGE_RESOLVES_TO, in->node, in);
	tf_edge(t, tf_dns_node(t, tf_str(in, "fqdn")), SF_EDGE_RESOLVES_TO, in->node, in);
}

static void web_app_nodes(tf_ctx *t, tf_inst *in)
{
	const char *host = tf_str(in, "default_hostname");
	if (!host)
		host = tf_str(in, "default_site_hostname");     /* azurerm_app_service */
	azure_place(t, in);
	tf_edge(t, tf_dns_node(t, host), SF_EDGE_RESOLVES_TO, in->node, in);
}

/* ---- Traffic Manager ---- */

static void profile_nodes(tf_ctx *t, tf_inst *in)
{
	const char *fqdn = tf_str(in, "fqdn"), *rel = tf_path_str(in, "dns_config.0.relative_name");
	const char *method = tf_str(in, "traffic_routing_method");
	const char *proto = tf_path_str(in, "monitor_config.0.protocol");
	char key[1100], rg[300], name[300], buf[32];
	sf_node_id mon;

	azure_place(t, in);
	/* Legacy endpoints name their profile by resource group and name. */
	if (lower_key(tf_str(in, "resource_group_name"), rg, sizeof(rg)) == 0 &&
	    lower_key(tf_str(in, "name"), name, sizeof(name)) == 0) {
		snprintf(key, sizeof(key), "azure-tm:%s/%s", rg, name);
		if (tf_alias(t, key, in->node) < 0)
			t->oom = 1;
	}
	if (!fqdn && rel && strlen(rel) < 250) {
		snprintf(name, sizeof(name), "%s.trafficmanager.net", rel);
		fqdn = name;
	}
	if (fqdn && tf_dns_key(fqdn, key, sizeof(key)) == 0) {
		tf_attr(t, in->node, "fqdn", key + 4);
		tf_edge(t, tf_dns_node(t, fqdn), SF_EDGE_RESOLVES_TO, in->node, in);
	}
	if (lower_key(method, buf, sizeof(buf)) == 0)
		tf_attr(t, in->node, "routing_policy", buf);
	tf_attr(t, in->node, "ttl", tf_path_num(in, buf, sizeof(buf), "dns_config.0.ttl"));
	/* Its monitor: one health check for every endpoint. */
	if ((mon = tf_part_node(t, SF_KIND_HEALTH_CHECK, in, "/monitor_config", sizeof(key))) ==
	    SF_NODE_NONE)
		return;
	if (proto && strlen(proto) < 16) {
		char up[16];
		size_t i;
		for (i = 0; proto[i]; i++)
			up[i] = (char)toupper((unsigned char)proto[i]);
		up[i] = '\0';
		tf_attr(t, mon, "health_check_type", up);
	}
	tf_attr(t, mon, "port", tf_path_num(in, buf, sizeof(buf), "monitor_config.0.port"));
	tf_attr(t, mon, "resource_path", tf_path_str(in, "monitor_config.0.path"));
	if (tf_str(in, "profile_status") && strcasecmp(tf_str(in, "profile_status"), "Disabled") == 0)
		tf_attr(t, mon, "disabled", "true");
}

static int is_endpoint_type(const char *type)
{
	return strcmp(type, "azurerm_traffic_manager_azure_endpoint") == 0 ||
	       strcmp(type, "azurerm_traffic_manager_external_endpoint") == 0 ||
	       strcmp(type, "azurerm_traffic_manager_nested_endpoint") == 0 ||
	       strcmp(type, "azurerm_traffic_manager_endpoint") == 0;
}

/* The profile of an endpoint: `profile_id`, or (legacy) the profile's
 * name and resource group. */
static sf_node_id endpoint_profile(tf_ctx *t, const tf_inst *ep)
{
	const char *pid = tf_str(ep, "profile_id");
	char rg[300], name[300], key[700];
	if (pid)
		return id_ref(t, SF_KIND_LOAD_BALANCER, pid);
	if (lower_key(tf_str(ep, "resource_group_name"), rg, sizeof(rg)) < 0 ||
	    lower_key(tf_str(ep, "profile_name"), name, sizeof(name)) < 0)
		return SF_NODE_NONE;
	snprintf(key, sizeof(key), "azure-tm:%s/%s", rg, name);
	return tf_ref(t, SF_KIND_LOAD_BALANCER, key);
}

/* What an endpoint sends clients to. */
static sf_node_id endpoint_target(tf_ctx *t, const tf_inst *ep)
{
	const char *rid = tf_str(ep, "target_resource_id"), *target = tf_str(ep, "target");
	sf_node_id n;
	if (rid)
		return id_ref(t, SF_KIND_ENDPOINT, rid);
	if (!target)
		return SF_NODE_NONE;
	n = tf_ip_node(t, target);
	return n != SF_NODE_NONE ? n : tf_dns_node(t, target);
}

static int endpoint_enabled(const tf_inst *ep)
{
	const char *status = tf_str(ep, "endpoint_status");
	if (tf_bool(ep, "enabled") == 0)
		return 0;
	return !(status && strcasecmp(status, "Disabled") == 0);
}

static void endpoint_nodes(tf_ctx *t, tf_inst *in)
{
	char buf[32];
	azure_place(t, in);
	tf_attr(t, in->node, "priority", tf_num(in, "priority", buf, sizeof(buf)));
	tf_attr(t, in->node, "weight", tf_num(in, "weight", buf, sizeof(buf)));
	if (!endpoint_enabled(in))
		tf_attr(t, in->node, "disabled", "true");
}

static void endpoint_edges(tf_ctx *t, tf_inst *in)
{
	sf_node_id prof = endpoint_profile(t, in);
	const sf_node *pn;
	const char *path;
	char key[1100];
	tf_edge(t, in->node, SF_EDGE_ROUTES_TO, endpoint_target(t, in), in);
	if (prof == SF_NODE_NONE)
		return;
	tf_edge(t, prof, SF_EDGE_ROUTES_TO, in->node, in);
	/* the monitor of the profile, in whichever state made it; found
	 * only where its name, scoped by the state, fits the buffer */
	pn = sf_graph_node_at(t->g, prof);
	if (!pn->scoped) {
		if ((size_t)snprintf(key, sizeof(key), "%s/monitor_config", sf_graph_node_key(t->g, pn)) < sizeof(key))
			tf_edge(t, in->node, SF_EDGE_CHECKED_BY, tf_find(t, key), in);
		return;
	}
	if (!(path = sf_graph_node_prov(t->g, pn).path))
		return;
	if ((size_t)snprintf(key, sizeof(key), "%s/monitor_config", sf_graph_node_label(t->g, pn)) <
	    sizeof(key) && strlen(path) + strlen(key) + 2 < sizeof(key))
		tf_edge(t, in->node, SF_EDGE_CHECKED_BY, sf_scope_find(t->g, path, key), in);
}

typedef struct ranked {
	long priority;
	tf_inst *ep;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return strcmp(x->ep->address, y->ep->address);
}

/* Each enabled endpoint of the file under the profile it names. */
typedef struct ep_of {
	sf_node_id profile;
	size_t inst;
} ep_of;

struct tf_azure_index {
	ep_of *v;
	size_t n, cap;
};

void tf_azure_index_free(struct tf_azure_index *x)
{
	if (x)
		free(x->v);
	free(x);
}

static int cmp_ep_of(const void *a, const void *b)
{
	const ep_of *x = a, *y = b;
	if (x->profile != y->profile)
		return x->profile < y->profile ? -1 : 1;
	return x->inst < y->inst ? -1 : x->inst > y->inst;
}

/* The endpoints by profile, in the file's order within each: made once,
 * at the first priority profile's edges (every node exists by then), so
 * that a profile reads a range of it rather than every instance of the
 * file (which made a state of many profiles quadratic). NULL out of
 * memory. */
static const struct tf_azure_index *endpoint_index(tf_ctx *t)
{
	struct tf_azure_index *x;

	if (t->azure)
		return t->azure;
	if (!(x = calloc(1, sizeof(*x))))
		return NULL;
	for (size_t i = 0; i < t->ninst; i++) {
		tf_inst *ep = &t->inst[i];
		sf_node_id prof;
		if (ep->node == SF_NODE_NONE || !is_endpoint_type(ep->type) || !endpoint_enabled(ep) ||
		    (prof = sf_graph_live(t->g, endpoint_profile(t, ep))) == SF_NODE_NONE)
			continue;
		if (x->n == x->cap) {
			size_t cap = x->cap ? x->cap * 2 : 64;
			ep_of *v = realloc(x->v, cap * sizeof(*v));
			if (!v) {
				tf_azure_index_free(x);
				return NULL;
			}
			x->v = v;
			x->cap = cap;
		}
		x->v[x->n].profile = prof;
		x->v[x->n].inst = i;
		x->n++;
	}
	sf_sort(x->v, x->n, sizeof(*x->v), cmp_ep_of);
	return t->azure = x;
}

/* Priority routing: the members are the profile's enabled endpoints, in
 * priority order. */
static void profile_edges(tf_ctx *t, tf_inst *in)
{
	const char *method = tf_str(in, "traffic_routing_method");
	const char *fqdn = sf_graph_attr(t->g, in->node, "fqdn");
	const struct tf_azure_index *x;
	ranked *eps;
	size_t n = 0, lo = 0, hi;
	char group[400];

	sf_graph_set_gate(t->g, in->node, SF_GATE_ANY);
	if (!method || strcasecmp(method, "Priority") != 0 || !fqdn)
		return;
	x = endpoint_index(t);
	eps = x ? calloc(MAX_ENDPOINTS, sizeof(*eps)) : NULL;
	if (!eps) {
		t->oom = 1;
		return;
	}
	for (hi = x->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->v[mid].profile < in->node)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < x->n && x->v[i].profile == in->node; i++) {
		tf_inst *ep = &t->inst[x->v[i].inst];
		char buf[32];
		const char *pr;
		if (n == MAX_ENDPOINTS) {
			sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
			             "%s has more than %d endpoints; the rest are not analysed", in->address,
			             MAX_ENDPOINTS);
			break;
		}
		pr = tf_num(ep, "priority", buf, sizeof(buf));
		eps[n].priority = pr ? strtol(pr, NULL, 10) : 1000000;
		eps[n].ep = ep;
		n++;
	}
	qsort(eps, n, sizeof(*eps), cmp_ranked);
	snprintf(group, sizeof(group), "azure-tm:%s", fqdn);
	for (size_t i = 0; i < n; i++) {
		sf_node_id root = endpoint_target(t, eps[i].ep);
		if (root == SF_NODE_NONE)
			root = eps[i].ep->node;
		if (tf_member(t, in, group, "azurerm_traffic_manager_profile", fqdn, (int)i,
		              eps[i].ep->node, root, eps[i].ep->line) < 0)
			break;
	}
	free(eps);
}

const tf_type tf_azure_types[] = {
	{ "azurerm_app_service", SF_KIND_COMPUTE, web_app_nodes, NULL },
	{ "azurerm_application_gateway", SF_KIND_LOAD_BALANCER, generic_nodes, NULL },
	{ "azurerm_key_vault", SF_KIND_SECRET_STORE, generic_nodes, NULL },
	{ "azurerm_kubernetes_cluster", SF_KIND_COMPUTE, generic_nodes, NULL },
	{ "azurerm_lb", SF_KIND_LOAD_BALANCER, generic_nodes, NULL },
	{ "azurerm_linux_virtual_machine", SF_KIND_COMPUTE, generic_nodes, NULL },
	{ "azurerm_linux_web_app", SF_KIND_COMPUTE, web_app_nodes, NULL },
	{ "azurerm_public_ip", SF_KIND_ENDPOINT, public_ip_nodes, NULL },
	{ "azurerm_traffic_manager_azure_endpoint", SF_KIND_ENDPOINT, endpoint_nodes, endpoint_edges },
	{ "azurerm_traffic_manager_endpoint", SF_KIND_ENDPOINT, endpoint_nodes, endpoint_edges },
	{ "azurerm_traffic_manager_external_endpoint", SF_KIND_ENDPOINT, endpoint_nodes,
	  endpoint_edges },
	{ "azurerm_traffic_manager_nested_endpoint", SF_KIND_ENDPOINT, endpoint_nodes, endpoint_edges },
	{ "azurerm_traffic_manager_profile", SF_KIND_LOAD_BALANCER, profile_nodes, profile_edges },
	{ "azurerm_windows_virtual_machine", SF_KIND_COMPUTE, generic_nodes, NULL },
	{ "azurerm_windows_web_app", SF_KIND_COMPUTE, web_app_nodes, NULL },
	{ NULL, SF_KIND_RESOURCE, NULL, NULL },
};
