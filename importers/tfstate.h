/* Internals shared by the Terraform state importer (tfstate.c) and the
 * files that give resource types their meaning (tf_aws.c, ...). */
#ifndef SF_TFSTATE_H
#define SF_TFSTATE_H

#include <stddef.h>

#include <jansson.h>

#include "importer.h"
#include "model/arena.h"

/* depends_on edges kept per state file (`dependencies` carry no failure). */
#define SF_TF_MAX_DEP_EDGES 1000000

typedef struct tf_inst {
	/* interned: module.dr.aws_lb.api["b"], the name of its scoped node */
	const char *address;
	const char *type;           /* interned */
	const char *module;         /* interned, or NULL at the root */
	const char *provider;       /* "aws", or NULL */
	/* borrowed; may be NULL. Read it with tf_inst_attrs(): an instance
	 * read one resource at a time holds only `kept` until then. */
	json_t *attrs;
	/* The allow-listed attributes as compact JSON text (a span-read
	 * instance), decoded on demand by tf_inst_attrs() and dropped again
	 * after each type callback (tf_attrs_release): a DOM of every kept
	 * attribute of a large state took eight times their text. */
	const char *kept;
	size_t keptlen;
	/* v4: the element of `instances` whose "attributes" object `attrs`
	 * is, or -1 (decoded from attributes_flat, or none) */
	long elem;
	json_t *sensitive;          /* v4 sensitive_attributes, show -json sensitive_values */
	json_t *deps;               /* dependencies */
	long line;
	sf_node_id node;
	const struct tf_type *ty;   /* its meaning (make_nodes), or NULL */
} tf_inst;

typedef struct tf_ctx {
	sf_import_ctx *ctx;
	sf_graph *g;
	const char *text;
	size_t len;
	long *res_lines;            /* v4: line of resource i */
	struct addr_line *addr_lines;   /* show -json: lines by address */
	size_t naddr;
	tf_inst *inst;
	size_t ninst, instcap;
	json_t *owned;              /* attributes decoded from flatmaps: freed with the ctx */
	sf_arena kept;              /* the kept attributes' text (tf_inst.kept) */
	struct tf_iam_cache *iam;   /* tf_aws_iam.c: policies matched once per import */
	struct tf_azure_index *azure;   /* tf_azure.c: endpoints by profile */
	struct tf_gcp_index *gcp;   /* tf_gcp.c: forwarding rules by address */
	int oom;
} tf_ctx;

/* The meaning of one resource type: its node kind, what it registers in
 * the first pass (aliases, attributes: `nodes`), and the edges it makes
 * once every node of the file exists (`edges`). */
typedef struct tf_type {
	const char *name;
	sf_kind kind;
	void (*nodes)(tf_ctx *t, tf_inst *in);
	void (*edges)(tf_ctx *t, tf_inst *in);
} tf_type;

/* Tables, NULL-name terminated, one per provider file. */
extern const tf_type tf_aws_types[];
extern const tf_type tf_aws_iam_types[];
extern const tf_type tf_aws_secrets_types[];
extern const tf_type tf_cloudflare_types[];
extern const tf_type tf_azure_types[];
extern const tf_type tf_gcp_types[];

const tf_type *tf_type_find(const char *name);

void tf_aws_iam_cache_free(struct tf_iam_cache *c);
void tf_azure_index_free(struct tf_azure_index *x);
void tf_gcp_index_free(struct tf_gcp_index *x);

/* The attributes of an instance (NULL when it has none). For a span-read
 * instance this is an object holding only the members tf_inst_attr() has
 * decoded from its kept text: read members through tf_inst_attr().
 * Valid until tf_attrs_release(). */
json_t *tf_inst_attrs(const tf_inst *in);
/* Member `name` of those attributes (borrowed, NULL when absent), decoded
 * at its first use; no sensitivity check (tf_get has one). */
json_t *tf_inst_attr(const tf_inst *in, const char *name);
/* Drop what tf_inst_attrs() decoded from kept text; -1 when memory ran
 * out decoding it since the last release (what was read may be missing). */
int tf_attrs_release(void);

