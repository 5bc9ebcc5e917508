/* The dependency graph: typed nodes and edges, interned strings, provenance.
 *
 * One graph is built per run. It owns every string (interned in blocks
 * that never move), so pointers returned by its getters stay valid until
 * sf_graph_free().
 * An edge `from -> to` always means "from depends on to": failure flows
 * against the arrow. Whether it flows at all, and on which plane, is a
 * property of the edge kind (sf_edge_kind_info).
 *
 * Nothing secret may enter the graph: node attributes are checked against
 * an allow-list of attribute names (sf_graph_attr_allowed), and importers
 * copy only non-secret values. */
#ifndef SF_GRAPH_H
#define SF_GRAPH_H

#include <stddef.h>
#include <stdint.h>


typedef uint32_t sf_node_id;
#define SF_NODE_NONE UINT32_MAX

/* An interned string's number (sf_graph_intern_id). */
typedef uint32_t sf_str_id;
#define SF_STR_NONE UINT32_MAX

typedef enum {
	SF_CAT_DNS,
	SF_CAT_TRAFFIC,
	SF_CAT_COMPUTE,
	SF_CAT_IDENTITY,
	SF_CAT_SECRETS,
	SF_CAT_CERTIFICATES,
	SF_CAT_ADMINISTRATION,
	SF_CAT_LOCATION,
	SF_CAT_GOVERNANCE,
	SF_CAT_OTHER,               /* managed resources with no known meaning */
	SF_CAT__COUNT
} sf_category;

typedef enum {
	SF_KIND_DNS_NAME,
	SF_KIND_DNS_ZONE,
	SF_KIND_DNS_PROVIDER,
	SF_KIND_LOAD_BALANCER,
	SF_KIND_LISTENER,
	SF_KIND_TARGET_GROUP,
	SF_KIND_ENDPOINT,
	SF_KIND_HEALTH_CHECK,
	SF_KIND_COMPUTE,
	SF_KIND_IDENTITY_PROVIDER,
	SF_KIND_PRINCIPAL,
	SF_KIND_SECRET,
	SF_KIND_SECRET_STORE,
	SF_KIND_KMS_KEY,
	SF_KIND_CERTIFICATE,
	SF_KIND_CERTIFICATE_AUTHORITY,
	SF_KIND_ACCOUNT,
	SF_KIND_ADMIN_PRINCIPAL,
	SF_KIND_REGION,
	SF_KIND_AVAILABILITY_ZONE,
	SF_KIND_NETWORK,
	SF_KIND_SERVICE,
	SF_KIND_OWNER,
	SF_KIND_RUNBOOK,
	SF_KIND_RESOURCE,           /* any other managed resource */
	SF_KIND__COUNT
} sf_kind;

typedef enum { SF_GATE_ALL, SF_GATE_ANY } sf_gate;

typedef enum { SF_PLANE_NONE, SF_PLANE_DATA, SF_PLANE_CONTROL } sf_plane;

typedef enum {
	SF_EDGE_RESOLVES_TO,
	SF_EDGE_ROUTES_TO,
	SF_EDGE_TERMINATES_TLS_WITH,
	SF_EDGE_AUTHENTICATES_VIA,
	SF_EDGE_ASSUMES,
	SF_EDGE_READS_SECRET,
	SF_EDGE_STORED_IN,
	SF_EDGE_ENCRYPTED_BY,
	SF_EDGE_LOCATED_IN,
	SF_EDGE_MEMBER_OF,
	SF_EDGE_ADMINISTERED_BY,
	SF_EDGE_SERVED_BY,
	SF_EDGE_CHECKED_BY,
	SF_EDGE_OWNED_BY,
	SF_EDGE_DEPENDS_ON,
	SF_EDGE__COUNT
} sf_edge_kind;

typedef struct sf_kind_info {
	const char *name;           /* "load_balancer" */
	sf_category category;
} sf_kind_info;

