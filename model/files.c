#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int sf_path_within(const char *root, const char *p)
{
	size_t n = strlen(root);
	if (strcmp(root, "/") == 0)
		return p[0] == '/';
	return strncmp(root, p, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static size_t input_limit;

/* The memory this process may use: the least of physical memory, the
 * cgroup v2 limit of a container, and RLIMIT_AS. */
static unsigned long long usable_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	unsigned long long mem = pages > 0 && psz > 0 ? (unsigned long long)pages * (unsigned long long)psz
	                                              : 0;
	struct rlimit rl;
	FILE *f = fopen("/sys/fs/cgroup/memory.max", "re");
	if (f) {
		unsigned long long cg;
		if (fscanf(f, "%llu", &cg) == 1 && cg > 0 && (!mem || cg < mem))
			mem = cg;
		fclose(f);
	}
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (!mem || (unsigned long long)rl.rlim_cur < mem))
		mem = (unsigned long long)rl.rlim_cur;
	return mem;
}

size_t sf_input_limit(void)
{
	if (!input_limit) {
		unsigned long long l = usable_memory() / 32;
		if (l < SF_INPUT_MIN)
			l = SF_INPUT_MIN;
		if (l > SF_INPUT_DEFAULT_MAX)
			l = SF_INPUT_DEFAULT_MAX;
		input_limit = (size_t)l;
	}
	return input_limit;
}

void sf_input_limit_set(size_t bytes)
{
	input_limit = bytes;
}

int sf_open_input(const char *path, size_t max, int *fd_out, size_t *size, char *err,
                  size_t errsz)
{
	struct stat st;
	int fd;

	*fd_out = -1;
	*size = 0;
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errsz, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "not a regular file");
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		snprintf(err, errsz, "file is larger than the limit of %zu bytes%s", max,
		         max == input_limit ? " (--max-input-size)" : "");
		close(fd);
		return -1;
	}
	*fd_out = fd;
	*size = (size_t)st.st_size;
	return 0;
}

int sf_read_fd(int fd, size_t size, char **out, size_t *len, char *err, size_t errsz)
{
	char *buf;
	size_t got = 0;

	*out = NULL;
	*len = 0;
	buf = malloc(size + 1);
	if (!buf) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	/* The size may change under us; never read past what we allocated. */
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errsz, "read error: %s", strerror(errno));
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

int sf_read_file(const char *path, size_t max, char **out, size_t *len,
                 char *err, size_t errsz)
{
	size_t size;
	int fd, rc;

	*out = NULL;
	*len = 0;
	if (sf_open_input(path, max, &fd, &size, err, errsz) < 0)
		return -1;
	rc = sf_read_fd(fd, size, out, len, err, errsz);
	close(fd);
	return rc;
}

/* A large input is mapped rather than read: the kernel hands over its
 * page-cache pages instead of copying them into fresh ones, which for a
 * zone of a million records was an eighth of the run. Small files are
 * read, as a mapping costs more than it saves there. */
#define MAP_MIN ((size_t)1 << 20)

int sf_load_file(const char *path, size_t max, sf_file_data *out, char *err, size_t errsz)
{
	size_t size;
	char *buf;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	if (sf_open_input(path, max, &fd, &size, err, errsz) < 0)
		return -1;
	if (size >= MAP_MIN) {
		/* Room for the file and one byte more, anonymous (zeros), then
		 * the file over its start: the byte after the file is a zero
		 * either way (the rest of a file's last page reads as zeros), so
		 * the text is NUL-terminated as importers expect. A file cut
		 * short while mapped would fault; the scanned tree is a checkout
		 * nobody writes during the scan. */
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		size_t total = (size + 1 + page - 1) / page * page;
		char *base = mmap(NULL, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base != MAP_FAILED &&
		    mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) !=
		    MAP_FAILED) {
			out->data = base;
			out->len = size;
			out->mapped = total;
			close(fd);
			return 0;
		}
		/* a file system that cannot map files: read it as a small one */
		if (base != MAP_FAILED)
			munmap(base, total);
	}
	if ((rc = sf_read_fd(fd, size, &buf, &out->len, err, errsz)) == 0)
		out->data = buf;
	close(fd);
	return rc;
}

