/* sharedfate.yaml: what a repository says about itself.
 *
 *   version: 1
 *   services:
 *     - name: api                       # unique
 *       dns: api.example.com            # the name customers use
 *       primary: api-use1.example.com   # a DNS name, or a mapping {dns: ...}
 *       standby: api-usw2.example.com   # the same, or a list of them
 *   zones:                              # origins of zone files that do not say
 *     - file: zones/corp.db             # relative to this file
 *       origin: corp.example.com
 *
 * Validation is strict: an unknown section or field, a wrong type, a
 * duplicate service is an error at its line. The loader is a table of
 * sections and, per section, of fields (manifest.c), so that owners,
 * tiers, runbooks and waivers are added as rows, each with its parser. A
 * manifest describes its own directory: paths in it are relative to it. */
#ifndef SF_MANIFEST_H
#define SF_MANIFEST_H

#include <stddef.h>

#include "model/diag.h"

#define SF_MANIFEST_MAX_BYTES ((size_t)4 * 1024 * 1024)
#define SF_MANIFEST_MAX_STANDBY 8

#define SF_MANIFEST_MAX_PATHS 32
#define SF_MANIFEST_MAX_DEPENDS 64

typedef struct sf_manifest_target {
	char *dns;                  /* canonical DNS name, or NULL (discovered) */
	long line;
	/* inventory files under these paths (relative to the manifest, each
	 * ending in '/') belong to this side */
	char *paths[SF_MANIFEST_MAX_PATHS];
	size_t npaths;
} sf_manifest_target;

typedef enum { SF_SIDE_PRIMARY, SF_SIDE_STANDBY, SF_SIDE_BOTH } sf_manifest_side;

/* depends_on: what no file shows. */
typedef struct sf_manifest_dep {
	int kind;                   /* sf_kind */
	char *key;
	sf_manifest_side side;
	int control;                /* plane: control (recovery), else data */
	long line;
} sf_manifest_dep;

typedef struct sf_manifest_service {
	char *name;
	long line;
	char *dns;                  /* canonical failover name */
	sf_manifest_target primary;
	sf_manifest_target standby[SF_MANIFEST_MAX_STANDBY];
	size_t nstandby;
	char *tier;                 /* critical | high | medium | low, or NULL */
	char *function;             /* authentication | customer-access | ... */
	char *owner;
	char *runbook;              /* an http(s) URL */
	sf_manifest_dep depends[SF_MANIFEST_MAX_DEPENDS];
	size_t ndepends;
} sf_manifest_service;

typedef struct sf_manifest_zone {
	char *file;                 /* as written, relative to the manifest */
	char *origin;               /* canonical */
	long line;
} sf_manifest_zone;

/* waivers: a finding the team accepts for a time, with who said so. */
typedef struct sf_manifest_waiver {
	char *rule;                 /* rule id */
	char *service;              /* NULL: every service */
	char *fingerprint;          /* NULL: every finding of the rule (and service) */
	char *reason, *approved_by;
	char expires[11];           /* YYYY-MM-DD; waives through that day (UTC) */
	long line;
} sf_manifest_waiver;

#define SF_MANIFEST_MAX_OVERRIDES 64
#define SF_MANIFEST_MAX_OUTPUTS 8

/* settings: the scan options a repository keeps with itself. Unset values
 * are -1 / NULL / 0 entries; the command line wins over each. */
typedef struct sf_manifest_settings {
	int fail_on;                /* sf_severity, SF_SEV_NONE, or -1 */
	long ttl_threshold;         /* -1: unset */
	char *rules_dir;            /* relative to the manifest's directory */
	char *disabled[SF_MANIFEST_MAX_OVERRIDES];
	size_t ndisabled;
	struct {
		char *rule;
		int severity;
	} severity[SF_MANIFEST_MAX_OVERRIDES];
	size_t nseverity;
	struct {
		char *format, *file;
	} outputs[SF_MANIFEST_MAX_OUTPUTS];
	size_t noutputs;
	int quiet;                  /* -1: unset */
	long line;
} sf_manifest_settings;

typedef struct sf_manifest {
	long version;
	sf_manifest_service *services;
	size_t nservices;
	sf_manifest_zone *zones;
	size_t nzones;
	sf_manifest_waiver *waivers;
	size_t nwaivers;
	sf_manifest_settings settings;
} sf_manifest;

/* Parse and validate. Every problem is a `path:line:` diagnostic; returns
 * -1 when there was any (the manifest is then not used at all). */
int sf_manifest_parse(const char *path, const char *data, size_t len, sf_manifest *out,
                      sf_diags *d);
void sf_manifest_free(sf_manifest *m);

/* The origin a manifest gives the zone file `file_real` (a real path
 * inside `root`): the nearest sharedfate.yaml from the file's directory up
 * to `root` that lists it under zones. Writes the canonical origin and
 * returns 0, or -1 when none does. Problems in the manifest are reported
 * when it is imported, not here. */
int sf_manifest_zone_origin(const char *root, const char *file_real, char *out, size_t outsz);

/* Which service sides an inventory file belongs to (sf_manifest_attribute). */
typedef struct sf_manifest_attribution {
	char service[72];
	char side[16];              /* "primary", "standby", "standby2", ... */
	char dns[260];              /* the side's DNS name */
	char how[400];              /* "paths: clusters/use1/" or "inferred: ..." */
	char scope[1024];           /* the file's path up to what matched, from root */
} sf_manifest_attribution;

/* The sides of the services in the nearest sharedfate.yaml above
 * `file_real` (a real path inside `root`) that the file belongs to: the
 * sides whose `paths:` hold it; for a service with no `paths:` at all, the
 * side whose DNS name's distinctive word (`use1` of login-use1, against
 * login-usw2) is a word of one of the file's directories, when exactly one
 * side's is. Returns how many were written to `out` (at most `max`). */
size_t sf_manifest_attribute(const char *root, const char *file_real,
                             sf_manifest_attribution *out, size_t max);

/* The manifest at `real` (a real path inside the real path `root`),
 * through the cache sf_manifest_zone_origin reads, so that a scan parses
 * it once for its zones and its settings; `shown` names it in messages.
 * NULL when it does not parse (parse it directly for the diagnostics).
 * Valid until the cache is cleared: call again after importing. */
const sf_manifest *sf_manifest_cached(const char *root, const char *shown, const char *real);

/* Forget the manifests sf_manifest_zone_origin has read (it reads each
 * once, and again only when the file changes). Also run at exit. */
void sf_manifest_cache_clear(void);

#endif
