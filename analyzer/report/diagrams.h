/* The diagrams of one report: each pair, each service's overview and the
 * repository's, as DOT and (when sharedfate-render can draw them) SVG. */
#ifndef SF_DIAGRAMS_H
#define SF_DIAGRAMS_H

#include <stdio.h>

#include "analyzer/scan.h"

/* Pairs (and service overviews) drawn per report: each drawing is a
 * process and a few hundred KiB of page; past it they keep their DOT file. */
#define SF_DIAGRAMS_MAX_DRAWN 40

typedef struct sf_diagram {
	char file[32];              /* "pair-001": the files' base name */
	char *dot;                  /* malloc'd */
	size_t dotlen;
	char *svg;                  /* malloc'd, checked safe to inline; or NULL */
	size_t svglen;
	char note[320];             /* why there is no SVG */
} sf_diagram;

typedef struct sf_diagrams {
	sf_diagram *pairs;          /* one per s->failover.pairs[i] */
	size_t npairs;
	const char **services;      /* sf_view_services */
	sf_diagram *service;        /* one per services[i] */
	size_t nservices;
	sf_diagram overview;
} sf_diagrams;

/* Build every diagram. With `draw`, run the renderer (within its time
 * limit; after one time-out or a missing renderer, the rest stay DOT) and
 * print a line per failure to `msgs`. `link_base` prefixes anchors
 * ("" inline, "index.html" in files). Returns -1 out of memory. */
int sf_diagrams_build(sf_diagrams *d, sf_scan *s, int draw, const char *link_base, FILE *msgs);
void sf_diagrams_free(sf_diagrams *d);

/* 0 when `svg` holds one <svg> element with no script, event handler,
 * foreignObject or link outside the page; *start is where it begins. */
int sf_diagrams_svg_check(const char *svg, size_t len, size_t *start);

#endif
