#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/buf.h"
#include "model/stats.h"
#include "../importers/importer.h"

void sf_inputs_free(sf_inputs *in)
{
	for (size_t i = 0; i < in->count; i++) {
		free(in->items[i].path);
		free(in->items[i].realpath);
		free(in->items[i].root);
	}
	free(in->items);
	memset(in, 0, sizeof(*in));
}

typedef struct walk {
	sf_inputs *out;
	sf_diags *d;
	const char *root;
	size_t files;
} walk;

static int push(walk *w, const char *path, const char *real, const sf_importer *imp, int expl,
                int via_link)
{
	sf_input *it;
	if (w->out->count == w->out->cap) {
		size_t cap = w->out->cap ? w->out->cap * 2 : 16;
		sf_input *p = realloc(w->out->items, cap * sizeof(*p));
		if (!p)
			return -1;
		w->out->items = p;
		w->out->cap = cap;
	}
	it = &w->out->items[w->out->count];
	memset(it, 0, sizeof(*it));
	it->path = strdup(path);
	it->realpath = strdup(real);
	it->root = strdup(w->root);
	it->importer = imp;
	it->explicit_file = expl;
	it->via_link = via_link;
	if (!it->path || !it->realpath || !it->root) {
		free(it->path);
		free(it->realpath);
		free(it->root);
		return -1;
	}
	w->out->count++;
	return 0;
}

