#include "buf.h"
#include "graph.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static const sf_kind_info kinds[SF_KIND__COUNT] = {
	[SF_KIND_DNS_NAME] = { "dns_name", SF_CAT_DNS },
	[SF_KIND_DNS_ZONE] = { "dns_zone", SF_CAT_DNS },
	[SF_KIND_DNS_PROVIDER] = { "dns_provider", SF_CAT_DNS },
	[SF_KIND_LOAD_BALANCER] = { "load_balancer", SF_CAT_TRAFFIC },
	[SF_KIND_LISTENER] = { "listener", SF_CAT_TRAFFIC },
	[SF_KIND_TARGET_GROUP] = { "target_group", SF_CAT_TRAFFIC },
	[SF_KIND_ENDPOINT] = { "endpoint", SF_CAT_TRAFFIC },
	[SF_KIND_HEALTH_CHECK] = { "health_check", SF_CAT_TRAFFIC },
	[SF_KIND_COMPUTE] = { "compute", SF_CAT_COMPUTE },
	[SF_KIND_IDENTITY_PROVIDER] = { "identity_provider", SF_CAT_IDENTITY },
	[SF_KIND_PRINCIPAL] = { "principal", SF_CAT_IDENTITY },
	[SF_KIND_SECRET] = { "secret", SF_CAT_SECRETS },
	[SF_KIND_SECRET_STORE] = { "secret_store", SF_CAT_SECRETS },
	[SF_KIND_KMS_KEY] = { "kms_key", SF_CAT_SECRETS },
	[SF_KIND_CERTIFICATE] = { "certificate", SF_CAT_CERTIFICATES },
	[SF_KIND_CERTIFICATE_AUTHORITY] = { "certificate_authority", SF_CAT_CERTIFICATES },
	[SF_KIND_ACCOUNT] = { "account", SF_CAT_ADMINISTRATION },
	[SF_KIND_ADMIN_PRINCIPAL] = { "admin_principal", SF_CAT_ADMINISTRATION },
	[SF_KIND_REGION] = { "region", SF_CAT_LOCATION },
	[SF_KIND_AVAILABILITY_ZONE] = { "availability_zone", SF_CAT_LOCATION },
	[SF_KIND_NETWORK] = { "network", SF_CAT_LOCATION },
	[SF_KIND_SERVICE] = { "service", SF_CAT_GOVERNANCE },
	[SF_KIND_OWNER] = { "owner", SF_CAT_GOVERNANCE },
	[SF_KIND_RUNBOOK] = { "runbook", SF_CAT_GOVERNANCE },
	[SF_KIND_RESOURCE] = { "resource", SF_CAT_OTHER },
};

static const char *const categories[SF_CAT__COUNT] = {
	"dns", "traffic", "compute", "identity", "secrets", "certificates",
	"administration", "location", "governance", "other",
};

static const sf_edge_kind_info edge_kinds[SF_EDGE__COUNT] = {
	[SF_EDGE_RESOLVES_TO] = { "resolves_to", SF_PLANE_DATA },
	[SF_EDGE_ROUTES_TO] = { "routes_to", SF_PLANE_DATA },
	[SF_EDGE_TERMINATES_TLS_WITH] = { "terminates_tls_with", SF_PLANE_DATA },
	[SF_EDGE_AUTHENTICATES_VIA] = { "authenticates_via", SF_PLANE_DATA },
	[SF_EDGE_ASSUMES] = { "assumes", SF_PLANE_DATA },
	[SF_EDGE_READS_SECRET] = { "reads_secret", SF_PLANE_DATA },
	[SF_EDGE_STORED_IN] = { "stored_in", SF_PLANE_DATA },
	[SF_EDGE_ENCRYPTED_BY] = { "encrypted_by", SF_PLANE_DATA },
	[SF_EDGE_LOCATED_IN] = { "located_in", SF_PLANE_DATA, 1 },
	[SF_EDGE_MEMBER_OF] = { "member_of", SF_PLANE_CONTROL, 1 },
	[SF_EDGE_ADMINISTERED_BY] = { "administered_by", SF_PLANE_CONTROL, 1 },
	[SF_EDGE_SERVED_BY] = { "served_by", SF_PLANE_DATA, 1 },
	[SF_EDGE_CHECKED_BY] = { "checked_by", SF_PLANE_NONE },
	[SF_EDGE_OWNED_BY] = { "owned_by", SF_PLANE_NONE },
	/* Terraform's creation order, not a runtime dependency. */
	[SF_EDGE_DEPENDS_ON] = { "depends_on", SF_PLANE_NONE },
};

/* Attribute names that may hold values in the graph. Everything here is a
 * non-secret fact; adding a name is a review decision, not a convenience.
 *
 * The table is a perfect hash: each name sits at the slot attr_slot() gives
 * it, so a lookup is one string comparison (unit test test_graph checks
 * every entry). A new name whose slot is taken needs new coefficients. */
#define ATTR_SLOTS 128
static const char *const attr_allow[ATTR_SLOTS] = {
	[ 93] = "account",
	[107] = "address",          /* ATTR_ADDRESS */
	[121] = "algorithm",
	[114] = "alias_zone_id",
	[ 54] = "arn",
	[ 21] = "attributed_by",
	[105] = "disabled",
	[  9] = "dns_name",
	[ 38] = "domain_name",
	[ 56] = "evaluate_target_health",
	[  7] = "failover",
	[ 53] = "failure_threshold",
	[ 27] = "fqdn",
	[ 15] = "function",
	[108] = "health_check_type",
	[ 14] = "hosted_zone",
	[ 90] = "id",
	[116] = "internal",
	[124] = "inverted",
	[106] = "ip",
	[ 95] = "issuer",
	[ 28] = "key_spec",
	[ 46] = "kv_version",
	[ 81] = "last_rotated",
	[118] = "load_balancer_type",
	[ 34] = "local_only",
	[125] = "login",
	[ 16] = "module",
	[ 69] = "multi_region",
	[ 20] = "name",
	[102] = "nameservers",
	[111] = "owner",
	[101] = "path_regex",
	[ 63] = "port",
	[ 60] = "primary_region",
	[ 97] = "priority",
	[ 30] = "protocol",
	[120] = "provider",
	[119] = "region",
	[ 66] = "replica_regions",
	[ 29] = "resource_path",
	[112] = "resource_type",
	[100] = "rotation_days",
	[  3] = "rotation_enabled",
	[ 62] = "routing_policy",
	[ 26] = "runbook",
	[ 80] = "scheme",
	[ 10] = "service",
	[ 77] = "set_identifier",
	[ 82] = "shamir_threshold",
	[126] = "side",
	[ 44] = "subject_alternative_names",
	[ 91] = "tier",
	[ 64] = "ttl",
	[104] = "type",
	[ 52] = "unresolved",
	[ 83] = "weight",
	[ 98] = "zone",
};

/* The slot of `address`, which a node may hold without a cell: a
 * Terraform instance's is its label (sf_node.address_label). */
#define ATTR_ADDRESS 107

/* An attribute is one 32-bit cell: its allow-list slot in the top bits,
 * its value's string number below (strings are fewer than
 * SF_GRAPH_MAX_STRINGS). */
#define CELL_VALUE_BITS 25u
#define ATTR_CELL(slot, vid) ((uint32_t)(slot) << CELL_VALUE_BITS | (vid))
#define CELL_SLOT(c) ((c) >> CELL_VALUE_BITS)
#define CELL_VALUE(c) ((c) & ((1u << CELL_VALUE_BITS) - 1u))

static unsigned attr_slot(const char *name, size_t len)
{
	const unsigned char *u = (const unsigned char *)name;
	return (26u * u[0] + 29u * u[1] + 15u * u[len - 1]) % ATTR_SLOTS;
}

const sf_kind_info *sf_kind_get(sf_kind k)
{
	return (unsigned)k < SF_KIND__COUNT ? &kinds[k] : NULL;
}

const char *sf_category_name(sf_category c)
{
	return (unsigned)c < SF_CAT__COUNT ? categories[c] : "?";
}

const sf_edge_kind_info *sf_edge_kind_get(sf_edge_kind k)
{
	return (unsigned)k < SF_EDGE__COUNT ? &edge_kinds[k] : NULL;
}