typedef struct sf_edge_kind_info {
	const char *name;           /* "routes_to" */
	sf_plane plane;             /* SF_PLANE_NONE: failure does not propagate */
	/* Needed even by an ANY node: an ANY gate chooses among alternatives
	 * (targets, records, replicas), but a target group still fails with
	 * its region, a record with its zone. */
	int required;
} sf_edge_kind_info;

const sf_kind_info *sf_kind_get(sf_kind k);
const char *sf_category_name(sf_category c);
const sf_edge_kind_info *sf_edge_kind_get(sf_edge_kind k);

/* 1 when failure propagates along an edge of kind `k` on `plane`. */
int sf_edge_propagates(sf_edge_kind k, sf_plane plane);
/* Parse names back (rule files); return -1 when unknown. */
int sf_kind_from_name(const char *name);
int sf_category_from_name(const char *name);
int sf_edge_kind_from_name(const char *name);

/* Where a fact came from. `path` is relative to the scan root. */
typedef struct sf_prov {
	const char *path;           /* interned, or NULL for derived nodes */
	long line;                  /* 1-based, 0 unknown */
} sf_prov;

/* Nodes and edges are most of the graph's memory: small fields come last
 * and hold an enum in a few bits, what few nodes have (a label apart from
 * the key, a merge) sits in the graph, where a node came from is a path
 * number and a line (sf_graph_node_prov), and the key a string number, so
 * a node is 20 bytes and an edge 8. */
typedef struct sf_node {
	sf_str_id key;              /* canonical, interned, unique: sf_graph_node_key() */
	/* the graph's own: where the node came from (sf_graph_node_prov),
	 * where its attributes are (sf_graph_attr_at) and its label
	 * (sf_graph_node_label) */
	uint32_t path, line;
	uint32_t attr_at;
	uint8_t attr_n;
	unsigned attr_cap : 7;      /* below 128: twice the allowed names at most */
	unsigned address_label : 1; /* the attribute `address` is the label (no cell) */
	uint8_t label_at;
	unsigned kind : 5;          /* sf_kind */
	unsigned gate : 1;          /* sf_gate */
	unsigned merged : 1;        /* merged into another node (sf_graph_live) */
	unsigned scoped : 1;        /* named within one input: its importer's and sf_link's */
} sf_node;

typedef struct sf_edge {
	sf_node_id from;
	unsigned to : 26;           /* a node number: below SF_GRAPH_MAX_NODES */
	unsigned kind : 5;          /* sf_edge_kind */
	unsigned own : 1;           /* the graph's own: sf_graph_edge_prov() */
} sf_edge;

/* Edges by number, as sf_graph_out() and sf_graph_in() list them: fewer
 * than SF_GRAPH_MAX_EDGES, so 4 bytes where a size_t is 8. */
typedef uint32_t sf_edge_id;

typedef struct sf_graph sf_graph;

/* Limits that keep a hostile input from exhausting memory, far past what
 * real inputs make: a zone keeps its records in its own table and makes
 * nodes only for the names other inputs or pairs reach; a Terraform state
 * makes about 1.4 nodes and 2.6 edges per resource instance, at some 120
 * bytes a node with its edges, attributes, adjacency and string table, and
 * its strings' own bytes besides (SHAREDFATE_STATS shows what a scan's
 * graph held). */
#define SF_GRAPH_MAX_NODES 16000000u
#define SF_GRAPH_MAX_EDGES 64000000u
/* Interned strings: keys, aliases, labels and attribute values, about
 * two and a half per node of a Terraform state and a few per delegation
 * of a zone (the zone keeps its other names itself), so a Terraform graph
 * meets this limit at about 13 million nodes, before SF_GRAPH_MAX_NODES. Past
 * it a new string fails to intern, as out of memory. */
#define SF_GRAPH_MAX_STRINGS 33000000u

int sf_graph_new(sf_graph **out);
void sf_graph_free(sf_graph *g);

/* Make room for `nodes` more nodes (with their keys and labels) and `edges`
 * more edges, so that an importer that knows its size up front (records in
 * a zone, resources in a state) builds without growing any table. Only a
 * hint: the graph still grows past it. Returns -1 out of memory. */
