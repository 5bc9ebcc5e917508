/* Running sharedfate-render: the analyzer never links Graphviz.
 *
 * The renderer is found beside the running binary (/proc/self/exe's
 * folder) or named by SHAREDFATE_RENDER: never through a path from the
 * scanned tree. It runs with the DOT text on its standard input (an
 * unlinked temporary file, so neither side can block on a pipe) and a time
 * limit: alarm() before exec kills it with SIGALRM, and the parent sends
 * SIGKILL if it is still there a second later. */
#include "render.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/diag.h"

/* What one drawing may weigh: a collapsed overview is far below. */
#define SF_RENDER_MAX_OUTPUT ((size_t)128 * 1024 * 1024)

static int find_renderer(char *out, size_t outsz)
{
	const char *env = getenv("SHAREDFATE_RENDER");
	char self[4096];
	ssize_t n;
	char *slash;

	if (env && *env) {
		snprintf(out, outsz, "%s", env);
		return access(out, X_OK) == 0 ? 0 : -1;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	if (!(slash = strrchr(self, '/')))
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(out, outsz, "%s/sharedfate-render", self) >= outsz)
		return -1;
	return access(out, X_OK) == 0 ? 0 : -1;
}

unsigned sf_render_timeout(void)
{
	const char *env = getenv("SHAREDFATE_RENDER_TIMEOUT");
	char *end;
	unsigned long v;
	if (!env || !*env)
		return SF_RENDER_TIMEOUT_DEFAULT;
	errno = 0;
	v = strtoul(env, &end, 10);
	if (errno || *end || v == 0 || v > 3600)
		return SF_RENDER_TIMEOUT_DEFAULT;
	return (unsigned)v;
}

static char *slurp(FILE *f, size_t max, size_t *len)
{
	long size;
	char *buf;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || (size_t)size > max ||
	    fseek(f, 0, SEEK_SET) != 0)
		return NULL;
	if (!(buf = malloc((size_t)size + 1)))
		return NULL;
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	*len = (size_t)size;
	return buf;
}

/* The renderer's first message line, safe to print. */
static void first_line(FILE *f, char *err, size_t errsz)
{
	size_t len = 0;
	char *text = slurp(f, 65536, &len);
	char *nl;
	if (!text || !len) {
		free(text);
		return;
	}
	if ((nl = strchr(text, '\n')))
		*nl = '\0';
	sf_sanitize(err, errsz, text, strlen(text));
	free(text);
}

int sf_render(const char *dot, size_t dotlen, const char *format, char **out, size_t *outlen,
              char *err, size_t errsz)
{
	char path[4200];
	FILE *in = NULL, *res = NULL, *msg = NULL;
	unsigned timeout = sf_render_timeout();
	struct timespec start, now;
	int status = 0, rc = SF_RENDER_FAILED, killed = 0;
	pid_t pid;

	*out = NULL;
	*outlen = 0;
	err[0] = '\0';
	if (find_renderer(path, sizeof(path)) < 0) {
		snprintf(err, errsz, "sharedfate-render not found beside sharedfate "
		                     "(or at $SHAREDFATE_RENDER)");
		return SF_RENDER_MISSING;
	}
	if (!(in = tmpfile()) || !(res = tmpfile()) || !(msg = tmpfile()) ||
	    fwrite(dot, 1, dotlen, in) != dotlen || fflush(in) != 0 || fseek(in, 0, SEEK_SET) != 0) {
		snprintf(err, errsz, "cannot create a temporary file: %s", strerror(errno));
		goto cleanup;
	}
	fflush(stdout);
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &start);
	if ((pid = fork()) < 0) {
		snprintf(err, errsz, "cannot start the renderer: %s", strerror(errno));
		goto cleanup;
	}
	if (pid == 0) {
		char fmt[16];
		char *const argv[] = { path, fmt, NULL };
		snprintf(fmt, sizeof(fmt), "-T%s", format);
		if (dup2(fileno(in), 0) < 0 || dup2(fileno(res), 1) < 0 || dup2(fileno(msg), 2) < 0)
			_exit(127);
		signal(SIGALRM, SIG_DFL);
		alarm(timeout);
		execv(path, argv);
		_exit(127);
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		struct timespec nap = { 0, 10 * 1000 * 1000 };
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			snprintf(err, errsz, "lost the renderer: %s", strerror(errno));
			goto cleanup;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!killed && now.tv_sec - start.tv_sec > (time_t)timeout) {
			/* it ignored SIGALRM: the alarm's backstop */
			kill(pid, SIGKILL);
			killed = 1;
		}
		nanosleep(&nap, NULL);
	}
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		if (sig == SIGALRM || killed)
			snprintf(err, errsz, "the renderer was stopped after its time limit of %u s "
			                     "(SHAREDFATE_RENDER_TIMEOUT)", timeout);
		else
			snprintf(err, errsz, "the renderer was killed by signal %d", sig);
		rc = SF_RENDER_TIMEOUT;
		goto cleanup;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		first_line(msg, err, errsz);
		if (!err[0])
			snprintf(err, errsz, "the renderer failed (exit %d)",
			         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto cleanup;
	}
	if (!(*out = slurp(res, SF_RENDER_MAX_OUTPUT, outlen))) {
		snprintf(err, errsz, "cannot read the drawing (over %zu MiB?)",
		         SF_RENDER_MAX_OUTPUT >> 20);
		goto cleanup;
	}
	rc = SF_RENDER_OK;
cleanup:
	if (in)
		fclose(in);
	if (res)
		fclose(res);
	if (msg)
		fclose(msg);
	return rc;
}