int sf_kind_from_name(const char *name)
{
	for (int i = 0; i < SF_KIND__COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

int sf_category_from_name(const char *name)
{
	for (int i = 0; i < SF_CAT__COUNT; i++)
		if (strcmp(categories[i], name) == 0)
			return i;
	return -1;
}

int sf_edge_kind_from_name(const char *name)
{
	for (int i = 0; i < SF_EDGE__COUNT; i++)
		if (strcmp(edge_kinds[i].name, name) == 0)
			return i;
	return -1;
}

/* The allow-list slot of `name`, or -1 when it is not allowed. */
static int attr_index(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	unsigned slot;
	if (len < 2)
		return -1;      /* no allowed name is shorter */
	slot = attr_slot(name, len);
	return attr_allow[slot] && strcmp(attr_allow[slot], name) == 0 ? (int)slot : -1;
}

int sf_graph_attr_allowed(const char *name)
{
	return attr_index(name) >= 0;
}

/* ---- the graph ---- */

/* A slot of the string index is 4 bytes: the string's number plus one
 * (0: empty) in the low IDX_ID_BITS, and 7 bits of its hash (a tag) above,
 * so that a probe reads a string only once in 128 foreign entries. The
 * whole hash is not kept: growing the table hashes every string again,
 * walking them in the order they sit in their blocks, which costs less
 * than 4 more bytes a slot would (the index is most of the string table
 * on a large state). */
typedef uint32_t islot;
#define IDX_ID_BITS 25u
#define IDX_TAG(h) ((uint32_t)(h) & 0x7fu)
#define IDX_SLOT(id, h) (IDX_TAG(h) << IDX_ID_BITS | ((id) + 1u))
#define IDX_ID(s) (((s) & ((1u << IDX_ID_BITS) - 1u)) - 1u)
#define IDX_SLOT_TAG(s) ((s) >> IDX_ID_BITS)

/* The sizes the graph's memory was measured with (SHAREDFATE_STATS): a
 * field added to either is paid for every node or edge. */
_Static_assert(sizeof(sf_node) == 20, "sf_node is 20 bytes");
_Static_assert(sizeof(sf_edge) == 8, "sf_edge is 8 bytes");
_Static_assert(SF_GRAPH_MAX_NODES < (1u << 26), "a node number fits sf_edge.to");
_Static_assert(SF_EDGE__COUNT <= 32 && SF_KIND__COUNT <= 32, "kinds fit their bits");
_Static_assert(SF_GRAPH_MAX_STRINGS < (1u << IDX_ID_BITS) - 1u, "a string number fits an index slot");
_Static_assert(SF_GRAPH_MAX_STRINGS < (1u << CELL_VALUE_BITS) && ATTR_SLOTS <= (1u << (32 - CELL_VALUE_BITS)),
               "an attribute's slot and value fit a cell");
_Static_assert(SF_GRAPH_MAX_EDGES < UINT32_MAX && SF_GRAPH_MAX_NODES < 0x3fffffffu,
               "edge numbers fit 32 bits, node numbers 30");

/* str_node: what a string is. With STR_KEY, the key of the node in the
 * low bits; else, with STR_ALIAS, an alias of the node in the low bits. A
 * string that is both (a placeholder's key registered as an alias later,
 * rare) has the node it is an alias of in alias_of. 0: neither. */
#define STR_ALIAS 0x80000000u
#define STR_KEY 0x40000000u
#define STR_LOW 0x3fffffffu

/* A map from numbers to numbers, for what few strings or nodes have (an
 * alias, a provenance path, a label apart from the key, a merge), so that
 * no per-string or per-node array pays for it: open addressing,
 * power-of-two size, a slot holds key and value. */
typedef struct u32map {
	uint32_t (*slot)[2];        /* key SF_STR_NONE: empty */
	size_t cap, n;
} u32map;

/* sf_node.label_at: the label is not the end of the key but in label_of */
#define LABEL_ELSEWHERE 255

/* A line as nodes and edges keep it: past 32 bits (no input is that
 * long) it is unknown. */
static uint32_t line32(long line)
{
	return line > 0 && line <= (long)UINT32_MAX ? (uint32_t)line : 0;
}

/* Provenance paths by number, 32 bits in nodes and edges. Path 0 is none.
 * Paths are interned strings, so there are fewer than strings. */
#define PATH_MAX_ID (SF_GRAPH_MAX_STRINGS - 1u)

/* Where an edge came from. Most edges come from where their `from` node
 * does (the resource or record that made both), and hold nothing more,
 * so an edge is 8 bytes. Another (sf_edge.own) has its place kept apart,
 * by edge number, in 8 bytes but for a far place (a path numbered past
 * 127, a line past 2^24): about one edge in seven of a Terraform state. An edge
 * gets its own place before its node's changes (sf_graph_set_prov) or it
 * moves to another node (a merge). */
typedef struct eown {
	uint32_t edge;              /* the edge's number */
	uint32_t place;             /* EOWN_PLACE(path, line), or EOWN_FAR | an efar number */
} eown;
/* A place with a path number below 128 and a line below 2^24 (0 unknown)
 * fits 31 bits; another is kept in efar. */
#define EOWN_NEAR(path, line) ((path) < 128u && (line) < (1u << 24))
#define EOWN_PLACE(path, line) ((uint32_t)(path) << 24 | (line))
#define EOWN_FAR 0x80000000u
typedef struct efar {
	uint32_t path, line;
} efar;

/* The duplicate check's list heads (sf_graph.out_head): the newest
 * out-edge's number, or OUT_NONE, and OUT_BIG for a node whose out-edges
 * are in the hash set as well. Edge numbers are below 2^31. */
#define OUT_NONE 0x7fffffffu
#define OUT_BIG 0x80000000u

/* the structures whose memory SHAREDFATE_STATS shows apart */
enum { MEM_NODES, MEM_EDGES, MEM_STRTAB, MEM_DEDUP, MEM_ADJ, MEM_ATTRS, MEM__COUNT };

struct sf_graph {
	uint64_t seed[2];           /* per-run hash key */
	sf_graph_stats stats;

	/* interned strings (str_at): each one's offset in its block, the
	 * blocks, the number of each block's first string, and the block of
	 * the first string of each group of STR_GROUP */
	uint16_t *soff;
	char **sblk;
	uint32_t *sfirst;
	size_t nsblk, sblkcap;
	uint32_t *sgrp;
	size_t sgrpcap;
	size_t sblk_cur;            /* the block being filled */
	size_t sblk_off;            /* bytes used of it */
	size_t sblk_bytes;          /* of all blocks */
	uint32_t *str_node;         /* per string: the node it is the key of, or none */
	size_t nstrs, strvcap;
	islot *strs;                /* index of the strings; open addressing, any size (idx_home) */
	size_t strcap;
	int idx_fitted;             /* sized by sf_graph_fit(): FULL_FITTED */
	u32map alias_of;            /* string number -> the node it is an alias of, for a key (STR_KEY) */
	u32map label_of;            /* node -> its label's string number (LABEL_ELSEWHERE) */
	u32map merged_of;           /* node -> the node it was merged into */
	/* provenance paths by number (pathv[0] is none), and the number of
	 * each path's string */
	const char **pathv;
	size_t npaths, pathcap;
	u32map path_of;
	/* the last provenance path interned, from the caller's pointer */
	const char *last_path_in, *last_path;
	uint32_t last_path_id;

	sf_node *nodes;
	size_t nnodes, nodecap;

	sf_edge *edges;
	size_t nedges, edgecap;
	/* the places of edges that have their own (sf_edge.own), sorted by
	 * edge number unless eown_mixed: sf_graph_edge() appends in order,
	 * eprov_own() for an older edge does not */
	eown *eowns;
	size_t neowns, eowncap;
	int eown_mixed;
	efar *efars;                /* places that do not fit an eown, by number */
	size_t nefars, efarcap;
	/* Duplicate edges are found among the out-edges of their `from` node:
	 * a list per node, newest first (out_head per node, out_next per
	 * edge), which is short and was just written for almost every node.
	 * A node past SMALL_DEGREE out-edges (OUT_BIG in out_head) has them
	 * in a hash set
	 * instead, so no input makes the check long. */
	uint32_t *out_head, *out_next;
	int dedup_gone;             /* the three above let go (build_adj) */
	/* the set: (hash of (from,to,kind)) << 32 | (edge index + 1); 0 empty */
	uint64_t *edgeset;
	size_t edgesetcap, nset;

	/* lazily built CSR adjacency; when it is built the duplicate check
	 * above lets go of its lists, and builds them again for a new edge */
	size_t adj_edges, adj_nodes; /* counts when built; (size_t)-1 never */
	uint32_t *out_off, *in_off; /* out-lists: the edges out_off[x] on */
	sf_edge_id *in_idx;
	size_t adj_bytes;           /* of those three */
	sf_node_id *sorted;         /* node ids by key */
	size_t sorted_n;

	/* The strings that are both a key and an alias, in the order they
	 * became so (mostly an alias registered for a placeholder's key):
	 * the merge joins their nodes in this order, so the result never
	 * depends on the hash seed. A string that is only an alias has no
	 * node to join and is not kept here (it was, at 4 bytes an alias).
	 * Only the merge reads it: sf_graph_fit() lets it go. */
	uint32_t *aliases;
	size_t naliases, aliasvcap;
	size_t merged;
	/* Attributes: a node's are attr_n cells from attr_at on (room for
	 * attr_cap), each its allow-list slot and its value's string number,
	 * and `address` without a cell when it is the node's label (as a
	 * Terraform instance's is: sf_node.address_label),
	 * sorted by name. Importers set a node's attributes one after another,
	 * so its cells are mostly the last ones and grow where they are. */
	uint32_t *attr_cell;        /* ATTR_CELL(slot, value string) */
	size_t nattrs, attrcap;
	/* per allow-list slot: the last value set under it, as importers set
	 * one name on many nodes, mostly to a few values (a TTL, `true`) */
	uint32_t attr_last[ATTR_SLOTS];

	size_t str_bytes;           /* of the strings, NUL included */
	size_t mem_peak;            /* the most bytes held at once but strings */
	size_t mem_part[MEM__COUNT];         /* mem_peak by structure (MEM_*) */
};

/* SipHash-1-3 (Aumasson and Bernstein) keyed with a random seed per run:
 * input crafted to collide in one run's tables cannot know the next run's
 * key. Nothing depends on the order of a hash table, so the seed never
 * shows in any output. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND \
	do { \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t siphash13(const uint64_t key[2], const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ull, v1 = key[1] ^ 0x646f72616e646f6dull;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ull, v3 = key[1] ^ 0x7465646279746573ull;
	uint64_t m, last = (uint64_t)n << 56;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		m = 0;
		for (int k = 7; k >= 0; k--)
			m = m << 8 | p[i + (size_t)k];
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (int k = 0; i + (size_t)k < n; k++)
		last |= (uint64_t)p[i + (size_t)k] << (8 * k);
	v3 ^= last;
	SIPROUND;
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint32_t hash_str(const sf_graph *g, const char *s, size_t n)
{
	return (uint32_t)siphash13(g->seed, s, n);
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static void seed_hash(sf_graph *g)
{
	if (getrandom(g->seed, sizeof(g->seed), GRND_NONBLOCK) != (ssize_t)sizeof(g->seed)) {
		/* No entropy yet (early boot): still differ per process. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		g->seed[0] = mix64((uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32);
		g->seed[1] = mix64((uint64_t)getpid() ^ (uint64_t)(uintptr_t)g);
	}
}

/* Hash tables fill to three quarters: slots carry the hash or a tag of
 * it, so a probe past a foreign entry costs a comparison in a cache line
 * already read, and the tables are a third smaller than at one half. */
#define FULL(n, cap) ((n) * 4 > (size_t)(cap) * 3)
/* The string index once every input is read (sf_graph_fit): mostly looked
 * up, with few strings to come, it fills to seven eighths. A failed probe
 * reads some 30 slots then, two or three cache lines of 4-byte slots. */
#define FULL_FITTED(n, cap) ((n) * 8 > (size_t)(cap) * 7)

/* The size of a string index that holds n entries and n / spare empty
 * slots, for a table sized from a known count: spare 3 fills it to three
 * quarters (FULL), spare 6 to six sevenths (FULL_FITTED). */
static size_t table_size(size_t n, size_t spare)
{
	size_t c = n + n / spare + 1;
	return c < 256 ? 256 : c;
}

/* The next capacity of an array that is full at `cap` entries: half as
 * much again while small, a sixteenth once large. An array grown by half
 * holds a quarter of room it may never use, on average, and up to a half
 * just after growing, which is where the most memory is held; large
 * arrays are moved by the kernel's page tables rather than copied
 * (glibc's realloc of a mapped block), so small steps cost little. */
#define GROW_STEP_BIG 8192u
static size_t grown(size_t cap, size_t first)
{
	if (cap < first)
		return first;
	return cap < GROW_STEP_BIG ? cap + cap / 2 : cap + cap / 16;
}

/* The string index past which it grows by a quarter, not by half. */
#define IDX_STEP_BIG 65536u

int sf_graph_new(sf_graph **out)
{
	sf_graph *g = calloc(1, sizeof(*g));
	*out = NULL;
	if (!g)
		return -1;
	seed_hash(g);
	g->adj_edges = g->adj_nodes = (size_t)-1;
	for (int i = 0; i < ATTR_SLOTS; i++)
		g->attr_last[i] = SF_STR_NONE;
	*out = g;
	return 0;
}

void sf_graph_free(sf_graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nsblk; i++)
		free(g->sblk[i]);
	free(g->sblk);
	free(g->strs);
	free(g->soff);
	free(g->sfirst);
	free(g->sgrp);
	free(g->nodes);
	free(g->str_node);
	free(g->alias_of.slot);
	free(g->label_of.slot);
	free(g->merged_of.slot);
	free(g->pathv);
	free(g->path_of.slot);
	free(g->edges);
	free(g->eowns);
	free(g->efars);
	free(g->edgeset);
	free(g->out_head);
	free(g->out_next);
	free(g->out_off);
	free(g->in_off);
	free(g->in_idx);
	free(g->sorted);
	free(g->aliases);
	free(g->attr_cell);
	free(g);
}

void sf_graph_get_stats(const sf_graph *g, sf_graph_stats *out)
{
	*out = g->stats;
}

/* ---- memory ---- */

/* What the graph holds now but its strings' own bytes, by structure:
 * arrays at their capacity, the room string blocks hold beyond their
 * strings, and `scratch` bytes of temporary arrays a caller holds. The
 * sum. */
static size_t mem_now(const sf_graph *g, size_t scratch, size_t part[MEM__COUNT])
{
	size_t sum = 0;

	part[MEM_NODES] = g->nodecap * sizeof(*g->nodes) +
	                  (g->label_of.cap + g->merged_of.cap) * sizeof(*g->label_of.slot);
	part[MEM_EDGES] = g->edgecap * sizeof(*g->edges) + g->eowncap * sizeof(*g->eowns) +
	                  g->efarcap * sizeof(*g->efars);
	part[MEM_STRTAB] = g->strvcap * (sizeof(*g->soff) + sizeof(*g->str_node)) +
	                   g->sblkcap * (sizeof(*g->sblk) + sizeof(*g->sfirst)) +
	                   g->sgrpcap * sizeof(*g->sgrp) + (g->sblk_bytes - g->str_bytes) +
	                   g->strcap * sizeof(*g->strs) + g->aliasvcap * sizeof(*g->aliases) +
	                   (g->alias_of.cap + g->path_of.cap) * sizeof(*g->alias_of.slot) +
	                   g->pathcap * sizeof(*g->pathv);
	part[MEM_DEDUP] = g->out_head ? g->nodecap * sizeof(*g->out_head) +
	                                g->edgecap * sizeof(*g->out_next) : 0;
	part[MEM_DEDUP] += g->edgesetcap * sizeof(*g->edgeset);
	part[MEM_ADJ] = scratch + g->adj_bytes + (g->sorted ? g->sorted_n * sizeof(*g->sorted) : 0);
	part[MEM_ATTRS] = g->attrcap * sizeof(*g->attr_cell);
	for (int i = 0; i < MEM__COUNT; i++)
		sum += part[i];
	return sum;
}

/* Keep the most the graph held at once: what it costs. Called where an
 * array grows or scratch is taken, which is rarely; the arena grows in
 * between, and sf_graph_publish_memory() looks at it once more. */
static void mem_note(sf_graph *g, size_t scratch)
{
	size_t part[MEM__COUNT], sum = mem_now(g, scratch, part);
	if (sum > g->mem_peak) {
		g->mem_peak = sum;
		memcpy(g->mem_part, part, sizeof(part));
	}
}

void sf_graph_publish_memory(const sf_graph *g)
{
	static const sf_stat stat[MEM__COUNT] = {
		SF_STAT_GRAPH_BYTES_NODES, SF_STAT_GRAPH_BYTES_EDGES, SF_STAT_GRAPH_BYTES_STRTAB,
		SF_STAT_GRAPH_BYTES_DEDUP, SF_STAT_GRAPH_BYTES_ADJ, SF_STAT_GRAPH_BYTES_ATTRS,
	};
	size_t part[MEM__COUNT], sum = mem_now(g, 0, part);
	const size_t *at = sum > g->mem_peak ? part : g->mem_part;

	sf_stat_set(SF_STAT_GRAPH_NODES, g->nnodes);
	sf_stat_set(SF_STAT_GRAPH_EDGES, g->nedges);
	sf_stat_set(SF_STAT_GRAPH_STRINGS, g->nstrs);
	sf_stat_set(SF_STAT_GRAPH_STRING_BYTES, g->str_bytes);
	sf_stat_set(SF_STAT_GRAPH_BYTES, sum > g->mem_peak ? sum : g->mem_peak);
	for (int i = 0; i < MEM__COUNT; i++)
		sf_stat_set(stat[i], at[i]);
}

/* ---- interned strings ---- */

static int idx_resize(sf_graph *g, size_t cap);

/* Room for n strings in soff and its side arrays. */
static int strv_reserve(sf_graph *g, size_t n)
{
	uint16_t *t;
	uint32_t *kn;
	if (n <= g->strvcap)
		return 0;
	if (n > SF_STR_NONE)
		return -1;
	if (!(t = realloc(g->soff, n * sizeof(*t))))
		return -1;
	g->soff = t;
	if (!(kn = realloc(g->str_node, n * sizeof(*kn))))
		return -1;
	g->str_node = kn;
	g->strvcap = n;
	mem_note(g, 0);
	return 0;
}

/* Interned strings sit in blocks of STR_BLOCK bytes, in the order of
 * their numbers: block b holds the strings from sfirst[b] to the first of
 * block b + 1. A string's place is its offset in its block, 2 bytes; its
 * block is the block of the first string of its group of STR_GROUP
 * numbers (sgrp), or one a step or two on. A string longer than a block
 * has a block to itself, and the string after it begins a new block, so
 * that blocks stay in the order of their strings. Built with
 * SF_DEBUG_POOL, every string is a block (ASan sees its bounds): a
 * string's block is its number. */
#ifdef SF_DEBUG_POOL
#define STR_BLOCK 0u
#else
#define STR_BLOCK 65536u
#endif
#define STR_GROUP 256u
_Static_assert(STR_BLOCK <= UINT16_MAX + 1u, "an offset in a block fits soff");

static const char *str_at(const sf_graph *g, uint32_t id)
{
#ifdef SF_DEBUG_POOL
	return g->sblk[id];
#else
	size_t b = g->sgrp[id / STR_GROUP];
	while (b + 1 < g->nsblk && g->sfirst[b + 1] <= id)
		b++;
	return g->sblk[b] + g->soff[id];
#endif
}

/* Room for one more block. -1 out of memory. */
static int sblk_room(sf_graph *g)
{
	size_t cap;
	char **t;
	uint32_t *f;
	if (g->nsblk < g->sblkcap)
		return 0;
	cap = g->sblkcap ? g->sblkcap * 2 : 16;
	if (!(t = realloc(g->sblk, cap * sizeof(*t))))
		return -1;
	g->sblk = t;
	if (!(f = realloc(g->sfirst, cap * sizeof(*f))))
		return -1;
	g->sfirst = f;
	g->sblkcap = cap;
	return 0;
}

/* Copy the `len` bytes at `s`, NUL added, into the blocks as string number
 * g->nstrs, with its place in soff, which has room for it. A string that
 * does not fit the rest of the block being filled starts a new one. -1
 * out of memory. */
static int str_store(sf_graph *g, const char *s, size_t len)
{
	uint32_t id = (uint32_t)g->nstrs;
	size_t off = g->sblk_off;
	char *p;

	if (len >= SIZE_MAX / 2)
		return -1;
	if (id % STR_GROUP == 0 && id / STR_GROUP >= g->sgrpcap) {
		size_t cap = grown(g->sgrpcap, 64);
		uint32_t *t = realloc(g->sgrp, cap * sizeof(*t));
		if (!t)
			return -1;
		g->sgrp = t;
		g->sgrpcap = cap;
	}
	if (!g->nsblk || len + 1 > STR_BLOCK - g->sblk_off) {
		int own = len + 1 > STR_BLOCK;
		size_t size = own ? len + 1 : STR_BLOCK;
		if (g->nsblk >= UINT32_MAX - 1u || sblk_room(g) < 0 || !(p = malloc(size)))
			return -1;
		g->sblk[g->nsblk] = p;
		g->sfirst[g->nsblk] = id;
		g->sblk_bytes += size;
		g->sblk_cur = g->nsblk++;
		/* a block of its own is full: the next string begins another */
		g->sblk_off = own ? STR_BLOCK : len + 1;
		off = 0;
	} else {
		p = g->sblk[g->sblk_cur] + off;
		g->sblk_off += len + 1;
	}
	if (id % STR_GROUP == 0)
		g->sgrp[id / STR_GROUP] = (uint32_t)g->sblk_cur;
	g->soff[id] = (uint16_t)off;
	memcpy(p, s, len);
	p[len] = '\0';
	return 0;
}

/* The string index is of any size, not a power of two, so that it can be
 * sized to what it holds (sf_graph_fit): a hash picks its first slot by
 * multiplying, not masking, and probing wraps at the end. */
static size_t idx_home(uint32_t h, size_t cap)
{
	return (size_t)(((uint64_t)h * cap) >> 32);
}

static size_t idx_next(size_t j, size_t cap)
{
	return j + 1 == cap ? 0 : j + 1;
}

/* The number of the interned string equal to `s` (`len` bytes, hashed to
 * `h`), or SF_STR_NONE; the slot where it would go in *slot. */
static uint32_t str_find(const sf_graph *g, const char *s, size_t len, uint32_t h, size_t *slot)
{
	sf_graph_stats *st = (sf_graph_stats *)&g->stats;   /* counters only */
	size_t j;

	*slot = 0;
	if (!g->strcap)
		return SF_STR_NONE;
	st->lookups++;
	for (j = idx_home(h, g->strcap); g->strs[j]; j = idx_next(j, g->strcap)) {
		const char *t;
		st->probes++;
		if (IDX_SLOT_TAG(g->strs[j]) != IDX_TAG(h))
			continue;
		t = str_at(g, IDX_ID(g->strs[j]));
		/* callers often pass a string interned already: no need to
		 * read it again */
		if ((t == s || strncmp(t, s, len) == 0) && t[len] == '\0')
			return IDX_ID(g->strs[j]);
	}
	*slot = j;
	return SF_STR_NONE;
}

/* Intern `s` (of `len` bytes, hashed to `h`): its number, SF_STR_NONE
 * when out of memory. */
static uint32_t intern_id(sf_graph *g, const char *s, size_t len, uint32_t h)
{
	size_t j;
	uint32_t id;

	/* The index grows by half while small and by a quarter once large, not
	 * by a sixteenth as the arrays do: each growth places every entry
	 * again, and sf_graph_fit() takes its room back once the inputs are
	 * read. */
	if (g->idx_fitted ? FULL_FITTED(g->nstrs + 1, g->strcap) : FULL(g->nstrs + 1, g->strcap)) {
		if (idx_resize(g, !g->strcap ? 1024
		                  : g->strcap + (g->strcap < IDX_STEP_BIG ? g->strcap / 2 : g->strcap / 4)) < 0)
			return SF_STR_NONE;
		mem_note(g, 0);
	}
	if (g->nstrs == g->strvcap && strv_reserve(g, grown(g->strvcap, 512)) < 0)
		return SF_STR_NONE;
	if ((id = str_find(g, s, len, h, &j)) != SF_STR_NONE)
		return id;
	if (g->nstrs >= SF_GRAPH_MAX_STRINGS || str_store(g, s, len) < 0)
		return SF_STR_NONE;
	g->str_bytes += len + 1;
	id = (uint32_t)g->nstrs++;
	g->str_node[id] = 0;
	g->strs[j] = IDX_SLOT(id, h);
	return id;
}

static const char *intern_h(sf_graph *g, const char *s, size_t len, uint32_t h)
{
	uint32_t id = intern_id(g, s, len, h);
	return id == SF_STR_NONE ? NULL : str_at(g, id);
}

/* A string ends at its first NUL: the index hashes a string again from
 * its C length when it grows, so what is interned must be a C string. */
const char *sf_graph_internn(sf_graph *g, const char *s, size_t len)
{
	if (!s)
		return NULL;
	len = strnlen(s, len);
	return intern_h(g, s, len, hash_str(g, s, len));
}

const char *sf_graph_intern(sf_graph *g, const char *s)
{
	size_t len;
	if (!s)
		return NULL;
	len = strlen(s);        /* a C string already: no NUL to look for */
	return intern_h(g, s, len, hash_str(g, s, len));
}

sf_str_id sf_graph_intern_id(sf_graph *g, const char *s, size_t len)
{
	if (!s)
		return SF_STR_NONE;
	len = strnlen(s, len);
	return intern_id(g, s, len, hash_str(g, s, len));
}

const char *sf_graph_str(const sf_graph *g, sf_str_id id)
{
	return id < g->nstrs ? str_at(g, id) : NULL;
}

size_t sf_graph_str_count(const sf_graph *g)
{
	return g->nstrs;
}

/* ---- maps of numbers ---- */

static size_t map_hash(const sf_graph *g, uint32_t key)
{
	return (size_t)mix64(key ^ g->seed[1]);
}

/* The value of `key` in `m`, or SF_STR_NONE. */
static uint32_t map_get(const sf_graph *g, const u32map *m, uint32_t key)
{
	sf_graph_stats *st = (sf_graph_stats *)&g->stats;   /* counters only */
	if (!m->cap)
		return SF_STR_NONE;
	st->lookups++;
	for (size_t j = map_hash(g, key) & (m->cap - 1); m->slot[j][0] != SF_STR_NONE;
	     j = (j + 1) & (m->cap - 1)) {
		st->probes++;
		if (m->slot[j][0] == key)
			return m->slot[j][1];
	}
	return SF_STR_NONE;
}

static void map_place(const sf_graph *g, uint32_t (*slot)[2], size_t cap, uint32_t key, uint32_t value)
{
	size_t j = map_hash(g, key) & (cap - 1);
	while (slot[j][0] != SF_STR_NONE)
		j = (j + 1) & (cap - 1);
	slot[j][0] = key;
	slot[j][1] = value;
}

/* Add `key` (not in `m` yet) with `value`. -1 out of memory. */
static int map_put(sf_graph *g, u32map *m, uint32_t key, uint32_t value)
{
	if (FULL(m->n + 1, m->cap)) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		uint32_t (*t)[2] = malloc(cap * sizeof(*t));
		if (!t)
			return -1;
		for (size_t i = 0; i < cap; i++)
			t[i][0] = SF_STR_NONE;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slot[i][0] != SF_STR_NONE)
				map_place(g, t, cap, m->slot[i][0], m->slot[i][1]);
		free(m->slot);
		m->slot = t;
		m->cap = cap;
		mem_note(g, 0);
	}
	map_place(g, m->slot, m->cap, key, value);
	m->n++;
	return 0;
}

