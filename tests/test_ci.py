#!/usr/bin/env python3
"""CI integration, end to end with the real binary: SARIF (checked against
what GitHub code scanning requires), JUnit, GitHub and GitLab outputs,
several outputs from one run, `scan -`, settings and --config, waivers,
baselines and `diff`, fingerprints that survive what must not change
them, and the exit code of every combination of threshold, baseline and
waiver. The two revisions in tests/ci/revisions are one repository
before and after the standby's secret stopped being replicated: from
then on the standby shares the primary's secret store."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sarif_check  # noqa: E402

TODAY = "2026-12-01"


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    revs = os.path.join(src, "tests", "ci", "revisions")
    failures = []
    tmp = tempfile.mkdtemp(prefix="sf-ci-")
    env = dict(os.environ, SHAREDFATE_TODAY=TODAY)

    def run(args, cwd=tmp, stdin=None):
        p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=120,
                           input=stdin, env=env)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def expect(cond, what):
        if not cond:
            failures.append(what)

    def tree(name, rev, manifest=None):
        d = os.path.join(tmp, name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(os.path.join(revs, rev), d)
        if manifest is not None:
            with open(os.path.join(d, "sharedfate.yaml"), "w") as f:
                f.write(manifest)
        return name

    def findings(name, extra=()):
        rc, out, err = run(["scan", "--format", "json", "--fail-on", "none"] + list(extra) + [name])
        expect(rc == 0, "scan %s: exit %d\n%s" % (name, rc, err))
        return json.loads(out)["findings"] if rc == 0 else []

    try:
        before, after = tree("before", "before"), tree("after", "after")
        fb, fa = findings(before), findings(after)
        fps_b = {f["fingerprint"] for f in fb}
        fps_a = {f["fingerprint"] for f in fa}
        new = fps_a - fps_b
        new_rules = sorted(f["rule"] for f in fa if f["fingerprint"] in new)
        expect("SF102" in new_rules, "the shared secret store is not a new finding: %s" % new_rules)
        expect(all("aws_secretsmanager_secret.db" in json.dumps(f) for f in fa
                   if f["fingerprint"] in new), "a new finding unrelated to the secret")
        expect(fps_b <= fps_a, "a finding of the old revision went away")

        # ---- diff: exactly the new findings
        rc, _, err = run(["scan", "--format", "json", "-o", "b.json", "--fail-on", "none", before])
        rc2, _, err2 = run(["scan", "--format", "json", "-o", "a.json", "--fail-on", "none", after])
        expect(rc == 0 and rc2 == 0, "scan -o: %s %s" % (err, err2))
        rc, out, err = run(["diff", "b.json", "a.json", "--format", "json"])
        d = json.loads(out) if out else {}
        expect(rc == 1, "diff with new high findings: exit %d, want 1 (%s)" % (rc, err))
        expect({f["fingerprint"] for f in d.get("new", [])} == new, "diff new != the new findings")
        expect(d.get("fixed") == [], "diff reports fixed findings: %s" % d.get("fixed"))
        expect(len(d.get("unchanged", [])) == len(fps_b), "diff unchanged count")
        rc, out, _ = run(["diff", "a.json", "b.json"])
        expect(rc == 0 and "fixed (%d)" % len(new) in out and "new (0)" in out,
               "diff reversed: exit %d\n%s" % (rc, out))
        rc, _, err = run(["diff", "b.json", "nonexistent.json"])
        expect(rc == 2, "diff of a missing file: exit %d" % rc)
        with open(os.path.join(tmp, "bad.json"), "w") as f:
            f.write('{"schema": "other"}')
        rc, _, err = run(["diff", "b.json", "bad.json"])
        expect(rc == 2 and "bad.json:1:" in err, "diff of a foreign JSON: %d %s" % (rc, err))

        # ---- baseline: scan --baseline fails only on the new finding
        rc, _, err = run(["baseline", before, "-o", "base.json"])
        if rc != 0:
            print("baseline: exit %d %s" % (rc, err))
            return 1
        base = json.load(open(os.path.join(tmp, "base.json")))
        expect(base["schema"] == "sharedfate/baseline/v1" and
               {e["fingerprint"] for e in base["findings"]} == fps_b, "baseline content")
        rc, out, err = run(["scan", "--format", "json", "--baseline", "base.json", after])
        j = json.loads(out)
        expect(rc == 1, "scan --baseline after: exit %d, want 1" % rc)
        expect({f["fingerprint"] for f in j["findings"]} == new,
               "scan --baseline reports more than the new findings")
        expect(j["baseline"]["known"] == len(fps_b) and j["baseline"]["stale"] == [],
               "baseline summary: %s" % j.get("baseline"))
        rc, out, err = run(["scan", "--baseline", "base.json", before])
        expect(rc == 0, "scan --baseline of the baselined revision: exit %d" % rc)
        # stale: a baseline of the new revision, scanned on the old one
        run(["baseline", after, "-o", "base-after.json"])
        rc, out, err = run(["scan", "--baseline", "base-after.json", before])
        expect(rc == 0 and "Baseline entries no longer found" in out and
               "%d stale" % len(new) in out, "stale entries: %d\n%s" % (rc, out))
        rc, out, _ = run(["scan", "--format", "json", "--baseline", "base-after.json", before])
        expect(len(json.loads(out)["baseline"]["stale"]) == len(new), "stale entries in JSON")
        # a findings JSON works as a baseline too
        rc, out, _ = run(["scan", "--format", "json", "--baseline", "b.json", after])
        expect({f["fingerprint"] for f in json.loads(out)["findings"]} == new,
               "findings JSON as baseline")
        rc, _, err = run(["scan", "--baseline", "bad.json", after])
        expect(rc == 2 and "bad.json:1:" in err, "bad baseline: %d %s" % (rc, err))

        # ---- exit codes: threshold x baseline x waiver
        by_fp = {f["fingerprint"]: f for f in fa}
        sevs = ["info", "low", "medium", "high", "critical"]
        waive_rules = sorted({by_fp[x]["rule"] for x in new})
        waivers = {
            "none": "",
            "valid": "".join(
                "  - {rule: %s, service: api.example.com, reason: \"replica being built\", "
                "expires: 2027-01-31, approved_by: \"sre-lead\"}\n" % r for r in waive_rules),
            "expired": "".join(
                "  - {rule: %s, reason: \"was temporary\", expires: 2026-11-30, "
                "approved_by: \"sre-lead\"}\n" % r for r in waive_rules),
        }
        for wname, wtext in waivers.items():
            man = "version: 1\n" + ("waivers:\n" + wtext if wtext else "")
            t = tree("after-" + wname, "after", man)
            for bname in ("none", "base"):
                for thr in ("critical", "high", "medium", "none"):
                    args = ["scan", "--format", "json", "--fail-on", thr]
                    if bname == "base":
                        args += ["--baseline", "base.json"]
                    rc, out, err = run(args + [t])
                    considered = [f for f in fa if bname == "none" or f["fingerprint"] in new]
                    if wname == "valid":
                        considered = [f for f in considered if f["rule"] not in waive_rules]
                    want = 0 if thr == "none" else int(any(
                        sevs.index(f["severity"]) >= sevs.index(thr) for f in considered))
                    expect(rc == want, "threshold %s, baseline %s, waiver %s: exit %d, want %d\n%s"
                           % (thr, bname, wname, rc, want, err))
                    if rc not in (0, 1):
                        continue
                    js = json.loads(out)["findings"]
                    if wname == "valid":
                        w = [f for f in js if f["rule"] in waive_rules]
                        expect(w and all(f.get("waived", {}).get("approved_by") == "sre-lead" and
                                         f["waived"]["expires"] == "2027-01-31" for f in w),
                               "waived findings stay in the JSON with their waiver")
                    if wname == "expired":
                        expect("expired on 2026-11-30" in err, "expiry not reported: %s" % err)
                        expect(all("waiver_expired" in f for f in js if f["rule"] in waive_rules),
                               "expired waiver not in the JSON")
            if wname == "valid":
                rc, out, _ = run(["scan", t])
                head, _, tail = out.partition("\nWaived\n")
                expect(tail and "SF102" in tail and "SF102" not in head and
                       "waived until 2027-01-31" in tail, "text: waived apart\n" + out)
                rc, out, _ = run(["scan", "--format", "sarif", t])
                res = json.loads(out)["runs"][0]["results"]
                expect(all(("suppressions" in r) == (r["ruleId"] in waive_rules) for r in res),
                       "SARIF suppressions on exactly the waived results")
            if wname == "expired":
                rc, out, _ = run(["scan", t])
                expect("waiver EXPIRED on 2026-11-30" in out, "text: expired waiver\n" + out)

        # ---- a waiver may name the service as sharedfate.yaml declares it
        # (api) or as the pair is named (api.example.com); a second waiver of
        # findings an earlier one waives is in use, not "waives no finding"
        r0 = waive_rules[0]
        t = tree("declared-name", "after", "version: 1\nservices:\n"
                 "  - {name: api, dns: api.example.com}\nwaivers:\n"
                 "  - {rule: %s, service: api, reason: r, expires: 2099-01-01, approved_by: x}\n"
                 "  - {rule: %s, service: API.example.com., reason: r, expires: 2099-01-01, "
                 "approved_by: z}\n" % (r0, r0))
        rc, out, err = run(["scan", "--format", "json", "--fail-on", "none", t])
        js = json.loads(out)["findings"]
        w = [f for f in js if f["rule"] == r0]
        expect(w and all(f.get("waived", {}).get("approved_by") == "x" for f in w),
               "waiver by the declared service name: %s" % [f.get("waived") for f in w])
        expect("waives no finding" not in err, "a second matching waiver is not idle: %s" % err)
        t = tree("other-name", "after", "version: 1\nservices:\n"
                 "  - {name: web, dns: www.example.com}\nwaivers:\n"
                 "  - {rule: %s, service: web, reason: r, expires: 2099-01-01, approved_by: x}\n" % r0)
        rc, out, err = run(["scan", "--format", "json", "--fail-on", "none", t])
        expect(not any("waived" in f for f in json.loads(out)["findings"]) and
               "waives no finding" in err, "a waiver of another service waives nothing: %s" % err)

        # ---- waiver and settings validation: file:line, exit 2
        bad = [
            ("waivers:\n  - {rule: SF102, expires: 2027-01-01, approved_by: x}\n", 3,
             "'reason' is required"),
            ("waivers:\n  - {rule: SF102, reason: r, expires: 2027-02-30, approved_by: x}\n", 3,
             "not a date"),
            ("waivers:\n  - rule: SF102\n    reason: r\n    expires: 2027-01-01\n"
             "    approved_by: x\n    until: never\n", 7, "unknown field 'until'"),
            ("waivers:\n  - {rule: sf 102, reason: r, expires: 2027-01-01, approved_by: x}\n", 3,
             "not a rule id"),
            ("settings:\n  fail_on: severe\n", 3, "unknown severity"),
            ("settings:\n  severity: {SF105: urgent}\n", 3, "unknown severity"),
            ("settings:\n  ttl_threshold: soon\n", 3, "ttl_threshold"),
            ("settings:\n  colour: never\n", 3, "unknown field 'colour'"),
        ]
        for text, line, msg in bad:
            t = tree("bad", "after", "version: 1\n" + text)
            rc, out, err = run(["scan", t])
            expect(rc == 2 and ("bad/sharedfate.yaml:%d:" % line) in err and msg in err,
                   "invalid manifest %r: exit %d\n%s" % (text, rc, err))
        t = tree("unknown-rule", "after", "version: 1\nwaivers:\n  - {rule: SF999, reason: r, "
                 "expires: 2027-01-01, approved_by: x}\n")
        rc, _, err = run(["scan", "--fail-on", "none", t])
        expect(rc == 0 and "sharedfate.yaml:3: warning: waiver: no rule 'SF999'" in err,
               "waiver of an unknown rule: %d %s" % (rc, err))

        # ---- settings, and the command line over them
        t = tree("settings", "after", "version: 1\nsettings:\n  fail_on: none\n"
                 "  disable: [SF107]\n  severity:\n    SF105: critical\n")
        rc, out, err = run(["scan", "--format", "json", t])
        js = json.loads(out)["findings"]
        expect(rc == 0, "settings.fail_on none: exit %d" % rc)
        expect(not any(f["rule"] == "SF107" for f in js), "settings.disable")
        expect(all(f["severity"] == "critical" for f in js if f["rule"] == "SF105"),
               "settings.severity override")
        expect({f["fingerprint"] for f in js} <= fps_a, "an override changed fingerprints")
        rc, _, _ = run(["scan", "--fail-on", "critical", t])
        expect(rc == 1, "--fail-on critical over settings (SF105 raised): exit %d" % rc)
        with open(os.path.join(tmp, "ci.yaml"), "w") as f:
            f.write("version: 1\nsettings:\n  fail_on: none\n")
        rc, _, err = run(["scan", "--config", "ci.yaml", after])
        expect(rc == 0, "--config FILE: exit %d %s" % (rc, err))
        rc, _, err = run(["scan", "--config", "missing.yaml", after])
        expect(rc == 2, "--config of a missing file: exit %d" % rc)

        # ---- several outputs from one run; SARIF valid for code scanning
        rc, out, err = run(["scan", "--format", "sarif", "-o", "r.sarif", "--format", "junit",
                            "-o", "r.xml", "--format", "json", "-o", "r.json", "--format",
                            "github", "-o", "r.gh", "--format", "gitlab", "-o", "r.gl", after])
        expect(rc == 1 and out == "", "several outputs: exit %d, stdout %r" % (rc, out[:200]))
        sarif = json.load(open(os.path.join(tmp, "r.sarif")))
        for prob in sarif_check.check(sarif):
            failures.append("SARIF: " + prob)
        results = sarif["runs"][0]["results"]
        expect(len(results) == len(fa), "SARIF result count")
        sf102 = [r for r in results if r["ruleId"] == "SF102"]
        loc = sf102[0]["locations"][0]["physicalLocation"] if sf102 else {}
        with open(os.path.join(revs, "after", "main.tf")) as f:
            want_line = 1 + f.read().split("\n").index('resource "aws_secretsmanager_secret" "db" {')
        expect(loc.get("artifactLocation", {}).get("uri") == "after/main.tf" and
               loc.get("region", {}).get("startLine") == want_line,
               "SF102 not located on its .tf block: %s" % loc)
        expect(all(r["relatedLocations"] for r in results if r["ruleId"] in ("SF102", "SF103")),
               "relatedLocations")
        rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        expect(any(r["id"] == "SF102" and r["properties"]["security-severity"] == "8.0"
                   for r in rules), "SF102 security-severity")
        # the rule's framework references reach code scanning's help pane;
        # no helpUri unless a build names where the rule pages live
        expect(all("**References:**" in r["help"]["markdown"] and "NIST CSF 2.0" in
                   r["help"]["markdown"] for r in rules if r["id"] == "SF102"),
               "SF102 help lacks its references")
        expect(not any("helpUri" in r for r in rules), "a helpUri to a page nobody publishes")
        xml = ET.parse(os.path.join(tmp, "r.xml")).getroot()
        suites = xml.findall("testsuite")
        expect(xml.tag == "testsuites" and len(suites) == 1 and
               suites[0].get("name") == "api.example.com", "JUnit suites")
        fails = xml.findall(".//failure")
        highs = {(f["rule"], f["pair"]) for f in fa if f["severity"] in ("high", "critical")}
        expect(len(fails) == len(highs) and xml.get("failures") == str(len(highs)),
               "JUnit failures %d, want %d" % (len(fails), len(highs)))
        gh = open(os.path.join(tmp, "r.gh")).read().splitlines()
        expect(len(gh) == len(fa) and all(x.startswith("::") for x in gh) and
               any(x.startswith("::error file=after/main.tf,line=%d," % want_line) for x in gh),
               "GitHub annotations:\n" + "\n".join(gh))
        gl = json.load(open(os.path.join(tmp, "r.gl")))
        expect(len(gl) == len(fa) and all(set(x) >= {"description", "check_name", "fingerprint",
                                                     "severity", "location"} for x in gl),
               "GitLab code quality fields")
        rc, _, err = run(["scan", "--format", "json", "--format", "sarif", "-o", "x", after])
        expect(rc == 2, "two formats, one -o: exit %d" % rc)
        rc1, o1, _ = run(["scan", "--format", "sarif", after])
        rc2, o2, _ = run(["scan", "--format", "sarif", after])
        expect(o1 == o2, "SARIF is not deterministic")

        # ---- fingerprints: stable across order, unrelated resources, line shifts
        def mutate(name, fn_state=None, fn_tf=None):
            t = tree(name, "after")
            sp = os.path.join(tmp, t, "terraform.tfstate")
            if fn_state:
                st = json.load(open(sp))
                fn_state(st)
                with open(sp, "w") as f:
                    json.dump(st, f, indent=2)
            if fn_tf:
                tp = os.path.join(tmp, t, "main.tf")
                with open(tp) as f:
                    text = f.read()
                with open(tp, "w") as f:
                    f.write(fn_tf(text))
            rc, out, _ = run(["scan", "--format", "sarif", t])
            res = json.loads(out)["runs"][0]["results"]
            return {r["partialFingerprints"]["sharedfate/v1"] for r in res}, res

        base_fps, base_res = mutate("fp-same")
        expect(base_fps == fps_a, "SARIF fingerprints differ from the JSON ones")
        rev, _ = mutate("fp-reversed", lambda st: st["resources"].reverse())

        def add_unrelated(st):
            st["resources"].append({"mode": "managed", "type": "aws_s3_bucket", "name": "logs",
                                    "provider": st["resources"][0]["provider"],
                                    "instances": [{"schema_version": 0, "attributes": {
                                        "id": "logs", "arn": "arn:aws:s3:::logs",
                                        "bucket": "logs"}}]})
        unrel, _ = mutate("fp-unrelated", add_unrelated)
        shifted, shifted_res = mutate("fp-shifted", fn_tf=lambda t: "\n" * 7 + t)
        expect(rev == base_fps, "fingerprints change with resource order")
        expect(unrel == base_fps, "fingerprints change with an unrelated resource")
        expect(shifted == base_fps, "fingerprints change with a line shift")
        lines = [r["locations"][0]["physicalLocation"].get("region", {}).get("startLine")
                 for r in shifted_res if r["ruleId"] == "SF102"]
        expect(lines == [want_line + 7], "the SARIF location does not follow the shift: %s" % lines)

        def rename_secret(st):
            for r in st["resources"]:
                if r["type"] == "aws_secretsmanager_secret" and r["name"] == "db":
                    r["name"] = "db_main"
        renamed, _ = mutate("fp-renamed", rename_secret)
        f102 = {f["fingerprint"] for f in fa if f["rule"] == "SF102"}
        expect(f102 and not (f102 & renamed), "the fingerprint stays when the shared node changes")

        # ---- module-aware: module.dr["use1"].aws_lb.app is written in the module's source
        m = os.path.join(tmp, "mods")
        shutil.copytree(os.path.join(src, "fixtures", "tf-modules-for-each"), m,
                        ignore=shutil.ignore_patterns("expected*", "args"))
        os.makedirs(os.path.join(m, "modules", "service"))
        with open(os.path.join(m, "main.tf"), "w") as f:
            f.write('resource "aws_route53_zone" "main" {\n  name = "example.com"\n}\n\n'
                    'module "dr" {\n  for_each = toset(["use1", "usw2"])\n'
                    '  source   = "./modules/service"\n}\n')
        with open(os.path.join(m, "modules", "service", "main.tf"), "w") as f:
            f.write('# one region of the service\n\nresource "aws_lb" "app" {\n  name = "app"\n}\n')
        rc, out, _ = run(["scan", "--format", "sarif", "mods"])
        rel = [(x["message"]["text"], x["physicalLocation"]["artifactLocation"]["uri"],
                x["physicalLocation"].get("region", {}).get("startLine"))
               for r in json.loads(out)["runs"][0]["results"] for x in r.get("relatedLocations", [])]
        expect(('primary: module.dr["use1"].aws_lb.app', "mods/modules/service/main.tf", 3) in rel,
               "module-aware location: %s" % rel)

        # ---- scan - (standard input)
        with open(os.path.join(revs, "after", "terraform.tfstate"), "rb") as f:
            data = f.read()
        rc, out, err = run(["scan", "--format", "json", "-"], stdin=data)
        j = json.loads(out) if out else {"findings": [], "inputs": []}
        expect(rc == 1 and [i["path"] for i in j["inputs"]] == ["<stdin>"] and
               {f["fingerprint"] for f in j["findings"]} == fps_a,
               "scan -: exit %d, %s\n%s" % (rc, j.get("inputs"), err))
        rc, out, err = run(["scan", "-"], stdin=b"\x00\x01 not an input\n")
        expect(rc == 2 and err.startswith("<stdin>"), "scan - of garbage: %d %s" % (rc, err))
        rc, out, err = run(["scan", "-"], stdin=b'{"version": 4, "resources": [')
        expect(rc == 2 and "<stdin>:" in err, "scan - of broken JSON: %d %s" % (rc, err))

        # ---- --quiet and --width
        rc, out, _ = run(["scan", "--quiet", after])
        expect(rc == 1 and len(out.splitlines()) == 1 and "failover pair" in out,
               "--quiet prints more than the summary:\n" + out)
        rc, out, _ = run(["scan", "--width", "72", after])
        # the summary stays one line: CI jobs grep it
        long_lines = [x for x in out.splitlines()[:-1] if len(x) > 72 and " " in x.strip()]
        expect(rc == 1 and not long_lines, "--width 72: %s" % long_lines[:3])
        rc, wide, _ = run(["scan", "--width", "0", after])
        expect(" ".join(out.split()) == " ".join(wide.split()).replace("->", "->"),
               "wrapping changed the words")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    for f in failures:
        print("FAIL", f)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
