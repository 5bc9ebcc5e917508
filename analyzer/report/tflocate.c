#include "tflocate.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/buf.h"
#include "model/files.h"
#include "model/stats.h"

void sf_tflocate_free(sf_tflocate *t)
{
	for (size_t i = 0; i < t->count; i++) {
		free(t->items[i].path);
		free(t->items[i].dir);
		free(t->items[i].type);
		free(t->items[i].name);
		free(t->items[i].source_dir);
	}
	free(t->items);
	memset(t, 0, sizeof(*t));
}

static sf_tflocate_block *add(sf_tflocate *t)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		sf_tflocate_block *p = realloc(t->items, cap * sizeof(*p));
		if (!p)
			return NULL;
		t->items = p;
		t->cap = cap;
	}
	memset(&t->items[t->count], 0, sizeof(t->items[0]));
	return &t->items[t->count++];
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A quoted label at p: its bounds, or NULL. */
static const char *label(const char *p, const char *end, const char **s, size_t *n)
{
	const char *q;
	if (p >= end || *p != '"')
		return NULL;
	for (q = p + 1; q < end && *q != '"' && *q != '\\'; q++)
		;
	if (q >= end || *q != '"')
		return NULL;
	*s = p + 1;
	*n = (size_t)(q - p - 1);
	return q + 1;
}

/* "a/b" + "../c" -> "a/c"; NULL when it leaves the root. */
static char *join_dir(const char *dir, const char *rel, size_t rlen)
{
	size_t cap = strlen(dir) + rlen + 2, o = 0;
	char *buf = malloc(cap), *out = malloc(cap);
	const char *p;
	if (!buf || !out) {
		free(buf);
		free(out);
		return NULL;
	}
	snprintf(buf, cap, "%s/%.*s", dir, (int)rlen, rel);
	out[0] = '\0';
	for (p = buf; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && memcmp(p, "..", 2) == 0) {
			char *slash = strrchr(out, '/');
			if (!o) {
				free(buf);
				free(out);
				return NULL;
			}
			o = slash ? (size_t)(slash - out) : 0;
			out[o] = '\0';
		} else if (n && !(n == 1 && *p == '.')) {
			o += (size_t)snprintf(out + o, cap - o, "%s%.*s", o ? "/" : "", (int)n, p);
		}
		p += n + (e ? 1 : 0);
	}
	free(buf);
	return out;
}