/* Set the value of `key` in `m`, there or not. -1 out of memory. */
static int map_set(sf_graph *g, u32map *m, uint32_t key, uint32_t value)
{
	for (size_t j = m->cap ? map_hash(g, key) & (m->cap - 1) : 0;
	     m->cap && m->slot[j][0] != SF_STR_NONE; j = (j + 1) & (m->cap - 1))
		if (m->slot[j][0] == key) {
			m->slot[j][1] = value;
			return 0;
		}
	return map_put(g, m, key, value);
}

/* ---- provenance paths ---- */

/* The number of the path with string number `sid`, numbered now if new;
 * 0 when past PATH_MAX_ID, SF_STR_NONE out of memory. */
static uint32_t path_id(sf_graph *g, uint32_t sid)
{
	uint32_t pid = map_get(g, &g->path_of, sid);
	if (pid != SF_STR_NONE)
		return pid;
	if (g->npaths > PATH_MAX_ID)
		return 0;
	if (g->npaths + 1 >= g->pathcap) {
		size_t cap = g->pathcap ? g->pathcap * 2 : 16;
		const char **t = realloc(g->pathv, cap * sizeof(*t));
		if (!t)
			return SF_STR_NONE;
		g->pathv = t;
		g->pathcap = cap;
		if (!g->npaths)
			g->pathv[g->npaths++] = NULL;   /* number 0: none */
	}
	pid = (uint32_t)g->npaths;
	if (map_put(g, &g->path_of, sid, pid) < 0)
		return SF_STR_NONE;
	g->pathv[g->npaths++] = str_at(g, sid);
	return pid;
}

