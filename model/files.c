#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sf_path_within(const char *root, const char *p)
{
	size_t n = strlen(root);
	if (strcmp(root, "/") == 0)
		return p[0] == '/';
	return strncmp(root, p, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

int sf_read_file(const char *path, size_t max, char **out, size_t *len,
                 char *err, size_t errsz)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd;

	*out = NULL;
	*len = 0;
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
		snprintf(err, errsz, "file is larger than the limit of %zu bytes", max);
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, errsz, "out of memory");
		close(fd);
		return -1;
	}
	/* The size may change under us; never read past what we allocated. */
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errsz, "read error: %s", strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

int sf_resolve_confined(const char *root, const char *from, const char *name,
                        char **out, char *err, size_t errsz)
{
	char joined[PATH_MAX], *real;
	*out = NULL;

	if (name[0] == '/') {
		snprintf(err, errsz, "absolute path not allowed");
		return -1;
	}
	{
		const char *slash = strrchr(from, '/');
		size_t dl = slash ? (size_t)(slash - from) : 0;
		int n = snprintf(joined, sizeof(joined), "%.*s/%s", (int)dl, from, name);
		if (n < 0 || (size_t)n >= sizeof(joined)) {
			snprintf(err, errsz, "path too long");
			return -1;
		}
	}
	real = realpath(joined, NULL);
	if (!real) {
		snprintf(err, errsz, "cannot resolve: %s", strerror(errno));
		return -1;
	}
	if (!sf_path_within(root, real)) {
		snprintf(err, errsz, "path leads outside the scanned tree");
		free(real);
		return -1;
	}
	*out = real;
	return 0;
}
