#include "report.h"

#include <libxml/xmlwriter.h>
#include <string.h>

#include "analyzer/gate.h"
#include "model/diag.h"

/* XML 1.0 cannot carry control characters at all: every text from the
 * input goes through sf_sanitize first (\xNN), then libxml2 escapes. */
static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char clean[4096];
	sf_sanitize(clean, sizeof(clean), value ? value : "", value ? strlen(value) : 0);
	return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST clean);
}

static int attr_n(xmlTextWriterPtr w, const char *name, size_t v)
{
	return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%zu", v);
}

static const char *svc_of(const sf_finding *f)
{
	return f->service ? f->service : "(no service)";
}

static const char *pair_of(const sf_finding *f)
{
	return f->pair ? f->pair->id : f->subject ? f->subject : "";
}

/* One test case: the run of findings [i, j) with one service, rule, pair. */
static size_t case_end(const sf_findings *fs, size_t i)
{
	size_t j = i + 1;
	while (j < fs->count && strcmp(svc_of(&fs->items[j]), svc_of(&fs->items[i])) == 0 &&
	       fs->items[j].rule == fs->items[i].rule &&
	       strcmp(pair_of(&fs->items[j]), pair_of(&fs->items[i])) == 0)
		j++;
	return j;
}

typedef enum { CASE_PASS, CASE_FAIL, CASE_WAIVED } case_state;

static case_state state_of(const sf_scan *s, size_t i, size_t j, const sf_gate_result *g)
{
	int fail_on = g ? g->fail_on : SF_SEV_HIGH, any = 0, all_waived = 1;
	for (size_t k = i; k < j; k++) {
		int w = g && k < g->nmarks && g->marks[k].waiver;
		if (!w)
			all_waived = 0;
		if (!w && fail_on != SF_SEV_NONE && (int)s->findings.items[k].severity >= fail_on)
			any = 1;
	}
	return any ? CASE_FAIL : all_waived ? CASE_WAIVED : CASE_PASS;
}

static void details(xmlTextWriterPtr w, const sf_scan *s, size_t i, size_t j,
                    const sf_report_opts *o)
{
	char line[8192], clean[8192];
	for (size_t k = i; k < j; k++) {
		const sf_finding *f = &s->findings.items[k];
		const char *path;
		long ln;
		sf_report_location(f, o, &path, &ln);
		snprintf(line, sizeof(line), "%s %s (%s): %s\n  at %s:%ld\n  fingerprint %s\n",
		         f->rule->id, f->rule->name, sf_severity_name(f->severity), f->message,
		         path ? path : "-", ln, f->fingerprint);
		sf_sanitize(clean, sizeof(clean), line, strlen(line));
		/* sf_sanitize escapes the newlines too: put them back */
		for (char *p = clean; (p = strstr(p, "\\x0a")); p++) {
			*p = '\n';
			memmove(p + 1, p + 4, strlen(p + 4) + 1);
		}
		xmlTextWriterWriteString(w, BAD_CAST clean);
	}
}

int sf_report_junit(FILE *out, sf_scan *s, const sf_report_opts *o)
{
	const sf_gate_result *g = o ? o->gate : NULL;
	const sf_findings *fs = &s->findings;
	xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(out, NULL);
	xmlTextWriterPtr w;
	size_t tests = 0, failures = 0, skipped = 0;
	int rc = 0;

	if (!buf || !(w = xmlNewTextWriter(buf))) {
		if (buf)
			xmlOutputBufferClose(buf);
		return -1;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	for (size_t i = 0; i < fs->count; i = case_end(fs, i)) {
		case_state st = state_of(s, i, case_end(fs, i), g);
		tests++;
		failures += st == CASE_FAIL;
		skipped += st == CASE_WAIVED;
	}
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "testsuites");
	attr(w, "name", "sharedfate");
	attr_n(w, "tests", tests);
	attr_n(w, "failures", failures);
	attr_n(w, "skipped", skipped);
	for (size_t i = 0; i < fs->count;) {
		const char *svc = svc_of(&fs->items[i]);
		size_t end = i, t = 0, f = 0, sk = 0;
		while (end < fs->count && strcmp(svc_of(&fs->items[end]), svc) == 0) {
			size_t j = case_end(fs, end);
			case_state st = state_of(s, end, j, g);
			t++;
			f += st == CASE_FAIL;
			sk += st == CASE_WAIVED;
			end = j;
		}
		xmlTextWriterStartElement(w, BAD_CAST "testsuite");
		attr(w, "name", svc);
		attr_n(w, "tests", t);
		attr_n(w, "failures", f);
		attr_n(w, "errors", 0);
		attr_n(w, "skipped", sk);
		for (size_t k = i; k < end;) {
			const sf_finding *x = &fs->items[k];
			size_t j = case_end(fs, k);
			case_state st = state_of(s, k, j, g);
			char name[1024], msg[512];
			snprintf(name, sizeof(name), "%s %s %s", x->rule->id, x->rule->name, pair_of(x));
			xmlTextWriterStartElement(w, BAD_CAST "testcase");
			attr(w, "classname", svc);
			attr(w, "name", name);
			attr(w, "file", x->location.path);
			if (st == CASE_FAIL) {
				snprintf(msg, sizeof(msg), "%zu finding%s at or above %s", j - k,
				         j - k == 1 ? "" : "s",
				         sf_severity_name(g ? (sf_severity)g->fail_on : SF_SEV_HIGH));
				xmlTextWriterStartElement(w, BAD_CAST "failure");
				attr(w, "message", msg);
				attr(w, "type", sf_severity_name(x->severity));
				details(w, s, k, j, o);
				xmlTextWriterEndElement(w);
			} else if (st == CASE_WAIVED) {
				snprintf(msg, sizeof(msg), "waived until %s: %s", g->marks[k].waiver->expires,
				         g->marks[k].waiver->reason);
				xmlTextWriterStartElement(w, BAD_CAST "skipped");
				attr(w, "message", msg);
				xmlTextWriterEndElement(w);
			} else {
				xmlTextWriterStartElement(w, BAD_CAST "system-out");
				details(w, s, k, j, o);
				xmlTextWriterEndElement(w);
			}
			xmlTextWriterEndElement(w);
			k = j;
		}
		xmlTextWriterEndElement(w);
		i = end;
	}
	if (xmlTextWriterEndDocument(w) < 0)
		rc = -1;
	xmlFreeTextWriter(w);       /* flushes and closes the buffer, not `out` */
	return rc < 0 || ferror(out) ? -1 : 0;
}
