"""A structural check of SARIF 2.1.0 for what GitHub code scanning needs
(docs: "SARIF support for code scanning"): the parts of the OASIS schema a
tool's output uses, and GitHub's own rules on top of them (relative URIs,
a physical location per result, rule metadata it shows). Python stdlib
only; returns a list of problems, empty when the log is acceptable."""
import re

LEVELS = {"none", "note", "warning", "error"}
SUPPRESSION_KINDS = {"inSource", "external"}
SUPPRESSION_STATUS = {"accepted", "underReview", "rejected"}


def _text(obj, where, problems, markdown=False):
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"]:
        problems.append("%s: needs a non-empty text" % where)
    if markdown and not isinstance(obj.get("markdown"), str):
        problems.append("%s: needs markdown" % where)


def _uri(loc, bases, where, problems):
    al = loc.get("artifactLocation")
    if not isinstance(al, dict) or not isinstance(al.get("uri"), str):
        problems.append("%s: artifactLocation.uri missing" % where)
        return
    uri = al["uri"]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) or uri.startswith("/"):
        problems.append("%s: uri %r is absolute (code scanning needs it relative)" % (where, uri))
    if ".." in uri.split("/") or "\\" in uri or " " in uri:
        problems.append("%s: uri %r is not a clean relative reference" % (where, uri))
    base = al.get("uriBaseId")
    if base is not None and base not in bases:
        problems.append("%s: uriBaseId %r not in originalUriBaseIds" % (where, base))
    region = loc.get("region")
    if region is not None:
        sl = region.get("startLine")
        if not isinstance(sl, int) or sl < 1:
            problems.append("%s: region.startLine must be an integer >= 1" % where)


def check(log):
    p = []
    if log.get("version") != "2.1.0":
        p.append("version must be 2.1.0")
    if not str(log.get("$schema", "")).startswith("https://"):
        p.append("$schema should name the 2.1.0 schema")
    runs = log.get("runs")
    if not isinstance(runs, list) or not 1 <= len(runs) <= 20:
        return p + ["runs: a list of 1 to 20 runs"]
    for ri, run in enumerate(runs):
        drv = run.get("tool", {}).get("driver", {})
        if not isinstance(drv.get("name"), str) or not drv["name"]:
            p.append("run %d: tool.driver.name required" % ri)
        rules = drv.get("rules", [])
        ids = [r.get("id") for r in rules]
        if len(set(ids)) != len(ids):
            p.append("run %d: duplicate rule ids" % ri)
        for r in rules:
            w = "rule %s" % r.get("id")
            if not isinstance(r.get("id"), str):
                p.append("%s: id required" % w)
            _text(r.get("shortDescription"), w + " shortDescription", p)
            _text(r.get("fullDescription"), w + " fullDescription", p)
            _text(r.get("help"), w + " help", p, markdown=True)
            if "helpUri" in r and not re.match(r"^https?://", r["helpUri"]):
                p.append("%s: helpUri must be absolute" % w)
            props = r.get("properties", {})
            tags = props.get("tags", [])
            if not isinstance(tags, list) or len(tags) > 20 or \
                    not all(isinstance(t, str) for t in tags):
                p.append("%s: properties.tags: up to 20 strings" % w)
            sev = props.get("security-severity")
            try:
                if not 0.0 <= float(sev) <= 10.0:
                    raise ValueError
            except (TypeError, ValueError):
                p.append("%s: security-severity must be a number 0.0-10.0 as a string" % w)
            lvl = r.get("defaultConfiguration", {}).get("level", "warning")
            if lvl not in LEVELS:
                p.append("%s: defaultConfiguration.level %r" % (w, lvl))
        bases = run.get("originalUriBaseIds", {})
        results = run.get("results")
        if not isinstance(results, list) or len(results) > 25000:
            p.append("run %d: results: a list of at most 25000" % ri)
            continue
        for i, res in enumerate(results):
            w = "result %d (%s)" % (i, res.get("ruleId"))
            if res.get("ruleId") not in ids:
                p.append("%s: ruleId not among the rules" % w)
            idx = res.get("ruleIndex")
            if idx is not None and (not isinstance(idx, int) or idx >= len(ids) or
                                    ids[idx] != res.get("ruleId")):
                p.append("%s: ruleIndex does not point at its rule" % w)
            if res.get("level", "warning") not in LEVELS:
                p.append("%s: level %r" % (w, res.get("level")))
            _text(res.get("message"), w + " message", p)
            locs = res.get("locations")
            if not isinstance(locs, list) or not locs or len(locs) > 10:
                p.append("%s: 1 to 10 locations" % w)
            for loc in locs or []:
                if "physicalLocation" not in loc:
                    p.append("%s: a location without physicalLocation" % w)
                else:
                    _uri(loc["physicalLocation"], bases, w, p)
            fps = res.get("partialFingerprints", {})
            if not fps or not all(isinstance(v, str) and v for v in fps.values()):
                p.append("%s: partialFingerprints of strings" % w)
            rel_ids = []
            for loc in res.get("relatedLocations", []):
                rel_ids.append(loc.get("id"))
                if "physicalLocation" in loc:
                    _uri(loc["physicalLocation"], bases, w + " related", p)
            if len(set(rel_ids)) != len(rel_ids) or \
                    not all(isinstance(x, int) and x >= 0 for x in rel_ids):
                p.append("%s: relatedLocations ids must be unique integers" % w)
            for s in res.get("suppressions", []):
                if s.get("kind") not in SUPPRESSION_KINDS:
                    p.append("%s: suppression kind %r" % (w, s.get("kind")))
                if s.get("status", "accepted") not in SUPPRESSION_STATUS:
                    p.append("%s: suppression status %r" % (w, s.get("status")))
    return p
