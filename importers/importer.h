/* The importer interface: one table row per input format.
 *
 * An importer turns one file into graph facts (nodes, edges, failover
 * members). It never aborts the run and never prints: problems with the
 * input are diagnostics (`path:line: message`) in ctx->diags, and the
 * importer returns -1 when the file could not be used at all. It copies
 * only allow-listed, non-secret values into the graph. */
#ifndef SF_IMPORTER_H
#define SF_IMPORTER_H

#include <stddef.h>

#include "model/diag.h"
#include "model/failover.h"
#include "model/files.h"
#include "model/graph.h"

/* Largest input file read, in bytes: sized from the machine's memory,
 * or set with --max-input-size (model/files.h). */
#define SF_INPUT_MAX sf_input_limit()

/* A source that keeps what it read in its own compact form and makes
 * graph nodes only for the keys something asks about: a zone of millions
 * of records, of which the analysis reaches a few names. An importer may
 * hand one over (sf_import_ctx.deferred) once it has said everything it
 * has to say about its input: what it makes later adds nodes and edges,
 * never a diagnostic. */
typedef struct sf_deferred sf_deferred;
struct sf_deferred {
	/* Make the nodes behind node key `key`, if this source holds it, and
	 * whatever they lead to that it holds. -1 out of memory. */
	int (*make)(sf_deferred *d, const char *key);
	void (*free)(sf_deferred *d);
	/* The DNS name the source's keys are at or below (its keys are all
	 * `dns:` names under it), so that only the sources whose scope is a
	 * suffix of a key are asked about it; NULL: asked about every key. */
	const char *scope;
	sf_deferred *next;
};

/* Once every input is imported and before anything reads the graph: make
 * the nodes of `list` that a node of the graph or a failover member's name
 * asks for, until nothing new is asked, and free the list. -1 out of
 * memory. */
int sf_deferred_resolve(sf_deferred *list, sf_graph *g, const sf_failover *fo);
/* Free the list without making anything (a run that stops early). */
void sf_deferred_free(sf_deferred *list);

typedef struct sf_import_ctx {
	sf_graph *graph;
	sf_failover *failover;
	sf_diags *diags;
	const char *root;       /* real path of the scanned tree: no read leaves it */
	const char *path;       /* the file as shown to users (relative) */
	const char *realpath;   /* the file's real path, inside root */
	int keep_going;
	/* zone files (0: the defaults in importers/zone.h) */
	int strict_zones;           /* a record that cannot be read refuses the zone */
	size_t zone_max_records;
	size_t zone_max_generated;
	/* Where an importer may add a deferred source; NULL when the caller
	 * wants every node made now (a whole-graph output). */
	sf_deferred **deferred;
} sf_import_ctx;

typedef struct sf_importer {
	const char *format;     /* "tfstate": the name in JSON output */
	/* 0 (not mine) .. 100 (certainly mine), from the file name and its first
	 * bytes (at most SF_SNIFF_BYTES; `head` is NUL-terminated). */
	int (*sniff)(const char *path, const char *head, size_t len);
	/* Import the whole file (`data` is NUL-terminated, `len` bytes). */
	int (*import)(sf_import_ctx *ctx, const char *data, size_t len);
	/* Optional: name the files this one pulls in (zone $INCLUDE), as real
	 * paths inside ctx->root, without reporting anything. The scan imports
	 * such a file only through its includer, not also on its own. */
	void (*includes)(sf_import_ctx *ctx, const char *data, size_t len,
	                 void (*found)(const char *realpath, void *payload), void *payload);
	/* Optional: import from the open file itself (a regular file of
	 * `size` bytes, at most SF_INPUT_MAX, read from its start), so that a
	 * large input need not be held whole. Used instead of `import` when
	 * the input is a file. */
	int (*import_fd)(sf_import_ctx *ctx, int fd, size_t size);
} sf_importer;

/* Which generation of a Terraform state a file is (its lineage and
 * serial), so that the scan imports only the newest copy of a state and
 * skips backups. 0 when known, -1 when not. */
int sf_tfstate_generation(const char *data, size_t len, char *lineage, size_t lineagesz,
                          long long *serial);
/* The same, read from an open file of `size` bytes (at most
 * SF_INPUT_MAX) without holding it whole. */
int sf_tfstate_generation_fd(int fd, size_t size, char *lineage, size_t lineagesz,
                             long long *serial);

/* Scoped nodes: nodes named by something unique in one input only (a
 * Terraform address, `aws_lb.this`, or a name made from one), marked
 * `scoped`, labelled by the name. Such a node is keyed when made by the
 * name while no other node holds it, else `<path>:<name>` (the input's
 * path as shown), or, rarely, this byte, the path, this byte again and
 * the name (importers/tf_scope.c says when). The link phase (sf_link)
 * settles each: the bare name where no other input has it, else
 * `<path>:<name>`. */
#define SF_SCOPE_MARK '\x1e'

/* 1 when the name of a scoped node of input `path` is short enough to key. */
int sf_scope_name_ok(const char *path, const char *name);
/* Find or make the scoped node `name` of input prov->path, labelled
 * `label` (NULL: the name). Met again, the node is met as sf_graph_node()
 * meets one; with `existed`, it is returned untouched and *existed is 1.
 * SF_NODE_NONE out of memory, past the graph's limits or when the name is
 * too long. */
sf_node_id sf_scope_node(sf_graph *g, sf_kind kind, const char *name, const char *label,
                         const sf_prov *prov, int *existed);
/* The scoped node `name` of input `path`, or SF_NODE_NONE. */
sf_node_id sf_scope_find(const sf_graph *g, const char *path, const char *name);
/* Call before `key` becomes the key or an alias of any other node: a
 * scoped node keyed `key` gives it up, as no other input can have met it
 * by that key. -1 out of memory. */
int sf_scope_claim(sf_graph *g, const char *key);
/* sf_graph_find() for a key another input gave: a scoped node is not
 * found by its key. */
sf_node_id sf_scope_lookup(const sf_graph *g, const char *key);
/* sf_graph_rekey() for scoped nodes: each keeps its label (the name,
 * which is the end of each key a scoped node takes). -1 out of memory. */
int sf_scope_rekey(sf_graph *g, const sf_node_id *ids, const char *const *keys, size_t n);

#define SF_SNIFF_BYTES 4096

/* The table, NULL-terminated. */
extern const sf_importer *const sf_importers[];

/* Import functions of each format (one file each under importers/). */
extern const sf_importer sf_importer_tfstate;
extern const sf_importer sf_importer_zone;
extern const sf_importer sf_importer_route53_json;
extern const sf_importer sf_importer_route53_xml;
extern const sf_importer sf_importer_manifest;
extern const sf_importer sf_importer_vault;
extern const sf_importer sf_importer_secretsmanager;
extern const sf_importer sf_importer_eso;
extern const sf_importer sf_importer_sops;
extern const sf_importer sf_importer_backstage;

#endif