int sf_graph_reserve(sf_graph *g, size_t nodes, size_t edges);
/* ...and room for `strings` more strings alone (keys, labels, attribute
 * values), for an importer that makes few nodes but knows how many
 * strings they take: the string index is then not rebuilt as it fills. */
int sf_graph_reserve_strings(sf_graph *g, size_t strings);

/* Let go of the room the graph kept for growing: its arrays and string
 * index shrink to what they hold, as when every input is read. It moves
 * nodes and edges, so no pointer from sf_graph_node_at() or
 * sf_graph_edge_at() may be held across it. A shrink that cannot be had
 * keeps the room. Aliases still find their nodes, but a merge after it
 * (sf_graph_merge_aliases) joins only the aliases registered since. */
void sf_graph_fit(sf_graph *g);

/* Work counters of the string, key and alias tables: lookups and the slots
 * they probed. A test bounds probes per lookup, whatever the input. */
typedef struct sf_graph_stats {
	unsigned long long lookups;
	unsigned long long probes;
} sf_graph_stats;
void sf_graph_get_stats(const sf_graph *g, sf_graph_stats *out);

/* Set the SHAREDFATE_STATS counters graph_* (model/stats.h) from `g`: its
 * nodes, edges and strings now, and the most memory it held at once. */
void sf_graph_publish_memory(const sf_graph *g);


/* Intern a string: equal strings give the same pointer. NULL on OOM.
 * Tables hash with a key chosen at random per run (crafted collisions do
 * not carry over), and nothing iterates them, so output never depends on
 * it. */
const char *sf_graph_intern(sf_graph *g, const char *s);
const char *sf_graph_internn(sf_graph *g, const char *s, size_t len);

/* Interned strings by number, for an importer that keeps millions of
 * names: a number is 4 bytes where a pointer is 8, and finds the node
 * keyed by the string without hashing it again (sf_graph_node_by_str).
 * Numbers are dense, from 0 to sf_graph_str_count() - 1, and stay valid
 * until sf_graph_free(). */
/* Intern the `len` bytes at `s` (up to a NUL among them: interned strings
 * are C strings): the string's number, SF_STR_NONE when out of memory. sf_graph_str() gives the same pointer sf_graph_internn() does. */
sf_str_id sf_graph_intern_id(sf_graph *g, const char *s, size_t len);
const char *sf_graph_str(const sf_graph *g, sf_str_id id);
size_t sf_graph_str_count(const sf_graph *g);

/* Find or create the node with `key`. A node created earlier keeps its
 * kind, unless it was SF_KIND_ENDPOINT/RESOURCE placeholder and a more
 * specific kind arrives now; its provenance is kept unless it had none.
 * Returns SF_NODE_NONE when out of memory or past SF_GRAPH_MAX_NODES. */
sf_node_id sf_graph_node(sf_graph *g, sf_kind kind, const char *key,
                         const char *label, const sf_prov *prov);
/* sf_graph_node() with the key given by number and the label the key
 * without its first `label_skip` bytes (its kind prefix: 4 for `dns:`), so
 * that a name and its key are one string, not two. */
sf_node_id sf_graph_node_by_str(sf_graph *g, sf_kind kind, sf_str_id key, size_t label_skip,
                                const sf_prov *prov);
/* The node with `key` (or with `key` as an alias), or SF_NODE_NONE. */
sf_node_id sf_graph_find(const sf_graph *g, const char *key);

/* Register `key` as another name of node `id` (an ARN, a cloud ID), so that
 * a reference by that name from any input reaches the node. The first node
 * to claim an alias keeps it; returns 1 when it was taken already, 0 when
 * registered, -1 out of memory. */
int sf_graph_alias(sf_graph *g, const char *key, sf_node_id id);

/* Join placeholders with what they stand for: a node created for a
 * reference (`arn:...`) before the input that defines it registered that
 * key as an alias is merged into the defining node. Its edges move, and it
 * is marked `merged`, with a link sf_graph_live() follows. Call once all
 * inputs are imported. Returns the number of nodes merged, or -1 out of
 * memory. */
long sf_graph_merge_aliases(sf_graph *g);