/* Provenance paths repeat for every node and edge of a file: remember the
 * last one (and its number, in last_path_id) instead of hashing it each
 * time. The caller's buffer may have changed since, hence the comparison.
 * NULL out of memory. */
static const char *intern_path(sf_graph *g, const char *path)
{
	uint32_t sid, pid;

	/* the interned path itself (importers pass it back): it cannot
	 * have changed */
	if (path == g->last_path && path)
		return path;
	if (path == g->last_path_in && g->last_path && strcmp(path, g->last_path) == 0)
		return g->last_path;
	g->last_path_in = path;
	g->last_path = NULL;
	if ((sid = sf_graph_intern_id(g, path, strlen(path))) == SF_STR_NONE ||
	    (pid = path_id(g, sid)) == SF_STR_NONE)
		return NULL;
	g->last_path = str_at(g, sid);
	g->last_path_id = pid;
	return g->last_path;
}

/* ---- keys and aliases ---- */

/* Node keys and aliases are interned strings, and each string knows the
 * node it is the key of or the alias it is (str_node): finding a node by
 * key is one probe of the string table, and a string the zone importer
 * holds by number needs no probe at all. */

#define IDX_AHEAD 16u
static uint32_t str_hash_at(const sf_graph *g, uint32_t id)
{
	const char *s = str_at(g, id);
	return hash_str(g, s, strlen(s));
}

/* A new index of `cap` slots, filled with every string: strings are hashed
 * again, read in number order, which is mostly the order of their bytes
 * in the blocks. If it cannot be had, the old index stays. */
static int idx_resize(sf_graph *g, size_t cap)
{
	islot *t = calloc(cap, sizeof(*t));
	uint32_t ahead[IDX_AHEAD];
	uint32_t n = (uint32_t)g->nstrs;
	if (!t)
		return -1;
	/* The slots are written at random: each string's home is hashed
	 * IDX_AHEAD strings ahead and fetched while those before it go in. */
	for (uint32_t id = 0; id < n && id < IDX_AHEAD; id++) {
		ahead[id] = str_hash_at(g, id);
		__builtin_prefetch(&t[idx_home(ahead[id], cap)], 1);
	}
	for (uint32_t id = 0; id < n; id++) {
		uint32_t h = ahead[id % IDX_AHEAD];
		size_t j = idx_home(h, cap);
		if (id + IDX_AHEAD < n) {
			uint32_t next = str_hash_at(g, id + IDX_AHEAD);
			ahead[id % IDX_AHEAD] = next;
			__builtin_prefetch(&t[idx_home(next, cap)], 1);
		}
		while (t[j])
			j = idx_next(j, cap);
		t[j] = IDX_SLOT(id, h);
	}
	free(g->strs);
	g->strs = t;
	g->strcap = cap;
	return 0;
}

/* The node whose key is string `sid`, or SF_NODE_NONE. */
static sf_node_id key_node(const sf_graph *g, uint32_t sid)
{
	uint32_t v = g->str_node[sid];
	return v & STR_KEY ? v & STR_LOW : SF_NODE_NONE;
}

/* Make string `sid` the key of node `id`, or of none. An alias's node
 * moves to alias_of while the low bits hold the key's node, and back. -1
 * out of memory. */
/* String `sid` is, or is about to be, both a key and an alias: the merge
 * will join the node it is the key of with the node it names (see
 * sf_graph.aliases). -1 out of memory. */
static int merge_candidate(sf_graph *g, uint32_t sid)
{
	if (g->naliases >= STR_LOW)
		return -1;
	if (g->naliases == g->aliasvcap) {
		size_t cap = grown(g->aliasvcap, 64);
		uint32_t *t = realloc(g->aliases, cap * sizeof(*t));
		if (!t)
			return -1;
		g->aliases = t;
		g->aliasvcap = cap;
		mem_note(g, 0);
	}
	g->aliases[g->naliases++] = sid;
	return 0;
}

static int set_key_node(sf_graph *g, uint32_t sid, sf_node_id id)
{
	uint32_t v = g->str_node[sid];
	if (id != SF_NODE_NONE) {
		if ((v & (STR_ALIAS | STR_KEY)) == STR_ALIAS &&
		    (merge_candidate(g, sid) < 0 || map_set(g, &g->alias_of, sid, v & STR_LOW) < 0))
			return -1;
		g->str_node[sid] = (v & STR_ALIAS) | STR_KEY | id;
	} else if (v & STR_KEY) {
		uint32_t a = v & STR_ALIAS ? map_get(g, &g->alias_of, sid) : SF_STR_NONE;
		g->str_node[sid] = a != SF_STR_NONE ? STR_ALIAS | a : 0;
	}
	return 0;
}

/* The node with key string `sid`, else the node it is an alias of. */
static sf_node_id find_sid(const sf_graph *g, uint32_t sid)
{
	sf_node_id id;
	uint32_t v;
	if (sid == SF_STR_NONE)
		return SF_NODE_NONE;
	v = g->str_node[sid];
	if (v & STR_KEY)
		id = v & STR_LOW;
	else if (v & STR_ALIAS)
		id = v & STR_LOW;
	else
		return SF_NODE_NONE;
	return sf_graph_live(g, id);
}

sf_node_id sf_graph_find(const sf_graph *g, const char *key)
{
	size_t len, slot;
	if (!key)
		return SF_NODE_NONE;
	len = strlen(key);
	return find_sid(g, str_find(g, key, len, hash_str(g, key, len), &slot));
}

