/* Where a Terraform resource is written: the `resource "TYPE" "NAME"`
 * block in the .tf files of the scanned tree, found through `module`
 * blocks with a local source. A finding about `module.dr.aws_lb.api["b"]`
 * then points at the line someone edits, not at a state file.
 *
 * No HCL library exists for C on Debian: the block headers are found line
 * by line (a header is one line in every formatter's output, `terraform
 * fmt` included), and nothing else in the file is interpreted. */
#ifndef SF_TFLOCATE_H
#define SF_TFLOCATE_H

#include <stddef.h>

#define SF_TFLOCATE_MAX_FILES 10000
#define SF_TFLOCATE_MAX_DEPTH 32
#define SF_TFLOCATE_MAX_BYTES ((size_t)4 * 1024 * 1024)

typedef struct sf_tflocate_block {
	char *path;                 /* the file, as shown (root as given + relative) */
	char *dir;                  /* its directory relative to the root, "" at the top */
	char *type, *name;          /* resource "type" "name"; module: type "module" */
	char *source_dir;           /* module with a local source: the resolved dir */
	long line;
} sf_tflocate_block;

typedef struct sf_tflocate {
	sf_tflocate_block *items;
	size_t count, cap;
} sf_tflocate;

/* Index the .tf files under `root` (a directory as the user named it;
 * links are not followed). Returns -1 out of memory only. */
int sf_tflocate_build(sf_tflocate *t, const char *root);
void sf_tflocate_free(sf_tflocate *t);

/* The block of Terraform address `addr`. `near` (a path, may be NULL) is
 * preferred when several directories declare the same resource. */
const sf_tflocate_block *sf_tflocate_find(const sf_tflocate *t, const char *addr,
                                          const char *near);

#endif
