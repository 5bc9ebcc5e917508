/* --report DIR: every file a review or a CI artefact wants, in one folder.
 * Each is created with sf_open_output_at (never through a link). */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/domains.h"
#include "diagrams.h"
#include "model/files.h"

static int write_file(int dirfd, const char *dirname, const char *name, const char *data,
                      size_t len)
{
	char err[256];
	int fd = sf_open_output_at(dirfd, name, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "sharedfate: cannot write %s/%s: %s\n", dirname, name, err);
		return -1;
	}
	if (sf_write_fd(fd, data, len) < 0) {
		fprintf(stderr, "sharedfate: error writing %s/%s: %s\n", dirname, name, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_diagram(int dirfd, const char *dirname, const sf_diagram *dg)
{
	char name[48];
	snprintf(name, sizeof(name), "%s.dot", dg->file);
	if (write_file(dirfd, dirname, name, dg->dot, dg->dotlen) < 0)
		return -1;
	if (!dg->svg)
		return 0;
	snprintf(name, sizeof(name), "%s.svg", dg->file);
	return write_file(dirfd, dirname, name, dg->svg, dg->svglen);
}

typedef int (*writer_fn)(FILE *out, sf_scan *s, const sf_diagrams *d, const sf_report_opts *o);

static int md_writer(FILE *out, sf_scan *s, const sf_diagrams *d, const sf_report_opts *o)
{
	(void)d;
	return sf_report_markdown(out, s, o);
}

static int write_with(int dirfd, const char *dirname, const char *name, writer_fn fn,
                      sf_scan *s, const sf_diagrams *d, const sf_report_opts *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int rc;
	if (!m)
		return -1;
	rc = fn(m, s, d, o);
	if (fclose(m) != 0)
		rc = -1;
	if (rc == 0)
		rc = write_file(dirfd, dirname, name, text, len);
	else
		fprintf(stderr, "sharedfate: cannot build %s/%s (out of memory)\n", dirname, name);
	free(text);
	return rc;
}

int sf_report_dir(int dirfd, const char *dirname, sf_scan *s, const sf_report_opts *o,
                  FILE *msgs)
{
	sf_diagrams d;
	sf_report_opts ro;
	sf_domains dom;
	int rc = -1, built = 0;

	/* the blast radius once, for both pages */
	if (o)
		ro = *o;
	else
		memset(&ro, 0, sizeof(ro));
	if (!ro.domains) {
		if (sf_domains_build(s->graph, &s->failover, &dom) < 0) {
			fprintf(stderr, "sharedfate: out of memory finding the failure domains\n");
			return -1;
		}
		built = 1;
		ro.domains = &dom;
	}

	/* the SVG files beside index.html link to its anchors, and so do the
	 * same drawings inlined in it */
	if (sf_diagrams_build(&d, s, 1, "index.html", msgs) < 0) {
		fprintf(stderr, "sharedfate: out of memory drawing the diagrams\n");
		goto cleanup;
	}
	for (size_t i = 0; i < d.npairs; i++)
		if (write_diagram(dirfd, dirname, &d.pairs[i]) < 0)
			goto cleanup;
	for (size_t i = 0; i < d.nservices; i++)
		if (write_diagram(dirfd, dirname, &d.service[i]) < 0)
			goto cleanup;
	if (write_diagram(dirfd, dirname, &d.overview) < 0 ||
	    write_with(dirfd, dirname, "index.html", sf_report_html_diagrams, s, &d, &ro) < 0 ||
	    write_with(dirfd, dirname, "report.md", md_writer, s, &d, &ro) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	sf_diagrams_free(&d);
	if (built)
		sf_domains_free(&dom);
	return rc;
}