void sf_unload_file(sf_file_data *f)
{
	if (f->mapped)
		munmap((void *)f->data, f->mapped);
	else
		free((void *)f->data);
	memset(f, 0, sizeof(*f));
}

/* Join `dir` and `name` into `out`; -1 when too long. */
static int join(char *out, size_t outsz, const char *dir, const char *name)
{
	int n = snprintf(out, outsz, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* Drop the last component of the real path `p` ("/a/b" -> "/a"). */
static void up(char *p)
{
	char *slash = strrchr(p, '/');
	if (slash == p)
		p[1] = '\0';
	else if (slash)
		*slash = '\0';
}

/* The components still to walk: a stack of names, the first on top, so
 * that a link's target is pushed in front of what follows the link. */
typedef struct pending {
	char buf[PATH_MAX * 2];
	size_t len;
} pending;

/* Push `path`'s components in front: the text is kept reversed by component. */
static int push_path(pending *q, const char *path)
{
	size_t n = strlen(path);
	const char *end = path + n;
	if (q->len + n + 2 > sizeof(q->buf))
		return -1;
	/* components are pushed last first, so the first ends on top */
	while (end > path) {
		const char *start = end;
		while (start > path && start[-1] != '/')
			start--;
		if (end > start) {
			memcpy(q->buf + q->len, start, (size_t)(end - start));
			q->len += (size_t)(end - start);
			q->buf[q->len++] = '\0';
		}
		end = start > path ? start - 1 : path;
	}
	return 0;
}

/* Pop the top component into `out`; 0 when none is left, -1 when it is
 * longer than a name can be. */
static int pop(pending *q, char *out, size_t outsz)
{
	size_t start;
	if (!q->len)
		return 0;
	start = q->len - 1;         /* the top component's NUL */
	while (start > 0 && q->buf[start - 1] != '\0')
		start--;
	if (q->len - 1 - start >= outsz)
		return -1;
	memcpy(out, q->buf + start, q->len - start);
	q->len = start;
	return 1;
}

int sf_confine(const char *root, const char *dir, const char *name, char **out, char *err,
               size_t errsz)
{
	char cur[PATH_MAX], comp[NAME_MAX + 1], cand[PATH_MAX], target[PATH_MAX];
	pending *q;
	int links = 0, popped, rc = SF_CONFINE_ERROR;

	*out = NULL;
	if (name[0] == '/') {
		snprintf(err, errsz, "absolute path not allowed");
		return SF_CONFINE_ERROR;
	}
	if (strlen(dir) >= sizeof(cur) || !sf_path_within(root, dir)) {
		snprintf(err, errsz, "path leads outside the scanned tree");
		return SF_CONFINE_OUTSIDE;
	}
	if (!(q = calloc(1, sizeof(*q)))) {
		snprintf(err, errsz, "out of memory");
		return SF_CONFINE_ERROR;
	}
	memcpy(cur, dir, strlen(dir) + 1);
	if (push_path(q, name) < 0) {
		snprintf(err, errsz, "path longer than the limit of %d bytes", PATH_MAX);
		goto cleanup;
	}
	/* Walk one component at a time from a directory known to be inside
	 * the tree: only names inside the tree are ever looked at, so whether
	 * a file outside exists never changes the answer. */
	while ((popped = pop(q, comp, sizeof(comp))) != 0) {
		struct stat st;
		ssize_t tl;
		if (popped < 0) {
			snprintf(err, errsz, "a name longer than the limit of %d bytes", NAME_MAX);
			goto cleanup;
		}
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (strcmp(cur, root) == 0) {
				snprintf(err, errsz, "path leads outside the scanned tree");
				rc = SF_CONFINE_OUTSIDE;
				goto cleanup;
			}
			up(cur);
			continue;
		}
		if (join(cand, sizeof(cand), cur, comp) < 0) {
			snprintf(err, errsz, "path longer than the limit of %d bytes", PATH_MAX);
			goto cleanup;
		}
		if (lstat(cand, &st) < 0) {
			snprintf(err, errsz, "cannot resolve: %s", strerror(errno));
			rc = errno == ENOENT ? SF_CONFINE_MISSING : SF_CONFINE_ERROR;
			goto cleanup;
		}
		if (!S_ISLNK(st.st_mode)) {
			if (q->len && !S_ISDIR(st.st_mode)) {
				snprintf(err, errsz, "cannot resolve: %s", strerror(ENOTDIR));
				goto cleanup;
			}
			memcpy(cur, cand, strlen(cand) + 1);
			continue;
		}
		if (++links > SF_CONFINE_MAX_LINKS) {
			snprintf(err, errsz, "symbolic link loop (more than %d links followed)",
			         SF_CONFINE_MAX_LINKS);
			rc = SF_CONFINE_LOOP;
			goto cleanup;
		}
		tl = readlink(cand, target, sizeof(target) - 1);
		if (tl <= 0) {
			snprintf(err, errsz, "cannot read symbolic link: %s", strerror(errno));
			goto cleanup;
		}
		target[tl] = '\0';
		if (target[0] == '/') {
			/* An absolute target counts only when it names the tree
			 * itself, read as text: nothing above the root is looked at. */
			size_t rl = strcmp(root, "/") == 0 ? 0 : strlen(root);
			if (strncmp(target, root, rl) != 0 || (target[rl] != '/' && target[rl] != '\0')) {
				snprintf(err, errsz, "path leads outside the scanned tree");
				rc = SF_CONFINE_OUTSIDE;
				goto cleanup;
			}
			memcpy(cur, root, strlen(root) + 1);
			if (push_path(q, target + rl) < 0) {
				snprintf(err, errsz, "path longer than the limit of %d bytes", PATH_MAX);
				goto cleanup;
			}
			continue;
		}
		if (push_path(q, target) < 0) {
			snprintf(err, errsz, "path longer than the limit of %d bytes", PATH_MAX);
			goto cleanup;
		}
	}
	if (!(*out = strdup(cur))) {
		snprintf(err, errsz, "out of memory");
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(q);
	return rc;
}

int sf_resolve_confined(const char *root, const char *from, const char *name,
                        char **out, char *err, size_t errsz)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(from, '/');
	size_t dl = slash ? (size_t)(slash - from) : 0;

	*out = NULL;
	if (dl >= sizeof(dir)) {
		snprintf(err, errsz, "path longer than the limit of %d bytes", PATH_MAX);
		return -1;
	}
	memcpy(dir, from, dl);
	dir[dl] = '\0';
	if (!dir[0])
		memcpy(dir, "/", 2);
	return sf_confine(root, dir, name, out, err, errsz) == 0 ? 0 : -1;
}

int sf_open_output_at(int dirfd, const char *name, char *err, size_t errsz)
{
	struct stat st;
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
	                0666);
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(err, errsz, "is a symbolic link; refusing to write through it");
		else
			snprintf(err, errsz, "cannot create: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
		snprintf(err, errsz, "not a regular file; refusing to write to it");
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
		/* a hard link shares its content with a file elsewhere */
		snprintf(err, errsz, "has other hard links; refusing to overwrite it");
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && ftruncate(fd, 0) < 0) {
		snprintf(err, errsz, "cannot truncate: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Is the real path `p` inside the current directory or one of `trees`? */
static int guarded(const char *p, const char *cwd, const char *const *trees, size_t ntrees)
{
	if (cwd[0] && sf_path_within(cwd, p))
		return 1;
	for (size_t i = 0; i < ntrees; i++)
		if (trees[i] && sf_path_within(trees[i], p))
			return 1;
	return 0;
}

/* Walk `path` one directory at a time (see sf_open_output). `dir`: 0 the
 * last component is a file to create; 1 a directory to create when
 * missing; 2 a directory to open as it is. */
static int open_guarded(const char *path, const char *const *trees, size_t ntrees, int dir,
                        char *err, size_t errsz)
{
	int mkdir_last = dir != 0;
	char cwd[PATH_MAX], real[PATH_MAX], cand[PATH_MAX], comp[NAME_MAX + 1];
	const char *p = path, *last = NULL;
	int fd;

	if (!path[0]) {
		snprintf(err, errsz, "empty path");
		return -1;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	if (path[0] == '/') {
		memcpy(real, "/", 2);
	} else if (cwd[0]) {
		memcpy(real, cwd, strlen(cwd) + 1);
	} else {
		snprintf(err, errsz, "cannot tell the current directory");
		return -1;
	}
	if ((fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		snprintf(err, errsz, "cannot open %s: %s", path[0] == '/' ? "/" : ".", strerror(errno));
		return -1;
	}
	/* The file's name is the last component; with mkdir_last every
	 * component is a directory. */
	{
		size_t n = strlen(path);
		while (n > 1 && path[n - 1] == '/')
			n--;
		last = path + n;
		while (last > path && last[-1] != '/')
			last--;
		if (!mkdir_last && (path[strlen(path) - 1] == '/' || !*last)) {
			snprintf(err, errsz, "names a directory, not a file");
			close(fd);
			return -1;
		}
	}
	for (;;) {
		size_t cl;
		int next, is_last;
		struct stat st;
		while (*p == '/')
			p++;
		if (!*p)
			break;
		cl = strcspn(p, "/");
		if (cl >= sizeof(comp)) {
			snprintf(err, errsz, "a name longer than the limit of %d bytes", NAME_MAX);
			close(fd);
			return -1;
		}
		memcpy(comp, p, cl);
		comp[cl] = '\0';
		is_last = p == last;
		p += cl;
		if (is_last && !mkdir_last)
			break;
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			next = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (next >= 0)
				up(real);
		} else {
			if (join(cand, sizeof(cand), real, comp) < 0) {
				snprintf(err, errsz, "path longer than the limit of %d bytes", PATH_MAX);
				close(fd);
				return -1;
			}
			if (dir == 1 && is_last && mkdirat(fd, comp, 0777) < 0 && errno != EEXIST) {
				snprintf(err, errsz, "cannot create %s: %s", comp, strerror(errno));
				close(fd);
				return -1;
			}
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (next < 0 && fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode)) {
				char *r;
				if (guarded(cand, cwd, trees, ntrees)) {
					snprintf(err, errsz,
					         "%s is a symbolic link inside the current directory or "
					         "a scanned tree; refusing to go through it", comp);
					close(fd);
					return -1;
				}
				/* above the trees: the runner's own layout */
				next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				if (next >= 0 && (r = realpath(cand, NULL))) {
					snprintf(real, sizeof(real), "%s", r);
					free(r);
				}
			} else if (next >= 0) {
				memcpy(real, cand, strlen(cand) + 1);
			}
		}
		if (next < 0) {
			snprintf(err, errsz, "cannot open directory %s: %s", comp, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
		fd = next;
	}
	if (mkdir_last)
		return fd;
	{
		int out = sf_open_output_at(fd, last, err, errsz);
		close(fd);
		return out;
	}
}

int sf_open_output(const char *path, const char *const *trees, size_t ntrees, int mkdir_last,
                   char *err, size_t errsz)
{
	return open_guarded(path, trees, ntrees, mkdir_last ? 1 : 0, err, errsz);
}

int sf_open_dir_guarded(const char *path, const char *const *trees, size_t ntrees, char *err,
                        size_t errsz)
{
	return open_guarded(path, trees, ntrees, 2, err, errsz);
}

int sf_write_fd(int fd, const void *data, size_t len)
{
	const char *p = data;
	int saved;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			saved = n < 0 ? errno : EIO;
			close(fd);
			errno = saved;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}