static int scan_file(sf_tflocate *t, const char *shown, const char *dir, const char *data,
                     size_t len)
{
	const char *p = data, *end = data + len;
	sf_tflocate_block *module = NULL;
	long line = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *q, *a, *b;
		size_t an, bn;
		line++;
		q = skip_ws(p, le);
		if (module && q < le && *q == '}' && q == p) {
			module = NULL;          /* the module block closes at column 0 */
		} else if (module && (size_t)(le - q) > 6 && memcmp(q, "source", 6) == 0) {
			q = skip_ws(q + 6, le);
			if (q < le && *q == '=' && label(skip_ws(q + 1, le), le, &a, &an) &&
			    ((an > 2 && memcmp(a, "./", 2) == 0) || (an > 3 && memcmp(a, "../", 3) == 0)))
				module->source_dir = join_dir(dir, a, an);
		} else if ((size_t)(le - q) > 9 && memcmp(q, "resource", 8) == 0 &&
		           (q[8] == ' ' || q[8] == '\t')) {
			const char *r = label(skip_ws(q + 8, le), le, &a, &an);
			if (r && label(skip_ws(r, le), le, &b, &bn)) {
				sf_tflocate_block *x = add(t);
				if (!x)
					return -1;
				x->path = strdup(shown);
				x->dir = strdup(dir);
				x->type = strndup(a, an);
				x->name = strndup(b, bn);
				x->line = line;
				if (!x->path || !x->dir || !x->type || !x->name)
					return -1;
			}
			module = NULL;
		} else if ((size_t)(le - q) > 7 && memcmp(q, "module", 6) == 0 &&
		           (q[6] == ' ' || q[6] == '\t') && label(skip_ws(q + 6, le), le, &a, &an)) {
			sf_tflocate_block *x = add(t);
			if (!x)
				return -1;
			x->path = strdup(shown);
			x->dir = strdup(dir);
			x->type = strdup("module");
			x->name = strndup(a, an);
			x->line = line;
			if (!x->path || !x->dir || !x->type || !x->name)
				return -1;
			module = x;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n > k && strcmp(s + n - k, suf) == 0;
}

/* Depth-first, names sorted: the same tree gives the same index. */
static int walk(sf_tflocate *t, int dfd, const char *shown, const char *rel, int depth,
                size_t *files)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (depth > SF_TFLOCATE_MAX_DEPTH || !(d = fdopendir(dfd))) {
		close(dfd);
		return 0;
	}
	while ((e = readdir(d))) {
		char *c;
		sf_stat_add(SF_STAT_TFLOCATE_ENTRIES, 1);
		if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
			continue;               /* ., .., .git, .terraform, dot files */
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*p));
			if (!p) {
				rc = -1;
				break;
			}
			names = p;
		}
		if (!(c = strdup(e->d_name))) {
			rc = -1;
			break;
		}
		names[n++] = c;
	}
	sf_sort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct stat st;
		char s2[4096], r2[4096];
		int fd;
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		snprintf(s2, sizeof(s2), "%s%s%s", shown, shown[0] ? "/" : "", names[i]);
		snprintf(r2, sizeof(r2), "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
		if (S_ISDIR(st.st_mode)) {
			fd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				rc = walk(t, fd, s2, r2, depth + 1, files);
		} else if (S_ISREG(st.st_mode) && ends_with(names[i], ".tf") &&
		           (size_t)st.st_size <= SF_TFLOCATE_MAX_BYTES &&
		           (*files)++ < SF_TFLOCATE_MAX_FILES) {
			char *buf;
			ssize_t got = 0, k;
			fd = openat(dirfd(d), names[i], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (!(buf = malloc((size_t)st.st_size + 1))) {
				close(fd);
				rc = -1;
				break;
			}
			while (got < st.st_size && (k = read(fd, buf + got, (size_t)(st.st_size - got))) > 0)
				got += k;
			close(fd);
			buf[got] = '\0';      /* labels are copied with strndup */
			rc = scan_file(t, s2, rel, buf, (size_t)got);
			free(buf);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int sf_tflocate_build(sf_tflocate *t, const char *root)
{
	size_t files = 0;
	int fd;
	char shown[4096];
	size_t n = strlen(root);

	memset(t, 0, sizeof(*t));
	while (n > 1 && root[n - 1] == '/')
		n--;
	snprintf(shown, sizeof(shown), "%.*s", (int)n, root);
	if ((fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;               /* a file was scanned: no tree to index */
	/* "." is the working directory: its files are shown as "main.tf" */
	return walk(t, fd, strcmp(shown, ".") == 0 ? "" : shown, "", 0, &files);
}

/* Split "module.a.module.b[\"x\"].aws_lb.api[0]" into names without
 * indexes: modules into mods[], then type and name. */
static int split(const char *addr, char segs[][256], size_t max, size_t *n)
{
	const char *p = addr;
	*n = 0;
	while (*p) {
		size_t o = 0;
		int skip = 0;
		if (*n == max)
			return -1;
		while (*p && *p != '.') {
			if (*p == '[') {
				/* an index: skip it whole, dots inside quotes too */
				int inq = 0;
				for (; *p && (inq || *p != ']'); p++)
					if (*p == '"')
						inq = !inq;
				if (*p)
					p++;
				skip = 1;
				continue;
			}
			if (!skip && o + 1 < 256)
				segs[*n][o++] = *p;
			p++;
		}
		segs[(*n)++][o] = '\0';
		if (*p == '.')
			p++;
	}
	return 0;
}

static const sf_tflocate_block *find_in(const sf_tflocate *t, const char *dir, const char *type,
                                        const char *name)
{
	for (size_t i = 0; i < t->count; i++) {
		const sf_tflocate_block *b = &t->items[i];
		if ((!dir || strcmp(b->dir, dir) == 0) && strcmp(b->type, type) == 0 &&
		    strcmp(b->name, name) == 0)
			return b;
	}
	return NULL;
}

static const char *dir_of(const sf_tflocate *t, const char *near)
{
	/* the directory of a file the index knows, matched on the shown path */
	for (size_t i = 0; near && i < t->count; i++) {
		size_t n = strlen(t->items[i].path);
		const char *slash = strrchr(t->items[i].path, '/');
		size_t dn = slash ? (size_t)(slash - t->items[i].path) : 0;
		(void)n;
		if (dn && strncmp(near, t->items[i].path, dn) == 0 && near[dn] == '/' &&
		    !strchr(near + dn + 1, '/'))
			return t->items[i].dir;
	}
	return NULL;
}

/* Follow module a, then b, ... from every directory that declares a. */
static const sf_tflocate_block *via_modules(const sf_tflocate *t, const char *dir,
                                            char segs[][256], size_t nmods, const char *type,
                                            const char *name, int depth)
{
	if (nmods == 0)
		return find_in(t, dir, type, name);
	if (depth > SF_TFLOCATE_MAX_DEPTH)
		return NULL;
	for (size_t i = 0; i < t->count; i++) {
		const sf_tflocate_block *b = &t->items[i], *r;
		if (strcmp(b->type, "module") != 0 || strcmp(b->name, segs[0]) != 0 || !b->source_dir ||
		    (dir && strcmp(b->dir, dir) != 0))
			continue;
		if ((r = via_modules(t, b->source_dir, segs + 1, nmods - 1, type, name, depth + 1)))
			return r;
	}
	return NULL;
}

const sf_tflocate_block *sf_tflocate_find(const sf_tflocate *t, const char *addr,
                                          const char *near)
{
	char segs[34][256], mods[16][256];
	size_t n, i = 0, nm = 0;
	const sf_tflocate_block *b;
	const char *nd;

	if (!t->count || strchr(addr, ':') || split(addr, segs, 34, &n) < 0)
		return NULL;
	while (i + 1 < n && strcmp(segs[i], "module") == 0 && nm < 16) {
		memcpy(mods[nm++], segs[i + 1], 256);
		i += 2;
	}
	if (i + 2 != n || strcmp(segs[i], "data") == 0)
		return NULL;
	if (nm)
		return via_modules(t, NULL, mods, nm, segs[i], segs[i + 1], 0);
	nd = dir_of(t, near);
	if (nd && (b = find_in(t, nd, segs[i], segs[i + 1])))
		return b;
	return find_in(t, NULL, segs[i], segs[i + 1]);
}
