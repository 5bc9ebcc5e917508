/* Reading input files, and resolving names inside the scanned tree only. */
#ifndef SF_FILES_H
#define SF_FILES_H

#include <stddef.h>

/* The largest input file read, in bytes. By default a 32nd of the memory
 * this process may use (physical memory, a cgroup's memory.max, the
 * address-space rlimit: the least of them), at least SF_INPUT_MIN and at
 * most SF_INPUT_DEFAULT_MAX: parsing takes several times a file's size. */
#define SF_INPUT_MIN ((size_t)64 * 1024 * 1024)
#define SF_INPUT_DEFAULT_MAX ((size_t)1024 * 1024 * 1024)
size_t sf_input_limit(void);
/* Set it (--max-input-size); 0 goes back to the default. */
void sf_input_limit_set(size_t bytes);

/* Read a whole file of at most `max` bytes into a NUL-terminated buffer
 * (free() it). On failure returns -1 and writes a reason into `err`. */
int sf_read_file(const char *path, size_t max, char **out, size_t *len,
                 char *err, size_t errsz);

/* The two halves of sf_read_file: open a regular file of at most `max`
 * bytes (its descriptor and size; close() it), and read `size` bytes at
 * most from the descriptor's offset into a NUL-terminated buffer. -1 with
 * a reason in `err`. */
int sf_open_input(const char *path, size_t max, int *fd, size_t *size, char *err, size_t errsz);
int sf_read_fd(int fd, size_t size, char **out, size_t *len, char *err, size_t errsz);

/* A whole input, NUL-terminated and read-only: read into memory, or for a
 * large file mapped (`mapped` bytes). Release it with sf_unload_file(). */
typedef struct sf_file_data {
	const char *data;
	size_t len;
	size_t mapped;              /* 0: data is malloc'd */
} sf_file_data;
int sf_load_file(const char *path, size_t max, sf_file_data *out, char *err, size_t errsz);
void sf_unload_file(sf_file_data *f);

/* 1 when real path `p` is `root` or below it. */
int sf_path_within(const char *root, const char *p);

/* Resolve `name` relative to the directory of `from` (a real path), and
 * check that the result exists and lies inside `root`. On success returns 0
 * and a malloc'd real path in *out. Returns -1 with a reason in `err`. */
int sf_resolve_confined(const char *root, const char *from, const char *name,
                        char **out, char *err, size_t errsz);

/* How sf_confine failed. */
#define SF_CONFINE_ERROR (-1)       /* unreadable, not a directory, too long */
#define SF_CONFINE_OUTSIDE (-2)     /* leads outside the tree: nothing outside was looked at */
#define SF_CONFINE_LOOP (-3)        /* more than SF_CONFINE_MAX_LINKS links */
#define SF_CONFINE_MISSING (-4)     /* no such file, inside the tree */
#define SF_CONFINE_MAX_LINKS 40

/* Resolve `name` relative to the directory `dir` (a real path inside the
 * real path `root`) one component at a time, following symbolic links as
 * text: a `..` above the root or a link out of it is refused before any
 * name outside the tree is looked at, so the answer (and the message) is
 * the same whether the outside file exists or not. 0 and a malloc'd real
 * path in *out, or an SF_CONFINE_* code with a reason in `err`. */
int sf_confine(const char *root, const char *dir, const char *name, char **out, char *err,
               size_t errsz);

/* Create or truncate the output file `path` for writing, never through a
 * symbolic link: an existing link (or a file with other hard links, or
 * not a regular file) is refused, and so is a directory on the way that is
 * a link, when it lies inside the current directory or one of the `trees`
 * (real paths: what a pull request controls). Links above them (the
 * runner's /var/run -> /run) are followed. Returns a file descriptor, or
 * -1 with a reason in `err`. With `mkdir_last`, `path` is a directory:
 * created when missing (one level), and its descriptor is returned. */
int sf_open_output(const char *path, const char *const *trees, size_t ntrees, int mkdir_last,
                   char *err, size_t errsz);

/* Open the directory `path` for reading, the same way: no directory on
 * the way may be a link inside the current directory or the `trees`. A
 * directory descriptor, or -1 with a reason in `err`. */
int sf_open_dir_guarded(const char *path, const char *const *trees, size_t ntrees, char *err,
                        size_t errsz);

/* Create or truncate `name` (one component) in the directory `dirfd`, the
 * same way. Returns a file descriptor or -1 with a reason in `err`. */
int sf_open_output_at(int dirfd, const char *name, char *err, size_t errsz);

/* Write all `len` bytes to `fd` (an output opened above) and close it.
 * Returns -1 with errno set when a write or the close fails. */
int sf_write_fd(int fd, const void *data, size_t len);

#endif