sf_node_id sf_graph_live(const sf_graph *g, sf_node_id id)
{
	/* Merges never form a chain longer than the node count. */
	for (size_t hops = 0; id < g->nnodes && g->nodes[id].merged &&
	                      hops < g->nnodes; hops++)
		id = map_get(g, &g->merged_of, id);
	return id;
}

size_t sf_graph_live_count(const sf_graph *g)
{
	return g->nnodes - g->merged;
}

int sf_graph_alias(sf_graph *g, const char *key, sf_node_id id)
{
	uint32_t sid;

	if (id >= g->nnodes || !key || !key[0])
		return -1;
	if ((sid = sf_graph_intern_id(g, key, strlen(key))) == SF_STR_NONE)
		return -1;
	if (g->str_node[sid] & STR_ALIAS)
		return 1;
	if (g->str_node[sid] & STR_KEY) {
		if (merge_candidate(g, sid) < 0 || map_put(g, &g->alias_of, sid, id) < 0)
			return -1;
		g->str_node[sid] |= STR_ALIAS;
	} else {
		g->str_node[sid] = STR_ALIAS | id;
	}
	return 0;
}

/* Room for `cap` nodes, and `cap` edges, with their side arrays. */
static int nodes_grow(sf_graph *g, size_t cap)
{
	sf_node *p = realloc(g->nodes, cap * sizeof(*p));
	uint32_t *h;
	if (!p)
		return -1;
	g->nodes = p;
	if (!g->dedup_gone) {
		if (!(h = realloc(g->out_head, cap * sizeof(*h))))
			return -1;
		g->out_head = h;
	}
	g->nodecap = cap;
	mem_note(g, 0);
	return 0;
}

static int edges_grow(sf_graph *g, size_t cap)
{
	sf_edge *p = realloc(g->edges, cap * sizeof(*p));
	uint32_t *n;
	if (!p)
		return -1;
	g->edges = p;
	if (!g->dedup_gone) {
		if (!(n = realloc(g->out_next, cap * sizeof(*n))))
			return -1;
		g->out_next = n;
	}
	g->edgecap = cap;
	mem_note(g, 0);
	return 0;
}

static int is_placeholder(sf_kind k)
{
	return k == SF_KIND_ENDPOINT || k == SF_KIND_RESOURCE;
}

/* Room for `strs` strings in all: the index sized to hold them, and their
 * numbering. -1 out of memory. */
static int strs_room(sf_graph *g, size_t strs)
{
	if (FULL(strs, g->strcap)) {
		if (idx_resize(g, table_size(strs, 3)) < 0)
			return -1;
		mem_note(g, 0);
	}
	return strv_reserve(g, strs);
}

int sf_graph_reserve(sf_graph *g, size_t nodes, size_t edges)
{
	size_t strs;

	if (nodes > SF_GRAPH_MAX_NODES)
		nodes = SF_GRAPH_MAX_NODES;
	if (edges > SF_GRAPH_MAX_EDGES)
		edges = SF_GRAPH_MAX_EDGES;
	nodes += g->nnodes;
	edges += g->nedges;
	/* A key per node: an importer that interned its names already (the
	 * zone's) needs no more; one that has not grows past this. */
	strs = g->nstrs > nodes ? g->nstrs : nodes;
	if (strs_room(g, strs) < 0)
		return -1;
	if (nodes > g->nodecap && nodes_grow(g, nodes) < 0)
		return -1;
	if (edges > g->edgecap && edges_grow(g, edges) < 0)
		return -1;
	return 0;
}

int sf_graph_reserve_strings(sf_graph *g, size_t strings)
{
	if (strings > SF_GRAPH_MAX_STRINGS)
		strings = SF_GRAPH_MAX_STRINGS;
	return strs_room(g, g->nstrs + strings);
}

/* Give node `id` its label (NULL: its key). Most labels are the end of
 * the key (the key itself, a `dns:` name, a qualified address) and cost a
 * byte; another is interned and kept in a map. -1 out of memory. */
static int address_cell(sf_graph *g, sf_node_id id);

static int set_label(sf_graph *g, sf_node_id id, const char *label)
{
	sf_node *n = &g->nodes[id];
	const char *key = str_at(g, n->key);
	size_t kl = strlen(key), ll = label ? strlen(label) : kl;
	uint32_t sid;

	if (!label || (ll <= kl && kl - ll < LABEL_ELSEWHERE &&
	               memcmp(key + (kl - ll), label, ll) == 0)) {
		n->label_at = (uint8_t)(kl - ll);
		return 0;
	}
	if ((sid = sf_graph_intern_id(g, label, ll)) == SF_STR_NONE ||
	    map_set(g, &g->label_of, id, sid) < 0)
		return -1;
	g->nodes[id].label_at = LABEL_ELSEWHERE;
	return 0;
}

int sf_graph_set_label(sf_graph *g, sf_node_id id, const char *label)
{
	if (id >= g->nnodes)
		return -1;
	if (strcmp(label ? label : sf_graph_key(g, id), sf_graph_node_label(g, &g->nodes[id])) == 0)
		return 0;
	return address_cell(g, id) < 0 ? -1 : set_label(g, id, label);
}

sf_prov sf_graph_node_prov(const sf_graph *g, const sf_node *n)
{
	sf_prov p = { NULL, 0 };
	if (n->path && n->path < g->npaths) {
		p.path = g->pathv[n->path];
		p.line = n->line;
	}
	return p;
}

const char *sf_graph_node_key(const sf_graph *g, const sf_node *n)
{
	return str_at(g, n->key);
}

const char *sf_graph_key(const sf_graph *g, sf_node_id id)
{
	return str_at(g, g->nodes[id].key);
}

const char *sf_graph_node_label(const sf_graph *g, const sf_node *n)
{
	if (n->label_at != LABEL_ELSEWHERE)
		return str_at(g, n->key) + n->label_at;
	return str_at(g, map_get(g, &g->label_of, (uint32_t)(n - g->nodes)));
}

/* An existing node met again: a placeholder takes the more specific kind
 * (and its label), a node without provenance takes this one. -1 out of
 * memory. */
static int node_again(sf_graph *g, sf_node_id id, sf_kind kind, const char *label,
                      const sf_prov *prov)
{
	sf_node *n = &g->nodes[id];
	if (is_placeholder(n->kind) && !is_placeholder(kind)) {
		n->kind = kind;
		if (label && (address_cell(g, id) < 0 || set_label(g, id, label) < 0))
			return -1;
	}
	if (!n->path && prov && prov->path && intern_path(g, prov->path)) {
		n->path = g->last_path_id;
		n->line = line32(prov->line);
	}
	return 0;
}

