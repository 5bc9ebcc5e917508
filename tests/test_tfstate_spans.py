#!/usr/bin/env python3
"""The format-4 state read one resource at a time (importers/tf_scan.c):

1. hostile inputs for the structural scanner: each gives what jansson says of
   the whole file (exit code, `path:line: message`), and the counter
   `tfstate_spans` (SHAREDFATE_STATS) shows which way the file was read;
2. every fixture state read one resource at a time gives byte for byte what
   it gives read whole: spelling the key `resources` with an escape
   (`"resource\\u0073"`, the same JSON) makes the scanner decline the file;
3. the attributes kept past a resource's decoding (importers/tf_keep.c)
   cover every name the importer's sources can read.
argv: sharedfate binary, source directory."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

AWS = 'provider["registry.terraform.io/hashicorp/aws"]'


def res(name, attrs):
    return {"mode": "managed", "type": "aws_lb", "name": name, "provider": AWS,
            "instances": [{"schema_version": 0, "attributes": attrs, "sensitive_attributes": []}]}


def state(resources):
    return json.dumps({"version": 4, "terraform_version": "1.5.7", "serial": 3, "lineage": "l",
                       "outputs": {}, "resources": resources}, indent=2)


# Strings that a scanner counting brackets or quotes naively gets wrong.
GOOD = state([
    res("a", {"arn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/a/1",
              "dns_name": "a-1.us-east-1.elb.amazonaws.com",
              "description": "ends in a backslash \\", "q": "a \"quoted\" ]}, {[ word",
              "tags": {"k\\": "v\\\\\"", "}": "]", "[": "{"}}),
    res("b", {"arn": "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/b/2",
              "dns_name": "b-2.us-west-2.elb.amazonaws.com", "x": "\\\\", "y": "\\\""}),
])


def nested(depth):
    """An attribute nested `depth` lists deep; its innermost list sits at
    depth 6 + depth in the whole file (jansson refuses past 2048)."""
    return state([res("deep", {"arn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/d/1",
                               "x": "@@"})]).replace('"@@"', "[" * depth + "]" * depth)


# name: (input, exit code, first line of standard error or "", imported one resource at a time).
# The file is streamed, so resources before the fault are decoded; but a file found bad
# anywhere is imported whole, and the counter counts only files imported one at a time.
CASES = {
    "good": (GOOD, 0, "", True),
    "unterminated-string": (GOOD[:GOOD.index("ends in a backslash") + 5], 2,
                            "terraform.tfstate:19: error: invalid JSON: premature end of input", False),
    "truncated-in-resource": (GOOD[:GOOD.index('"b"')], 2,
                              "terraform.tfstate:34: error: invalid JSON: unexpected token", False),
    "truncated-after-resources": (GOOD[:-2], 2,
                                  "terraform.tfstate:49: error: invalid JSON: '}' expected", False),
    "trailing-garbage": (GOOD + "x", 2,
                         "terraform.tfstate:50: error: invalid JSON: end of file expected", False),
    "trailing-brace": (GOOD + "}", 2,
                       "terraform.tfstate:50: error: invalid JSON: end of file expected", False),
    "trailing-object": (GOOD + "\n{}\n", 2,
                        "terraform.tfstate:51: error: invalid JSON: end of file expected", False),
    "bom": ("\ufeff" + GOOD, 2, "terraform.tfstate:1: error: invalid JSON: '[' or '{' expected", False),
    "nul-in-resource": (GOOD.replace("ends in a backslash", "ends in\x00 a backslash"), 2,
                        "terraform.tfstate:19: error: NUL byte in a JSON file", False),
    "nul-after-end": (GOOD + "\n\x00", 2, "terraform.tfstate:51: error: NUL byte in a JSON file", False),
    "bad-after-last-resource": (GOOD[:-2] + ',\n  "check_results": {,}\n}', 2,
                                "terraform.tfstate:50: error: invalid JSON: string or '}' expected", False),
    "duplicate-key-after-resources": (GOOD[:-2] + ',\n  "serial": 4\n}', 2,
                                      "terraform.tfstate:50: error: invalid JSON: duplicate object key",
                                      False),
    "duplicate-resources": (GOOD[:-2] + ',\n  "resources": []\n}', 2,
                            "terraform.tfstate:50: error: invalid JSON: duplicate object key", False),
    # the first resource was decoded alone, then the second refused: read whole
    "duplicate-key-in-resource": (GOOD.replace('"name": "b"', '"name": "b", "name": "b"'), 2,
                                  "terraform.tfstate:34: error: invalid JSON: duplicate object key",
                                  False),
    "trailing-comma-resources": (GOOD.replace("\n  ]\n}", ",\n  ]\n}"), 2,
                                 "terraform.tfstate:49: error: invalid JSON: unexpected token", False),
    "missing-comma-resources": (GOOD.replace('  },\n    {\n      "mode"', '  }\n    {\n      "mode"', 1), 2,
                                "terraform.tfstate:31: error: invalid JSON: ']' expected", False),
    "unbalanced-in-resource": (GOOD.replace('"schema_version": 0', '"schema_version": [0', 1), 2,
                               "terraform.tfstate:16: error: invalid JSON: ']' expected", False),
    "bad-escape": (GOOD.replace("ends in a backslash", "ends in \\q backslash"), 2,
                   "terraform.tfstate:19: error: invalid JSON: invalid escape or control character "
                   "in a string (column 38)", False),
    "bad-utf8": (GOOD.encode().replace(b"ends in a", b"ends \xff a"), 2,
                 "terraform.tfstate:19: error: invalid JSON: invalid UTF-8 in a string (column 33)", False),
    "raw-newline-in-string": (GOOD.replace("ends in a backslash", "ends in\na backslash"), 2,
                              "terraform.tfstate:19: error: invalid JSON: unexpected newline", False),
    "scalar-member-garbage": (GOOD.replace('"serial": 3', '"serial": 3 4'), 2,
                              "terraform.tfstate:4: error: invalid JSON: '}' expected", False),
    "resource-not-object": (state([1]), 2, "terraform.tfstate:7: error: resource 0 is not an object",
                            False),
    "resources-null": (state(None), 0, "", False),
    # attributes that keep nothing, before any resource kept anything (the
    # kept text's buffer was none yet: found by fuzz_tfstate under UBSan)
    "empty-attributes-first": (state([res("e", {}), res("f", {"arn": "arn:aws:elasticloadbalancing:"
                                                             "us-east-1:1:loadbalancer/app/f/1"})]),
                               0, "", True),
    # past 2^63: jansson reads the whole file again with reals
    "huge-integer": (GOOD.replace('"schema_version": 0', '"schema_version": 99999999999999999999', 1),
                     0, "", False),
    "real-integer": (GOOD.replace('"schema_version": 0', '"schema_version": 1.0', 1), 0, "", True),
    # 2047 deep: the scanner cannot tell an empty innermost list from one
    # holding a value, so it declines one level early; jansson takes it
    "deep-at-limit": (nested(2041), 0, "", True),
    "deep-scanner-declines": (nested(2042), 0, "", False),
    "deep-over-limit": (nested(2043), 2,
                        "terraform.tfstate:18: error: invalid JSON: maximum parsing depth reached", False),
    "deep-whole-file": ('{"version": 4, "resources": [' + "[" * 100000 + "]" * 100000 + "]}", 2,
                        "terraform.tfstate:1: error: invalid JSON: maximum parsing depth reached", False),
}


def run(binary, cwd, args):
    p = subprocess.run([binary, "scan", "--format", "json", "--fail-on", "none"] + args, cwd=cwd,
                       capture_output=True, timeout=120, env=dict(os.environ, SHAREDFATE_STATS="1"))
    err = p.stderr.decode(errors="replace").splitlines()
    stats = dict(l.split()[-2:] for l in err if l.startswith("sharedfate: stat: "))
    err = [l for l in err if not l.startswith("sharedfate: stat: ")]
    return p.returncode, p.stdout, err, int(stats.get("tfstate_spans", "-1"))


def check_cases(binary, tmp):
    failed = 0
    for name, (text, code, first, spans) in CASES.items():
        with open(os.path.join(tmp, "terraform.tfstate"), "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode())
        rc, _, err, n = run(binary, tmp, ["terraform.tfstate"])
        got = err[0] if err else ""
        if rc != code or got != first or (n > 0) != spans:
            print("FAIL: %s: exit %d, %r, %d resources one at a time; expected exit %d, %r, %s"
                  % (name, rc, got, n, code, first, "some" if spans else "none"))
            failed += 1
    return failed


# Two copies of one state (same lineage), the newer one as given: which one
# is imported is decided by the newer one's serial only when it decodes
# (sf_tfstate_generation reads it one resource at a time too).
NEWER = {
    "decodes": (GOOD.replace('"serial": 3', '"serial": 4'), 0,
                "a/terraform.tfstate: warning: an older copy of the state in b/terraform.tfstate "
                "(same lineage, serial 3 below 4); not imported"),
    "huge-integer": (GOOD.replace('"serial": 3', '"serial": 4').replace(
        '"schema_version": 0', '"schema_version": 99999999999999999999', 1), 0,
        "a/terraform.tfstate: warning: an older copy of the state in b/terraform.tfstate "
        "(same lineage, serial 3 below 4); not imported"),
    "broken-resource": (GOOD.replace('"serial": 3', '"serial": 4').replace('"name": "b"', '"name": "b" "x"'),
                        2, "b/terraform.tfstate:34: error: invalid JSON: '}' expected"),
}


def check_generations(binary, tmp):
    failed = 0
    for name, (newer, code, first) in NEWER.items():
        work = os.path.join(tmp, "gen-" + name)
        for sub, text in (("a", GOOD), ("b", newer)):
            os.makedirs(os.path.join(work, sub))
            with open(os.path.join(work, sub, "terraform.tfstate"), "w") as f:
                f.write(text)
        rc, _, err, _ = run(binary, work, ["."])
        if rc != code or (err[0] if err else "") != first:
            print("FAIL: newer copy %s: exit %d, %r; expected exit %d, %r" % (name, rc, err[:1], code, first))
            failed += 1
    return failed


def check_fixtures(binary, src, tmp):
    failed = checked = 0
    for path in sorted(glob.glob(os.path.join(src, "fixtures", "*", "**", "*.tfstate"), recursive=True)):
        with open(path, "rb") as f:
            data = f.read()
        if data.count(b'"resources": [') != 1:
            continue
        fixture = os.path.join(src, "fixtures", os.path.relpath(path, os.path.join(src, "fixtures")).split(os.sep)[0])
        rel = os.path.relpath(path, fixture)
        outs = []
        for spelling in (b'"resources": [', b'"resource\\u0073": ['):
            work = os.path.join(tmp, "fx")
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(fixture, work, symlinks=True)
            with open(os.path.join(work, rel), "wb") as f:
                f.write(data.replace(b'"resources": [', spelling))
            outs.append(run(binary, work, [rel]))
        (rc1, out1, err1, n1), (rc2, out2, err2, n2) = outs
        checked += 1
        # an integer past 2^63 needs the whole-file reading (JSON_DECODE_INT_AS_REAL)
        huge = re.search(rb'[:\[,]\s*-?[0-9]{20,}', data) is not None
        if (rc1, out1, err1) != (rc2, out2, err2) or n2 != 0 or (n1 <= 0 and rc1 != 2 and not huge):
            print("FAIL: %s: one resource at a time (%d) and whole (%d) differ: exit %d/%d\n%s\n%s"
                  % (os.path.relpath(path, src), n1, n2, rc1, rc2, "\n".join(err1[:5]),
                     "\n".join(err2[:5])))
            failed += 1
    if checked < 20:
        print("FAIL: only %d fixture states compared" % checked)
        failed += 1
    print("compared %d fixture states read both ways" % checked)
    return failed


def c_literals(text):
    """The string literals of C source, comments and character constants skipped."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif text[i] in "'\"":
            q, j, buf = text[i], i + 1, []
            while j < n and text[j] != q:
                buf.append(text[j:j + 2] if text[j] == "\\" else text[j])
                j += 2 if text[j] == "\\" else 1
            if q == '"':
                out.append("".join(buf))
            i = j + 1
        else:
            i += 1
    return out


