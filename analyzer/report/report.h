/* Report writers: they format what the scan found and compute nothing. */
#ifndef SF_REPORT_H
#define SF_REPORT_H

#include <stdio.h>

#include "analyzer/scan.h"

/* sharedfate/findings/v1. Returns -1 on a write error. */
int sf_report_json(FILE *out, sf_scan *s);
/* Grouped by service, for a terminal; `color` adds ANSI colours. */
int sf_report_text(FILE *out, sf_scan *s, int color);

/* The graph itself (sharedfate/graph/v1): nodes, attributes, edges. */
int sf_report_graph_json(FILE *out, sf_scan *s);

#endif
