#!/usr/bin/env python3
"""Reports and diagrams, end to end with the real binaries.

  - `scan --report DIR` on the demo: every file is there; index.html is
    well-formed XML with inline SVG diagrams and no script, no external
    fetch; report.md is under 65,000 characters with a Mermaid flowchart
    per pair; DOT of a pair diagram and of an overview match their golden
    files (tests/report/*.dot; SF_UPDATE_GOLDEN=1 rewrites them).
  - fixtures/report-hostile (names with markup, quotes, ampersands; a rule
    whose texts carry newlines, terminal escapes and javascript: links),
    with an owner, waivers and a baseline whose texts are as hostile:
    nothing breaks out in HTML, SVG, DOT, Markdown or the terminal.
  - A renderer that hangs (and one that ignores SIGALRM) is stopped at
    SHAREDFATE_RENDER_TIMEOUT with a clear message and the DOT kept; a
    missing renderer keeps the DOT too.
  - A 5,000-node estate: the repository overview is collapsed by failure
    domain and drawn within the renderer's time limit.

  python3 tests/test_report.py BINARY SOURCE_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(args, cwd, env=None, timeout=300):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(args, cwd=cwd, capture_output=True, timeout=timeout, env=e)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def check_markup_tree(root, where):
    """No element that runs code or fetches, no handler, links only into
    the report or to http(s)."""
    for el in root.iter():
        name = local(el.tag).lower()
        check(name not in ("script", "iframe", "object", "embed", "img", "foreignobject",
                           "link", "base", "form"), "%s: element <%s>" % (where, name))
        for k, v in el.attrib.items():
            k = local(k).lower()
            check(not k.startswith("on"), "%s: handler attribute %s" % (where, k))
            if k in ("href", "src", "action"):
                check(v.startswith("#") or v.startswith("index.html#") or
                      re.match(r"^https?://[^\s\"'<>\\]+$", v) is not None,
                      "%s: link %r" % (where, v))


def parse_html(path):
    with open(path, "rb") as f:
        data = f.read()
    check(b"\x1b" not in data and b"\x07" not in data, path + ": a raw control byte")
    try:
        return ET.fromstring(data), data
    except ET.ParseError as e:
        check(False, "%s: not well-formed XML: %s" % (path, e))
        return None, data


DOT_ATTR = r'[a-zA-Z]+=("(\\.|[^"\\])*"|[^,\]"\s]+)'
DOT_LINE = re.compile(r'^\s*(n\d+|g\d+|legend_\w+)( -> (n\d+|g\d+|legend_\w+))? \[' + DOT_ATTR +
                      r'(, ' + DOT_ATTR + r')*\];$')


def check_dot(path):
    """Each node and edge statement is one line whose strings all close:
    a label cannot end its statement early or start another."""
    with open(path, "rb") as f:
        data = f.read()
    check(all(b >= 0x20 or b == 0x0a for b in data), path + ": a control byte in DOT")
    for line in data.decode().splitlines():
        s = line.strip()
        if re.match(r"^(n\d+|g\d+|legend_\w+)\b", s):
            check(DOT_LINE.match(line) is not None, "%s: statement breaks out: %s" % (path, line))


def check_markdown(path):
    with open(path, encoding="utf-8") as f:
        md = f.read()
    check(len(md) < 65000, path + ": over 65,000 characters")
    check("\x1b" not in md and "\x07" not in md, path + ": a raw control byte")
    fence = False
    for line in md.splitlines():
        if line.startswith("```"):
            fence = not fence
            continue
        if fence:
            # Mermaid: structure only; labels use #NN; codes
            check(re.match(r'^(flowchart LR|  subgraph \w+ \["[a-z ]+"\]|  end|'
                           r'    n\d+\["[^"`<>]*(<br/>[^"`<>]*)*"\]|  n\d+ --> n\d+|'
                           r'  n\d+ -\. [A-Za-z0-9#;_-]+ set \d+ \.- n\d+|'
                           r'  classDef (shared|sf110) [^"`<>]*|  class n\d+(,n\d+)* (shared|sf110))$', line)
                  is not None, "%s: Mermaid line breaks out: %s" % (path, line))
        else:
            check("<" not in line and ">" not in line and "`" not in line.replace("`SF", "").replace("`EVIL", "").replace("` ", ""),
                  "%s: raw markup in Markdown: %s" % (path, line))
            check("](" not in line and "@here" not in line, "%s: a link or mention: %s" % (path, line))
    check(not fence, path + ": a code fence left open")
    return md


def golden(src, name, got):
    path = os.path.join(src, "tests", "report", name)
    if os.environ.get("SF_UPDATE_GOLDEN") == "1":
        with open(path, "w") as f:
            f.write(got)
        return
    with open(path) as f:
        want = f.read()
    check(got == want, "golden %s differs (SF_UPDATE_GOLDEN=1 rewrites it)" % name)


def demo(binary, src, tmp):
    out = os.path.join(tmp, "demo")
    p = run([binary, "scan", "fixtures/demo", "--report", out, "--color", "never"], src)
    check(p.returncode == 1, "demo: exit %d, stderr %r" % (p.returncode, p.stderr[-500:]))
    for name in ("index.html", "report.md", "findings.json", "overview.dot", "pair-001.dot",
                 "pair-003.dot", "service-001.dot"):
        check(os.path.exists(os.path.join(out, name)), "demo: no " + name)
    has_renderer = os.path.exists(os.path.join(os.path.dirname(binary), "sharedfate-render"))
    root, data = parse_html(os.path.join(out, "index.html"))
    if root is not None:
        check_markup_tree(root, "demo index.html")
        svgs = [e for e in root.iter() if local(e.tag) == "svg"]
        if has_renderer:
            check(len(svgs) >= 7, "demo: %d inline diagrams, want 3 pairs + 3 services + 1" % len(svgs))
            check(os.path.exists(os.path.join(out, "pair-001.svg")), "demo: no pair-001.svg")
        anchors = {e.attrib.get("id") for e in root.iter()}
        check("f-" + "c887bc92a8bf9553" in anchors or any(a and a.startswith("f-") for a in anchors),
              "demo: no finding anchors")
        check(b"Content-Security-Policy" in data, "demo: no CSP")
        check(b"http://www.w3.org/Graphics/SVG/1.1/DTD" not in data, "demo: an SVG DOCTYPE inlined")
        for link in re.findall(rb'href="#(f-[0-9a-f]+)"', data):
            check(link.decode() in anchors, "demo: diagram links to a missing anchor " + link.decode())
    md = check_markdown(os.path.join(out, "report.md"))
    check(md.count("```mermaid") == 3 and "class " in md, "demo: 3 Mermaid pairs with shared nodes")
    with open(os.path.join(out, "pair-001.dot")) as f:
        golden(src, "demo-pair-001.dot", f.read())
    p = run([binary, "graph", "fixtures/demo", "--service", "login.example.com", "--format", "dot"], src)
    check(p.returncode == 0, "graph --service: exit %d %r" % (p.returncode, p.stderr))
    golden(src, "demo-overview-login.dot", p.stdout.decode())
    check_dot(os.path.join(out, "pair-001.dot"))
    # the same report on standard output
    p = run([binary, "scan", "fixtures/demo", "--format", "markdown"], src)
    check(p.returncode == 1 and p.stdout.decode() == md, "scan --format markdown differs from report.md")
    p = run([binary, "scan", "fixtures/demo", "--format", "html", "-o", os.path.join(tmp, "d.html")], src)
    check(p.returncode == 1, "scan --format html: exit %d" % p.returncode)
    parse_html(os.path.join(tmp, "d.html"))
    p = run([binary, "graph", "fixtures/demo", "--format", "graphml"], src)
    try:
        g = ET.fromstring(p.stdout)
        nodes = [e for e in g.iter() if local(e.tag) == "node"]
        edges = [e for e in g.iter() if local(e.tag) == "edge"]
        check(len(nodes) > 40 and len(edges) > 40, "graphml: %d nodes %d edges" % (len(nodes), len(edges)))
        keys = {e.attrib["id"] for e in g.iter() if local(e.tag) == "key"}
        check({"kind", "category", "gate", "edge_kind", "plane"} <= keys, "graphml keys: %s" % keys)
    except ET.ParseError as e:
        check(False, "graphml not well-formed: %s" % e)
    if has_renderer:
        for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("svg", b"<?xml")):
            p = run([binary, "graph", "fixtures/demo", "--service", "api.example.com",
                     "--format", fmt], src)
            check(p.returncode == 0 and p.stdout.startswith(magic),
                  "graph --format %s: exit %d, %r" % (fmt, p.returncode, p.stdout[:8]))
    p = run([binary, "graph", "fixtures/demo", "--service", "no-such"], src)
    check(p.returncode == 2 and b"no failover pair of service" in p.stderr, "graph --service unknown")
    # byte-identical twice
    out2 = os.path.join(tmp, "demo2")
    run([binary, "scan", "fixtures/demo", "--report", out2], src)
    for name in ("index.html", "report.md", "pair-001.dot", "overview.dot"):
        with open(os.path.join(out, name), "rb") as a, open(os.path.join(out2, name), "rb") as b:
            check(a.read() == b.read(), "demo: %s differs between two runs" % name)


EVIL = ("<script>alert(2)</script>\"'&amp; <img src=x onerror=alert(1)>\n\x1b[31mred"
        "\x1b]0;title\x07 `|*_[x](javascript:alert(1)) @here </svg></style>]]> -->")


def yaml_str(s):
    """A YAML double-quoted scalar holding exactly `s`."""
    return '"' + "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else
                         "\\u%04x" % ord(c) for c in s) + '"'


def hostile_tree(src, tmp):
    """fixtures/report-hostile with an owner, waivers (live, expired, idle)
    and a baseline whose texts are hostile too."""
    tree = os.path.join(tmp, "hostile-tree")
    shutil.copytree(os.path.join(src, "fixtures", "report-hostile"), tree)
    with open(os.path.join(tree, "sharedfate.yaml")) as f:
        manifest = f.read()
    manifest = manifest.replace("    dns: pay.example.com\n", "    dns: pay.example.com\n"
                                "    owner: %s\n" % yaml_str("<b>team</b> & \"q\" @here"))
    manifest += "waivers:\n"
    for rule, expires in (("EVIL001", "2099-12-31"), ("SF207", "2020-01-31"), ("SF101", "2099-12-31")):
        manifest += ("  - rule: %s\n    service: pay\n    reason: %s\n    approved_by: %s\n"
                     "    expires: %s\n" % (rule, yaml_str("reason " + EVIL), yaml_str("approver " + EVIL),
                                            expires))
    with open(os.path.join(tree, "sharedfate.yaml"), "w") as f:
        f.write(manifest)
    base = os.path.join(tmp, "hostile-baseline.json")
    with open(base, "w") as f:
        json.dump({"schema": "sharedfate/baseline/v1", "findings": [
            {"fingerprint": "00112233445566ff", "rule": "rule " + EVIL, "service": "svc " + EVIL,
             "message": "message " + EVIL}]}, f)
    return tree, base


def hostile(binary, src, tmp):
    out = os.path.join(tmp, "hostile")
    tree, base = hostile_tree(src, tmp)
    args = [binary, "scan", "--rules", "fixtures/report-hostile/rules", tree, "--baseline", base]
    p = run(args + ["--report", out, "--color", "always"], src, {"SHAREDFATE_TODAY": "2026-12-01"})
    # the one high finding is waived; the expired waiver's is medium
    check(p.returncode == 0, "hostile: exit %d %r" % (p.returncode, p.stderr[-300:]))
    for stream in (p.stdout, p.stderr):
        # colour codes of our own only: ESC followed by [ digits ; m
        check(re.search(rb"\x1b(?!\[[0-9;]*m)", stream) is None and b"\x07" not in stream,
              "hostile: a terminal escape from the input reached the terminal")
    root, data = parse_html(os.path.join(out, "index.html"))
    if root is not None:
        check_markup_tree(root, "hostile index.html")
        text = "".join(root.itertext())
        check("<script>alert(1)</script>" in text, "hostile: the markup is not shown as text")
        check("x<script>.example.com." in text, "hostile: the DNS name is not shown as text")
        for what in ("reason", "approver", "message", "rule", "svc"):
            check(what + " <script>alert(2)</script>\"'&amp; <img" in text,
                  "hostile: the %s text is not shown as text" % what)
        check("<b>team</b> & \"q\" @here" in text, "hostile: the owner is not shown as text")
        check("EXPIRED: 1 finding open again" in text, "hostile: the expired waiver is not flagged")
        check("Waived by approver" in text, "hostile: the waived finding does not say by whom")
    md = check_markdown(os.path.join(out, "report.md"))
    check("**waiver EXPIRED**" in md and "waives nothing" in md and "### Against the baseline" in md,
          "hostile: report.md lacks the waivers or the baseline")
    for name in os.listdir(out):
        path = os.path.join(out, name)
        if name.endswith(".svg"):
            try:
                check_markup_tree(ET.parse(path).getroot(), name)
            except ET.ParseError as e:
                check(False, "%s: not well-formed: %s" % (name, e))
        elif name.endswith(".dot"):
            check_dot(path)
    check(os.path.exists(os.path.join(out, "pair-001.dot")), "hostile: no pair diagram")
    # SF110's Mermaid lines (links and class) keep to the same grammar
    check_markdown(os.path.join(src, "fixtures", "tf-sf110-overlapping-sets", "expected.report",
                                "report.md"))
    for fmt in ("dot", "graphml"):
        p = run([binary, "graph", "--rules", "fixtures/report-hostile/rules",
                 "fixtures/report-hostile", "--format", fmt], src)
        check(p.returncode == 0 and b"\x1b" not in p.stdout, "hostile graph %s" % fmt)
        if fmt == "graphml":
            ET.fromstring(p.stdout)


def renderer_limits(binary, src, tmp):
    hang = os.path.join(tmp, "hang.sh")
    stubborn = os.path.join(tmp, "stubborn.sh")
    with open(hang, "w") as f:
        f.write("#!/bin/sh\nexec sleep 30\n")
    with open(stubborn, "w") as f:
        f.write("#!/bin/sh\ntrap '' ALRM\nexec sleep 30\n")
    for script in (hang, stubborn):
        os.chmod(script, 0o755)
        out = os.path.join(tmp, "limit-" + os.path.basename(script))
        t0 = time.monotonic()
        p = run([binary, "scan", "fixtures/demo", "--report", out],
                src, {"SHAREDFATE_RENDER": script, "SHAREDFATE_RENDER_TIMEOUT": "1"})
        took = time.monotonic() - t0
        err = p.stderr.decode()
        check(p.returncode == 1, "%s: exit %d" % (script, p.returncode))
        check("time limit of 1 s" in err and "kept pair-001.dot" in err,
              "%s: no clear message: %r" % (os.path.basename(script), err))
        check(err.count("time limit") == 1, "%s: every diagram waited for the limit" % script)
        check(took < 15, "%s: took %.1f s" % (script, took))
        check(os.path.exists(os.path.join(out, "pair-001.dot")) and
              not os.path.exists(os.path.join(out, "pair-001.svg")), "%s: DOT not kept" % script)
        with open(os.path.join(out, "index.html")) as f:
            check("not drawn" in f.read(), "%s: the page does not say why" % script)
    out = os.path.join(tmp, "missing")
    p = run([binary, "scan", "fixtures/demo", "--report", out], src,
            {"SHAREDFATE_RENDER": os.path.join(tmp, "no-such-renderer")})
    check("sharedfate-render not found" in p.stderr.decode() and
          os.path.exists(os.path.join(out, "pair-001.dot")), "missing renderer: %r" % p.stderr)
    p = run([binary, "graph", "fixtures/demo", "-o", os.path.join(tmp, "g.svg")], src,
            {"SHAREDFATE_RENDER": hang, "SHAREDFATE_RENDER_TIMEOUT": "1"})
    with open(os.path.join(tmp, "g.svg"), "rb") as f:
        check(p.returncode == 3 and f.read().startswith(b"digraph"),
              "graph: a stopped renderer leaves the DOT and exit 3")


def large(binary, src, tmp):
    estate = os.path.join(tmp, "estate")
    os.mkdir(estate)
    subprocess.run([sys.executable, os.path.join(src, "tests", "bench", "gen_state.py"), "170",
                    os.path.join(estate, "terraform.tfstate")], check=True)
    p = run([binary, "scan", estate, "--format", "graph-json"], src)
    nodes = p.stdout.count(b'"kind":') - p.stdout.count(b'"from":')
    check(nodes >= 5000, "large: only %d nodes" % nodes)
    p = run([binary, "graph", estate, "--format", "dot"], src)
    check(b"collapsed by failure domain" in p.stdout and p.stdout.count(b"\n") < 400,
          "large: the overview is not collapsed")
    if os.path.exists(os.path.join(os.path.dirname(binary), "sharedfate-render")):
        t0 = time.monotonic()
        p = run([binary, "graph", estate, "-o", os.path.join(tmp, "estate.svg")], src,
                {"SHAREDFATE_RENDER_TIMEOUT": "60"})
        took = time.monotonic() - t0
        check(p.returncode == 0 and took < 60, "large: svg exit %d in %.1f s %r" % (p.returncode, took, p.stderr))
        print("5,000-node overview drawn in %.2f s" % took)


def main():
    binary, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="sf-report-")
    try:
        demo(binary, src, tmp)
        hostile(binary, src, tmp)
        renderer_limits(binary, src, tmp)
        large(binary, src, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
