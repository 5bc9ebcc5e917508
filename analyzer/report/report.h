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

/* What a writer may know beside the scan; every field may be 0/NULL. */
typedef struct sf_report_opts {
	const struct sf_gate_result *gate;  /* waivers, baseline (analyzer/gate.h) */
	const struct sf_tflocate *tf;       /* .tf blocks of the scanned tree */
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

#endif
