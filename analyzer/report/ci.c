#include "report.h"

#include <jansson.h>
#include <string.h>

#include "analyzer/gate.h"
#include "model/diag.h"
#include "model/jsonw.h"

static int is_waived(const sf_report_opts *o, size_t i)
{
	return o && o->gate && i < o->gate->nmarks && o->gate->marks[i].waiver;
}

/* Workflow commands: '%', CR and LF are escaped in data; ':' and ',' too
 * in properties. Control characters are sanitised first. */
static void escaped(FILE *out, const char *s, int property)
{
	char clean[4096];
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	for (const char *p = clean; *p; p++) {
		if (*p == '%')
			fputs("%25", out);
		else if (property && *p == ':')
			fputs("%3A", out);
		else if (property && *p == ',')
			fputs("%2C", out);
		else
			fputc(*p, out);
	}
}

int sf_report_github(FILE *out, sf_scan *s, const sf_report_opts *o)
{
	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		const char *path, *cmd;
		long line;
		char title[256];
		if (is_waived(o, i))
			continue;       /* accepted: no annotation on the pull request */
		sf_report_location(f, o, &path, &line);
		cmd = f->severity >= SF_SEV_HIGH ? "error" : f->severity == SF_SEV_MEDIUM ? "warning"
		                                                                          : "notice";
		fprintf(out, "::%s ", cmd);
		if (path && path[0] != '<') {
			fputs("file=", out);
			escaped(out, path[0] == '.' && path[1] == '/' ? path + 2 : path, 1);
			if (line > 0)
				fprintf(out, ",line=%ld", line);
			fputc(',', out);
		}
		snprintf(title, sizeof(title), "%s %s (%s)", f->rule->id, f->rule->name,
		         f->service ? f->service : "no service");
		fputs("title=", out);
		escaped(out, title, 1);
		fputs("::", out);
		escaped(out, f->message, 0);
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

/* GitLab's code quality report: severity info|minor|major|critical|blocker. */
static const char *gl_severity(sf_severity s)
{
	switch (s) {
	case SF_SEV_CRITICAL: return "blocker";
	case SF_SEV_HIGH: return "critical";
	case SF_SEV_MEDIUM: return "major";
	case SF_SEV_LOW: return "minor";
	default: return "info";
	}
}

int sf_report_gitlab(FILE *out, sf_scan *s, const sf_report_opts *o)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		json_t *x = json_object(), *loc = json_object(), *lines = json_object();
		const char *path;
		long line;
		if (is_waived(o, i)) {
			json_decref(x);
			json_decref(loc);
			json_decref(lines);
			continue;
		}
		sf_report_location(f, o, &path, &line);
		json_object_set_new(x, "description", json_string(f->message));
		json_object_set_new(x, "check_name", json_string(f->rule->id));
		json_object_set_new(x, "fingerprint", json_string(f->fingerprint));
		json_object_set_new(x, "severity", json_string(gl_severity(f->severity)));
		json_object_set_new(loc, "path", json_string(path ? path : ""));
		json_object_set_new(lines, "begin", json_integer(line > 0 ? line : 1));
		json_object_set_new(loc, "lines", lines);
		json_object_set_new(x, "location", loc);
		json_array_append_new(a, x);
	}
	return sf_json_write(out, a);
}