/* Attribute access; NULL/-1 when absent, of another type, or sensitive. */
int tf_sensitive(const tf_inst *in, const char *key);
json_t *tf_get(const tf_inst *in, const char *key);
const char *tf_str(const tf_inst *in, const char *key);
const char *tf_num(const tf_inst *in, const char *key, char *buf, size_t bufsz);
/* true/false, or the strings "true"/"false"; -1 otherwise. */
int tf_json_bool(json_t *v);
/* A JSON number, or a number written as a string, as decimal text. */
const char *tf_json_num(json_t *v, char *buf, size_t bufsz);
int tf_bool(const tf_inst *in, const char *key);
json_t *tf_block(const tf_inst *in, const char *key);
const char *tf_obj_str(json_t *obj, const char *key);

/* Is anything inside a show -json sensitive_values entry true? */
int tf_json_has_true(json_t *v, int depth);

/* Report a failover member declared by `in`, at `line` (0: the instance's). */
int tf_member(tf_ctx *t, const tf_inst *in, const char *group, const char *source,
              const char *name, int role, sf_node_id record, sf_node_id root, long line);

/* The node of something named by a resource address of this state, e.g.
 * `cloudflare_load_balancer.www/default_pools`, made by instance `in`
 * and labelled `label` (NULL: the name): the address is unique in one
 * state only, so the node is scoped by the state (sf_scope_node) until
 * the link phase shows it bare where no other state has it. SF_NODE_NONE
 * (and t->oom) out of memory or when too long. */
sf_node_id tf_scoped_node(tf_ctx *t, sf_kind kind, const char *name, const char *label,
                          const tf_inst *in);
/* tf_scoped_node() for a part of instance `in` named by its address and
 * `suffix` (`/monitor_config`), labelled by that name cut to label_max - 1
 * bytes, as the outputs have always shown it. */
sf_node_id tf_part_node(tf_ctx *t, sf_kind kind, const tf_inst *in, const char *suffix,
                        size_t label_max);
/* sf_graph_alias() and sf_graph_find() for keys read from attributes:
 * another input's scoped node is not met by its key (sf_scope_claim,
 * sf_scope_lookup). */
int tf_alias(tf_ctx *t, const char *key, sf_node_id id);
sf_node_id tf_find(tf_ctx *t, const char *key);

/* 1 when a top-level attribute of that name may be read by the semantics
 * after its instance was decoded (tf_keep.c); the others are freed. */
int tf_keep_attr(const char *name);

/* Used by the readers of each state format (tfstate.c, tfstate_v3.c). */
int tf_inst_identity(tf_ctx *t, tf_inst *in, const char *module, const char *type,
                     const char *name, const char *provider, json_t *index, long line);
int tf_push_inst(tf_ctx *t, const tf_inst *in);
const char *tf_provider_type(const char *s, char *buf, size_t bufsz);
int tf_valid_ident(const char *s);
long tf_line_of_key(const char *text, const char *key);

/* Format 3 (Terraform 0.11 and earlier): `modules[]` with `path`, flat
 * attributes. Fills t->inst like the format-4 reader. */
void tf_v3_read(tf_ctx *t, json_t *root);
/* A flatmap (`alias.#`, `alias.1587383817.name`, `tags.%`) decoded into
 * the nested lists and objects format 4 writes; a new reference, NULL out
 * of memory. Leaves stay strings ("true", "300"), which every reader
 * here accepts. */
json_t *tf_flat_decode(json_t *flat);

/* `dns:<lower-case name>.` with a `dualstack.` prefix removed. */
int tf_dns_key(const char *name, char *out, size_t outsz);
sf_node_id tf_dns_node(tf_ctx *t, const char *name);
sf_node_id tf_ip_node(tf_ctx *t, const char *ip);
sf_node_id tf_ref(tf_ctx *t, sf_kind kind, const char *key);
int tf_edge(tf_ctx *t, sf_node_id from, sf_edge_kind kind, sf_node_id to, const tf_inst *in);
/* Set an allow-listed attribute, sanitised. */
void tf_attr(tf_ctx *t, sf_node_id id, const char *name, const char *value);

typedef struct tf_arn {
	char partition[32], service[64], region[64], account[32];
} tf_arn;

int tf_arn_parse(const char *arn, tf_arn *out);
/* located_in region:<partition>/<region> (when with_region) and member_of
 * account:<partition>/<account>, from an ARN. */
void tf_place(tf_ctx *t, sf_node_id id, const char *arn, const tf_inst *in, int with_region);

#endif
