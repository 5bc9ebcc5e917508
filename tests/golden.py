#!/usr/bin/env python3
"""Golden test: run the real binary on one fixture and compare with what the
fixture says to expect.

A fixture directory holds the inputs and, beside them:
  expected.json    the `scan --format json` output, byte for byte
  expected.txt     the text output (optional)
  expected.stderr  the diagnostics (optional; otherwise stderr must be empty)
  expected.rc      the exit code (optional; otherwise derived from the
                   findings in expected.json and the --fail-on threshold:
                   1 when one is at or above it, else 0)
  args             extra scan arguments, one per line (optional)
  README           why the fixture expects what it does (optional)
  expected.report/ files of `scan --report DIR` (report.md, pair-001.dot,
                   ...) compared byte for byte (optional; drawn without the
                   renderer, so index.html holds no SVG: it is checked to be
                   well-formed XML, never compared)

The scan runs from the repository root on the fixture's path, so paths in the
output read `fixtures/<name>/...`, with SHAREDFATE_TODAY pinned to TODAY so
that waivers expire the same way every day. Both the JSON and the text run are
checked: exit code, stdout and stderr.

  golden.py BINARY ROOT FIXTURE              check one fixture
  golden.py --update BINARY ROOT [FIXTURE...] rewrite the expected files of
                                             these fixtures (default: all);
                                             review the diff before committing

Updating is only ever this explicit command: SF_UPDATE_GOLDEN in the
environment rewrites nothing, and under CI it fails the test, so that a
stray variable cannot turn the suite into a rewriter that always passes.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SEVERITIES = ["info", "low", "medium", "high", "critical"]
TODAY = "2026-12-01"
ENV = dict(os.environ, SHAREDFATE_TODAY=TODAY)


def run(binary, root, fixture, fmt, extra):
    cmd = [binary, "scan", "--format", fmt, "--color", "never"] + extra + [fixture]
    p = subprocess.run(cmd, cwd=root, capture_output=True, timeout=120, env=ENV)
    return p.returncode, p.stdout, p.stderr


def report_files(fdir):
    d = os.path.join(fdir, "expected.report")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def run_report(binary, root, fixture, extra):
    """scan --report into a new directory (no renderer: DOT, not SVG, is
    the golden). Returns (exit code, stderr, {name: bytes}, index.html)."""
    tmp = tempfile.mkdtemp(prefix="sf-golden-")
    try:
        out = os.path.join(tmp, "r")
        env = dict(ENV, SHAREDFATE_RENDER=os.path.join(tmp, "no-renderer"))
        cmd = [binary, "scan", "--color", "never", "-o", os.devnull, "--report", out] + extra + [fixture]
        p = subprocess.run(cmd, cwd=root, capture_output=True, timeout=120, env=env)
        files = {}
        for name in os.listdir(out) if os.path.isdir(out) else []:
            with open(os.path.join(out, name), "rb") as f:
                files[name] = f.read()
        return p.returncode, p.stderr, files
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def scan_args(fdir):
    argsf = os.path.join(fdir, "args")
    if not os.path.exists(argsf):
        return []
    with open(argsf) as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def fail_on(extra):
    """The --fail-on threshold the scan runs with (default high)."""
    for i, a in enumerate(extra):
        if a == "--fail-on" and i + 1 < len(extra):
            return extra[i + 1]
        if a.startswith("--fail-on="):
            return a.split("=", 1)[1]
    return "high"


def derived_rc(expected_json, threshold):
    """The exit code the expected findings call for."""
    if threshold == "none":
        return 0
    doc = json.loads(expected_json)
    floor = SEVERITIES.index(threshold)
    return 1 if any(SEVERITIES.index(f["severity"]) >= floor for f in doc["findings"]) else 0


def update(binary, root, fixture):
    fdir = os.path.join(root, fixture)
    extra = scan_args(fdir)
    rc, out, err = run(binary, root, fixture, "json", extra)
    if rc not in (0, 1, 2):
        print("NOT UPDATED %s: exit code %d\n%s" % (fixture, rc, err.decode(errors="replace")))
        return 1
    rcf = os.path.join(fdir, "expected.rc")
    if rc != 2 or os.path.exists(os.path.join(fdir, "expected.json")):
        with open(os.path.join(fdir, "expected.json"), "wb") as f:
            f.write(out)
    # expected.rc only where the findings do not already say it
    if rc == 2 or os.path.exists(rcf) or (rc != derived_rc(out, fail_on(extra))):
        with open(rcf, "w") as f:
            f.write("%d\n" % rc)
    errf = os.path.join(fdir, "expected.stderr")
    if err or os.path.exists(errf):
        with open(errf, "wb") as f:
            f.write(err)
    _, txt, _ = run(binary, root, fixture, "text", extra)
    with open(os.path.join(fdir, "expected.txt"), "wb") as f:
        f.write(txt)
    names = report_files(fdir)
    if names:
        _, _, files = run_report(binary, root, fixture, extra)
        for name in names:
            with open(os.path.join(fdir, "expected.report", name), "wb") as f:
                f.write(files.get(name, b""))
    print("updated %s" % fixture)
    return 0


def check(binary, root, fixture):
    fdir = os.path.join(root, fixture)
    extra = scan_args(fdir)
    failures = []

    def compare(name, got):
        path = os.path.join(fdir, name)
        if not os.path.exists(path):
            failures.append("%s: missing (run tests/golden.py --update)" % name)
            return
        want = read(path)
        if want != got:
            failures.append("%s differs:\n--- want\n%s\n--- got\n%s" % (
                name, want.decode(errors="replace"), got.decode(errors="replace")))

    if os.environ.get("SF_UPDATE_GOLDEN"):
        if os.environ.get("CI"):
            failures.append("SF_UPDATE_GOLDEN is set under CI: expected files are updated "
                            "only by tests/golden.py --update")
        else:
            print("note: SF_UPDATE_GOLDEN is ignored; update with tests/golden.py --update")

    rc, out, err = run(binary, root, fixture, "json", extra)
    # Determinism: a second run gives the same bytes.
    if (rc, out, err) != run(binary, root, fixture, "json", extra):
        failures.append("two runs gave different output")
    if rc not in (0, 1, 2):
        failures.append("exit code %d (crash or internal error)\n%s" % (rc, err.decode(errors="replace")))

    jsonf = os.path.join(fdir, "expected.json")
    rcf = os.path.join(fdir, "expected.rc")
    if os.path.exists(rcf):
        want_rc = int(read(rcf, "r").strip())
    elif os.path.exists(jsonf):
        want_rc = derived_rc(read(jsonf), fail_on(extra))
    else:
        want_rc = None
        failures.append("neither expected.rc nor expected.json")
    if want_rc is not None and rc != want_rc:
        failures.append("exit code %d, expected %d\n%s" % (rc, want_rc, err.decode(errors="replace")))

    if rc != 2 or os.path.exists(jsonf):
        compare("expected.json", out)
    errf = os.path.join(fdir, "expected.stderr")
    if os.path.exists(errf):
        compare("expected.stderr", err)
    elif err:
        failures.append("unexpected stderr:\n" + err.decode(errors="replace"))

    # The text run: same exit code and diagnostics, its own output.
    trc, txt, terr = run(binary, root, fixture, "text", extra)
    if trc != rc:
        failures.append("text run: exit code %d, the JSON run's was %d" % (trc, rc))
    if terr != err:
        failures.append("text run: stderr differs from the JSON run's:\n" + terr.decode(errors="replace"))
    if os.path.exists(os.path.join(fdir, "expected.txt")):
        compare("expected.txt", txt)

    # The review report: its Markdown and DOT byte for byte, its HTML
    # well-formed.
    names = report_files(fdir)
    if names:
        rrc, _, files = run_report(binary, root, fixture, extra)
        if rrc != rc:
            failures.append("report run: exit code %d, the JSON run's was %d" % (rrc, rc))
        for name in names:
            if name not in files:
                failures.append("report run wrote no %s" % name)
            else:
                compare(os.path.join("expected.report", name), files[name])
        try:
            ET.fromstring(files.get("index.html", b""))
        except ET.ParseError as e:
            failures.append("index.html is not well-formed XML: %s" % e)

    if failures:
        print("FAIL %s\n%s" % (fixture, "\n".join(failures)))
        return 1
    print("ok %s" % fixture)
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "--update":
        binary, root = argv[1], argv[2]
        fixtures = argv[3:] or sorted(
            os.path.relpath(d, root) for d in glob.glob(os.path.join(root, "fixtures", "*"))
            if os.path.isdir(d))
        return max([update(binary, root, f.rstrip("/")) for f in fixtures] + [0])
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    return check(argv[0], argv[1], argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