/* A new node with key string `sid` and `label` (NULL: the key). */
static sf_node_id node_new(sf_graph *g, sf_kind kind, uint32_t sid, const char *label,
                           const sf_prov *prov)
{
	sf_node_id id;
	sf_node *n;

	if ((unsigned)kind >= SF_KIND__COUNT || g->nnodes >= SF_GRAPH_MAX_NODES)
		return SF_NODE_NONE;
	if (g->nnodes == g->nodecap &&
	    nodes_grow(g, grown(g->nodecap, 256)) < 0)
		return SF_NODE_NONE;
	if (!g->dedup_gone) {
		g->out_head[g->nnodes] = OUT_NONE;
	}
	n = &g->nodes[g->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->gate = SF_GATE_ALL;
	n->key = sid;
	if (prov && prov->path) {
		if (!intern_path(g, prov->path))
			return SF_NODE_NONE;
		n->path = g->last_path_id;
		n->line = line32(prov->line);
	}
	id = (sf_node_id)g->nnodes;
	if (set_label(g, id, label) < 0)
		return SF_NODE_NONE;
	if (set_key_node(g, sid, id) < 0)
		return SF_NODE_NONE;
	g->nnodes++;
	return id;
}

sf_node_id sf_graph_node(sf_graph *g, sf_kind kind, const char *key,
                         const char *label, const sf_prov *prov)
{
	sf_node_id id;
	uint32_t sid;

	/* a kind is a few bits of the node: none past the enum */
	if (!key || (unsigned)kind >= SF_KIND__COUNT)
		return SF_NODE_NONE;
	if ((sid = sf_graph_intern_id(g, key, strlen(key))) == SF_STR_NONE)
		return SF_NODE_NONE;
	if ((id = find_sid(g, sid)) != SF_NODE_NONE)
		return node_again(g, id, kind, label, prov) < 0 ? SF_NODE_NONE : id;
	return node_new(g, kind, sid, label, prov);
}

sf_node_id sf_graph_node_by_str(sf_graph *g, sf_kind kind, sf_str_id key, size_t label_skip,
                                const sf_prov *prov)
{
	sf_node_id id;
	const char *label;

	if (key >= g->nstrs || strnlen(str_at(g, key), label_skip) < label_skip ||
	    (unsigned)kind >= SF_KIND__COUNT)
		return SF_NODE_NONE;
	label = str_at(g, key) + label_skip;
	if ((id = find_sid(g, key)) != SF_NODE_NONE)
		return node_again(g, id, kind, label, prov) < 0 ? SF_NODE_NONE : id;
	return node_new(g, kind, key, label, prov);
}

int sf_graph_rekey(sf_graph *g, const sf_node_id *ids, const char *const *keys, size_t n)
{
	uint32_t *sids = malloc((n ? n : 1) * sizeof(*sids));
	if (!sids)
		return -1;
	/* The old keys let go of their nodes first, so that a new key may be
	 * the old key of another node of the batch. */
	for (size_t i = 0; i < n; i++) {
		if ((sids[i] = sf_graph_intern_id(g, keys[i], strlen(keys[i]))) == SF_STR_NONE) {
			free(sids);
			return -1;
		}
		if (ids[i] < g->nnodes && key_node(g, g->nodes[ids[i]].key) == ids[i])
			set_key_node(g, g->nodes[ids[i]].key, SF_NODE_NONE);     /* cannot fail */
	}
	for (size_t i = 0; i < n; i++) {
		sf_node *node = ids[i] < g->nnodes ? &g->nodes[ids[i]] : NULL;
		sf_str_id k = sids[i];
		if (!node)
			continue;
		/* A label that is the old key follows it; another stays what
		 * it was, mostly the end of the new key (an address that lost
		 * the state path qualifying it). Interned strings stay. */
		if (node->label_at == 0) {
			if (address_cell(g, ids[i]) < 0) {
				free(sids);
				return -1;
			}
			node->key = k;
		} else {
			const char *label = sf_graph_node_label(g, node);
			sf_str_id old = node->key;
			node->key = k;
			if (set_label(g, ids[i], label) < 0) {
				node->key = old;        /* label_at counts in the old key */
				free(sids);
				return -1;
			}
		}
		if (set_key_node(g, sids[i], ids[i]) < 0) {
			free(sids);
			return -1;
		}
	}
	free(sids);
	free(g->sorted);
	g->sorted = NULL;
	g->adj_edges = (size_t)-1;
	return 0;
}

size_t sf_graph_node_count(const sf_graph *g)
{
	return g->nnodes;
}

size_t sf_graph_edge_count(const sf_graph *g)
{
	return g->nedges;
}

sf_node *sf_graph_node_at(const sf_graph *g, sf_node_id id)
{
	return id < g->nnodes ? &g->nodes[id] : NULL;
}

const sf_edge *sf_graph_edge_at(const sf_graph *g, size_t i)
{
	return i < g->nedges ? &g->edges[i] : NULL;
}

void sf_graph_set_gate(sf_graph *g, sf_node_id id, sf_gate gate)
{
	if (id < g->nnodes)
		g->nodes[id].gate = gate;
}

static int dedup_build(sf_graph *g);

/* Room for one more edge place (path, line). -1 out of memory. */
static int eown_room(sf_graph *g, uint32_t path, uint32_t line)
{
	if (g->neowns >= g->eowncap) {
		size_t cap = grown(g->eowncap, 256);
		eown *t = realloc(g->eowns, cap * sizeof(*t));
		if (!t)
			return -1;
		g->eowns = t;
		g->eowncap = cap;
		mem_note(g, 0);
	}
	if (!EOWN_NEAR(path, line) && g->nefars >= g->efarcap) {
		size_t cap = grown(g->efarcap, 16);
		efar *t;
		if (cap > EOWN_FAR || !(t = realloc(g->efars, cap * sizeof(*t))))
			return -1;
		g->efars = t;
		g->efarcap = cap;
		mem_note(g, 0);
	}
	return 0;
}

/* Give edge `i` the place (path, line), with room made (eown_room). */
static void eown_put(sf_graph *g, size_t i, uint32_t path, uint32_t line)
{
	uint32_t place = EOWN_PLACE(path, line);
	if (!EOWN_NEAR(path, line)) {
		g->efars[g->nefars] = (efar){ path, line };
		place = EOWN_FAR | (uint32_t)g->nefars++;
	}
	if (g->neowns && g->eowns[g->neowns - 1].edge > i)
		g->eown_mixed = 1;
	g->eowns[g->neowns++] = (eown){ (uint32_t)i, place };
	g->edges[i].own = 1;
}

static int cmp_eown(const void *a, const void *b)
{
	uint32_t x = ((const eown *)a)->edge, y = ((const eown *)b)->edge;
	return (x > y) - (x < y);
}

static void eown_sort(sf_graph *g)
{
	if (g->eown_mixed)
		qsort(g->eowns, g->neowns, sizeof(*g->eowns), cmp_eown);
	g->eown_mixed = 0;
}

/* Edge `i`, which comes from where its `from` node does, gets a place of
 * its own: the node's now. -1 out of memory. */
static int eprov_own(sf_graph *g, size_t i)
{
	const sf_node *n = &g->nodes[g->edges[i].from];
	if (eown_room(g, n->path, n->line) < 0)
		return -1;
	eown_put(g, i, n->path, n->line);
	return 0;
}

int sf_graph_set_prov(sf_graph *g, sf_node_id id, const sf_prov *prov)
{
	uint32_t path = 0, line = 0;
	if (id >= g->nnodes)
		return 0;
	if (prov && prov->path) {
		if (!intern_path(g, prov->path))
			return -1;
		path = g->last_path_id;
		line = path ? line32(prov->line) : 0;
	}
	/* its out-edges keep the place they had: the lists of the duplicate
	 * check find them (built again if the analysis let them go) */
	if (path != g->nodes[id].path || line != g->nodes[id].line) {
		if (g->dedup_gone && dedup_build(g) < 0)
			return -1;
		for (uint32_t k = g->out_head[id] & OUT_NONE; k != OUT_NONE; k = g->out_next[k])
			if (!g->edges[k].own && eprov_own(g, k) < 0)
				return -1;
	}
	g->nodes[id].path = path;
	g->nodes[id].line = line;
	return 0;
}

static uint32_t edge_hash(const sf_graph *g, sf_node_id from, sf_node_id to, sf_edge_kind kind)
{
	return (uint32_t)mix64(((uint64_t)from << 32 | to) ^ ((uint64_t)kind << 58) ^ g->seed[0]);
}

/* Put edge `idx` in the set unless an equal edge is there: 1 when it was.
 * A slot holds the edge's hash beside its index, so most probes never
 * touch the edge array. */
static int edgeset_put(sf_graph *g, size_t idx)
{
	const sf_edge *e = &g->edges[idx];
	uint32_t h = edge_hash(g, e->from, e->to, e->kind);
	size_t j = h & (g->edgesetcap - 1);

	for (; g->edgeset[j]; j = (j + 1) & (g->edgesetcap - 1)) {
		uint64_t v = g->edgeset[j];
		const sf_edge *o;
		if ((uint32_t)(v >> 32) != h)
			continue;
		o = &g->edges[(uint32_t)v - 1];
		if (o->from == e->from && o->to == e->to && o->kind == e->kind)
			return 1;
	}
	g->edgeset[j] = (uint64_t)h << 32 | (uint64_t)(idx + 1);
	g->nset++;
	return 0;
}

static int edgeset_resize(sf_graph *g, size_t cap)
{
	uint64_t *t = calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < g->edgesetcap; i++) {
		size_t j;
		if (!g->edgeset[i])
			continue;
		j = (uint32_t)(g->edgeset[i] >> 32) & (cap - 1);
		while (t[j])
			j = (j + 1) & (cap - 1);
		t[j] = g->edgeset[i];
	}
	free(g->edgeset);
	g->edgeset = t;
	g->edgesetcap = cap;
	mem_note(g, 0);
	return 0;
}

#define SMALL_DEGREE 32

static int edgeset_add(sf_graph *g, size_t idx)
{
	if (FULL(g->nset + 1, g->edgesetcap) &&
	    edgeset_resize(g, g->edgesetcap ? g->edgesetcap * 2 : 1024) < 0)
		return -1;
	return edgeset_put(g, idx);
}

/* Edge `idx` joins its node's out-edges unless an equal edge is among
 * them: 1 when it is, -1 out of memory. */
static int edge_put(sf_graph *g, size_t idx)
{
	const sf_edge *e = &g->edges[idx];
	sf_node_id f = e->from;
	int rc;

	if (!(g->out_head[f] & OUT_BIG)) {
		size_t deg = 0;
		for (uint32_t k = g->out_head[f]; k != OUT_NONE; k = g->out_next[k], deg++)
			if (g->edges[k].to == e->to && g->edges[k].kind == e->kind)
				return 1;
		if (deg >= SMALL_DEGREE) {
			for (uint32_t k = g->out_head[f]; k != OUT_NONE; k = g->out_next[k])
				if (edgeset_add(g, k) < 0)
					return -1;
			g->out_head[f] |= OUT_BIG;
		}
	}
	if ((g->out_head[f] & OUT_BIG) && (rc = edgeset_add(g, idx)) != 0)
		return rc;
	g->out_next[idx] = g->out_head[f] & OUT_NONE;
	g->out_head[f] = (uint32_t)idx | (g->out_head[f] & OUT_BIG);
	return 0;
}

static void dedup_free(sf_graph *g)
{
	free(g->out_head);
	free(g->out_next);
	free(g->edgeset);
	g->out_head = g->out_next = NULL;
	g->edgeset = NULL;
	g->edgesetcap = g->nset = 0;
	g->dedup_gone = 1;
}

/* The duplicate check's lists, empty, for every node and edge there is
 * room for. -1 out of memory. */
static int dedup_alloc(sf_graph *g)
{
	dedup_free(g);
	g->dedup_gone = 0;
	g->out_head = malloc((g->nodecap ? g->nodecap : 1) * sizeof(*g->out_head));
	g->out_next = malloc((g->edgecap ? g->edgecap : 1) * sizeof(*g->out_next));
	if (!g->out_head || !g->out_next) {
		dedup_free(g);
		return -1;
	}
	for (size_t i = 0; i < g->nnodes; i++)
		g->out_head[i] = OUT_NONE;
	mem_note(g, 0);
	return 0;
}

/* The duplicate check again after build_adj() let it go: an edge added
 * once the analysis began (rare). -1 out of memory. */
static int dedup_build(sf_graph *g)
{
	if (dedup_alloc(g) < 0)
		return -1;
	for (size_t i = 0; i < g->nedges; i++)
		if (edge_put(g, i) < 0)
			return -1;
	return 0;
}

/* The place of edge `i`, which has its own: a binary search, or a walk
 * while places given to older edges are not sorted in yet. */