def check_keep(src):
    imp = os.path.join(src, "importers")
    with open(os.path.join(imp, "tf_keep.c")) as f:
        keep_src = f.read()
    table = keep_src[keep_src.index("keep[] = {"):]
    keep = c_literals(table[:table.index("};")])
    failed = 0
    if keep != sorted(keep, key=lambda s: s.encode()):
        print("FAIL: importers/tf_keep.c: the table is not sorted")
        failed += 1
    files = [p for p in glob.glob(os.path.join(imp, "tf_*.[ch]")) if not p.endswith("tf_keep.c")]
    files.append(os.path.join(imp, "tfstate.c"))
    missing = set()
    for p in sorted(files):
        with open(p) as f:
            code = "".join(l for l in f if not l.startswith("#include"))
            for s in c_literals(code):
                first = s.split(".")[0]
                if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", first) and first not in keep:
                    missing.add(first)
    if missing:
        print("FAIL: importers/tf_keep.c lacks names the importer may read: %s" % " ".join(sorted(missing)))
        failed += 1
    return failed


CHUNK = 1 << 20     # what importers/tf_scan.c reads at a time


def large_states(src, tmp):
    """States past one read of the streaming scanner: `"resources"`, a
    `"mode"` line and a resource each straddling the first read's end, and
    a resource larger than two reads (the window must grow)."""
    base = os.path.join(tmp, "base.tfstate")
    subprocess.run([sys.executable, os.path.join(src, "tests", "bench", "gen_state.py"), "30", base],
                   check=True)
    with open(base) as f:
        doc = json.load(f)
    out = {}
    doc["outputs"] = {"pad": {"value": "", "type": "string"}}
    # The pad shifts everything after it: each anchor a few bytes before the
    # seam. Indented by one space, no line is a `"mode"` line: every resource
    # is then reported at the line of `"resources"`.
    for name, indent, anchor, back in (("key-on-seam", 1, '"resources": [', 5),
                                       ("mode-on-seam", 2, '      "mode": "', 9)):
        doc["outputs"]["pad"]["value"] = ""
        at = json.dumps(doc, indent=indent).index(anchor)
        doc["outputs"]["pad"]["value"] = "x" * (CHUNK - back - at)
        out[name] = json.dumps(doc, indent=indent)
    doc["outputs"] = {}
    big = doc["resources"][1]["instances"][0]["attributes"]
    big["description"] = "y" * (2 * CHUNK + 7)
    out["big-resource"] = json.dumps(doc, indent=2)
    return out


