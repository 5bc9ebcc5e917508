/* sharedfate-render: lays out and draws one DOT diagram with Graphviz.
 *
 * The only program that links Graphviz (EPL-1.0): the analyzer links GPL
 * libraries, and a slow or crashing layout must not take a scan down, so
 * the analyzer runs this with a time limit (analyzer/report/render.c).
 *
 *   sharedfate-render [-T svg|png|pdf|dot] < diagram.dot > diagram.svg
 *
 * Exit codes: 0 drawn, 2 bad usage or a diagram Graphviz refuses, 3
 * internal error. Messages go to standard error, one line each, with
 * control characters replaced: they may quote a label. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

/* A diagram larger than this is refused: the analyzer collapses large
 * overviews long before. */
#define RENDER_MAX_INPUT ((size_t)64 * 1024 * 1024)

static int errors_seen;

/* Graphviz messages may quote labels, which come from the input. */
static int on_error(char *msg)
{
	fputs("sharedfate-render: ", stderr);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p == '\n' && p[1] == '\0')
			break;
		if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
	fputc('\n', stderr);
	errors_seen++;
	return 0;
}

static char *read_all(FILE *in, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, in);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *b;
			if (cap >= RENDER_MAX_INPUT) {
				free(buf);
				fprintf(stderr, "sharedfate-render: diagram larger than %zu MiB\n",
				        RENDER_MAX_INPUT >> 20);
				return NULL;
			}
			cap *= 2;
			if (!(b = realloc(buf, cap + 1))) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
		}
	}
	if (!buf) {
		fprintf(stderr, "sharedfate-render: out of memory\n");
		return NULL;
	}
	if (ferror(in)) {
		fprintf(stderr, "sharedfate-render: cannot read the diagram\n");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	const char *format = "svg";
	char *text;
	size_t len;
	Agraph_t *g;
	GVC_t *gvc;
	int rc = 3;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-T") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strncmp(argv[i], "-T", 2) == 0 && argv[i][2])
			format = argv[i] + 2;
		else {
			fprintf(stderr, "usage: sharedfate-render [-T svg|png|pdf|dot] < in.dot > out\n");
			return 2;
		}
	}
	if (strcmp(format, "svg") != 0 && strcmp(format, "png") != 0 &&
	    strcmp(format, "pdf") != 0 && strcmp(format, "dot") != 0) {
		fprintf(stderr, "sharedfate-render: unknown format (svg, png, pdf, dot)\n");
		return 2;
	}
	if (!(text = read_all(stdin, &len)))
		return 2;
	if (memchr(text, '\0', len)) {
		fprintf(stderr, "sharedfate-render: the diagram holds a NUL byte\n");
		free(text);
		return 2;
	}
	agseterrf(on_error);
	agseterr(AGERR);
	/* one context per process: Graphviz leaks a little per context */
	if (!(gvc = gvContext())) {
		fprintf(stderr, "sharedfate-render: cannot start Graphviz\n");
		free(text);
		return 3;
	}
	g = agmemread(text);
	free(text);
	if (!g || agerrors()) {
		if (!errors_seen)
			fprintf(stderr, "sharedfate-render: not a DOT diagram\n");
		rc = 2;
		goto cleanup;
	}
	/* A malformed label still lays out with rc 0: agerrors() is the signal. */
	if (gvLayout(gvc, g, "dot") != 0 || agerrors()) {
		if (!errors_seen)
			fprintf(stderr, "sharedfate-render: layout failed\n");
		rc = 2;
		goto cleanup;
	}
	if (gvRender(gvc, g, format, stdout) != 0 || agerrors() || fflush(stdout) != 0) {
		if (!errors_seen)
			fprintf(stderr, "sharedfate-render: cannot draw %s\n", format);
		rc = 3;
	} else {
		rc = 0;
	}
	gvFreeLayout(gvc, g);
cleanup:
	if (g)
		agclose(g);
	gvFreeContext(gvc);
	return rc;
}

/* Graphviz, pango and fontconfig keep caches for the life of the process
 * (gvFreeContext does not free its plugin lists); a sanitizer build of
 * the renderer suppresses those leaks here, and only those. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libgvc.so\nleak:libcgraph.so\nleak:libcdt.so\nleak:libgvplugin_\n"
	       "leak:libfontconfig.so\nleak:libglib-2.0.so\nleak:libgobject-2.0.so\n"
	       "leak:libpango\nleak:libcairo\nleak:libpixman\nleak:libexpat\n";
}