static const eown *eown_find(const sf_graph *g, size_t i)
{
	size_t lo = 0, hi = g->neowns;
	if (g->eown_mixed) {
		for (size_t k = g->neowns; k-- > 0;)
			if (g->eowns[k].edge == i)
				return &g->eowns[k];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->eowns[mid].edge < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->neowns && g->eowns[lo].edge == i ? &g->eowns[lo] : NULL;
}

sf_prov sf_graph_edge_prov(const sf_graph *g, size_t i)
{
	sf_prov p = { NULL, 0 };
	const eown *ep;
	if (i >= g->nedges)
		return p;
	if (!g->edges[i].own)
		return sf_graph_node_prov(g, &g->nodes[g->edges[i].from]);
	if ((ep = eown_find(g, i))) {
		efar f = { ep->place >> 24, ep->place & ((1u << 24) - 1u) };
		if (ep->place & EOWN_FAR)
			f = g->efars[ep->place & ~EOWN_FAR];
		p.path = f.path && f.path < g->npaths ? g->pathv[f.path] : NULL;
		p.line = f.line;
	}
	return p;
}

int sf_graph_edge(sf_graph *g, sf_node_id from, sf_edge_kind kind,
                  sf_node_id to, const sf_prov *prov)
{
	sf_edge *e;
	uint32_t path = 0, line;
	int rc, own;

	if (from >= g->nnodes || to >= g->nnodes || (unsigned)kind >= SF_EDGE__COUNT)
		return -1;
	if (from == to)
		return 0;
	if (g->nedges >= SF_GRAPH_MAX_EDGES)
		return -1;
	if (g->nedges == g->edgecap &&
	    edges_grow(g, grown(g->edgecap, 256)) < 0)
		return -1;
	if (g->dedup_gone && dedup_build(g) < 0)
		return -1;
	if (prov && prov->path) {
		if (!intern_path(g, prov->path))
			return -1;
		path = g->last_path_id;
	}
	line = prov ? line32(prov->line) : 0;
	own = g->nodes[from].path != path || g->nodes[from].line != line;
	if (own && eown_room(g, path, line) < 0)
		return -1;
	e = &g->edges[g->nedges];
	e->from = from;
	e->to = to;
	e->kind = kind;
	e->own = 0;
	if ((rc = edge_put(g, g->nedges)) != 0)
		return rc < 0 ? -1 : 0;     /* 1: a duplicate */
	if (own)
		eown_put(g, g->nedges, path, line);
	g->nedges++;
	return 0;
}

/* Room for `n` attribute cells in all. -1 out of memory. */
static int attrs_reserve(sf_graph *g, size_t n)
{
	size_t cap = grown(g->attrcap, 1024);
	uint32_t *c;
	if (n <= g->attrcap)
		return 0;
	if (n > UINT32_MAX)
		return -1;
	if (cap < n)
		cap = n;
	if (!(c = realloc(g->attr_cell, cap * sizeof(*c))))
		return -1;
	g->attr_cell = c;
	g->attrcap = cap;
	mem_note(g, 0);
	return 0;
}

/* Room for one more attribute of `n`: its cells grow where they are when
 * they are the last ones, else move to the end with room to grow. */
static int attr_room(sf_graph *g, sf_node *n)
{
	size_t cap;
	if (n->attr_n < n->attr_cap)
		return 0;
	if (n->attr_cap && n->attr_cap < 127 && n->attr_at + (size_t)n->attr_cap == g->nattrs) {
		if (attrs_reserve(g, g->nattrs + 1) < 0)
			return -1;
		g->nattrs++;
		n->attr_cap++;
		return 0;
	}
	/* at most twice the names there are, and below 128 (attr_cap's bits) */
	cap = n->attr_n ? 2 * (size_t)n->attr_n : 1;
	if (cap > 127)
		cap = 127;
	if (attrs_reserve(g, g->nattrs + cap) < 0)
		return -1;
	memcpy(g->attr_cell + g->nattrs, g->attr_cell + n->attr_at, n->attr_n * sizeof(*g->attr_cell));
	n->attr_at = (uint32_t)g->nattrs;
	n->attr_cap = (uint8_t)cap;
	g->nattrs += cap;
	return 0;
}

/* Set the attribute in allow-list slot `slot` of node `id` to `value`, in
 * a cell. -1 out of memory. */
static int attr_put(sf_graph *g, sf_node_id id, int slot, const char *value)
{
	uint32_t vid;
	sf_node *n;
	size_t k;

	vid = g->attr_last[slot];
	if (vid == SF_STR_NONE || strcmp(str_at(g, vid), value) != 0) {
		if ((vid = sf_graph_intern_id(g, value, strlen(value))) == SF_STR_NONE)
			return -1;
		g->attr_last[slot] = vid;
	}
	n = &g->nodes[id];
	for (k = 0; k < n->attr_n; k++) {
		int have = (int)CELL_SLOT(g->attr_cell[n->attr_at + k]);
		if (have == slot) {
			g->attr_cell[n->attr_at + k] = ATTR_CELL(slot, vid);
			return 0;
		}
		if (strcmp(attr_allow[have], attr_allow[slot]) > 0)
			break;
	}
	if (attr_room(g, n) < 0)
		return -1;
	memmove(g->attr_cell + n->attr_at + k + 1, g->attr_cell + n->attr_at + k,
	        (n->attr_n - k) * sizeof(*g->attr_cell));
	g->attr_cell[n->attr_at + k] = ATTR_CELL(slot, vid);
	n->attr_n++;
	return 0;
}

/* The cell of node `id`'s attribute in `slot`, or -1. */
static long attr_find(const sf_graph *g, const sf_node *n, int slot)
{
	for (size_t k = 0; k < n->attr_n; k++)
		if (CELL_SLOT(g->attr_cell[n->attr_at + k]) == (unsigned)slot)
			return (long)(n->attr_at + k);
	return -1;
}

/* Node `id`'s `address`, if it is its label, gets a cell: before the label
 * changes. -1 out of memory. */
static int address_cell(sf_graph *g, sf_node_id id)
{
	sf_node *n = &g->nodes[id];
	if (!n->address_label)
		return 0;
	n->address_label = 0;
	if (attr_put(g, id, ATTR_ADDRESS, sf_graph_node_label(g, n)) < 0) {
		g->nodes[id].address_label = 1;
		return -1;
	}
	return 0;
}

int sf_graph_set_attr(sf_graph *g, sf_node_id id, const char *name, const char *value)
{
	sf_node *n;
	int slot;

	if (id >= g->nnodes || !name || !value || (slot = attr_index(name)) < 0)
		return -1;
	n = &g->nodes[id];
	if (slot == ATTR_ADDRESS) {
		unsigned was = n->address_label;
		/* the label, unless a cell holds another value already */
		if (strcmp(sf_graph_node_label(g, n), value) == 0 && (was || attr_find(g, n, slot) < 0)) {
			n->address_label = 1;
			return 0;
		}
		n->address_label = 0;
		if (attr_put(g, id, slot, value) < 0) {
			g->nodes[id].address_label = was;
			return -1;
		}
		return 0;
	}
	return attr_put(g, id, slot, value);
}

const char *sf_graph_attr(const sf_graph *g, sf_node_id id, const char *name)
{
	const sf_node *n;
	long at;
	int slot;

	if (id >= g->nnodes || (slot = attr_index(name)) < 0)
		return NULL;
	n = &g->nodes[id];
	if (slot == ATTR_ADDRESS && n->address_label)
		return sf_graph_node_label(g, n);
	at = attr_find(g, n, slot);
	return at < 0 ? NULL : str_at(g, CELL_VALUE(g->attr_cell[at]));
}

size_t sf_graph_attr_count(const sf_graph *g, sf_node_id id)
{
	return id < g->nnodes ? (size_t)g->nodes[id].attr_n + g->nodes[id].address_label : 0;
}

int sf_graph_attr_at(const sf_graph *g, sf_node_id id, size_t i, const char **name,
                     const char **value)
{
	const sf_node *n = id < g->nnodes ? &g->nodes[id] : NULL;
	if (!n || i >= (size_t)n->attr_n + n->address_label)
		return -1;
	if (n->address_label) {
		/* `address` sits among the cells in name order */
		size_t at = 0;
		while (at < n->attr_n &&
		       strcmp(attr_allow[CELL_SLOT(g->attr_cell[n->attr_at + at])], attr_allow[ATTR_ADDRESS]) < 0)
			at++;
		if (i == at) {
			*name = attr_allow[ATTR_ADDRESS];
			*value = sf_graph_node_label(g, n);
			return 0;
		}
		i -= i > at;
	}
	*name = attr_allow[CELL_SLOT(g->attr_cell[n->attr_at + i])];
	*value = str_at(g, CELL_VALUE(g->attr_cell[n->attr_at + i]));
	return 0;
}

/* ---- adjacency ---- */

/* A node's key by its first eight bytes as a big-endian number:
 * comparing the numbers orders as strcmp does, so most comparisons of a
 * sort never read a key, and only keys that share eight bytes are read
 * (from the ninth byte on, through the node). 16 bytes a node, for the
 * sort only. */
typedef struct keyed {
	uint64_t head;
	sf_node_id id;
} keyed;

/* The graph whose nodes sort_nodes() sorts: sf_sort's comparison takes no
 * context. */
static _Thread_local const sf_graph *keyed_graph;

static uint64_t key_head(const char *k)
{
	uint64_t h = 0;
	int i = 0;
	for (; i < 8 && k[i]; i++)
		h = h << 8 | (unsigned char)k[i];
	return h << (8 * (8 - i));
}

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	/* equal heads: both keys are at least eight bytes long, or equal */
	if ((x->head & 0xff) == 0)
		return 0;
	return strcmp(str_at(keyed_graph, keyed_graph->nodes[x->id].key) + 8,
	              str_at(keyed_graph, keyed_graph->nodes[y->id].key) + 8);
}

/* Sort the nodes by key once per node count. */
static int sort_nodes(sf_graph *g)
{
	size_t n = g->nnodes;
	keyed *t;

	if (g->sorted && g->sorted_n == n)
		return 0;
	free(g->sorted);
	g->sorted = malloc((n ? n : 1) * sizeof(*g->sorted));
	t = malloc((n ? n : 1) * sizeof(*t));
	if (!g->sorted || !t) {
		free(g->sorted);
		free(t);
		g->sorted = NULL;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		t[i].head = key_head(str_at(g, g->nodes[i].key));
		t[i].id = (sf_node_id)i;
	}
	g->sorted_n = n;      /* counted with the new arrays */
	mem_note(g, n * sizeof(*t));
	/* keys are unique, so the order is total */
	keyed_graph = g;
	sf_sort(t, n, sizeof(*t), cmp_keyed);
	keyed_graph = NULL;
	for (size_t i = 0; i < n; i++)
		g->sorted[i] = t[i].id;
	free(t);
	return 0;
}

/* What the string tables keep when they shrink to `n` strings: the
 * analysis interns a few more (pair keys, values it reports), which
 * should not grow the tables by a sixteenth. */
#define STR_ROOM(n) ((n) + (n) / 64 + 64)

/* Shrink `*p`, an array of `cap` entries of `size` bytes, to `n` entries:
 * its new capacity. A shrink that fails keeps the array as it was. */
static size_t fit(void *p, size_t cap, size_t n, size_t size)
{
	void **pp = p, *t;
	if (!n || n >= cap || !(t = realloc(*pp, n * size)))
		return cap;
	*pp = t;
	return n;
}

/* The graph is built when the analysis asks for the adjacency: its inner
 * arrays let go of the room they kept for growing (a third of them, on
 * average) before the adjacency takes its own. A string or attribute
 * added later grows them again. Not the nodes and edges: a caller may
 * hold a node or edge across sf_graph_out(), and a shrink may move them. */
static void fit_all(sf_graph *g)
{
	size_t c;
	/* paired arrays: both hold at least c entries, whatever the second
	 * shrink does */
	g->attrcap = fit(&g->attr_cell, g->attrcap, g->nattrs, sizeof(*g->attr_cell));
	if ((c = fit(&g->soff, g->strvcap, STR_ROOM(g->nstrs), sizeof(*g->soff))) < g->strvcap) {
		fit(&g->str_node, g->strvcap, c, sizeof(*g->str_node));
		g->strvcap = c;
	}
	g->aliasvcap = fit(&g->aliases, g->aliasvcap, g->naliases, sizeof(*g->aliases));
}

void sf_graph_fit(sf_graph *g)
{
	size_t c;

	/* the inputs are merged: their aliases' order has served */
	free(g->aliases);
	g->aliases = NULL;
	g->naliases = g->aliasvcap = 0;

	if ((c = fit(&g->nodes, g->nodecap, g->nnodes, sizeof(*g->nodes))) < g->nodecap) {
		if (!g->dedup_gone) {
			fit(&g->out_head, g->nodecap, c, sizeof(*g->out_head));
		}
		g->nodecap = c;
	}
	if ((c = fit(&g->edges, g->edgecap, g->nedges, sizeof(*g->edges))) < g->edgecap) {
		if (!g->dedup_gone)
			fit(&g->out_next, g->edgecap, c, sizeof(*g->out_next));
		g->edgecap = c;
	}
	g->eowncap = fit(&g->eowns, g->eowncap, g->neowns, sizeof(*g->eowns));
	g->efarcap = fit(&g->efars, g->efarcap, g->nefars, sizeof(*g->efars));
	fit_all(g);
	/* a new table, filled from the old: if it cannot be had, the old
	 * one stays */
	if (g->strcap > table_size(STR_ROOM(g->nstrs), 6) &&
	    idx_resize(g, table_size(STR_ROOM(g->nstrs), 6)) == 0)
		g->idx_fitted = 1;
}

