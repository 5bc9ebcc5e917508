/* Report writers: they format what the scan found and compute nothing. */
#ifndef SF_REPORT_H
#define SF_REPORT_H

#include <stdio.h>

#include "analyzer/scan.h"

/* sharedfate/findings/v1. Returns -1 on a write error. */
int sf_report_json(FILE *out, sf_scan *s);
/* Grouped by service, for a terminal; `color` adds ANSI colours. */
int sf_report_text(FILE *out, sf_scan *s, int color);

struct sf_gate_result;
struct sf_tflocate;
struct sf_manifest;
struct sf_domains;

/* What a writer may know beside the scan; every field may be 0/NULL. */
typedef struct sf_report_opts {
	const struct sf_gate_result *gate;  /* waivers, baseline (analyzer/gate.h) */
	const struct sf_tflocate *tf;       /* .tf blocks of the scanned tree */
	const struct sf_manifest *manifest; /* every waiver, matched or not */
	const char *today;                  /* YYYY-MM-DD the gate judged expiry by; NULL: today */
	const struct sf_domains *domains;   /* blast radius; NULL: the writer builds it */
	int color;
	int quiet;                          /* text: the summary only */
	int width;                          /* text: wrap at this column; 0: never */
} sf_report_opts;

int sf_report_json_ex(FILE *out, sf_scan *s, const sf_report_opts *o);
int sf_report_text_ex(FILE *out, sf_scan *s, const sf_report_opts *o);
/* SARIF 2.1.0 for code scanning. */
int sf_report_sarif(FILE *out, sf_scan *s, const sf_report_opts *o);
/* JUnit XML: a suite per service, a case per (rule, pair). */
int sf_report_junit(FILE *out, sf_scan *s, const sf_report_opts *o);
/* GitHub Actions workflow commands (::error file=...,line=...::). */
int sf_report_github(FILE *out, sf_scan *s, const sf_report_opts *o);
/* GitLab code quality (Code Climate subset) JSON. */
int sf_report_gitlab(FILE *out, sf_scan *s, const sf_report_opts *o);

/* Where to point a person at finding `f`: the .tf block of the first
 * Terraform resource it names, else the input the finding came from. */
void sf_report_location(const sf_finding *f, const sf_report_opts *o, const char **path,
                        long *line);

/* The graph itself (sharedfate/graph/v1): nodes, attributes, edges. */
int sf_report_graph_json(FILE *out, sf_scan *s);

struct sf_view;

/* DOT for a pair diagram (primary | needed by both | standby, clustered by
 * account and region) and for an overview (collapsed by failure domain
 * past SF_VIEW_COLLAPSE nodes). Nodes with findings link to
 * `link_base`#f-FINGERPRINT. */
int sf_report_dot_pair(FILE *out, const struct sf_view *v, const char *link_base);
int sf_report_dot_overview(FILE *out, const struct sf_view *v, const char *link_base);

/* GraphML of a view (NULL: the whole graph): node kinds, categories, gates,
 * keys and attributes; edge kinds and planes. */
int sf_report_graphml(FILE *out, sf_scan *s, const struct sf_view *v);

/* The pull-request comment: summary (with owners), the baseline and the
 * waivers when `o` has them, the blast radius of each failure domain,
 * findings (waived ones apart), each pair as a Mermaid flowchart; kept
 * under SF_MARKDOWN_MAX characters. `o` may be NULL. */
#define SF_MARKDOWN_MAX 65000
int sf_report_markdown(FILE *out, sf_scan *s, const sf_report_opts *o);

/* The review report: one self-contained HTML page (inline CSS and SVG, no
 * script), with what sf_report_markdown holds. Diagrams are drawn with
 * sharedfate-render when it is there. `o` may be NULL. */
int sf_report_html(FILE *out, sf_scan *s, const sf_report_opts *o);
/* The same with diagrams built already (sf_diagrams_build). */
struct sf_diagrams;
int sf_report_html_diagrams(FILE *out, sf_scan *s, const struct sf_diagrams *d,
                            const sf_report_opts *o);

/* --report DIR: index.html, report.md and the diagrams
 * (pair-NNN.dot/.svg, service-NNN.dot/.svg, overview.dot/.svg), each file
 * created with sf_open_output_at in the directory `dirfd`. Messages about
 * diagrams that could not be drawn go to `msgs`. */
int sf_report_dir(int dirfd, const char *dirname, sf_scan *s, const sf_report_opts *o,
                  FILE *msgs);

#endif