/* Give nodes new keys, e.g. input-scoped keys as people read them (the
 * link phase). No new key may be in use by another node. A label equal
 * to the old key follows it. Returns -1 out of memory. */
int sf_graph_rekey(sf_graph *g, const sf_node_id *ids, const char *const *keys, size_t n);

/* Follow merge links: the live node for `id`. */
sf_node_id sf_graph_live(const sf_graph *g, sf_node_id id);
/* Nodes not merged into another. */
size_t sf_graph_live_count(const sf_graph *g);

size_t sf_graph_node_count(const sf_graph *g);
size_t sf_graph_edge_count(const sf_graph *g);
/* Borrowed; valid until the next node is added. */
sf_node *sf_graph_node_at(const sf_graph *g, sf_node_id id);
/* Where node `n` (a node of `g`) came from: its input, relative to the
 * scan root, and line (cut to 32 bits); {NULL, 0} for a node no input
 * defines (a placeholder, a node derived from others). */
sf_prov sf_graph_node_prov(const sf_graph *g, const sf_node *n);
/* The key of node `n` (a node of `g`), and of node number `id`. */
const char *sf_graph_node_key(const sf_graph *g, const sf_node *n);
const char *sf_graph_key(const sf_graph *g, sf_node_id id);
/* The label of node `n` (a node of `g`), for people: never NULL. */
const char *sf_graph_node_label(const sf_graph *g, const sf_node *n);
/* Give node `id` the label `label` (NULL: its key). -1 out of memory or
 * no such node. */
int sf_graph_set_label(sf_graph *g, sf_node_id id, const char *label);
const sf_edge *sf_graph_edge_at(const sf_graph *g, size_t i);
/* Where edge `i` came from (the provenance given to sf_graph_edge(), with
 * its line cut to 32 bits); {NULL, 0} when unknown. */
sf_prov sf_graph_edge_prov(const sf_graph *g, size_t i);

void sf_graph_set_gate(sf_graph *g, sf_node_id id, sf_gate gate);
/* Say where node `id` came from, replacing what its first maker said: for
 * a source whose nodes are made late (a deferred zone) but that was read
 * before the input that made the node first. -1 out of memory. */
int sf_graph_set_prov(sf_graph *g, sf_node_id id, const sf_prov *prov);

/* Add an edge; a duplicate (same from, to, kind) is ignored. Self-loops are
 * ignored. Returns 0, or -1 out of memory / past the edge limit. */
int sf_graph_edge(sf_graph *g, sf_node_id from, sf_edge_kind kind,
                  sf_node_id to, const sf_prov *prov);

/* Set an attribute (replacing an earlier value). `name` must be on the
 * allow-list; a name that is not is a programming error and returns -1. */
int sf_graph_set_attr(sf_graph *g, sf_node_id id, const char *name, const char *value);
const char *sf_graph_attr(const sf_graph *g, sf_node_id id, const char *name);
int sf_graph_attr_allowed(const char *name);
/* The attributes of node `id` sorted by name: how many, and the `i`-th
 * (0 when there is one, -1 when not). Borrowed. */
size_t sf_graph_attr_count(const sf_graph *g, sf_node_id id);
int sf_graph_attr_at(const sf_graph *g, sf_node_id id, size_t i, const char **name,
                     const char **value);

/* Out- and in-edges of a node, in the key order of the node at the other
 * end and then kind. Built lazily after the last edge was added: the build
 * sorts the edge array into out-list order, so edge numbers and pointers
 * from before it change (and again after an edge is added). Borrowed.
 * sf_graph_out: the node's `count` out-edges, adjacent in the edge array.
 * sf_graph_in: the numbers of its in-edges (sf_graph_edge_at). */
const sf_edge *sf_graph_out(sf_graph *g, sf_node_id id, size_t *count);
const sf_edge_id *sf_graph_in(sf_graph *g, sf_node_id id, size_t *count);

/* Node ids sorted by key, for deterministic iteration. Borrowed. */
const sf_node_id *sf_graph_sorted(sf_graph *g);

#endif