static const sf_importer *sniff(const char *path, const char *real)
{
	char head[SF_SNIFF_BYTES + 1];
	const sf_importer *best = NULL;
	int best_score = 0;
	ssize_t n;
	int fd = open(real, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	n = read(fd, head, SF_SNIFF_BYTES);
	close(fd);
	if (n < 0)
		n = 0;
	head[n] = '\0';
	for (size_t i = 0; sf_importers[i]; i++) {
		int s = sf_importers[i]->sniff(path, head, (size_t)n);
		if (s > best_score) {
			best_score = s;
			best = sf_importers[i];
		}
	}
	return best;
}

static int skip_dir(const char *name)
{
	return strcmp(name, ".git") == 0 || strcmp(name, ".terraform") == 0 ||
	       strcmp(name, "node_modules") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int join(char *out, size_t outsz, const char *dir, const char *name)
{
	int n;
	if (strcmp(dir, ".") == 0)
		n = snprintf(out, outsz, "%s", name);
	else if (dir[0] && dir[strlen(dir) - 1] == '/')
		n = snprintf(out, outsz, "%s%s", dir, name);
	else
		n = snprintf(out, outsz, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

static int walk_dir(walk *w, const char *shown, const char *real, int depth)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0, cap = 0;
	int rc = 0;

	if (depth > SF_DISCOVER_MAX_DEPTH) {
		sf_diag_warn(w->d, shown, 0, "directory nesting deeper than %d; not scanned",
		             SF_DISCOVER_MAX_DEPTH);
		return 0;
	}
	dir = opendir(real);
	if (!dir) {
		sf_diag_error(w->d, shown, 0, "cannot read directory: %s", strerror(errno));
		return 0;
	}
	while ((de = readdir(dir))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (nn == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*p));
			if (!p) {
				rc = -1;
				goto cleanup;
			}
			names = p;
		}
		if (!(names[nn] = strdup(de->d_name))) {
			rc = -1;
			goto cleanup;
		}
		nn++;
	}
	sf_sort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn && rc == 0; i++) {
		char sp[PATH_MAX], rp[PATH_MAX];
		struct stat st;
		if (join(sp, sizeof(sp), shown, names[i]) < 0 ||
		    join(rp, sizeof(rp), real, names[i]) < 0) {
			sf_diag_warn(w->d, shown, 0, "path longer than the limit of %d bytes; skipped", PATH_MAX);
			continue;
		}
		if (lstat(rp, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (!skip_dir(names[i]))
				rc = walk_dir(w, sp, rp, depth + 1);
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			char *target = NULL, why[256];
			struct stat ts;
			/* Resolved inside the tree only, as text: whether the target
			 * exists outside never shows. */
			int c = sf_confine(w->root, real, names[i], &target, why, sizeof(why));
			if (c == SF_CONFINE_OUTSIDE) {
				sf_diag_warn(w->d, sp, 0, "symbolic link leads outside the scanned tree; skipped");
				continue;
			}
			if (c == SF_CONFINE_LOOP) {
				sf_diag_warn(w->d, sp, 0, "symbolic link loop (more than %d links followed); "
				                          "skipped", SF_CONFINE_MAX_LINKS);
				continue;
			}
			if (c == SF_CONFINE_MISSING) {
				sf_diag_warn(w->d, sp, 0, "symbolic link to a file that does not exist; skipped");
				continue;
			}
			if (c < 0) {
				sf_diag_warn(w->d, sp, 0, "symbolic link: %s; skipped", why);
				continue;
			}
			if (stat(target, &ts) < 0 || !S_ISREG(ts.st_mode)) {
				/* Links to directories are not followed: no loops. */
				free(target);
				continue;
			}
			if (++w->files > SF_DISCOVER_MAX_FILES) {
				sf_diag_error(w->d, shown, 0, "more than %d files; the rest is not scanned",
				              SF_DISCOVER_MAX_FILES);
				free(target);
				break;
			}
			{
				const sf_importer *imp = sniff(sp, target);
				if (imp && push(w, sp, target, imp, 0, 1) < 0)
					rc = -1;
			}
			free(target);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (++w->files > SF_DISCOVER_MAX_FILES) {
			sf_diag_error(w->d, shown, 0, "more than %d files; the rest is not scanned",
			              SF_DISCOVER_MAX_FILES);
			break;
		}
		{
			const sf_importer *imp = sniff(sp, rp);
			if (imp && push(w, sp, rp, imp, 0, 0) < 0)
				rc = -1;
		}
	}
cleanup:
	closedir(dir);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int cmp_input(const void *a, const void *b)
{
	return strcmp(((const sf_input *)a)->path, ((const sf_input *)b)->path);
}

/* The same file together, its own name before a link's, then by path. */
static int cmp_same_file(const void *a, const void *b)
{
	const sf_input *x = a, *y = b;
	int c = strcmp(x->realpath, y->realpath);
	sf_stat_add(SF_STAT_DISCOVER_COMPARES, 1);
	if (c)
		return c;
	if (x->via_link != y->via_link)
		return x->via_link - y->via_link;
	return strcmp(x->path, y->path);
}

static void strip_dot_slash(char *s)
{
	while (s[0] == '.' && s[1] == '/') {
		size_t i = 2;
		while (s[i] == '/')
			i++;
		memmove(s, s + i, strlen(s + i) + 1);
	}
	{
		size_t n = strlen(s);
		while (n > 1 && s[n - 1] == '/')
			s[--n] = '\0';
	}
	if (!s[0]) {
		s[0] = '.';
		s[1] = '\0';
	}
}

int sf_discover(const char *const *paths, size_t npaths, sf_inputs *out, sf_diags *d)
{
	for (size_t i = 0; i < npaths; i++) {
		char shown[PATH_MAX];
		char *real;
		struct stat st;
		walk w;

		if (strlen(paths[i]) >= sizeof(shown)) {
			sf_diag_error(d, NULL, 0, "path longer than the limit of %d bytes", PATH_MAX);
			continue;
		}
		snprintf(shown, sizeof(shown), "%s", paths[i]);
		strip_dot_slash(shown);
		real = realpath(paths[i], NULL);
		if (!real || stat(real, &st) < 0) {
			sf_diag_error(d, shown, 0, "cannot open: %s", strerror(errno));
			free(real);
			continue;
		}
		memset(&w, 0, sizeof(w));
		w.out = out;
		w.d = d;
		if (S_ISDIR(st.st_mode)) {
			w.root = real;
			if (walk_dir(&w, shown, real, 0) < 0) {
				free(real);
				return -1;
			}
		} else if (S_ISREG(st.st_mode)) {
			char *root = strdup(real);
			char *slash = root ? strrchr(root, '/') : NULL;
			const sf_importer *imp;
			if (!root) {
				free(real);
				return -1;
			}
			if (slash == root)
				slash[1] = '\0';
			else if (slash)
				*slash = '\0';
			w.root = root;
			imp = sniff(shown, real);
			if (!imp)
				sf_diag_error(d, shown, 0, "not a recognised input format");
			else if (push(&w, shown, real, imp, 1, 0) < 0) {
				free(root);
				free(real);
				return -1;
			}
			free(root);
		} else {
			sf_diag_error(d, shown, 0, "not a regular file or directory");
		}
		free(real);
	}
	/* The same file named twice (overlapping paths, a link to a file in the
	 * tree) is imported once: under its own name rather than a link's, else
	 * the first in sorted order. Sorted by file, duplicates are neighbours:
	 * n log n comparisons, not one per pair of paths. */
	sf_sort(out->items, out->count, sizeof(*out->items), cmp_same_file);
	{
		size_t w = 0;
		for (size_t i = 0; i < out->count; i++) {
			sf_stat_add(SF_STAT_DISCOVER_COMPARES, 1);
			if (w && strcmp(out->items[w - 1].realpath, out->items[i].realpath) == 0) {
				free(out->items[i].path);
				free(out->items[i].realpath);
				free(out->items[i].root);
				continue;
			}
			out->items[w++] = out->items[i];
		}
		out->count = w;
	}
	sf_sort(out->items, out->count, sizeof(*out->items), cmp_input);
	return 0;
}
