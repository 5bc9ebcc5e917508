#include "diagrams.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render.h"
#include "report.h"
#include "view.h"

static int check_node(xmlNodePtr n, int depth)
{
	if (depth > 64)
		return -1;
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)n->name;
			if (!strcasecmp(name, "script") || !strcasecmp(name, "foreignObject") ||
			    !strcasecmp(name, "iframe") || !strcasecmp(name, "style"))
				return -1;
			for (xmlAttrPtr a = n->properties; a; a = a->next) {
				const char *an = (const char *)a->name;
				xmlChar *val;
				int bad = 0;
				if (!strncasecmp(an, "on", 2))
					return -1;
				if (strcasecmp(an, "href") != 0)
					continue;
				/* links may only point into the report */
				val = xmlNodeListGetString(n->doc, a->children, 1);
				bad = !val || !(val[0] == '#' || !strncmp((const char *)val, "index.html#", 11));
				xmlFree(val);
				if (bad)
					return -1;
			}
		} else if (n->type == XML_ENTITY_REF_NODE || n->type == XML_PI_NODE) {
			return -1;
		}
		if (check_node(n->children, depth + 1) < 0)
			return -1;
	}
	return 0;
}

int sf_diagrams_svg_check(const char *svg, size_t len, size_t *start)
{
	const char *at;
	xmlDocPtr doc;
	int rc;
	if (len > (size_t)1 << 30 || !(at = strstr(svg, "<svg")))
		return -1;
	*start = (size_t)(at - svg);
	/* no entities, no network, no DTD: the renderer's output is parsed
	 * as data, and only then inlined */
	doc = xmlReadMemory(at, (int)(len - *start), "diagram.svg", NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return -1;
	rc = check_node(xmlDocGetRootElement(doc), 0);
	if (rc == 0 && strcmp((const char *)xmlDocGetRootElement(doc)->name, "svg") != 0)
		rc = -1;
	xmlFreeDoc(doc);
	return rc;
}

/* 1 once the renderer is missing or timed out: the rest stay DOT. */
static int render_off;
static char render_off_why[256];

static int draw(sf_diagram *dg, int enabled, FILE *msgs)
{
	char err[256];
	char *svg;
	size_t len, start;
	int r;

	if (!enabled) {
		snprintf(dg->note, sizeof(dg->note), "not drawn: more than %d pairs; see %s.dot",
		         SF_DIAGRAMS_MAX_DRAWN, dg->file);
		return 0;
	}
	if (render_off) {
		snprintf(dg->note, sizeof(dg->note), "not drawn (%s); see %s.dot", render_off_why,
		         dg->file);
		return 0;
	}
	r = sf_render(dg->dot, dg->dotlen, "svg", &svg, &len, err, sizeof(err));
	if (r != SF_RENDER_OK) {
		snprintf(dg->note, sizeof(dg->note), "not drawn (%s); see %s.dot", err, dg->file);
		if (msgs)
			fprintf(msgs, "sharedfate: diagram %s: %s; kept %s.dot\n", dg->file, err, dg->file);
		if (r == SF_RENDER_MISSING || r == SF_RENDER_TIMEOUT) {
			render_off = 1;
			snprintf(render_off_why, sizeof(render_off_why), "%s",
			         r == SF_RENDER_MISSING ? "no sharedfate-render" : "an earlier diagram timed out");
		}
		return 0;
	}
	if (sf_diagrams_svg_check(svg, len, &start) < 0) {
		snprintf(dg->note, sizeof(dg->note), "not drawn (the drawing failed a safety check); see %s.dot",
		         dg->file);
		if (msgs)
			fprintf(msgs, "sharedfate: diagram %s: the drawing failed a safety check; kept %s.dot\n",
			        dg->file, dg->file);
		free(svg);
		return 0;
	}
	memmove(svg, svg + start, len - start + 1);
	dg->svg = svg;
	dg->svglen = len - start;
	return 0;
}

static int dot_of(sf_diagram *dg, const sf_view *v, int pair, const char *link_base)
{
	FILE *m = open_memstream(&dg->dot, &dg->dotlen);
	int rc;
	if (!m)
		return -1;
	rc = pair ? sf_report_dot_pair(m, v, link_base) : sf_report_dot_overview(m, v, link_base);
	if (fclose(m) != 0)
		rc = -1;
	return rc;
}

int sf_diagrams_build(sf_diagrams *d, sf_scan *s, int drawing, const char *link_base, FILE *msgs)
{
	sf_view v;

	memset(d, 0, sizeof(*d));
	render_off = 0;
	if (sf_view_services(s, &d->services, &d->nservices) < 0)
		return -1;
	d->npairs = s->failover.npairs;
	d->pairs = calloc(d->npairs ? d->npairs : 1, sizeof(*d->pairs));
	d->service = calloc(d->nservices ? d->nservices : 1, sizeof(*d->service));
	if (!d->pairs || !d->service)
		return -1;
	for (size_t i = 0; i < d->npairs; i++) {
		sf_diagram *dg = &d->pairs[i];
		snprintf(dg->file, sizeof(dg->file), "pair-%03zu", i + 1);
		if (sf_view_pair(&v, s, &s->failover.pairs[i]) < 0)
			return -1;
		if (dot_of(dg, &v, 1, link_base) < 0) {
			sf_view_free(&v);
			return -1;
		}
		sf_view_free(&v);
		if (drawing && draw(dg, i < SF_DIAGRAMS_MAX_DRAWN, msgs) < 0)
			return -1;
	}
	for (size_t i = 0; i < d->nservices; i++) {
		sf_diagram *dg = &d->service[i];
		snprintf(dg->file, sizeof(dg->file), "service-%03zu", i + 1);
		if (sf_view_overview(&v, s, strcmp(d->services[i], SF_VIEW_NO_SERVICE) ? d->services[i] : "") < 0)
			return -1;
		if (dot_of(dg, &v, 0, link_base) < 0) {
			sf_view_free(&v);
			return -1;
		}
		sf_view_free(&v);
		if (drawing && draw(dg, i < SF_DIAGRAMS_MAX_DRAWN, msgs) < 0)
			return -1;
	}
	snprintf(d->overview.file, sizeof(d->overview.file), "overview");
	if (sf_view_overview(&v, s, NULL) < 0)
		return -1;
	if (dot_of(&d->overview, &v, 0, link_base) < 0) {
		sf_view_free(&v);
		return -1;
	}
	sf_view_free(&v);
	if (drawing && draw(&d->overview, 1, msgs) < 0)
		return -1;
	return 0;
}

static void diagram_free(sf_diagram *dg)
{
	free(dg->dot);
	free(dg->svg);
}

void sf_diagrams_free(sf_diagrams *d)
{
	for (size_t i = 0; d->pairs && i < d->npairs; i++)
		diagram_free(&d->pairs[i]);
	for (size_t i = 0; d->service && i < d->nservices; i++)
		diagram_free(&d->service[i]);
	diagram_free(&d->overview);
	free(d->pairs);
	free(d->service);
	free(d->services);
	memset(d, 0, sizeof(*d));
}
