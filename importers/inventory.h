/* What the secret-store inventories share: the keys by which a Vault
 * cluster, an AWS ARN or a KMS key meets the same object named by another
 * source, and the side of a service an inventory file belongs to.
 *
 * Keys are those of DESIGN.md, built the way the Terraform importer builds
 * them, so that the same cluster, secret or key from two sources is one
 * node: `vault:https://vault.example.com:8200`, the ARN itself, the KMS
 * key of a region by its ARN (`alias/aws/secretsmanager` when none is
 * named), `region:aws/us-east-1`, `account:aws/123456789012`.
 *
 * A side: the nearest sharedfate.yaml above the file says which service
 * side's `paths:` hold it; a service without `paths:` has its sides
 * inferred from the file's directories and the sides' DNS names
 * (`clusters/prod-use1/` goes with `login-use1.example.com`). Each file
 * becomes an `inventory:<path>` node whose attributes say what it was
 * attributed to and why; the side's root depends on it. */
#ifndef SF_INVENTORY_H
#define SF_INVENTORY_H

#include <stddef.h>

#include "importer.h"

#define SF_INV_KEY_MAX 1100

/* `vault:<scheme>://<host>[:port]` (lower-case; no path, no credentials),
 * from an address such as VAULT_ADDR. -1 when it is not one. */
int sf_inv_vault_key(const char *addr, char *out, size_t outsz);

/* The Vault cluster node for an address, with its host name's `dns:`
 * node as what it resolves to. SF_NODE_NONE when not an address. */
sf_node_id sf_inv_vault_cluster(sf_import_ctx *ctx, const char *addr, long line);

/* An identity provider by issuer URL (`idp:https://host/path`), the same
 * key the Terraform importer makes; it resolves to its host's `dns:`. */
sf_node_id sf_inv_idp(sf_import_ctx *ctx, const char *url, long line);

/* A node for an AWS object by ARN: located in its region, member of its
 * account. SF_NODE_NONE when `arn` is not an ARN. */
sf_node_id sf_inv_arn_node(sf_import_ctx *ctx, sf_kind kind, const char *arn, long line);

/* The same ARN in another region (a replica's ARN). */
int sf_inv_arn_in_region(const char *arn, const char *region, char *out, size_t outsz);

/* A KMS key as AWS APIs accept it (key or alias ARN, key ID, alias/name;
 * empty: `default_alias`), in `region` of the account of `home_arn`. */
sf_node_id sf_inv_kms_ref(sf_import_ctx *ctx, const char *name, const char *home_arn,
                          const char *region, const char *default_alias, long line);

/* Add an edge; 0 or -1 out of memory. Nothing for SF_NODE_NONE ends. */
int sf_inv_edge(sf_import_ctx *ctx, sf_node_id from, sf_edge_kind k, sf_node_id to, long line);

/* Only web links: a runbook link ends up in reports people click. An
 * http(s) URL of printable ASCII without spaces, at most 2048 bytes. */
int sf_inv_web_url(const char *u);
/* What a service declares about itself, from sharedfate.yaml or a
 * Backstage catalog: its owner (SF_KIND_OWNER: attribute "owner" and an
 * owned_by edge) or runbook (SF_KIND_RUNBOOK: "runbook", depends_on).
 * Returns -1 out of memory. */
int sf_inv_service_meta(sf_import_ctx *ctx, sf_node_id svc, sf_kind kind, const char *value,
                        long line);

/* Lines of JSON elements without a second parse: jansson keeps no
 * positions, and the elements come in the text's order, so each search
 * goes on from where the last one hit. A needle not found (written with
 * escapes) gives line 0; after SF_INV_LINES_MISSES such misses no more
 * searching, so a hostile file cannot make it quadratic. */
#define SF_INV_LINES_MISSES 16
typedef struct sf_inv_lines {
	const char *data;
	size_t pos;
	long line;                  /* the line at pos */
	int misses;
} sf_inv_lines;

void sf_inv_lines_init(sf_inv_lines *l, const char *data);
/* The line of the next `"needle"` (quoted) from the last hit on. */
long sf_inv_lines_next(sf_inv_lines *l, const char *needle);

/* The file's `inventory:` node, tied to the service sides it belongs to.
 * `scope` gets the part of the path that names where its workloads run
 * (the matched `paths:` entry or directory; else the file's folder), so
 * that files of one cluster meet and two clusters' objects stay apart. */
sf_node_id sf_inv_file(sf_import_ctx *ctx, const char *format, char *scope, size_t scopesz);

#endif