def check_large(binary, src, tmp):
    """Each large state read three ways gives the same: streamed from the
    file, scanned from standard input (held whole: no seams), and (where
    Terraform's indentation gives each resource its line) read whole."""
    failed = 0
    work = os.path.join(tmp, "large")
    for name, text in large_states(src, tmp).items():
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        path = os.path.join(work, "terraform.tfstate")
        with open(path, "w") as f:
            f.write(text)
        rc1, out1, err1, n1 = run(binary, work, ["terraform.tfstate"])
        p = subprocess.run([binary, "scan", "--format", "json", "--fail-on", "none", "-"], cwd=work,
                           input=text.encode(), capture_output=True, timeout=120)
        out2 = p.stdout.replace(b"<stdin>", b"terraform.tfstate")
        err2 = p.stderr.decode(errors="replace").replace("<stdin>", "terraform.tfstate").splitlines()
        same = (rc1, out1, err1) == (p.returncode, out2, err2)
        if same and name != "key-on-seam":
            with open(path, "w") as f:
                f.write(text.replace('"resources": [', '"resource\\u0073": [', 1))
            rc3, out3, err3, n3 = run(binary, work, ["terraform.tfstate"])
            same = (rc1, out1, err1) == (rc3, out3, err3) and n3 == 0
        if not same or n1 <= 0 or rc1 != 0:
            print("FAIL: large state %s: streamed (%d resources, exit %d) differs\n%s"
                  % (name, n1, rc1, "\n".join(err1[:5])))
            failed += 1
    return failed


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp()
    try:
        failed = (check_cases(binary, tmp) + check_generations(binary, tmp) +
                  check_fixtures(binary, src, tmp) + check_large(binary, src, tmp) + check_keep(src))
    finally:
        shutil.rmtree(tmp)
    if failed:
        return 1
    print("ok: %d scanner cases, fixtures read both ways alike, keep list complete" % len(CASES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