/* Adjacency lists, each sorted by the neighbour's key and then the edge
 * kind, so that every walk over the graph visits neighbours in the same
 * order whatever the order of the input files. An edge (from, to, kind)
 * is unique, so the order is total.
 *
 * The out-lists are the edge array itself: the build sorts the edges by
 * `from`, in place, and each node's run of them by the key order of `to`
 * and then kind, so a node's out-edges are a range of edge numbers and
 * only the in-lists take an array of edge numbers (4 bytes an edge, not
 * 8). Edge numbers change then, and never again while no edge is added.
 * The in-lists follow the `from` nodes in key order, each one's out-list
 * in order. Offsets and edge numbers are below SF_GRAPH_MAX_EDGES: 32
 * bits.
 *
 * The analysis that asks for the lists adds no edges, or few: the
 * duplicate check's lists go first, and come back for the next edge. */
/* After a pass that filled each list x from its end, off[x + 1] holds the
 * start of list x: move the offsets back down, with m, the end of all. */
static void offsets_back(uint32_t *off, size_t n, size_t m)
{
	memmove(off, off + 1, n * sizeof(*off));
	off[n] = (uint32_t)m;
}

/* An edge's place in its from node's out-list: the rank of `to` in key
 * order, then the kind. */
static uint64_t out_key(const uint32_t *rank, const sf_edge *e)
{
	return (uint64_t)rank[e->to] << 5 | e->kind;
}

/* Move e[i] down the max-heap of the n edges at e, by out_key. */
static void sift_down(sf_edge *e, size_t i, size_t n, const uint32_t *rank)
{
	sf_edge t = e[i];
	uint64_t k = out_key(rank, &t);
	for (size_t c; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && out_key(rank, &e[c + 1]) > out_key(rank, &e[c]))
			c++;
		if (out_key(rank, &e[c]) <= k)
			break;
		e[i] = e[c];
	}
	e[i] = t;
}

/* Sort the run of `n` out-edges at `e` by out_key: by insertion while
 * short, as most are, else a heap sort (in place, and n log n whatever
 * the order an input gave). */
static void sort_run(sf_edge *e, size_t n, const uint32_t *rank)
{
	if (n > 16) {
		for (size_t i = n / 2; i-- > 0;)
			sift_down(e, i, n, rank);
		for (size_t end = n; end-- > 1;) {
			sf_edge t = e[0];
			e[0] = e[end];
			e[end] = t;
			sift_down(e, 0, end, rank);
		}
		return;
	}
	for (size_t i = 1; i < n; i++) {
		sf_edge t = e[i];
		uint64_t k = out_key(rank, &t);
		size_t j = i;
		for (; j > 0 && out_key(rank, &e[j - 1]) > k; j--)
			e[j] = e[j - 1];
		e[j] = t;
	}
}

/* The edge (from, to, kind) of `key` in the sorted out-list of its from
 * node: its number. */
static uint32_t out_find(const sf_graph *g, const uint32_t *oo, const uint32_t *rank, const sf_edge *key)
{
	uint32_t lo = oo[key->from], hi = oo[key->from + 1];
	uint64_t k = out_key(rank, key);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (out_key(rank, &g->edges[mid]) < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Sort the edges into out-list order, with `oo` the offsets of the
 * out-lists; the edges with places of their own keep them. -1 out of
 * memory. */
static int sort_edges(sf_graph *g, const uint32_t *oo)
{
	size_t n = g->nnodes;
	uint32_t *rank = malloc((n ? n : 1) * sizeof(*rank));
	uint32_t *cur = malloc((n ? n : 1) * sizeof(*cur));
	sf_edge *owned = malloc((g->neowns ? g->neowns : 1) * sizeof(*owned));

	if (!rank || !cur || !owned) {
		free(rank);
		free(cur);
		free(owned);
		return -1;
	}
	mem_note(g, (n + 1) * sizeof(*oo) + n * (sizeof(*rank) + sizeof(*cur)) + g->neowns * sizeof(*owned));
	for (size_t r = 0; r < n; r++)
		rank[g->sorted[r]] = (uint32_t)r;
	for (size_t i = 0; i < g->neowns; i++)
		owned[i] = g->edges[g->eowns[i].edge];
	/* In place, bucket by bucket: an edge out of its bucket goes to the
	 * next free place of its own, and the edge there is carried on,
	 * until one belongs where the walk began. */
	memcpy(cur, oo, n * sizeof(*cur));
	for (size_t b = 0; b < n; b++) {
		while (cur[b] < oo[b + 1]) {
			sf_edge e = g->edges[cur[b]];
			while (e.from != b) {
				sf_edge t = g->edges[cur[e.from]];
				g->edges[cur[e.from]++] = e;
				e = t;
			}
			g->edges[cur[b]++] = e;
		}
	}
	free(cur);
	for (size_t b = 0; b < n; b++)
		sort_run(g->edges + oo[b], oo[b + 1] - oo[b], rank);
	for (size_t i = 0; i < g->neowns; i++)
		g->eowns[i].edge = out_find(g, oo, rank, &owned[i]);
	g->eown_mixed = g->neowns > 0;
	eown_sort(g);
	free(owned);
	free(rank);
	return 0;
}

static int build_adj(sf_graph *g)
{
	size_t n = g->nnodes, m = g->nedges;
	uint32_t *oo, *io;
	sf_edge_id *ii;

	if (g->adj_edges == m && g->adj_nodes == n)
		return 0;
	dedup_free(g);
	free(g->out_off);
	free(g->in_off);
	free(g->in_idx);
	g->out_off = g->in_off = NULL;
	g->in_idx = NULL;
	g->adj_bytes = 0;
	g->adj_edges = g->adj_nodes = (size_t)-1;
	fit_all(g);
	if (sort_nodes(g) < 0)
		return -1;
	if (!(oo = calloc(n + 1, sizeof(*oo))))
		return -1;
	for (size_t i = 0; i < m; i++)
		oo[g->edges[i].from + 1]++;
	for (size_t i = 0; i < n; i++)
		oo[i + 1] += oo[i];
	if (sort_edges(g, oo) < 0) {
		free(oo);
		return -1;
	}
	io = calloc(n + 1, sizeof(*io));
	ii = malloc((m ? m : 1) * sizeof(*ii));
	if (!io || !ii) {
		free(oo);
		free(io);
		free(ii);
		return -1;
	}
	mem_note(g, (n + 1) * (sizeof(*oo) + sizeof(*io)) + m * sizeof(*ii));
	for (size_t i = 0; i < m; i++)
		io[g->edges[i].to + 1]++;
	for (size_t i = 0; i < n; i++)
		io[i + 1] += io[i];
	/* in-lists: the `from` nodes in key order, each one's out-list in
	 * order (by `to`, then kind: for one `to`, kind order), filled from
	 * their ends walking backwards; the end of a list (io[x + 1]) is its
	 * cursor and ends as its start (offsets_back) */
	for (size_t r = n; r-- > 0;) {
		sf_node_id f = g->sorted[r];
		for (uint32_t k = oo[f + 1]; k-- > oo[f];)
			ii[--io[g->edges[k].to + 1]] = k;
	}
	offsets_back(io, n, m);
	g->out_off = oo;
	g->in_off = io;
	g->in_idx = ii;
	g->adj_bytes = (n + 1) * (sizeof(*oo) + sizeof(*io)) + m * sizeof(*ii);
	g->adj_edges = m;
	g->adj_nodes = n;
	return 0;
}

const sf_edge *sf_graph_out(sf_graph *g, sf_node_id id, size_t *count)
{
	*count = 0;
	if (id >= g->nnodes || build_adj(g) < 0)
		return NULL;
	*count = g->out_off[id + 1] - g->out_off[id];
	return g->edges + g->out_off[id];
}

const sf_edge_id *sf_graph_in(sf_graph *g, sf_node_id id, size_t *count)
{
	*count = 0;
	if (id >= g->nnodes || build_adj(g) < 0)
		return NULL;
	*count = g->in_off[id + 1] - g->in_off[id];
	return g->in_idx + g->in_off[id];
}

const sf_node_id *sf_graph_sorted(sf_graph *g)
{
	return sort_nodes(g) < 0 ? NULL : g->sorted;
}

long sf_graph_merge_aliases(sf_graph *g)
{
	long merged = 0;
	size_t w = 0, wo = 0;

	for (size_t i = 0; i < g->naliases; i++) {
		uint32_t sid = g->aliases[i], v = g->str_node[sid];
		sf_node_id ph = key_node(g, sid);
		sf_node_id real = sf_graph_live(g, v & STR_KEY ? map_get(g, &g->alias_of, sid) : v & STR_LOW);
		if (ph == SF_NODE_NONE || real >= g->nnodes || ph == real || g->nodes[ph].merged)
			continue;
		if (map_set(g, &g->merged_of, ph, real) < 0)
			return -1;
		g->nodes[ph].merged = 1;
		if (is_placeholder(g->nodes[real].kind) && !is_placeholder(g->nodes[ph].kind))
			g->nodes[real].kind = g->nodes[ph].kind;
		merged++;
	}
	if (!merged)
		return 0;
	g->merged += (size_t)merged;
	/* an edge that moves to another node keeps its place */
	for (size_t i = 0; i < g->nedges; i++)
		if (!g->edges[i].own && g->nodes[g->edges[i].from].merged && eprov_own(g, i) < 0)
			return -1;
	eown_sort(g);
	/* Move the edges, dropping the self-loops and duplicates that result,
	 * and the places of the edges dropped. */
	if (dedup_alloc(g) < 0)
		return -1;
	for (size_t i = 0, r = 0; i < g->nedges; i++) {
		sf_edge e = g->edges[i];
		int rc, keep;
		e.from = sf_graph_live(g, e.from);
		e.to = sf_graph_live(g, e.to);
		keep = e.from != e.to;
		if (keep) {
			g->edges[w] = e;
			if ((rc = edge_put(g, w)) < 0)
				return -1;
			keep = rc == 0;
		}
		if (e.own) {
			eown o = g->eowns[r++];
			o.edge = (uint32_t)w;
			if (keep)
				g->eowns[wo++] = o;
		}
		if (keep)
			w++;
	}
	g->nedges = w;
	g->neowns = wo;
	g->adj_edges = (size_t)-1;
	return merged;
}

int sf_edge_propagates(sf_edge_kind k, sf_plane plane)
{
	sf_plane p = sf_edge_kind_get(k)->plane;
	if (p == SF_PLANE_NONE)
		return 0;
	return plane == SF_PLANE_CONTROL || p == SF_PLANE_DATA;
}
